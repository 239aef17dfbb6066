import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** The unit roster and every change of a unit's status (issue #6). */
export function units(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      await db.schema
        .createTable('unit')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('call_sign', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('split_force_role', 'text')
        .addColumn('shift', 'text')
        .addColumn('district', 'text')
        .addColumn('beat', 'text')
        .addColumn('activity', 'text')
        .addColumn('assignment_id', 'text')
        .addColumn('lat', d.realType)
        .addColumn('lon', d.realType)
        .addColumn('on_duty', 'integer', (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      await d
        .addSerialKey(db.schema.createTable('unit_status_event'), 'seq')
        .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
        .addColumn('from_activity', 'text')
        .addColumn('to_activity', 'text')
        .addColumn('assignment_id', 'text')
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('unit_status_event_unit_idx')
        .on('unit_status_event')
        .columns(['unit_id', 'at'])
        .execute()
      await d.makeAppendOnly(db, 'unit_status_event')
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('unit_status_event').execute()
      await db.schema.dropTable('unit').execute()
    },
  }
}
