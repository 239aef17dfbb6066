import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** PSAs, officers and NSC staff, their bookable time, and the appointments booked in it (issue #6 item 5). */
export function appointments(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      // A unique name: the call-taker picks a person from a list by name, so two entries with
      // the same name would be a coin toss.
      await db.schema
        .createTable('schedulable_resource')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('district', 'text')
        .addColumn('location', 'text')
        .addColumn('active', 'integer', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('availability_window')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('resource_id', 'text', (c) => c.notNull().references('schedulable_resource.id'))
        .addColumn('starts_at', instant, (c) => c.notNull())
        .addColumn('ends_at', instant, (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('availability_window_resource_idx')
        .on('availability_window')
        .columns(['resource_id', 'starts_at'])
        .execute()

      // No caller columns, on purpose (decision 0005): the caller is reached through the
      // incident, by the roles allowed to read callers.
      await db.schema
        .createTable('appointment')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('resource_id', 'text', (c) => c.notNull().references('schedulable_resource.id'))
        .addColumn('incident_id', 'text', (c) => c.references('incident.id'))
        .addColumn('starts_at', instant, (c) => c.notNull())
        .addColumn('ends_at', instant, (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('place', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('booked_by', 'text', (c) => c.notNull())
        .addColumn('booked_at', instant, (c) => c.notNull())
        .addColumn('cancelled_reason', 'text')
        .addColumn('cancelled_by', 'text')
        .addColumn('cancelled_at', instant)
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      // The calendar and the booking's clash check read a resource's appointments by time.
      await db.schema
        .createIndex('appointment_resource_idx')
        .on('appointment')
        .columns(['resource_id', 'starts_at'])
        .execute()
      // The dispatch queue asks for the appointments of the incidents it holds.
      await db.schema
        .createIndex('appointment_incident_idx')
        .on('appointment')
        .column('incident_id')
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('appointment').execute()
      await db.schema.dropTable('availability_window').execute()
      await db.schema.dropTable('schedulable_resource').execute()
    },
  }
}
