import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Actor } from '../../domain/access/roles.js'
import type { CatalogueImportReport } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'
import { parseCatalogueFile, parseMappingCsv } from './parse-catalogue-file.js'

export interface ImportResult extends CatalogueImportReport {
  /** Mapping tables loaded from the `mappings/` folder beside the file: source → rows. */
  mappings: Record<string, number>
}

/**
 * Imports a catalogue from its text. Idempotent: importing the same file again changes
 * nothing and records nothing but the import itself.
 */
export async function importCatalogueText(
  deps: AppDeps,
  actor: Actor,
  text: string,
  source: string,
): Promise<CatalogueImportReport> {
  const file = parseCatalogueFile(text)
  const report = await deps.store.catalogue.importCatalogue(file, {
    actor: actor.id,
    at: deps.clock.now(),
    source,
  })
  deps.catalogue.invalidate()
  await audit(
    deps,
    actor,
    'configuration_changed',
    'success',
    { type: 'catalogue', id: report.version },
    {
      source,
      created: report.created.length,
      updated: report.updated.length,
    },
  )
  deps.log.info(
    { version: report.version, created: report.created.length, updated: report.updated.length },
    'catalogue imported',
  )
  return report
}

/**
 * Imports a catalogue file and the mapping tables in `mappings/<source>-call-types.csv` next
 * to it.
 */
export async function importCatalogueFile(
  deps: AppDeps,
  actor: Actor,
  path: string,
): Promise<ImportResult> {
  const report = await importCatalogueText(
    deps,
    actor,
    await readFile(path, 'utf8'),
    basename(path),
  )
  const known = new Set((await deps.catalogue.snapshot()).callTypes.keys())
  const dir = join(dirname(path), 'mappings')
  const mappings: Record<string, number> = {}
  const files = await readdir(dir).catch(() => [] as string[])
  for (const f of files.filter((n) => n.endsWith('-call-types.csv')).sort()) {
    const source = f.slice(0, -'-call-types.csv'.length)
    const rows = parseMappingCsv(await readFile(join(dir, f), 'utf8'), known)
    mappings[source] = await deps.store.catalogue.replaceMapping(source, rows)
  }
  return { ...report, mappings }
}
