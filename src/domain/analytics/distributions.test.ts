import { describe, expect, it } from 'vitest'
import {
  benjaminiHochberg,
  erfc,
  logFactorial,
  logGamma,
  normalCdf,
  normalSf,
  poissonSf,
  regularizedIncompleteBeta,
  studentTTwoSidedP,
  twoSidedNormalP,
} from './distributions.js'

/** |actual − expected| ≤ tol · |expected| */
function expectRelative(actual: number, expected: number, tol: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected))
}

// Reference values from SciPy 1.17 (scipy.special / scipy.stats).
describe('erfc and the normal distribution', () => {
  it('matches scipy.special.erfc to 1e-13 relative, in both branches and far into the tail', () => {
    const cases: [number, number][] = [
      [-1.5, 1.9661051464753108],
      [0, 1],
      [0.1, 0.8875370839817152],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028516],
      [1.4999, 0.033906748337704726],
      [1.5, 0.03389485352468927],
      [2, 0.004677734981047266],
      [2.4999, 0.0004071699003334512],
      [2.5, 0.00040695201744495886],
      [3, 2.2090496998585445e-5],
      [4, 1.541725790028002e-8],
      [5, 1.5374597944280347e-12],
      [6, 2.1519736712498913e-17],
      [10, 2.0884875837625446e-45],
      [20, 5.395865611607901e-176],
    ]
    for (const [x, expected] of cases) expectRelative(erfc(x), expected, 1e-13)
    expect(erfc(30)).toBe(0)
    expect(erfc(Number.NaN)).toBeNaN()
  })

  it('gives the normal CDF and tails to 1e-9 at the usual cut-offs', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12)
    expectRelative(normalSf(1.6448536269514722), 0.05, 1e-12)
    expectRelative(normalSf(2.5758293035489004), 0.005, 1e-12)
    expectRelative(twoSidedNormalP(1.959963984540054), 0.05, 1e-12)
    expectRelative(twoSidedNormalP(-1.959963984540054), 0.05, 1e-12)
    expectRelative(normalSf(8), 6.22096057427174e-16, 1e-12)
    expectRelative(normalCdf(-8), 6.22096057427174e-16, 1e-12)
  })
})

describe('gamma, Poisson, beta and t', () => {
  it('ln Γ matches scipy.special.gammaln', () => {
    const cases: [number, number][] = [
      [0.5, 0.5723649429247],
      [1.5, -0.12078223763524526],
      [10, 12.801827480081469],
      [100.5, 361.43554046777757],
      [1e4, 82099.71749644238],
      [1e6, 12815504.569147611],
    ]
    for (const [x, expected] of cases) expectRelative(logGamma(x), expected, 1e-13)
    expect(logGamma(1)).toBeCloseTo(0, 14)
    expect(logFactorial(0)).toBe(0)
    expectRelative(logFactorial(9), Math.log(362880), 1e-15)
    expectRelative(logFactorial(300), logGamma(301), 1e-14)
  })

  it('Poisson upper tail matches scipy.stats.poisson.sf, small tails kept exactly', () => {
    expectRelative(poissonSf(13, (3429 * 52) / 17578), 0.14624558197140414, 1e-12)
    expectRelative(poissonSf(12, (3429 * 52) / 17578), 0.22226667388877835, 1e-12)
    expectRelative(poissonSf(40, 10), 1.7773417493499637e-13, 1e-10)
    expectRelative(poissonSf(2, 10), 0.9972306042844884, 1e-13)
    expectRelative(poissonSf(0, 1e-3), 0.0009995001666250082, 1e-12)
    expect(poissonSf(-1, 3)).toBe(1)
  })

  it('incomplete beta and the t test match scipy', () => {
    expectRelative(regularizedIncompleteBeta(0.3, 2.5, 0.5), 0.018927124071945658, 1e-12)
    expectRelative(regularizedIncompleteBeta(0.45, 30, 40), 0.6447480085585666, 1e-12)
    expectRelative(studentTTwoSidedP(2.1, 5), 0.08975324988459879, 1e-11)
    expectRelative(studentTTwoSidedP(-0.3, 30), 0.7662461052843528, 1e-11)
    expectRelative(studentTTwoSidedP(6, 1000), 2.7553691733774752e-9, 1e-9)
  })
})

describe('Benjamini–Hochberg', () => {
  it("gives R's p.adjust(p, 'BH')", () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005])
    expect(q[0]).toBeCloseTo(0.02, 15)
    expect(q[1]).toBeCloseTo(0.04, 15)
    expect(q[2]).toBeCloseTo(0.04, 15)
    expect(q[3]).toBeCloseTo(0.02, 15)
    expect(
      benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]).every((x) => Math.abs(x - 0.05) < 1e-15),
    ).toBe(true)
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95])
  })

  it('leaves NaN out of the count of hypotheses', () => {
    const q = benjaminiHochberg([0.01, Number.NaN, 0.04])
    expect(q[1]).toBeNaN()
    expect(q[0]).toBeCloseTo(0.02, 15)
    expect(q[2]).toBeCloseTo(0.04, 15)
  })
})
