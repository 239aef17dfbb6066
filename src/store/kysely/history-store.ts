import type { Kysely } from 'kysely'
import type { LocalTime } from '../../domain/analytics/trends.js'
import type { CallForService } from '../../domain/history/call-for-service.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { HistoryStore } from '../ports.js'
import type { Database } from './database.js'
import { addToRollups } from './rollup-store.js'

/** Rows per insert: well under both databases' limits on bound parameters. */
const CHUNK = 500

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
    let inserted = 0
    await this.#db.transaction().execute(async (trx) => {
      for (let i = 0; i < calls.length; i += CHUNK) {
        const rows = calls.slice(i, i + CHUNK).map((c) => ({
          source: c.source,
          source_id: c.sourceId,
          received_at: c.receivedAt,
          source_call_type: c.sourceCallType,
          call_type: c.callType,
          priority: c.priority,
          disposition: c.disposition,
          block: c.block,
          lat: c.lat,
          lon: c.lon,
          h3: c.h3,
          police_district: c.policeDistrict,
          beat: c.beat,
          imported_at: importedAt,
        }))
        // Importing the same export again adds nothing: the source's own id is the key, and
        // only the rows actually inserted are counted into the rollups.
        const added = await trx
          .insertInto('call_for_service')
          .values(rows)
          .onConflict((oc) => oc.columns(['source', 'source_id']).doNothing())
          .returning('source_id')
          .execute()
        inserted += added.length
        const fresh = new Set(added.map((r) => r.source_id))
        await addToRollups(
          trx,
          calls
            .slice(i, i + CHUNK)
            .filter((c) => fresh.has(c.sourceId))
            .map((c) => ({
              source: '911' as const,
              at: c.receivedAt,
              callType: c.callType,
              channel: null,
              priority: c.priority,
              district: c.policeDistrict,
              block: c.block,
              h3: c.h3,
            })),
          this.#local,
        )
      }
    })
    return { inserted, duplicates: calls.length - inserted }
  }

  async count(source?: string): Promise<number> {
    let q = this.#db.selectFrom('call_for_service').select((eb) => eb.fn.countAll<number>().as('n'))
    if (source) q = q.where('source', '=', source)
    return Number((await q.executeTakeFirstOrThrow()).n)
  }
}
