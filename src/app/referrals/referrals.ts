import { authorizeScope, SCOPES } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import { type Incident, isOpen } from '../../domain/incidents/incident.js'
import {
  acknowledgeReferral,
  closeReferral,
  escalateReferral,
  isEscalationDue,
  REFERRAL_OUTCOMES,
  type Referral,
  type ReferralOutcome,
  type ReferralStatus,
  referralEvent,
  sendReferral,
} from '../../domain/referrals/referral.js'
import { ConflictError, found, ValidationError } from '../../domain/shared/errors.js'
import type { AppDeps } from '../deps.js'
import { notifyClosure } from '../follow-up/follow-up.js'
import { publishIncident } from '../live/publish-incident.js'

/** A referral with the incident summary a partner needs to act (never the caller). */
export interface ReferralView {
  referral: Referral
  incident: Incident
  overdue: boolean
}

/** Refers an open incident to an agency or Neighborhood Service Center. */
export async function referIncident(
  deps: AppDeps,
  actor: Actor,
  incidentId: string,
  agency: string,
): Promise<Referral> {
  const incident = found(await deps.store.incidents.get(incidentId), 'incident', incidentId)
  const snap = await deps.catalogue.snapshot()
  if (!snap.agencyCodes.has(agency)) {
    throw new ValidationError([
      { path: 'agency', message: `'${agency}' is not an agency in the catalogue` },
    ])
  }
  if (!isOpen(incident.status)) {
    throw new ConflictError(
      'incident_not_open',
      `the incident is ${incident.status}; reopen it before referring it`,
    )
  }
  const callType = await deps.catalogue.callType(incident.callType)
  const now = deps.clock.now()
  const referral = sendReferral({
    id: deps.ids.next(),
    incident,
    agency,
    slaHours: callType.slaHours,
    actor: actor.id,
    now,
  })
  await deps.store.referrals.save(
    referral,
    null,
    referralEvent(referral, 'sent', actor.id, now),
    null,
  )
  publishReferral(deps, referral)
  return referral
}

export async function acknowledge(deps: AppDeps, actor: Actor, id: string): Promise<Referral> {
  const r = await mustGetReferral(deps, actor, id)
  const now = deps.clock.now()
  const next = acknowledgeReferral(r, actor.id, now)
  await deps.store.referrals.save(
    next,
    r.version,
    referralEvent(next, 'acknowledged', actor.id, now),
    null,
  )
  publishReferral(deps, next)
  return next
}

/**
 * The partner closes the referral with its outcome, which flows back to the incident (closed as
 * referred when no unit is still on it) and, through follow-up, to a caller who asked to hear.
 */
export async function closeWithOutcome(
  deps: AppDeps,
  actor: Actor,
  id: string,
  outcome: ReferralOutcome,
  note: string | undefined,
): Promise<{ referral: Referral; incident: Incident }> {
  const r = await mustGetReferral(deps, actor, id)
  const incident = found(await deps.store.incidents.get(r.incidentId), 'incident', r.incidentId)
  const working = (await deps.store.dispatch.assignmentsOf(r.incidentId)).filter(
    (a) => a.active,
  ).length
  const now = deps.clock.now()
  const closed = closeReferral(r, incident, outcome, note, working, actor.id, now)
  await deps.store.referrals.save(closed.referral, r.version, closed.event, {
    incident: closed.incident,
    expectedVersion: incident.version,
  })
  publishReferral(deps, closed.referral)
  publishIncident(deps, closed.incident)
  if (closed.incident.status === 'closed' && incident.status !== 'closed') {
    const note = closed.referral.outcomeNote ? ` (${closed.referral.outcomeNote})` : ''
    await notifyClosure(deps, closed.incident, `${REFERRAL_OUTCOMES[outcome]}${note}`)
  }
  return { referral: closed.referral, incident: closed.incident }
}

/**
 * Escalates every open referral past its due time (and again each day it stays open). Runs on
 * a timer and on demand; each escalation is in the incident's history and on the live feed.
 */
export async function escalateOverdue(deps: AppDeps, actor: Actor): Promise<Referral[]> {
  const now = deps.clock.now()
  const due = (await deps.store.referrals.pastDue(now)).filter((r) => isEscalationDue(r, now))
  const escalated: Referral[] = []
  for (const r of due) {
    const next = escalateReferral(r, now)
    try {
      await deps.store.referrals.save(
        next,
        r.version,
        referralEvent(next, 'escalated', actor.id, now),
        null,
      )
    } catch (err) {
      // Closed or acknowledged meanwhile: the next sweep sees it as it now is.
      if (err instanceof ConflictError) continue
      throw err
    }
    escalated.push(next)
    publishReferral(deps, next)
  }
  if (escalated.length > 0)
    deps.log.warn({ count: escalated.length }, 'overdue referrals escalated')
  return escalated
}

export interface ReferralQuery {
  agency?: string
  status?: ReferralStatus[]
  overdue?: boolean
  limit: number
}

/** Referrals the actor may see: a partner's own agency's only, whatever they ask for. */
export async function listReferrals(
  deps: AppDeps,
  actor: Actor,
  q: ReferralQuery,
): Promise<ReferralView[]> {
  const now = deps.clock.now()
  const referrals = await deps.store.referrals.list({
    ...(q.agency ? { agency: q.agency } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.overdue ? { overdueAt: now } : {}),
    // Read past what a partner may see, so their page is still full after the scope filter.
    limit: q.limit * 4,
  })
  const mine = referrals.filter((r) => SCOPES.referral(actor, r)).slice(0, q.limit)
  const incidents = await Promise.all(mine.map((r) => deps.store.incidents.get(r.incidentId)))
  return mine.flatMap((referral, i) => {
    const incident = incidents[i]
    return incident
      ? [{ referral, incident, overdue: referral.status !== 'closed' && referral.dueAt < now }]
      : []
  })
}

export async function referralWithIncident(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<ReferralView> {
  const referral = await mustGetReferral(deps, actor, id)
  const incident = found(
    await deps.store.incidents.get(referral.incidentId),
    'incident',
    referral.incidentId,
  )
  return {
    referral,
    incident,
    overdue: referral.status !== 'closed' && referral.dueAt < deps.clock.now(),
  }
}

function publishReferral(deps: AppDeps, r: Referral): void {
  deps.live.publish({
    type: 'referral',
    data: {
      id: r.id,
      incidentId: r.incidentId,
      agency: r.agency,
      status: r.status,
      dueAt: new Date(r.dueAt).toISOString(),
      escalations: r.escalations,
    },
    visibleTo: (actor) => SCOPES.referral(actor, r),
  })
}

async function mustGetReferral(deps: AppDeps, actor: Actor, id: string): Promise<Referral> {
  const r = found(await deps.store.referrals.referral(id), 'referral', id)
  authorizeScope(actor, 'referral', r)
  return r
}
