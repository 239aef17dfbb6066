import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import { latLngToCell } from 'h3-js'
import { parse as parseYaml } from 'yaml'
import type { Actor } from '../../domain/access/roles.js'
import {
  type CallForService,
  type HistoryMapping,
  historyMappingSchema,
  type LocationHint,
} from '../../domain/history/call-for-service.js'
import { type FieldProblem, ValidationError } from '../../domain/shared/errors.js'
import type { AppDeps } from '../deps.js'
import { locate } from '../geography/locate.js'
import { type ReadBatch, readHistoryRows, readHistoryRowsInWorker } from './read-history-rows.js'

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

/**
 * Calls per staged batch: at least 2,000, and about a fiftieth of the file (for the progress
 * bar), up to 50,000 for a large export (fewer commits, each waiting for the disk).
 */
const BATCH = { min: 2_000, max: 50_000, steps: 50 }

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
 * progress as it goes. A large export is written in one transaction (the store decides), so a
 * failed one adds nothing. Importing the same file again adds nothing. The report lists what
 * did not match: unknown call types, unplaced calls and unreadable rows.
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
  const batchSize = Math.min(BATCH.max, Math.max(BATCH.min, Math.floor(total / BATCH.steps)))
  const unmapped = new Map<string, number>()
  const place = placer(deps, await deps.geography.get())
  // The rows, placed, in batches for the store; the progress bar moves as each one is taken,
  // and reaches the end once the import is committed.
  async function* batches(): AsyncGenerator<CallForService[], void, undefined> {
    let batch: CallForService[] = []
    for await (const read of historyRows(deps, csvPath, mapping, codes)) {
      const before = report.rows
      report.problemCount += read.problemCount
      for (const problems of read.problems)
        if (report.problems.length < 50) report.problems.push(...problems)
      for (const row of read.calls) {
        report.rows = row.line - 1
        const placing = place(row.call, row.location)
        const call = placing instanceof Promise ? await placing : placing
        if (call.callType === null)
          unmapped.set(call.sourceCallType, (unmapped.get(call.sourceCallType) ?? 0) + 1)
        if (call.block === null && call.lat === null) report.unplaced += 1
        batch.push(call)
        if (batch.length >= batchSize) {
          yield batch
          batch = []
          onProgress?.(Math.min(report.rows, Math.max(0, total - 1)), total)
        }
      }
      report.rows = before + read.rows
    }
    if (batch.length > 0) yield batch
  }
  const written = await deps.store.history.importCalls(batches(), deps.clock.now(), total)
  report.imported = written.inserted
  report.alreadyImported = written.duplicates
  onProgress?.(report.rows, total)
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

/**
 * The export's rows, read on a worker thread beside the writes; on this thread when a worker
 * cannot start here.
 */
async function* historyRows(
  deps: AppDeps,
  csvPath: string,
  mapping: HistoryMapping,
  codes: ReadonlyMap<string, string>,
): AsyncGenerator<ReadBatch, void, undefined> {
  let started = false
  try {
    for await (const read of readHistoryRowsInWorker(csvPath, mapping, codes)) {
      started = true
      yield read
    }
  } catch (err) {
    if (started) throw err
    deps.log.warn({ err }, 'history reader thread did not start: reading on the main thread')
    yield* readHistoryRows(csvPath, mapping, codes)
  }
}

type Placed = Pick<CallForService, 'lat' | 'lon' | 'h3' | 'block' | 'policeDistrict' | 'beat'>

/** Distinct locations remembered per import; CAD exports repeat their addresses heavily. */
const PLACE_CACHE = 200_000

/**
 * Puts each call on the city's geography when it came with an address or a point. The same
 * address or point is placed once per import (geocoding, reverse look-up and H3 cell). The
 * geography is the one loaded when the import began: the store may hold the database in one
 * transaction while the rows are read, so placing must never wait for it.
 */
function placer(
  deps: AppDeps,
  city: Awaited<ReturnType<AppDeps['geography']['get']>>,
): (call: CallForService, hint: LocationHint) => CallForService | Promise<CallForService> {
  const fixed = { ...deps, geography: { get: async () => city } } as unknown as AppDeps
  // Points by latitude then longitude (numbers are cheap keys); addresses by their text.
  const points = new Map<number, Map<number, Placed>>()
  const texts = new Map<string, Placed>()
  let size = 0
  const complete = (call: CallForService, placed: Placed) => {
    // The call is the reader's fresh object: completed in place.
    call.lat = placed.lat
    call.lon = placed.lon
    call.h3 = placed.h3
    call.block ??= placed.block
    call.policeDistrict ??= placed.policeDistrict
    call.beat ??= placed.beat
    return call
  }
  const placeNew = async (call: CallForService, hint: LocationHint) => {
    const { location } = await locate(fixed, {
      text: hint.text ?? '',
      ...(hint.lat !== null && hint.lon !== null ? { lat: hint.lat, lon: hint.lon } : {}),
    })
    const lat = location?.lat ?? hint.lat
    const lon = location?.lon ?? hint.lon
    const placed: Placed = {
      lat,
      lon,
      h3: lat !== null && lon !== null ? latLngToCell(lat, lon, deps.config.H3_RESOLUTION) : null,
      block: location?.block ?? null,
      policeDistrict: location?.policeDistrict ?? null,
      beat: location?.beat ?? null,
    }
    if (++size > PLACE_CACHE) {
      points.clear()
      texts.clear()
      size = 1
    }
    if (hint.text === null && hint.lat !== null && hint.lon !== null) {
      let byLon = points.get(hint.lat)
      if (!byLon) {
        byLon = new Map()
        points.set(hint.lat, byLon)
      }
      byLon.set(hint.lon, placed)
    } else texts.set(textKey(hint), placed)
    return complete(call, placed)
  }
  // Synchronous when the place is known, which is nearly always: no promise per row.
  return (call, hint) => {
    if (hint.text === null && hint.lat === null) return call
    const placed =
      hint.text === null && hint.lat !== null && hint.lon !== null
        ? points.get(hint.lat)?.get(hint.lon)
        : texts.get(textKey(hint))
    return placed ? complete(call, placed) : placeNew(call, hint)
  }
}

const textKey = (hint: LocationHint) => `${hint.text}\u0001${hint.lat}\u0001${hint.lon}`

/** Lines in the file, read a megabyte at a time (an export can be gigabytes). */
function countLines(path: string): number {
  const fd = openSync(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(1 << 20)
    let n = 0
    let last = -1
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null)
      if (read === 0) break
      const bytes = read === chunk.length ? chunk : chunk.subarray(0, read)
      for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++
      last = bytes[read - 1] as number
    }
    return last !== -1 && last !== 10 ? n + 1 : n
  } finally {
    closeSync(fd)
  }
}
