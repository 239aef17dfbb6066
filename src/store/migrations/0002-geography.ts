import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * The city's geography (street segments with address ranges, intersections, areas, places,
 * and a record of each layer's import) and the located parts of an incident.
 */
export function geography(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const json = d.jsonType
      await db.schema
        .createTable('geo_layer')
        .addColumn('layer', 'text', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('checksum', 'text', (c) => c.notNull())
        .addColumn('features', 'integer', (c) => c.notNull())
        .addColumn('imported_at', d.instantType, (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('geo_segment')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('predir', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('suffix', 'text', (c) => c.notNull())
        .addColumn('postdir', 'text', (c) => c.notNull())
        .addColumn('from_left', 'integer', (c) => c.notNull())
        .addColumn('to_left', 'integer', (c) => c.notNull())
        .addColumn('from_right', 'integer', (c) => c.notNull())
        .addColumn('to_right', 'integer', (c) => c.notNull())
        .addColumn('road_class', 'text')
        .addColumn('line', json, (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('geo_intersection')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('streets', json, (c) => c.notNull())
        .addColumn('lat', d.realType, (c) => c.notNull())
        .addColumn('lon', d.realType, (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('geo_area')
        .addColumn('layer', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('polygons', json, (c) => c.notNull())
        .addPrimaryKeyConstraint('geo_area_pk', ['layer', 'id'])
        .execute()
      await db.schema
        .createTable('geo_place')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('lat', d.realType, (c) => c.notNull())
        .addColumn('lon', d.realType, (c) => c.notNull())
        .execute()
      for (const col of ['segment_id', 'police_district', 'beat', 'neighborhood']) {
        await db.schema.alterTable('incident').addColumn(col, 'text').execute()
      }
    },
    async down(db: Kysely<unknown>) {
      for (const col of ['segment_id', 'police_district', 'beat', 'neighborhood']) {
        await db.schema.alterTable('incident').dropColumn(col).execute()
      }
      for (const t of ['geo_place', 'geo_area', 'geo_intersection', 'geo_segment', 'geo_layer'])
        await db.schema.dropTable(t).execute()
    },
  }
}
