import { type KeyboardEvent, lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import {
  type AssignmentRow,
  assignUnit,
  type Board,
  formatWait,
  loadBoard,
  onLive,
  type QueueRow,
  type Recommendation,
  recallUnit,
  recommend,
  type UnitRow,
} from './dispatch-api.js'

import { RosterAdmin } from './roster-admin.js'

// The map is a large library: load it after the lists are on screen.
const UnitsMap = lazy(() => import('./units-map.js'))

/** A refused dispatch the dispatcher may still send, with a recorded reason. */
interface DualPending {
  incidentId: string
  unitId: string
  callSign: string
  message: string
}

const AVAILABILITY_LABEL: Record<UnitRow['availability'], string> = {
  available: 'Available',
  conditionally_available: 'Interruptible',
  not_available: 'Busy',
}

/**
 * The dispatcher's board: the queue of calls waiting for a unit (most urgent, then longest
 * waiting), the recommended units for the selected call, every unit by status in a list and on
 * the map, and the work under way. Assign with the keyboard (↑ ↓ to choose, 1–5 to send) or by
 * dragging a call onto a unit. Live over Server-Sent Events.
 */
export function DispatchBoard({ canManageUnits = false }: { canManageUnits?: boolean }) {
  const [board, setBoard] = useState<Board | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [recs, setRecs] = useState<Recommendation[]>([])
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [dual, setDual] = useState<DualPending | null>(null)
  const [dualReason, setDualReason] = useState('')

  const refresh = useCallback(() => {
    loadBoard()
      .then(setBoard)
      .catch((err) =>
        setMessage({
          text: err instanceof ApiError ? err.message : 'cannot reach the server',
          error: true,
        }),
      )
  }, [])

  useEffect(() => {
    refresh()
    let timer: ReturnType<typeof setTimeout> | null = null
    // Many changes arrive together (a unit and its incident): redraw once for them.
    const stop = onLive(['incident', 'unit', 'assignment'], () => {
      timer ??= setTimeout(() => {
        timer = null
        refresh()
      }, 300)
    })
    // Waits grow even when nothing happens.
    const tick = setInterval(refresh, 15_000)
    return () => {
      stop()
      clearInterval(tick)
      if (timer) clearTimeout(timer)
    }
  }, [refresh])

  // Keep a call selected: the first in the queue when nothing (or a call now gone) is.
  useEffect(() => {
    if (!board) return
    if (!selected || !board.queue.some((q) => q.incidentId === selected))
      setSelected(board.queue[0]?.incidentId ?? null)
  }, [board, selected])

  useEffect(() => {
    if (!selected) {
      setRecs([])
      return
    }
    recommend(selected)
      .then((r) => setRecs(r.units))
      .catch(() => setRecs([]))
  }, [selected])

  const send = async (
    incidentId: string,
    unit: Pick<UnitRow, 'id' | 'callSign'>,
    reason?: string,
  ) => {
    const q = board?.queue.find((x) => x.incidentId === incidentId)
    try {
      await assignUnit({
        incidentId,
        unitId: unit.id,
        role: 'primary',
        ...(reason ? { dualDispatch: { reason } } : {}),
      })
      setMessage({ text: `${unit.callSign} sent to ${q?.number ?? 'the call'}`, error: false })
      setDual(null)
      setDualReason('')
      refresh()
    } catch (err) {
      if (
        err instanceof ApiError &&
        (err.code === 'duplicate_of_dispatched' || err.code === 'already_referred')
      ) {
        setDual({ incidentId, unitId: unit.id, callSign: unit.callSign, message: err.message })
        return
      }
      setMessage({
        text: err instanceof ApiError ? err.message : 'the assignment failed',
        error: true,
      })
    }
  }

  const onQueueKey = (e: KeyboardEvent) => {
    if (!board || board.queue.length === 0) return
    const i = board.queue.findIndex((q) => q.incidentId === selected)
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const next =
        board.queue[
          Math.min(board.queue.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))
        ]
      if (next) setSelected(next.incidentId)
    } else if (/^[1-5]$/.test(e.key) && selected) {
      const rec = recs[Number(e.key) - 1]
      if (rec) {
        e.preventDefault()
        void send(selected, rec.unit)
      }
    }
  }

  const recall = async (a: AssignmentRow) => {
    const reason = window.prompt(`Why recall ${a.callSign} from ${a.incidentNumber ?? 'the call'}?`)
    if (!reason) return
    try {
      await recallUnit(a.id, reason)
      refresh()
    } catch (err) {
      setMessage({ text: err instanceof ApiError ? err.message : 'the recall failed', error: true })
    }
  }

  if (!board) return <p className="loading">Loading the board…</p>
  const selectedRow = board.queue.find((q) => q.incidentId === selected) ?? null
  const byUnit = new Map(board.active.filter((a) => a.role === 'primary').map((a) => [a.unitId, a]))

  return (
    <section className="board" aria-label="Dispatch board">
      <h1>Dispatch</h1>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
      {dual && (
        <form
          className="dual"
          aria-label="Dual dispatch"
          onSubmit={(e) => {
            e.preventDefault()
            void send(dual.incidentId, { id: dual.unitId, callSign: dual.callSign }, dualReason)
          }}
        >
          <p role="alert" className="error">
            {dual.message}
          </p>
          <label>
            Send {dual.callSign} anyway, because
            <input
              value={dualReason}
              onChange={(e) => setDualReason(e.target.value)}
              required
              minLength={5}
            />
          </label>
          <button type="submit">Record dual dispatch and send</button>
          <button type="button" className="link" onClick={() => setDual(null)}>
            Do not send
          </button>
        </form>
      )}
      <div className="board-grid">
        <div>
          <h2 id="queue-h">
            Waiting for a unit ({board.queueTotal}
            {board.queueTotal > board.queue.length
              ? `, the ${board.queue.length} most urgent shown`
              : ''}
            )
          </h2>
          <p className="hint" id="queue-keys">
            ↑ ↓ choose a call · 1–5 send the recommended unit · or drag a call onto a unit
          </p>
          <table
            className="queue"
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the queue is a keyboard-operated grid (WAI-ARIA grid pattern)
            role="grid"
            aria-labelledby="queue-h"
            aria-describedby="queue-keys"
            tabIndex={0}
            onKeyDown={onQueueKey}
            aria-activedescendant={selected ? `q-${selected}` : undefined}
          >
            <thead>
              <tr>
                <th scope="col">P</th>
                <th scope="col">Number</th>
                <th scope="col">Call type</th>
                <th scope="col">Area</th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {board.queue.map((q) => (
                <QueueLine
                  key={q.incidentId}
                  q={q}
                  selected={q.incidentId === selected}
                  onSelect={() => setSelected(q.incidentId)}
                />
              ))}
            </tbody>
          </table>
          {board.queue.length === 0 && <p>No call is waiting.</p>}
          {board.held.length > 0 && (
            <details>
              <summary>Delayed responses not yet due ({board.heldTotal})</summary>
              <ul>
                {board.held.map((h) => (
                  <li key={h.incidentId}>
                    {h.number} {h.callType} · P{h.priority} · due{' '}
                    {new Date(h.dueAt ?? '').toLocaleTimeString()}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
        <div>
          <h2 id="rec-h">
            Recommended for {selectedRow ? `${selectedRow.number} (${selectedRow.callType})` : '—'}
          </h2>
          {selectedRow && recs.length === 0 && <p>No unit of the right kind is free.</p>}
          <ol className="recs" aria-labelledby="rec-h">
            {recs.map((r, i) => (
              <li key={r.unit.id}>
                <kbd>{i + 1}</kbd> <strong>{r.unit.callSign}</strong> {r.reasons.join(' · ')}{' '}
                <button
                  type="button"
                  onClick={() => selectedRow && send(selectedRow.incidentId, r.unit)}
                >
                  Send {r.unit.callSign}
                </button>
              </li>
            ))}
          </ol>
          <h2 id="units-h">Units</h2>
          <table className="units" aria-labelledby="units-h">
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <th scope="col">Kind</th>
                <th scope="col">Area</th>
                <th scope="col">Status</th>
                <th scope="col">Call</th>
              </tr>
            </thead>
            <tbody>
              {board.units
                .filter((u) => u.onDuty)
                .map((u) => {
                  const a = byUnit.get(u.id)
                  return (
                    <tr
                      key={u.id}
                      className={u.availability}
                      onDragOver={(e) => u.availability !== 'not_available' && e.preventDefault()}
                      onDrop={(e) => {
                        e.preventDefault()
                        const incidentId = e.dataTransfer.getData('text/incident')
                        if (incidentId) void send(incidentId, u)
                      }}
                      data-unit={u.callSign}
                    >
                      <th scope="row">{u.callSign}</th>
                      <td>
                        {u.type.replace('_', ' ')}
                        {u.splitForceRole === 'problem_solving' ? ' (PS)' : ''}
                      </td>
                      <td>{[u.district, u.beat].filter(Boolean).join(' / ') || '—'}</td>
                      <td>
                        {AVAILABILITY_LABEL[u.availability]}
                        {u.activity ? ` · ${u.activity.replace('_', ' ')}` : ''}
                      </td>
                      <td>
                        {a ? (
                          <>
                            <a href={`#/incidents/${a.incidentId}`}>{a.incidentNumber}</a>{' '}
                            <button type="button" className="link" onClick={() => recall(a)}>
                              Recall
                            </button>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  )
                })}
            </tbody>
          </table>
        </div>
      </div>
      {canManageUnits && <RosterAdmin onChanged={refresh} />}
      <Suspense fallback={<div className="map" />}>
        <UnitsMap
          units={board.units.filter((u) => u.onDuty)}
          queue={board.queue}
          selected={selected}
        />
      </Suspense>
    </section>
  )
}

function QueueLine({
  q,
  selected,
  onSelect,
}: {
  q: QueueRow
  selected: boolean
  onSelect: () => void
}) {
  return (
    <tr
      id={`q-${q.incidentId}`}
      className={`${selected ? 'selected' : ''} ${q.late ? 'late' : ''}`}
      aria-selected={selected}
      onClick={onSelect}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData('text/incident', q.incidentId)
        onSelect()
      }}
    >
      <td>
        <span className={`prio p${q.priority}`}>{q.priority}</span>
      </td>
      <td>
        <a href={`#/incidents/${q.incidentId}`}>{q.number}</a>
      </td>
      <td>{q.callType}</td>
      <td>{[q.district, q.beat].filter(Boolean).join(' / ') || '—'}</td>
      <td>
        {formatWait(q.waitedMs)}
        {q.late && <span className="badge late"> late</span>}
      </td>
    </tr>
  )
}
