import { useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

/** On the incident page: owe the caller a callback by a time, with what it is for. */
export function AddCallback({ incidentId }: { incidentId: string }) {
  const [due, setDue] = useState('')
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  return (
    <form
      className="row"
      aria-label="Add a callback"
      onSubmit={async (e) => {
        e.preventDefault()
        try {
          await api('POST', `/api/incidents/${incidentId}/callbacks`, {
            dueAt: new Date(due).toISOString(),
            reason,
          })
          setMessage({ text: `Callback due ${new Date(due).toLocaleString()} added`, error: false })
          setReason('')
        } catch (err) {
          setMessage({
            text: err instanceof ApiError ? err.message : 'cannot reach the server',
            error: true,
          })
        }
      }}
    >
      <label>
        Call back by
        <input
          type="datetime-local"
          value={due}
          onChange={(e) => setDue(e.target.value)}
          required
        />
      </label>
      <label>
        About
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={3}
          maxLength={300}
        />
      </label>
      <button type="submit">Add callback</button>
      {message && (
        <span role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>
          {message.text}
        </span>
      )}
    </form>
  )
}
