import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../../app/deps.js'
import { createIncident } from '../../app/incidents/create-incident.js'
import {
  addIncidentNote,
  changeIncidentStatus,
  escalateIncident,
  linkContact,
  markIncidentDuplicate,
  overrideIncident,
} from '../../app/incidents/incident-changes.js'
import {
  findDuplicates,
  getIncidentDetail,
  listIncidents,
  previewTriage,
} from '../../app/incidents/incident-queries.js'
import {
  createIncidentBody,
  duplicateOfBody,
  duplicatesQuery,
  escalateBody,
  idempotencyHeaders,
  incidentIdParam,
  incidentListQuery,
  incidentView,
  linkContactBody,
  noteBody,
  overrideBody,
  statusChangeBody,
  triagePreviewBody,
  triageView,
} from '../../contract/incidents.js'
import { commonErrors } from '../../contract/wire.js'
import type { IncidentStatus } from '../../domain/incidents/incident.js'
import type { Idempotency } from '../../store/ports.js'
import {
  presentContact,
  presentDuplicate,
  presentEvent,
  presentIncident,
} from '../presenters/incident-presenter.js'

/** Intake, triage and incident routes of the staff API. Thin: schema → use case → presenter. */
export function incidentRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['intake']

  r.post(
    '/api/triage/preview',
    {
      config: { action: 'triage:preview' },
      schema: {
        tags,
        summary: 'Recommend priority and response mode for a call in progress (saves nothing)',
        body: triagePreviewBody,
        response: {
          200: z.object({ decision: triageView, missingRequired: z.array(z.string()) }),
          ...commonErrors,
        },
      },
    },
    async (req) => previewTriage(deps, req.body),
  )

  r.get(
    '/api/duplicates',
    {
      config: { action: 'incident:create' },
      schema: {
        tags,
        summary:
          'Open incidents that are probably the same problem as a new call, ranked, with reasons',
        querystring: duplicatesQuery,
      },
    },
    async (req) => ({ candidates: (await findDuplicates(deps, req.query)).map(presentDuplicate) }),
  )

  r.post(
    '/api/incidents',
    {
      config: { action: 'incident:create' },
      schema: {
        tags,
        summary: 'Open an incident from a contact: triage, override, 911 transfer package',
        headers: idempotencyHeaders,
        body: createIncidentBody,
        response: { 200: incidentView, 201: incidentView, ...commonErrors },
      },
    },
    async (req, reply) => {
      const body = {
        ...req.body,
        contact: {
          ...req.body.contact,
          receivedAt: req.body.contact.receivedAt ?? deps.clock.now(),
        },
      }
      const { incident, replayed, placement } = await createIncident(
        deps,
        req.actor,
        body,
        idempotency(req.headers['idempotency-key'], req.body),
      )
      if (replayed) reply.header('idempotent-replayed', 'true')
      return reply
        .code(replayed ? 200 : 201)
        .send({ ...presentIncident(incident, req.actor), ...(placement ? { placement } : {}) })
    },
  )

  r.get(
    '/api/incidents',
    {
      config: { action: 'incident:read' },
      schema: { tags, summary: 'List incidents, newest first', querystring: incidentListQuery },
    },
    async (req) => {
      const q = req.query
      const incidents = await listIncidents(deps, {
        limit: q.limit,
        ...(q.status ? { status: q.status.split(',') as IncidentStatus[] } : {}),
        ...(q.callType ? { callType: q.callType } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.from !== undefined ? { receivedFrom: q.from } : {}),
        ...(q.to !== undefined ? { receivedTo: q.to } : {}),
        ...(q.idempotencyKey ? { idempotencyKey: q.idempotencyKey } : {}),
        ...(q.q ? { text: q.q } : {}),
        ...(q.block ? { block: q.block } : {}),
        ...(q.district ? { policeDistrict: q.district } : {}),
        ...(q.neighborhood ? { neighborhood: q.neighborhood } : {}),
        ...(q.before !== undefined ? { beforeNumber: q.before } : {}),
      })
      return { incidents: incidents.map((i) => presentIncident(i, req.actor)) }
    },
  )

  r.get(
    '/api/incidents/:id',
    {
      config: { action: 'incident:read' },
      schema: {
        tags,
        summary: 'One incident with its contacts and history',
        params: incidentIdParam,
      },
    },
    async (req) => {
      const d = await getIncidentDetail(deps, req.actor, req.params.id)
      return {
        incident: presentIncident(d.incident, req.actor),
        contacts: d.contacts.map((c, i) => presentContact(c, d.callers ? d.callers[i] : undefined)),
        events: d.events.map(presentEvent),
        transferPackage: d.eido,
        activation: d.activation,
      }
    },
  )

  r.get(
    '/api/incidents/:id/events',
    {
      config: { action: 'incident:read' },
      schema: { tags, summary: "The incident's append-only history", params: incidentIdParam },
    },
    async (req) => ({
      events: (await getIncidentDetail(deps, req.actor, req.params.id)).events.map(presentEvent),
    }),
  )

  r.post(
    '/api/incidents/:id/contacts',
    {
      config: { action: 'incident:create' },
      schema: {
        tags,
        summary:
          'Link another caller to an open incident (a duplicate call): no new incident, no new dispatch',
        params: incidentIdParam,
        headers: idempotencyHeaders,
        body: linkContactBody,
      },
    },
    async (req, reply) => {
      const contact = {
        ...req.body.contact,
        receivedAt: req.body.contact.receivedAt ?? deps.clock.now(),
      }
      const out = await linkContact(
        deps,
        req.actor,
        req.params.id,
        contact,
        idempotency(req.headers['idempotency-key'], req.body),
      )
      return reply
        .code(out.replayed ? 200 : 201)
        .send({ contact: presentContact(out.contact, undefined) })
    },
  )

  r.post(
    '/api/incidents/:id/override',
    {
      config: { action: 'incident:update' },
      schema: {
        tags,
        summary: 'Override the response, with a reason',
        params: incidentIdParam,
        body: overrideBody,
      },
    },
    async (req) => {
      const { expectedVersion, ...override } = req.body
      return presentIncident(
        await overrideIncident(deps, req.actor, req.params.id, override, expectedVersion),
        req.actor,
      )
    },
  )

  r.post(
    '/api/incidents/:id/status',
    {
      config: { action: 'incident:update' },
      schema: {
        tags,
        summary: 'Move the incident to another status',
        params: incidentIdParam,
        body: statusChangeBody,
      },
    },
    async (req) => {
      const { status, disposition, reason, expectedVersion } = req.body
      const change = {
        to: status,
        ...(disposition ? { disposition } : {}),
        ...(reason ? { reason } : {}),
      }
      return presentIncident(
        await changeIncidentStatus(deps, req.actor, req.params.id, change, expectedVersion),
        req.actor,
      )
    },
  )

  r.post(
    '/api/incidents/:id/escalate',
    {
      config: { action: 'incident:escalate' },
      schema: {
        tags,
        summary: 'Transfer to 911: returns the EIDO-shaped transfer package',
        params: incidentIdParam,
        body: escalateBody,
      },
    },
    async (req) => {
      const { incident } = await escalateIncident(deps, req.actor, req.params.id, req.body)
      // Read back through the detail query so the callback appears only for permitted roles.
      const d = await getIncidentDetail(deps, req.actor, incident.id)
      return { incident: presentIncident(d.incident, req.actor), transferPackage: d.eido }
    },
  )

  r.post(
    '/api/incidents/:id/duplicate-of',
    {
      config: { action: 'incident:update' },
      schema: {
        tags,
        summary: 'Close this incident as a duplicate of an open one (APCO disposition 22)',
        params: incidentIdParam,
        body: duplicateOfBody,
      },
    },
    async (req) =>
      presentIncident(
        await markIncidentDuplicate(
          deps,
          req.actor,
          req.params.id,
          req.body.parentId,
          req.body.reason,
        ),
        req.actor,
      ),
  )

  r.post(
    '/api/incidents/:id/notes',
    {
      config: { action: 'incident:update' },
      schema: {
        tags,
        summary: "Add a note to the incident's history",
        params: incidentIdParam,
        body: noteBody,
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          presentIncident(
            await addIncidentNote(deps, req.actor, req.params.id, req.body.text),
            req.actor,
          ),
        ),
  )
}

/** A retry must carry the same key and the same body; the hash tells a changed body apart. */
function idempotency(key: string | undefined, body: unknown): Idempotency | null {
  if (!key) return null
  return { key, hash: createHash('sha256').update(JSON.stringify(body)).digest('base64url') }
}
