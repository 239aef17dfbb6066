import { useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

const TYPES = ['patrol', 'problem_solving', 'civilian', 'nsc', 'agency_crew']

/**
 * For supervisors, under the board: put one unit on the roster, or load a roster file (every
 * line is checked first; a file with a mistake changes nothing and the mistakes are listed).
 */
export function RosterAdmin({ onChanged }: { onChanged: () => void }) {
  const [callSign, setCallSign] = useState('')
  const [type, setType] = useState('patrol')
  const [district, setDistrict] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)

  const report = (err: unknown) =>
    setMessage({
      text:
        err instanceof ApiError
          ? [err.message, ...err.problems.slice(1).map((p) => `${p.path}: ${p.message}`)].join('; ')
          : 'cannot reach the server',
      error: true,
    })

  return (
    <details className="roster">
      <summary>Roster</summary>
      <form
        className="row"
        aria-label="Add a unit"
        onSubmit={async (e) => {
          e.preventDefault()
          try {
            const u = await api<{ callSign: string }>('POST', '/api/units', {
              callSign,
              type,
              district: district || null,
              onDuty: true,
            })
            setMessage({ text: `${u.callSign} is on the roster`, error: false })
            setCallSign('')
            onChanged()
          } catch (err) {
            report(err)
          }
        }}
      >
        <label>
          Call sign
          <input
            value={callSign}
            onChange={(e) => setCallSign(e.target.value)}
            required
            maxLength={16}
            size={8}
          />
        </label>
        <label>
          Kind
          <select value={type} onChange={(e) => setType(e.target.value)}>
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          District
          <input value={district} onChange={(e) => setDistrict(e.target.value)} size={12} />
        </label>
        <button type="submit">Add unit</button>
      </form>
      <label className="row">
        Load a roster file (CSV: call_sign, type, split_force_role, shift, district, beat, on_duty)
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const file = e.target.files?.[0]
            if (!file) return
            try {
              const r = await api<{ added: string[]; updated: string[]; unchanged: string[] }>(
                'POST',
                '/api/units/roster',
                { csv: await file.text() },
              )
              setMessage({
                text: `Roster loaded: ${r.added.length} added, ${r.updated.length} updated, ${r.unchanged.length} unchanged`,
                error: false,
              })
              onChanged()
            } catch (err) {
              report(err)
            }
            e.target.value = ''
          }}
        />
      </label>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
    </details>
  )
}
