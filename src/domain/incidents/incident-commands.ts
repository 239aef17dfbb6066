import { dueAtFor } from '../dispatch/dispatch-queue.js'
import { ConflictError, ValidationError } from '../shared/errors.js'
import type { Instant } from '../shared/instant.js'
import type { OverriddenDecision } from '../triage/override.js'
import { type Incident, type IncidentEvent, isOpen } from './incident.js'

/**
 * Changes to an existing incident. Each returns the new incident and the history entry to
 * append; the caller saves both in one transaction.
 */

/** Records a call-taker's override of the response after the incident was opened. */
export function overrideResponse(
  incident: Incident,
  overridden: OverriddenDecision,
  actor: string,
  now: Instant,
  delayedHoldMs: number,
): { incident: Incident; event: IncidentEvent } {
  if (!isOpen(incident.status)) {
    throw new ConflictError(
      'incident_not_open',
      `incident is ${incident.status}; reopen it to change its response`,
    )
  }
  return {
    incident: {
      ...incident,
      mode: overridden.mode,
      priority: overridden.priority,
      referral: overridden.referral,
      override: overridden.override,
      // A response changed to delayed waits its hold from now; one changed away queues at once.
      dueAt:
        overridden.mode === incident.mode
          ? incident.dueAt
          : dueAtFor(overridden.mode, now, delayedHoldMs),
      updatedAt: now,
      version: incident.version + 1,
    },
    event: {
      incidentId: incident.id,
      at: now,
      actor,
      kind: 'overridden',
      data: overridden.override,
      reason: overridden.override.reason,
    },
  }
}

/**
 * Closes `child` as a duplicate of `parent` (APCO disposition 22), so it can never be
 * dispatched on its own. The parent must be open and of the same family.
 */
export function markDuplicate(
  child: Incident,
  parent: Incident,
  reason: string,
  actor: string,
  now: Instant,
): { incident: Incident; event: IncidentEvent } {
  if (child.id === parent.id) {
    throw new ValidationError([
      { path: 'parentId', message: 'an incident cannot duplicate itself' },
    ])
  }
  if (!isOpen(child.status)) {
    throw new ConflictError(
      'incident_not_open',
      `incident is ${child.status}; only open incidents can be marked duplicate`,
    )
  }
  if (!isOpen(parent.status)) {
    throw new ConflictError(
      'parent_not_open',
      `the original incident is ${parent.status}; link to an open one`,
    )
  }
  if (parent.duplicateOf) {
    throw new ConflictError(
      'parent_is_duplicate',
      `the original is itself a duplicate of ${parent.duplicateOf}`,
    )
  }
  if (parent.family !== child.family) {
    throw new ConflictError(
      'family_mismatch',
      `a ${child.family} call cannot duplicate a ${parent.family} incident`,
    )
  }
  return {
    incident: {
      ...child,
      status: 'closed',
      disposition: 'duplicate',
      duplicateOf: parent.id,
      updatedAt: now,
      version: child.version + 1,
    },
    event: {
      incidentId: child.id,
      at: now,
      actor,
      kind: 'marked_duplicate',
      data: { duplicateOf: parent.id, from: child.status },
      reason: reason.trim() || null,
    },
  }
}

/** Guards linking another caller to an incident: it must still be open. */
export function assertCanLinkContact(incident: Incident): void {
  if (incident.duplicateOf) {
    throw new ConflictError(
      'incident_is_duplicate',
      `link the caller to ${incident.duplicateOf}, the original`,
    )
  }
  if (!isOpen(incident.status)) {
    throw new ConflictError(
      'incident_not_open',
      `incident is ${incident.status}; open a new incident or reopen this one`,
    )
  }
}

/**
 * Hands an incident to 911 with its transfer package. The response becomes `transfer_911`
 * whatever it was: escalation can only raise a response, so nothing is lost if the call-taker
 * is wrong on the safe side.
 */
export function escalateTo911(
  incident: Incident,
  eido: Record<string, unknown>,
  reason: string,
  actor: string,
  now: Instant,
): { incident: Incident; event: IncidentEvent } {
  if (!isOpen(incident.status)) {
    throw new ConflictError(
      'incident_not_open',
      `incident is ${incident.status}; it cannot be transferred`,
    )
  }
  if (!reason.trim())
    throw new ValidationError([{ path: 'reason', message: 'say why it goes to 911' }])
  return {
    incident: {
      ...incident,
      status: 'transferred',
      mode: 'transfer_911',
      referral: null,
      priority: Math.min(incident.priority, incident.triage.priority),
      eido,
      updatedAt: now,
      version: incident.version + 1,
    },
    event: {
      incidentId: incident.id,
      at: now,
      actor,
      kind: 'escalated_911',
      data: { from: incident.status, previousMode: incident.mode, package: eido.$id },
      reason: reason.trim(),
    },
  }
}

/** A note on the incident's history: what was learned, by whom, when. Notes never change. */
export function addNote(
  incident: Incident,
  text: string,
  actor: string,
  now: Instant,
): { incident: Incident; event: IncidentEvent } {
  const note = text.trim()
  if (note.length === 0) throw new ValidationError([{ path: 'text', message: 'write the note' }])
  if (note.length > 4000)
    throw new ValidationError([{ path: 'text', message: 'at most 4000 characters' }])
  return {
    incident: { ...incident, updatedAt: now, version: incident.version + 1 },
    event: {
      incidentId: incident.id,
      at: now,
      actor,
      kind: 'note_added',
      data: { text: note },
      reason: null,
    },
  }
}

/**
 * A visit booked for a delayed response: the call joins the dispatch queue at the visit, not
 * after the usual hold; with the visit cancelled (`visitAt` null) the usual hold applies again.
 * Null when the incident is not a delayed response waiting for a unit (nothing to change).
 */
export function scheduleVisit(
  incident: Incident,
  visitAt: Instant | null,
  actor: string,
  now: Instant,
  delayedHoldMs: number,
): { incident: Incident; event: IncidentEvent } | null {
  if (incident.mode !== 'dispatch_delayed' || !isOpen(incident.status)) return null
  const dueAt = visitAt ?? dueAtFor(incident.mode, incident.receivedAt, delayedHoldMs)
  if (dueAt === incident.dueAt) return null
  return {
    incident: { ...incident, dueAt, updatedAt: now, version: incident.version + 1 },
    event: {
      incidentId: incident.id,
      at: now,
      actor,
      kind: 'visit_scheduled',
      data: { visitAt, dueAt },
      reason: null,
    },
  }
}
