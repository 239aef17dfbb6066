import { describe, expect, it } from 'vitest'
import { averageRanks, coincidence, fisherExact, spearman } from './coincidence.js'

function expectRelative(actual: number, expected: number, tol: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected))
}

// Reference values from SciPy 1.17 (stats.spearmanr, stats.fisher_exact).
describe('Spearman rank correlation', () => {
  it('averages tied ranks', () => {
    expect(averageRanks([10, 20, 10, 30])).toEqual([1.5, 3, 1.5, 4])
    expect(averageRanks([0, 0, 0])).toEqual([2, 2, 2])
  })

  it('matches scipy.stats.spearmanr with ties', () => {
    const r = spearman([0, 0, 1, 2, 5, 3, 0, 7, 1, 4], [1, 0, 0, 3, 6, 2, 0, 9, 1, 2])
    expectRelative(r.rho, 0.8808820711482556, 1e-12)
    expectRelative(r.p, 0.0007610559210882637, 1e-9)
    const s = spearman([3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8])
    expectRelative(s.rho, 0.19885368120992467, 1e-12)
    expectRelative(s.p, 0.6368617833253286, 1e-9)
  })

  it('gives ρ = −1 and p = 0 for a reversed order; NaN without variation', () => {
    const r = spearman([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1])
    expect(r.rho).toBe(-1)
    expect(r.p).toBe(0)
    expect(spearman([1, 2, 3], [4, 4, 4]).rho).toBeNaN()
  })
})

describe("Fisher's exact test", () => {
  it('matches scipy.stats.fisher_exact (two-sided) and its odds ratio', () => {
    const a = fisherExact([
      [8, 2],
      [1, 5],
    ])
    expect(a.oddsRatio).toBe(20)
    expectRelative(a.p, 0.034965034965034975, 1e-12)
    const b = fisherExact([
      [3, 1],
      [1, 3],
    ])
    expect(b.oddsRatio).toBe(9)
    expectRelative(b.p, 0.48571428571428565, 1e-12)
    const c = fisherExact([
      [12, 30],
      [25, 933],
    ])
    expectRelative(c.oddsRatio, 14.928, 1e-12)
    expectRelative(c.p, 5.1167653020353375e-9, 1e-9)
  })

  it('handles empty cells: infinite odds ratio, equally likely extremes both counted', () => {
    const r = fisherExact([
      [3, 0],
      [0, 3],
    ])
    expect(r.oddsRatio).toBe(Number.POSITIVE_INFINITY)
    expectRelative(r.p, 0.1, 1e-12) // 1/20 for this table and 1/20 for its mirror
    expect(
      fisherExact([
        [0, 0],
        [0, 4],
      ]).oddsRatio,
    ).toBeNaN()
  })
})

describe('311 and 911 coincidence', () => {
  // Eight blocks. Top 2 on 311: A (10), B (8). Top 2 on 911: A (8), C (6).
  const blocks = [
    { block: 'A', calls311: 10, calls911: 8 },
    { block: 'B', calls311: 8, calls911: 1 },
    { block: 'C', calls311: 0, calls911: 6 },
    { block: 'D', calls311: 5, calls911: 5 },
    { block: 'E', calls311: 1, calls911: 0 },
    { block: 'F', calls311: 0, calls911: 0 },
    { block: 'G', calls311: 0, calls911: 0 },
    { block: 'H', calls311: 2, calls911: 0 },
  ]
  const c = coincidence(blocks, { topK: 2 })

  it('lists the blocks hot on both lines', () => {
    expect(c.blocks).toBe(8)
    expect(c.coincident).toEqual(['A'])
  })

  it('measures the share of 311 calls on the top 911 blocks against their share of blocks', () => {
    expect(c.top911.k).toBe(2)
    expect(c.top911.blockShare).toBe(0.25)
    expect(c.top911.share311).toBeCloseTo(10 / 26, 15)
    expect(c.top911.lift).toBeCloseTo(10 / 26 / 0.25, 14)
  })

  it('tabulates hot × hot with an odds ratio and Fisher p', () => {
    expect(c.hotTable.table).toEqual([
      [1, 1],
      [1, 5],
    ])
    expect(c.hotTable.oddsRatio).toBe(5)
    expectRelative(c.hotTable.p, 0.46428571428571425, 1e-12)
  })

  it('gives the rank correlation over all blocks', () => {
    expectRelative(c.spearman.rho, 0.5068783637872855, 1e-12)
    expectRelative(c.spearman.p, 0.19984335762822728, 1e-9)
  })

  it('never calls a block without calls hot, and rejects a block given twice', () => {
    const quiet = coincidence(
      [
        { block: 'A', calls311: 3, calls911: 2 },
        { block: 'B', calls311: 0, calls911: 0 },
        { block: 'C', calls311: 0, calls911: 0 },
        { block: 'D', calls311: 1, calls911: 0 },
      ],
      { topK: 3 },
    )
    expect(quiet.top911.k).toBe(1)
    expect(quiet.hotTable.table).toEqual([
      [1, 1],
      [0, 2],
    ])
    expect(() =>
      coincidence(
        [
          { block: 'A', calls311: 1, calls911: 1 },
          { block: 'A', calls311: 1, calls911: 1 },
        ],
        { topK: 1 },
      ),
    ).toThrow(RangeError)
  })
})
