import type { z } from 'zod'
import type { incidentView } from '../../contract/incidents.js'
import { abilitiesFor } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import type { ProbableDuplicate } from '../../domain/incidents/duplicates.js'
import {
  type Caller,
  type Contact,
  formatIncidentNumber,
  type Incident,
  type IncidentEvent,
} from '../../domain/incidents/incident.js'
import type { StoredCallType } from '../../store/ports.js'

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

/** The abilities the console needs on an incident page. */
const INCIDENT_ACTIONS = [
  'incident:update',
  'incident:escalate',
  'incident:create',
  'caller:read',
  'dispatch:assign',
  'appointment:book',
  'callback:work',
] as const

/** Domain incident → staff API JSON, with what this actor may do to it. */
export function presentIncident(i: Incident, actor: Actor): z.input<typeof incidentView> {
  return {
    id: i.id,
    number: formatIncidentNumber(i.number),
    callType: i.callType,
    family: i.family,
    priority: i.priority,
    mode: i.mode,
    referral: i.referral,
    status: i.status,
    disposition: i.disposition,
    location: i.location,
    narrative: i.narrative,
    answers: i.answers,
    triage: i.triage,
    override: i.override as Record<string, unknown> | null,
    channel: i.channel,
    receivedAt: iso(i.receivedAt) as string,
    createdAt: iso(i.createdAt) as string,
    updatedAt: iso(i.updatedAt) as string,
    createdBy: i.createdBy,
    duplicateOf: i.duplicateOf,
    transferredTo911: i.eido !== null,
    reportNumber: i.reportNumber,
    version: i.version,
    abilities: abilitiesFor(actor, INCIDENT_ACTIONS),
  }
}

/**
 * A contact, with the caller's identity only when the reader was allowed to load it. An
 * anonymous contact never has one.
 */
export function presentContact(c: Contact, caller: Caller | null | undefined) {
  return {
    id: c.id,
    channel: c.channel,
    receivedAt: iso(c.receivedAt),
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    takenBy: c.takenBy,
    anonymous: c.anonymous,
    ...(caller !== undefined && !c.anonymous
      ? {
          caller: caller && {
            name: caller.name,
            phone: caller.phone,
            email: caller.email,
            callbackConsent: caller.callbackConsent,
            ani: caller.ani,
            ali: caller.ali,
          },
        }
      : {}),
  }
}

export function presentEvent(e: IncidentEvent) {
  return { at: iso(e.at), actor: e.actor, kind: e.kind, data: e.data, reason: e.reason }
}

export function presentDuplicate(d: ProbableDuplicate) {
  return {
    id: d.id,
    number: formatIncidentNumber(d.number),
    callType: d.callType,
    status: d.status,
    priority: d.priority,
    mode: d.mode,
    receivedAt: iso(d.receivedAt),
    locationText: d.locationText,
    block: d.block,
    distanceMetres: d.distanceMetres === null ? null : Math.round(d.distanceMetres),
    minutesAgo: d.minutesAgo,
    callers: d.contactCount,
    score: d.score,
    reasons: d.reasons,
  }
}

export function presentCallTypeSummary(c: StoredCallType) {
  return {
    code: c.code,
    name: c.name,
    group: c.group,
    family: c.family,
    apco: c.apco ?? null,
    defaultPriority: c.defaultPriority,
    defaultMode: c.defaultMode,
    referral: c.referral ?? null,
    public: c.public,
    active: c.active,
    revision: c.revision,
    synonyms: c.synonyms,
  }
}
