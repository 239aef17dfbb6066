/**
 * What one simulated run reports, in the words of the people who read it (a 911 manager, a
 * patrol commander, a council member), and the summary of several replications with confidence
 * intervals. Every figure is for calls RECEIVED in the measured period (after the warm-up);
 * officer and call-taker time is the time inside that period.
 */
import { studentTTwoSidedP } from '../../domain/analytics/distributions.js'
import type { ResponseMode } from '../../domain/catalogue/vocabulary.js'
import type { LineName } from './scenario.js'

/** One phone line (911 or 311). */
export interface LineReport {
  /** Calls that reached the line (a 311 call handed to 911 is offered to both). */
  offered: number
  answered: number
  /** Callers who hung up before an answer. */
  abandoned: number
  abandonedShare: number
  /** Share of calls that found every call-taker busy. */
  waitedShare: number
  /** Share of OFFERED calls answered within `targetSeconds` (hang-ups count as misses). */
  serviceLevel: number
  targetSeconds: number
  /** Mean wait of the calls answered, seconds (what the supervisor's board shows). */
  meanAnswerSeconds: number
  /** Mean wait over all offered calls, including the time of those who hung up (Erlang A's ASA). */
  meanWaitSeconds: number
  /** Share of the call-takers' scheduled time spent on calls. */
  occupancy: number
  callTakerHours: number
  /** Callers on hold, on average over the period (Erlang's Lq; Little: Lq = λ·wait). */
  meanOnHold: number
}

/** Waits for a unit and response times, for one priority. */
export interface PriorityReport {
  /** Calls of this priority that got a unit. */
  dispatched: number
  /** From joining the dispatch queue to a unit assigned, minutes. */
  meanWaitMinutes: number
  p90WaitMinutes: number
  /**
   * From the call received to a unit on scene, minutes (answer, call-taking, queue, travel). A
   * delayed response's includes its hold, and a returned referral's its time with the agency.
   */
  meanResponseMinutes: number
  p90ResponseMinutes: number
}

/** A force's time in the measured period, hours. */
export interface ForceTime {
  onDutyHours: number
  /** Dispatched, travelling or on scene. */
  committedHours: number
  /** On duty and not on a call: free time for call-response and civilian units, problem
   * solving for the problem-solving force. */
  uncommittedHours: number
  /** committed / on duty. */
  saturation: number
  dispatches: number
}

export interface Report {
  scenario: string
  seed: number
  replication: number
  /** Days measured. */
  days: number
  /** Events the engine handled (warm-up included). */
  events: number
  calls: {
    received: number
    bySource: Record<string, number>
    /**
     * The response mode triage (and the response policy) gave each call that was not hung up.
     * `transfer_911` counts emergencies: handed to 911 from 311, or on 911 already and
     * dispatched at once.
     */
    byMode: Record<ResponseMode, number>
    /** Hung up on a phone line before anyone answered (no incident). */
    abandoned: number
    /** 311 calls handed to 911 (emergencies found by the 311 call-taker). */
    handedTo911: number
    referralsReturned: number
  }
  lines: Record<LineName, LineReport>
  dispatch: {
    /** Units sent, all forces, including the second unit of a double dispatch. */
    dispatches: number
    /** Second units sent to an incident already dispatched (duplicate report not caught). */
    doubleDispatches: number
    /** Duplicate reports the guard refused a second unit. */
    duplicatesRefused: number
    /** Problem-solving units taken off their problem for an urgent call. */
    problemSolvingPulls: number
    /** Calls still waiting for a unit when the run ended. */
    stillWaiting: number
    /** Calls waiting for a unit, on average over the period (all queues). */
    meanCallsWaiting: number
    /** The most urgent priority's response time, minutes (received → on scene). */
    priority1ResponseMinutes: { mean: number; p90: number }
    byPriority: Record<string, PriorityReport>
  }
  officerTime: {
    /** The patrol saturation guideline: committed time ≤ 60 % of available time (ICMA/CPSM). */
    guideline: number
    /** Both patrol forces together: committed / on duty. */
    patrolSaturation: number
    callResponseSaturation: number
    freeHours: number
    problemSolvingHours: number
    committedHours: number
    onDutyHours: number
    callResponse: ForceTime
    problemSolving: ForceTime
    civilian: ForceTime
  }
}

/**
 * Waits in fixed bins (5 s up to 2 h, then 5 min up to 48 h), for percentiles without keeping
 * every value; a percentile is exact to the bin.
 */
export class WaitHistogram {
  private static readonly FINE = 1440 // 5 s bins to 7200 s
  private static readonly COARSE = 552 // 300 s bins to 172,800 s
  readonly counts = new Float64Array(WaitHistogram.FINE + WaitHistogram.COARSE + 1)
  /** Waits of exactly 0 (a unit was free), kept apart so a percentile among them is 0. */
  zeros = 0
  total = 0

  add(seconds: number): void {
    this.total++
    if (seconds <= 0) {
      this.zeros++
      return
    }
    const x = seconds
    let bin: number
    if (x < 7200) bin = (x / 5) | 0
    else if (x < 172_800) bin = WaitHistogram.FINE + (((x - 7200) / 300) | 0)
    else bin = WaitHistogram.FINE + WaitHistogram.COARSE
    this.counts[bin] = (this.counts[bin] as number) + 1
  }

  /** The q-quantile, seconds (the middle of its bin, or 0 when it falls among the zero waits); 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0
    const want = q * this.total
    if (want <= this.zeros) return 0
    let seen = this.zeros
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] as number
      if (seen >= want) {
        if (i < WaitHistogram.FINE) return i * 5 + 2.5
        if (i < WaitHistogram.FINE + WaitHistogram.COARSE)
          return 7200 + (i - WaitHistogram.FINE) * 300 + 150
        return 172_800
      }
    }
    return 172_800
  }
}

/** A figure over replications: mean and its two-sided 95 % (or other) t confidence interval. */
export interface Estimate {
  mean: number
  low: number
  high: number
  halfWidth: number
  /** Replications that gave a number (NaN, e.g. no priority-1 calls, is left out). */
  n: number
}

/** The Report's shape with every number replaced by an Estimate. */
export type Summary<T> = T extends number
  ? Estimate
  : T extends string
    ? T
    : T extends object
      ? { [K in keyof T]: Summary<T[K]> }
      : T

/** Student's t quantile t_{1−α/2, df}, by bisection on the domain's t distribution. */
export function tQuantile(df: number, confidence = 0.95): number {
  if (!(df >= 1)) return Number.NaN
  const alpha = 1 - confidence
  let lo = 0
  let hi = 1e4
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2
    if (studentTTwoSidedP(mid, df) > alpha) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** Mean and t interval of a list of numbers (NaN and infinities are left out). */
export function estimate(values: readonly number[], confidence = 0.95): Estimate {
  const xs = values.filter(Number.isFinite)
  const n = xs.length
  if (n === 0)
    return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, halfWidth: Number.NaN, n }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { mean, low: Number.NaN, high: Number.NaN, halfWidth: Number.NaN, n }
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
  const halfWidth = tQuantile(n - 1, confidence) * Math.sqrt(variance / n)
  return { mean, low: mean - halfWidth, high: mean + halfWidth, halfWidth, n }
}

/**
 * Summarises replications of one scenario: every number becomes an Estimate (mean and t
 * interval across replications); strings are kept from the first. Keys missing from some
 * replications (a priority no call had) are estimated over those that have them.
 */
export function summarise(reports: readonly Report[], confidence = 0.95): Summary<Report> {
  return merge(reports as unknown[], confidence) as Summary<Report>
}

function merge(values: unknown[], confidence: number): unknown {
  const first = values.find((v) => v !== undefined)
  if (typeof first === 'number') return estimate(values as number[], confidence)
  if (typeof first !== 'object' || first === null) return first
  const keys = new Set<string>()
  for (const v of values)
    if (v && typeof v === 'object') for (const k of Object.keys(v)) keys.add(k)
  const out: Record<string, unknown> = {}
  for (const k of keys)
    out[k] = merge(
      values
        .map((v) => (v as Record<string, unknown> | undefined)?.[k])
        .filter((x) => x !== undefined),
      confidence,
    )
  return out
}

/**
 * A figure's mean over replications, sharpened by a control variate: a second figure measured
 * in the same runs whose true mean is known (for example the mean number waiting, known from
 * Erlang C). Runs that happened to be busier than average show longer waits AND more calls
 * waiting; regressing one on the other across replications and correcting to the known mean
 * removes that shared noise (Lavenberg and Welch 1981). The interval is t with n − 2 degrees
 * of freedom. Used by the validation tests; useful wherever a theory value is known.
 */
export function estimateWithControl(
  values: readonly number[],
  controls: readonly number[],
  knownControlMean: number,
  confidence = 0.95,
): Estimate & { beta: number } {
  const n = values.length
  if (n !== controls.length || n < 3) throw new RangeError('needs 3 or more paired replications')
  const ym = values.reduce((a, b) => a + b, 0) / n
  const xm = controls.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    const dx = (controls[i] as number) - xm
    sxy += dx * ((values[i] as number) - ym)
    sxx += dx * dx
  }
  const beta = sxx > 0 ? sxy / sxx : 0
  const mean = ym - beta * (xm - knownControlMean)
  let sse = 0
  for (let i = 0; i < n; i++) {
    const r = (values[i] as number) - ym - beta * ((controls[i] as number) - xm)
    sse += r * r
  }
  const se = Math.sqrt(
    (sse / (n - 2)) * (1 / n + (sxx > 0 ? (xm - knownControlMean) ** 2 / sxx : 0)),
  )
  const halfWidth = tQuantile(n - 2, confidence) * se
  return { mean, low: mean - halfWidth, high: mean + halfWidth, halfWidth, n, beta }
}
