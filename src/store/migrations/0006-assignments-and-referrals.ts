import { type Kysely, type Migration, sql } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** Units sent to incidents, refused dispatches, and referrals to agencies (issue #6). */
export function assignmentsAndReferrals(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      // The officer signed on to a unit works its calls; the rule lives in the policy table.
      await db.schema.alterTable('unit').addColumn('crew', 'text').execute()
      await db.schema
        .createTable('assignment')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('incident_number', 'integer')
        .addColumn('unit_id', 'text', (c) => c.notNull().references('unit.id'))
        .addColumn('call_sign', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('dual_dispatch_kind', 'text')
        .addColumn('dual_dispatch_reason', 'text')
        .addColumn('assigned_at', instant, (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .addColumn('en_route_at', instant)
        .addColumn('on_scene_at', instant)
        .addColumn('cleared_at', instant)
        .addColumn('cleared_by', 'text')
        .addColumn('disposition', 'text')
        .addColumn('recall_reason', 'text')
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      // The double-dispatch guard, held by the database too: two dispatchers pressing "assign"
      // at the same moment cannot both give an incident its primary unit.
      await db.schema
        .createIndex('assignment_one_active_primary')
        .on('assignment')
        .column('incident_id')
        .unique()
        .where(sql.ref('active'), '=', 1)
        .where(sql.ref('role'), '=', 'primary')
        .execute()
      await db.schema
        .createIndex('assignment_incident_idx')
        .on('assignment')
        .columns(['incident_id', 'assigned_at'])
        .execute()
      await db.schema
        .createIndex('assignment_assigned_idx')
        .on('assignment')
        .column('assigned_at')
        .execute()

      // The dispatch queue: the store writes, from the domain's rules, when each incident joins
      // the queue (due_at, queue_at) and whether it waits for a unit; the queue is then an index
      // range. Incidents from before this migration queue from when they were received.
      await db.schema.alterTable('incident').addColumn('due_at', instant).execute()
      await db.schema.alterTable('incident').addColumn('queue_at', instant).execute()
      await db.schema
        .alterTable('incident')
        .addColumn('awaits_unit', 'integer', (c) => c.notNull().defaultTo(0))
        .execute()
      await sql`update incident set queue_at = received_at, awaits_unit = case when status = 'pending' and mode in ('dispatch_immediate', 'dispatch_delayed', 'civilian_response') then 1 else 0 end`.execute(
        db,
      )
      await db.schema
        .createIndex('incident_queue_idx')
        .on('incident')
        .columns(['priority', 'queue_at', 'seq', 'due_at', 'id'])
        .where(sql.ref('awaits_unit'), '=', 1)
        .execute()
      await db.schema
        .createIndex('incident_queue_due_idx')
        .on('incident')
        .columns(['due_at', 'seq'])
        .where(sql.ref('awaits_unit'), '=', 1)
        .execute()

      // Dispatches the guard refused, counted for the evaluation (issue #6 item 3).
      await d
        .addSerialKey(db.schema.createTable('dispatch_refusal'), 'seq')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('by', 'text', (c) => c.notNull())
        .execute()
      await d.makeAppendOnly(db, 'dispatch_refusal')

      await db.schema
        .createTable('referral')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('sent_at', instant, (c) => c.notNull())
        .addColumn('sent_by', 'text', (c) => c.notNull())
        .addColumn('due_at', instant, (c) => c.notNull())
        .addColumn('acknowledged_at', instant)
        .addColumn('acknowledged_by', 'text')
        .addColumn('escalations', 'integer', (c) => c.notNull())
        .addColumn('last_escalated_at', instant)
        .addColumn('closed_at', instant)
        .addColumn('closed_by', 'text')
        .addColumn('outcome', 'text')
        .addColumn('outcome_note', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      // At most one open referral per incident: re-routing closes the first.
      await db.schema
        .createIndex('referral_one_open')
        .on('referral')
        .column('incident_id')
        .unique()
        .where(sql.ref('status'), '!=', 'closed')
        .execute()
      await db.schema
        .createIndex('referral_agency_idx')
        .on('referral')
        .columns(['agency', 'status', 'due_at'])
        .execute()
      await db.schema
        .createIndex('referral_due_idx')
        .on('referral')
        .columns(['status', 'due_at'])
        .execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('referral').execute()
      await db.schema.dropTable('dispatch_refusal').execute()
      await db.schema.dropTable('assignment').execute()
      await db.schema.alterTable('unit').dropColumn('crew').execute()
      await db.schema.dropIndex('incident_queue_due_idx').execute()
      await db.schema.dropIndex('incident_queue_idx').execute()
      for (const column of ['awaits_unit', 'queue_at', 'due_at'])
        await db.schema.alterTable('incident').dropColumn(column).execute()
    },
  }
}
