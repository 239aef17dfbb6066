import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import { importRoster } from '../../app/dispatch/import-roster.js'
import { addUnit, changeUnitStatus, listUnits, unitWithHistory } from '../../app/dispatch/units.js'
import { newUnitBody, rosterBody, unitIdParam, unitStatusBody } from '../../contract/units.js'
import { ROSTER_COLUMNS } from '../../domain/dispatch/roster.js'
import { availabilityOf, type Unit, type UnitStatusEvent } from '../../domain/dispatch/unit.js'

const tags = ['units']
const iso = (t: number) => new Date(t).toISOString()

export function presentUnit(u: Unit) {
  return { ...u, availability: availabilityOf(u), updatedAt: iso(u.updatedAt) }
}

function presentStatusEvent(e: UnitStatusEvent) {
  return { from: e.from, to: e.to, assignmentId: e.assignmentId, at: iso(e.at), by: e.by }
}

/** The unit roster and unit status (issue #6). */
export function unitRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/units',
    { config: { action: 'unit:read' }, schema: { tags, summary: 'The unit roster with status' } },
    async () => ({ units: (await listUnits(deps)).map(presentUnit) }),
  )

  r.post(
    '/api/units',
    {
      config: { action: 'unit:manage' },
      schema: { tags, summary: 'Put a unit on the roster', body: newUnitBody },
    },
    async (req, reply) =>
      reply.code(201).send(presentUnit(await addUnit(deps, req.actor, req.body))),
  )

  r.post(
    '/api/units/roster',
    {
      config: { action: 'unit:manage' },
      schema: {
        tags,
        summary: `Import a roster (CSV: ${ROSTER_COLUMNS.join(', ')}); all lines or none`,
        body: rosterBody,
      },
    },
    async (req) => importRoster(deps, req.actor, req.body.csv),
  )

  r.get(
    '/api/units/:id',
    {
      config: { action: 'unit:read' },
      schema: { tags, summary: 'A unit with its status history', params: unitIdParam },
    },
    async (req) => {
      const { unit, history } = await unitWithHistory(deps, req.params.id)
      return { ...presentUnit(unit), history: history.map(presentStatusEvent) }
    },
  )

  r.post(
    '/api/units/:id/status',
    {
      config: { action: 'unit:status' },
      schema: {
        tags,
        summary: 'Report what the unit is doing (en route, on scene, …; null: in service)',
        params: unitIdParam,
        body: unitStatusBody,
      },
    },
    async (req) => presentUnit(await changeUnitStatus(deps, req.actor, req.params.id, req.body)),
  )
}
