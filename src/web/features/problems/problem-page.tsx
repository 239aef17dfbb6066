import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import { BeforeAfterChart, changeText, pText } from './before-after-chart.js'
import { OwnerSelect } from './owner-select.js'
import {
  addNote,
  getProblem,
  linkIncidents,
  moveStage,
  type Owner,
  type ProblemDetail,
  type ProblemEvent,
  problemOwners,
  STAGE_LABELS,
  STAGES,
  setOwner,
  setResponseStart,
  splitList,
  unlinkIncident,
} from './problems-api.js'

/** What each SARA stage asks of the people working the problem. */
const STAGE_HINTS: Record<(typeof STAGES)[number], string> = {
  scanning: 'Spot the pattern and say what the problem is',
  analysis: 'Find out why it happens here: who, when, what makes it possible',
  response: 'Act on the causes, with partners',
  assessment: 'Check whether it worked: calls before and after the response',
  closed: 'Done: the assessment is recorded',
}

const WINDOWS = [14, 28, 56, 91, 182, 365]

/**
 * One problem: where it stands in SARA (and the buttons to move it), who owns it, the calls
 * linked to it, notes and history, and whether calls on its blocks fell after the response.
 */
export function ProblemPage({ id }: { id: string }) {
  const [p, setP] = useState<ProblemDetail | null>(null)
  const [windowDays, setWindowDays] = useState(28)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [owners, setOwners] = useState<Owner[]>([])

  const load = useCallback(() => {
    getProblem(id, windowDays)
      .then(setP)
      .catch((err) =>
        setMessage({
          text: err instanceof ApiError ? err.message : 'cannot reach the server',
          error: true,
        }),
      )
  }, [id, windowDays])
  useEffect(load, [load])

  const canManage = Boolean(p?.abilities['problem:manage'])
  useEffect(() => {
    if (canManage)
      problemOwners()
        .then((r) => setOwners(r.owners))
        .catch(() => setOwners([]))
  }, [canManage])

  const act = async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
    try {
      await work()
      setMessage({ text: done, error: false })
      load()
      return true
    } catch (err) {
      setMessage({
        text: err instanceof ApiError ? err.message : 'that did not go through',
        error: true,
      })
      return false
    }
  }

  if (!p)
    return (
      <section className="list problems">
        {message ? (
          <p role="alert" className="error">
            {message.text}
          </p>
        ) : (
          <p className="loading">Loading…</p>
        )}
      </section>
    )

  const notes = p.events.filter((e) => e.kind === 'note')
  return (
    <section className="list problems problem" aria-labelledby="problem-h">
      <p>
        <a href="#/problems">← All problems</a>
      </p>
      <h1 id="problem-h">
        {p.number} · {p.title}
      </h1>
      {p.description && <p className="narrative">{p.description}</p>}
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}

      <Stepper p={p} act={act} />

      <div className="problem-grid">
        <section aria-labelledby="where-h" className="panel">
          <h2 id="where-h">Where and who</h2>
          <dl className="facts">
            <dt>Street blocks</dt>
            <dd>{p.blocks.length > 0 ? p.blocks.join('; ') : '—'}</dd>
            {p.cells.length > 0 && (
              <>
                <dt>H3 cells</dt>
                <dd>{p.cells.length}</dd>
              </>
            )}
            <dt>Owner</dt>
            <dd>
              {p.owner
                ? `${p.owner.kind === 'officer' ? 'Officer ' : ''}${p.owner.name}`
                : 'Nobody yet'}
            </dd>
            <dt>Response began</dt>
            <dd>
              {p.responseStart ?? 'not yet'}
              {p.responseStart && !p.responseStartSetByHand ? ' (when it entered Response)' : ''}
            </dd>
          </dl>
          {canManage && (
            <>
              <OwnerForm p={p} owners={owners} act={act} />
              <ResponseStartForm p={p} act={act} />
            </>
          )}
        </section>

        <section aria-labelledby="ba-h" className="panel">
          <h2 id="ba-h">Calls before and after the response</h2>
          <label>
            Days on each side{' '}
            <select value={windowDays} onChange={(e) => setWindowDays(Number(e.target.value))}>
              {WINDOWS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
          {p.counts.provisional && (
            <p className="hint">
              The response has not started: these are the last {windowDays} days. Counting after
              begins when the problem enters Response (or from the date set above).
            </p>
          )}
          <BeforeAfterChart counts={p.counts} />
          <table className="ba-table">
            <caption className="sr-only">Calls on the problem's places</caption>
            <thead>
              <tr>
                <th scope="col">Calls</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Change a day</th>
                <th scope="col">Chance alone?</th>
              </tr>
            </thead>
            <tbody>
              {(['311', '911'] as const).map((s) => {
                const r = p.counts[s]
                return (
                  <tr key={s}>
                    <th scope="row">{s}</th>
                    <td>
                      {r.before.count} in {r.before.days} days
                      <br />
                      <small>
                        {r.before.from} – {r.before.to}
                      </small>
                    </td>
                    <td>
                      {r.after.days > 0 ? `${r.after.count} in ${r.after.days} days` : '—'}
                      {r.after.days > 0 && (
                        <>
                          <br />
                          <small>
                            {r.after.from} – {r.after.to}
                          </small>
                        </>
                      )}
                    </td>
                    <td>{changeText(r)}</td>
                    <td>
                      {pText(r.pValue)}
                      {r.pValue !== null &&
                        (r.significant ? ' (unlikely by chance)' : ' (could be chance)')}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </section>
      </div>

      <Incidents p={p} canManage={canManage} act={act} />

      <section aria-labelledby="notes-h">
        <h2 id="notes-h">Notes</h2>
        {notes.length === 0 ? (
          <p>No notes yet.</p>
        ) : (
          <ul className="notes">
            {notes.map((n) => (
              <li key={`${n.at}-${n.actor}-${n.text}`}>
                <span className="when">
                  {new Date(n.at).toLocaleString()} · {n.actor}
                </span>
                <p>{n.text}</p>
              </li>
            ))}
          </ul>
        )}
        {p.abilities['problem:work'] && <NoteForm p={p} act={act} />}
      </section>

      <details className="history">
        <summary>History ({p.events.length})</summary>
        <ol>
          {p.events.map((e) => (
            <li key={`${e.at}-${e.kind}-${JSON.stringify(e.data)}`}>
              {new Date(e.at).toLocaleString()} · {e.actor}: {describe(e)}
            </li>
          ))}
        </ol>
      </details>
    </section>
  )
}

type Act = (work: () => Promise<unknown>, done: string) => Promise<boolean>

/** SARA as a row of steps, the current one marked, with the buttons to move on or back. */
function Stepper({ p, act }: { p: ProblemDetail; act: Act }) {
  const [note, setNote] = useState('')
  const [goingBack, setGoingBack] = useState(false)
  const [reason, setReason] = useState('')
  const at = STAGES.indexOf(p.stage)
  const next = STAGES[at + 1]
  const prev = STAGES[at - 1]
  const canWork = p.abilities['problem:work']

  const advance = async (e: FormEvent) => {
    e.preventDefault()
    if (!next) return
    const ok = await act(
      () =>
        moveStage(p.id, {
          direction: 'advance',
          from: p.stage,
          ...(note.trim() ? { text: note } : {}),
        }),
      `Moved to ${STAGE_LABELS[next]}`,
    )
    if (ok) setNote('')
  }
  const back = async (e: FormEvent) => {
    e.preventDefault()
    if (!prev) return
    const ok = await act(
      () => moveStage(p.id, { direction: 'back', from: p.stage, text: reason }),
      `Moved back to ${STAGE_LABELS[prev]}`,
    )
    if (ok) {
      setReason('')
      setGoingBack(false)
    }
  }

  return (
    <section aria-labelledby="sara-h" className="sara-box">
      <h2 id="sara-h" className="sr-only">
        SARA stage
      </h2>
      <ol className="sara" aria-label="SARA stages">
        {STAGES.map((s, i) => (
          <li
            key={s}
            className={i < at ? 'done' : i === at ? 'current' : 'todo'}
            aria-current={i === at ? 'step' : undefined}
          >
            <span className="dot" aria-hidden="true">
              {i < at ? '✓' : i + 1}
            </span>
            <span className="name">{STAGE_LABELS[s]}</span>
            {i < at && <span className="sr-only"> (done)</span>}
          </li>
        ))}
      </ol>
      <p className="hint">{STAGE_HINTS[p.stage]}</p>
      {canWork && (
        <div className="stage-actions">
          {next && (
            <form className="inline" aria-label="Move to the next stage" onSubmit={advance}>
              <label>
                Note for this step (optional){' '}
                <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} />
              </label>
              <button type="submit">Move to {STAGE_LABELS[next]}</button>
            </form>
          )}
          {prev &&
            (goingBack ? (
              <form className="inline" aria-label="Move back a stage" onSubmit={back}>
                <label>
                  Why go back to {STAGE_LABELS[prev]}?{' '}
                  <input
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    required
                    maxLength={4000}
                  />
                </label>
                <button type="submit">Move back</button>
                <button type="button" className="secondary" onClick={() => setGoingBack(false)}>
                  Cancel
                </button>
              </form>
            ) : (
              <button type="button" className="secondary" onClick={() => setGoingBack(true)}>
                Back to {STAGE_LABELS[prev]}…
              </button>
            ))}
        </div>
      )}
    </section>
  )
}

function OwnerForm({ p, owners, act }: { p: ProblemDetail; owners: Owner[]; act: Act }) {
  const [value, setValue] = useState(p.owner ? `${p.owner.kind}:${p.owner.id}` : '')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const chosen = owners.find((o) => `${o.kind}:${o.id}` === value)
    if (chosen)
      void act(
        () => setOwner(p.id, { kind: chosen.kind, id: chosen.id }),
        `${chosen.name} owns it now`,
      )
  }
  return (
    <form className="inline" aria-label="Owner" onSubmit={submit}>
      <OwnerSelect owners={owners} value={value} onChange={setValue} label="Give it to" />
      <button type="submit" disabled={!value}>
        Set owner
      </button>
    </form>
  )
}

function ResponseStartForm({ p, act }: { p: ProblemDetail; act: Act }) {
  const [day, setDay] = useState(p.responseStart ?? '')
  return (
    <form
      className="inline"
      aria-label="Response start"
      onSubmit={(e) => {
        e.preventDefault()
        void act(() => setResponseStart(p.id, day), `Counts now split on ${day}`)
      }}
    >
      <label>
        Response began on{' '}
        <input type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
      </label>
      <button type="submit" className="secondary">
        Set date
      </button>
    </form>
  )
}

function Incidents({ p, canManage, act }: { p: ProblemDetail; canManage: boolean; act: Act }) {
  const [refs, setRefs] = useState('')
  return (
    <section aria-labelledby="incidents-h">
      <h2 id="incidents-h">Linked calls ({p.incidentCount})</h2>
      {canManage && (
        <form
          className="inline link-calls"
          aria-label="Link calls"
          onSubmit={async (e) => {
            e.preventDefault()
            const list = splitList(refs)
            if (list.length === 0) return
            if (await act(() => linkIncidents(p.id, list), `Linked ${list.join(', ')}`)) setRefs('')
          }}
        >
          <label>
            Incident numbers{' '}
            <input
              value={refs}
              onChange={(e) => setRefs(e.target.value)}
              placeholder="311-0000123, 311-0000124"
            />
          </label>
          <button type="submit">Link</button>
        </form>
      )}
      {p.incidents.length === 0 ? (
        <p>No calls linked yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">What</th>
              <th scope="col">Where</th>
              <th scope="col">Received</th>
              <th scope="col">Status</th>
              {canManage && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {p.incidents.map((i) => (
              <tr key={i.id}>
                <td>
                  <a href={`#/incidents/${i.id}`}>{i.number}</a>
                </td>
                <td>
                  {i.callType} · P{i.priority}
                </td>
                <td>{i.location?.block ?? i.location?.text ?? '—'}</td>
                <td>{new Date(i.receivedAt).toLocaleString()}</td>
                <td>{i.status}</td>
                {canManage && (
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() =>
                        void act(() => unlinkIncident(p.id, i.id), `Unlinked ${i.number}`)
                      }
                    >
                      Unlink {i.number}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function NoteForm({ p, act }: { p: ProblemDetail; act: Act }) {
  const [text, setText] = useState('')
  return (
    <form
      className="stack"
      aria-label="Add a note"
      onSubmit={async (e) => {
        e.preventDefault()
        if (await act(() => addNote(p.id, text), 'Note added')) setText('')
      }}
    >
      <label>
        Add a note
        <textarea
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={4000}
        />
      </label>
      <button type="submit" disabled={!text.trim()}>
        Add note
      </button>
    </form>
  )
}

/** A history entry in words. */
function describe(e: ProblemEvent): string {
  const d = e.data
  const stage = (s: unknown) => STAGE_LABELS[s as (typeof STAGES)[number]] ?? String(s)
  switch (e.kind) {
    case 'created':
      return `opened (${String(d.blocks)} blocks, ${String(d.cells)} cells, ${String(d.incidents)} calls)`
    case 'stage_changed':
      return `${d.back ? 'moved back' : 'moved'} from ${stage(d.from)} to ${stage(d.to)}${e.text ? `: ${e.text}` : ''}`
    case 'owner_set':
      return `owner set to ${(d.to as Owner | null)?.name ?? 'nobody'}`
    case 'incident_linked':
      return 'linked a call'
    case 'incident_unlinked':
      return 'unlinked a call'
    case 'response_start_set':
      return `response start set to ${String(d.to)}`
    case 'note':
      return `note: ${e.text ?? ''}`
    default:
      return e.kind
  }
}
