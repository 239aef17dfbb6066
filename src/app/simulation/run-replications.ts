/**
 * Replications of a scenario spread over worker threads (one per core by default). Each worker
 * builds the model from the plain scenario and catalogue (both cross the thread boundary as
 * structured clones), runs its share of the replications with `simulateCity`, and posts each
 * report back. Replication i always uses (seed, i), so the reports, and their summary, are the
 * same whatever the number of threads: `simulateReplications` on one thread gives them too.
 *
 * The worker loads this module's TypeScript through tsx, which triage311 runs on (as the CAD
 * history reader does, src/app/history/read-history-rows.ts).
 */
import { availableParallelism } from 'node:os'
import { type MessagePort, Worker } from 'node:worker_threads'
import { simulateCity } from '../../sim/model/city.js'
import { compileModel } from '../../sim/model/compile.js'
import { type Report, type Summary, summarise } from '../../sim/model/report.js'
import type { Scenario } from '../../sim/model/scenario.js'
import type { SimCatalogue } from '../../sim/model/triage-table.js'

export interface ReplicationRequest {
  scenario: Scenario
  catalogue: SimCatalogue
  seed: number
  replications: number
  /** Worker threads; default one per core, never more than the replications. */
  threads?: number
  /** Called as each replication finishes (progress for the lab page and the CLI). */
  onReplication?: (done: ReplicationDone, finished: number, total: number) => void
}

export interface ReplicationDone {
  replication: number
  report: Report
  /** Wall time of this replication inside its worker, seconds. */
  seconds: number
}

export interface ReplicationRun {
  reports: Report[]
  summary: Summary<Report>
  /** Per replication, in replication order. */
  seconds: number[]
  threads: number
  wallSeconds: number
}

export async function runReplications(request: ReplicationRequest): Promise<ReplicationRun> {
  const total = request.replications
  if (!Number.isInteger(total) || total < 1)
    throw new RangeError('replications must be a whole number, 1 or more')
  // Fail on a bad scenario here, with its ValidationError, not inside a thread.
  compileModel(request.scenario, request.catalogue)
  const threads = Math.max(1, Math.min(request.threads ?? availableParallelism(), total))
  const started = performance.now()
  const done: ReplicationDone[] = []
  await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const mine = Array.from({ length: total }, (_, i) => i).filter((i) => i % threads === t)
      return runWorker({ ...request, onReplication: undefined }, mine, (d) => {
        done.push(d)
        request.onReplication?.(d, done.length, total)
      })
    }),
  )
  done.sort((a, b) => a.replication - b.replication)
  const reports = done.map((d) => d.report)
  return {
    reports,
    summary: summarise(reports),
    seconds: done.map((d) => d.seconds),
    threads,
    wallSeconds: (performance.now() - started) / 1000,
  }
}

function runWorker(
  request: ReplicationRequest,
  replications: number[],
  onDone: (d: ReplicationDone) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: import.meta.url,
        scenario: request.scenario,
        catalogue: {
          callTypes: request.catalogue.callTypes,
          screening: request.catalogue.screening,
          priorityScheme: request.catalogue.priorityScheme,
        },
        seed: request.seed,
        replications,
      },
    })
    let failed = false
    worker.on('message', (m: ReplicationDone | { error: string } | { finished: true }) => {
      if ('error' in m) {
        failed = true
        reject(new Error(m.error))
        void worker.terminate()
      } else if ('finished' in m) void worker.terminate().then(() => resolve())
      else onDone(m)
    })
    worker.on('error', (err) => {
      failed = true
      reject(err)
    })
    worker.on('exit', (code) => {
      if (code !== 0 && code !== 1 && !failed)
        reject(new Error(`a simulation thread stopped (exit ${code})`))
      resolve()
    })
  })
}

/**
 * The worker's own code: imports this module; when the thread cannot read TypeScript yet (under
 * the tsx CLI a worker does not inherit its loader), registers tsx and tries again.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
import(workerData.module)
  .catch((err) => {
    if (!err || err.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err
    // The failed import stays cached under its URL: ask again under another.
    return import('tsx/esm/api').then((t) => t.register()).then(() => import(workerData.module + '?tsx'))
  })
  .then((m) => m.runReplicationWorker(workerData, parentPort))
  .catch((err) => parentPort.postMessage({ error: String((err && err.stack) || err) }))
`

/** In the worker: builds the model once, then runs and posts each replication. */
export function runReplicationWorker(
  data: { scenario: Scenario; catalogue: SimCatalogue; seed: number; replications: number[] },
  port: MessagePort,
): void {
  const model = compileModel(data.scenario, data.catalogue)
  for (const replication of data.replications) {
    const t0 = performance.now()
    const report = simulateCity(model, data.seed, replication)
    port.postMessage({ replication, report, seconds: (performance.now() - t0) / 1000 })
  }
  port.postMessage({ finished: true })
}
