import { type Channel, PATROL_MODES, type ResponseMode } from '../catalogue/vocabulary.js'
import type { UnitStatusEvent } from '../dispatch/unit.js'
import { type UnitTime, unitTime } from '../dispatch/unit-time.js'
import type { Instant } from '../shared/instant.js'
import { normalSf } from './distributions.js'
import type { DayRow } from './rollups.js'

/**
 * Did the 311 line work? (DESIGN.md §3 items 7-8.) The measures Baltimore's evaluation needed
 * and could not read off its systems: how many calls moved from 911 to 311, whether 311 calls
 * were dispatched anyway (and twice), how fast units arrived by priority, how officers' time
 * was spent, how long partners took, how the 311 queue answered, and what callers thought.
 * Each measure is defined here once, over facts the store reads for a period; a before/after
 * comparison runs the same definition on both sides of a date.
 */

export interface EvaluationOptions {
  /** priorities at or above this number are non-emergency (the catalogue's 1 is the most urgent) */
  nonEmergencyFrom: number
  /** the 311 line's service-level target: answered within this many seconds */
  serviceLevelSeconds: number
}

export const DEFAULT_EVALUATION_OPTIONS: EvaluationOptions = {
  nonEmergencyFrom: 3,
  serviceLevelSeconds: 20,
}

/** 311 incidents of the period, counted by how they came and what was done. */
export interface IncidentCount {
  channel: string
  priority: number
  mode: string
  /** at least one unit was assigned */
  dispatched: boolean
  n: number
}

export interface AssignmentFact {
  priority: number
  role: string
  receivedAt: Instant
  assignedAt: Instant
  enRouteAt: Instant | null
  onSceneAt: Instant | null
  clearedAt: Instant | null
  dualDispatch: boolean
  /** the first primary assignment of its incident: the one response times are measured on */
  firstPrimary: boolean
}

export interface ReferralFact {
  sentAt: Instant
  dueAt: Instant
  acknowledgedAt: Instant | null
  closedAt: Instant | null
}

/** A call offered to the 311 line: answered, abandoned, or still ringing. */
export interface CallOfferFact {
  offeredAt: Instant
  answeredAt: Instant | null
  abandonedAt: Instant | null
}

export interface SurveyFact {
  answeredAt: Instant | null
  score: number | null
  resolved: boolean | null
}

export interface EvaluationFacts {
  window: { from: Instant; to: Instant }
  /** rollup day rows of both lines for the local days of the window */
  days: readonly DayRow[]
  incidents: readonly IncidentCount[]
  assignments: readonly AssignmentFact[]
  refusals: number
  /** each unit's status changes up to the window's end, oldest first */
  unitHistories: ReadonlyArray<readonly UnitStatusEvent[]>
  referrals: readonly ReferralFact[]
  offers: readonly CallOfferFact[]
  surveys: readonly SurveyFact[]
}

export interface Durations {
  n: number
  /** minutes; null without data */
  medianMinutes: number | null
  p90Minutes: number | null
}

export interface Evaluation {
  window: { from: Instant; to: Instant }
  volume: {
    calls311: number
    calls911: number
    byDay: Array<{ day: string; calls311: number; calls911: number }>
  }
  /** calls by channel (911 for the CAD's calls) and priority */
  priorityMix: Array<{ channel: string; priority: number; n: number }>
  diversion: {
    nonEmergency311: number
    nonEmergency911: number
    /** share of non-emergency calls that came to 311 instead of 911; null without calls */
    share: number | null
  }
  dispatch: {
    incidents311: number
    dispatched: number
    /** dispatched / incidents311 */
    rate: number | null
    /** share whose chosen response sent a patrol unit (immediate or delayed) */
    patrolResponseShare: number | null
  }
  doubleDispatch: { dualDispatches: number; refusals: number }
  responseByPriority: Array<{
    priority: number
    toAssign: Durations
    toOnScene: Durations
  }>
  officerTime: UnitTime & {
    units: number
    committedShare: number | null
    problemSolvingShare: number | null
  }
  referrals: {
    sent: number
    closed: number
    overdue: number
    toAcknowledge: Durations
    toClose: Durations
  }
  queue: {
    offered: number
    answered: number
    abandoned: number
    abandonmentRate: number | null
    answerTime: Durations
    /** answered within the target, of calls answered or abandoned after the target */
    serviceLevel: number | null
  }
  satisfaction: {
    sent: number
    answered: number
    responseRate: number | null
    meanScore: number | null
    resolvedShare: number | null
  }
}

const MINUTE = 60_000

/** Median and 90th percentile (nearest rank on the sorted values), in minutes. */
export function durations(ms: readonly number[]): Durations {
  const v = ms.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b)
  if (v.length === 0) return { n: 0, medianMinutes: null, p90Minutes: null }
  const mid = v.length >> 1
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
  const p90 = v[Math.min(v.length - 1, Math.ceil(0.9 * v.length) - 1)]!
  return { n: v.length, medianMinutes: median / MINUTE, p90Minutes: p90 / MINUTE }
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)

/** The measures of one period. */
export function evaluate(
  facts: EvaluationFacts,
  options: EvaluationOptions = DEFAULT_EVALUATION_OPTIONS,
): Evaluation {
  const { from, to } = facts.window
  const byDay = new Map<string, { calls311: number; calls911: number }>()
  const mix = new Map<string, { channel: string; priority: number; n: number }>()
  let calls311 = 0
  let calls911 = 0
  let nonEmergency311 = 0
  let nonEmergency911 = 0
  for (const r of facts.days) {
    const day = byDay.get(r.day) ?? { calls311: 0, calls911: 0 }
    byDay.set(r.day, day)
    const channel = r.source === '911' ? '911' : r.channel
    const key = `${channel}|${r.priority}`
    const m = mix.get(key) ?? { channel, priority: r.priority, n: 0 }
    m.n += r.n
    mix.set(key, m)
    const nonEmergency = r.priority >= options.nonEmergencyFrom
    if (r.source === '911') {
      calls911 += r.n
      day.calls911 += r.n
      if (nonEmergency) nonEmergency911 += r.n
    } else {
      calls311 += r.n
      day.calls311 += r.n
      // A call 911 handed over reached 911 first: it was not diverted from it.
      if (nonEmergency && r.channel !== ('transfer_911' satisfies Channel)) nonEmergency311 += r.n
    }
  }

  let incidents311 = 0
  let dispatched = 0
  let patrolResponse = 0
  for (const c of facts.incidents) {
    if (c.channel === ('officer_initiated' satisfies Channel)) continue
    incidents311 += c.n
    if (c.dispatched) dispatched += c.n
    if (PATROL_MODES.has(c.mode as ResponseMode)) patrolResponse += c.n
  }

  const priorities = [...new Set(facts.assignments.map((a) => a.priority))].sort((a, b) => a - b)
  const responseByPriority = priorities.map((priority) => {
    const first = facts.assignments.filter((a) => a.priority === priority && a.firstPrimary)
    return {
      priority,
      toAssign: durations(first.map((a) => a.assignedAt - a.receivedAt)),
      toOnScene: durations(
        first.filter((a) => a.onSceneAt !== null).map((a) => a.onSceneAt! - a.receivedAt),
      ),
    }
  })

  const time: UnitTime = { committedMs: 0, freeMs: 0, problemSolvingMs: 0, outOfServiceMs: 0 }
  for (const history of facts.unitHistories) {
    // A unit first seen inside the period (new to the roster) counts from its first change,
    // not as free since the period began.
    const first = history[0]?.at ?? from
    const t = unitTime(history, Math.max(from, first), to)
    time.committedMs += t.committedMs
    time.freeMs += t.freeMs
    time.problemSolvingMs += t.problemSolvingMs
    time.outOfServiceMs += t.outOfServiceMs
  }
  const inService = time.committedMs + time.freeMs + time.problemSolvingMs

  const refs = facts.referrals
  const closedRefs = refs.filter((r) => r.closedAt !== null && r.closedAt <= to)
  const overdue = refs.filter((r) => (r.closedAt ?? to) > r.dueAt && r.dueAt < to).length

  const target = options.serviceLevelSeconds * 1000
  const answered = facts.offers.filter((o) => o.answeredAt !== null)
  const abandoned = facts.offers.filter((o) => o.answeredAt === null && o.abandonedAt !== null)
  const withinTarget = answered.filter((o) => o.answeredAt! - o.offeredAt <= target).length
  // Callers who hung up before the target are left out of the service level, as contact
  // centres count it; those who waited longer and gave up count against it.
  const lateAbandoned = abandoned.filter((o) => o.abandonedAt! - o.offeredAt > target).length

  const answeredSurveys = facts.surveys.filter((s) => s.answeredAt !== null)
  const scores = answeredSurveys.flatMap((s) => (s.score === null ? [] : [s.score]))
  const resolvedAnswers = answeredSurveys.filter((s) => s.resolved !== null)

  return {
    window: { from, to },
    volume: {
      calls311,
      calls911,
      byDay: [...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, v]) => ({ day, ...v })),
    },
    priorityMix: [...mix.values()].sort((a, b) =>
      a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : a.priority - b.priority,
    ),
    diversion: {
      nonEmergency311,
      nonEmergency911,
      share: share(nonEmergency311, nonEmergency311 + nonEmergency911),
    },
    dispatch: {
      incidents311,
      dispatched,
      rate: share(dispatched, incidents311),
      patrolResponseShare: share(patrolResponse, incidents311),
    },
    doubleDispatch: {
      dualDispatches: facts.assignments.filter((a) => a.dualDispatch).length,
      refusals: facts.refusals,
    },
    responseByPriority,
    officerTime: {
      ...time,
      units: facts.unitHistories.length,
      committedShare: share(time.committedMs, inService),
      problemSolvingShare: share(time.problemSolvingMs, inService),
    },
    referrals: {
      sent: refs.length,
      closed: closedRefs.length,
      overdue,
      toAcknowledge: durations(
        refs.filter((r) => r.acknowledgedAt !== null).map((r) => r.acknowledgedAt! - r.sentAt),
      ),
      toClose: durations(closedRefs.map((r) => r.closedAt! - r.sentAt)),
    },
    queue: {
      offered: facts.offers.length,
      answered: answered.length,
      abandoned: abandoned.length,
      abandonmentRate: share(abandoned.length, answered.length + abandoned.length),
      answerTime: durations(answered.map((o) => o.answeredAt! - o.offeredAt)),
      serviceLevel: share(withinTarget, answered.length + lateAbandoned),
    },
    satisfaction: {
      sent: facts.surveys.length,
      answered: answeredSurveys.length,
      responseRate: share(answeredSurveys.length, facts.surveys.length),
      meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
      resolvedShare: share(
        resolvedAnswers.filter((s) => s.resolved).length,
        resolvedAnswers.length,
      ),
    },
  }
}

export interface Change {
  measure: string
  before: number | null
  after: number | null
  /** after − before (a share's change is in points, 0.05 = 5 points) */
  change: number | null
  /** relative change, (after − before) / before */
  relative: number | null
  /**
   * two-sided p: counts by the conditional binomial test of equal daily rates, shares by the
   * two-proportion z-test; null where no test applies (medians)
   */
  p: number | null
}

/** Two-sided p of a difference in proportions x1/n1 vs x2/n2 (pooled z-test). */
export function twoProportionP(x1: number, n1: number, x2: number, n2: number): number | null {
  if (n1 === 0 || n2 === 0) return null
  const pooled = (x1 + x2) / (n1 + n2)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  if (se === 0) return x1 / n1 === x2 / n2 ? 1 : 0
  return Math.min(1, 2 * normalSf(Math.abs(x1 / n1 - x2 / n2) / se))
}

/**
 * Two-sided p that two Poisson counts over exposures t1 and t2 have the same rate: given the
 * total, the second count is binomial(n, t2 / (t1 + t2)); normal approximation with continuity
 * correction, fine for the hundreds of calls a period holds.
 */
export function rateRatioP(c1: number, t1: number, c2: number, t2: number): number | null {
  const n = c1 + c2
  if (n === 0 || t1 <= 0 || t2 <= 0) return null
  const p = t2 / (t1 + t2)
  const sd = Math.sqrt(n * p * (1 - p))
  const diff = Math.max(0, Math.abs(c2 - n * p) - 0.5)
  return Math.min(1, 2 * normalSf(diff / sd))
}

/** The headline measures side by side, with the change and a test where one applies. */
export function compareEvaluations(before: Evaluation, after: Evaluation): Change[] {
  const tBefore = before.window.to - before.window.from
  const tAfter = after.window.to - after.window.from
  const count = (measure: string, pick: (e: Evaluation) => number): Change => {
    const b = pick(before)
    const a = pick(after)
    return {
      measure,
      before: b,
      after: a,
      change: a - b,
      relative: b > 0 ? (a - b) / b : null,
      p: rateRatioP(b, tBefore, a, tAfter),
    }
  }
  const proportion = (
    measure: string,
    pick: (e: Evaluation) => { x: number; n: number },
  ): Change => {
    const b = pick(before)
    const a = pick(after)
    const sb = share(b.x, b.n)
    const sa = share(a.x, a.n)
    return {
      measure,
      before: sb,
      after: sa,
      change: sa !== null && sb !== null ? sa - sb : null,
      relative: sa !== null && sb ? (sa - sb) / sb : null,
      p: twoProportionP(b.x, b.n, a.x, a.n),
    }
  }
  const value = (measure: string, pick: (e: Evaluation) => number | null): Change => {
    const b = pick(before)
    const a = pick(after)
    return {
      measure,
      before: b,
      after: a,
      change: a !== null && b !== null ? a - b : null,
      relative: a !== null && b ? (a - b) / b : null,
      p: null,
    }
  }
  const p1 = (e: Evaluation) => e.responseByPriority.find((r) => r.priority === 1)
  return [
    count('911 calls', (e) => e.volume.calls911),
    count('311 calls', (e) => e.volume.calls311),
    proportion('non-emergency calls diverted to 311', (e) => ({
      x: e.diversion.nonEmergency311,
      n: e.diversion.nonEmergency311 + e.diversion.nonEmergency911,
    })),
    proportion('311 calls dispatched', (e) => ({
      x: e.dispatch.dispatched,
      n: e.dispatch.incidents311,
    })),
    count('dual dispatches', (e) => e.doubleDispatch.dualDispatches),
    value('priority 1 minutes to on scene (median)', (e) => p1(e)?.toOnScene.medianMinutes ?? null),
    value('officer time committed to calls', (e) => e.officerTime.committedShare),
    value('officer time on problem solving', (e) => e.officerTime.problemSolvingShare),
    value('referral minutes to close (median)', (e) => e.referrals.toClose.medianMinutes),
    proportion('311 calls abandoned', (e) => ({
      x: e.queue.abandoned,
      n: e.queue.answered + e.queue.abandoned,
    })),
    value('311 answer seconds (median)', (e) =>
      e.queue.answerTime.medianMinutes === null ? null : e.queue.answerTime.medianMinutes * 60,
    ),
    value('caller satisfaction (mean of 1-5)', (e) => e.satisfaction.meanScore),
  ]
}
