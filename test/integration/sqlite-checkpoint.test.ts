import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseCatalogueFile } from '../../src/app/catalogue/parse-catalogue-file.js'
import { openStore } from '../../src/store/open-store.js'
import { MINI_CATALOGUE } from '../support/test-app.js'

/**
 * SQLite's write-ahead log is copied back into the database file by the background
 * checkpointer, not by the request that happens to commit when the log is full.
 */
describe('sqlite: background checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 't311-ckpt-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('moves committed pages into the database file within a couple of seconds', async () => {
    const file = join(dir, 'ckpt.db')
    const store = openStore({ url: `sqlite:${file}` })
    try {
      await store.migrate()
      await new Promise((r) => setTimeout(r, 1500))
      const before = statSync(file).size
      // About 2 MB of catalogue history: far below the writer's own checkpoint limit (20,000
      // pages), so only the checkpointer can have copied it.
      const catalogue = parseCatalogueFile(MINI_CATALOGUE)
      for (let i = 0; i < 150; i++) {
        await store.catalogue.importCatalogue(
          {
            ...catalogue,
            version: `v${i}`,
            callTypes: catalogue.callTypes.map((c) => ({
              ...c,
              description: `edit ${i} ${'x'.repeat(2000)}`,
            })),
          },
          { actor: 't', at: i, source: 'test' },
        )
      }
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000)
      await new Promise((r) => setTimeout(r, 2500))
      expect(statSync(file).size).toBeGreaterThan(before + 1_000_000)
    } finally {
      await store.close()
    }
  })
})
