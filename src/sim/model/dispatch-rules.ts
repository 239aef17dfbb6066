/**
 * Dispatch in the simulator follows the production rules in src/domain/dispatch, derived from
 * them when the model is built rather than re-stated:
 *
 * - Which forces may take a call, and in which order of preference, comes from running the
 *   production recommendUnits() over one prototype unit of each force, for every response mode
 *   and priority. Call-response units come before problem-solving units; a problem-solving unit
 *   busy on its problem is conditionally available and is pulled only for an urgent call;
 *   civilian responders take civilian responses.
 * - Which modes need a unit at all is the production needsUnit(); when a delayed response joins
 *   the queue is the production dueAtFor() and queuedSince().
 * - The queue order is the production dispatchQueue() order (priority, then longest waiting,
 *   then incident number), packed into one number per call (`queueKey`) so a typed-array heap
 *   can keep it; dispatch-rules.test.ts checks the packing against dispatchQueue() itself.
 * - The double-dispatch guard is the production clearDispatch(): asked once whether it refuses
 *   a second primary unit for a linked duplicate.
 *
 * Non-preemptive: a unit on a call is never taken off it; only problem solving gives way.
 */
import { RESPONSE_MODES } from '../../domain/catalogue/vocabulary.js'
import { clearDispatch } from '../../domain/dispatch/dispatch-guard.js'
import { needsUnit } from '../../domain/dispatch/dispatch-queue.js'
import { recommendUnits } from '../../domain/dispatch/recommend-units.js'
import type { Unit } from '../../domain/dispatch/unit.js'
import type { Force } from './scenario.js'
import { FORCES } from './scenario.js'

/** Force indexes as the simulator stores them (FORCES order). */
export const CALL_RESPONSE = 0
export const PROBLEM_SOLVING = 1
export const CIVILIAN = 2

/** The prototype of each force as the production rules see it when it is not on a call. */
const PROTOTYPES: Record<Force, Unit> = {
  call_response: prototype('call_response', 'patrol', 'call_response', null),
  // A problem-solving unit between calls is working its problem: conditionally available.
  problem_solving: prototype('problem_solving', 'patrol', 'problem_solving', 'problem_solving'),
  civilian: prototype('civilian', 'civilian', null, null),
}

function prototype(
  id: Force,
  type: Unit['type'],
  role: Unit['splitForceRole'],
  activity: Unit['activity'],
): Unit {
  return {
    id,
    callSign: id,
    type,
    splitForceRole: role,
    shift: null,
    district: null,
    beat: null,
    activity,
    assignmentId: null,
    position: null,
    onDuty: true,
    crew: null,
    updatedAt: 0,
    version: 1,
  }
}

/** Lowest and highest priority values the tables cover. */
export const MAX_PRIORITY = 99

export interface DispatchRules {
  /**
   * Forces to try, best first, for [mode·(MAX_PRIORITY+1) + priority]; an empty list = the mode
   * needs no unit.
   */
  preference: Int8Array[]
  /** Which queue a mode's calls wait in (−1 = needs no unit). Modes with the same preference
   * table share a queue, as they share the one dispatch queue in production. */
  queueOfMode: Int8Array
  queueCount: number
  /** For each queue and force: the least urgent priority the force may take from it (−1 = none). */
  leastUrgentFor: Int16Array
  /** True when the production guard refuses a second primary unit for a linked duplicate. */
  guardRefusesLinkedDuplicate: boolean
}

export function buildDispatchRules(priorities: readonly number[]): DispatchRules {
  const units = FORCES.map((f) => PROTOTYPES[f])
  const stride = MAX_PRIORITY + 1
  const preference: Int8Array[] = new Array(RESPONSE_MODES.length * stride)
  const empty = new Int8Array(0)
  preference.fill(empty)
  const signatureOfMode: string[] = []
  RESPONSE_MODES.forEach((mode, mi) => {
    const rows: string[] = []
    for (const priority of priorities) {
      if (priority < 0 || priority > MAX_PRIORITY)
        throw new Error(`priority ${priority} out of range`)
      const order = needsUnit(mode)
        ? recommendUnits(
            { mode, priority, district: null, beat: null, point: null },
            units,
            10,
          ).map((r) => FORCES.indexOf(r.unit.id as Force))
        : []
      preference[mi * stride + priority] = Int8Array.from(order)
      rows.push(`${priority}:${order.join(',')}`)
    }
    signatureOfMode.push(needsUnit(mode) ? rows.join(';') : '')
  })
  const queueOfMode = new Int8Array(RESPONSE_MODES.length).fill(-1)
  const signatures: string[] = []
  signatureOfMode.forEach((sig, mi) => {
    if (!sig) return
    let q = signatures.indexOf(sig)
    if (q < 0) q = signatures.push(sig) - 1
    queueOfMode[mi] = q
  })
  // A force eligible at a priority must be eligible at every more urgent one, so a freed unit
  // need only look at the top of each queue (the heap keeps the most urgent call there).
  const leastUrgentFor = new Int16Array(signatures.length * FORCES.length).fill(-1)
  const sorted = [...priorities].sort((a, b) => a - b)
  RESPONSE_MODES.forEach((_, mi) => {
    const q = queueOfMode[mi] as number
    if (q < 0) return
    FORCES.forEach((_f, fi) => {
      let seenGap = false
      for (const p of sorted) {
        const ok = (preference[mi * stride + p] as Int8Array).includes(fi)
        if (ok && seenGap)
          throw new Error('a force may take a less urgent call but not a more urgent one')
        if (ok) leastUrgentFor[q * FORCES.length + fi] = p
        else seenGap = true
      }
    })
  })
  return {
    preference,
    queueOfMode,
    queueCount: signatures.length,
    leastUrgentFor,
    guardRefusesLinkedDuplicate: guardRefuses(),
  }
}

function guardRefuses(): boolean {
  try {
    clearDispatch(
      {
        incidentNumber: 1,
        duplicateOf: 'first-report',
        openReferralTo: null,
        activePrimaryUnit: null,
      },
      'primary',
      null,
    )
    return false
  } catch {
    return true
  }
}

/**
 * The production queue order as one number: priority first (smaller = more urgent), then the
 * time the call joined the queue (seconds). The production tie-break, the incident number, is
 * left out: two calls of one priority joining in the same instant are a call and its duplicate
 * report, created together. Span 1e10 s (≈317 years) keeps the two parts apart with sub-millisecond
 * precision left in a double.
 */
export const PRIORITY_SPAN = 1e10
export function queueKey(priority: number, queuedSinceSeconds: number): number {
  return priority * PRIORITY_SPAN + queuedSinceSeconds
}
