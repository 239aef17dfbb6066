/**
 * Replications of one scenario on this thread: replication i uses the scenario seed with
 * stream index i (random.ts), so replications are independent of each other and of how they
 * are spread over threads; the summary gives each figure's mean and t confidence interval.
 * For several threads, src/app/simulation/run-replications.ts runs the same function in
 * worker threads and returns the same reports.
 */
import { simulateCity } from './model/city.js'
import type { CompiledModel } from './model/compile.js'
import { type Report, type Summary, summarise } from './model/report.js'

export interface ReplicationsResult {
  reports: Report[]
  summary: Summary<Report>
}

export function simulateReplications(
  model: CompiledModel,
  options: { seed: number; replications: number; confidence?: number },
): ReplicationsResult {
  if (!Number.isInteger(options.replications) || options.replications < 1)
    throw new RangeError('replications must be a whole number, 1 or more')
  const reports: Report[] = []
  for (let i = 0; i < options.replications; i++) reports.push(simulateCity(model, options.seed, i))
  return { reports, summary: summarise(reports, options.confidence) }
}
