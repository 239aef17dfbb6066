import { useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

interface Entry {
  id: string
  startsAt: string
  endsAt: string
  purpose: string
  place: string | null
  status: string
  incidentId: string | null
  incidentNumber: string | null
  resource: { id: string; name: string; kind: string; location: string | null }
}

const DAY = 86_400_000

/** Monday 00:00 local time of the week holding `t`. */
function weekStart(t: number): number {
  const d = new Date(t)
  d.setHours(0, 0, 0, 0)
  return d.getTime() - ((d.getDay() + 6) % 7) * DAY
}

/** The week's appointments by day, for PSAs, officers and NSC staff, with an iCalendar export. */
export function CalendarPage() {
  const [start, setStart] = useState(() => weekStart(Date.now()))
  const [entries, setEntries] = useState<Entry[]>([])
  const [error, setError] = useState<string | null>(null)
  // The week whose appointments are on screen: until it equals `start`, the grid is stale.
  const [shown, setShown] = useState<number | null>(null)
  const from = new Date(start).toISOString()
  const to = new Date(start + 7 * DAY).toISOString()

  const load = useCallback(() => {
    api<{ appointments: Entry[] }>('GET', `/api/appointments?from=${from}&to=${to}`)
      .then((r) => {
        setEntries(r.appointments)
        setShown(Date.parse(from))
        setError(null)
      })
      .catch((err) => setError(err instanceof ApiError ? err.message : 'cannot reach the server'))
  }, [from, to])
  useEffect(load, [load])

  const days = Array.from({ length: 7 }, (_, i) => start + i * DAY)
  return (
    <section className="calendar" aria-labelledby="cal-h">
      <h1 id="cal-h">Appointments</h1>
      <div className="row">
        <button type="button" onClick={() => setStart((s) => s - 7 * DAY)}>
          Previous week
        </button>
        <strong>
          {new Date(start).toLocaleDateString()} – {new Date(start + 6 * DAY).toLocaleDateString()}
        </strong>
        <button type="button" onClick={() => setStart((s) => s + 7 * DAY)}>
          Next week
        </button>
        <a
          href={`/api/appointments/calendar.ics?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`}
          download
        >
          Download iCalendar (.ics)
        </a>
      </div>
      <p role="status" className="muted">
        {shown === start
          ? `${entries.length} ${entries.length === 1 ? 'appointment' : 'appointments'} this week`
          : 'Loading…'}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="week" aria-busy={shown !== start}>
        {days.map((d) => {
          const today = entries.filter((e) => {
            const t = Date.parse(e.startsAt)
            return t >= d && t < d + DAY
          })
          return (
            <section key={d} className="day" aria-label={new Date(d).toDateString()}>
              <h2>
                {new Date(d).toLocaleDateString([], {
                  weekday: 'short',
                  day: 'numeric',
                  month: 'short',
                })}
              </h2>
              {today.length === 0 && <p className="empty">—</p>}
              {today.map((e) => (
                <article key={e.id} className={`appt ${e.status}`}>
                  <time dateTime={e.startsAt}>
                    {new Date(e.startsAt).toLocaleTimeString([], {
                      hour: '2-digit',
                      minute: '2-digit',
                    })}
                  </time>{' '}
                  <strong>{e.resource.name}</strong>
                  <p>{e.purpose}</p>
                  {e.incidentNumber && e.incidentId && (
                    <a href={`#/incidents/${e.incidentId}`}>{e.incidentNumber}</a>
                  )}
                  {e.status !== 'booked' && <span className="badge"> {e.status}</span>}
                </article>
              ))}
            </section>
          )
        })}
      </div>
    </section>
  )
}
