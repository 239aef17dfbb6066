import { describe, expect, it } from 'vitest'
import { DAY, HOUR } from '../shared/instant.js'
import { repeatLocations, timeToRepeat } from './repeats.js'

const T0 = Date.parse('2026-03-01T00:00:00Z')
const day = (d: number) => T0 + d * DAY

describe('repeat locations', () => {
  // In the window [day 0, day 45): A on days 0, 3, 40; B on day 1; C on days 2 and 12.
  // Outside it: D on day 50, A again on day 60. Given out of order on purpose.
  const events = [
    { place: 'C', at: day(12) },
    { place: 'A', at: day(40) },
    { place: 'B', at: day(1) },
    { place: 'A', at: day(0) },
    { place: 'D', at: day(50) },
    { place: 'C', at: day(2) },
    { place: 'A', at: day(3) },
    { place: 'A', at: day(60) },
  ]
  const report = repeatLocations(events, { from: day(0), to: day(45) })

  it('lists the places with two or more events in the window, busiest first', () => {
    expect(report.events).toBe(6)
    expect(report.places).toBe(3)
    expect(report.repeatPlaces).toEqual([
      { place: 'A', count: 3, firstAt: day(0), lastAt: day(40) },
      { place: 'C', count: 2, firstAt: day(2), lastAt: day(12) },
    ])
    expect(report.repeatPlaceShare).toBeCloseTo(2 / 3, 15)
    expect(report.repeatEventShare).toBeCloseTo(5 / 6, 15)
  })

  it('measures the time to the next event at the same place', () => {
    // Gaps: A 3 and 37 days, C 10 days.
    expect(report.timeToRepeat).toEqual({
      gaps: 3,
      medianMs: 10 * DAY,
      shareWithin7Days: 1 / 3,
      shareWithin30Days: 2 / 3,
    })
  })

  it('breaks ties in count by place key, and keeps the window end exclusive', () => {
    const r = repeatLocations(
      [
        { place: 'z', at: day(1) },
        { place: 'z', at: day(2) },
        { place: 'a', at: day(3) },
        { place: 'a', at: day(4) },
        { place: 'a', at: day(5) }, // at `to`: left out
      ],
      { from: day(0), to: day(5) },
    )
    expect(r.repeatPlaces.map((p) => p.place)).toEqual(['a', 'z'])
    expect(r.events).toBe(4)
  })

  it('summarises gaps: even median, boundaries inclusive, empty is NaN', () => {
    const s = timeToRepeat([30 * DAY, HOUR, 7 * DAY, 31 * DAY])
    expect(s.medianMs).toBe((7 * DAY + 30 * DAY) / 2)
    expect(s.shareWithin7Days).toBe(0.5)
    expect(s.shareWithin30Days).toBe(0.75)
    const none = repeatLocations([{ place: 'x', at: day(1) }], { from: day(0), to: day(2) })
    expect(none.repeatPlaces).toEqual([])
    expect(none.repeatEventShare).toBe(0)
    expect(none.timeToRepeat.gaps).toBe(0)
    expect(none.timeToRepeat.medianMs).toBeNaN()
  })
})
