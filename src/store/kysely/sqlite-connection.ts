import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './database.js'

/**
 * Opens a SQLite database the way every triage311 connection must: WAL, durable, with foreign
 * keys. A file database also gets its background checkpointer; `close` stops it.
 */
export function openSqliteKysely(
  file: string,
  synchronous: 'FULL' | 'NORMAL',
): { db: Kysely<Database>; close: () => Promise<void> } {
  const memory = file === ':memory:'
  if (!memory) mkdirSync(dirname(file), { recursive: true })
  const db = new SqliteDatabase(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('foreign_keys = ON')
  // SQLite's default page cache is 2 MB. Years of calls make indexes of gigabytes, and an
  // insert into a B-tree whose inner pages are not cached reads them from disk: a larger cache
  // (256 MB, taken only as pages are used) and memory-mapped reads keep a bulk import and the
  // dashboards' scans off the disk.
  db.pragma('cache_size = -262144')
  db.pragma('mmap_size = 1073741824')
  db.pragma('temp_store = MEMORY')
  // Another process (the CLI importing while the server runs) may hold the write lock a moment.
  db.pragma('busy_timeout = 5000')
  const checkpointer = memory ? null : startCheckpointer(file)
  // With the checkpointer running, the writer need not checkpoint itself; the high limit is
  // only the safety net should the checkpointer stop.
  if (checkpointer) db.pragma('wal_autocheckpoint = 20000')
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(db) }),
  })
  return {
    db: kysely,
    close: async () => {
      await checkpointer?.stop()
      await kysely.destroy()
    },
  }
}

/**
 * Copies the WAL back into the database file from a separate thread and connection, once a
 * second. SQLite's automatic checkpoint runs inside a commit on the writing thread, stalling
 * every request for the duration of the copy and its fsync: that was the slow tail of intake.
 * A PASSIVE checkpoint never blocks readers or the writer.
 */
function startCheckpointer(file: string, intervalMs = 1000): { stop: () => Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads')
     const Database = require(workerData.driver)
     const db = new Database(workerData.file)
     const timer = setInterval(() => {
       try { db.pragma('wal_checkpoint(PASSIVE)') } catch { /* busy: next time */ }
     }, workerData.intervalMs)
     parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })`,
    { eval: true, workerData: { file, driver, intervalMs } },
  )
  worker.unref()
  return {
    stop: async () => {
      // Unref'd so an idle server can exit; referenced again here, or a process with nothing
      // else to do would quit while it waits for the thread to finish.
      worker.ref()
      const exited = new Promise((resolve) => worker.once('exit', resolve))
      worker.postMessage('stop')
      await exited
    },
  }
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
