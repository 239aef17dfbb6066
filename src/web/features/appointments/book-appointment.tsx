import { useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

interface SlotRow {
  resourceId: string
  startsAt: string
  endsAt: string
  resource: { name: string; kind: string; location: string | null }
}

const KINDS: Array<[string, string]> = [
  ['psa', 'PSA (telephone report, follow-up)'],
  ['officer', 'Officer visit'],
  ['nsc_staff', 'Neighborhood Service Center'],
]
const DAY = 86_400_000

/** Booking during the call: the next free slots of the kind the caller needs, one click to book. */
export function BookAppointment({ incidentId }: { incidentId: string }) {
  const [kind, setKind] = useState('psa')
  const [slots, setSlots] = useState<SlotRow[]>([])
  const [chosen, setChosen] = useState<SlotRow | null>(null)
  const [purpose, setPurpose] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)

  useEffect(() => {
    const from = new Date(Date.now()).toISOString()
    const to = new Date(Date.now() + 14 * DAY).toISOString()
    api<{ slots: SlotRow[] }>(
      'GET',
      `/api/appointments/slots?from=${from}&to=${to}&kind=${kind}&minutes=30`,
    )
      .then((r) => {
        setSlots(r.slots.slice(0, 8))
        setChosen(null)
      })
      .catch(() => setSlots([]))
  }, [kind])

  const book = async () => {
    if (!chosen) return
    try {
      await api('POST', '/api/appointments', {
        resourceId: chosen.resourceId,
        incidentId,
        startsAt: chosen.startsAt,
        endsAt: chosen.endsAt,
        purpose,
      })
      setMessage({
        text: `Booked with ${chosen.resource.name} on ${new Date(chosen.startsAt).toLocaleString()}`,
        error: false,
      })
      setSlots((s) => s.filter((x) => x !== chosen))
      setChosen(null)
    } catch (err) {
      setMessage({
        text: err instanceof ApiError ? err.message : 'the booking failed',
        error: true,
      })
    }
  }

  return (
    <section aria-labelledby="book-h">
      <h2 id="book-h">Book an appointment</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void book()
        }}
      >
        <label>
          With
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {slots.length === 0 ? (
          <p>No free time in the next two weeks.</p>
        ) : (
          <fieldset>
            <legend>Free times</legend>
            {slots.map((s) => (
              <label key={`${s.resourceId}-${s.startsAt}`} className="slot">
                <input
                  type="radio"
                  name="slot"
                  checked={chosen === s}
                  onChange={() => setChosen(s)}
                />{' '}
                {new Date(s.startsAt).toLocaleString([], {
                  weekday: 'short',
                  month: 'short',
                  day: 'numeric',
                  hour: '2-digit',
                  minute: '2-digit',
                })}{' '}
                · {s.resource.name}
              </label>
            ))}
          </fieldset>
        )}
        <label>
          Purpose
          <input
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            required
            minLength={3}
            maxLength={200}
          />
        </label>
        <button type="submit" disabled={!chosen}>
          Book
        </button>
      </form>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
    </section>
  )
}
