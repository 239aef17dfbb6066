import { Worker } from 'node:worker_threads'
import {
  type CallForService,
  type HistoryMapping,
  historyRowReader,
  type LocationHint,
} from '../../domain/history/call-for-service.js'
import { type FieldProblem, ValidationError } from '../../domain/shared/errors.js'
import { csvRows } from './csv-records.js'

/** A run of rows read from the export: the calls, and the rows that could not be read. */
export interface ReadBatch {
  /** rows in this batch, read or not */
  rows: number
  /** with the file line each came from (the header is line 1) */
  calls: Array<{ call: CallForService; location: LocationHint; line: number }>
  /** the problems of the first unreadable rows (at most `keepProblems` rows over the file) */
  problems: FieldProblem[][]
  problemCount: number
}

const ROWS_PER_BATCH = 10_000

/** Reads the export's rows through its mapping, a batch at a time, on this thread. */
export async function* readHistoryRows(
  csvPath: string,
  mapping: HistoryMapping,
  codes: ReadonlyMap<string, string>,
  keepProblems = 50,
): AsyncGenerator<ReadBatch, void, undefined> {
  let read: ReturnType<typeof historyRowReader> | null = null
  let line = 1
  let kept = 0
  let batch: ReadBatch = { rows: 0, calls: [], problems: [], problemCount: 0 }
  for await (const rows of csvRows(csvPath)) {
    for (const fields of rows) {
      if (read === null) {
        read = historyRowReader(mapping, codes, fields)
        continue
      }
      line += 1
      batch.rows += 1
      const row = read(fields, line)
      if ('problems' in row) {
        batch.problemCount += 1
        if (kept < keepProblems) {
          kept += 1
          batch.problems.push(row.problems)
        }
      } else batch.calls.push({ call: row.call, location: row.location, line })
    }
    if (batch.rows >= ROWS_PER_BATCH) {
      yield batch
      batch = { rows: 0, calls: [], problems: [], problemCount: 0 }
    }
  }
  if (batch.rows > 0) yield batch
}

interface WorkerError {
  error: string
  problems?: FieldProblem[]
}

/** Batches read ahead of the writer: enough to keep it busy, few enough to bound memory. */
const AHEAD = 4

/**
 * `readHistoryRows` on a worker thread, so that reading the export (parsing, times, blocks)
 * runs beside the database writes instead of between them. The worker loads this module's
 * TypeScript through tsx, which triage311 runs on.
 */
export async function* readHistoryRowsInWorker(
  csvPath: string,
  mapping: HistoryMapping,
  codes: ReadonlyMap<string, string>,
): AsyncGenerator<ReadBatch, void, undefined> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      module: import.meta.url,
      csvPath,
      mapping,
      codes: [...codes],
      ahead: AHEAD,
    },
  })
  const queue: Array<PackedBatch | { done: true } | WorkerError> = []
  let wake: (() => void) | null = null
  const push = (m: PackedBatch | { done: true } | WorkerError) => {
    queue.push(m)
    wake?.()
    wake = null
  }
  worker.on('message', push)
  worker.on('error', (err) => push({ error: err.stack ?? String(err) }))
  worker.on('exit', (code) => {
    if (code !== 0) push({ error: `the history reader stopped (exit ${code})` })
  })
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      const m = queue.shift() as PackedBatch | { done: true } | WorkerError
      // A refusal (the file lacks a column the mapping names) crosses the thread as its problems.
      if ('error' in m) throw m.problems ? new ValidationError(m.problems) : new Error(m.error)
      if ('done' in m) return
      worker.postMessage('more')
      yield unpack(m)
    }
  } finally {
    await worker.terminate()
  }
}

/** The worker's own code: loads this module (through tsx when needed), then reads. */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
// A worker does not always inherit the parent's TypeScript loader (under the tsx CLI it does
// not): try the module as it is, and register tsx only when Node cannot load it.
import(workerData.module)
  .catch((err) => {
    if (!err || err.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err
    // The failed load is cached under its URL: ask again under another one.
    return import('tsx/esm/api')
      .then((t) => t.register())
      .then(() => import(workerData.module + '?with-tsx'))
  })
  .then((m) => m.runHistoryReader(workerData, parentPort))
  .catch((err) =>
    parentPort.postMessage({ error: String((err && err.stack) || err), problems: err && err.problems }),
  )
`

/** In the worker: reads and posts batches, never more than `ahead` beyond what was taken. */
export async function runHistoryReader(
  data: {
    csvPath: string
    mapping: HistoryMapping
    codes: Array<[string, string]>
    ahead: number
  },
  port: import('node:worker_threads').MessagePort,
): Promise<void> {
  let credit = data.ahead
  let wake: (() => void) | null = null
  port.on('message', () => {
    credit += 1
    wake?.()
    wake = null
  })
  for await (const batch of readHistoryRows(data.csvPath, data.mapping, new Map(data.codes))) {
    while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve))
    credit -= 1
    port.postMessage(pack(batch))
  }
  port.postMessage({ done: true })
  port.close()
}

/**
 * A batch as it crosses the thread: by column, each text column as codes into its few distinct
 * values (a CAD export repeats its sources, types, blocks and beats), each number column as a
 * typed array with a null flag. Copying millions of small objects from one thread to another
 * cost the writing thread more than the rest of their import.
 */
interface PackedBatch {
  rows: number
  count: number
  problems: FieldProblem[][]
  problemCount: number
  sourceIds: string[]
  texts: Record<TextColumn, { values: Array<string | null>; codes: Uint32Array }>
  numbers: Record<NumberColumn, { values: Float64Array; isNull: Uint8Array }>
}

const TEXT_COLUMNS = [
  'source',
  'sourceCallType',
  'callType',
  'disposition',
  'block',
  'h3',
  'policeDistrict',
  'beat',
  'locationText',
] as const
type TextColumn = (typeof TEXT_COLUMNS)[number]
const NUMBER_COLUMNS = [
  'receivedAt',
  'priority',
  'lat',
  'lon',
  'locationLat',
  'locationLon',
  'line',
] as const
type NumberColumn = (typeof NUMBER_COLUMNS)[number]

type Row = ReadBatch['calls'][number]
const TEXT_OF: Record<TextColumn, (r: Row) => string | null> = {
  source: (r) => r.call.source,
  sourceCallType: (r) => r.call.sourceCallType,
  callType: (r) => r.call.callType,
  disposition: (r) => r.call.disposition,
  block: (r) => r.call.block,
  h3: (r) => r.call.h3,
  policeDistrict: (r) => r.call.policeDistrict,
  beat: (r) => r.call.beat,
  locationText: (r) => r.location.text,
}
const NUMBER_OF: Record<NumberColumn, (r: Row) => number | null> = {
  receivedAt: (r) => r.call.receivedAt,
  priority: (r) => r.call.priority,
  lat: (r) => r.call.lat,
  lon: (r) => r.call.lon,
  locationLat: (r) => r.location.lat,
  locationLon: (r) => r.location.lon,
  line: (r) => r.line,
}

export function pack(batch: ReadBatch): PackedBatch {
  const n = batch.calls.length
  const texts = {} as PackedBatch['texts']
  for (const column of TEXT_COLUMNS) {
    const read = TEXT_OF[column]
    const values: Array<string | null> = []
    const index = new Map<string | null, number>()
    const codes = new Uint32Array(n)
    for (let i = 0; i < n; i++) {
      const v = read(batch.calls[i] as Row)
      let code = index.get(v)
      if (code === undefined) {
        code = values.length
        values.push(v)
        index.set(v, code)
      }
      codes[i] = code
    }
    texts[column] = { values, codes }
  }
  const numbers = {} as PackedBatch['numbers']
  for (const column of NUMBER_COLUMNS) {
    const read = NUMBER_OF[column]
    const values = new Float64Array(n)
    const isNull = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const v = read(batch.calls[i] as Row)
      if (v === null) isNull[i] = 1
      else values[i] = v
    }
    numbers[column] = { values, isNull }
  }
  return {
    rows: batch.rows,
    count: n,
    problems: batch.problems,
    problemCount: batch.problemCount,
    sourceIds: batch.calls.map((r) => r.call.sourceId),
    texts,
    numbers,
  }
}

export function unpack(p: PackedBatch): ReadBatch {
  const text = (column: TextColumn, i: number) => {
    const t = p.texts[column]
    return t.values[t.codes[i] as number] as string | null
  }
  const num = (column: NumberColumn, i: number) => {
    const x = p.numbers[column]
    return x.isNull[i] ? null : (x.values[i] as number)
  }
  const calls: ReadBatch['calls'] = new Array(p.count)
  for (let i = 0; i < p.count; i++)
    calls[i] = {
      call: {
        source: text('source', i) as string,
        sourceId: p.sourceIds[i] as string,
        receivedAt: num('receivedAt', i) as number,
        sourceCallType: text('sourceCallType', i) as string,
        callType: text('callType', i),
        priority: num('priority', i),
        disposition: text('disposition', i),
        block: text('block', i),
        lat: num('lat', i),
        lon: num('lon', i),
        h3: text('h3', i),
        policeDistrict: text('policeDistrict', i),
        beat: text('beat', i),
      },
      location: {
        text: text('locationText', i),
        lat: num('locationLat', i),
        lon: num('locationLon', i),
      },
      line: num('line', i) as number,
    }
  return { rows: p.rows, calls, problems: p.problems, problemCount: p.problemCount }
}
