import { type CompiledQuery, type Kysely, sql, type Transaction } from 'kysely'
import { RollupCounter, rollupEventOfCall } from '../../domain/analytics/rollups.js'
import type { LocalTime } from '../../domain/analytics/trends.js'
import type { CallForService } from '../../domain/history/call-for-service.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { HistoryStore } from '../ports.js'
import {
  type BulkInsert,
  flatInsertQuery,
  insertFlat,
  insertRowsReturning,
  rowsPerStatement,
} from './bulk-insert.js'
import type { Database } from './database.js'
import { refreshPlannerStatistics, type StoreDialect, withoutWriterCheckpoint } from './dialect.js'
import { addRollupRows, addToRollups, ROLLUP_TABLES } from './rollup-store.js'

const CALLS: BulkInsert = {
  table: 'call_for_service',
  columns: [
    'source',
    'source_id',
    'received_at',
    'source_call_type',
    'call_type',
    'priority',
    'disposition',
    'block',
    'lat',
    'lon',
    'h3',
    'police_district',
    'beat',
    'imported_at',
  ],
  conflict: { columns: ['source', 'source_id'] },
  types: [
    'text',
    'text',
    'bigint',
    'text',
    'text',
    'integer',
    'text',
    'text',
    'double precision',
    'double precision',
    'text',
    'text',
    'text',
    'bigint',
  ],
}

/** The same insert for calls expected to be new: no conflict clause, so it fails on a repeat. */
const NEW_CALLS: BulkInsert = { ...CALLS, conflict: undefined }

/**
 * The call table's secondary indexes, exactly as migrations made them (0010: time and block;
 * 0012: cell): a large import writes into the table without those it rebuilds and builds them
 * again, inside the same transaction. A store test checks this list against the database's.
 */
export const CALL_INDEXES = [
  { name: 'call_for_service_received_idx', columns: ['received_at'], rebuiltInBulk: false },
  { name: 'call_for_service_block_idx', columns: ['block', 'received_at'], rebuiltInBulk: true },
  { name: 'call_for_service_h3_idx', columns: ['h3', 'received_at'], rebuiltInBulk: true },
] as const

/**
 * The indexes a large import drops and builds again. The time index is kept: an export comes in
 * time order, so its calls are appended at the index's end, whose pages stay cached; building it
 * again would sort what is already sorted. The block and cell indexes are written all over: one
 * sort wins.
 */
const REBUILT_IN_BULK = CALL_INDEXES.filter((i) => i.rebuiltInBulk)

/**
 * An import is written in one transaction, without the secondary indexes, when it brings at
 * least this many calls and at least a quarter as many as the table holds: building an index
 * again (one sort) is then cheaper than adding each row to it.
 */
export const BULK_IMPORT = { minCalls: 10_000, share: 4 }

/** 911 history over Kysely. */
export class KyselyHistoryStore implements HistoryStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect
  readonly #local: LocalTime

  constructor(db: Kysely<Database>, d: StoreDialect, local: LocalTime) {
    this.#db = db
    this.#d = d
    this.#local = local
  }

  async importCalls(
    batches: AsyncIterable<readonly CallForService[]>,
    importedAt: Instant,
    expectedCalls: number,
  ): Promise<{ inserted: number; duplicates: number }> {
    const stored = await maxSeq(this.#db)
    if (expectedCalls < BULK_IMPORT.minCalls || expectedCalls * BULK_IMPORT.share < stored) {
      // Batch by batch: each in its own transaction with its rollups.
      let inserted = 0
      let read = 0
      for await (const batch of batches) {
        inserted += (await this.addCalls(batch, importedAt)).inserted
        read += batch.length
      }
      return { inserted, duplicates: read - inserted }
    }
    // All in one transaction: the calls, the indexes built again, the rollups counted in memory
    // and added once. Whatever fails, it is all undone, the indexes with the rest.
    const load = () =>
      this.#db.transaction().execute(async (trx) => {
        const counter = new RollupCounter(this.#local)
        let rebuild: boolean | null = null
        let inserted = 0
        let read = 0
        // One batch is written while the next is read, placed and built into statements: on
        // PostgreSQL the server writes while this thread prepares, instead of each waiting for
        // the other. (SQLite writes on this thread: there it changes nothing.)
        let writing: Promise<void> | null = null
        try {
          for await (const batch of batches) {
            if (batch.length === 0) continue
            if (rebuild === null) {
              // An export imported again (its first call is there) keeps the indexes: nothing
              // or little will be added.
              const first = batch[0] as CallForService
              const there = await trx
                .selectFrom('call_for_service')
                .select('seq')
                .where('source', '=', first.source)
                .where('source_id', '=', first.sourceId)
                .executeTakeFirst()
              rebuild = there === undefined
              if (rebuild)
                for (const index of REBUILT_IN_BULK)
                  await trx.schema.dropIndex(index.name).execute()
            }
            const prepared = prepareCalls(
              trx,
              rebuild ? batch : [...batch].sort(byBlockThenTime),
              importedAt,
              rebuild,
            )
            await writing
            const write = writeCalls(trx, prepared, rebuild ? this.#d : undefined).then((fresh) => {
              for (const c of fresh) counter.add(rollupEventOfCall(c))
              inserted += fresh.length
              read += batch.length
            })
            // Its failure is met at the next `await writing`; until then it is not unhandled.
            write.catch(() => undefined)
            writing = write
          }
          await writing
        } finally {
          // Whatever stopped the loop (the export broke off), the write under way ends before
          // the transaction does: nothing may reach the connection after its rollback.
          await writing?.catch(() => undefined)
        }
        if (rebuild) {
          for (const index of REBUILT_IN_BULK)
            await trx.schema
              .createIndex(index.name)
              .on('call_for_service')
              .columns([...index.columns])
              .execute()
        }
        await addRollupRows(trx, counter.rows())
        await refreshPlannerStatistics(trx, ['call_for_service', ...ROLLUP_TABLES])
        return { inserted, duplicates: read - inserted }
      })
    return withoutWriterCheckpoint(this.#db, load)
  }

  async addCalls(
    calls: readonly CallForService[],
    importedAt: Instant,
  ): Promise<{ inserted: number; duplicates: number }> {
    const sorted = [...calls].sort(byBlockThenTime)
    const fresh = await this.#db.transaction().execute(async (trx) => {
      const fresh = await insertCalls(trx, sorted, importedAt)
      await addToRollups(trx, fresh.map(rollupEventOfCall), this.#local)
      return fresh
    })
    return { inserted: fresh.length, duplicates: calls.length - fresh.length }
  }

  async count(source?: string): Promise<number> {
    let q = this.#db.selectFrom('call_for_service').select((eb) => eb.fn.countAll<number>().as('n'))
    if (source) q = q.where('source', '=', source)
    return Number((await q.executeTakeFirstOrThrow()).n)
  }
}

/**
 * Rows go in by block: the (block, received_at) index then takes each batch's rows in key order,
 * touching each of its pages once, instead of at random all over a B-tree of gigabytes.
 */
function byBlockThenTime(a: CallForService, b: CallForService): number {
  const x = a.block ?? ''
  const y = b.block ?? ''
  return x < y ? -1 : x > y ? 1 : a.receivedAt - b.receivedAt
}

/** Appends a call's values, in the order of `CALLS.columns`, to `out`; returns `out`. */
function pushCallValues(c: CallForService, importedAt: Instant, out: unknown[]): unknown[] {
  out.push(
    c.source,
    c.sourceId,
    c.receivedAt,
    c.sourceCallType,
    c.callType,
    c.priority,
    c.disposition,
    c.block,
    c.lat,
    c.lon,
    c.h3,
    c.policeDistrict,
    c.beat,
    importedAt,
  )
  return out
}

/** Calls cut into statements, built and ready to run. */
interface PreparedCalls {
  parts: Array<{
    calls: readonly CallForService[]
    values: unknown[]
    /** The insert expected to meet no stored call (no conflict clause), when that is expected. */
    fresh: CompiledQuery | null
  }>
}

/**
 * Cuts calls into statements and builds them (the values, and for calls expected to be new,
 * the whole statement: on PostgreSQL, the COPY's text). Nothing touches the database here.
 */
function prepareCalls(
  trx: Transaction<Database>,
  calls: readonly CallForService[],
  importedAt: Instant,
  expectNew: boolean,
): PreparedCalls {
  const per = rowsPerStatement(trx, CALLS)
  const parts: PreparedCalls['parts'] = []
  for (let i = 0; i < calls.length; i += per) {
    const part = calls.slice(i, i + per)
    const values: unknown[] = []
    for (const c of part) pushCallValues(c, importedAt, values)
    parts.push({
      calls: part,
      values,
      fresh: expectNew ? flatInsertQuery(trx, NEW_CALLS, values) : null,
    })
  }
  return { parts }
}

/**
 * Inserts calls, skipping those already imported (the source's own id is the key), and returns
 * the ones actually inserted: only those are counted into the rollups, so importing an export
 * again adds nothing. Usually a statement inserts all its rows (a new export) or none (the same
 * one again); only when it inserts some is it undone and run again to learn which.
 */
async function insertCalls(
  trx: Transaction<Database>,
  calls: readonly CallForService[],
  importedAt: Instant,
): Promise<CallForService[]> {
  return writeCalls(trx, prepareCalls(trx, calls, importedAt, false))
}

async function writeCalls(
  trx: Transaction<Database>,
  prepared: PreparedCalls,
  /** Given when the calls are expected to be new: how to tell that one was there after all. */
  expectNew?: Pick<StoreDialect, 'isUniqueViolation'>,
): Promise<CallForService[]> {
  const fresh: CallForService[] = []
  for (const { calls: part, values, fresh: insertNew } of prepared.parts) {
    await sql`savepoint history_rows`.execute(trx)
    // Calls expected to be new go in without the conflict check (on PostgreSQL as a COPY, which
    // has none); if one was there after all, the statement fails and is run again with it.
    // Any other failure is the import's.
    const n =
      insertNew && expectNew
        ? await trx
            .executeQuery(insertNew)
            .then((r) => Number(r.numAffectedRows ?? 0))
            .catch(async (err: unknown) => {
              if (!expectNew.isUniqueViolation(err)) throw err
              await sql`rollback to savepoint history_rows`.execute(trx)
              return insertFlat(trx, CALLS, values)
            })
        : await insertFlat(trx, CALLS, values)
    if (n === part.length) fresh.push(...part)
    else if (n > 0) {
      await sql`rollback to savepoint history_rows`.execute(trx)
      const width = CALLS.columns.length
      const rows = part.map((_, k) => values.slice(k * width, (k + 1) * width))
      const added = new Set(await insertRowsReturning(trx, CALLS, rows, 'source_id'))
      // A row whose id comes twice in the export is inserted (and counted) once.
      for (const c of part) if (added.delete(c.sourceId)) fresh.push(c)
    }
    await sql`release savepoint history_rows`.execute(trx)
  }
  return fresh
}

/** The highest call number: about how many calls the table holds. */
async function maxSeq(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('call_for_service')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst()
  return Number(r?.seq ?? 0)
}
