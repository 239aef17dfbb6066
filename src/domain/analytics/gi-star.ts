import { gridDisk } from 'h3-js'
import { benjaminiHochberg, normalSf, twoSidedNormalP } from './distributions.js'

/**
 * Hot spots by Getis-Ord statistics (Ord & Getis 1995): the local Gi* that ArcGIS "Hot Spot
 * Analysis" reports, the local Gi that leaves the feature out, and the global General G.
 *
 * Features are indices 0..n−1 into `values`; who neighbours whom is a neighbour list
 * (`neighbours[i]` = the indices j ≠ i that are near i, binary weight 1), built from a distance
 * band, an H3 ring, or block contiguity. The feature itself is never in its own list: whether
 * it counts is the `star` option, so one list serves both Gi* and Gi.
 *
 * Checked against PySAL esda (`G_Local`, `G`) on the vectors T1–T4 of
 * shared/research/analytics-or-anchors.md to 1e-7.
 */

/** indices of the neighbours of each feature (without the feature itself) */
export type NeighbourList = readonly (readonly number[])[]

/**
 * 'binary': every neighbour (and the feature itself for Gi*) weighs 1. This is the z-score
 * ArcGIS reports and the one to use for inference.
 * 'row': weights divided by the row's count so they sum to 1, following esda's `transform='R'`.
 * esda's analytic variance treats the row sum as if the weights were 0/1 (it uses Σw where the
 * exact moments use Σw²), so its z is (weighted local mean − mean)/s, a standardised local mean
 * and not a permutation z-score: smaller than the binary z, hence conservative. Under the exact
 * Ord–Getis moments equal weights within a row cancel out and 'row' would equal 'binary'. We
 * reproduce esda (vector T3) so results can be compared with PySAL; do not bin 'row' z-scores
 * as if they were ArcGIS's.
 */
export type WeightStyle = 'binary' | 'row'

export interface LocalGOptions {
  /** true: Gi* (the feature is part of its own neighbourhood, self-weight 1); false: Gi. */
  star: boolean
  style?: WeightStyle
}

/** ArcGIS's Gi_Bin: ±3 at 99 % confidence, ±2 at 95 %, ±1 at 90 %, 0 not significant. */
export type ConfidenceBin = -3 | -2 | -1 | 0 | 1 | 2 | 3

export interface LocalGResult {
  /** G_i = Σ w_ij x_j / Σ x_j (esda's `Gs`), the share of the total in the neighbourhood */
  g: number
  /** the z-score; NaN when undefined (no neighbours for Gi, or all values equal) */
  z: number
  /** two-sided p-value from N(0,1), uncorrected (ArcGIS's GiPValue) */
  p: number
  /** the confidence bin from the uncorrected p */
  bin: ConfidenceBin
  /** the confidence bin after Benjamini–Hochberg FDR correction (ArcGIS "Apply FDR") */
  fdrBin: ConfidenceBin
}

/**
 * Local Getis-Ord Gi* (star) or Gi for each feature.
 *
 *   z_i = (Σ_j w_ij x_j − x̄ W_i) / ( s · √[(N·S1_i − W_i²)/(N − 1)] )
 *
 * with W_i = Σ_j w_ij, S1_i = Σ_j w_ij², and x̄, s (population SD) over the N values that take
 * part: all n for Gi*, the n − 1 others for Gi (esda's `remove_self`). This is ArcGIS's formula
 * and, for binary weights, algebraically the same as esda's (G_i − E[G_i])/√V[G_i]; it is
 * written in this form because it does not divide by x̄, so it stays defined when x̄ = 0.
 */
export function localG(
  values: readonly number[],
  neighbours: NeighbourList,
  options: LocalGOptions,
): LocalGResult[] {
  const n = values.length
  if (neighbours.length !== n) {
    throw new RangeError(`neighbour list has ${neighbours.length} rows for ${n} values`)
  }
  const style = options.style ?? 'binary'
  const self = options.star ? 0 : 1 // how many values leave the sums when i is left out
  let sum = 0
  let sumSq = 0
  for (const v of values) {
    sum += v
    sumSq += v * v
  }
  const zs: number[] = []
  const gs: number[] = []
  for (let i = 0; i < n; i++) {
    const xi = values[i]!
    const row = neighbours[i]!
    const count = row.length + (options.star ? 1 : 0)
    // Equal weights within a row: 1 for binary, 1/count when row-standardised.
    const w = style === 'row' ? (count === 0 ? 0 : 1 / count) : 1
    let lag = 0
    for (const j of row) {
      if (j === i) throw new RangeError(`feature ${i} is listed as its own neighbour`)
      lag += values[j]!
    }
    if (options.star) lag += xi
    lag *= w
    const wSum = w * count
    // esda's row convention uses Σw in place of Σw² (see WeightStyle).
    const wSumSq = style === 'row' ? wSum : w * w * count
    const N = n - self
    const total = sum - self * xi
    const mean = total / N
    const variance = (sumSq - self * xi * xi) / N - mean * mean
    const s = Math.sqrt(Math.max(0, variance))
    const spread = (N * wSumSq - wSum * wSum) / (N - 1)
    const denominator = s * Math.sqrt(spread)
    zs.push(denominator > 0 ? (lag - mean * wSum) / denominator : Number.NaN)
    gs.push(lag / total)
  }
  const ps = zs.map(twoSidedNormalP)
  const bins = confidenceBins(zs, ps, { fdr: false })
  const fdrBins = confidenceBins(zs, ps, { fdr: true })
  return zs.map((z, i) => ({ g: gs[i]!, z, p: ps[i]!, bin: bins[i]!, fdrBin: fdrBins[i]! }))
}

/** The confidence levels of the bins, as the largest p-value (or FDR q) that reaches them. */
const LEVELS: readonly { alpha: number; bin: 1 | 2 | 3 }[] = [
  { alpha: 0.01, bin: 3 },
  { alpha: 0.05, bin: 2 },
  { alpha: 0.1, bin: 1 },
]

/**
 * ArcGIS-style confidence bins. Without FDR a feature reaches a level when p ≤ α (0.01, 0.05,
 * 0.10; ArcGIS states the same cut-offs as |z| ≥ 2.576, 1.96, 1.645, which round the exact
 * normal quantiles, so the two differ only for |z| within 0.001 of a cut-off). With FDR the
 * Benjamini–Hochberg adjusted p (q) is compared instead, level by level, which is the step-up
 * rule run at each α. z and p themselves stay uncorrected, as ArcGIS reports them. The sign is
 * the sign of z (+ hot, − cold); NaN z or p gives 0.
 */
export function confidenceBins(
  z: readonly number[],
  p: readonly number[],
  options: { fdr: boolean },
): ConfidenceBin[] {
  const tested = options.fdr ? benjaminiHochberg(p) : p
  return z.map((zi, i) => confidenceBin(zi, tested[i]!))
}

/** The bin of one feature from its z and the p (or q) to compare with 0.01/0.05/0.10. */
export function confidenceBin(z: number, p: number): ConfidenceBin {
  if (Number.isNaN(z) || Number.isNaN(p) || z === 0) return 0
  for (const level of LEVELS) {
    if (p <= level.alpha) return (z > 0 ? level.bin : -level.bin) as ConfidenceBin
  }
  return 0
}

export interface GeneralGResult {
  /** G = Σ_{i≠j} w_ij x_i x_j / Σ_{i≠j} x_i x_j */
  g: number
  expected: number
  variance: number
  z: number
  /** one-sided p under normality, 1 − Φ(|z|), as esda's `p_norm` (vector T4) */
  pNorm: number
  /** two-sided p, 2·pNorm */
  pTwoSided: number
}

/**
 * Global General G (Getis & Ord 1992) with binary weights, its expectation and variance under
 * the randomisation null, as esda's `G` computes them (esda forces binary weights too). The
 * neighbour list may be asymmetric (k nearest neighbours); S1 and S2 then use w_ij + w_ji.
 * Values should be non-negative (counts), as for every G statistic.
 */
export function generalG(values: readonly number[], neighbours: NeighbourList): GeneralGResult {
  const n = values.length
  if (neighbours.length !== n) {
    throw new RangeError(`neighbour list has ${neighbours.length} rows for ${n} values`)
  }
  if (n < 4) throw new RangeError('General G needs at least 4 features')
  // Weights as a set of directed pairs, so that S1 can pair w_ij with w_ji.
  const key = (i: number, j: number) => i * n + j
  const edges = new Set<number>()
  const outDegree = new Array<number>(n).fill(0)
  const inDegree = new Array<number>(n).fill(0)
  let numerator = 0
  for (let i = 0; i < n; i++) {
    for (const j of neighbours[i]!) {
      if (j === i) throw new RangeError(`feature ${i} is listed as its own neighbour`)
      if (edges.has(key(i, j))) continue
      edges.add(key(i, j))
      outDegree[i]!++
      inDegree[j]!++
      numerator += values[i]! * values[j]!
    }
  }
  const s0 = edges.size
  let s1 = 0
  for (const e of edges) {
    const i = Math.floor(e / n)
    const j = e % n
    // ½ Σ_{ij} (w_ij + w_ji)²: a symmetric pair contributes ½(2² + 2²) = 4 over its two
    // directions, a one-way edge ½(1² + 1²) = 1 over (i,j) and (j,i).
    s1 += edges.has(key(j, i)) ? 2 : 1
  }
  let s2 = 0
  for (let i = 0; i < n; i++) s2 += (outDegree[i]! + inDegree[i]!) ** 2

  let sy = 0
  let sy2 = 0
  let sy3 = 0
  let sy4 = 0
  for (const y of values) {
    sy += y
    sy2 += y * y
    sy3 += y * y * y
    sy4 += y * y * y * y
  }
  const g = numerator / (sy * sy - sy2)
  const n2 = n * n
  const s02 = s0 * s0
  const expected = s0 / (n * (n - 1))
  const b0 = (n2 - 3 * n + 3) * s1 - n * s2 + 3 * s02
  const b1 = -((n2 - n) * s1 - 2 * n * s2 + 6 * s02)
  const b2 = -(2 * n * s1 - (n + 3) * s2 + 6 * s02)
  const b3 = 4 * (n - 1) * s1 - 2 * (n + 1) * s2 + 8 * s02
  const b4 = s1 - s2 + s02
  const eg2 =
    (b0 * sy2 * sy2 + b1 * sy4 + b2 * sy * sy * sy2 + b3 * sy * sy3 + b4 * sy ** 4) /
    ((sy * sy - sy2) ** 2 * n * (n - 1) * (n - 2) * (n - 3))
  const variance = eg2 - expected * expected
  const z = (g - expected) / Math.sqrt(variance)
  const pNorm = normalSf(Math.abs(z))
  return { g, expected, variance, z, pNorm, pTwoSided: 2 * pNorm }
}

/**
 * Neighbours within a fixed distance band: j ≠ i with distance(i, j) ≤ band (the band is
 * inclusive, like libpysal's DistanceBand; features at the same spot are neighbours). O(n²),
 * which is fine for the few thousand blocks or cells of a city.
 */
export function distanceBandNeighbours<P>(
  points: readonly P[],
  band: number,
  distance: (a: P, b: P) => number,
): number[][] {
  const rows: number[][] = points.map(() => [])
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (distance(points[i]!, points[j]!) <= band) {
        rows[i]!.push(j)
        rows[j]!.push(i)
      }
    }
  }
  for (const row of rows) row.sort((a, b) => a - b)
  return rows
}

/**
 * The smallest band that gives every feature at least one neighbour (the largest
 * nearest-neighbour distance). ArcGIS uses such a distance as its default fixed band; take it
 * as the lower bound of the band, not as the answer.
 */
export function minimumBandForOneNeighbour<P>(
  points: readonly P[],
  distance: (a: P, b: P) => number,
): number {
  let band = 0
  for (let i = 0; i < points.length; i++) {
    let nearest = Number.POSITIVE_INFINITY
    for (let j = 0; j < points.length; j++) {
      if (j !== i) nearest = Math.min(nearest, distance(points[i]!, points[j]!))
    }
    if (Number.isFinite(nearest)) band = Math.max(band, nearest)
  }
  return band
}

/** Planar Euclidean distance, for projected coordinates (metres) and the test vectors. */
export function planarDistance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}

export interface CellHotSpot extends LocalGResult {
  cell: string
  count: number
}

/**
 * Gi* (binary weights, self included) over H3 cells. The features are exactly the keys of
 * `counts`, in its order: the study area. Cells with no events must be in the map with 0, or
 * the mean is computed over busy cells only and every hot spot shrinks; neighbours that are not
 * keys are outside the study area and ignored. `neighbours` is a parameter so that any grid or
 * contiguity works; `h3Neighbours(k)` gives the usual k-ring.
 */
export function giStarOnCells(
  counts: ReadonlyMap<string, number>,
  neighbours: (cell: string) => readonly string[],
): CellHotSpot[] {
  const cells = [...counts.keys()]
  const index = new Map(cells.map((c, i) => [c, i]))
  const rows = cells.map((cell, i) => {
    const row = new Set<number>()
    for (const other of neighbours(cell)) {
      const j = index.get(other)
      if (j !== undefined && j !== i) row.add(j)
    }
    return [...row].sort((a, b) => a - b)
  })
  const values = cells.map((c) => counts.get(c)!)
  return localG(values, rows, { star: true }).map((r, i) => ({
    cell: cells[i]!,
    count: values[i]!,
    ...r,
  }))
}

/**
 * The cells within k grid steps of `cell`, itself excluded (gridDisk includes it; Gi* adds
 * the self-weight on its own). k = 1 gives the 6 adjacent hexagons.
 */
export function h3Neighbours(k: number): (cell: string) => readonly string[] {
  let known = neighbourCache.get(k)
  if (!known) {
    known = new Map()
    neighbourCache.set(k, known)
  }
  const cache = known
  return (cell) => {
    let ring = cache.get(cell)
    if (ring === undefined) {
      ring = gridDisk(cell, k).filter((c) => c !== cell)
      if (cache.size >= NEIGHBOUR_CACHE_LIMIT) cache.clear()
      cache.set(cell, ring)
    }
    return ring
  }
}

/**
 * Rings already computed, by k, kept from one question to the next: a city has a few thousand
 * cells, whose neighbours never change, and computing them (in H3's WebAssembly, through
 * strings) was a third of a hot-spot question. Bounded, for a caller that walks the globe.
 */
const neighbourCache = new Map<number, Map<string, readonly string[]>>()
const NEIGHBOUR_CACHE_LIMIT = 200_000
