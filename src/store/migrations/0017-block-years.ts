import { type Kysely, type Migration, sql } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * Issue #8's benchmark: a large 911 history import, and top blocks over years of calls.
 *
 * - `rollup_block_year`: calls per block per local year, kept beside the month rollup (in the
 *   same transactions), so a question over whole years reads a row per block and year instead
 *   of one per month; the months still count the partial years at a period's edges. Filled here
 *   from the month rollup.
 * - `call_for_service_staged` and `history_import`: an import's rows are first written to the
 *   staging table (no keys, no indexes: cheap appends, committed batch by batch, seen by no
 *   question), then published into `call_for_service` with their rollups in one transaction
 *   (docs/decisions/0015-staged-history-import.md). `history_import` lists the imports under
 *   way, so rows left by one that died can be told apart and removed.
 */
export function bulkHistoryAndBlockYears(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rollup_block_year')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('year', 'text', (c) => c.notNull())
        .addColumn('place', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollup_block_year_pk', ['source', 'year', 'place'])
        .execute()
      await sql`insert into rollup_block_year (source, year, place, n)
        select source, substr(month, 1, 4), place, sum(n) from rollup_block
        group by source, substr(month, 1, 4), place`.execute(db)
      await d
        .addSerialKey(d.scratchTable(db.schema.createTable('call_for_service_staged')), 'seq')
        .addColumn('import_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('source_id', 'text')
        .addColumn('received_at', d.instantType)
        .addColumn('source_call_type', 'text')
        .addColumn('call_type', 'text')
        .addColumn('priority', 'integer')
        .addColumn('disposition', 'text')
        .addColumn('block', 'text')
        .addColumn('lat', d.realType)
        .addColumn('lon', d.realType)
        .addColumn('h3', 'text')
        .addColumn('police_district', 'text')
        .addColumn('beat', 'text')
        .addColumn('imported_at', d.instantType)
        .execute()
      await db.schema
        .createTable('history_import')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', d.instantType, (c) => c.notNull())
        .execute()
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['history_import', 'call_for_service_staged', 'rollup_block_year'])
        await db.schema.dropTable(table).execute()
    },
  }
}
