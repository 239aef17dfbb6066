import { describe, expect, it } from 'vitest'
import { localDateTimeToInstant, localHour, zoneOffsetMinutes } from './instant.js'

describe('local time', () => {
  it('reads a zone-less CAD time stamp in the city zone, across daylight saving', () => {
    expect(
      new Date(localDateTimeToInstant('2023-01-01 00:00:05', 'America/Los_Angeles')).toISOString(),
    ).toBe('2023-01-01T08:00:05.000Z')
    expect(
      new Date(localDateTimeToInstant('2023-07-01 12:30:00', 'America/Los_Angeles')).toISOString(),
    ).toBe('2023-07-01T19:30:00.000Z')
    expect(
      new Date(localDateTimeToInstant('2026-11-22T09:15', 'America/New_York')).toISOString(),
    ).toBe('2026-11-22T14:15:00.000Z')
    expect(localDateTimeToInstant('yesterday', 'America/New_York')).toBeNaN()
  })

  it('gives the local hour, also in zones offset by a quarter hour', () => {
    expect(localHour(Date.parse('2026-11-22T15:00:00Z'), 'America/New_York')).toBe(10)
    expect(localHour(Date.parse('2026-11-23T04:59:59Z'), 'America/New_York')).toBe(23)
    // Nepal is UTC+5:45: 18:14 UTC is 23:59 there, 18:15 is midnight.
    expect(localHour(Date.parse('2026-11-22T18:14:00Z'), 'Asia/Kathmandu')).toBe(23)
    expect(localHour(Date.parse('2026-11-22T18:15:00Z'), 'Asia/Kathmandu')).toBe(0)
    expect(zoneOffsetMinutes(Date.parse('2026-11-22T18:15:00Z'), 'Asia/Kathmandu')).toBe(345)
  })
})
