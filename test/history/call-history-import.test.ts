import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCatalogueFile } from '../../src/app/catalogue/import-catalogue.js'
import type { AppDeps } from '../../src/app/deps.js'
import { importCallHistory, readHistoryMapping } from '../../src/app/history/import-call-history.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { SD_CALLS_FILE } from '../support/sandiego.js'
import { openTestDeps } from '../support/test-app.js'

/**
 * The real San Diego export (28,970 calls, 1-22 January 2023) through its mapping file, on both
 * databases: every call imported once, the summary of what did not match, and a second import
 * that adds nothing.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: 911 history import`,
    () => {
      let deps: AppDeps
      let close: () => Promise<void>

      beforeAll(async () => {
        ;({ deps, close } = await openTestDeps(dialect, { log: pino({ level: 'silent' }) }))
        // The default catalogue brings the San Diego mapping table with it.
        await importCatalogueFile(
          deps,
          { id: 'test', roles: ['admin'] },
          'catalogue/default-catalogue.yaml',
        )
      }, 120_000)
      afterAll(async () => close())

      it('imports the San Diego calls once, with progress and a summary of what did not match', async () => {
        const progress: number[] = []
        const mapping = readHistoryMapping('history/sandiego.yaml')
        const file = fileURLToPath(SD_CALLS_FILE)
        const r = await importCallHistory(
          deps,
          { id: 't', roles: ['admin'] },
          file,
          mapping,
          (done, total) => {
            expect(total).toBe(28_970)
            progress.push(done)
          },
        )
        expect(r.rows).toBe(28_970)
        expect(r.imported + r.problemCount).toBe(28_970)
        expect(r.alreadyImported).toBe(0)
        expect(progress.at(-1)).toBe(28_970)
        expect(progress.length).toBeGreaterThan(10)
        // Every code the export uses is in our San Diego mapping table (catalogue/mappings).
        expect(r.unmappedCallTypes).toEqual([])
        // Intersections and log entries have no block.
        expect(r.unplaced).toBeGreaterThan(0)
        expect(r.unplaced).toBeLessThan(r.rows / 2)
        expect(await deps.store.history.count('sandiego')).toBe(r.imported)

        const again = await importCallHistory(deps, { id: 't', roles: ['admin'] }, file, mapping)
        expect(again).toMatchObject({ imported: 0, alreadyImported: r.imported })
      }, 180_000)

      it('refuses a mapping that names no mapping table, or a broken mapping file, before reading', async () => {
        const mapping = readHistoryMapping('history/generic.yaml')
        await expect(
          importCallHistory(
            deps,
            { id: 't', roles: ['admin'] },
            fileURLToPath(SD_CALLS_FILE),
            mapping,
          ),
        ).rejects.toThrow(/no mapping table 'cad'/)
        expect(() => readHistoryMapping('catalogue/default-catalogue.yaml')).toThrow(/mapping\./)
      })
    },
  )
}
