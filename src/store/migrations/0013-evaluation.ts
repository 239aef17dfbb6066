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
      // The study area of the place analyses: every block and cell that ever had a call. A
      // small table of its own, added to with each batch: an index on the rollups' place would
      // cost every new rollup row an insert into a B-tree the size of the rollups.
      await db.schema
        .createTable('rollup_place')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('place', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollup_place_pk', ['kind', 'place'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('rollup_place').execute()
      for (const index of ['unit_status_event_at_idx', 'referral_sent_idx'])
        await db.schema.dropIndex(index).execute()
      await db.schema.dropTable('call_offer').execute()
    },
  }
}
