import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { RESPONSE_MODES } from '../../../domain/catalogue/vocabulary.js'
import { ApiError } from '../../lib/api.js'
import { BookAppointment } from '../appointments/book-appointment.js'
import { DispatchPanel } from '../dispatch/dispatch-panel.js'
import { AddCallback } from '../follow-up/add-callback.js'
import {
  addNote,
  changeStatus,
  getIncident,
  type IncidentDetail,
  override,
} from './incidents-api.js'

const DISPOSITIONS = [
  'report_taken',
  'no_report',
  'settled_by_phone',
  'settled_by_contact',
  'referred',
  'information_given',
  'gone_on_arrival',
  'cancelled',
]

/** Everything about one incident: contacts (identity only for allowed roles), history, notes, status. */
export function IncidentPage({ id }: { id: string }) {
  const [detail, setDetail] = useState<IncidentDetail | null>(null)
  const [note, setNote] = useState('')
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    getIncident(id)
      .then(setDetail)
      .catch((err) => setError(err instanceof ApiError ? err.message : 'cannot reach the server'))
  }, [id])
  useEffect(load, [load])

  if (error && !detail) return <p role="alert">{error}</p>
  if (!detail) return <p>Loading…</p>
  const i = detail.incident
  const act = async (f: () => Promise<unknown>) => {
    try {
      await f()
      setError(null)
      load()
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'cannot reach the server')
    }
  }
  const submitNote = (e: FormEvent) => {
    e.preventDefault()
    void act(async () => {
      await addNote(i.id, note)
      setNote('')
    })
  }
  const reviewOverride = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    void act(async () => {
      const changed = await override(i.id, {
        mode: f.get('mode') as string,
        reason: f.get('reason') as string,
        expectedVersion: i.version,
      })
      await changeStatus(i.id, {
        status: 'pending',
        reason: 'reviewed: response chosen',
        expectedVersion: changed.version,
      })
    })
  }
  const close = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const disposition = new FormData(e.currentTarget).get('disposition') as string
    void act(() =>
      changeStatus(i.id, { status: 'closed', disposition, expectedVersion: i.version }),
    )
  }
  return (
    <article className="incident">
      <h1>
        Incident {i.number} · {i.callType}
      </h1>
      <p>
        <strong>{i.status.replace('_', ' ')}</strong>
        {i.disposition && ` (${i.disposition.replaceAll('_', ' ')})`} ·{' '}
        {i.mode.replaceAll('_', ' ')} · priority {i.priority}
        {i.reportNumber && ` · report ${i.reportNumber}`}
      </p>
      <p>
        {i.location?.text ?? 'no location'}
        {i.location?.block && ` · ${i.location.block}`}
        {i.location?.policeDistrict && ` · ${i.location.policeDistrict} district`}
        {i.location?.neighborhood && ` · ${i.location.neighborhood}`}
      </p>
      {i.duplicateOf && (
        <p>
          Duplicate of <a href={`#/incidents/${i.duplicateOf}`}>the original incident</a>
        </p>
      )}
      {i.narrative && <p className="narrative">{i.narrative}</p>}
      <ul className="why">
        {i.triage.explanation.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <DispatchPanel incidentId={i.id} canAssign={Boolean(i.abilities['dispatch:assign'])} />
      {i.abilities['appointment:book'] && i.status !== 'closed' && (
        <BookAppointment incidentId={i.id} />
      )}
      {i.abilities['callback:work'] && i.status !== 'closed' && <AddCallback incidentId={i.id} />}
      <h2>Contacts</h2>
      <ul>
        {detail.contacts.map((c) => (
          <li key={c.id}>
            {new Date(c.receivedAt).toLocaleString()} · {c.channel.replace('_', ' ')} ·{' '}
            {c.anonymous
              ? 'anonymous'
              : c.caller
                ? [c.caller.name, c.caller.phone, c.caller.email].filter(Boolean).join(', ')
                : 'identified caller (restricted)'}
          </li>
        ))}
      </ul>
      <h2>History</h2>
      <ol className="history">
        {detail.events.map((e, n) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only and never reordered
          <li key={`${e.at}-${n}`}>
            {new Date(e.at).toLocaleString()} · {e.actor} · {e.kind.replaceAll('_', ' ')}
            {e.kind === 'note_added' && `: ${String(e.data.text)}`}
            {e.kind === 'status_changed' &&
              `: ${String(e.data.from)} → ${String(e.data.to)}${e.data.disposition ? ` (${String(e.data.disposition).replaceAll('_', ' ')})` : ''}`}
            {e.reason && ` — ${e.reason}`}
          </li>
        ))}
      </ol>
      {i.abilities['incident:update'] && i.status === 'new' && (
        <section aria-labelledby="review-h" className="review">
          <h2 id="review-h">Review</h2>
          <p>
            Recommended: <strong>{i.mode.replaceAll('_', ' ')}</strong>, priority {i.priority}
          </p>
          <button
            type="button"
            onClick={() =>
              act(() =>
                changeStatus(i.id, {
                  status: 'pending',
                  reason: 'reviewed: recommended response accepted',
                  expectedVersion: i.version,
                }),
              )
            }
          >
            Accept the recommended response
          </button>
          <form onSubmit={reviewOverride} aria-label="Choose another response" className="row">
            <label>
              Another response
              <select name="mode" defaultValue="information_only">
                {RESPONSE_MODES.filter((m) => m !== 'transfer_911').map((m) => (
                  <option key={m} value={m}>
                    {m.replaceAll('_', ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Reason
              <input name="reason" required minLength={3} />
            </label>
            <button type="submit">Use this response</button>
          </form>
        </section>
      )}
      {i.abilities['incident:update'] && (
        <>
          <form onSubmit={submitNote} aria-label="Add a note">
            <label className="field">
              Note
              <textarea value={note} onChange={(e) => setNote(e.target.value)} required />
            </label>
            <button type="submit">Add note</button>
          </form>
          {i.status !== 'closed' && i.status !== 'transferred' && (
            <form onSubmit={close} aria-label="Close the incident" className="row">
              <label>
                Disposition
                <select name="disposition" defaultValue="settled_by_phone">
                  {DISPOSITIONS.map((d) => (
                    <option key={d} value={d}>
                      {d.replaceAll('_', ' ')}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit">Close</button>
            </form>
          )}
        </>
      )}
    </article>
  )
}
