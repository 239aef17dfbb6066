import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import {
  activateEmergency,
  activationDashboard,
  activationIncidentCount,
  currentActivations,
  deactivateEmergency,
  listActivations,
} from '../../app/emergency/activations.js'
import {
  informationGiven,
  listFacilities,
  nearestFacilities,
  recordFacilityOffered,
  saveFacility,
  setFacilityStatus,
} from '../../app/emergency/facilities.js'
import {
  type ArticleWithVersions,
  approveArticleVersion,
  approvedFor,
  articleView,
  createArticle,
  listArticles,
  recordScriptUsed,
  reviseArticle,
} from '../../app/emergency/knowledge.js'
import {
  activateBody,
  articleBody,
  articleQuery,
  facilityBody,
  facilityOfferedBody,
  facilityQuery,
  idParam,
  listQuery,
  nearestQuery,
  scriptQuery,
  scriptUsedBody,
  statusBody,
  versionBody,
} from '../../contract/emergency-info.js'
import type { Activation } from '../../domain/emergency/activation.js'
import type { Facility } from '../../domain/emergency/facility.js'
import type { KnowledgeVersion } from '../../domain/emergency/knowledge.js'

const tags = ['emergency']
const iso = (t: number) => new Date(t).toISOString()
const isoOrNull = (t: number | null) => (t === null ? null : iso(t))
const ms = (s: string | null | undefined) =>
  s === undefined ? undefined : s === null ? null : Date.parse(s)

const presentActivation = (a: Activation) => ({
  ...a,
  startsAt: iso(a.startsAt),
  endsAt: isoOrNull(a.endsAt),
  activatedAt: iso(a.activatedAt),
  deactivatedAt: isoOrNull(a.deactivatedAt),
})

/** What the residents see of an activation: no staff names, nothing about any caller. */
const publicActivation = (a: Activation) => ({
  id: a.id,
  mode: a.mode,
  title: a.title,
  banner: a.publicBanner,
  area: a.area,
  startsAt: iso(a.startsAt),
  endsAt: isoOrNull(a.endsAt),
})

const presentVersion = (v: KnowledgeVersion) => ({
  ...v,
  createdAt: iso(v.createdAt),
  validFrom: iso(v.validFrom),
  validTo: isoOrNull(v.validTo),
  approvedAt: isoOrNull(v.approvedAt),
})

const presentArticle = (a: ArticleWithVersions) => ({
  ...a.article,
  createdAt: iso(a.article.createdAt),
  versions: a.versions.map(presentVersion),
  current: a.current ? presentVersion(a.current) : null,
})

const presentFacility = (f: Facility) => ({ ...f, updatedAt: iso(f.updatedAt) })

/** Activations, official information and facilities (issue #10 items 1–3). */
export function emergencyInfoRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/activations/current',
    {
      config: { action: 'activation:read' },
      schema: { tags, summary: 'The emergency activations on now (the console ribbon)' },
    },
    async () => ({ activations: (await currentActivations(deps)).map(presentActivation) }),
  )

  r.get(
    '/api/activations',
    {
      config: { action: 'activation:read' },
      schema: {
        tags,
        summary: 'Activations, newest first, with their call counts',
        querystring: listQuery,
      },
    },
    async (req) => {
      const list = await listActivations(deps, req.query.limit)
      return {
        activations: await Promise.all(
          list.map(async (a) => ({
            ...presentActivation(a),
            incidentCount: await activationIncidentCount(deps, a.id),
          })),
        ),
      }
    },
  )

  r.post(
    '/api/activations',
    {
      config: { action: 'activation:manage' },
      schema: {
        tags,
        summary: 'Activate an emergency mode for an area and a period',
        body: activateBody,
      },
    },
    async (req, reply) => {
      const { startsAt, endsAt, ...rest } = req.body
      const a = await activateEmergency(deps, req.actor, {
        ...rest,
        ...(startsAt ? { startsAt: Date.parse(startsAt) } : {}),
        ...(endsAt !== undefined ? { endsAt: ms(endsAt) ?? null } : {}),
      })
      return reply.code(201).send(presentActivation(a))
    },
  )

  r.get(
    '/api/activations/:id/dashboard',
    {
      config: { action: 'activation:read' },
      schema: {
        tags,
        summary:
          "An activation's dashboard: its calls by call type and response, open or closed, and per hour",
        params: idParam,
      },
    },
    async (req) => {
      const d = await activationDashboard(deps, req.params.id)
      return {
        activation: presentActivation(d.activation),
        calls: d.calls,
        byCallType: d.byCallType,
        byMode: d.byMode,
        byHour: d.byHour.map((h) => ({ hour: new Date(h.hour).toISOString(), count: h.count })),
      }
    },
  )

  r.post(
    '/api/activations/:id/deactivate',
    {
      config: { action: 'activation:manage' },
      schema: { tags, summary: 'End an activation now', params: idParam },
    },
    async (req) => presentActivation(await deactivateEmergency(deps, req.actor, req.params.id)),
  )

  r.get(
    '/api/public/activations',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: "The emergencies on now, for the residents' page banner, with their public FAQ",
      },
    },
    async (_req, reply) => {
      const on = await currentActivations(deps)
      const out = await Promise.all(
        on.map(async (a) => ({
          ...publicActivation(a),
          faq: (await approvedFor(deps, { audience: 'public', activationId: a.id })).map(
            ({ article, version }) => ({ title: article.title, body: version.body }),
          ),
        })),
      )
      // Residents reload this page in a storm; a short cache spares the server.
      reply.header('cache-control', 'public, max-age=30')
      return { activations: out }
    },
  )

  r.get(
    '/api/knowledge',
    {
      config: { action: 'knowledge:read' },
      schema: {
        tags,
        summary: 'Articles with every version (the editor)',
        querystring: articleQuery,
      },
    },
    async (req) => ({ articles: (await listArticles(deps, req.query)).map(presentArticle) }),
  )

  r.get(
    '/api/knowledge/script',
    {
      config: { action: 'knowledge:read' },
      schema: {
        tags,
        summary: 'The current approved call-taker script for a call type (the intake panel)',
        querystring: scriptQuery,
      },
    },
    async (req) => ({
      scripts: (
        await approvedFor(deps, {
          callType: req.query.callType.toUpperCase(),
          audience: 'call_takers',
        })
      ).map(({ article, version }) => ({
        articleId: article.id,
        title: article.title,
        versionId: version.id,
        version: version.version,
        body: version.body,
        approvedBy: version.approvedBy,
        approvedAt: isoOrNull(version.approvedAt),
      })),
    }),
  )

  r.get(
    '/api/knowledge/:id',
    {
      config: { action: 'knowledge:read' },
      schema: { tags, summary: 'One article with its versions', params: idParam },
    },
    async (req) => presentArticle(await articleView(deps, req.params.id)),
  )

  r.post(
    '/api/knowledge',
    {
      config: { action: 'knowledge:edit' },
      schema: {
        tags,
        summary: 'Write an article (its first version is a draft)',
        body: articleBody,
      },
    },
    async (req, reply) => {
      const { validFrom, validTo, ...rest } = req.body
      const a = await createArticle(deps, req.actor, {
        ...rest,
        validFrom: ms(validFrom) ?? null,
        validTo: ms(validTo) ?? null,
      })
      return reply.code(201).send(presentArticle(a))
    },
  )

  r.post(
    '/api/knowledge/:id/versions',
    {
      config: { action: 'knowledge:edit' },
      schema: {
        tags,
        summary: 'Write a new version (a draft until approved)',
        params: idParam,
        body: versionBody,
      },
    },
    async (req, reply) => {
      const v = await reviseArticle(deps, req.actor, req.params.id, {
        body: req.body.body,
        validFrom: ms(req.body.validFrom) ?? null,
        validTo: ms(req.body.validTo) ?? null,
      })
      return reply.code(201).send(presentVersion(v))
    },
  )

  r.post(
    '/api/knowledge/versions/:id/approve',
    {
      config: { action: 'knowledge:approve' },
      schema: {
        tags,
        summary: 'Approve a version (someone other than its author)',
        params: idParam,
      },
    },
    async (req) => presentVersion(await approveArticleVersion(deps, req.actor, req.params.id)),
  )

  r.post(
    '/api/incidents/:id/script-used',
    {
      config: { action: 'incident:create' },
      schema: {
        tags,
        summary: 'Record that a script version was read to the caller (traceable answers)',
        params: idParam,
        body: scriptUsedBody,
      },
    },
    async (req, reply) => {
      await recordScriptUsed(deps, req.actor, req.params.id, req.body.versionId)
      return reply.code(204).send()
    },
  )

  r.get(
    '/api/incidents/:id/information-given',
    {
      config: { action: 'incident:read' },
      schema: {
        tags,
        summary: 'What the caller was told: script versions, facilities offered',
        params: idParam,
      },
    },
    async (req) => ({
      given: (await informationGiven(deps, req.params.id)).map((g) => ({ ...g, at: iso(g.at) })),
    }),
  )

  r.get(
    '/api/facilities',
    {
      config: { action: 'facility:read' },
      schema: { tags, summary: 'PODs, shelters and warming centres', querystring: facilityQuery },
    },
    async (req) => ({ facilities: (await listFacilities(deps, req.query)).map(presentFacility) }),
  )

  r.get(
    '/api/facilities/nearest',
    {
      config: { action: 'facility:read' },
      schema: {
        tags,
        summary:
          "The nearest open facilities to the caller's address, with distance and directions",
        querystring: nearestQuery,
      },
    },
    async (req) => {
      const { address, lat, lon, kind, limit } = req.query
      const res = await nearestFacilities(
        deps,
        {
          ...(address ? { address } : {}),
          ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}),
        },
        { ...(kind ? { kind } : {}), limit },
      )
      return {
        from: res.from,
        facilities: res.facilities.map((n) => ({
          ...presentFacility(n.facility),
          distanceMetres: n.distanceMetres,
        })),
      }
    },
  )

  r.post(
    '/api/facilities',
    {
      config: { action: 'facility:manage' },
      schema: {
        tags,
        summary: 'Add a facility (its address is placed on the city map)',
        body: facilityBody,
      },
    },
    async (req, reply) =>
      reply.code(201).send(presentFacility(await saveFacility(deps, req.actor, req.body))),
  )

  r.put(
    '/api/facilities/:id',
    {
      config: { action: 'facility:manage' },
      schema: { tags, summary: 'Change a facility', params: idParam, body: facilityBody },
    },
    async (req) => presentFacility(await saveFacility(deps, req.actor, req.body, req.params.id)),
  )

  r.post(
    '/api/facilities/:id/status',
    {
      config: { action: 'facility:manage' },
      schema: { tags, summary: 'Open, full or closed', params: idParam, body: statusBody },
    },
    async (req) =>
      presentFacility(await setFacilityStatus(deps, req.actor, req.params.id, req.body.status)),
  )

  r.post(
    '/api/incidents/:id/facility-offered',
    {
      config: { action: 'incident:create' },
      schema: {
        tags,
        summary:
          'Record the facility offered and whether the caller can get there (no: a transport callback)',
        params: idParam,
        body: facilityOfferedBody,
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordFacilityOffered(deps, req.actor, req.params.id, req.body)),
  )
}
