import { describe, expect, it } from 'vitest'
import { countByBlock, rankedBlocks } from './ranked-blocks.js'

describe('ranked blocks', () => {
  const counts = new Map([
    ['b', 3],
    ['a', 3],
    ['c', 5],
    ['d', 0],
    ['e', 1],
  ])

  it('ranks by count, ties by key, shares of the whole total', () => {
    const r = rankedBlocks(counts, 3)
    expect(r.total).toBe(12)
    expect(r.blocks).toBe(4)
    expect(r.rows.map((x) => [x.rank, x.block, x.count])).toEqual([
      [1, 'c', 5],
      [2, 'a', 3],
      [3, 'b', 3],
    ])
    expect(r.rows.map((x) => x.share)).toEqual([5 / 12, 3 / 12, 3 / 12])
    expect(r.rows.map((x) => x.cumulativeShare)).toEqual([5 / 12, 8 / 12, 11 / 12])
    expect(r.topShare).toBe(11 / 12)
  })

  it('never lists a block without events, and the order of the input does not matter', () => {
    const all = rankedBlocks(counts, 10)
    expect(all.rows.map((x) => x.block)).toEqual(['c', 'a', 'b', 'e'])
    expect(all.topShare).toBe(1)
    const reversed = rankedBlocks([...counts].reverse(), 10)
    expect(reversed).toEqual(all)
  })

  it('sums a block given twice, orders keys by code unit, handles no events', () => {
    const r = rankedBlocks(
      [
        ['B', 1],
        ['a', 1],
        ['B', 1],
      ],
      5,
    )
    expect(r.rows.map((x) => [x.block, x.count])).toEqual([
      ['B', 2],
      ['a', 1],
    ])
    // Capital letters sort before lower case, whatever the locale.
    expect(
      rankedBlocks(
        [
          ['b', 1],
          ['B', 1],
        ],
        2,
      ).rows.map((x) => x.block),
    ).toEqual(['B', 'b'])
    expect(rankedBlocks(new Map(), 3)).toEqual({ rows: [], total: 0, blocks: 0, topShare: 0 })
    expect(() => rankedBlocks(counts, -1)).toThrow(RangeError)
  })

  it('counts events per block, leaving unplaced events out', () => {
    expect(countByBlock(['x', null, 'y', 'x', '', undefined])).toEqual(
      new Map([
        ['x', 2],
        ['y', 1],
      ]),
    )
  })
})
