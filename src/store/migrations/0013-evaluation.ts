import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * What the evaluation dashboard reads (issue #8): calls offered to the 311 line (answered or
 * abandoned: the queue's answer time and abandonment), and the indexes that let each measure
 * read only its period (incidents by time: 0009; by block: 0012).
 */
export function evaluation(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      await db.schema
        .createTable('call_offer')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('line', 'text')
        .addColumn('offered_at', instant, (c) => c.notNull())
        .addColumn('answered_at', instant)
        .addColumn('answered_by', 'text')
        .addColumn('abandoned_at', instant)
        .execute()
      await db.schema
        .createIndex('call_offer_offered_idx')
        .on('call_offer')
        .column('offered_at')
        .execute()
      await db.schema.createIndex('referral_sent_idx').on('referral').column('sent_at').execute()
      await db.schema
        .createIndex('unit_status_event_at_idx')
        .on('unit_status_event')
        .columns(['at'])
        .execute()
      // The study area of the place analyses: every place that ever had a call, read from the
      // index alone.
      for (const table of ['rollup_block', 'rollup_cell'])
        await db.schema.createIndex(`${table}_place_idx`).on(table).column('place').execute()
    },
    async down(db: Kysely<unknown>) {
      for (const index of [
        'rollup_cell_place_idx',
        'rollup_block_place_idx',
        'unit_status_event_at_idx',
        'referral_sent_idx',
      ])
        await db.schema.dropIndex(index).execute()
      await db.schema.dropTable('call_offer').execute()
    },
  }
}
