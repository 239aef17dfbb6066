import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/**
 * Outbound campaigns (issue #10 item 6). An entry names a registrant or a caller and never
 * copies their phone: the number is read when a call-taker takes the entry. Every call made is
 * kept in `campaign_attempt`; the entry carries the state the next claim needs, and its index
 * serves the claim's order (rank, then the longest waiting).
 */
export function campaigns(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      await db.schema
        .createTable('campaign')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('source', d.jsonType, (c) => c.notNull())
        .addColumn('activation_id', 'text')
        .addColumn('script', 'text', (c) => c.notNull())
        .addColumn('outcomes', d.jsonType, (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('retry_after_ms', d.instantType, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('closed_at', instant)
        .execute()

      await db.schema
        .createTable('campaign_entry')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_outcome', 'text')
        .addColumn('due_at', instant, (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', instant)
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute()
      // One entry per person per campaign, whatever builds the list.
      await db.schema
        .createIndex('campaign_entry_subject_uq')
        .on('campaign_entry')
        .columns(['campaign_id', 'subject_kind', 'subject_id'])
        .unique()
        .execute()
      await db.schema
        .createIndex('campaign_entry_next_idx')
        .on('campaign_entry')
        .columns(['campaign_id', 'state', 'rank', 'due_at', 'id'])
        .execute()

      await db.schema
        .createTable('campaign_attempt')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaign.id'))
        .addColumn('entry_id', 'text', (c) => c.notNull().references('campaign_entry.id'))
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .execute()
      await db.schema
        .createIndex('campaign_attempt_entry_idx')
        .on('campaign_attempt')
        .columns(['entry_id', 'at'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['campaign_attempt', 'campaign_entry', 'campaign'])
        await db.schema.dropTable(table).execute()
    },
  }
}
