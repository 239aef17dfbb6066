import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** Report numbers for telephone reports, from a per-year sequence shared by both databases. */
export function reportNumbers(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('incident').addColumn('report_number', 'text').execute()
      await db.schema
        .createIndex('incident_report_number_idx')
        .on('incident')
        .column('report_number')
        .unique()
        .execute()
      await db.schema
        .createTable('number_sequence')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', d.instantType, (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('number_sequence').execute()
      await db.schema.dropIndex('incident_report_number_idx').execute()
      await db.schema.alterTable('incident').dropColumn('report_number').execute()
    },
  }
}
