import { logFactorial } from '../analytics/distributions.js'
import type { DayCount } from '../analytics/trends.js'
import { DAY } from '../shared/instant.js'

/**
 * Did calls on a problem's blocks fall after the response began? The same number of days
 * before and after the split day are compared (fewer after when the response is recent), as a
 * rate per day, with an exact test of whether the difference could be chance.
 *
 * The test is the conditional one for two Poisson counts: if the daily rate did not change,
 * then given the n calls in both windows together, the after count is Binomial(n, tA/(tB+tA)),
 * tB and tA being the window lengths in days. Its two-sided p-value adds the probabilities of
 * every outcome no more likely than the one seen (as SciPy's binomtest does).
 */
export interface WindowCount {
  /** First and last local day counted, inclusive. */
  from: string
  to: string
  days: number
  count: number
  /** Calls per day (null for a window of no days). */
  perDay: number | null
}

export interface BeforeAfter {
  splitDay: string
  windowDays: number
  before: WindowCount
  after: WindowCount
  /** Change in the daily rate, in percent (null when there was nothing before). */
  changePct: number | null
  /** The two-sided p-value of the conditional binomial test (null when it cannot be run). */
  pValue: number | null
  /** p < 0.05: the change is unlikely to be chance alone. */
  significant: boolean
}

/** 'YYYY-MM-DD' moved by whole days (calendar arithmetic, no time zone involved). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)
}

function daysBetween(from: string, toExclusive: string): number {
  return Math.round(
    (Date.parse(`${toExclusive}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY,
  )
}

/**
 * Counts before and after `splitDay` over `windowDays` each. The after window starts on the
 * split day and stops before `throughDay` (exclusive: the day still under way is not complete,
 * and a partial day would make the rate look lower than it is).
 */
export function beforeAfter(
  counts: readonly DayCount[],
  splitDay: string,
  windowDays: number,
  throughDay?: string,
): BeforeAfter {
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new RangeError('windowDays must be a whole number of days, at least 1')
  const beforeFrom = addDays(splitDay, -windowDays)
  let afterEnd = addDays(splitDay, windowDays)
  if (throughDay !== undefined && throughDay < afterEnd)
    afterEnd = throughDay < splitDay ? splitDay : throughDay
  let before = 0
  let after = 0
  for (const { date, count } of counts) {
    if (date >= beforeFrom && date < splitDay) before += count
    else if (date >= splitDay && date < afterEnd) after += count
  }
  const tB = windowDays
  const tA = daysBetween(splitDay, afterEnd)
  const window = (from: string, days: number, count: number): WindowCount => ({
    from,
    to: addDays(from, days - 1),
    days,
    count,
    perDay: days > 0 ? count / days : null,
  })
  const rateB = before / tB
  const rateA = tA > 0 ? after / tA : null
  const changePct = rateA !== null && rateB > 0 ? ((rateA - rateB) / rateB) * 100 : null
  const pValue =
    tA > 0 && before + after > 0 ? binomialTwoSidedP(after, before + after, tA / (tA + tB)) : null
  return {
    splitDay,
    windowDays,
    before: window(beforeFrom, tB, before),
    after: window(splitDay, tA, after),
    changePct,
    pValue,
    significant: pValue !== null && pValue < 0.05,
  }
}

function binomialLogPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY
  if (p === 1) return k === n ? 0 : Number.NEGATIVE_INFINITY
  return (
    logFactorial(n) -
    logFactorial(k) -
    logFactorial(n - k) +
    k * Math.log(p) +
    (n - k) * Math.log1p(-p)
  )
}

/**
 * The exact two-sided binomial test of k successes in n trials with success probability p:
 * the total probability of outcomes no more likely than k (a relative tolerance of 1e-7, as
 * SciPy uses, keeps an outcome exactly as likely as k from being dropped by rounding).
 */
export function binomialTwoSidedP(k: number, n: number, p: number): number {
  if (n === 0) return 1
  const limit = binomialLogPmf(k, n, p) + Math.log1p(1e-7)
  let sum = 0
  for (let i = 0; i <= n; i++) {
    const lp = binomialLogPmf(i, n, p)
    if (lp <= limit) sum += Math.exp(lp)
  }
  return Math.min(1, sum)
}
