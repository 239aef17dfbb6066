import { readdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Actor } from '../../domain/access/roles.js'
import { NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { ensureCatalogue } from '../create-deps.js'
import type { AppDeps } from '../deps.js'
import {
  type HistoryImportReport,
  importCallHistory,
  readHistoryMapping,
} from './import-call-history.js'

/** The mapping files shipped in history/: one per CAD export format. */
const MAPPINGS_DIR = fileURLToPath(new URL('../../../history/', import.meta.url))

export function historyMappings(): string[] {
  return readdirSync(MAPPINGS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort()
}

export interface HistoryImportJob {
  id: string
  mapping: string
  startedBy: string
  startedAt: number
  status: 'running' | 'done' | 'failed'
  done: number
  total: number
  report: HistoryImportReport | null
  /** why nothing was imported, when the file or the mapping was refused */
  error: string | null
}

/** Jobs kept for the progress bar and the summary; the oldest finished ones are dropped. */
const KEEP = 20

/**
 * CAD exports uploaded from the analyst's screen, imported in the background so the page can
 * show a progress bar; the calls themselves are written by the same importer as the CLI.
 * Jobs live in memory: a restart ends the page's view of a job, never the data (an import is
 * idempotent, so uploading the file again finishes it).
 */
export class HistoryImports {
  readonly #jobs = new Map<string, HistoryImportJob>()

  start(deps: AppDeps, actor: Actor, file: string, mapping: string): HistoryImportJob {
    if (!historyMappings().includes(mapping)) {
      rmSync(file, { force: true })
      throw new ValidationError([
        { path: 'mapping', message: `one of ${historyMappings().join(', ')}` },
      ])
    }
    const job: HistoryImportJob = {
      id: deps.ids.next(),
      mapping,
      startedBy: actor.id,
      startedAt: deps.clock.now(),
      status: 'running',
      done: 0,
      total: 0,
      report: null,
      error: null,
    }
    this.#jobs.set(job.id, job)
    this.#forgetOld()
    const run = async () => {
      await ensureCatalogue(deps)
      return importCallHistory(
        deps,
        actor,
        file,
        readHistoryMapping(`${MAPPINGS_DIR}${mapping}.yaml`),
        (done, total) => {
          job.done = done
          job.total = total
        },
      )
    }
    run()
      .then((report) => {
        job.report = report
        job.done = report.rows
        job.total = report.rows
        job.status = 'done'
        deps.log.info(
          { job: job.id, rows: report.rows, imported: report.imported },
          'history import done',
        )
      })
      .catch((err: unknown) => {
        job.status = 'failed'
        job.error =
          err instanceof ValidationError
            ? err.problems.map((p) => `${p.path}: ${p.message}`).join('; ')
            : 'the import stopped on an unexpected error; a large import keeps none of its calls, a smaller one those of its batches written before the error'
        deps.log.error({ job: job.id, err }, 'history import failed')
      })
      .finally(() => rmSync(file, { force: true }))
    return job
  }

  get(id: string): HistoryImportJob {
    const job = this.#jobs.get(id)
    if (!job) throw new NotFoundError('history import', id)
    return job
  }

  list(): HistoryImportJob[] {
    return [...this.#jobs.values()].sort((a, b) => b.startedAt - a.startedAt)
  }

  #forgetOld() {
    const finished = this.list().filter((j) => j.status !== 'running')
    for (const j of finished.slice(KEEP)) this.#jobs.delete(j.id)
  }
}
