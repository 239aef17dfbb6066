import { describe, expect, it } from 'vitest'
import {
  concentrationCurve,
  concentrationReport,
  poissonConcentrationBaseline,
  shareOfPlacesHolding,
} from './concentration.js'

describe('Poisson baseline of concentration', () => {
  it('T14: share of places holding 50 % of events under random placement, to 0.1 pp', () => {
    const t14: [number, number][] = [
      [0.25, 0.096],
      [0.5, 0.143],
      [1.5, 0.235],
      [5, 0.334],
      [20, 0.413],
    ]
    for (const [lambda, expected] of t14) {
      expect(Math.abs(poissonConcentrationBaseline(lambda) - expected)).toBeLessThanOrEqual(0.001)
    }
  })

  it('λ = 0.25 worked by hand: P(X ≥ 2) + (0.5 − P(X ≥ 1)) · λ / 1', () => {
    const p0 = Math.exp(-0.25)
    const p1 = 0.25 * p0
    const expected = 1 - p0 - p1 + (0.5 - (1 - p0)) * 0.25
    expect(poissonConcentrationBaseline(0.25)).toBeCloseTo(expected, 14)
  })

  it('is the limit of the observed measure on counts laid out exactly as Poisson(1.5)', () => {
    // 10⁶ places whose counts follow the Poisson(1.5) frequencies: the observed share must
    // land on the baseline (up to rounding the frequencies).
    const places = 1_000_000
    const counts: number[] = []
    let pk = Math.exp(-1.5)
    for (let k = 0; k < 30; k++) {
      const howMany = Math.round(pk * places)
      for (let i = 0; i < howMany; i++) counts.push(k)
      pk *= 1.5 / (k + 1)
    }
    const observed = shareOfPlacesHolding(counts, 0.5, { places: counts.length })
    expect(Math.abs(observed.share - poissonConcentrationBaseline(1.5))).toBeLessThan(1e-5)
    expect(poissonConcentrationBaseline(1.5, 1)).toBeCloseTo(1 - Math.exp(-1.5), 12)
  })

  it('rises towards 50 % as events per place grow, and rejects nonsense', () => {
    const shares = [0.1, 1, 10, 100, 1000].map((l) => poissonConcentrationBaseline(l))
    for (let i = 1; i < shares.length; i++) expect(shares[i]!).toBeGreaterThan(shares[i - 1]!)
    expect(shares.at(-1)!).toBeLessThan(0.5)
    expect(shares.at(-1)!).toBeGreaterThan(0.47)
    expect(() => poissonConcentrationBaseline(0)).toThrow(RangeError)
    expect(() => poissonConcentrationBaseline(1, 0)).toThrow(RangeError)
  })
})

describe('observed concentration', () => {
  // Five places, ten events: sorted 5, 3, 2, 0, 0.
  const counts = [5, 0, 3, 2, 0]

  it('draws the curve from the busiest place, zeros as one last segment', () => {
    expect(concentrationCurve(counts)).toEqual([
      { placeShare: 0, eventShare: 0 },
      { placeShare: 0.2, eventShare: 0.5 },
      { placeShare: 0.4, eventShare: 0.8 },
      { placeShare: 0.6, eventShare: 1 },
      { placeShare: 1, eventShare: 1 },
    ])
    // Places without events may be given as a number instead of zeros.
    expect(concentrationCurve([5, 3, 2], { places: 5 })).toEqual(concentrationCurve(counts))
    expect(concentrationCurve([0, 0])).toEqual([{ placeShare: 0, eventShare: 0 }])
  })

  it('finds the share of places holding a fraction of events, interpolating in the last', () => {
    expect(shareOfPlacesHolding(counts)).toEqual({ placeCount: 1, share: 0.2 })
    // 60 % = 6 events: the 5 of the first place and 1 of the 3 of the second.
    const sixty = shareOfPlacesHolding(counts, 0.6)
    expect(sixty.placeCount).toBe(2)
    expect(sixty.share).toBeCloseTo((1 + 1 / 3) / 5, 15)
    expect(shareOfPlacesHolding(counts, 1)).toEqual({ placeCount: 3, share: 0.6 })
    expect(shareOfPlacesHolding([5, 3, 2], 0.5, { places: 10 }).share).toBeCloseTo(0.1, 15)
  })

  it('reports observed and random side by side', () => {
    const r = concentrationReport(counts)
    expect(r.places).toBe(5)
    expect(r.events).toBe(10)
    expect(r.eventsPerPlace).toBe(2)
    expect(r.observed.share).toBe(0.2)
    expect(r.randomBaseline).toBeCloseTo(poissonConcentrationBaseline(2), 15)
    expect(r.placesWithEvents).toBe(0.6)
    expect(r.placesWithEventsRandom).toBeCloseTo(1 - Math.exp(-2), 15)
    // Twenty calls on a hundred blocks: 50 % on about 10 % of blocks by chance alone.
    expect(concentrationReport(new Array(20).fill(1), { places: 100 }).randomBaseline).toBeCloseTo(
      0.1,
      1,
    )
  })

  it('refuses fewer places than counts and negative counts', () => {
    expect(() => concentrationCurve([1, 2, 3], { places: 2 })).toThrow(RangeError)
    expect(() => shareOfPlacesHolding([1, -1])).toThrow(RangeError)
  })
})
