import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** 911 calls for service imported from a CAD export (issue #8). */
export function callHistory(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await d
        .addSerialKey(db.schema.createTable('call_for_service'), 'seq')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('received_at', d.instantType, (c) => c.notNull())
        .addColumn('source_call_type', 'text', (c) => c.notNull())
        .addColumn('call_type', 'text')
        .addColumn('priority', 'integer')
        .addColumn('disposition', 'text')
        .addColumn('block', 'text')
        .addColumn('lat', d.realType)
        .addColumn('lon', d.realType)
        .addColumn('h3', 'text')
        .addColumn('police_district', 'text')
        .addColumn('beat', 'text')
        .addColumn('imported_at', d.instantType, (c) => c.notNull())
        .addUniqueConstraint('call_for_service_source_id', ['source', 'source_id'])
        .execute()
      await db.schema
        .createIndex('call_for_service_received_idx')
        .on('call_for_service')
        .column('received_at')
        .execute()
      await db.schema
        .createIndex('call_for_service_block_idx')
        .on('call_for_service')
        .columns(['block', 'received_at'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('call_for_service').execute()
    },
  }
}
