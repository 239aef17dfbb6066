import { describe, expect, it } from 'vitest'
import type { DayCount } from '../analytics/trends.js'
import { addDays, beforeAfter, binomialTwoSidedP } from './before-after.js'

/** `n` calls on each of the given days. */
const on = (days: Record<string, number>): DayCount[] =>
  Object.entries(days).map(([date, count]) => ({ date, count }))

describe('binomialTwoSidedP (hand-computed)', () => {
  it('is twice the tail when p = 1/2: 2 of 12 gives 2·(1+12+66)/4096', () => {
    expect(binomialTwoSidedP(2, 12, 0.5)).toBeCloseTo(158 / 4096, 12)
    expect(binomialTwoSidedP(10, 12, 0.5)).toBeCloseTo(158 / 4096, 12)
  })

  it('adds every outcome no more likely than the one seen when p ≠ 1/2', () => {
    // n = 5, p = 1/3: P(k)·243 = 32, 80, 80, 40, 10, 1. P(0) = 32/243, and the outcomes no more
    // likely than it are k = 0, 4, 5: (32 + 10 + 1)/243.
    expect(binomialTwoSidedP(0, 5, 1 / 3)).toBeCloseTo(43 / 243, 12)
    // P(3) = 40/243: k = 0, 3, 4, 5 → 83/243.
    expect(binomialTwoSidedP(3, 5, 1 / 3)).toBeCloseTo(83 / 243, 12)
  })

  it('is 1 for the most likely outcome and for no trials', () => {
    expect(binomialTwoSidedP(7, 14, 0.5)).toBeCloseTo(1, 12)
    expect(binomialTwoSidedP(0, 0, 0.3)).toBe(1)
  })

  it('stays exact for large counts (SciPy binomtest(450, 1000, 0.5) = 0.0017305355)', () => {
    expect(binomialTwoSidedP(450, 1000, 0.5)).toBeCloseTo(0.0017305355, 8)
  })
})

describe('beforeAfter', () => {
  it('compares equal windows around the split day: 10 before, 2 after', () => {
    const r = beforeAfter(
      on({ '2026-02-20': 4, '2026-02-28': 6, '2026-03-01': 1, '2026-03-14': 1 }),
      '2026-03-01',
      14,
      '2026-06-01',
    )
    expect(r.before).toEqual({
      from: '2026-02-15',
      to: '2026-02-28',
      days: 14,
      count: 10,
      perDay: 10 / 14,
    })
    expect(r.after).toEqual({
      from: '2026-03-01',
      to: '2026-03-14',
      days: 14,
      count: 2,
      perDay: 2 / 14,
    })
    expect(r.changePct).toBeCloseTo(-80, 10)
    expect(r.pValue).toBeCloseTo(158 / 4096, 12)
    expect(r.significant).toBe(true)
  })

  it('counts the first before day and the split day, and nothing outside the windows', () => {
    const r = beforeAfter(
      on({ '2026-02-14': 100, '2026-02-15': 1, '2026-03-01': 1, '2026-03-15': 100 }),
      '2026-03-01',
      14,
    )
    expect([r.before.count, r.after.count]).toEqual([1, 1])
    expect(r.changePct).toBe(0)
  })

  it('shortens the after window to the complete days so far, and weighs the test by it', () => {
    // 28 days before, 14 after (today is 2026-03-15): given 5 calls, each is after with
    // probability 14/42 = 1/3; none after has p = 43/243 (see above).
    const r = beforeAfter(on({ '2026-02-10': 5, '2026-03-15': 9 }), '2026-03-01', 28, '2026-03-15')
    expect(r.after).toMatchObject({ from: '2026-03-01', to: '2026-03-14', days: 14, count: 0 })
    expect(r.before).toMatchObject({ from: '2026-02-01', days: 28, count: 5, perDay: 5 / 28 })
    expect(r.changePct).toBe(-100)
    expect(r.pValue).toBeCloseTo(43 / 243, 12)
    expect(r.significant).toBe(false)
  })

  it('gives no rate and no test while the response has not yet had a whole day', () => {
    const r = beforeAfter(on({ '2026-02-27': 3 }), '2026-03-01', 28, '2026-03-01')
    expect(r.after).toMatchObject({ days: 0, count: 0, perDay: null })
    expect(r.pValue).toBeNull()
    expect(r.changePct).toBeNull()
    expect(r.significant).toBe(false)
  })

  it('gives no change in percent from nothing, but still tests it', () => {
    const r = beforeAfter(on({ '2026-03-02': 6 }), '2026-03-01', 7)
    expect(r.changePct).toBeNull()
    // All 6 after with p = 1/2: 2·(1/64).
    expect(r.pValue).toBeCloseTo(2 / 64, 12)
  })

  it('moves dates across months and years', () => {
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(() => beforeAfter([], '2026-01-01', 0)).toThrow(RangeError)
  })
})
