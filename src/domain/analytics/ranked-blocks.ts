/**
 * Hot spots as a ranked list of street blocks: the list a district commander reads first.
 * The street block (or segment) is the unit Weisburd's concentration results are about, so
 * this ranking and the H3 Gi* map answer different questions: which places, and which areas.
 */

export interface RankedBlock {
  /** 1-based position; ties in count are ordered by key, so ranks are distinct and stable */
  rank: number
  block: string
  count: number
  /** count / total over all blocks (not only the listed ones) */
  share: number
  /** share of the total held by this block and all above it */
  cumulativeShare: number
}

export interface RankedBlocks {
  rows: RankedBlock[]
  /** events over all blocks */
  total: number
  /** blocks with at least one event */
  blocks: number
  /** share of the total on the listed blocks */
  topShare: number
}

/** Code-unit order: the same in every locale and runtime, unlike localeCompare. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The top `n` blocks by count, ties broken by block key (ascending) so that the same data
 * always give the same list. Blocks with no events are never listed. Accepts counts as a map or
 * as [block, count] pairs; a block given twice is summed.
 */
export function rankedBlocks(
  counts: ReadonlyMap<string, number> | Iterable<readonly [string, number]>,
  n: number,
): RankedBlocks {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError('n must be a non-negative integer')
  const merged = new Map<string, number>()
  for (const [block, count] of counts) {
    if (!(count >= 0)) throw new RangeError(`count for ${block} must be non-negative`)
    merged.set(block, (merged.get(block) ?? 0) + count)
  }
  let total = 0
  const busy: [string, number][] = []
  for (const [block, count] of merged) {
    total += count
    if (count > 0) busy.push([block, count])
  }
  busy.sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]))
  let cumulative = 0
  const rows = busy.slice(0, n).map(([block, count], i) => {
    cumulative += count
    return {
      rank: i + 1,
      block,
      count,
      share: count / total,
      cumulativeShare: cumulative / total,
    }
  })
  return { rows, total, blocks: busy.length, topShare: total > 0 ? cumulative / total : 0 }
}

/** Counts events per block key; null or empty keys (not placed on a block) are left out. */
export function countByBlock(blocks: Iterable<string | null | undefined>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const b of blocks) if (b) counts.set(b, (counts.get(b) ?? 0) + 1)
  return counts
}
