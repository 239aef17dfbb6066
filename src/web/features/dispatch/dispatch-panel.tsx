import { useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'
import { type AssignmentRow, assignUnit, type UnitRow } from './dispatch-api.js'

/**
 * On the incident page: the units sent to it, and (for dispatchers) a unit to send. A refusal
 * by the double-dispatch guard is shown as it is, with the dual-dispatch reason to record when
 * the dispatcher means it.
 */
export function DispatchPanel({
  incidentId,
  canAssign,
}: {
  incidentId: string
  canAssign: boolean
}) {
  const [assignments, setAssignments] = useState<AssignmentRow[]>([])
  const [units, setUnits] = useState<UnitRow[]>([])
  const [unitId, setUnitId] = useState('')
  const [role, setRole] = useState<'primary' | 'backup'>('primary')
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null)
  const [reason, setReason] = useState('')
  const [done, setDone] = useState<string | null>(null)

  const load = useCallback(() => {
    api<{ assignments: AssignmentRow[] }>('GET', `/api/incidents/${incidentId}/assignments`)
      .then((r) => setAssignments(r.assignments))
      .catch(() => undefined)
    if (canAssign)
      api<{ units: UnitRow[] }>('GET', '/api/units')
        .then((r) => {
          const free = r.units.filter((u) => u.availability !== 'not_available')
          setUnits(free)
          setUnitId((id) => id || free[0]?.id || '')
        })
        .catch(() => undefined)
  }, [incidentId, canAssign])
  useEffect(load, [load])

  const send = async (dual: boolean) => {
    try {
      const a = await assignUnit({
        incidentId,
        unitId,
        role,
        ...(dual ? { dualDispatch: { reason } } : {}),
      })
      setDone(`${a.callSign} sent${a.dualDispatch ? ' (dual dispatch recorded)' : ''}`)
      setRefusal(null)
      setReason('')
      load()
    } catch (err) {
      setDone(null)
      setRefusal(
        err instanceof ApiError
          ? { code: err.code, message: err.message }
          : { code: 'error', message: 'the dispatch did not go through' },
      )
    }
  }
  const canDouble =
    refusal?.code === 'duplicate_of_dispatched' || refusal?.code === 'already_referred'

  return (
    <section aria-labelledby="units-on-h">
      <h2 id="units-on-h">Units</h2>
      {assignments.length === 0 ? (
        <p>No unit has been sent.</p>
      ) : (
        <ul>
          {assignments.map((a) => (
            <li key={a.id}>
              {a.callSign} ({a.role}) · assigned {new Date(a.assignedAt).toLocaleTimeString()}
              {a.enRouteAt && ` · en route ${new Date(a.enRouteAt).toLocaleTimeString()}`}
              {a.onSceneAt && ` · on scene ${new Date(a.onSceneAt).toLocaleTimeString()}`}
              {a.clearedAt && ` · cleared ${new Date(a.clearedAt).toLocaleTimeString()}`}
              {a.disposition && ` (${a.disposition.replaceAll('_', ' ')})`}
              {a.dualDispatch && ` · dual dispatch: ${a.dualDispatch.reason}`}
            </li>
          ))}
        </ul>
      )}
      {canAssign && (
        <form
          className="row"
          aria-label="Send a unit"
          onSubmit={(e) => {
            e.preventDefault()
            void send(false)
          }}
        >
          <label>
            Unit
            <select value={unitId} onChange={(e) => setUnitId(e.target.value)}>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.callSign} · {u.type.replace('_', ' ')} · {u.availability.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            As
            <select value={role} onChange={(e) => setRole(e.target.value as 'primary' | 'backup')}>
              <option value="primary">primary</option>
              <option value="backup">backup</option>
            </select>
          </label>
          <button type="submit" disabled={!unitId}>
            Send unit
          </button>
        </form>
      )}
      {done && <p role="status">{done}</p>}
      {refusal && (
        <div className="refusal">
          <p role="alert" className="error">
            {refusal.message}
          </p>
          {canDouble && (
            <form
              className="row"
              aria-label="Dual dispatch"
              onSubmit={(e) => {
                e.preventDefault()
                void send(true)
              }}
            >
              <label>
                Send anyway, because
                <input
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  required
                  minLength={5}
                />
              </label>
              <button type="submit">Record dual dispatch and send</button>
            </form>
          )}
        </div>
      )}
    </section>
  )
}
