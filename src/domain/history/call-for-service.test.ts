import { describe, expect, it } from 'vitest'
import { historyMappingSchema, historyRowReader, readHistoryRow } from './call-for-service.js'

const mapping = historyMappingSchema.parse({
  source: 'sandiego',
  timeZone: 'America/Los_Angeles',
  callTypeMapping: 'sandiego',
  columns: {
    id: 'incident_num',
    receivedAt: 'date_time',
    callType: 'call_type',
    priority: 'priority',
    beat: 'beat',
    blockNumber: 'n',
    blockDir: 'dir',
    blockStreet: 'road',
    blockSuffix: 'sfx',
    crossStreet: 'cross',
  },
})
const codes = new Map([['415', 'NOISE']])
const row = (over: Record<string, string> = {}) => ({
  incident_num: 'E1',
  date_time: '2023-01-05 16:06:35',
  call_type: '415',
  priority: '3',
  beat: '524',
  n: '1345',
  dir: 'W',
  road: '01ST',
  sfx: 'AVE',
  cross: '',
  ...over,
})

describe('reading a CAD export row', () => {
  it('takes local time in the export zone, our call type, and the hundred-block', () => {
    const r = readHistoryRow(row(), mapping, codes, 2)
    if ('problems' in r) throw new Error('unexpected problems')
    expect(r.call).toMatchObject({
      sourceId: 'E1',
      // 16:06:35 Pacific standard time is 00:06:35 the next day in UTC.
      receivedAt: Date.parse('2023-01-06T00:06:35Z'),
      callType: 'NOISE',
      priority: 3,
      block: '1300 BLOCK W 1ST AVE',
      beat: '524',
    })
  })

  it('keeps an unknown code and an intersection, but has no block for the intersection', () => {
    const r = readHistoryRow(row({ call_type: 'ZZ', cross: 'G' }), mapping, codes, 2)
    if ('problems' in r) throw new Error('unexpected problems')
    expect(r.call).toMatchObject({ callType: null, sourceCallType: 'ZZ', block: null })
    const noBeat = readHistoryRow(row({ beat: '-1' }), mapping, codes, 2)
    expect('call' in noBeat && noBeat.call.beat).toBeNull()
  })

  it('reports a row it cannot read by line and column', () => {
    const r = readHistoryRow(row({ call_type: '', date_time: 'yesterday' }), mapping, codes, 7)
    expect(r).toEqual({
      problems: [
        { path: 'line 7.date_time', message: "'yesterday' is not a date and time" },
        { path: 'line 7.call_type', message: 'no call type' },
      ],
    })
  })

  it('puts the CAD priority on our scale through the mapping table, unknown codes as unknown', () => {
    const ours = historyMappingSchema.parse({ ...mapping, priorities: { '0': 1, '2': 3, '9': 5 } })
    const priorityOf = (p: string) => {
      const r = readHistoryRow(row({ priority: p }), ours, codes, 2)
      if ('problems' in r) throw new Error('unexpected problems')
      return r.call.priority
    }
    expect([
      priorityOf('0'),
      priorityOf('2'),
      priorityOf('9'),
      priorityOf('7'),
      priorityOf(''),
    ]).toEqual([1, 3, 5, null, null])
  })

  it('refuses a file without a column the mapping names, before any row', () => {
    expect(() => historyRowReader(mapping, codes, ['incident_num', 'date_time'])).toThrow(
      /no column 'call_type'/,
    )
  })
})
