import { DAY, HOUR, type Instant, MINUTE, zoneOffsetMinutes } from '../shared/instant.js'

/**
 * Trends in call volume on the city's wall clock: counts per local day, counts per hour of
 * the week (168 buckets, because calls follow a weekly rhythm: Friday night is not Tuesday
 * morning), a seasonal baseline (the mean per hour of the week over the past weeks), and the
 * ratio of a recent period to what that baseline predicts for the same hours.
 *
 * Hours of the week are local: bucket 0 is Monday 00:00–00:59 in the given IANA zone (ISO
 * weeks start on Monday), bucket 167 is Sunday 23:00–23:59. Around daylight-saving changes a
 * local hour can occur twice (autumn) or not at all (spring), so the baseline divides counts
 * by the hours each bucket was actually observed (its exposure), not by the number of weeks.
 */

export const HOURS_PER_WEEK = 168

export interface TimeWindow {
  from: Instant
  /** exclusive */
  to: Instant
}

/**
 * The local time of instants in one zone. Formatting a date in a zone is slow, so the offset
 * is looked up once per UTC day: if the day starts and ends with the same offset it holds all
 * day, otherwise the change is found by bisection. This assumes at most one offset change per
 * UTC day, which holds for every zone in the tz database since 1970. The cache lives in the
 * object, so a caller that creates one per analysis keeps no global state.
 */
export interface LocalTime {
  offsetMinutes(at: Instant): number
  /** the instant shifted to local wall-clock time, as epoch ms of that wall-clock reading */
  localMs(at: Instant): number
}

export function localTimeIn(timeZone: string): LocalTime {
  const days = new Map<number, { before: number; change: number; after: number }>()
  const dayOf = (day: number) => {
    let entry = days.get(day)
    if (!entry) {
      const start = day * DAY
      const end = start + DAY - 1
      const before = zoneOffsetMinutes(start, timeZone)
      const after = zoneOffsetMinutes(end, timeZone)
      let change = end + 1
      if (before !== after) {
        // Bisection to the first millisecond with the new offset (about 27 look-ups, twice a
        // year).
        let lo = start // has offset `before`
        let hi = end // has offset `after`
        while (hi - lo > 1) {
          const mid = lo + Math.floor((hi - lo) / 2)
          if (zoneOffsetMinutes(mid, timeZone) === before) lo = mid
          else hi = mid
        }
        change = hi
      }
      entry = { before, change, after }
      days.set(day, entry)
    }
    return entry
  }
  const offsetMinutes = (at: Instant) => {
    const entry = dayOf(Math.floor(at / DAY))
    return at < entry.change ? entry.before : entry.after
  }
  return { offsetMinutes, localMs: (at) => at + offsetMinutes(at) * MINUTE }
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b
}

/** The hour-of-week bucket (0 = Monday 00h local … 167 = Sunday 23h) of a local wall-clock ms. */
function bucketOfLocalMs(local: number): number {
  // 1970-01-01 was a Thursday, day 3 of an ISO week counted from Monday = 0.
  const weekday = mod(Math.floor(local / DAY) + 3, 7)
  return weekday * 24 + Math.floor(mod(local, DAY) / HOUR)
}

/** The hour-of-week bucket of an instant in a zone. */
export function hourOfWeek(at: Instant, timeZone: string | LocalTime): number {
  const lt = typeof timeZone === 'string' ? localTimeIn(timeZone) : timeZone
  return bucketOfLocalMs(lt.localMs(at))
}

/** The local calendar date 'YYYY-MM-DD' of an instant. */
export function localDate(at: Instant, timeZone: string | LocalTime): string {
  const lt = typeof timeZone === 'string' ? localTimeIn(timeZone) : timeZone
  return new Date(lt.localMs(at)).toISOString().slice(0, 10)
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10)
}

export interface DayCount {
  /** local date, YYYY-MM-DD */
  date: string
  count: number
}

/**
 * Events per local day for every day the window touches, days without events included (a
 * trend line must show the zeros). Events outside the window are ignored.
 */
export function countsByDay(
  times: readonly Instant[],
  window: TimeWindow,
  timeZone: string,
): DayCount[] {
  if (window.to <= window.from) return []
  const lt = localTimeIn(timeZone)
  const days: DayCount[] = []
  const index = new Map<string, number>()
  const last = localDate(window.to - 1, lt)
  for (let date = localDate(window.from, lt); ; date = nextDate(date)) {
    index.set(date, days.length)
    days.push({ date, count: 0 })
    if (date >= last) break
  }
  for (const at of times) {
    if (at < window.from || at >= window.to) continue
    days[index.get(localDate(at, lt))!]!.count++
  }
  return days
}

/** Events per hour-of-week bucket (168 numbers) over the window. */
export function countsByHourOfWeek(
  times: readonly Instant[],
  window: TimeWindow,
  timeZone: string,
): number[] {
  const lt = localTimeIn(timeZone)
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0)
  for (const at of times) {
    if (at < window.from || at >= window.to) continue
    counts[bucketOfLocalMs(lt.localMs(at))]!++
  }
  return counts
}

/**
 * Hours of observation per hour-of-week bucket in the window: 1 per full occurrence, so a
 * four-week window gives 4 in every bucket, except around a daylight-saving change (the
 * skipped spring hour gets 3, the repeated autumn hour 5) and at window edges that cut an hour.
 */
export function hourOfWeekExposure(window: TimeWindow, timeZone: string): number[] {
  const lt = localTimeIn(timeZone)
  const hours = new Array<number>(HOURS_PER_WEEK).fill(0)
  let t = window.from
  while (t < window.to) {
    const off = lt.offsetMinutes(t) * MINUTE
    const local = t + off
    // Up to the next local hour boundary, the window's end, or an offset change.
    let end = Math.min(window.to, local - mod(local, HOUR) + HOUR - off)
    if (lt.offsetMinutes(end - 1) * MINUTE !== off) {
      // The offset changes inside this piece: stop at the first millisecond of the new one.
      let lo = t
      let hi = end - 1
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2)
        if (lt.offsetMinutes(mid) * MINUTE === off) lo = mid
        else hi = mid
      }
      end = hi
    }
    hours[bucketOfLocalMs(local)]! += (end - t) / HOUR
    t = end
  }
  return hours
}

export interface SeasonalBaseline {
  window: TimeWindow
  counts: number[]
  /** hours observed per bucket */
  exposure: number[]
  /** events per hour in each bucket: counts / exposure (NaN where the bucket was not observed) */
  rate: number[]
}

/**
 * The mean events per hour for each hour of the week over the `weeks` weeks before `end`
 * (the window [end − weeks·7 days, end)).
 */
export function seasonalBaseline(
  times: readonly Instant[],
  end: Instant,
  weeks: number,
  timeZone: string,
): SeasonalBaseline {
  if (!(Number.isInteger(weeks) && weeks >= 1)) {
    throw new RangeError('weeks must be a whole number ≥ 1')
  }
  const window = { from: end - weeks * 7 * DAY, to: end }
  const counts = countsByHourOfWeek(times, window, timeZone)
  const exposure = hourOfWeekExposure(window, timeZone)
  const rate = counts.map((c, h) => (exposure[h]! > 0 ? c / exposure[h]! : Number.NaN))
  return { window, counts, exposure, rate }
}

export interface RecentVsBaseline {
  recent: TimeWindow
  baseline: SeasonalBaseline
  observed: number
  /** events the baseline predicts for the recent period's hours of the week */
  expected: number
  /** observed / expected; null when the baseline predicts no events */
  ratio: number | null
}

/**
 * Compares a recent period with the seasonal baseline of the `baselineWeeks` weeks just before
 * it. The expectation adds, over the recent period's hours, the baseline rate of each hour of
 * the week, so a Friday-to-Sunday period is compared with past weekends and not with the
 * weekly mean. A bucket the baseline never observed (a skipped daylight-saving hour in a
 * one-week baseline) borrows the baseline's overall rate.
 *
 * No p-value: call counts are overdispersed (weather, events, one caller calling again), so a
 * Poisson test on the ratio would flag ordinary weeks; the ratio is descriptive.
 */
export function recentVsBaseline(
  times: readonly Instant[],
  recent: TimeWindow,
  baselineWeeks: number,
  timeZone: string,
): RecentVsBaseline {
  const baseline = seasonalBaseline(times, recent.from, baselineWeeks, timeZone)
  const totalExposure = baseline.exposure.reduce((a, b) => a + b, 0)
  const totalCount = baseline.counts.reduce((a, b) => a + b, 0)
  const overall = totalExposure > 0 ? totalCount / totalExposure : 0
  const exposure = hourOfWeekExposure(recent, timeZone)
  let expected = 0
  for (let h = 0; h < HOURS_PER_WEEK; h++) {
    const rate = baseline.rate[h]!
    expected += exposure[h]! * (Number.isNaN(rate) ? overall : rate)
  }
  let observed = 0
  for (const at of times) if (at >= recent.from && at < recent.to) observed++
  return { recent, baseline, observed, expected, ratio: expected > 0 ? observed / expected : null }
}
