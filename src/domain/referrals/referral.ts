import { type Incident, type IncidentEvent, isOpen } from '../incidents/incident.js'
import { changeStatus } from '../incidents/status-machine.js'
import { ConflictError, ValidationError } from '../shared/errors.js'
import { HOUR, type Instant } from '../shared/instant.js'

/**
 * A referral hands an incident to a city agency or a Neighborhood Service Center. It is only
 * worth something if the agency acknowledges it, finishes it by the call type's due time, and
 * says how it ended, so each of those is a recorded step.
 */
export const REFERRAL_STATUSES = ['sent', 'acknowledged', 'closed'] as const
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]

/** How the agency ended it, in words a caller can be told. */
export const REFERRAL_OUTCOMES = {
  resolved: 'The problem was fixed',
  no_problem_found: 'The agency found no problem at the location',
  scheduled: 'The work is scheduled',
  referred_elsewhere: 'Another agency is responsible and has been told',
  declined: 'The agency cannot act on it',
} as const
export type ReferralOutcome = keyof typeof REFERRAL_OUTCOMES
export const REFERRAL_OUTCOME_CODES = Object.keys(REFERRAL_OUTCOMES) as ReferralOutcome[]

export interface Referral {
  id: string
  incidentId: string
  /** Agency code from the catalogue (NSC for a Neighborhood Service Center). */
  agency: string
  status: ReferralStatus
  sentAt: Instant
  sentBy: string
  /** From the call type's service-level hours. */
  dueAt: Instant
  acknowledgedAt: Instant | null
  acknowledgedBy: string | null
  /** How many times it has been escalated for being overdue (0: never). */
  escalations: number
  lastEscalatedAt: Instant | null
  closedAt: Instant | null
  closedBy: string | null
  outcome: ReferralOutcome | null
  outcomeNote: string | null
  version: number
}

/** When a call type names no service level, an agency has this long. */
export const DEFAULT_REFERRAL_HOURS = 72

/** An overdue referral escalates again if still open this long after the last escalation. */
export const REESCALATE_AFTER_MS = 24 * HOUR

export function sendReferral(input: {
  id: string
  incident: Pick<Incident, 'id'>
  agency: string
  slaHours: number | undefined
  actor: string
  now: Instant
}): Referral {
  return {
    id: input.id,
    incidentId: input.incident.id,
    agency: input.agency,
    status: 'sent',
    sentAt: input.now,
    sentBy: input.actor,
    dueAt: input.now + (input.slaHours ?? DEFAULT_REFERRAL_HOURS) * HOUR,
    acknowledgedAt: null,
    acknowledgedBy: null,
    escalations: 0,
    lastEscalatedAt: null,
    closedAt: null,
    closedBy: null,
    outcome: null,
    outcomeNote: null,
    version: 1,
  }
}

export function acknowledgeReferral(r: Referral, actor: string, now: Instant): Referral {
  if (r.status !== 'sent') {
    throw new ConflictError('referral_not_sent', `the referral is already ${r.status}`)
  }
  return {
    ...r,
    status: 'acknowledged',
    acknowledgedAt: now,
    acknowledgedBy: actor,
    version: r.version + 1,
  }
}

/**
 * Whether an open referral should escalate now: past its due time and never escalated, or
 * still open a day after its last escalation (so a stuck referral keeps surfacing).
 */
export function isEscalationDue(r: Referral, now: Instant): boolean {
  if (r.status === 'closed' || now <= r.dueAt) return false
  return r.lastEscalatedAt === null || now - r.lastEscalatedAt >= REESCALATE_AFTER_MS
}

export function escalateReferral(r: Referral, now: Instant): Referral {
  if (!isEscalationDue(r, now)) {
    throw new ConflictError('referral_not_overdue', 'the referral is not due for escalation')
  }
  return { ...r, escalations: r.escalations + 1, lastEscalatedAt: now, version: r.version + 1 }
}

/**
 * The agency closes the referral with an outcome. The outcome flows back to the incident: when
 * no unit is still working it, the incident closes as referred, and its history says how.
 */
export function closeReferral(
  r: Referral,
  incident: Incident,
  outcome: ReferralOutcome,
  note: string | undefined,
  unitsStillWorking: number,
  actor: string,
  now: Instant,
): { referral: Referral; incident: Incident; event: IncidentEvent } {
  if (r.status === 'closed') {
    throw new ConflictError('referral_closed', 'the referral is already closed')
  }
  const text = note?.trim() || null
  if (outcome === 'declined' && !text) {
    throw new ValidationError([
      { path: 'note', message: 'say why the agency cannot act, so the caller can be told' },
    ])
  }
  const closes = isOpen(incident.status) && unitsStillWorking === 0 && incident.status !== 'new'
  const next = closes
    ? changeStatus(incident, { to: 'closed', disposition: 'referred' }, actor, now).incident
    : { ...incident, updatedAt: now, version: incident.version + 1 }
  return {
    referral: {
      ...r,
      status: 'closed',
      closedAt: now,
      closedBy: actor,
      outcome,
      outcomeNote: text,
      version: r.version + 1,
    },
    incident: next,
    event: {
      incidentId: incident.id,
      at: now,
      actor,
      kind: 'referral_changed',
      data: { agency: r.agency, to: 'closed', outcome, from: incident.status, status: next.status },
      reason: text,
    },
  }
}

/** The history entry for a referral step that does not change the incident's status. */
export function referralEvent(
  r: Referral,
  step: 'sent' | 'acknowledged' | 'escalated',
  actor: string,
  now: Instant,
): IncidentEvent {
  return {
    incidentId: r.incidentId,
    at: now,
    actor,
    kind: 'referral_changed',
    data: {
      agency: r.agency,
      to: step,
      ...(step === 'sent' ? { dueAt: r.dueAt } : {}),
      ...(step === 'escalated' ? { escalations: r.escalations } : {}),
    },
    reason: null,
  }
}
