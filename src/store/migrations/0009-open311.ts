import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * Open311 and the public page (issue #7): indexes for the newest public requests and those
 * changed since a time, and photos sent with a report (kept for staff, never public as sent).
 */
export function open311(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('incident_received_idx')
        .on('incident')
        .columns(['received_at', 'seq'])
        .execute()
      await db.schema
        .createIndex('incident_updated_idx')
        .on('incident')
        .column('updated_at')
        .execute()
      await db.schema
        .createTable('media')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('bytes', d.binaryType, (c) => c.notNull())
        .addColumn('created_at', d.instantType, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('media_incident_idx').on('media').column('incident_id').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('media').execute()
      await db.schema.dropIndex('incident_updated_idx').execute()
      await db.schema.dropIndex('incident_received_idx').execute()
    },
  }
}
