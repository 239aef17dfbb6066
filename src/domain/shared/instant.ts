/**
 * A point in time as epoch milliseconds (UTC). The domain never reads the clock: callers pass
 * `now` in, which is what lets the policy lab run the same rules on a virtual clock.
 * See docs/decisions/0003-time-as-epoch-milliseconds.md.
 */
export type Instant = number

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** Something that tells the time; the server uses the system clock, the simulator its own. */
export interface Clock {
  now(): Instant
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>()
const hourCache = new Map<string, { utcHour: number; local: number }>()

/**
 * The local hour of day (0-23) of `at` in an IANA time zone. Rules such as "daytime
 * construction noise" are about the city's wall clock, not UTC.
 */
export function localHour(at: Instant, timeZone: string): number {
  // Formatting is slow, and every instant in the same UTC quarter hour has the same local hour
  // (time zones are offset by whole, half or three-quarter hours).
  const utcQuarter = Math.floor(at / (HOUR / 4))
  const cached = hourCache.get(timeZone)
  if (cached?.utcHour === utcQuarter) return cached.local
  let fmt = hourFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' })
    hourFormatters.set(timeZone, fmt)
  }
  const local = Number(fmt.format(at)) % 24
  hourCache.set(timeZone, { utcHour: utcQuarter, local })
  return local
}
