import type { Actor, Role } from '../access/roles.js'
import { DomainError, ForbiddenError, ValidationError } from '../shared/errors.js'
import type { LatLon } from '../shared/geo.js'
import { DAY, type Instant } from '../shared/instant.js'

/**
 * The special-needs registry (issue #10 item 4; research §5.1): residents who asked, in
 * writing or on the phone, to be checked on in an emergency. Who they are and where they live
 * sit in `Registrant`; what they need and whom to call sit apart in `HealthDetails`, which is
 * read only through `mayReadHealth` and every read is audited by the use case.
 */

/** Needs in the order they are called on in an emergency: life-sustaining equipment first. */
export const NEEDS = [
  'power_dependent_equipment',
  'oxygen',
  'dialysis',
  'mobility',
  'shut_in',
  'cognitive',
] as const
export type Need = (typeof NEEDS)[number]

/** Needs that make a registrant's street a critical-need location for the plows (§5.3). */
export const CRITICAL_NEEDS: readonly Need[] = ['oxygen', 'dialysis', 'power_dependent_equipment']

/** How the resident gave consent; kept with who recorded it and when (STEAR, St. Louis). */
export const CONSENT_METHODS = ['signed_form', 'phone', 'online', 'in_person'] as const
export type ConsentMethod = (typeof CONSENT_METHODS)[number]

/** Registrants re-confirm once a year (STEAR's annual re-registration) unless set otherwise. */
export const DEFAULT_REVERIFY_MONTHS = 12

export interface Consent {
  /** Who agreed: the resident, or a guardian or caregiver speaking for them. */
  givenBy: string
  givenAt: Instant
  method: ConsentMethod
  recordedBy: string
}

export interface RegistrantAddress {
  text: string
  lat: number | null
  lon: number | null
  block: string | null
  segmentId: string | null
  /** Areas as locate() found them: an activation covers a district or a neighborhood. */
  policeDistrict: string | null
  neighborhood: string | null
}

/** Who and where: what a wellness call needs to dial and what the plows need to place. */
export interface Registrant {
  id: string
  name: string
  phone: string
  language: string
  address: RegistrantAddress
  consent: Consent
  /** When the details were last confirmed with the resident. */
  verifiedAt: Instant
  reverifyBy: Instant
  createdAt: Instant
  updatedAt: Instant
  version: number
}

export interface EmergencyContact {
  name: string
  phone: string
  relationship: string
}

/** The health half: read only by `mayReadHealth`, never logged, never exported. */
export interface HealthDetails {
  needs: Need[]
  contacts: EmergencyContact[]
  notes: string
}

/** Adds whole months in UTC (a re-verification date need not be exact to the hour). */
export function addMonths(at: Instant, months: number): Instant {
  const d = new Date(at)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.getTime()
}

/** Expired entries stay in the registry, flagged, until someone re-confirms them. */
export function verificationState(
  r: Pick<Registrant, 'reverifyBy'>,
  now: Instant,
): 'current' | 'due_soon' | 'expired' {
  if (now >= r.reverifyBy) return 'expired'
  if (r.reverifyBy - now <= 30 * DAY) return 'due_soon'
  return 'current'
}

/** Checks an enrolment's health half; the problems name each field. */
export function checkHealth(h: HealthDetails): HealthDetails {
  const problems: Array<{ path: string; message: string }> = []
  if (h.needs.length === 0)
    problems.push({ path: 'needs', message: 'name at least one need (oxygen, dialysis, …)' })
  for (const [i, c] of h.contacts.entries()) {
    if (!c.name.trim()) problems.push({ path: `contacts.${i}.name`, message: 'name is required' })
    if (!/\d{3}/.test(c.phone))
      problems.push({ path: `contacts.${i}.phone`, message: 'a phone number is required' })
  }
  if (problems.length) throw new ValidationError(problems)
  return { ...h, needs: [...new Set(h.needs)].sort((a, b) => needRank(a) - needRank(b)) }
}

export function needRank(n: Need): number {
  return NEEDS.indexOf(n)
}

/** The most urgent need a registrant has (lower is called first); no needs go last. */
export function urgency(needs: readonly Need[]): number {
  return needs.length ? Math.min(...needs.map(needRank)) : NEEDS.length
}

/** Whether a registrant's street is a critical-need location for snow operations. */
export function isCriticalNeed(needs: readonly Need[]): boolean {
  return needs.some((n) => CRITICAL_NEEDS.includes(n))
}

/** Roles that may ever read health details: the emergency manager, and intake on a call. */
export const HEALTH_ROLES: readonly Role[] = ['emergency_manager', 'call_taker', 'supervisor']

/** Why a read of health details is allowed now: an activation covering them, or their incident. */
export type HealthReason =
  | { kind: 'activation'; activationId: string }
  | { kind: 'own_incident'; incidentId: string }

/**
 * The rule for health details (research §5.1: "door list only during a declared event and only
 * to roles with need-to-know"): the role must be one that needs them, AND there must be an
 * activation covering the registrant or an incident of the registrant's own on screen.
 * Throws ForbiddenError (role) or outside_activation (moment): the message says which.
 */
export function mayReadHealth(actor: Actor, reason: HealthReason | null): HealthReason {
  if (!actor.roles.some((r) => HEALTH_ROLES.includes(r)))
    throw new ForbiddenError('read registrants’ health details (your role does not need them)')
  // Its own code (403 outside_activation): the role is right, the moment is not.
  if (!reason)
    throw new DomainError(
      'outside_activation',
      'the special-needs registry is read only during an activation covering the registrant, or on the registrant’s own incident: no such activation is on',
    )
  return reason
}

/** Outcomes of a wellness call (issue #10 item 4). */
export const WELLNESS_OUTCOMES = ['reached_fine', 'needs_help', 'not_reached'] as const
export type WellnessOutcome = (typeof WELLNESS_OUTCOMES)[number]

/** After this many unanswered calls the registrant is escalated (a welfare check is sent). */
export const ESCALATE_AFTER_ATTEMPTS = 3

/**
 * What follows a wellness call: needs_help raises an incident for someone to go; a third
 * not_reached escalates; anything else waits for the next attempt or is done.
 */
export function wellnessNext(
  outcome: WellnessOutcome,
  notReachedSoFar: number,
): 'done' | 'raise_incident' | 'try_again' | 'escalate' {
  if (outcome === 'reached_fine') return 'done'
  if (outcome === 'needs_help') return 'raise_incident'
  return notReachedSoFar + 1 >= ESCALATE_AFTER_ATTEMPTS ? 'escalate' : 'try_again'
}

/** Wellness-call order: most urgent need first, then the longest unverified, then by name. */
export function byNeed<T extends { needs: readonly Need[]; name: string }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) => urgency(a.needs) - urgency(b.needs) || a.name.localeCompare(b.name),
  )
}

/** Within `metres` of a point: the registrant's "own incident" when the call is at their door. */
export const OWN_INCIDENT_METRES = 30

export type { LatLon }
