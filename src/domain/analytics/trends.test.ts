import { describe, expect, it } from 'vitest'
import { DAY, localDateTimeToInstant } from '../shared/instant.js'
import {
  countsByDay,
  countsByHourOfWeek,
  HOURS_PER_WEEK,
  hourOfWeek,
  hourOfWeekExposure,
  localDate,
  localTimeIn,
  recentVsBaseline,
  seasonalBaseline,
} from './trends.js'

const NY = 'America/New_York'
const at = (text: string, zone = NY) => localDateTimeToInstant(text, zone)

describe('local calendar', () => {
  it('puts Monday 00h local in bucket 0 and Sunday 23h in 167', () => {
    // 2026-03-02 is a Monday.
    expect(hourOfWeek(at('2026-03-02 00:30'), NY)).toBe(0)
    expect(hourOfWeek(at('2026-03-01 23:59'), NY)).toBe(167)
    expect(hourOfWeek(at('2026-03-06 22:10'), NY)).toBe(4 * 24 + 22) // Friday 22h
    // Nepal is UTC+5:45: 18:15 UTC on Sunday 22 November 2026 is Monday 00:00 there.
    expect(hourOfWeek(Date.parse('2026-11-22T18:15:00Z'), 'Asia/Kathmandu')).toBe(0)
    expect(hourOfWeek(Date.parse('2026-11-22T18:14:59Z'), 'Asia/Kathmandu')).toBe(167)
  })

  it('follows daylight saving to the millisecond', () => {
    // New York springs forward at 07:00 UTC on 8 March 2026 (02:00 EST becomes 03:00 EDT).
    const lt = localTimeIn(NY)
    const change = Date.parse('2026-03-08T07:00:00Z')
    expect(lt.offsetMinutes(change - 1)).toBe(-300)
    expect(lt.offsetMinutes(change)).toBe(-240)
    expect(hourOfWeek(change - 1, lt)).toBe(6 * 24 + 1)
    expect(hourOfWeek(change, lt)).toBe(6 * 24 + 3)
    expect(localDate(Date.parse('2026-03-08T04:59:59Z'), NY)).toBe('2026-03-07')
    expect(localDate(Date.parse('2026-03-08T05:00:00Z'), NY)).toBe('2026-03-08')
  })
})

describe('counts by day and by hour of the week', () => {
  it('counts per local day, zero days included, across a daylight-saving change', () => {
    const window = { from: at('2026-03-07 00:00'), to: at('2026-03-10 00:00') }
    const times = [
      at('2026-03-07 23:30'), // 04:30 UTC on the 8th, still the 7th in New York
      at('2026-03-08 01:30'), // EST
      at('2026-03-08 04:30'), // EDT
      at('2026-03-10 00:00'), // the window's end: left out
      at('2026-03-06 23:59'), // before the window
    ]
    expect(countsByDay(times, window, NY)).toEqual([
      { date: '2026-03-07', count: 1 },
      { date: '2026-03-08', count: 2 },
      { date: '2026-03-09', count: 0 },
    ])
  })

  it('counts per hour-of-week bucket', () => {
    const window = { from: at('2026-02-02 00:00'), to: at('2026-02-09 00:00') }
    const counts = countsByHourOfWeek(
      [
        at('2026-02-02 09:05'),
        at('2026-02-02 09:55'),
        at('2026-02-08 23:00'),
        at('2026-02-09 01:00'),
      ],
      window,
      NY,
    )
    expect(counts).toHaveLength(HOURS_PER_WEEK)
    expect(counts[9]).toBe(2)
    expect(counts[167]).toBe(1)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3)
  })
})

describe('exposure: hours observed per bucket', () => {
  it('is 4 in every bucket over four ordinary weeks', () => {
    const from = at('2026-01-05 00:00')
    const e = hourOfWeekExposure({ from, to: from + 28 * DAY }, NY)
    expect(e.every((h) => Math.abs(h - 4) < 1e-12)).toBe(true)
  })

  it('skips the spring hour and repeats the autumn one', () => {
    // Seven days of 24 h from Monday 00:00 EST end at Monday 01:00 EDT.
    const spring = hourOfWeekExposure(
      { from: at('2026-03-02 00:00'), to: at('2026-03-09 01:00') },
      NY,
    )
    expect(spring[6 * 24 + 2]).toBe(0) // Sunday 02h never happened
    expect(spring[0]).toBe(2) // Monday 00h at both ends
    expect(spring.reduce((a, b) => a + b, 0)).toBeCloseTo(168, 12)
    const from = at('2026-10-26 00:00')
    const autumn = hourOfWeekExposure({ from, to: from + 7 * DAY }, NY)
    expect(autumn[6 * 24 + 1]).toBe(2) // Sunday 01h twice on 1 November
    expect(autumn[167]).toBe(0) // the week ends at Sunday 23:00 EST
    expect(autumn.reduce((a, b) => a + b, 0)).toBeCloseTo(168, 12)
  })

  it('cuts an hour at an offset change that is not on the hour', () => {
    // Newfoundland (UTC−3:30) sprang forward at 00:01 local until 2011: on Sunday 14 March
    // 2010, 00:01 NST became 01:01 NDT, so Sunday 00h lasted one minute and 01h 59 minutes.
    const zone = 'America/St_Johns'
    const from = at('2010-03-08 00:00', zone)
    const e = hourOfWeekExposure({ from, to: from + 7 * DAY }, zone)
    expect(e[6 * 24]).toBeCloseTo(1 / 60, 12)
    expect(e[6 * 24 + 1]).toBeCloseTo(59 / 60, 12)
    expect(e[6 * 24 + 2]).toBe(1)
    expect(e.reduce((a, b) => a + b, 0)).toBeCloseTo(168, 12)
  })

  it('splits hours in a zone a quarter hour off UTC', () => {
    const from = Date.parse('2026-06-01T00:00:00Z') // 05:45 in Kathmandu
    const e = hourOfWeekExposure({ from, to: from + 7 * DAY }, 'Asia/Kathmandu')
    expect(e.every((h) => Math.abs(h - 1) < 1e-12)).toBe(true)
    const short = hourOfWeekExposure({ from, to: from + 30 * 60_000 }, 'Asia/Kathmandu')
    expect(short[5]).toBeCloseTo(0.25, 12) // Monday 05:45–06:00
    expect(short[6]).toBeCloseTo(0.25, 12) // Monday 06:00–06:15
  })
})

describe('seasonal baseline and the recent period', () => {
  // Four baseline weeks from Monday 5 January 2026: every Monday two calls at 09h and every
  // Friday one at 22h. Then a recent week with six Monday 09h calls and one Friday 22h call.
  const weekStarts = ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26']
  const times: number[] = []
  for (const monday of weekStarts) {
    const m = at(`${monday} 00:00`)
    times.push(m + 9 * 3_600_000 + 60_000, m + 9 * 3_600_000 + 120_000)
    times.push(m + 4 * DAY + 22 * 3_600_000)
  }
  const recentMonday = at('2026-02-02 00:00')
  for (let i = 0; i < 6; i++) times.push(recentMonday + 9 * 3_600_000 + i * 60_000)
  times.push(recentMonday + 4 * DAY + 22 * 3_600_000 + 5 * 60_000)

  it('gives the mean per hour of the week over the past weeks', () => {
    const b = seasonalBaseline(times, recentMonday, 4, NY)
    expect(b.window).toEqual({ from: at('2026-01-05 00:00'), to: recentMonday })
    expect(b.rate[9]).toBe(2)
    expect(b.rate[4 * 24 + 22]).toBe(1)
    expect(b.rate[10]).toBe(0)
    expect(b.counts.reduce((a, x) => a + x, 0)).toBe(12)
    expect(() => seasonalBaseline(times, recentMonday, 0, NY)).toThrow(RangeError)
  })

  it('compares the recent period with the baseline for the same hours', () => {
    const week = recentVsBaseline(times, { from: recentMonday, to: recentMonday + 7 * DAY }, 4, NY)
    expect(week.observed).toBe(7)
    expect(week.expected).toBeCloseTo(3, 12)
    expect(week.ratio).toBeCloseTo(7 / 3, 12)
    // Only the Monday: the baseline expects the two Monday-morning calls, not the weekly mean.
    const monday = recentVsBaseline(times, { from: recentMonday, to: recentMonday + DAY }, 4, NY)
    expect(monday.expected).toBeCloseTo(2, 12)
    expect(monday.ratio).toBeCloseTo(3, 12)
    // Tuesday had no calls in the baseline: nothing expected, no ratio.
    const tuesday = recentVsBaseline(
      times,
      { from: recentMonday + DAY, to: recentMonday + 2 * DAY },
      4,
      NY,
    )
    expect(tuesday.expected).toBe(0)
    expect(tuesday.ratio).toBeNull()
  })
})
