import { createReadStream, readFileSync } from 'node:fs'
import { parse as parseCsv } from 'csv-parse'
import { latLngToCell } from 'h3-js'
import { parse as parseYaml } from 'yaml'
import type { Actor } from '../../domain/access/roles.js'
import {
  type CallForService,
  type HistoryMapping,
  historyMappingSchema,
  readHistoryRow,
} from '../../domain/history/call-for-service.js'
import { type FieldProblem, ValidationError } from '../../domain/shared/errors.js'
import type { AppDeps } from '../deps.js'
import { locate } from '../geography/locate.js'

export interface HistoryImportReport {
  source: string
  rows: number
  imported: number
  alreadyImported: number
  /** CAD codes the mapping table does not know, with how many calls had each. */
  unmappedCallTypes: Array<{ code: string; calls: number }>
  /** Calls with neither a block nor a point. */
  unplaced: number
  /** The first 50 rows that could not be read, by line. */
  problems: FieldProblem[]
  problemCount: number
  seconds: number
}

const BATCH = 2000

export function readHistoryMapping(path: string): HistoryMapping {
  const parsed = historyMappingSchema.safeParse(parseYaml(readFileSync(path, 'utf8')))
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => ({ path: `mapping.${i.path.join('.')}`, message: i.message })),
    )
  return parsed.data
}

/**
 * Imports a CAD export through its mapping file: streamed, in batches, each call placed on a
 * block (from the export's block, or by geocoding its address or point against the city), with
 * progress as it goes. Importing the same file again adds nothing. The report lists what did
 * not match: unknown call types, unplaced calls and unreadable rows.
 */
export async function importCallHistory(
  deps: AppDeps,
  _actor: Actor,
  csvPath: string,
  mapping: HistoryMapping,
  onProgress?: (done: number, total: number) => void,
): Promise<HistoryImportReport> {
  const started = performance.now()
  const codes = new Map(
    (await deps.store.catalogue.mapping(mapping.callTypeMapping)).map((r) => [
      r.sourceCode,
      r.callType,
    ]),
  )
  if (codes.size === 0)
    throw new ValidationError([
      {
        path: 'mapping.callTypeMapping',
        message: `the catalogue has no mapping table '${mapping.callTypeMapping}'; import one with the catalogue (catalogue/mappings/${mapping.callTypeMapping}-call-types.csv)`,
      },
    ])
  // Lines, for the progress bar: counting newlines is far faster than parsing.
  const total = Math.max(0, countLines(csvPath) - 1)
  const report: HistoryImportReport = {
    source: mapping.source,
    rows: 0,
    imported: 0,
    alreadyImported: 0,
    unmappedCallTypes: [],
    unplaced: 0,
    problems: [],
    problemCount: 0,
    seconds: 0,
  }
  const unmapped = new Map<string, number>()
  let batch: CallForService[] = []
  const flush = async () => {
    if (batch.length === 0) return
    const r = await deps.store.history.addCalls(batch, deps.clock.now())
    report.imported += r.inserted
    report.alreadyImported += r.duplicates
    batch = []
    onProgress?.(report.rows, total)
  }
  const parser = createReadStream(csvPath).pipe(
    parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }),
  )
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    report.rows += 1
    const read = readHistoryRow(record, mapping, codes, report.rows + 1)
    if ('problems' in read) {
      report.problemCount += 1
      if (report.problems.length < 50) report.problems.push(...read.problems)
      continue
    }
    const call = await place(deps, read.call, read.location)
    if (call.callType === null)
      unmapped.set(call.sourceCallType, (unmapped.get(call.sourceCallType) ?? 0) + 1)
    if (call.block === null && call.lat === null) report.unplaced += 1
    batch.push(call)
    if (batch.length >= BATCH) await flush()
  }
  await flush()
  report.unmappedCallTypes = [...unmapped]
    .map(([code, calls]) => ({ code, calls }))
    .sort((a, b) => b.calls - a.calls || a.code.localeCompare(b.code))
  report.seconds = Math.round((performance.now() - started) / 100) / 10
  deps.log.info(
    {
      source: report.source,
      rows: report.rows,
      imported: report.imported,
      unplaced: report.unplaced,
    },
    '911 history imported',
  )
  return report
}

/** Puts the call on the city's geography when it came with an address or a point. */
async function place(
  deps: AppDeps,
  call: CallForService,
  hint: { text: string | null; lat: number | null; lon: number | null },
): Promise<CallForService> {
  if (hint.text === null && hint.lat === null) return call
  const { location } = await locate(deps, {
    text: hint.text ?? '',
    ...(hint.lat !== null && hint.lon !== null ? { lat: hint.lat, lon: hint.lon } : {}),
  })
  const lat = location?.lat ?? call.lat
  const lon = location?.lon ?? call.lon
  return {
    ...call,
    lat,
    lon,
    h3: lat !== null && lon !== null ? latLngToCell(lat, lon, deps.config.H3_RESOLUTION) : null,
    block: call.block ?? location?.block ?? null,
    policeDistrict: call.policeDistrict ?? location?.policeDistrict ?? null,
    beat: call.beat ?? location?.beat ?? null,
  }
}

function countLines(path: string): number {
  const bytes = readFileSync(path)
  let n = 0
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n
}
