import type { Actor } from '../../domain/access/roles.js'
import { buildEidoTransfer, type EidoPackage } from '../../domain/incidents/eido.js'
import {
  type Contact,
  DISPOSITIONS,
  type Incident,
  type IncidentEvent,
} from '../../domain/incidents/incident.js'
import {
  addNote,
  assertCanLinkContact,
  escalateTo911,
  markDuplicate,
  overrideResponse,
  scheduleVisit,
} from '../../domain/incidents/incident-commands.js'
import {
  buildContact,
  type ContactInput,
  checkContact,
} from '../../domain/incidents/open-incident.js'
import { changeStatus, type StatusChange } from '../../domain/incidents/status-machine.js'
import { ConflictError, NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { MINUTE } from '../../domain/shared/instant.js'
import { applyOverride, type TriageOverride } from '../../domain/triage/override.js'
import type { Idempotency } from '../../store/ports.js'
import type { AppDeps } from '../deps.js'
import { notifyClosure } from '../follow-up/follow-up.js'
import { publishIncident } from '../live/publish-incident.js'
import { eidoParties } from './create-incident.js'

/**
 * Commands on an existing incident. Each loads it, lets the domain decide, and saves the new
 * state with its history entry in one transaction, refusing if someone changed it meanwhile.
 */

async function load(deps: AppDeps, id: string, expectedVersion?: number): Promise<Incident> {
  const incident = await deps.store.incidents.get(id)
  if (!incident) throw new NotFoundError('incident', id)
  if (expectedVersion !== undefined && expectedVersion !== incident.version) {
    throw new ConflictError(
      'stale_incident',
      `incident is at version ${incident.version}, not ${expectedVersion}; reload it and try again`,
    )
  }
  return incident
}

async function save(
  deps: AppDeps,
  before: Incident,
  change: { incident: Incident; event: IncidentEvent },
): Promise<Incident> {
  await deps.store.incidents.update(change.incident, before.version, change.event)
  publishIncident(deps, change.incident)
  deps.log.info(
    { incidentId: before.id, kind: change.event.kind, status: change.incident.status },
    'incident changed',
  )
  return change.incident
}

export async function overrideIncident(
  deps: AppDeps,
  actor: Actor,
  id: string,
  override: TriageOverride,
  expectedVersion?: number,
): Promise<Incident> {
  const incident = await load(deps, id, expectedVersion)
  const snap = await deps.catalogue.snapshot()
  const current = {
    mode: incident.mode,
    priority: incident.priority,
    referral: incident.referral,
    emergency: incident.triage.emergency,
  }
  const overridden = applyOverride(current, override, snap.priorityLevels, snap.agencyCodes)
  return save(
    deps,
    incident,
    overrideResponse(
      incident,
      overridden,
      actor.id,
      deps.clock.now(),
      deps.config.DELAYED_RESPONSE_MINUTES * MINUTE,
    ),
  )
}

export async function changeIncidentStatus(
  deps: AppDeps,
  actor: Actor,
  id: string,
  change: StatusChange,
  expectedVersion?: number,
): Promise<Incident> {
  const incident = await load(deps, id, expectedVersion)
  const saved = await save(
    deps,
    incident,
    changeStatus(incident, change, actor.id, deps.clock.now()),
  )
  if (saved.status === 'closed' && saved.disposition)
    await notifyClosure(deps, saved, DISPOSITIONS[saved.disposition].label)
  return saved
}

export async function markIncidentDuplicate(
  deps: AppDeps,
  actor: Actor,
  id: string,
  parentId: string,
  reason: string,
): Promise<Incident> {
  const child = await load(deps, id)
  const parent = await deps.store.incidents.get(parentId)
  if (!parent)
    throw new ValidationError([{ path: 'parentId', message: `no incident '${parentId}'` }])
  return save(deps, child, markDuplicate(child, parent, reason, actor.id, deps.clock.now()))
}

/** Escalates to 911 and returns the stored transfer package with the incident. */
export async function escalateIncident(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: { reason: string; notes?: string },
): Promise<{ incident: Incident; eido: EidoPackage }> {
  const incident = await load(deps, id)
  const callType = await deps.catalogue.callType(incident.callType)
  const snap = await deps.catalogue.snapshot()
  const now = deps.clock.now()
  const eido = buildEidoTransfer({
    incident,
    callType,
    contacts: await deps.store.incidents.contacts(id),
    callTaker: actor.id,
    reason: input.reason,
    ...(input.notes ? { notes: input.notes } : {}),
    now,
    parties: eidoParties(deps),
    priorityLevels: snap.priorityLevels,
  })
  const saved = await save(
    deps,
    incident,
    escalateTo911(incident, { ...eido }, input.reason, actor.id, now),
  )
  return { incident: saved, eido }
}

/**
 * Adds another caller to an open incident: the duplicate-call path. No new incident and no
 * new dispatch; the incident's history records the link.
 */
export async function linkContact(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: ContactInput,
  idempotency: Idempotency | null,
): Promise<{ contact: Contact; replayed: boolean }> {
  const now = deps.clock.now()
  const problems = checkContact(input, now, 'contact')
  if (problems.length > 0) throw new ValidationError(problems)
  const incident = await load(deps, id)
  assertCanLinkContact(incident)
  const { contact, caller } = buildContact(input, incident.id, {
    now,
    takenBy: actor.id,
    ids: { incident: incident.id, contact: deps.ids.next(), caller: deps.ids.next() },
  })
  const event: IncidentEvent = {
    incidentId: incident.id,
    at: now,
    actor: actor.id,
    kind: 'contact_linked',
    data: { contactId: contact.id, channel: contact.channel, anonymous: contact.anonymous },
    reason: 'another caller about the same problem',
  }
  const created = await deps.store.incidents.linkContact(contact, caller, event, idempotency)
  return { contact: created.value, replayed: created.replayed }
}

export async function addIncidentNote(
  deps: AppDeps,
  actor: Actor,
  id: string,
  text: string,
): Promise<Incident> {
  const incident = await load(deps, id)
  return save(deps, incident, addNote(incident, text, actor.id, deps.clock.now()))
}

/**
 * Moves a delayed response's place in the dispatch queue to a booked visit (or back to the usual
 * hold when the visit is cancelled). Runs after the booking's own transaction: if it fails, the
 * call joins the queue at the usual time, earlier than the visit, never later.
 */
export async function setVisit(
  deps: AppDeps,
  actor: Actor,
  incidentId: string,
  visitAt: number | null,
): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const incident = await load(deps, incidentId)
    const change = scheduleVisit(
      incident,
      visitAt,
      actor.id,
      deps.clock.now(),
      deps.config.DELAYED_RESPONSE_MINUTES * MINUTE,
    )
    if (!change) return
    try {
      await save(deps, incident, change)
      return
    } catch (err) {
      // Someone changed the incident between the read and the write: read it again once.
      if (!(err instanceof ConflictError) || attempt > 0) throw err
    }
  }
}
