import { describe, expect, it } from 'vitest'
import { copyInStatement, copyText } from './postgres-copy.js'

describe('COPY text format', () => {
  it('writes rows tab-separated, one per line, with \\N for null', () => {
    expect(copyText(['a', 1, null, 'b', 2.5, undefined], 3)).toBe('a\t1\t\\N\nb\t2.5\t\\N\n')
    expect(copyText([], 3)).toBe('')
  })

  it('escapes what COPY would read as structure, and keeps the rest as it is', () => {
    expect(copyText(['tab\there', 'line\nbreak', 'back\\slash', 'cr\rx', '\\N', 'é "q"'], 6)).toBe(
      'tab\\there\tline\\nbreak\tback\\\\slash\tcr\\rx\t\\\\N\té "q"\n',
    )
  })

  it('writes numbers so they read back exactly, and refuses what a column cannot hold', () => {
    expect(copyText([-117.16108123456789, 1_700_000_000_123, true, false], 4)).toBe(
      '-117.16108123456789\t1700000000123\tt\tf\n',
    )
    expect(() => copyText([Number.NaN], 1)).toThrow(/NaN/)
  })

  it('quotes the table and its columns', () => {
    expect(copyInStatement('call_for_service', ['source', 'odd"name'])).toMatch(
      /COPY "call_for_service" \("source", "odd""name"\) FROM STDIN$/,
    )
  })
})
