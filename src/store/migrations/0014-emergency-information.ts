import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * Emergency information (issue #10 items 1–3): activations, the knowledge base (articles and
 * their approved versions), facilities (PODs, shelters, warming centres), what was told to a
 * caller (the article version, the facility offered, whether they can get there; append-only),
 * and the incident's activation tag.
 */
export function emergencyInformation(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      await db.schema
        .createTable('activation')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('area', d.jsonType, (c) => c.notNull())
        .addColumn('starts_at', instant, (c) => c.notNull())
        .addColumn('ends_at', instant)
        .addColumn('call_types', d.jsonType, (c) => c.notNull())
        .addColumn('public_banner', 'text', (c) => c.notNull())
        .addColumn('activated_by', 'text', (c) => c.notNull())
        .addColumn('activated_at', instant, (c) => c.notNull())
        .addColumn('deactivated_by', 'text')
        .addColumn('deactivated_at', instant)
        .execute()
      // The current activations: those not deactivated, read on every call taken.
      await db.schema
        .createIndex('activation_current_idx')
        .on('activation')
        .columns(['deactivated_at', 'starts_at'])
        .execute()

      await db.schema
        .createTable('knowledge_article')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('call_type', 'text')
        .addColumn('activation_id', 'text', (c) => c.references('activation.id'))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('knowledge_article_call_type_idx')
        .on('knowledge_article')
        .columns(['call_type', 'audience'])
        .execute()
      await db.schema
        .createIndex('knowledge_article_activation_idx')
        .on('knowledge_article')
        .column('activation_id')
        .execute()
      await db.schema
        .createTable('knowledge_version')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('article_id', 'text', (c) => c.notNull().references('knowledge_article.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('valid_from', instant, (c) => c.notNull())
        .addColumn('valid_to', instant)
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', instant)
        .addUniqueConstraint('knowledge_version_number_uq', ['article_id', 'version'])
        .execute()

      await db.schema
        .createTable('facility')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('lat', d.realType)
        .addColumn('lon', d.realType)
        .addColumn('police_district', 'text')
        .addColumn('neighborhood', 'text')
        .addColumn('hours', 'text', (c) => c.notNull())
        .addColumn('capacity', 'integer')
        .addColumn('accessibility', 'text', (c) => c.notNull())
        .addColumn('transit', 'text', (c) => c.notNull())
        .addColumn('parking', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute()

      // What a caller was told, so every answer is traceable to the version that was current.
      await d
        .addSerialKey(db.schema.createTable('information_given'), 'seq')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('knowledge_version_id', 'text', (c) => c.references('knowledge_version.id'))
        .addColumn('facility_id', 'text', (c) => c.references('facility.id'))
        .addColumn('distance_metres', 'integer')
        .addColumn('can_reach', 'integer')
        .addColumn('callback_id', 'text')
        .execute()
      await db.schema
        .createIndex('information_given_incident_idx')
        .on('information_given')
        .columns(['incident_id', 'seq'])
        .execute()
      await d.makeAppendOnly(db, 'information_given')

      await db.schema.alterTable('incident').addColumn('activation_id', 'text').execute()
      // An activation's dashboard counts its calls.
      await db.schema
        .createIndex('incident_activation_idx')
        .on('incident')
        .columns(['activation_id', 'received_at'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('incident_activation_idx').execute()
      await db.schema.alterTable('incident').dropColumn('activation_id').execute()
      for (const table of [
        'information_given',
        'facility',
        'knowledge_version',
        'knowledge_article',
        'activation',
      ])
        await db.schema.dropTable(table).execute()
    },
  }
}
