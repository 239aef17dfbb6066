import { finished } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

/**
 * PostgreSQL's bulk load, `COPY … FROM STDIN`, through Kysely. Kysely runs every statement as
 * `client.query(text, parameters)` on the connection it holds (a transaction's included), and
 * COPY is not a statement it can send: its rows go as a stream after it. So each pooled client
 * is taught one more statement shape: a text that begins with `COPY_IN` is run as a COPY whose
 * rows are the single parameter, already in COPY's text format. The rest passes through.
 */
const COPY_IN = '/* triage311 copy in */ '

/** The statement that copies rows into `table`'s `columns`; its one parameter is the rows. */
export function copyInStatement(table: string, columns: readonly string[]): string {
  return `${COPY_IN}COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN`
}

/** Lets the pool's clients run `copyInStatement`s; call once, before the pool is used. */
export function enableCopyIn(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown
    const patched = (...args: unknown[]) => {
      const [text, values] = args
      if (typeof text === 'string' && text.startsWith(COPY_IN))
        return copyIn(client, text.slice(COPY_IN.length), values)
      return query(...args)
    }
    ;(client as unknown as { query: typeof patched }).query = patched
  })
}

async function copyIn(
  client: pg.PoolClient,
  statement: string,
  values: unknown,
): Promise<{ command: string; rowCount: number; rows: never[] }> {
  const rows = Array.isArray(values) ? values[0] : undefined
  if (typeof rows !== 'string' && !Buffer.isBuffer(rows))
    throw new Error('a COPY takes its rows as one parameter, in COPY text format')
  const stream = client.query(copyFrom(statement))
  stream.end(rows)
  await finished(stream)
  // Reported as an insert, which it is: Kysely then counts the rows written.
  return { command: 'INSERT', rowCount: stream.rowCount, rows: [] }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * Appends `width`-column rows, given row after row in `values`, to COPY's text format: tab
 * between columns, a newline after each row, `\N` for null, and backslash escapes in text.
 */
export function copyText(values: readonly unknown[], width: number): string {
  const parts: string[] = []
  let line = ''
  for (let i = 0; i < values.length; i++) {
    line += copyField(values[i])
    if ((i + 1) % width === 0) {
      parts.push(line)
      line = ''
    } else line += '\t'
  }
  parts.push('')
  return parts.join('\n')
}

const NEEDS_ESCAPE = /[\\\t\n\r]/

function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N'
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`a COPY cannot take the number ${v}`)
    return String(v)
  }
  if (typeof v === 'boolean') return v ? 't' : 'f'
  if (typeof v === 'bigint') return v.toString()
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return NEEDS_ESCAPE.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : s
}
