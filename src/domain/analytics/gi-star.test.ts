import { gridDisk, latLngToCell } from 'h3-js'
import { describe, expect, it } from 'vitest'
import {
  confidenceBins,
  distanceBandNeighbours,
  generalG,
  giStarOnCells,
  h3Neighbours,
  localG,
  minimumBandForOneNeighbour,
  planarDistance,
} from './gi-star.js'

// Vectors T1–T4 of shared/research/analytics-or-anchors.md §0 (PySAL esda getisord doctests).
const points = [
  { x: 10, y: 10 },
  { x: 20, y: 10 },
  { x: 40, y: 10 },
  { x: 15, y: 20 },
  { x: 30, y: 20 },
  { x: 30, y: 30 },
]
const y = [2, 3, 3.2, 5, 8, 7]
const band = distanceBandNeighbours(points, 15, planarDistance)

function expectAll(actual: readonly number[], expected: readonly number[], tol: number) {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i]!), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(
      tol,
    )
  })
}

describe('neighbours', () => {
  it('builds the T1 distance band (0 < d ≤ 15, inclusive)', () => {
    expect(band).toEqual([[1, 3], [0, 3, 4], [4], [0, 1, 4], [1, 2, 3, 5], [4]])
  })

  it('finds the smallest band that leaves no feature alone', () => {
    // Feature 2's nearest neighbour is feature 4 at √200.
    expect(minimumBandForOneNeighbour(points, planarDistance)).toBeCloseTo(Math.sqrt(200), 12)
  })
})

describe('local Getis-Ord', () => {
  it('T1: Gi*, binary weights, self included', () => {
    const r = localG(y, band, { star: true })
    expectAll(
      r.map((x) => x.z),
      [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331],
      1e-7,
    )
    // Two-sided p-values from §1.1.
    expectAll(
      r.map((x) => x.p),
      [0.1623, 0.7724, 0.5153, 0.7724, 0.217, 0.0429],
      1e-4,
    )
  })

  it('T1: only feature 5 reaches the 95 % bin, and none survives FDR (§6 item 1)', () => {
    const r = localG(y, band, { star: true })
    expect(r.map((x) => x.bin)).toEqual([0, 0, 0, 0, 0, 2])
    expect(r.map((x) => x.fdrBin)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('T1 agrees with the ArcGIS formula written out independently', () => {
    const n = y.length
    const mean = y.reduce((a, b) => a + b, 0) / n
    const s = Math.sqrt(y.reduce((a, b) => a + b * b, 0) / n - mean * mean)
    const arcgis = band.map((row, i) => {
      const members = [i, ...row]
      const w = members.length
      const sum = members.reduce((a, j) => a + y[j]!, 0)
      return (sum - mean * w) / (s * Math.sqrt((n * w - w * w) / (n - 1)))
    })
    expectAll(
      localG(y, band, { star: true }).map((x) => x.z),
      arcgis,
      1e-12,
    )
  })

  it('T2: Gi, binary weights, self excluded', () => {
    expectAll(
      localG(y, band, { star: false }).map((x) => x.z),
      [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941],
      1e-7,
    )
  })

  it('T3: Gi, row-standardised weights (esda convention)', () => {
    expectAll(
      localG(y, band, { star: false, style: 'row' }).map((x) => x.z),
      [-0.62074534, -0.01780611, 1.31558703, -0.12824171, 0.28843496, 1.77833941],
      1e-7,
    )
  })

  it('Gi*, row-standardised, self-weight = row max (esda G_Local doctest)', () => {
    expectAll(
      localG(y, band, { star: true, style: 'row' }).map((x) => x.z),
      [-0.62488094, -0.09144599, 0.41150696, -0.09144599, 0.24690418, 1.28024388],
      1e-7,
    )
  })

  it("gives esda's G_i statistic: the neighbourhood's share of the total", () => {
    const r = localG(y, band, { star: true })
    // Feature 2: itself (3.2) and feature 4 (8) out of 28.2.
    expect(r[2]!.g).toBeCloseTo(11.2 / 28.2, 14)
    const gi = localG(y, band, { star: false })
    // Without self the denominator leaves feature 2 out: 8 / (28.2 − 3.2).
    expect(gi[2]!.g).toBeCloseTo(8 / 25, 14)
  })

  it('is undefined (NaN, bin 0) without neighbours for Gi or without variation', () => {
    const r = localG([1, 2, 3, 4], [[1], [0], [], [2]], { star: false })
    expect(r[2]!.z).toBeNaN()
    expect(r[2]!.bin).toBe(0)
    expect(r[2]!.fdrBin).toBe(0)
    const flat = localG([5, 5, 5], [[1], [0, 2], [1]], { star: true })
    expect(flat.every((x) => Number.isNaN(x.z) && x.bin === 0)).toBe(true)
  })

  it('rejects a feature listed as its own neighbour, and mismatched lengths', () => {
    expect(() => localG([1, 2], [[0], [0]], { star: true })).toThrow(RangeError)
    expect(() => localG([1, 2, 3], [[1], [0]], { star: true })).toThrow(RangeError)
  })
})

describe('confidence bins', () => {
  it('bins by p without FDR and by the BH-adjusted p with it; z keeps the sign', () => {
    const z = [3.5, 2.2, -2.0, 1.0, 0.1]
    const p = z.map((v) => 2 * (1 - normalCdfRef(Math.abs(v))))
    // p ≈ 0.000465, 0.0278, 0.0455, 0.317, 0.920; BH q ≈ 0.0023, 0.0695, 0.0759, 0.397, 0.920.
    expect(confidenceBins(z, p, { fdr: false })).toEqual([3, 2, -2, 0, 0])
    expect(confidenceBins(z, p, { fdr: true })).toEqual([3, 1, -1, 0, 0])
  })

  it('puts a p exactly at a level into that level', () => {
    expect(confidenceBins([-2, 2, 1.7], [0.01, 0.05, 0.1], { fdr: false })).toEqual([-3, 2, 1])
  })
})

/** A plain reference for the test above (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
function normalCdfRef(x: number): number {
  const t = 1 / (1 + 0.2316419 * x)
  const poly =
    t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  return 1 - (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly
}

describe('global General G', () => {
  it('T4: G and its one-sided p_norm', () => {
    const g = generalG(y, band)
    expect(Math.abs(g.g - 0.55709779)).toBeLessThanOrEqual(1e-6)
    expect(Math.abs(g.pNorm - 0.172936)).toBeLessThanOrEqual(1e-6)
    expect(g.pTwoSided).toBeCloseTo(2 * g.pNorm, 15)
    expect(g.z).toBeGreaterThan(0)
    expect(g.expected).toBeCloseTo(14 / 30, 15) // S0 / (n(n−1)): 14 directed links
  })

  it('counts an asymmetric link once in S0 and treats it as one-way in S1', () => {
    // Removing one direction of a link changes G's numerator by exactly that product.
    const oneWay = band.map((row, i) => (i === 2 ? [] : [...row]))
    const full = generalG(y, band)
    const cut = generalG(y, oneWay)
    const denom = 28.2 * 28.2 - y.reduce((a, b) => a + b * b, 0)
    expect(full.g - cut.g).toBeCloseTo((3.2 * 8) / denom, 14)
    expect(cut.expected).toBeCloseTo(13 / 30, 15)
  })
})

describe('Gi* on H3 cells', () => {
  it('equals Gi* on the same graph given through a neighbour function', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f']
    const counts = new Map(keys.map((k, i) => [k, y[i]!]))
    // The function may return the cell itself and cells outside the study area: both ignored.
    const result = giStarOnCells(counts, (cell) => {
      const i = keys.indexOf(cell)
      return [cell, 'outside', ...band[i]!.map((j) => keys[j]!)]
    })
    expect(result.map((r) => r.cell)).toEqual(keys)
    expect(result.map((r) => r.count)).toEqual(y)
    expectAll(
      result.map((r) => r.z),
      [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331],
      1e-7,
    )
  })

  it('finds a hot cell at the centre of a k-ring, with a symmetric ring around it', () => {
    const centre = latLngToCell(39.2904, -76.6122, 9)
    const ring1 = h3Neighbours(1)(centre)
    expect(ring1).toHaveLength(6)
    expect(ring1).not.toContain(centre)
    const counts = new Map<string, number>()
    for (const cell of gridDisk(centre, 4)) counts.set(cell, 0)
    counts.set(centre, 20)
    for (const cell of ring1) counts.set(cell, 5)
    const result = giStarOnCells(counts, h3Neighbours(1))
    const byCell = new Map(result.map((r) => [r.cell, r]))
    const top = [...result].sort((a, b) => b.z - a.z)[0]!
    expect(top.cell).toBe(centre)
    expect(top.bin).toBe(3)
    const ringZ = ring1.map((c) => byCell.get(c)!.z)
    for (const z of ringZ) expect(z).toBeCloseTo(ringZ[0]!, 10)
  })
})
