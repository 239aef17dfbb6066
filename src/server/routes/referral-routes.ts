import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import {
  acknowledge,
  closeWithOutcome,
  escalateOverdue,
  listReferrals,
  type ReferralView,
  referIncident,
  referralWithIncident,
} from '../../app/referrals/referrals.js'
import { closeReferralBody, idParam, referBody, referralQuery } from '../../contract/dispatch.js'
import { formatIncidentNumber } from '../../domain/incidents/incident.js'
import { REFERRAL_OUTCOMES, type Referral } from '../../domain/referrals/referral.js'

const tags = ['referrals']
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

function presentReferral(r: Referral) {
  return {
    ...r,
    sentAt: iso(r.sentAt),
    dueAt: iso(r.dueAt),
    acknowledgedAt: iso(r.acknowledgedAt),
    lastEscalatedAt: iso(r.lastEscalatedAt),
    closedAt: iso(r.closedAt),
    outcomeText: r.outcome ? REFERRAL_OUTCOMES[r.outcome] : null,
  }
}

/** A partner sees what to do and where, never who called. */
function presentView(v: ReferralView) {
  const i = v.incident
  return {
    ...presentReferral(v.referral),
    overdue: v.overdue,
    incident: {
      id: i.id,
      number: formatIncidentNumber(i.number),
      callType: i.callType,
      priority: i.priority,
      status: i.status,
      disposition: i.disposition,
      location: i.location,
      narrative: i.narrative,
      receivedAt: iso(i.receivedAt),
    },
  }
}

/** Referrals to agencies and Neighborhood Service Centers (issue #6). */
export function referralRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/referrals',
    {
      config: { action: 'referral:read' },
      schema: {
        tags,
        summary: 'Referrals by due time (a partner sees only its own agency)',
        querystring: referralQuery,
      },
    },
    async (req) => {
      const { agency, status, overdue, limit } = req.query
      const views = await listReferrals(deps, req.actor, {
        ...(agency ? { agency } : {}),
        ...(status ? { status } : {}),
        overdue: overdue === 'true',
        limit,
      })
      return { referrals: views.map(presentView) }
    },
  )

  r.get(
    '/api/referrals/:id',
    {
      config: { action: 'referral:read' },
      schema: { tags, summary: 'One referral with its incident', params: idParam },
    },
    async (req) => presentView(await referralWithIncident(deps, req.actor, req.params.id)),
  )

  r.post(
    '/api/incidents/:id/referrals',
    {
      config: { action: 'referral:send' },
      schema: {
        tags,
        summary: 'Refer an open incident to an agency or NSC',
        params: idParam,
        body: referBody,
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          presentReferral(await referIncident(deps, req.actor, req.params.id, req.body.agency)),
        ),
  )

  r.post(
    '/api/referrals/:id/acknowledge',
    {
      config: { action: 'referral:work' },
      schema: { tags, summary: 'The partner acknowledges the referral', params: idParam },
    },
    async (req) => presentReferral(await acknowledge(deps, req.actor, req.params.id)),
  )

  r.post(
    '/api/referrals/:id/close',
    {
      config: { action: 'referral:work' },
      schema: {
        tags,
        summary: 'Close with an outcome; it flows back to the incident and the caller',
        params: idParam,
        body: closeReferralBody,
      },
    },
    async (req) => {
      const done = await closeWithOutcome(
        deps,
        req.actor,
        req.params.id,
        req.body.outcome,
        req.body.note,
      )
      return presentReferral(done.referral)
    },
  )

  r.post(
    '/api/referrals/escalations',
    {
      config: { action: 'referral:escalate' },
      schema: { tags, summary: 'Escalate every overdue referral now' },
    },
    async (req) => ({ escalated: (await escalateOverdue(deps, req.actor)).map(presentReferral) }),
  )
}
