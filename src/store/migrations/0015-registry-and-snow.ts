import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * The special-needs registry and snow operations (issue #10 items 4 and 5). Who a registrant is
 * and where they live (`registrant`) is apart from what they need and whom to call
 * (`registrant_health`, `registrant_contact`), so every read of health details is a read of
 * its own tables, explicit in the store and audited by the use case (audit_event). Wellness
 * calls keep every attempt. Snow: the state of each street segment the plows have touched, and
 * the critical places (hospitals, dialysis centres) that lift their streets' priority.
 */
export function registryAndSnow(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      await db.schema
        .createTable('registrant')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('address_text', 'text', (c) => c.notNull())
        .addColumn('lat', d.realType)
        .addColumn('lon', d.realType)
        .addColumn('block', 'text')
        .addColumn('segment_id', 'text')
        .addColumn('police_district', 'text')
        .addColumn('neighborhood', 'text')
        .addColumn('consent_given_by', 'text', (c) => c.notNull())
        .addColumn('consent_given_at', instant, (c) => c.notNull())
        .addColumn('consent_method', 'text', (c) => c.notNull())
        .addColumn('consent_recorded_by', 'text', (c) => c.notNull())
        .addColumn('verified_at', instant, (c) => c.notNull())
        .addColumn('reverify_by', instant, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      // The registrants in an activation's area: by district or neighborhood, and by point.
      await db.schema
        .createIndex('registrant_district_idx')
        .on('registrant')
        .column('police_district')
        .execute()
      await db.schema
        .createIndex('registrant_neighborhood_idx')
        .on('registrant')
        .column('neighborhood')
        .execute()
      await db.schema
        .createIndex('registrant_point_idx')
        .on('registrant')
        .columns(['lat', 'lon'])
        .execute()
      await db.schema
        .createIndex('registrant_reverify_idx')
        .on('registrant')
        .column('reverify_by')
        .execute()

      await db.schema
        .createTable('registrant_health')
        .addColumn('registrant_id', 'text', (c) => c.primaryKey().references('registrant.id'))
        .addColumn('needs', d.jsonType, (c) => c.notNull())
        /** Oxygen, dialysis or power-dependent equipment: the plows' critical-need locations. */
        .addColumn('critical', 'integer', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('registrant_health_critical_idx')
        .on('registrant_health')
        .column('critical')
        .execute()

      await db.schema
        .createTable('registrant_contact')
        .addColumn('registrant_id', 'text', (c) => c.notNull().references('registrant.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('relationship', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('registrant_contact_pk', ['registrant_id', 'position'])
        .execute()

      await db.schema
        .createTable('wellness_call')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('registrant_id', 'text', (c) => c.notNull().references('registrant.id'))
        .addColumn('activation_id', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('next', 'text', (c) => c.notNull())
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .execute()
      await db.schema
        .createIndex('wellness_call_activation_idx')
        .on('wellness_call')
        .columns(['activation_id', 'registrant_id', 'at'])
        .execute()

      await db.schema
        .createTable('plow_segment_state')
        .addColumn('segment_id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('critical_place')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('lat', d.realType, (c) => c.notNull())
        .addColumn('lon', d.realType, (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'critical_place',
        'plow_segment_state',
        'wellness_call',
        'registrant_contact',
        'registrant_health',
        'registrant',
      ])
        await db.schema.dropTable(table).execute()
    },
  }
}
