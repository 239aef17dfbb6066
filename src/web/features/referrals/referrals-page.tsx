import { useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

interface ReferralRow {
  id: string
  agency: string
  status: 'sent' | 'acknowledged' | 'closed'
  sentAt: string
  dueAt: string
  escalations: number
  overdue: boolean
  outcome: string | null
  outcomeText: string | null
  incident: {
    id: string
    number: string | null
    callType: string
    priority: number
    location: { text: string } | null
    narrative: string
  }
}

const OUTCOMES: Array<[string, string]> = [
  ['resolved', 'Fixed'],
  ['scheduled', 'Work scheduled'],
  ['no_problem_found', 'No problem found'],
  ['referred_elsewhere', 'Another agency is responsible'],
  ['declined', 'Cannot act (say why)'],
]

/**
 * Referrals for the agency or Neighborhood Service Center (a partner sees only its own):
 * soonest due first, overdue ones marked, acknowledge and close with an outcome.
 */
export function ReferralsPage() {
  const [rows, setRows] = useState<ReferralRow[]>([])
  const [show, setShow] = useState<'open' | 'overdue' | 'all'>('open')
  const [closing, setClosing] = useState<string | null>(null)
  const [outcome, setOutcome] = useState('resolved')
  const [note, setNote] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)

  const refresh = useCallback(() => {
    const q =
      show === 'open' ? 'status=sent,acknowledged' : show === 'overdue' ? 'overdue=true' : ''
    api<{ referrals: ReferralRow[] }>('GET', `/api/referrals?${q}&limit=200`)
      .then((r) => setRows(r.referrals))
      .catch((err) =>
        setMessage({
          text: err instanceof ApiError ? err.message : 'cannot reach the server',
          error: true,
        }),
      )
  }, [show])

  useEffect(() => {
    refresh()
    const source = new EventSource('/api/live')
    source.addEventListener('referral', refresh)
    return () => source.close()
  }, [refresh])

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work()
      setMessage({ text: done, error: false })
      setClosing(null)
      setNote('')
      refresh()
    } catch (err) {
      setMessage({
        text: err instanceof ApiError ? err.message : 'that did not go through',
        error: true,
      })
    }
  }

  return (
    <section className="list" aria-labelledby="ref-h">
      <h1 id="ref-h">Referrals</h1>
      <fieldset className="row">
        <legend>Show</legend>
        {(['open', 'overdue', 'all'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name="show" checked={show === s} onChange={() => setShow(s)} /> {s}
          </label>
        ))}
      </fieldset>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">To</th>
            <th scope="col">What and where</th>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.overdue ? 'late' : ''}>
              <td>{r.incident.number}</td>
              <td>{r.agency}</td>
              <td>
                {r.incident.callType} · P{r.incident.priority}
                <br />
                {r.incident.location?.text ?? '—'}
              </td>
              <td>
                {new Date(r.dueAt).toLocaleString()}
                {r.overdue && (
                  <span className="badge late">
                    {' '}
                    overdue{r.escalations > 0 ? `, escalated ×${r.escalations}` : ''}
                  </span>
                )}
              </td>
              <td>{r.status === 'closed' ? `closed: ${r.outcomeText}` : r.status}</td>
              <td>
                {r.status === 'sent' && (
                  <button
                    type="button"
                    onClick={() =>
                      act(
                        () => api('POST', `/api/referrals/${r.id}/acknowledge`),
                        `${r.incident.number} acknowledged`,
                      )
                    }
                  >
                    Acknowledge {r.incident.number}
                  </button>
                )}
                {r.status !== 'closed' &&
                  (closing === r.id ? (
                    <form
                      className="inline"
                      onSubmit={(e) => {
                        e.preventDefault()
                        void act(
                          () =>
                            api('POST', `/api/referrals/${r.id}/close`, {
                              outcome,
                              ...(note ? { note } : {}),
                            }),
                          `${r.incident.number} closed`,
                        )
                      }}
                    >
                      <label>
                        Outcome
                        <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                          {OUTCOMES.map(([code, label]) => (
                            <option key={code} value={code}>
                              {label}
                            </option>
                          ))}
                        </select>
                      </label>
                      <label>
                        Note for the caller
                        <input
                          value={note}
                          onChange={(e) => setNote(e.target.value)}
                          maxLength={2000}
                        />
                      </label>
                      <button type="submit">Close referral</button>
                    </form>
                  ) : (
                    <button type="button" className="secondary" onClick={() => setClosing(r.id)}>
                      Close {r.incident.number}…
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>No referrals here.</p>}
    </section>
  )
}
