import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { csvRecords, parseRows } from './csv-records.js'

const OPTIONS = { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }

const TEXT = [
  '\ufeff"id","when","where",plain',
  '"E1","2023-01-01 00:00:05","4300 E ""LOMBARD"" ST",x',
  '',
  'E2,2023-01-02 10:00:00,"a, b",',
  '"E3","2023-01-03","line one',
  'line two",y',
  'E4,,,',
  '"E5","short"',
  '"E6","a","b","c","extra"',
  '',
].join('\n')

const dir = mkdtempSync(join(tmpdir(), 't311-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function readAll(text: string): Promise<Array<Record<string, string>>> {
  const file = join(dir, `f${Math.random()}.csv`)
  writeFileSync(file, text)
  const out: Array<Record<string, string>> = []
  for await (const records of csvRecords(file)) out.push(...records)
  return out
}

describe('reading a CSV export', () => {
  it('reads what csv-parse reads: quotes, separators and line breaks in quotes, LF or CRLF, BOM, empty lines, short and long rows', async () => {
    expect(await readAll(TEXT)).toEqual(parse(TEXT, OPTIONS))
    const crlf = TEXT.replaceAll('\n', '\r\n')
    expect(await readAll(crlf)).toEqual(parse(crlf, OPTIONS))
  })

  it('gives the same rows however the text is cut into chunks', () => {
    const body = TEXT.slice(1)
    const whole: string[][] = []
    parseRows(body, true, whole)
    for (let cut = 1; cut < body.length; cut++) {
      const rows: string[][] = []
      const used = parseRows(body.slice(0, cut), false, rows)
      parseRows(body.slice(used), true, rows)
      expect(rows).toEqual(whole)
    }
  })

  it('refuses a quote that is never closed', () => {
    expect(() => parseRows('"a,b\n', true, [])).toThrow(/never closed/)
  })
})
