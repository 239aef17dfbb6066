import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { describe } from 'vitest'
import { describeStoreContract } from '../../src/store/contract/store-contract.js'
import { openStore } from '../../src/store/open-store.js'
import { DIALECTS, freshDatabaseUrl, postgresAvailable } from '../support/databases.js'
import { MINI_CATALOGUE } from '../support/test-app.js'

/**
 * Runs the store contract on both databases. The raw SQL runs on a second, separate
 * connection, so the store itself needs no back door.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(dialect, () => {
    describeStoreContract(
      dialect,
      async () => {
        if (dialect === 'sqlite') {
          const dir = mkdtempSync(join(tmpdir(), 't311-contract-'))
          const file = join(dir, 'contract.db')
          const store = openStore({ url: `sqlite:${file}` })
          await store.migrate()
          const raw = new SqliteDatabase(file)
          return {
            store,
            rawExec: async (text: string) => raw.exec(text),
            close: async () => {
              raw.close()
              await store.close()
              rmSync(dir, { recursive: true, force: true })
            },
          }
        }
        const db = await freshDatabaseUrl(dialect)
        const store = openStore({ url: db.url })
        await store.migrate()
        const raw = new pg.Client({ connectionString: db.url })
        await raw.connect()
        return {
          store,
          rawExec: (text: string) => raw.query(text),
          close: async () => {
            await raw.end()
            await store.close()
            await db.drop()
          },
        }
      },
      MINI_CATALOGUE,
    )
  })
}
