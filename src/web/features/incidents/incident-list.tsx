import { type FormEvent, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import { type IncidentRow, searchIncidents } from './incidents-api.js'

/**
 * Search incidents by words (location, narrative), status and call type. With `review`, the
 * queue of web and app submissions waiting for a PSA, oldest first.
 */
export function IncidentList({ review = false }: { review?: boolean }) {
  const [rows, setRows] = useState<IncidentRow[]>([])
  const [q, setQ] = useState('')
  const [status, setStatus] = useState(review ? 'new' : '')
  const [callType, setCallType] = useState('')
  const [district, setDistrict] = useState('')
  const [from, setFrom] = useState('')
  // The search that was asked for: typing edits the form, Search (or opening) runs it.
  const [search, setSearch] = useState<Parameters<typeof searchIncidents>[0]>({
    q: '',
    status: review ? 'new' : '',
  })
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    searchIncidents(search)
      .then((found) => {
        setRows(review ? [...found].reverse() : found)
        setError(null)
      })
      .catch((err) => setError(err instanceof ApiError ? err.message : 'cannot reach the server'))
  }, [search, review])

  // New and changed incidents arrive live: the list refreshes itself, at most every second.
  useEffect(() => {
    const source = new EventSource('/api/live')
    let timer: ReturnType<typeof setTimeout> | null = null
    source.addEventListener('incident', () => {
      timer ??= setTimeout(() => {
        timer = null
        setSearch((s) => ({ ...s }))
      }, 1000)
    })
    return () => {
      source.close()
      if (timer) clearTimeout(timer)
    }
  }, [])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setSearch({
      q,
      status,
      callType: callType.trim().toUpperCase(),
      district,
      ...(from ? { from: new Date(from).toISOString() } : {}),
    })
  }
  return (
    <section className="list">
      <h1>{review ? 'Review queue' : 'Incidents'}</h1>
      {!review && (
        <form className="row" onSubmit={submit} aria-label="Search incidents">
          <label>
            Words
            <input
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder="address, block, narrative"
            />
          </label>
          <label>
            Status
            <select value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">any</option>
              {['new', 'pending', 'in_progress', 'transferred', 'closed'].map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            Call type code
            <input
              value={callType}
              onChange={(e) => setCallType(e.target.value)}
              placeholder="NOISE"
              size={12}
            />
          </label>
          <label>
            District
            <input
              value={district}
              onChange={(e) => setDistrict(e.target.value)}
              placeholder="Central"
              size={14}
            />
          </label>
          <label>
            Received since
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <button type="submit">Search</button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <caption className="sr-only">
          {review ? 'Submissions waiting for review, oldest first' : 'Incidents, newest first'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Received</th>
            <th scope="col">Call type</th>
            <th scope="col">Where</th>
            <th scope="col">Status</th>
            <th scope="col">Response</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <a href={`#/incidents/${r.id}`}>{r.number}</a>
              </td>
              <td>{new Date(r.receivedAt).toLocaleString()}</td>
              <td>{r.callType}</td>
              <td>{r.location?.block ?? r.location?.text ?? '—'}</td>
              <td>{r.status.replace('_', ' ')}</td>
              <td>
                {r.mode.replaceAll('_', ' ')} · P{r.priority}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>{review ? 'Nothing waiting.' : 'No incidents match.'}</p>}
    </section>
  )
}
