import { useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'
import { num } from './analytics-api.js'

interface Job {
  id: string
  status: 'running' | 'done' | 'failed'
  done: number
  total: number
  error: string | null
  report: {
    rows: number
    imported: number
    alreadyImported: number
    unplaced: number
    unmappedCallTypes: Array<{ code: string; calls: number }>
    problemCount: number
    problems: Array<{ path: string; message: string }>
    seconds: number
  } | null
}

/**
 * 911 history from the CAD, uploaded from the workspace: the file goes up, the import runs on
 * the server, and the bar follows it; the summary says what did not match.
 */
export function HistoryImport(props: { onImported: () => void }) {
  const [mappings, setMappings] = useState<string[]>([])
  const [mapping, setMapping] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [job, setJob] = useState<Job | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)

  useEffect(() => {
    api<{ mappings: string[] }>('GET', '/api/history/mappings')
      .then((r) => {
        setMappings(r.mappings)
        setMapping((m) => m || r.mappings[0] || '')
      })
      .catch(() => setMappings([]))
  }, [])

  const running = job?.status === 'running'
  const { onImported } = props
  useEffect(() => {
    if (job?.status !== 'running') return
    const t = setTimeout(() => {
      api<Job>('GET', `/api/history/imports/${job.id}`)
        .then((j) => {
          setJob(j)
          if (j.status === 'done') onImported()
        })
        .catch((err) => setError(err instanceof ApiError ? err.message : 'cannot reach the server'))
    }, 400)
    return () => clearTimeout(t)
  }, [job, onImported])

  const upload = async () => {
    if (!file) return
    setError(null)
    setSending(true)
    try {
      setJob(
        await api<Job>('POST', `/api/history/imports?mapping=${mapping}`, file, {
          'content-type': 'text/csv',
        }),
      )
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'cannot reach the server')
    } finally {
      setSending(false)
    }
  }

  const r = job?.report
  return (
    <details className="panel history-import">
      <summary>Import 911 calls from the CAD</summary>
      <form
        aria-label="Import 911 calls"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault()
          void upload()
        }}
      >
        <label>
          CAD export (CSV)
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          Format
          <select value={mapping} onChange={(e) => setMapping(e.target.value)}>
            {mappings.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!file || sending || running}>
          {sending ? 'Sending…' : 'Import'}
        </button>
      </form>
      {job && (
        <div>
          <label>
            {running ? 'Importing' : job.status === 'done' ? 'Imported' : 'Stopped'}{' '}
            <progress max={Math.max(1, job.total)} value={job.done} /> {num(job.done)} of{' '}
            {num(job.total)} calls
          </label>
        </div>
      )}
      <p role="status">
        {r &&
          `${num(r.imported)} calls imported, ${num(r.alreadyImported)} already there, in ${r.seconds} s. ${num(r.unplaced)} had no block or point.${r.unmappedCallTypes.length ? ` CAD codes with no call type: ${r.unmappedCallTypes.map((u) => `${u.code || '(blank)'} ×${u.calls}`).join(', ')}.` : ''}${r.problemCount ? ` ${r.problemCount} rows could not be read.` : ''}`}
      </p>
      {r && r.problems.length > 0 && (
        <ul className="plain">
          {r.problems.slice(0, 10).map((p) => (
            <li key={p.path}>
              {p.path}: {p.message}
            </li>
          ))}
        </ul>
      )}
      {(error || job?.error) && (
        <p role="alert" className="error">
          {error ?? job?.error}
        </p>
      )}
    </details>
  )
}
