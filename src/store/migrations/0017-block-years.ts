import { type Kysely, type Migration, sql } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * Top blocks over years of calls (issue #8's benchmark): calls per block per local year, kept
 * beside the month rollup (in the same transactions), so a question over whole years reads a
 * row per block and year instead of one per month; the months still count the partial years at
 * a period's edges. Filled here from the month rollup.
 */
export function blockYears(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Keyed by place before year, and stored in key order: a question over some years reads
      // each block's few years side by side and adds them up without sorting.
      await d
        .keyOrdered(
          db.schema
            .createTable('rollup_block_year')
            .addColumn('source', 'text', (c) => c.notNull())
            .addColumn('year', 'text', (c) => c.notNull())
            .addColumn('place', 'text', (c) => c.notNull())
            .addColumn('n', 'integer', (c) => c.notNull())
            .addPrimaryKeyConstraint('rollup_block_year_pk', ['source', 'place', 'year']),
        )
        .execute()
      await sql`insert into rollup_block_year (source, year, place, n)
        select source, substr(month, 1, 4), place, sum(n) from rollup_block
        group by source, substr(month, 1, 4), place`.execute(db)
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('rollup_block_year').execute()
    },
  }
}
