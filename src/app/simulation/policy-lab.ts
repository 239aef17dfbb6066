/**
 * The policy lab's use cases for the server (issue #9 item 7): the base scenario (the demo city
 * or one calibrated from the records), runs of scenarios compared side by side in the background
 * with progress, and the staffing plan for a line.
 */
import type { SimulationRunBody, StaffingQuery } from '../../contract/simulation.js'
import type { Actor } from '../../domain/access/roles.js'
import { NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { type StaffingPlan, staffingPlan } from '../../domain/staffing/staffing-plan.js'
import { demoCityScenario } from '../../sim/model/demo-city.js'
import type { Scenario } from '../../sim/model/scenario.js'
import type { SimCatalogue } from '../../sim/model/triage-table.js'
import { applyLevers, PRESETS } from '../../sim/policies.js'
import { meanOf } from '../../sim/random.js'
import type { AppDeps } from '../deps.js'
import { calibrateFromRecords, simCatalogue } from './calibrate.js'
import { type Comparison, compareScenarios } from './compare-scenarios.js'

/** The scenario the lab starts from. */
export async function baseScenario(
  deps: AppDeps,
  catalogue: SimCatalogue,
  base: 'demo' | 'calibrated',
  callsPerYear: number,
  days: number,
): Promise<Scenario> {
  if (base === 'calibrated') {
    const c = await calibrateFromRecords(deps, { days, warmUpDays: 3 })
    if (c.calls === 0)
      throw new ValidationError([
        {
          path: 'base',
          message:
            'there are no calls to calibrate from yet: import 911 calls (CAD history) or take 311 calls first, or start from the demo city',
        },
      ])
    return c.scenario
  }
  return demoCityScenario(catalogue, { callsPerYear, days, warmUpDays: 3 })
}

export interface SimulationJob {
  id: string
  startedBy: string
  startedAt: number
  status: 'running' | 'done' | 'failed'
  /** Replications finished of all scenarios, and how many there are. */
  done: number
  total: number
  /** The scenario running now. */
  running: string | null
  result: Comparison | null
  error: string | null
}

const KEEP = 20
/** Runs at once: each already uses every core. */
const MAX_RUNNING = 2

/**
 * Runs kept in memory for the lab page's progress bar and result. A restart forgets them: a run
 * is cheap to start again and nothing in the database depends on it.
 */
export class SimulationRuns {
  readonly #jobs = new Map<string, SimulationJob>()

  async start(deps: AppDeps, actor: Actor, body: SimulationRunBody): Promise<SimulationJob> {
    const running = [...this.#jobs.values()].filter((j) => j.status === 'running').length
    if (running >= MAX_RUNNING)
      throw new ValidationError([
        {
          path: 'scenarios',
          message: `${running} runs are already under way; wait for one to finish`,
        },
      ])
    const catalogue = await simCatalogue(deps)
    const base = await baseScenario(deps, catalogue, body.base, body.callsPerYear, body.days)
    const scenarios = body.scenarios.map((s, i) => {
      const preset = s.preset ? PRESETS[s.preset] : null
      const levers = { ...(preset?.levers ?? {}), ...s.levers }
      return {
        name: s.name,
        description: preset?.description ?? '',
        scenario: applyLevers(base, catalogue, levers, s.name),
        index: i,
      }
    })
    const names = new Set(scenarios.map((s) => s.name))
    if (names.size !== scenarios.length)
      throw new ValidationError([{ path: 'scenarios', message: 'give each scenario its own name' }])
    const job: SimulationJob = {
      id: deps.ids.next(),
      startedBy: actor.id,
      startedAt: deps.clock.now(),
      status: 'running',
      done: 0,
      total: scenarios.length * body.replications,
      running: scenarios[0]?.name ?? null,
      result: null,
      error: null,
    }
    this.#jobs.set(job.id, job)
    this.#forgetOld()
    compareScenarios({
      scenarios,
      catalogue,
      replications: body.replications,
      seed: body.seed,
      onProgress: (done, total, name) => {
        job.done = done
        job.total = total
        job.running = name
      },
    })
      .then((result) => {
        job.result = result
        job.status = 'done'
        job.running = null
        deps.log.info(
          { job: job.id, scenarios: scenarios.length, seconds: result.wallSeconds },
          'simulation run done',
        )
      })
      .catch((err: unknown) => {
        job.status = 'failed'
        job.running = null
        job.error =
          err instanceof ValidationError
            ? err.problems.map((p) => `${p.path}: ${p.message}`).join('; ')
            : 'the run stopped on an unexpected error'
        deps.log.error({ job: job.id, err }, 'simulation run failed')
      })
    return job
  }

  get(id: string): SimulationJob {
    const job = this.#jobs.get(id)
    if (!job) throw new NotFoundError('simulation run', id)
    return job
  }

  #forgetOld() {
    const finished = [...this.#jobs.values()]
      .filter((j) => j.status !== 'running')
      .sort((a, b) => b.startedAt - a.startedAt)
    for (const j of finished.slice(KEEP)) this.#jobs.delete(j.id)
  }
}

/** Calls offered to a line in each hour of the week, from a scenario's arrivals. */
export function lineCallsByHourOfWeek(s: Scenario, line: '911' | '311'): number[] {
  const out = new Array<number>(168).fill(0)
  const onLine = (src: string) =>
    line === '911'
      ? src === '911' || src === 'transfer_911'
      : src === 'phone_311' || src === 'transfer_911'
  if (s.arrivals.kind === 'replay') {
    const weeks = Math.max(1, (s.days + s.warmUpDays) / 7)
    for (const r of s.arrivals.records)
      if (onLine(r.source)) {
        const how = Math.floor(r.atSeconds / 3600) % 168
        out[how] = (out[how] as number) + 1 / weeks
      }
    return out
  }
  const flat = new Array<number>(168).fill(1)
  for (const st of s.arrivals.streams) {
    if (!onLine(st.source)) continue
    const shape = st.hourOfWeek ?? s.arrivals.hourOfWeek ?? flat
    const total = shape.reduce((a, b) => a + b, 0) || 1
    for (let h = 0; h < 168; h++)
      out[h] = (out[h] as number) + (st.perWeek * (shape[h] as number)) / total
  }
  return out
}

/** Call-takers by hour of the week for a service-level target, with shrinkage. */
export async function staffingFor(
  deps: AppDeps,
  q: StaffingQuery,
): Promise<
  StaffingPlan & { line: '911' | '311'; handleSeconds: number; patienceSeconds: number | null }
> {
  const catalogue = await simCatalogue(deps)
  const s = await baseScenario(deps, catalogue, q.base, q.callsPerYear, 7)
  const line = s.lines[q.line]
  const handleSeconds = meanOf(line.handleSeconds)
  const patienceSeconds =
    q.model === 'erlang_a' && line.patienceSeconds ? meanOf(line.patienceSeconds) : null
  const plan = staffingPlan({
    callsByHourOfWeek: lineCallsByHourOfWeek(s, q.line),
    handleSeconds,
    ...(patienceSeconds !== null ? { patienceSeconds } : {}),
    target: { serviceLevel: q.serviceLevel, targetSeconds: q.targetSeconds },
    shrinkage: q.shrinkage,
    minimumAgents: q.line === '911' ? 2 : 1,
  })
  return { ...plan, line: q.line, handleSeconds, patienceSeconds }
}
