import { useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

interface CallbackRow {
  id: string
  incidentId: string
  incidentNumber: string | null
  dueAt: string
  reason: string
  status: string
  overdue: boolean
}

const OUTCOMES: Array<[string, string]> = [
  ['reached', 'Reached'],
  ['left_message', 'Left a message'],
  ['no_answer', 'No answer'],
  ['wrong_number', 'Wrong number'],
]

/** Callbacks owed to callers, soonest due first; record how each went. */
export function CallbacksPage() {
  const [rows, setRows] = useState<CallbackRow[]>([])
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    api<{ callbacks: CallbackRow[] }>('GET', '/api/callbacks?status=open')
      .then((r) => setRows(r.callbacks))
      .catch((err) => setError(err instanceof ApiError ? err.message : 'cannot reach the server'))
  }, [])
  useEffect(load, [load])

  const complete = async (id: string, outcome: string) => {
    try {
      await api('POST', `/api/callbacks/${id}/complete`, { outcome })
      load()
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'that did not go through')
    }
  }
  return (
    <section className="list" aria-labelledby="cb-h">
      <h1 id="cb-h">Callbacks</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Due</th>
            <th scope="col">Incident</th>
            <th scope="col">For</th>
            <th scope="col">How it went</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.overdue ? 'late' : ''}>
              <td>
                {new Date(r.dueAt).toLocaleString()}
                {r.overdue && <span className="badge late"> overdue</span>}
              </td>
              <td>
                <a href={`#/incidents/${r.incidentId}`}>{r.incidentNumber}</a>
              </td>
              <td>{r.reason}</td>
              <td>
                {OUTCOMES.map(([code, label]) => (
                  <button
                    key={code}
                    type="button"
                    className="secondary"
                    onClick={() => complete(r.id, code)}
                  >
                    {label}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>No callback is owed.</p>}
    </section>
  )
}
