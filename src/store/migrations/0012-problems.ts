import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * Problems for problem-oriented policing (issue #8 item 4): the problem, the blocks and cells
 * it covers, its linked incidents, and its history (append-only, like every history table).
 * Also the indexes that let before/after counts read only the problem's places.
 */
export function problems(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      await db.schema
        .createTable('problem')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('owner_kind', 'text')
        .addColumn('owner_id', 'text')
        .addColumn('owner_name', 'text')
        .addColumn('origin', d.jsonType, (c) => c.notNull())
        .addColumn('response_start', 'text')
        .addColumn('response_start_by_hand', 'integer', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('problem_stage_idx')
        .on('problem')
        .columns(['stage', 'updated_at'])
        .execute()
      await db.schema
        .createIndex('problem_owner_idx')
        .on('problem')
        .columns(['owner_kind', 'owner_id', 'updated_at'])
        .execute()

      await db.schema
        .createTable('problem_place')
        .addColumn('problem_id', 'text', (c) => c.notNull().references('problem.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('place', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('problem_place_pk', ['problem_id', 'kind', 'place'])
        .execute()
      // Which problems a hot spot already has: the analyst's map asks by place.
      await db.schema
        .createIndex('problem_place_place_idx')
        .on('problem_place')
        .columns(['kind', 'place'])
        .execute()

      await db.schema
        .createTable('problem_incident')
        .addColumn('problem_id', 'text', (c) => c.notNull().references('problem.id'))
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('linked_at', instant, (c) => c.notNull())
        .addColumn('linked_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('problem_incident_pk', ['problem_id', 'incident_id'])
        .execute()
      await db.schema
        .createIndex('problem_incident_incident_idx')
        .on('problem_incident')
        .column('incident_id')
        .execute()

      await d
        .addSerialKey(db.schema.createTable('problem_event'), 'seq')
        .addColumn('problem_id', 'text', (c) => c.notNull().references('problem.id'))
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('data', d.jsonType, (c) => c.notNull())
        .addColumn('text', 'text')
        .execute()
      await db.schema
        .createIndex('problem_event_problem_idx')
        .on('problem_event')
        .columns(['problem_id', 'seq'])
        .execute()
      await d.makeAppendOnly(db, 'problem_event')

      // Before/after counts read the calls on a problem's blocks and cells over a few months:
      // an index range per place, never a scan of the history.
      await db.schema
        .createIndex('incident_block_received_idx')
        .on('incident')
        .columns(['block', 'received_at'])
        .execute()
      await db.schema
        .createIndex('incident_h3_received_idx')
        .on('incident')
        .columns(['h3', 'received_at'])
        .execute()
      await db.schema
        .createIndex('call_for_service_h3_idx')
        .on('call_for_service')
        .columns(['h3', 'received_at'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      for (const index of [
        'call_for_service_h3_idx',
        'incident_h3_received_idx',
        'incident_block_received_idx',
      ])
        await db.schema.dropIndex(index).execute()
      for (const table of ['problem_event', 'problem_incident', 'problem_place', 'problem'])
        await db.schema.dropTable(table).execute()
    },
  }
}
