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

/**
 * The local hour of day (0-23) of `at` in an IANA time zone. Rules such as "daytime
 * construction noise" are about the city's wall clock, not UTC.
 */
export function localHour(at: Instant, timeZone: string): number {
  let fmt = hourFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' })
    hourFormatters.set(timeZone, fmt)
  }
  return Number(fmt.format(at)) % 24
}
