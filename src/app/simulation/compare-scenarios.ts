/**
 * Scenarios compared side by side (issue #9 item 4): each runs the same replications with the
 * same seed (common random numbers: replication i of every scenario draws from the same streams,
 * so a difference between scenarios is the policy's, not the dice's), on worker threads, with
 * progress. The result is a table of measures, each a mean with its 95 % t interval per scenario.
 */

import { compileModel } from '../../sim/model/compile.js'
import { type Estimate, estimate, type Report } from '../../sim/model/report.js'
import type { Scenario } from '../../sim/model/scenario.js'
import type { SimCatalogue } from '../../sim/model/triage-table.js'
import { runReplications } from './run-replications.js'

export interface ScenarioToRun {
  name: string
  description?: string
  scenario: Scenario
}

export interface Measure {
  key: string
  label: string
  unit: string
  /** Which way is better, for the reader ("lower" waits, "higher" service level). */
  better: 'lower' | 'higher' | null
  /** A guideline to compare against (the 60 % patrol saturation), if any. */
  guideline?: number
  /** One estimate per scenario, in the order of `scenarios`. */
  values: Estimate[]
}

export interface Comparison {
  scenarios: Array<{ name: string; description: string }>
  replications: number
  seed: number
  days: number
  measures: Measure[]
  wallSeconds: number
}

export interface CompareRequest {
  scenarios: readonly ScenarioToRun[]
  catalogue: SimCatalogue
  replications: number
  seed: number
  threads?: number
  /** Replications finished of all scenarios (done / total), for the progress bar. */
  onProgress?: (done: number, total: number, scenario: string) => void
}

/** The most urgent priorities shown with their own wait (1 … 5). */
const PRIORITIES = ['1', '2', '3', '4', '5']

export async function compareScenarios(request: CompareRequest): Promise<Comparison> {
  if (request.scenarios.length === 0) throw new RangeError('needs at least one scenario')
  // Every scenario is checked before any runs, so a mistake in the fifth costs no waiting.
  for (const s of request.scenarios) compileModel(s.scenario, request.catalogue)
  const total = request.scenarios.length * request.replications
  const started = performance.now()
  const runs: Report[][] = []
  let before = 0
  for (const s of request.scenarios) {
    const run = await runReplications({
      scenario: s.scenario,
      catalogue: request.catalogue,
      seed: request.seed,
      replications: request.replications,
      ...(request.threads !== undefined ? { threads: request.threads } : {}),
      onReplication: (_d, finished) => request.onProgress?.(before + finished, total, s.name),
    })
    before += request.replications
    runs.push(run.reports)
  }
  return {
    scenarios: request.scenarios.map((s) => ({ name: s.name, description: s.description ?? '' })),
    replications: request.replications,
    seed: request.seed,
    days: request.scenarios[0]?.scenario.days ?? 0,
    measures: measuresOf(runs),
    wallSeconds: (performance.now() - started) / 1000,
  }
}

/** The comparison's measures from each scenario's reports. */
export function measuresOf(runs: readonly (readonly Report[])[]): Measure[] {
  const m = (
    key: string,
    label: string,
    unit: string,
    better: Measure['better'],
    pick: (r: Report) => number,
    extra: Partial<Measure> = {},
  ): Measure => ({
    key,
    label,
    unit,
    better,
    ...extra,
    values: runs.map((reports) => estimate(reports.map(pick))),
  })
  // Totals are shown a week, whatever the simulated days.
  const weekly = (r: Report, x: number) => (x * 7) / r.days
  const nanIfNone = (n: number, x: number) => (n > 0 ? x : Number.NaN)
  return [
    m('calls911', '911 calls a week', 'calls', 'lower', (r) => weekly(r, r.lines['911'].offered)),
    m('answer911', '911 mean answer time', 's', 'lower', (r) =>
      nanIfNone(r.lines['911'].answered, r.lines['911'].meanAnswerSeconds),
    ),
    m('serviceLevel911', '911 answered within target', '%', 'higher', (r) =>
      nanIfNone(r.lines['911'].offered, r.lines['911'].serviceLevel * 100),
    ),
    m('abandoned911', '911 callers who hung up', '%', 'lower', (r) =>
      nanIfNone(r.lines['911'].offered, r.lines['911'].abandonedShare * 100),
    ),
    m('answer311', '311 mean answer time', 's', 'lower', (r) =>
      nanIfNone(r.lines['311'].answered, r.lines['311'].meanAnswerSeconds),
    ),
    m('p1Response', 'Priority 1 response time', 'min', 'lower', (r) =>
      nanIfNone(
        r.dispatch.byPriority['1']?.dispatched ?? 0,
        r.dispatch.priority1ResponseMinutes.mean,
      ),
    ),
    ...PRIORITIES.map((p) =>
      m(`wait${p}`, `Priority ${p} wait for a unit`, 'min', 'lower', (r) => {
        const b = r.dispatch.byPriority[p]
        return b && b.dispatched > 0 ? b.meanWaitMinutes : Number.NaN
      }),
    ),
    m(
      'saturation',
      'Patrol saturation',
      '%',
      'lower',
      (r) => r.officerTime.patrolSaturation * 100,
      { guideline: 60 },
    ),
    m('freeHours', 'Free patrol hours a week', 'h', 'higher', (r) =>
      weekly(r, r.officerTime.freeHours),
    ),
    m('problemSolvingHours', 'Problem-solving hours a week', 'h', 'higher', (r) =>
      weekly(r, r.officerTime.problemSolvingHours),
    ),
    m('dispatches', 'Dispatches a week', 'units sent', 'lower', (r) =>
      weekly(r, r.dispatch.dispatches),
    ),
    m('doubleDispatches', 'Double dispatches a week', 'units sent', 'lower', (r) =>
      weekly(r, r.dispatch.doubleDispatches),
    ),
  ]
}

/** A number for the table: few digits, thousands separated. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–'
  const a = Math.abs(x)
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** "12.3 ± 0.4" (the 95 % interval's half-width), or "12.3" with one replication. */
export function formatEstimate(e: Estimate): string {
  if (!Number.isFinite(e.mean)) return '–'
  return Number.isFinite(e.halfWidth) ? `${fmt(e.mean)} ± ${fmt(e.halfWidth)}` : fmt(e.mean)
}

/** The comparison as a plain-text table: a row per measure, a column per scenario, aligned. */
export function comparisonTable(c: Comparison): string {
  const header = ['Measure', ...c.scenarios.map((s) => s.name)]
  const rows = c.measures.map((m) => [
    `${m.label} (${m.unit})${m.guideline !== undefined ? ` [guideline ≤ ${m.guideline}]` : ''}`,
    ...m.values.map(formatEstimate),
  ])
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number),
      )
      .join('  ')
      .trimEnd()
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${c.replications} replications of ${c.days} days each, seed ${c.seed}, same random numbers for every scenario; ± is the 95 % confidence interval's half-width.`,
  ].join('\n')
}
