import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { RatedCall } from '../../src/analytics/triage-report.js'
import {
  parseCatalogueFile,
  parseMappingCsv,
} from '../../src/app/catalogue/parse-catalogue-file.js'
import type { CatalogueFile } from '../../src/domain/catalogue/catalogue-schema.js'
import { localDateTimeToInstant } from '../../src/domain/shared/instant.js'

/**
 * The real San Diego PD calls for service (shared/datasets/raw/sandiego-pd-cfs-2023: 28,970
 * calls, 1-22 January 2023, with the priority the police gave each) and our default catalogue
 * with its San Diego mapping table.
 */
const ROOT = new URL('../..', import.meta.url)
export const SD_CALLS_FILE = new URL(
  '../shared/datasets/raw/sandiego-pd-cfs-2023/pd_calls_for_service_2023_datasd.jan1-22.csv',
  ROOT,
)

export function loadDefaultCatalogue(): CatalogueFile {
  return parseCatalogueFile(readFileSync(new URL('catalogue/default-catalogue.yaml', ROOT), 'utf8'))
}

export function loadSanDiegoMapping(file: CatalogueFile): Map<string, string> {
  const known = new Set(file.callTypes.map((c) => c.code))
  const rows = parseMappingCsv(
    readFileSync(new URL('catalogue/mappings/sandiego-call-types.csv', ROOT), 'utf8'),
    known,
  )
  return new Map(rows.map((r) => [r.sourceCode, r.callType]))
}

export function loadSanDiegoCalls(): RatedCall[] {
  const records: Array<Record<string, string>> = parse(readFileSync(SD_CALLS_FILE, 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  })
  return records.map((r) => ({
    sourceCode: (r.call_type ?? '').trim(),
    priority: (r.priority ?? '').trim(),
    at: localDateTimeToInstant(r.date_time ?? '', 'America/Los_Angeles'),
  }))
}
