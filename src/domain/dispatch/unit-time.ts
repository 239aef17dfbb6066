import type { Instant } from '../shared/instant.js'
import type { UnitActivity, UnitStatusEvent } from './unit.js'

/**
 * How a unit's time was spent in a period: committed to calls, free, on problem solving, or
 * out of service. This is the officer-time accounting the evaluation compares before and after
 * a policy (Baltimore's 311 freed little patrol time; DESIGN.md §1).
 */
export interface UnitTime {
  committedMs: number
  freeMs: number
  problemSolvingMs: number
  outOfServiceMs: number
}

const COMMITTED: ReadonlySet<UnitActivity> = new Set([
  'dispatched',
  'en_route',
  'on_scene',
  'report_writing',
])

/**
 * Adds up the time between status changes within [from, to). `history` is the unit's changes
 * oldest first; the activity before the first change is the first change's `from`.
 */
export function unitTime(
  history: readonly UnitStatusEvent[],
  from: Instant,
  to: Instant,
): UnitTime {
  const time: UnitTime = { committedMs: 0, freeMs: 0, problemSolvingMs: 0, outOfServiceMs: 0 }
  if (to <= from) return time
  let activity: UnitActivity | null = history[0]?.from ?? null
  let since = from
  const add = (a: UnitActivity | null, ms: number) => {
    if (ms <= 0) return
    if (a === null) time.freeMs += ms
    else if (a === 'problem_solving') time.problemSolvingMs += ms
    else if (a === 'out_of_service') time.outOfServiceMs += ms
    else if (COMMITTED.has(a)) time.committedMs += ms
  }
  for (const e of history) {
    if (e.at >= to) break
    if (e.at > since) {
      add(activity, e.at - since)
      since = e.at
    }
    activity = e.to
  }
  add(activity, to - since)
  return time
}
