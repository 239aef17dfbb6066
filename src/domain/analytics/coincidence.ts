import { logFactorial, studentTTwoSidedP } from './distributions.js'
import { rankedBlocks } from './ranked-blocks.js'

/**
 * Where 311 and 911 problems coincide: do the blocks that generate non-emergency calls also
 * generate emergency calls, and which blocks are hot in both? Counts alone cannot say this,
 * because a busy block is busy on both lines; the question is whether the association is
 * stronger than the share of blocks would give. Three readings, each answering one question:
 *
 * 1. Spearman's rank correlation over all blocks (does the ordering agree?). Ranks, not
 *    counts, because call counts are heavily skewed and a Pearson r would be driven by the
 *    two or three busiest blocks. Blocks with no call tie at the bottom and get the average
 *    rank (the usual tie correction). The p-value uses the t approximation
 *    t = ρ√((n−2)/(1−ρ²)) with n − 2 degrees of freedom, as SciPy's `spearmanr` does; it is
 *    adequate from about 20 blocks, and a city has thousands.
 * 2. The share of 311 calls that fall on the top-k 911 blocks, against the share of blocks
 *    that is (the lift; 1 means no more than their size).
 * 3. The 2×2 table of blocks hot on 311 (top k) × hot on 911 (top k), with its odds ratio and
 *    Fisher's exact two-sided p (exact, because the "hot in both" cell is small by design).
 *
 * Caveat for all p-values: blocks next to each other are not independent (both lines are
 * spatially clustered), so the p-values are optimistic. Report the effect sizes (ρ, lift,
 * odds ratio) first and the p-values as a screen.
 */

export interface BlockCalls {
  block: string
  calls311: number
  calls911: number
}

export interface SpearmanResult {
  rho: number
  t: number
  /** two-sided, Student t with n − 2 df; NaN when a side has no variation */
  p: number
}

export interface FisherResult {
  /** [[a, b], [c, d]] */
  table: [[number, number], [number, number]]
  /** ad / bc: Infinity when bc = 0 < ad, NaN when both are 0 (as SciPy) */
  oddsRatio: number
  /** two-sided: the sum of the probabilities of all tables no more likely than this one */
  p: number
}

export interface Coincidence {
  blocks: number
  spearman: SpearmanResult
  top911: {
    /** hot 911 blocks: the top k by 911 calls among those with at least one */
    k: number
    blockShare: number
    /** share of all 311 calls that fall on them */
    share311: number
    /** share311 / blockShare */
    lift: number
  }
  /** rows: hot on 311 yes/no; columns: hot on 911 yes/no */
  hotTable: FisherResult
  /** blocks in the top k of both, in 911 rank order */
  coincident: string[]
}

/**
 * The association between 311 and 911 calls per block. `topK` is how many blocks count as
 * hot on each line (ties at the cut are broken by block key, as in the ranked list; a block
 * with no call is never hot). Include every block of the area, also those with no call, or the
 * rank correlation and the table lose the quiet blocks that make the contrast.
 */
export function coincidence(blocks: readonly BlockCalls[], options: { topK: number }): Coincidence {
  const n = blocks.length
  if (new Set(blocks.map((b) => b.block)).size !== n) {
    throw new RangeError('each block must appear once')
  }
  const top311 = new Set(
    rankedBlocks(
      blocks.map((b) => [b.block, b.calls311] as const),
      options.topK,
    ).rows.map((r) => r.block),
  )
  const ranked911 = rankedBlocks(
    blocks.map((b) => [b.block, b.calls911] as const),
    options.topK,
  ).rows.map((r) => r.block)
  const top911 = new Set(ranked911)

  let total311 = 0
  let on911 = 0
  let a = 0
  let b = 0
  let c = 0
  for (const blk of blocks) {
    total311 += blk.calls311
    const hot311 = top311.has(blk.block)
    const hot911 = top911.has(blk.block)
    if (hot911) on911 += blk.calls311
    if (hot311 && hot911) a++
    else if (hot311) b++
    else if (hot911) c++
  }
  const d = n - a - b - c
  const blockShare = n > 0 ? top911.size / n : 0
  const share311 = total311 > 0 ? on911 / total311 : 0
  return {
    blocks: n,
    spearman: spearman(
      blocks.map((x) => x.calls311),
      blocks.map((x) => x.calls911),
    ),
    top911: {
      k: top911.size,
      blockShare,
      share311,
      lift: blockShare > 0 ? share311 / blockShare : Number.NaN,
    },
    hotTable: fisherExact([
      [a, b],
      [c, d],
    ]),
    coincident: ranked911.filter((blk) => top311.has(blk)),
  }
}

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v)
  const ranks = new Array<number>(values.length)
  let start = 0
  while (start < order.length) {
    let end = start
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank
    start = end + 1
  }
  return ranks
}

/** Spearman's ρ (Pearson's r of average ranks) and its two-sided p (SciPy's `spearmanr`). */
export function spearman(x: readonly number[], y: readonly number[]): SpearmanResult {
  if (x.length !== y.length) throw new RangeError('x and y must have the same length')
  const n = x.length
  if (n < 3) return { rho: Number.NaN, t: Number.NaN, p: Number.NaN }
  const rx = averageRanks(x)
  const ry = averageRanks(y)
  const mean = (n + 1) / 2 // average ranks always average to (n+1)/2
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = rx[i]! - mean
    const dy = ry[i]! - mean
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return { rho: Number.NaN, t: Number.NaN, p: Number.NaN }
  const rho = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
  const df = n - 2
  const t =
    Math.abs(rho) === 1
      ? Math.sign(rho) * Number.POSITIVE_INFINITY
      : rho * Math.sqrt(df / ((1 + rho) * (1 - rho)))
  return { rho, t, p: studentTTwoSidedP(t, df) }
}

/**
 * Fisher's exact test on a 2×2 table, two-sided in the usual way (R's `fisher.test`, SciPy's
 * `fisher_exact`): the first cell is hypergeometric given the margins, and p sums the
 * probabilities of every table no more probable than the observed one, with a relative
 * tolerance of 1e-7 so that tables equally probable up to rounding count as equal.
 */
export function fisherExact(table: [[number, number], [number, number]]): FisherResult {
  const [[a, b], [c, d]] = table
  const row1 = a + b
  const col1 = a + c
  const total = a + b + c + d
  const logPmf = (x: number) =>
    logFactorial(row1) +
    logFactorial(total - row1) +
    logFactorial(col1) +
    logFactorial(total - col1) -
    logFactorial(total) -
    logFactorial(x) -
    logFactorial(row1 - x) -
    logFactorial(col1 - x) -
    logFactorial(total - row1 - col1 + x)
  const lo = Math.max(0, row1 + col1 - total)
  const hi = Math.min(row1, col1)
  const observed = logPmf(a)
  let p = 0
  for (let x = lo; x <= hi; x++) {
    const lp = logPmf(x)
    if (lp <= observed + Math.log1p(1e-7)) p += Math.exp(lp)
  }
  const ad = a * d
  const bc = b * c
  const oddsRatio = bc === 0 ? (ad === 0 ? Number.NaN : Number.POSITIVE_INFINITY) : ad / bc
  return { table, oddsRatio, p: Math.min(1, p) }
}
