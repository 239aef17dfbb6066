import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** Callback tasks, caller notifications (an outbox) and satisfaction surveys (issue #6). */
export function followUp(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      await db.schema
        .createTable('callback_task')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('due_at', instant, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('note', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('done_at', instant)
        .addColumn('done_by', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('callback_task_status_idx')
        .on('callback_task')
        .columns(['status', 'due_at'])
        .execute()

      // The address is not copied here: it is read from the caller when the message is sent,
      // so restricted identity stays in one table.
      await db.schema
        .createTable('notification')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('caller_id', 'text', (c) => c.notNull().references('caller.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('provider_id', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('next_attempt_at', instant)
        .addColumn('sent_at', instant)
        .execute()
      await db.schema
        .createIndex('notification_queue_idx')
        .on('notification')
        .columns(['status', 'next_attempt_at'])
        .execute()
      await db.schema
        .createIndex('notification_incident_idx')
        .on('notification')
        .column('incident_id')
        .execute()

      await db.schema
        .createTable('survey')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id'))
        .addColumn('sent_at', instant, (c) => c.notNull())
        .addColumn('answered_at', instant)
        .addColumn('score', 'integer')
        .addColumn('resolved', 'integer')
        .addColumn('comment', 'text')
        .execute()
      await db.schema.createIndex('survey_sent_idx').on('survey').column('sent_at').execute()
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('survey').execute()
      await db.schema.dropTable('notification').execute()
      await db.schema.dropTable('callback_task').execute()
    },
  }
}
