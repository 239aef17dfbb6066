import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import { calibrateFromRecords } from '../../app/simulation/calibrate.js'
import { SimulationRuns, staffingFor } from '../../app/simulation/policy-lab.js'
import { idParam } from '../../contract/dispatch.js'
import { calibrationQuery, simulationRunBody, staffingQuery } from '../../contract/simulation.js'
import { PRESET_KEYS, PRESETS } from '../../sim/policies.js'

const tags = ['simulation']
const iso = (t: number) => new Date(t).toISOString()

/** The policy lab (issue #9): runs compared side by side, calibration, the staffing plan. */
export function simulationRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const runs = new SimulationRuns()

  r.get(
    '/api/simulation/presets',
    { config: { action: 'simulation:run' }, schema: { tags, summary: 'The policies to compare' } },
    async () => ({ presets: PRESET_KEYS.map((key) => ({ key, ...PRESETS[key] })) }),
  )

  r.post(
    '/api/simulation/runs',
    {
      config: { action: 'simulation:run' },
      schema: {
        tags,
        summary: 'Compare scenarios (same seed for all); runs in the background',
        body: simulationRunBody,
      },
    },
    async (req, reply) => {
      const job = await runs.start(deps, req.actor, req.body)
      return reply.code(202).send({ ...job, startedAt: iso(job.startedAt) })
    },
  )

  r.get(
    '/api/simulation/runs/:id',
    {
      config: { action: 'simulation:run' },
      schema: { tags, summary: 'A run’s progress, and its comparison when done', params: idParam },
    },
    async (req) => {
      const job = runs.get(req.params.id)
      return { ...job, startedAt: iso(job.startedAt) }
    },
  )

  r.get(
    '/api/simulation/calibration',
    {
      config: { action: 'simulation:run' },
      schema: {
        tags,
        summary: 'The scenario fitted from the records, with the report of every parameter',
        querystring: calibrationQuery,
      },
    },
    async (req) => {
      const { from, to } = req.query
      return calibrateFromRecords(deps, from && to ? { from, to } : {})
    },
  )

  r.get(
    '/api/simulation/staffing',
    {
      config: { action: 'simulation:run' },
      schema: {
        tags,
        summary: 'Call-takers by hour of the week for a service-level target (Erlang C or A)',
        querystring: staffingQuery,
      },
    },
    async (req) => staffingFor(deps, req.query),
  )
}
