import type {
  ColumnDefinitionBuilder,
  CreateTableBuilder,
  DialectAdapter,
  Kysely,
  Transaction,
} from 'kysely'
import { PostgresAdapter, sql } from 'kysely'
import type { Database } from './database.js'

/**
 * Every difference between SQLite and PostgreSQL that the store has to know about, named and
 * explained in one place (after kysely's DialectAdapter). Store code and migrations ask this
 * object; nothing else branches on the database.
 */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres'
  /** Column type for epoch-millisecond instants: integer is 64-bit on SQLite, bigint on PostgreSQL. */
  readonly instantType: 'integer' | 'bigint'
  /** Column type for JSON: jsonb on PostgreSQL (queryable), text on SQLite. */
  readonly jsonType: 'jsonb' | 'text'
  /** Column type for coordinates. */
  readonly realType: 'real' | 'double precision'
  /** Column type for bytes (photos): blob on SQLite, bytea on PostgreSQL. */
  readonly binaryType: 'blob' | 'bytea'
  /**
   * How many batches of writes may commit at once. SQLite has one writer, so batches queue;
   * PostgreSQL commits from several pool connections in parallel.
   */
  readonly concurrentWriteBatches: number
  /** Adds an auto-numbered integer primary key column. */
  addSerialKey<T extends string>(
    tb: CreateTableBuilder<T, never>,
    column: string,
  ): CreateTableBuilder<T, never>
  /**
   * Stores a table's rows in the order of its primary key: SQLite's WITHOUT ROWID (a range of
   * the key is then read in one pass, not through an index and back to the rows); PostgreSQL
   * keeps rows in a heap whatever is asked (its index on the key serves the same reads).
   */
  keyOrdered<T extends string>(tb: CreateTableBuilder<T, never>): CreateTableBuilder<T, never>
  /** Makes a table refuse UPDATE and DELETE, so its history cannot be rewritten. */
  makeAppendOnly(db: Kysely<unknown>, table: string): Promise<void>
  /** Whether an error is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean
  /**
   * Reads a JSON column. SQLite gives the text; PostgreSQL gives the parsed value, so a JSON
   * string there arrives as a plain string and must not be parsed again.
   */
  readJson<T>(value: unknown): T
}

export const sqliteDialect: StoreDialect = {
  name: 'sqlite',
  instantType: 'integer',
  jsonType: 'text',
  realType: 'real',
  binaryType: 'blob',
  concurrentWriteBatches: 1,
  addSerialKey: (tb, column) =>
    tb.addColumn(column, 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement()),
  keyOrdered: (tb) => tb.modifyEnd(sql`without rowid`),
  async makeAppendOnly(db, table) {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
           BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
        )
        .execute(db)
    }
  },
  isUniqueViolation: (err) =>
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    String(err.code).startsWith('SQLITE_CONSTRAINT_UNIQUE'),
  readJson: <T>(value: unknown) => JSON.parse(value as string) as T,
}

export const postgresDialect: StoreDialect = {
  name: 'postgres',
  instantType: 'bigint',
  jsonType: 'jsonb',
  realType: 'double precision',
  binaryType: 'bytea',
  concurrentWriteBatches: 4,
  addSerialKey: (tb, column) =>
    tb.addColumn(column, 'bigint', (c: ColumnDefinitionBuilder) =>
      c.primaryKey().generatedAlwaysAsIdentity(),
    ),
  keyOrdered: (tb) => tb,
  async makeAppendOnly(db, table) {
    await sql
      .raw(
        `CREATE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION '${table} is append-only'; END $$`,
      )
      .execute(db)
    await sql
      .raw(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`,
      )
      .execute(db)
  },
  isUniqueViolation: (err) =>
    typeof err === 'object' && err !== null && 'code' in err && err.code === '23505',
  readJson: <T>(value: unknown) => value as T,
}

/**
 * Whether bulk inserts on this connection pass each column as one array, unnested in the
 * statement (PostgreSQL: a parameter per column instead of one per value, far less to bind and
 * parse), or as rows of VALUES (SQLite, which has no arrays).
 */
export function insertsByColumnArrays(adapter: DialectAdapter): boolean {
  return adapter instanceof PostgresAdapter
}

/**
 * Runs a bulk load with the SQLite writer's automatic checkpoint off: at the commit of a
 * transaction of millions of rows the writer would otherwise copy the whole write-ahead log into
 * the database before returning, though the rows are already durable in the log. The background
 * checkpointer copies it afterwards, without blocking anyone. PostgreSQL has nothing to change.
 */
export async function withoutWriterCheckpoint<T>(
  db: Kysely<Database>,
  run: () => Promise<T>,
): Promise<T> {
  if (insertsByColumnArrays(db.getExecutor().adapter)) return run()
  const before = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)
  const limit = Number(before.rows[0]?.wal_autocheckpoint ?? 1000)
  await sql`PRAGMA wal_autocheckpoint = 0`.execute(db)
  try {
    return await run()
  } finally {
    await sql.raw(`PRAGMA wal_autocheckpoint = ${limit}`).execute(db)
  }
}

/**
 * Brings the planner's statistics up to date for tables a bulk load has just filled. PostgreSQL
 * otherwise plans with what it knew before (an empty table: a sort where a hash would do, twice
 * as slow) until autovacuum gets round to it, and autovacuum may be off. ANALYZE samples the
 * tables (seconds, not a scan), runs inside the transaction and sees its rows. SQLite plans
 * without statistics unless ANALYZE was ever run: nothing to refresh.
 */
export async function refreshPlannerStatistics(
  trx: Transaction<Database>,
  tables: readonly (keyof Database & string)[],
): Promise<void> {
  if (!insertsByColumnArrays(trx.getExecutor().adapter) || tables.length === 0) return
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(trx)
}

/** Writes a JSON column. Text is valid input for jsonb too, so both dialects take a string. */
export function writeJson(value: unknown): string {
  return JSON.stringify(value)
}

/** Writes a nullable JSON column: null stays SQL NULL rather than the JSON text 'null'. */
export function writeJsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value)
}
