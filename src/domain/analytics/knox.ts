import { poissonSf } from './distributions.js'

/**
 * The Knox test for space-time interaction (Knox 1964): are events that are close in space
 * also close in time more often than chance? For problem-oriented policing this is the
 * near-repeat question: after a call at a place, do more calls follow nearby and soon.
 *
 * Every unordered pair of events is classified as close in space (distance ≤ δ) or not, and
 * close in time (|Δt| ≤ τ) or not. Both thresholds are inclusive, as pointpats' KD-tree ball
 * queries are. The 2×2 table is laid out as pointpats' `Knox.observed`:
 *
 *                 close in time   not close in time
 *   close in space   [0][0] = NST     [0][1] = NS − NST
 *   not close        [1][0] = NT−NST  [1][1] = the rest
 *
 * Under no interaction the expected NST is NS·NT/P with P = n(n−1)/2 pairs (row total × column
 * total / grand total), and NST is roughly Poisson with that mean.
 *
 * Vector T6 (burkitt, 188 cases, δ = 20, τ = 5: observed [[13, 3416], [39, 14110]], expected
 * NST 10.1438161, p_poisson 0.146245582) could not be run end to end: the 188-row dataset is
 * not available here (no network), and it is not to be invented. knox.test.ts checks the
 * table, the expectation and the p-value from T6's published marginals, and the pair counting
 * on small hand-counted data.
 */

export interface KnoxTable {
  /** events */
  n: number
  /** unordered pairs, n(n−1)/2 */
  pairs: number
  /** pairs close in space */
  closeInSpace: number
  /** pairs close in time */
  closeInTime: number
  /** pairs close in both: the Knox statistic */
  closeInBoth: number
  observed: [[number, number], [number, number]]
  expected: [[number, number], [number, number]]
  /**
   * P(X > NST) for X ~ Poisson(expected NST): pointpats' `p_poisson`, computed there as
   * `1 − poisson.cdf(NST, E)`. It excludes the observed count itself, so it is smaller than
   * the textbook p (T6: 0.1462 against 0.2223).
   */
  pPoisson: number
  /** P(X ≥ NST), the textbook one-sided p-value; report this one unless matching pointpats. */
  pPoissonAtLeast: number
}

/** The Knox table, expectation and Poisson p-values from the pair counts. */
export function knoxTable(
  n: number,
  closeInSpace: number,
  closeInTime: number,
  closeInBoth: number,
): KnoxTable {
  const pairs = (n * (n - 1)) / 2
  const spaceOnly = closeInSpace - closeInBoth
  const timeOnly = closeInTime - closeInBoth
  const expectedBoth = pairs > 0 ? (closeInSpace * closeInTime) / pairs : 0
  const expectedSpaceOnly = closeInSpace - expectedBoth
  const expectedTimeOnly = closeInTime - expectedBoth
  return {
    n,
    pairs,
    closeInSpace,
    closeInTime,
    closeInBoth,
    observed: [
      [closeInBoth, spaceOnly],
      [timeOnly, pairs - closeInBoth - spaceOnly - timeOnly],
    ],
    expected: [
      [expectedBoth, expectedSpaceOnly],
      [expectedTimeOnly, pairs - expectedBoth - expectedSpaceOnly - expectedTimeOnly],
    ],
    pPoisson: poissonSf(closeInBoth, expectedBoth),
    pPoissonAtLeast: closeInBoth === 0 ? 1 : poissonSf(closeInBoth - 1, expectedBoth),
  }
}

export interface KnoxOptions<E> {
  /** spatial threshold δ, inclusive, in the unit of `distance` */
  delta: number
  /** temporal threshold τ, inclusive, in the unit of `time` (ms for instants) */
  tau: number
  distance: (a: E, b: E) => number
  time: (e: E) => number
}

/**
 * Counts the pairs and returns the Knox table. O(n²) pairs: meant for the events of one area
 * and period (a few thousand), which is where a near-repeat question is asked.
 */
export function knoxTest<E>(events: readonly E[], options: KnoxOptions<E>): KnoxTable {
  const times = events.map(options.time)
  let space = 0
  let time = 0
  let both = 0
  for (let i = 0; i < events.length; i++) {
    for (let j = i + 1; j < events.length; j++) {
      const s = options.distance(events[i]!, events[j]!) <= options.delta
      const t = Math.abs(times[i]! - times[j]!) <= options.tau
      if (s) space++
      if (t) time++
      if (s && t) both++
    }
  }
  return knoxTable(events.length, space, time, both)
}

/**
 * Monte Carlo p-value for the Knox statistic: the times are shuffled among the events (which
 * keeps where events happen and when they happen, and breaks only their pairing), and
 * p = (1 + #{shuffles with NST ≥ observed}) / (1 + permutations), as pointpats' `p_sim`.
 * `random` returns uniform numbers in [0, 1); pass a seeded generator for a repeatable result.
 * The values differ from pointpats' for the same seed (a different generator), so assert a
 * range, never a fixed p.
 */
export function knoxPermutationP<E>(
  events: readonly E[],
  options: KnoxOptions<E>,
  permutations: number,
  random: () => number,
): number {
  // The spatial pairs do not change under a shuffle of times: find them once.
  const spatialPairs: [number, number][] = []
  for (let i = 0; i < events.length; i++) {
    for (let j = i + 1; j < events.length; j++) {
      if (options.distance(events[i]!, events[j]!) <= options.delta) spatialPairs.push([i, j])
    }
  }
  const times = events.map(options.time)
  const countBoth = (t: readonly number[]) => {
    let c = 0
    for (const [i, j] of spatialPairs) if (Math.abs(t[i]! - t[j]!) <= options.tau) c++
    return c
  }
  const observed = countBoth(times)
  const shuffled = [...times]
  let atLeast = 0
  for (let r = 0; r < permutations; r++) {
    // Fisher–Yates
    for (let i = shuffled.length - 1; i > 0; i--) {
      const k = Math.floor(random() * (i + 1))
      const tmp = shuffled[i]!
      shuffled[i] = shuffled[k]!
      shuffled[k] = tmp
    }
    if (countBoth(shuffled) >= observed) atLeast++
  }
  return (atLeast + 1) / (permutations + 1)
}
