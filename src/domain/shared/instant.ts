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

const offsetFormatters = new Map<string, Intl.DateTimeFormat>()

/** Minutes the zone is ahead of UTC at `at` (negative west of Greenwich). */
export function zoneOffsetMinutes(at: Instant, timeZone: string): number {
  let fmt = offsetFormatters.get(timeZone)
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    offsetFormatters.set(timeZone, fmt)
  }
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]))
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!)
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / MINUTE)
}

/**
 * Reads a local wall-clock time without a zone ('2023-01-01 00:00:05', as CAD exports write
 * them) as an instant in the given zone. Returns NaN when the text is not a date and time.
 */
export function localDateTimeToInstant(text: string, timeZone: string): Instant {
  const m = text.trim().match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/)
  if (!m) return Number.NaN
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0))
  // Two passes settle the offset on either side of a daylight-saving change.
  const first = asUtc - zoneOffsetMinutes(asUtc, timeZone) * MINUTE
  return asUtc - zoneOffsetMinutes(first, timeZone) * MINUTE
}
