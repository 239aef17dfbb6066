import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { importCatalogueText } from '../../app/catalogue/import-catalogue.js'
import { saveCallType } from '../../app/catalogue/save-call-type.js'
import type { AppDeps } from '../../app/deps.js'
import { offeredNow } from '../../app/emergency/activations.js'
import {
  callTypeCodeParam,
  callTypeListQuery,
  callTypeSummary,
  saveCallTypeBody,
} from '../../contract/catalogue.js'
import { commonErrors } from '../../contract/wire.js'
import { NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { presentCallTypeSummary } from '../presenters/incident-presenter.js'

/** The call-type catalogue: read by everyone on staff, edited by supervisors, every change kept. */
export function catalogueRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['catalogue']

  r.get(
    '/api/catalogue',
    {
      config: { action: 'catalogue:read' },
      schema: { tags, summary: 'Catalogue version, priority scheme and screening questions' },
    },
    async () => {
      const s = await deps.catalogue.snapshot()
      return {
        version: s.version,
        priorityLevels: s.priorityLevels,
        screening: s.screening,
        callTypes: s.callTypes.size,
      }
    },
  )

  r.get(
    '/api/call-types',
    {
      config: { action: 'catalogue:read' },
      schema: {
        tags,
        summary: 'Call types, filtered by group or text',
        querystring: callTypeListQuery,
        response: { 200: z.object({ callTypes: z.array(callTypeSummary) }), ...commonErrors },
      },
    },
    async (req) => {
      const all = await deps.store.catalogue.listCallTypes({
        includeInactive: req.query.includeInactive === 'true',
      })
      const q = req.query.q?.toLowerCase()
      const matches = all.filter(
        (c) =>
          (!req.query.group || c.group === req.query.group) &&
          (!q ||
            c.code.toLowerCase().includes(q) ||
            c.name.toLowerCase().includes(q) ||
            c.synonyms.some((s) => s.toLowerCase().includes(q))),
      )
      // An emergency's call types are offered only while it is on; the editor sees them all.
      const offered =
        req.query.includeInactive === 'true' ? matches : await offeredNow(deps, matches)
      return { callTypes: offered.map(presentCallTypeSummary) }
    },
  )

  r.get(
    '/api/call-types/:code',
    {
      config: { action: 'catalogue:read' },
      schema: { tags, summary: 'One call type with its whole protocol', params: callTypeCodeParam },
    },
    async (req) => {
      const ct = await deps.store.catalogue.getCallType(req.params.code)
      if (!ct) throw new NotFoundError('call type', req.params.code)
      return ct
    },
  )

  r.get(
    '/api/call-types/:code/changes',
    {
      config: { action: 'catalogue:read' },
      schema: { tags, summary: 'Every recorded change to a call type', params: callTypeCodeParam },
    },
    async (req) => {
      if (!(await deps.store.catalogue.getCallType(req.params.code)))
        throw new NotFoundError('call type', req.params.code)
      const changes = await deps.store.catalogue.callTypeChanges(req.params.code)
      return { changes: changes.map((c) => ({ ...c, at: new Date(c.at).toISOString() })) }
    },
  )

  r.post(
    '/api/call-types',
    {
      config: { action: 'catalogue:edit' },
      schema: { tags, summary: 'Add a call type', body: saveCallTypeBody },
    },
    async (req, reply) => {
      const saved = await saveCallType(deps, req.actor, { ...req.body, expectedRevision: null })
      return reply.code(201).send(saved)
    },
  )

  r.put(
    '/api/call-types/:code',
    {
      config: { action: 'catalogue:edit' },
      schema: {
        tags,
        summary: 'Edit a call type (give the revision you edited)',
        params: callTypeCodeParam,
        body: saveCallTypeBody,
      },
    },
    async (req) => {
      if (req.body.definition.code !== req.params.code) {
        throw new ValidationError([
          { path: 'body.definition.code', message: `must be '${req.params.code}', as in the URL` },
        ])
      }
      if (req.body.expectedRevision === undefined) {
        throw new ValidationError([
          { path: 'body.expectedRevision', message: 'give the revision you edited' },
        ])
      }
      return saveCallType(deps, req.actor, {
        ...req.body,
        expectedRevision: req.body.expectedRevision,
      })
    },
  )

  r.post(
    '/api/catalogue/import',
    {
      config: { action: 'catalogue:edit' },
      schema: {
        tags,
        summary: 'Import a catalogue file (YAML or JSON text); idempotent',
        body: z.string().min(1).max(5_000_000),
      },
    },
    async (req) => importCatalogueText(deps, req.actor, req.body, 'api upload'),
  )

  r.get(
    '/api/agencies',
    {
      config: { action: 'catalogue:read' },
      schema: { tags, summary: 'Referral targets: agencies, Neighborhood Service Centers' },
    },
    async () => ({ agencies: (await deps.catalogue.snapshot()).agencies }),
  )

  r.get(
    '/api/mappings/:source',
    {
      config: { action: 'catalogue:read' },
      schema: {
        tags,
        summary: "An outside system's call-type codes mapped to ours",
        params: z.object({ source: z.string().max(40) }),
      },
    },
    async (req) => ({ mappings: await deps.store.catalogue.mapping(req.params.source) }),
  )
}
