import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from './database.js'
import { insertsByColumnArrays } from './dialect.js'
import { copyInStatement, copyText } from './postgres-copy.js'

/**
 * Multi-row inserts for bulk writes (the 911 history import, the rollups): the statement for a
 * given number of rows is built and compiled by Kysely once, so it is correctly quoted and
 * numbered for either database, and then only the values change. Building the query tree again
 * for every thousand rows was a large share of an import's time.
 */
export interface BulkInsert {
  table: keyof Database & string
  columns: readonly string[]
  /** The unique key whose conflicts are skipped, or added to (`add`: the counter column). */
  conflict?: { columns: readonly string[]; add?: string }
  /**
   * The columns' PostgreSQL types: given, PostgreSQL takes the rows as one array per column
   * (`select * from unnest($1::text[], …)`) instead of rows of VALUES.
   */
  types?: readonly string[]
}

/** Bound parameters per statement: well under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 16_000
const MAX_ROWS = 1000

/** Rows per statement when they go as column arrays: no parameter limit, only memory. */
const MAX_ARRAY_ROWS = 10_000

/** How many rows one statement of this insert holds on this connection. */
export function rowsPerStatement(
  db: Kysely<Database> | Transaction<Database>,
  spec: BulkInsert,
): number {
  if (byArrays(db, spec)) return MAX_ARRAY_ROWS
  return Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / spec.columns.length)))
}

function byArrays(db: Kysely<Database> | Transaction<Database>, spec: BulkInsert): boolean {
  return spec.types !== undefined && insertsByColumnArrays(db.getExecutor().adapter)
}

/** Statements by dialect (its adapter: SQLite and PostgreSQL number parameters differently). */
const compiled = new WeakMap<object, WeakMap<BulkInsert, Map<string, string>>>()

function statement(
  db: Kysely<Database> | Transaction<Database>,
  spec: BulkInsert,
  rows: number,
  returning: string | undefined,
): string {
  const adapter = db.getExecutor().adapter
  let bySpec = compiled.get(adapter)
  if (!bySpec) {
    bySpec = new WeakMap()
    compiled.set(adapter, bySpec)
  }
  let bySize = bySpec.get(spec)
  if (!bySize) {
    bySize = new Map()
    bySpec.set(spec, bySize)
  }
  const arrays = byArrays(db, spec)
  const key = `${arrays ? 'arrays' : rows}|${returning ?? ''}`
  let text = bySize.get(key)
  if (text === undefined) {
    const row = Object.fromEntries(spec.columns.map((c) => [c, 0]))
    // The table and columns are the spec's, not the schema's: checked by the callers' tests.
    // biome-ignore lint/suspicious/noExplicitAny: a statement over any table of the schema
    const untyped = db as unknown as Kysely<any>
    const conflict = spec.conflict
    const add = conflict?.add
    const values = arrays
      ? untyped
          .insertInto(spec.table)
          .columns(spec.columns)
          .expression(
            sql`select * from unnest(${sql.join(
              (spec.types ?? []).map((t) => sql`${0}::${sql.raw(t)}[]`),
            )})`,
          )
      : untyped.insertInto(spec.table).values(Array.from({ length: rows }, () => row))
    const upsert = conflict
      ? values.onConflict((oc) => {
          const on = oc.columns(conflict.columns)
          return add
            ? on.doUpdateSet((eb) => ({
                [add]: eb(`${spec.table}.${add}`, '+', eb.ref(`excluded.${add}`)),
              }))
            : on.doNothing()
        })
      : values
    const q = returning ? upsert.returning(returning) : upsert
    const c = q.compile()
    if (c.parameters.length !== (arrays ? 1 : rows) * spec.columns.length)
      throw new Error(`bulk insert into ${spec.table}: unexpected parameters`)
    text = c.sql
    // Keep the full-size statement and a few remainders.
    if (bySize.size >= 8) bySize.delete(bySize.keys().next().value as string)
    bySize.set(key, text)
  }
  return text
}

/**
 * Inserts rows (each an array in `spec.columns` order) in statements of up to
 * `rowsPerStatement(spec)` rows. Returns how many rows were written (inserted or, with `add`,
 * inserted or added to); with `returning`, the returned column's values instead.
 */
export async function insertRows(
  db: Kysely<Database> | Transaction<Database>,
  spec: BulkInsert,
  rows: readonly (readonly unknown[])[],
): Promise<number> {
  let written = 0
  const per = rowsPerStatement(db, spec)
  const arrays = byArrays(db, spec)
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per)
    const r = await db.executeQuery(
      CompiledQuery.raw(
        statement(db, spec, part.length, undefined),
        arrays ? columnsOf(part, spec) : flatten(part),
      ),
    )
    written += Number(r.numAffectedRows ?? 0)
  }
  return written
}

/**
 * `insertRows` for at most `rowsPerStatement` rows given as one flat array of values, row after
 * row (no array per row: a bulk import's millions of them were work for the garbage collector).
 */
export async function insertFlat(
  db: Kysely<Database> | Transaction<Database>,
  spec: BulkInsert,
  values: readonly unknown[],
): Promise<number> {
  const query = flatInsertQuery(db, spec, values)
  if (query === null) return 0
  const r = await db.executeQuery(query)
  return Number(r.numAffectedRows ?? 0)
}

/**
 * The statement `insertFlat` runs, built now and run later: a bulk import builds the next
 * statement while the database is still writing the last one. Null for no rows.
 */
export function flatInsertQuery(
  db: Kysely<Database> | Transaction<Database>,
  spec: BulkInsert,
  values: readonly unknown[],
): CompiledQuery | null {
  const width = spec.columns.length
  const count = values.length / width
  if (count === 0) return null
  if (!Number.isInteger(count) || count > rowsPerStatement(db, spec))
    throw new Error(
      `bulk insert into ${spec.table}: ${values.length} values do not fit one statement`,
    )
  if (byArrays(db, spec) && !spec.conflict)
    // Rows that skip nothing go to PostgreSQL as a COPY, its bulk load: no statement to plan
    // and no arrays to parse.
    return CompiledQuery.raw(copyInStatement(spec.table, spec.columns), [copyText(values, width)])
  let parameters: readonly unknown[] = values
  if (byArrays(db, spec)) {
    const columns = spec.columns.map(() => new Array<unknown>(count))
    for (let r = 0; r < count; r++)
      for (let c = 0; c < width; c++) (columns[c] as unknown[])[r] = values[r * width + c]
    parameters = columns
  }
  return CompiledQuery.raw(statement(db, spec, count, undefined), parameters as unknown[])
}

/** `insertRows` that returns one column of the rows actually written. */
export async function insertRowsReturning(
  db: Kysely<Database> | Transaction<Database>,
  spec: BulkInsert,
  rows: readonly (readonly unknown[])[],
  returning: string,
): Promise<unknown[]> {
  const out: unknown[] = []
  const per = rowsPerStatement(db, spec)
  const arrays = byArrays(db, spec)
  for (let i = 0; i < rows.length; i += per) {
    const part = rows.slice(i, i + per)
    const r = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(
        statement(db, spec, part.length, returning),
        arrays ? columnsOf(part, spec) : flatten(part),
      ),
    )
    for (const row of r.rows) out.push(row[returning])
  }
  return out
}

function flatten(rows: readonly (readonly unknown[])[]): unknown[] {
  const out: unknown[] = []
  for (const row of rows) for (const v of row) out.push(v)
  return out
}

/** The rows as one array per column, for `unnest`. */
function columnsOf(rows: readonly (readonly unknown[])[], spec: BulkInsert): unknown[][] {
  const out = spec.columns.map(() => new Array<unknown>(rows.length))
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly unknown[]
    for (let c = 0; c < out.length; c++) (out[c] as unknown[])[r] = row[c]
  }
  return out
}
