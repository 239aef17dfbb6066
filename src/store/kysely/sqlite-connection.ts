import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './database.js'

/** Opens a SQLite database the way every triage311 connection must: WAL, durable, with keys. */
export function openSqliteKysely(file: string, synchronous: 'FULL' | 'NORMAL'): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new SqliteDatabase(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('foreign_keys = ON')
  // Another process (the CLI importing while the server runs) may hold the write lock a moment.
  db.pragma('busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(db) }) })
}

/**
 * Kysely prepares every query afresh; SQLite's prepare (parsing and planning) is a large share
 * of a small insert's cost. Keeping recently used statements makes repeated queries cheap.
 */
function withStatementCache(db: SqliteDatabase.Database, size = 200): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>()
  const prepare = db.prepare.bind(db)
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver)
      return (source: string) => {
        let stmt = cache.get(source)
        if (stmt) {
          // Refresh its place in the least-recently-used order.
          cache.delete(source)
        } else {
          stmt = prepare(source)
          if (cache.size >= size) cache.delete(cache.keys().next().value as string)
        }
        cache.set(source, stmt)
        return stmt
      }
    },
  })
}
