import { type Kysely, sql } from 'kysely'
import { rollupEventOfCall } from '../../domain/analytics/rollups.js'
import type { LocalTime } from '../../domain/analytics/trends.js'
import type { CallForService } from '../../domain/history/call-for-service.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { HistoryStore } from '../ports.js'
import {
  type BulkInsert,
  insertRows,
  insertRowsReturning,
  rowsPerStatement,
} from './bulk-insert.js'
import type { Database } from './database.js'
import { addToRollups } from './rollup-store.js'

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
}

/** 911 history over Kysely. */
export class KyselyHistoryStore implements HistoryStore {
  readonly #db: Kysely<Database>
  readonly #local: LocalTime

  constructor(db: Kysely<Database>, local: LocalTime) {
    this.#db = db
    this.#local = local
  }

  async addCalls(
    calls: readonly CallForService[],
    importedAt: Instant,
  ): Promise<{ inserted: number; duplicates: number }> {
    const fresh: CallForService[] = []
    const per = rowsPerStatement(CALLS)
    const sorted = [...calls].sort(byBlockThenTime)
    await this.#db.transaction().execute(async (trx) => {
      for (let i = 0; i < sorted.length; i += per) {
        const part = sorted.slice(i, i + per)
        const rows = part.map((c) => [
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
        ])
        // Importing the same export again adds nothing: the source's own id is the key, and
        // only the rows actually inserted are counted into the rollups. Usually a statement
        // inserts all its rows (a new export) or none (the same one again); only when it
        // inserts some is it undone and run again to learn which.
        await sql`savepoint history_rows`.execute(trx)
        const n = await insertRows(trx, CALLS, rows)
        if (n === part.length) fresh.push(...part)
        else if (n > 0) {
          await sql`rollback to savepoint history_rows`.execute(trx)
          const added = new Set(await insertRowsReturning(trx, CALLS, rows, 'source_id'))
          // A row whose id comes twice in the export is inserted (and counted) once.
          for (const c of part) if (added.delete(c.sourceId)) fresh.push(c)
        }
        await sql`release savepoint history_rows`.execute(trx)
      }
      await addToRollups(trx, fresh.map(rollupEventOfCall), this.#local)
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
