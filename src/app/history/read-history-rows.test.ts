import { describe, expect, it } from 'vitest'
import { pack, type ReadBatch, unpack } from './read-history-rows.js'

describe('a batch of rows crossing from the reader thread', () => {
  it('comes out as it went in, nulls and repeated values included', () => {
    const batch: ReadBatch = {
      rows: 4,
      calls: [0, 1, 2].map((i) => ({
        call: {
          source: 'sandiego',
          sourceId: `E${i}`,
          receivedAt: 1_700_000_000_000 + i,
          sourceCallType: i === 1 ? '415V' : '1151',
          callType: i === 2 ? null : 'NOISE',
          priority: i === 0 ? null : i,
          disposition: i === 1 ? 'K' : null,
          block: i === 2 ? null : '4300 BLOCK E LOMBARD ST',
          lat: i === 1 ? 32.71 : null,
          lon: i === 1 ? -117.16 : null,
          h3: null,
          policeDistrict: i === 0 ? 'Central' : null,
          beat: i === 0 ? null : '521',
        },
        location: {
          text: i === 2 ? 'PRATT ST & LIGHT ST' : null,
          lat: i === 1 ? 32.71 : null,
          lon: i === 1 ? -117.16 : null,
        },
        line: i + 2,
      })),
      problems: [[{ path: 'line 5.date_time', message: "'x' is not a date and time" }]],
      problemCount: 1,
    }
    const crossed = unpack(structuredClone(pack(batch)))
    expect(crossed).toEqual(batch)
    expect(unpack(pack({ rows: 0, calls: [], problems: [], problemCount: 0 }))).toEqual({
      rows: 0,
      calls: [],
      problems: [],
      problemCount: 0,
    })
  })
})
