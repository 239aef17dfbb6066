import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** Counts kept as calls arrive, for the dashboards (issue #8). Rebuilt from the calls on demand. */
export function rollups(_d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rollup_day')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('call_type', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('district', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollup_day_pk', [
          'source',
          'day',
          'call_type',
          'channel',
          'priority',
          'district',
        ])
        .execute()
      await db.schema
        .createTable('rollup_hour')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('hour', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollup_hour_pk', ['source', 'day', 'hour'])
        .execute()
      for (const table of ['rollup_block', 'rollup_cell'])
        await db.schema
          .createTable(table)
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('month', 'text', (c) => c.notNull())
          .addColumn('place', 'text', (c) => c.notNull())
          .addColumn('n', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['source', 'month', 'place'])
          .execute()
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['rollup_cell', 'rollup_block', 'rollup_hour', 'rollup_day'])
        await db.schema.dropTable(table).execute()
    },
  }
}
