import { type Kysely, type Migration, sql } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * The foundation: the catalogue with its change history, callers kept apart from incidents,
 * incidents, contacts and the append-only incident history.
 */
export function initial(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      const json = d.jsonType

      await d
        .addSerialKey(db.schema.createTable('catalogue_version'), 'seq')
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('imported_at', instant, (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .addColumn('created', 'integer', (c) => c.notNull())
        .addColumn('updated', 'integer', (c) => c.notNull())
        .addColumn('unchanged', 'integer', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('catalogue_setting')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', json, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('agency')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .execute()

      await db.schema
        .createTable('call_type')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('group_name', 'text', (c) => c.notNull())
        .addColumn('family', 'text', (c) => c.notNull())
        .addColumn('public', 'integer', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('definition', json, (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute()

      await d
        .addSerialKey(db.schema.createTable('call_type_change'), 'seq')
        .addColumn('call_type_code', 'text', (c) => c.notNull().references('call_type.code'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('change', 'text', (c) => c.notNull())
        .addColumn('before', json)
        .addColumn('after', json, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('catalogue_version', 'text')
        .execute()
      await db.schema
        .createIndex('call_type_change_code_idx')
        .on('call_type_change')
        .columns(['call_type_code', 'revision'])
        .execute()
      await d.makeAppendOnly(db, 'call_type_change')

      await db.schema
        .createTable('call_type_mapping')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_code', 'text', (c) => c.notNull())
        .addColumn('source_description', 'text', (c) => c.notNull())
        .addColumn('call_type_code', 'text', (c) => c.notNull().references('call_type.code'))
        .addColumn('note', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('call_type_mapping_pk', ['source', 'source_code'])
        .execute()

      // Callers are restricted personal data, kept apart from incidents (DESIGN.md §3.1).
      await db.schema
        .createTable('caller')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text')
        .addColumn('phone', 'text')
        .addColumn('email', 'text')
        .addColumn('callback_consent', 'integer', (c) => c.notNull())
        .addColumn('ani', 'text')
        .addColumn('ali', json)
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute()

      await d
        .addSerialKey(db.schema.createTable('incident'), 'seq')
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('call_type', 'text', (c) => c.notNull().references('call_type.code'))
        .addColumn('family', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('referral', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('is_open', 'integer', (c) => c.notNull())
        .addColumn('disposition', 'text')
        .addColumn('location_text', 'text')
        .addColumn('lat', d.realType)
        .addColumn('lon', d.realType)
        .addColumn('h3', 'text')
        .addColumn('block', 'text')
        .addColumn('narrative', 'text', (c) => c.notNull())
        .addColumn('answers', json, (c) => c.notNull())
        .addColumn('triage', json, (c) => c.notNull())
        .addColumn('override', json)
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('received_at', instant, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('duplicate_of', 'text', (c) => c.references('incident.id'))
        .addColumn('eido', json)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('request_hash', 'text')
        .execute()
      // The duplicate check: open incidents of a family in a few H3 cells since a time. Partial,
      // so closed history does not slow it down however long it grows.
      await db.schema
        .createIndex('incident_open_family_h3_idx')
        .on('incident')
        .columns(['family', 'h3', 'received_at'])
        .where(sql.ref('is_open'), '=', 1)
        .execute()
      await db.schema
        .createIndex('incident_status_idx')
        .on('incident')
        .columns(['status', 'received_at'])
        .execute()

      await db.schema
        .createTable('contact')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('received_at', instant, (c) => c.notNull())
        .addColumn('answered_at', instant)
        .addColumn('ended_at', instant)
        .addColumn('taken_by', 'text')
        .addColumn('anonymous', 'integer', (c) => c.notNull())
        .addColumn('caller_id', 'text', (c) => c.references('caller.id'))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('request_hash', 'text')
        .execute()
      await db.schema
        .createIndex('contact_incident_idx')
        .on('contact')
        .column('incident_id')
        .execute()

      await d
        .addSerialKey(db.schema.createTable('incident_event'), 'seq')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('data', json, (c) => c.notNull())
        .addColumn('reason', 'text')
        .execute()
      await db.schema
        .createIndex('incident_event_incident_idx')
        .on('incident_event')
        .columns(['incident_id', 'seq'])
        .execute()
      await d.makeAppendOnly(db, 'incident_event')
    },

    async down(db: Kysely<unknown>) {
      for (const t of [
        'incident_event',
        'contact',
        'incident',
        'caller',
        'call_type_mapping',
        'call_type_change',
        'call_type',
        'agency',
        'catalogue_setting',
        'catalogue_version',
      ]) {
        await db.schema.dropTable(t).execute()
      }
      if (d.name === 'postgres') {
        for (const f of ['incident_event_append_only', 'call_type_change_append_only']) {
          await sql.raw(`DROP FUNCTION IF EXISTS ${f}()`).execute(db)
        }
      }
    },
  }
}
