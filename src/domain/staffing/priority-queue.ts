/**
 * Waits in the dispatch queue by priority, from queueing theory: M/M/c with equal service times
 * and non-preemptive priority classes (Cobham 1954), the model RAND's Patrol Car Allocation
 * Model used. Research note analytics-or-anchors.md §2.4, vector T9; the simulator's dispatch
 * queue is checked against it.
 *   Wq_k = C(c, a) / (cμ·(1 − σ_{k−1})·(1 − σ_k)),  σ_k = Σ_{i≤k} λ_i / (cμ).
 */
import { erlangB } from './erlang.js'

export interface PriorityQueueInput {
  /** Units answering calls. */
  units: number
  /** Mean time a call keeps a unit busy, minutes. */
  serviceMinutes: number
  /** Calls per hour of each priority, most urgent first. */
  callsPerHourByPriority: readonly number[]
}

export interface PriorityQueueWaits {
  /** Probability that a call finds every unit busy (Erlang C). */
  probabilityAllBusy: number
  /** Mean wait for a unit of each priority, minutes (most urgent first). */
  waitMinutesByPriority: number[]
  /** Mean wait if calls were taken first come, first served, minutes. */
  firstComeWaitMinutes: number
}

export function priorityQueueWaits(input: PriorityQueueInput): PriorityQueueWaits {
  const c = input.units
  const mu = 60 / input.serviceMinutes // per hour
  const lambda = input.callsPerHourByPriority.reduce((s, x) => s + x, 0)
  const a = lambda / mu
  if (!(c > a)) throw new RangeError(`${c} units cannot keep up with a load of ${a.toFixed(2)}`)
  const b = erlangB(c, a)
  const pWait = (c * b) / (c - a * (1 - b))
  let sigma = 0
  const waits = input.callsPerHourByPriority.map((l) => {
    const before = sigma
    sigma += l / (c * mu)
    return (60 * pWait) / (c * mu * (1 - before) * (1 - sigma))
  })
  return {
    probabilityAllBusy: pWait,
    waitMinutesByPriority: waits,
    firstComeWaitMinutes: (60 * pWait) / (c * mu - lambda),
  }
}
