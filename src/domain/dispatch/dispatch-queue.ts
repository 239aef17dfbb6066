import type { ResponseMode } from '../catalogue/vocabulary.js'
import type { LatLon } from '../shared/geo.js'
import { HOUR, type Instant, MINUTE } from '../shared/instant.js'
import type { UnitType } from './unit.js'

/** The unit types that may answer each mode that needs a unit; other modes never queue. */
export const UNIT_TYPES_FOR_MODE: Partial<Record<ResponseMode, readonly UnitType[]>> = {
  dispatch_immediate: ['patrol', 'problem_solving'],
  dispatch_delayed: ['patrol', 'problem_solving'],
  civilian_response: ['civilian', 'nsc'],
}

export function needsUnit(mode: ResponseMode): boolean {
  return UNIT_TYPES_FOR_MODE[mode] !== undefined
}

/** An incident waiting for a unit, as the queue sees it. */
export interface QueuedIncident {
  incidentId: string
  number: number | null
  callType: string
  priority: number
  mode: ResponseMode
  receivedAt: Instant
  /** A delayed response joins the queue only from this time. */
  dueAt: Instant | null
  district: string | null
  beat: string | null
  point: LatLon | null
}

/** One line of the queue; the incident is shared, not copied (the queue is redrawn often). */
export interface QueueLine {
  incident: QueuedIncident
  waitedMs: number
  /** The priority's target, when the scheme has one; `late` once the wait passes it. */
  targetMs: number | null
  late: boolean
}

/**
 * How long a call may wait for a unit before the queue shows it late, by priority. Priority 1
 * gets about the dispatch interval of an emergency (Austin FY2014-15: 1 min 1 s from call
 * processed to dispatched, research/analytics-or-anchors.md); the rest widen with urgency.
 * A department changes them with its priority scheme.
 */
export const QUEUE_TARGETS_MS: Readonly<Record<number, number>> = {
  1: 1 * MINUTE,
  2: 5 * MINUTE,
  3: 20 * MINUTE,
  4: 1 * HOUR,
  5: 4 * HOUR,
}

/**
 * When a response joins the dispatch queue: a delayed response after the hold, counted from
 * `from` (the call, or the moment the response was changed to delayed); every other response
 * at once (null). A booked visit replaces this with the visit's time.
 */
export function dueAtFor(mode: ResponseMode, from: Instant, delayedHoldMs: number): Instant | null {
  return mode === 'dispatch_delayed' ? from + delayedHoldMs : null
}

/** A delayed response waits from when it fell due, not from the call. */
export function queuedSince(q: Pick<QueuedIncident, 'dueAt' | 'receivedAt'>): Instant {
  return q.dueAt ?? q.receivedAt
}

/**
 * The dispatch queue: incidents that are due, most urgent priority first, then longest waiting
 * (priority 1 is most urgent). Ties on both keep the incident number order, so two dispatchers
 * see the same queue.
 */
export function dispatchQueue(
  waiting: readonly QueuedIncident[],
  now: Instant,
  targetMsByPriority: Readonly<Record<number, number>> = QUEUE_TARGETS_MS,
): QueueLine[] {
  return waiting
    .filter((q) => needsUnit(q.mode) && (q.dueAt === null || q.dueAt <= now))
    .sort(
      (a, b) =>
        a.priority - b.priority ||
        queuedSince(a) - queuedSince(b) ||
        (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER),
    )
    .map((q) => {
      const waitedMs = now - queuedSince(q)
      const targetMs = targetMsByPriority[q.priority] ?? null
      return { incident: q, waitedMs, targetMs, late: targetMs !== null && waitedMs > targetMs }
    })
}
