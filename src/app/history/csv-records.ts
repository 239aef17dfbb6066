import { createReadStream } from 'node:fs'

/**
 * Reads a CSV file as records keyed by its header row, streamed a chunk at a time: RFC 4180
 * quoting (doubled quotes, separators and line breaks inside quotes), LF or CRLF, a leading BOM
 * dropped, empty lines skipped, and rows with fewer or more fields than the header kept (the
 * missing columns absent, the extra fields dropped). What csv-parse does with `columns`, `bom`,
 * `skip_empty_lines` and `relax_column_count`, several times faster on a CAD export, whose
 * every field is quoted and whose millions of rows are the import's cost.
 */
export async function* csvRecords(
  path: string,
): AsyncGenerator<Array<Record<string, string>>, void, undefined> {
  let header: string[] | null = null
  for await (const rows of csvRows(path)) {
    const records: Array<Record<string, string>> = []
    for (const fields of rows) {
      if (header === null) {
        header = fields
        continue
      }
      const record: Record<string, string> = {}
      const width = Math.min(fields.length, header.length)
      for (let i = 0; i < width; i++) record[header[i] as string] = fields[i] as string
      records.push(record)
    }
    if (records.length > 0) yield records
  }
}

/** The rows of a CSV file as arrays of fields (the header row first), a chunk at a time. */
export async function* csvRows(path: string): AsyncGenerator<string[][], void, undefined> {
  let rest = ''
  let first = true
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })
  for await (const chunk of stream as AsyncIterable<string>) {
    let buf = rest + chunk
    if (first) {
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1)
      first = false
    }
    const rows: string[][] = []
    const used = parseRows(buf, false, rows)
    rest = buf.slice(used)
    if (rows.length > 0) yield rows
  }
  if (rest.length > 0) {
    const rows: string[][] = []
    parseRows(rest, true, rows)
    if (rows.length > 0) yield rows
  }
}

const QUOTE = 34
const COMMA = 44
const CR = 13
const LF = 10

/**
 * Parses the complete rows at the start of `buf` into `out` and returns where the unfinished
 * rest begins (all of it when `final`).
 */
export function parseRows(buf: string, final: boolean, out: string[][]): number {
  const n = buf.length
  let pos = 0
  // Positions of the next separator and line feed at or after the cursor (-1: none left).
  let comma = -2
  let eol = -2
  rows: while (pos < n) {
    const fields: string[] = []
    const pos0 = pos
    let p = pos
    for (;;) {
      if (p < n && buf.charCodeAt(p) === QUOTE) {
        let q = p + 1
        let value = ''
        for (;;) {
          const close = buf.indexOf('"', q)
          if (close === -1) {
            if (final) throw new Error(`CSV: a quote opened at offset ${p} is never closed`)
            break rows
          }
          if (close + 1 >= n && !final) break rows
          if (buf.charCodeAt(close + 1) === QUOTE) {
            value += buf.slice(q, close + 1)
            q = close + 2
            continue
          }
          value += buf.slice(q, close)
          p = close + 1
          break
        }
        fields.push(value)
        const ch = p < n ? buf.charCodeAt(p) : -1
        if (ch === COMMA) {
          p += 1
          continue
        }
        if (ch === LF) {
          p += 1
          break
        }
        if (ch === CR) {
          if (p + 1 >= n && !final) break rows
          if (p + 1 >= n || buf.charCodeAt(p + 1) === LF) {
            p += 2
            break
          }
        }
        if (ch === -1) {
          if (!final) break rows
          break
        }
        throw new Error(`CSV: unexpected character after a closing quote at offset ${p}`)
      }
      if (eol !== -1 && eol < p) eol = buf.indexOf('\n', p)
      if (comma !== -1 && comma < p) comma = buf.indexOf(',', p)
      if (comma !== -1 && (eol === -1 || comma < eol)) {
        fields.push(buf.slice(p, comma))
        p = comma + 1
        continue
      }
      if (eol === -1 && !final) break rows
      const end = eol === -1 ? n : eol
      fields.push(buf.slice(p, end > p && buf.charCodeAt(end - 1) === CR ? end - 1 : end))
      p = end + 1
      break
    }
    pos = Math.min(p, n)
    // Skip empty lines.
    if (fields.length === 1 && fields[0] === '' && buf.charCodeAt(pos0) !== QUOTE) continue
    out.push(fields)
  }
  return pos
}
