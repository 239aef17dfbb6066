import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import {
  advance,
  assign,
  assignmentsOfIncident,
  clear,
  dispatchBoard,
  dispatchCounts,
  myUnit,
  recall,
  recommendFor,
  signOnToUnit,
} from '../../app/dispatch/assignments.js'
import {
  assignBody,
  boardQuery,
  clearBody,
  idParam,
  periodQuery,
  recallBody,
  signOnBody,
} from '../../contract/dispatch.js'
import type { Assignment } from '../../domain/dispatch/assignment.js'
import type { QueuedIncident, QueueLine } from '../../domain/dispatch/dispatch-queue.js'
import { formatIncidentNumber, type Incident } from '../../domain/incidents/incident.js'
import { presentUnit } from './unit-routes.js'

const tags = ['dispatch']
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

export function presentAssignment(a: Assignment) {
  return {
    ...a,
    incidentNumber: formatIncidentNumber(a.incidentNumber),
    assignedAt: iso(a.assignedAt),
    enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt),
    clearedAt: iso(a.clearedAt),
  }
}

function presentQueued(q: QueuedIncident) {
  return {
    ...q,
    number: formatIncidentNumber(q.number),
    receivedAt: iso(q.receivedAt),
    dueAt: iso(q.dueAt),
  }
}

function presentLine(l: QueueLine) {
  return { ...presentQueued(l.incident), waitedMs: l.waitedMs, targetMs: l.targetMs, late: l.late }
}

/** What a unit needs to find and handle the call: no caller identity. */
function presentCallSummary(i: Incident) {
  return {
    id: i.id,
    number: formatIncidentNumber(i.number),
    callType: i.callType,
    priority: i.priority,
    status: i.status,
    location: i.location,
    narrative: i.narrative,
    receivedAt: iso(i.receivedAt),
  }
}

/** The dispatch queue, unit recommendations, assignments and the officer's view (issue #6). */
export function dispatchRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/dispatch/board',
    {
      config: { action: 'dispatch:read' },
      schema: {
        tags,
        summary: 'The queue by priority and age, held delayed calls, units, work under way',
        querystring: boardQuery,
      },
    },
    async (req) => {
      const b = await dispatchBoard(deps, req.query.limit)
      return {
        queue: b.queue.map(presentLine),
        queueTotal: b.queueTotal,
        held: b.held.map(presentQueued),
        heldTotal: b.heldTotal,
        units: b.units.map(presentUnit),
        active: b.active.map(presentAssignment),
      }
    },
  )

  r.get(
    '/api/dispatch/recommendations/:id',
    {
      config: { action: 'dispatch:read' },
      schema: {
        tags,
        summary: 'Units best placed to take an incident, with reasons',
        params: idParam,
      },
    },
    async (req) => ({
      units: (await recommendFor(deps, req.params.id)).map((rec) => ({
        unit: presentUnit(rec.unit),
        distanceM: rec.distanceM,
        reasons: rec.reasons,
      })),
    }),
  )

  r.get(
    '/api/incidents/:id/assignments',
    {
      config: { action: 'incident:read' },
      schema: {
        tags,
        summary: 'Units sent to an incident, with every time stamp',
        params: idParam,
      },
    },
    async (req) => ({
      assignments: (await assignmentsOfIncident(deps, req.params.id)).map(presentAssignment),
    }),
  )

  r.post(
    '/api/dispatch/assignments',
    {
      config: { action: 'dispatch:assign' },
      schema: {
        tags,
        summary:
          'Send a unit (refused for a second primary, a duplicate or a referred incident unless a dual-dispatch reason is given)',
        body: assignBody,
      },
    },
    async (req, reply) =>
      reply.code(201).send(presentAssignment(await assign(deps, req.actor, req.body))),
  )

  for (const step of ['en_route', 'on_scene'] as const) {
    r.post(
      `/api/dispatch/assignments/:id/${step.replace('_', '-')}`,
      {
        config: { action: 'assignment:work' },
        schema: { tags, summary: `The unit reports ${step.replace('_', ' ')}`, params: idParam },
      },
      async (req) => presentAssignment(await advance(deps, req.actor, req.params.id, step)),
    )
  }

  r.post(
    '/api/dispatch/assignments/:id/clear',
    {
      config: { action: 'assignment:work' },
      schema: {
        tags,
        summary: 'The unit clears with a disposition',
        params: idParam,
        body: clearBody,
      },
    },
    async (req) =>
      presentAssignment(await clear(deps, req.actor, req.params.id, req.body.disposition)),
  )

  r.post(
    '/api/dispatch/assignments/:id/recall',
    {
      config: { action: 'dispatch:assign' },
      schema: {
        tags,
        summary: 'Take the unit off the call; the call goes back in the queue',
        params: idParam,
        body: recallBody,
      },
    },
    async (req) => presentAssignment(await recall(deps, req.actor, req.params.id, req.body.reason)),
  )

  r.get(
    '/api/dispatch/counts',
    {
      config: { action: 'dispatch:report' },
      schema: {
        tags,
        summary: 'Dispatches, dual dispatches and refused dispatches over a period',
        querystring: periodQuery,
      },
    },
    async (req) => dispatchCounts(deps, req.query.from, req.query.to),
  )

  r.post(
    '/api/units/:id/sign-on',
    {
      config: { action: 'unit:sign_on' },
      schema: {
        tags: ['units'],
        summary: 'Sign an officer on to a unit for the shift',
        params: idParam,
        body: signOnBody,
      },
    },
    async (req) => presentUnit(await signOnToUnit(deps, req.actor, req.params.id, req.body.crew)),
  )

  r.get(
    '/api/my-unit',
    {
      config: { action: 'assignment:work' },
      schema: {
        tags: ['units'],
        summary: "The signed-on officer's unit, its assignment and the call",
      },
    },
    async (req) => {
      const mine = await myUnit(deps, req.actor)
      if (!mine) return { unit: null, assignment: null, incident: null, shiftTime: null }
      return {
        unit: presentUnit(mine.unit),
        shiftTime: mine.shiftTime,
        assignment: mine.assignment ? presentAssignment(mine.assignment) : null,
        incident: mine.incident ? presentCallSummary(mine.incident) : null,
      }
    },
  )
}
