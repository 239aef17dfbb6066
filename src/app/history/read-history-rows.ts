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
  const queue: Array<ReadBatch | { done: true } | WorkerError> = []
  let wake: (() => void) | null = null
  const push = (m: ReadBatch | { done: true } | WorkerError) => {
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
      const m = queue.shift() as ReadBatch | { done: true } | WorkerError
      // A refusal (the file lacks a column the mapping names) crosses the thread as its problems.
      if ('error' in m) throw m.problems ? new ValidationError(m.problems) : new Error(m.error)
      if ('done' in m) return
      worker.postMessage('more')
      yield m
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
    port.postMessage(batch)
  }
  port.postMessage({ done: true })
  port.close()
}
