import type { Kysely, Migration } from 'kysely'
import type { StoreDialect } from '../kysely/dialect.js'

/** Staff accounts, their sessions, machine API tokens, and the append-only audit log. */
export function accountsAndAudit(d: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const instant = d.instantType
      const json = d.jsonType
      await db.schema
        .createTable('app_user')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('roles', json, (c) => c.notNull())
        .addColumn('agency', 'text')
        .addColumn('district', 'text')
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('failed_logins', 'integer', (c) => c.notNull())
        .addColumn('locked_until', instant)
        .addColumn('password_changed_at', instant, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('user_session')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('last_seen_at', instant, (c) => c.notNull())
        .addColumn('ended_at', instant)
        .addColumn('ended_reason', 'text')
        .addColumn('ip', 'text')
        .execute()
      await db.schema
        .createIndex('user_session_user_idx')
        .on('user_session')
        .column('user_id')
        .execute()
      await db.schema
        .createTable('api_token')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('roles', json, (c) => c.notNull())
        .addColumn('agency', 'text')
        .addColumn('district', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('revoked_at', instant)
        .addColumn('last_used_at', instant)
        .execute()
      await d
        .addSerialKey(db.schema.createTable('audit_event'), 'seq')
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('details', json, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('audit_event_at_idx').on('audit_event').column('at').execute()
      await db.schema
        .createIndex('audit_event_actor_idx')
        .on('audit_event')
        .columns(['actor', 'at'])
        .execute()
      await d.makeAppendOnly(db, 'audit_event')
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['audit_event', 'api_token', 'user_session', 'app_user'])
        await db.schema.dropTable(t).execute()
    },
  }
}
