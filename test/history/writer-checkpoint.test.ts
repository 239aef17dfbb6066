import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withoutWriterCheckpoint } from '../../src/store/kysely/dialect.js'
import { openSqliteKysely } from '../../src/store/kysely/sqlite-connection.js'

/**
 * A bulk load turns the SQLite writer's automatic checkpoint off for its length (the background
 * checkpointer copies the log afterwards) and always puts it back, also when the load fails.
 */
describe('the writer does not checkpoint during a bulk load (sqlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 't311-ckpt-'))
  const { db, close } = openSqliteKysely(join(dir, 'ckpt.db'), 'NORMAL')
  const limit = async () =>
    Number(
      (await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)).rows[0]
        ?.wal_autocheckpoint,
    )
  beforeAll(async () => {
    await sql`PRAGMA wal_autocheckpoint = 1234`.execute(db)
  })
  afterAll(async () => {
    await close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('is off while the load runs and back to its setting after it', async () => {
    expect(await withoutWriterCheckpoint(db, limit)).toBe(0)
    expect(await limit()).toBe(1234)
  })

  it('is back to its setting after a load that fails', async () => {
    await expect(
      withoutWriterCheckpoint(db, async () => {
        throw new Error('the export broke off')
      }),
    ).rejects.toThrow(/broke off/)
    expect(await limit()).toBe(1234)
  })
})
