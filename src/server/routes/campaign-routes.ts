import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import {
  type CampaignCall,
  campaignDetail,
  closeCampaign,
  createCampaign,
  listCampaigns,
  recordCampaignCall,
  takeNextCall,
} from '../../app/emergency/campaigns.js'
import {
  campaignCallBody,
  campaignEntryParams,
  campaignIdParam,
  campaignListQuery,
  newCampaignBody,
} from '../../contract/campaigns.js'
import type { Campaign, CampaignProgress } from '../../domain/emergency/campaign.js'
import { formatIncidentNumber } from '../../domain/incidents/incident.js'

const iso = (t: number) => new Date(t).toISOString()

function presentCampaign(c: Campaign, progress: CampaignProgress) {
  return {
    id: c.id,
    title: c.title,
    source:
      c.source.kind === 'incidents'
        ? { ...c.source, from: iso(c.source.from), to: iso(c.source.to) }
        : c.source,
    activationId: c.activationId,
    script: c.script,
    outcomes: c.outcomes,
    maxAttempts: c.maxAttempts,
    retryAfterMinutes: c.retryAfterMs / 60_000,
    status: c.status,
    createdBy: c.createdBy,
    createdAt: iso(c.createdAt),
    closedAt: c.closedAt === null ? null : iso(c.closedAt),
    progress,
  }
}

/** The person on the line and what to say: shown only to whoever holds them (audited). */
function presentCall(call: CampaignCall) {
  const p = call.person
  return {
    campaign: presentCampaign(call.campaign, call.progress),
    entry: {
      id: call.entry.id,
      attempts: call.entry.attempts,
      lastOutcome: call.entry.lastOutcome,
      heldUntil: call.entry.claimedUntil === null ? null : iso(call.entry.claimedUntil),
    },
    person:
      p.kind === 'registrant'
        ? {
            kind: p.kind,
            name: p.name,
            phone: p.phone,
            language: p.language,
            address: p.address,
            reverifyBy: iso(p.verification.reverifyBy),
            health: p.health,
          }
        : {
            kind: p.kind,
            name: p.name,
            phone: p.phone,
            incident: {
              ...p.incident,
              number: p.incident.number === null ? null : formatIncidentNumber(p.incident.number),
              receivedAt: iso(p.incident.receivedAt),
            },
          },
    attempts: call.attempts.map((a) => ({
      outcome: a.outcome,
      note: a.note,
      at: iso(a.at),
      by: a.by,
      incidentId: a.incidentId,
    })),
  }
}

/** Outbound campaigns (issue #10 item 6). */
export function campaignRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['campaigns']

  r.get(
    '/api/campaigns',
    {
      config: { action: 'campaign:read' },
      schema: {
        tags,
        summary: 'Campaigns, newest first, with their progress',
        querystring: campaignListQuery,
      },
    },
    async (req) => {
      const rows = await listCampaigns(
        deps,
        req.query.activationId ? { activationId: req.query.activationId } : {},
      )
      return { campaigns: rows.map((x) => presentCampaign(x.campaign, x.progress)) }
    },
  )

  r.post(
    '/api/campaigns',
    {
      config: { action: 'campaign:manage' },
      schema: {
        tags,
        summary:
          'Build a call list from the registry (an activation on now; audited) or from the consenting reporters of some call types in a period',
        body: newCampaignBody,
      },
    },
    async (req, reply) => {
      const b = req.body
      const { campaign, progress } = await createCampaign(deps, req.actor, {
        title: b.title,
        script: b.script,
        source:
          b.source.kind === 'registry'
            ? {
                kind: 'registry',
                ...(b.source.activationId ? { activationId: b.source.activationId } : {}),
              }
            : {
                kind: 'incidents',
                callTypes: b.source.callTypes,
                from: Date.parse(b.source.from),
                to: Date.parse(b.source.to),
                ...(b.source.activationId ? { activationId: b.source.activationId } : {}),
              },
        ...(b.outcomes ? { outcomes: b.outcomes } : {}),
        ...(b.maxAttempts !== undefined ? { maxAttempts: b.maxAttempts } : {}),
        ...(b.retryAfterMinutes !== undefined ? { retryAfterMinutes: b.retryAfterMinutes } : {}),
      })
      return reply.code(201).send(presentCampaign(campaign, progress))
    },
  )

  r.get(
    '/api/campaigns/:id',
    {
      config: { action: 'campaign:read' },
      schema: {
        tags,
        summary: "A campaign and its list's states (no names, numbers or needs)",
        params: campaignIdParam,
      },
    },
    async (req) => {
      const d = await campaignDetail(deps, req.params.id)
      return {
        ...presentCampaign(d.campaign, d.progress),
        entries: d.entries.map((e) => ({ ...e, dueAt: iso(e.dueAt) })),
      }
    },
  )

  r.post(
    '/api/campaigns/:id/next',
    {
      config: { action: 'campaign:work' },
      schema: {
        tags,
        summary:
          'Take the next person to call (or the one you hold) for ten minutes; 204 when nobody is left to call now',
        params: campaignIdParam,
      },
    },
    async (req, reply) => {
      const call = await takeNextCall(deps, req.actor, req.params.id)
      if (!call) return reply.code(204).send()
      return presentCall(call)
    },
  )

  r.post(
    '/api/campaigns/:id/entries/:entryId/calls',
    {
      config: { action: 'campaign:work' },
      schema: {
        tags,
        summary: 'Record the call to the person you hold: one of the campaign outcomes, and a note',
        params: campaignEntryParams,
        body: campaignCallBody,
      },
    },
    async (req, reply) => {
      const result = await recordCampaignCall(
        deps,
        req.actor,
        req.params.id,
        req.params.entryId,
        req.body,
      )
      return reply.code(201).send({
        entry: {
          id: result.entry.id,
          state: result.entry.state,
          attempts: result.entry.attempts,
          lastOutcome: result.entry.lastOutcome,
          dueAt: iso(result.entry.dueAt),
        },
        incidentId: result.incidentId,
        progress: result.progress,
      })
    },
  )

  r.post(
    '/api/campaigns/:id/close',
    {
      config: { action: 'campaign:manage' },
      schema: { tags, summary: 'Close a campaign: no more calls', params: campaignIdParam },
    },
    async (req) => {
      const c = await closeCampaign(deps, req.actor, req.params.id)
      const d = await campaignDetail(deps, c.id)
      return presentCampaign(c, d.progress)
    },
  )
}
