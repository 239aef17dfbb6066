import { useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'
import {
  type AssignmentRow,
  clearAssignment,
  formatWait,
  onLive,
  stepAssignment,
  type UnitRow,
} from './dispatch-api.js'

interface MyUnit {
  unit: UnitRow | null
  assignment: AssignmentRow | null
  incident: {
    id: string
    number: string | null
    callType: string
    priority: number
    location: { text: string; block: string | null } | null
    narrative: string
  } | null
  shiftTime: {
    committedMs: number
    freeMs: number
    problemSolvingMs: number
    outOfServiceMs: number
  } | null
}

/** Dispositions an officer clears with, in the order they are most used. */
const CLEARS: Array<[string, string]> = [
  ['settled_by_contact', 'Settled by contact'],
  ['report_taken', 'Report taken'],
  ['no_report', 'No report'],
  ['gone_on_arrival', 'Gone on arrival'],
  ['arrest', 'Arrest'],
  ['referred', 'Referred to partner agency'],
  ['cancelled', 'Cancelled'],
]

/**
 * The officer's phone: the unit they are signed on to, the call it is on, big status buttons,
 * and how the shift's time went (committed, free, problem solving).
 */
export function OfficerView() {
  const [mine, setMine] = useState<MyUnit | null>(null)
  const [units, setUnits] = useState<UnitRow[]>([])
  const [disposition, setDisposition] = useState('settled_by_contact')
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(() => {
    api<MyUnit>('GET', '/api/my-unit')
      .then((m) => {
        setMine(m)
        if (!m.unit)
          api<{ units: UnitRow[] }>('GET', '/api/units')
            .then((r) => setUnits(r.units))
            .catch(() => undefined)
      })
      .catch((err) => setError(err instanceof ApiError ? err.message : 'cannot reach the server'))
  }, [])

  useEffect(() => {
    refresh()
    return onLive(['unit', 'assignment'], refresh)
  }, [refresh])

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work()
      setError(null)
      refresh()
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'that did not go through; try again')
    }
  }
  const setActivity = (activity: string | null) =>
    act(() =>
      api('POST', `/api/units/${mine?.unit?.id}/status`, {
        activity,
        version: mine?.unit?.version,
      }),
    )

  if (!mine) return <p className="loading">Loading…</p>
  const { unit, assignment, incident, shiftTime } = mine
  return (
    <section className="officer" aria-label="My unit">
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!unit ? (
        <>
          <h1>Sign on to a unit</h1>
          <ul className="big-list">
            {units
              .filter((u) => !u.crew)
              .map((u) => (
                <li key={u.id}>
                  <button
                    type="button"
                    onClick={() => act(() => api('POST', `/api/units/${u.id}/sign-on`, {}))}
                  >
                    {u.callSign} · {u.type.replace('_', ' ')} {u.district ?? ''}
                  </button>
                </li>
              ))}
          </ul>
        </>
      ) : (
        <>
          <h1>
            {unit.callSign}{' '}
            <span className={`status ${unit.availability}`}>
              {unit.activity?.replace('_', ' ') ?? 'in service'}
            </span>
          </h1>
          {assignment && incident ? (
            <article className="call-card" aria-label="Current call">
              <h2>
                P{incident.priority} · {incident.callType} · {incident.number}
              </h2>
              <p className="where">{incident.location?.text ?? 'no location'}</p>
              {incident.narrative && <p>{incident.narrative}</p>}
              <div className="big-buttons">
                {!assignment.enRouteAt && (
                  <button
                    type="button"
                    onClick={() => act(() => stepAssignment(assignment.id, 'en-route'))}
                  >
                    En route
                  </button>
                )}
                {assignment.enRouteAt && !assignment.onSceneAt && (
                  <button
                    type="button"
                    onClick={() => act(() => stepAssignment(assignment.id, 'on-scene'))}
                  >
                    On scene
                  </button>
                )}
              </div>
              <form
                className="clear"
                onSubmit={(e) => {
                  e.preventDefault()
                  void act(() => clearAssignment(assignment.id, disposition))
                }}
              >
                <label>
                  Disposition
                  <select value={disposition} onChange={(e) => setDisposition(e.target.value)}>
                    {CLEARS.map(([code, label]) => (
                      <option key={code} value={code}>
                        {label}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit">Clear</button>
              </form>
            </article>
          ) : (
            <div className="big-buttons">
              {unit.activity === null && (
                <>
                  <button type="button" onClick={() => setActivity('problem_solving')}>
                    Start problem solving
                  </button>
                  <button type="button" onClick={() => setActivity('report_writing')}>
                    Report writing
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setActivity('out_of_service')}
                  >
                    Out of service
                  </button>
                </>
              )}
              {unit.activity !== null && (
                <button type="button" onClick={() => setActivity(null)}>
                  Back in service
                </button>
              )}
            </div>
          )}
          {shiftTime && (
            <dl className="shift-time" aria-label="The last 12 hours">
              <dt>On calls</dt>
              <dd>{formatWait(shiftTime.committedMs)}</dd>
              <dt>Problem solving</dt>
              <dd>{formatWait(shiftTime.problemSolvingMs)}</dd>
              <dt>Free</dt>
              <dd>{formatWait(shiftTime.freeMs)}</dd>
            </dl>
          )}
        </>
      )}
    </section>
  )
}
