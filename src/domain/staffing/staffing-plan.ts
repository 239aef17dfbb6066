/**
 * How many call-takers to schedule, hour by hour of the week, to meet a service-level target
 * ("80 % of calls answered within 20 s"; NENA's 911 standard is 90 % in 15 s). For each hour it
 * finds the fewest positions that meet the target on the phones (Erlang C, or Erlang A when the
 * callers' patience is known), then grosses that up for shrinkage: breaks, training, leave and
 * sickness take a share of every scheduled hour away from the phones.
 *
 * T7 (research note §2.1): 200 calls an hour, 180 s, 80/20 → 14 on the phones, 20 scheduled
 * with 30 % shrinkage; with at most 70 % occupancy, 15 and 22.
 */
import { erlangA, erlangC, type LineMetrics } from './erlang.js'

export interface ServiceTarget {
  /** Share of offered calls to answer within `targetSeconds` (0.8). */
  serviceLevel: number
  targetSeconds: number
  /** Optional cap on occupancy (call-takers burn out above ≈85 %). */
  maxOccupancy?: number
  /** Optional cap on the share of callers who hang up (Erlang A only). */
  maxAbandonShare?: number
}

export interface LineDemand {
  callsPerHour: number
  handleSeconds: number
  /** Mean patience of callers, seconds; absent = they wait for ever (Erlang C). */
  patienceSeconds?: number
}

/** The fewest call-takers on the phones that meet the target, with the line's figures then. */
export function agentsNeeded(
  demand: LineDemand,
  target: ServiceTarget,
  minimumAgents = 0,
): LineMetrics {
  if (!(target.serviceLevel > 0 && target.serviceLevel < 1))
    throw new RangeError('serviceLevel must be between 0 and 1')
  const metrics = (agents: number) => {
    const load = { ...demand, agents, targetSeconds: target.targetSeconds }
    return demand.patienceSeconds !== undefined
      ? erlangA({ ...load, patienceSeconds: demand.patienceSeconds })
      : erlangC(load)
  }
  const a = (demand.callsPerHour * demand.handleSeconds) / 3600
  if (a === 0) return metrics(minimumAgents)
  // Service level rises with N, so the first N that meets every condition is the answer; under
  // Erlang C nothing at or below A can, so start just above it.
  let n = Math.max(minimumAgents, demand.patienceSeconds !== undefined ? 1 : Math.floor(a) + 1)
  for (; ; n++) {
    const m = metrics(n)
    if (
      m.stable &&
      m.serviceLevel >= target.serviceLevel &&
      (target.maxOccupancy === undefined || m.occupancy <= target.maxOccupancy) &&
      (target.maxAbandonShare === undefined || m.abandonShare <= target.maxAbandonShare)
    )
      return m
    if (n > 100_000) throw new RangeError('no staffing up to 100,000 meets the target')
  }
}

/** Positions to schedule so that `agents` are on the phones after shrinkage. */
export function withShrinkage(agents: number, shrinkage: number): number {
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError('shrinkage must be in [0, 1)')
  // The small epsilon keeps 14 / 0.7 = 20.000000000000004 at 20.
  return Math.ceil(agents / (1 - shrinkage) - 1e-9)
}

export interface StaffingPlanInput {
  /** Calls offered in each hour of the week, Monday 00:00 first (168 numbers). */
  callsByHourOfWeek: readonly number[]
  handleSeconds: number
  patienceSeconds?: number
  target: ServiceTarget
  /** Share of scheduled time away from the phones (0.3). */
  shrinkage: number
  /** Never fewer on the phones than this, even at 4 a.m. (a 911 centre keeps two). */
  minimumAgents?: number
}

export interface StaffingHour {
  hourOfWeek: number
  callsPerHour: number
  /** Call-takers needed on the phones. */
  agents: number
  /** Positions to schedule (agents grossed up for shrinkage). */
  positions: number
  serviceLevel: number
  averageSpeedOfAnswerSeconds: number
  abandonShare: number
  occupancy: number
}

export interface StaffingPlan {
  hours: StaffingHour[]
  /** Scheduled position-hours in the week. */
  positionHours: number
  /** Σ hours on the phones. */
  agentHours: number
}

/** A plan for each of the 168 hours of the week. */
export function staffingPlan(input: StaffingPlanInput): StaffingPlan {
  if (input.callsByHourOfWeek.length !== 168)
    throw new RangeError('callsByHourOfWeek must have 168 hours')
  const hours = input.callsByHourOfWeek.map((callsPerHour, hourOfWeek) => {
    const m = agentsNeeded(
      {
        callsPerHour,
        handleSeconds: input.handleSeconds,
        ...(input.patienceSeconds !== undefined ? { patienceSeconds: input.patienceSeconds } : {}),
      },
      input.target,
      input.minimumAgents ?? 0,
    )
    return {
      hourOfWeek,
      callsPerHour,
      agents: m.agents,
      positions: withShrinkage(m.agents, input.shrinkage),
      serviceLevel: m.serviceLevel,
      averageSpeedOfAnswerSeconds: m.averageSpeedOfAnswerSeconds,
      abandonShare: m.abandonShare,
      occupancy: m.occupancy,
    }
  })
  return {
    hours,
    positionHours: hours.reduce((s, h) => s + h.positions, 0),
    agentHours: hours.reduce((s, h) => s + h.agents, 0),
  }
}
