import { describe, expect, it } from 'vitest'
import { seededRandom } from '../shared/seeded-random.js'
import { knoxPermutationP, knoxTable, knoxTest } from './knox.js'

interface Ev {
  x: number
  y: number
  t: number
}
const options = (delta: number, tau: number) => ({
  delta,
  tau,
  distance: (a: Ev, b: Ev) => Math.hypot(a.x - b.x, a.y - b.y),
  time: (e: Ev) => e.t,
})

describe('Knox table', () => {
  it('T6 from its published marginals: table, expectation and pointpats p_poisson', () => {
    // T6 itself (the 188 burkitt cases, δ = 20, τ = 5) cannot be run: the data are not
    // available here. Its published result gives the marginals: NS = 13 + 3416 pairs close in
    // space, NT = 13 + 39 close in time, NST = 13, n = 188 (17,578 pairs).
    const k = knoxTable(188, 3429, 52, 13)
    expect(k.pairs).toBe(17578)
    expect(k.observed).toEqual([
      [13, 3416],
      [39, 14110],
    ])
    expect(Math.abs(k.expected[0][0] - 10.1438161)).toBeLessThanOrEqual(1e-6)
    expect(Math.abs(k.expected[0][1] - 3418.85618)).toBeLessThanOrEqual(1e-5)
    expect(Math.abs(k.expected[1][0] - 41.8561839)).toBeLessThanOrEqual(1e-6)
    expect(Math.abs(k.expected[1][1] - 14107.1438)).toBeLessThanOrEqual(1e-4)
    expect(Math.abs(k.pPoisson - 0.146245582)).toBeLessThanOrEqual(1e-6)
    // The textbook P(X ≥ 13).
    expect(Math.abs(k.pPoissonAtLeast - 0.2222666739)).toBeLessThanOrEqual(1e-9)
  })
})

describe('Knox pair counting', () => {
  // Hand-counted: within δ = 1.5 are (0,1) at 1, (0,4) at 1, (1,4) at √2 and (2,3) at 1;
  // within τ = 2 only (0,1) at Δt = 1. So NS = 4, NT = 1, NST = 1 of 10 pairs.
  const events: Ev[] = [
    { x: 0, y: 0, t: 0 },
    { x: 1, y: 0, t: 1 },
    { x: 10, y: 0, t: 5 },
    { x: 10, y: 1, t: 20 },
    { x: 0, y: 1, t: 30 },
  ]

  it('counts pairs close in space, in time and in both', () => {
    const k = knoxTest(events, options(1.5, 2))
    expect(k.closeInSpace).toBe(4)
    expect(k.closeInTime).toBe(1)
    expect(k.closeInBoth).toBe(1)
    expect(k.observed).toEqual([
      [1, 3],
      [0, 6],
    ])
    expect(k.expected[0][0]).toBeCloseTo(0.4, 15)
    expect(k.expected[0][1]).toBeCloseTo(3.6, 14)
    expect(k.expected[1][0]).toBeCloseTo(0.6, 15)
    expect(k.expected[1][1]).toBeCloseTo(5.4, 14)
    // P(X > 1) = 1 − e^(−0.4)(1 + 0.4); P(X ≥ 1) = 1 − e^(−0.4).
    expect(k.pPoisson).toBeCloseTo(0.061551935550104964, 14)
    expect(k.pPoissonAtLeast).toBeCloseTo(0.3296799539643607, 14)
  })

  it('includes pairs exactly at δ and τ', () => {
    const k = knoxTest(events, options(1, 1))
    expect(k.closeInSpace).toBe(3) // the √2 pair drops out, the three at 1 stay
    expect(k.closeInTime).toBe(1) // Δt = 1
    expect(k.closeInBoth).toBe(1)
  })

  it('does not depend on the order of the events; expected[0][0] = row0 · col0 / total', () => {
    const random = seededRandom(42)
    const many: Ev[] = Array.from({ length: 60 }, () => ({
      x: Math.floor(random() * 50),
      y: Math.floor(random() * 50),
      t: Math.floor(random() * 100),
    }))
    const k = knoxTest(many, options(8, 6))
    const reversed = knoxTest([...many].reverse(), options(8, 6))
    // i ↦ 7i mod 60 is a permutation because 7 and 60 are coprime.
    const shuffled = many.map((_, i) => many[(i * 7) % many.length]!)
    expect(reversed).toEqual(k)
    expect(knoxTest(shuffled, options(8, 6))).toEqual(k)
    const [[a, b], [c, d]] = k.observed
    const total = a + b + c + d
    expect(total).toBe((60 * 59) / 2)
    expect(k.expected[0][0]).toBeCloseTo(((a + b) * (a + c)) / total, 12)
    const e = k.expected
    expect(e[0][0] + e[0][1] + e[1][0] + e[1][1]).toBeCloseTo(total, 9)
    expect(e[0][0] + e[0][1]).toBeCloseTo(a + b, 9) // margins are kept
    expect(e[0][0] + e[1][0]).toBeCloseTo(a + c, 9)
    expect(k.closeInBoth).toBeGreaterThan(0)
  })
})

describe('Knox permutation p-value', () => {
  // Ten clusters of three events, each cluster tight in space and in time, clusters far apart
  // in both: all 30 spatial pairs are also temporal pairs. A shuffle of the times practically
  // never keeps all 30, so p = 1/(permutations + 1).
  const clustered: Ev[] = []
  for (let c = 0; c < 10; c++) {
    for (let m = 0; m < 3; m++) clustered.push({ x: c * 100 + m, y: 0, t: c * 10 + m * 0.5 })
  }

  it('finds strong space-time interaction, repeatably for a seed', () => {
    const k = knoxTest(clustered, options(5, 2))
    expect(k.closeInSpace).toBe(30)
    expect(k.closeInBoth).toBe(30)
    const p = knoxPermutationP(clustered, options(5, 2), 99, seededRandom(7))
    expect(p).toBe(0.01)
    expect(knoxPermutationP(clustered, options(5, 2), 99, seededRandom(7))).toBe(p)
  })

  it('gives p = 1 when no pair is close in space (every shuffle ties at 0)', () => {
    const far: Ev[] = clustered.map((e, i) => ({ ...e, x: i * 1000 }))
    expect(knoxPermutationP(far, options(5, 2), 19, seededRandom(1))).toBe(1)
  })
})
