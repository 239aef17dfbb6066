import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import {
  enrolRegistrant,
  listRegistrants,
  recordWellnessCall,
  registrantsOnIncident,
  updateRegistrant,
  wellnessList,
} from '../../app/emergency/registry.js'
import type { QueuedRequest } from '../../app/emergency/snow.js'
import {
  addCriticalPlace,
  listCriticalPlaces,
  setPlowState,
  snowQueues,
  snowSegment,
  snowSegments,
} from '../../app/emergency/snow.js'
import {
  criticalPlaceBody,
  enrolBody,
  plowStateBody,
  registrantIdParam,
  segmentIdParam,
  snowSegmentsQuery,
  updateRegistrantBody,
  wellnessCallBody,
  wellnessQuery,
} from '../../contract/registry.js'
import { can } from '../../domain/access/policies.js'
import {
  type HealthDetails,
  type Registrant,
  verificationState,
} from '../../domain/emergency/registry.js'
import { formatIncidentNumber } from '../../domain/incidents/incident.js'
import type { WellnessCall } from '../../store/ports.js'

const iso = (t: number) => new Date(t).toISOString()

/** Who, where, consent and re-verification: what the registry's managers see. Never health. */
function presentRegistrant(r: Registrant, now: number) {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    language: r.language,
    address: r.address,
    consent: { ...r.consent, givenAt: iso(r.consent.givenAt) },
    verifiedAt: iso(r.verifiedAt),
    reverifyBy: iso(r.reverifyBy),
    verification: verificationState(r, now),
    version: r.version,
  }
}

const presentHealth = (h: HealthDetails) => ({
  needs: h.needs,
  contacts: h.contacts,
  notes: h.notes,
})

const presentCall = (c: WellnessCall) => ({ ...c, at: iso(c.at) })

/** A queued snow request: what, where, since when; never the caller. */
function presentQueued(q: QueuedRequest) {
  const i = q.incident
  return {
    incident: {
      id: i.id,
      number: formatIncidentNumber(i.number),
      callType: i.callType,
      status: i.status,
      location: i.location ? { text: i.location.text, block: i.location.block } : null,
      receivedAt: iso(i.receivedAt),
    },
    segment: q.segment,
  }
}

/** The special-needs registry and snow operations (issue #10 items 4, 5). */
export function registryRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const registry = ['registry']
  const snow = ['snow']

  r.get(
    '/api/registry/registrants',
    {
      config: { action: 'registry:manage' },
      schema: {
        tags: registry,
        summary: 'Registrants with consent and re-verification state (never health details)',
      },
    },
    async () => {
      const now = deps.clock.now()
      const rows = await listRegistrants(deps)
      return {
        registrants: rows.map((x) => presentRegistrant(x.registrant, now)),
        expired: rows.filter((x) => x.verification === 'expired').length,
      }
    },
  )

  r.post(
    '/api/registry/registrants',
    {
      config: { action: 'registry:manage' },
      schema: {
        tags: registry,
        summary: 'Enrol a registrant: consent, address (geocoded), needs, emergency contacts',
        body: enrolBody,
      },
    },
    async (req, reply) => {
      const b = req.body
      const created = await enrolRegistrant(deps, req.actor, {
        name: b.name,
        phone: b.phone,
        language: b.language,
        address: b.address,
        consent: { ...b.consent, givenAt: Date.parse(b.consent.givenAt) },
        health: b.health,
        ...(b.reverifyMonths !== undefined ? { reverifyMonths: b.reverifyMonths } : {}),
      })
      return reply.code(201).send(presentRegistrant(created, deps.clock.now()))
    },
  )

  r.patch(
    '/api/registry/registrants/:id',
    {
      config: { action: 'registry:manage' },
      schema: {
        tags: registry,
        summary: 'Change a registrant, replace their needs and contacts, or record re-verification',
        params: registrantIdParam,
        body: updateRegistrantBody,
      },
    },
    async (req) => {
      const { health, ...rest } = req.body
      const input = Object.fromEntries(
        Object.entries(rest).filter(([, v]) => v !== undefined),
      ) as typeof rest
      const updated = await updateRegistrant(deps, req.actor, req.params.id, {
        ...input,
        expectedVersion: req.body.expectedVersion,
        ...(health ? { health } : {}),
      })
      return presentRegistrant(updated, deps.clock.now())
    },
  )

  r.get(
    '/api/registry/wellness',
    {
      config: { action: 'registry:health' },
      schema: {
        tags: registry,
        summary:
          'The wellness-call list of an activation: registrants in its area, life-sustaining needs first (refused outside an activation; every read audited)',
        querystring: wellnessQuery,
      },
    },
    async (req) => {
      const { activation, rows } = await wellnessList(deps, req.actor, req.query.activationId)
      const now = deps.clock.now()
      return {
        activation: { id: activation.id, mode: activation.mode, title: activation.title },
        registrants: rows.map((x) => ({
          ...presentRegistrant(x.registrant, now),
          health: presentHealth(x.health),
          attempts: x.attempts,
          lastOutcome: x.lastOutcome,
          next: x.next,
        })),
      }
    },
  )

  r.post(
    '/api/registry/registrants/:id/wellness-calls',
    {
      config: { action: 'registry:health' },
      schema: {
        tags: registry,
        summary:
          'Record a wellness call: reached_fine, needs_help (opens a welfare check) or not_reached (the third opens a welfare check)',
        params: registrantIdParam,
        body: wellnessCallBody,
      },
    },
    async (req, reply) => {
      const { activationId, outcome, incidentId } = req.body
      const call = await recordWellnessCall(deps, req.actor, req.params.id, {
        activationId,
        outcome,
        ...(incidentId ? { incidentId } : {}),
      })
      return reply.code(201).send(presentCall(call))
    },
  )

  r.get(
    '/api/incidents/:id/registrants',
    {
      config: { action: 'incident:read' },
      schema: {
        tags: registry,
        summary:
          "Registrants living at the incident's location: health details for the roles that need them (audited), otherwise only how many",
        params: registrantIdParam,
      },
    },
    async (req) => {
      const v = await registrantsOnIncident(
        deps,
        req.actor,
        req.params.id,
        can(req.actor, 'registry:health'),
      )
      const now = deps.clock.now()
      return {
        count: v.count,
        activationId: v.activationId,
        healthShown: v.registrants !== null,
        registrants: (v.registrants ?? []).map((x) => ({
          ...presentRegistrant(x.registrant, now),
          health: presentHealth(x.health),
        })),
      }
    },
  )

  r.get(
    '/api/snow/segments',
    {
      config: { action: 'snow:read' },
      schema: {
        tags: snow,
        summary: 'Street segments in a box with plow priority and state (GeoJSON, the map layer)',
        querystring: snowSegmentsQuery,
      },
    },
    async (req) => {
      const box = req.query.bbox.split(',').map(Number) as [number, number, number, number]
      return snowSegments(deps, box)
    },
  )

  r.get(
    '/api/snow/segments/:segmentId',
    {
      config: { action: 'snow:read' },
      schema: {
        tags: snow,
        summary: "One segment's plow priority, why it was raised, and its state",
        params: segmentIdParam,
      },
    },
    async (req) => snowSegment(deps, req.params.segmentId),
  )

  r.put(
    '/api/snow/segments/:segmentId/state',
    {
      config: { action: 'snow:manage' },
      schema: {
        tags: snow,
        summary: 'Record a segment as not started, in progress or plowed',
        params: segmentIdParam,
        body: plowStateBody,
      },
    },
    async (req, reply) => {
      await setPlowState(deps, req.actor, req.params.segmentId, req.body.state)
      return reply.code(204).send()
    },
  )

  r.get(
    '/api/snow/queues',
    {
      config: { action: 'snow:read' },
      schema: {
        tags: snow,
        summary: 'The plow queue, the tow queue (apart), and related hazards clustered by crew',
      },
    },
    async () => {
      const q = await snowQueues(deps)
      return {
        since: iso(q.since),
        plow: q.plow.map(presentQueued),
        tow: q.tow.map(presentQueued),
        hazards: q.hazards,
      }
    },
  )

  r.get(
    '/api/snow/critical-places',
    {
      config: { action: 'snow:read' },
      schema: {
        tags: snow,
        summary: 'Hospitals, dialysis centres and other places whose streets are plowed first',
      },
    },
    async () => ({ places: await listCriticalPlaces(deps) }),
  )

  r.post(
    '/api/snow/critical-places',
    {
      config: { action: 'snow:manage' },
      schema: {
        tags: snow,
        summary: 'Add a hospital or dialysis centre whose streets are plowed first',
        body: criticalPlaceBody,
      },
    },
    async (req, reply) => reply.code(201).send(await addCriticalPlace(deps, req.actor, req.body)),
  )
}
