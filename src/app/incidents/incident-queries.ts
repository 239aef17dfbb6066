import { can } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import { type Answers, checkAnswers } from '../../domain/catalogue/answers.js'
import type { Channel } from '../../domain/catalogue/vocabulary.js'
import type { Activation } from '../../domain/emergency/activation.js'
import {
  duplicateSearchCells,
  type ProbableDuplicate,
  rankDuplicates,
} from '../../domain/incidents/duplicates.js'
import { type EidoPackage, withCaller } from '../../domain/incidents/eido.js'
import type { Caller, Contact, Incident, IncidentEvent } from '../../domain/incidents/incident.js'
import { NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { MINUTE } from '../../domain/shared/instant.js'
import { type TriageDecision, triage } from '../../domain/triage/triage.js'
import type { IncidentFilter } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'
import { locate } from '../geography/locate.js'

/** The engine's recommendation while the call is still on the line; nothing is saved. */
export async function previewTriage(
  deps: AppDeps,
  input: {
    callType: string
    answers?: Answers
    channel: Channel
    at?: number
    hasLocation?: boolean
  },
): Promise<{ decision: TriageDecision; missingRequired: string[] }> {
  const snap = await deps.catalogue.snapshot()
  const callType = await deps.catalogue.callType(input.callType)
  const answers = input.answers ?? {}
  const problems = checkAnswers(callType, snap.screening, answers, { complete: false })
  if (problems.length > 0) throw new ValidationError(problems)
  const decision = triage(callType, snap.screening, answers, {
    channel: input.channel,
    at: input.at ?? deps.clock.now(),
    timeZone: deps.config.CITY_TIME_ZONE,
    hasLocation: input.hasLocation ?? false,
  })
  const missingRequired = callType.questions
    .filter((q) => q.required && !(q.code in answers))
    .map((q) => q.code)
  return { decision, missingRequired }
}

/** Open incidents that are probably the same problem as a call coming in now. */
export async function findDuplicates(
  deps: AppDeps,
  input: {
    callType: string
    lat?: number
    lon?: number
    block?: string
    location?: string
    at?: number
    excludeId?: string
  },
): Promise<ProbableDuplicate[]> {
  const callType = await deps.catalogue.callType(input.callType)
  // A typed location is placed first, and a point gets its street block, so the block counts
  // as well as the distance.
  if (input.location && (input.lat === undefined || input.lon === undefined)) {
    const placed = (await locate(deps, { text: input.location })).location
    if (placed?.lat !== undefined && placed.lon !== undefined) {
      input = {
        ...input,
        lat: placed.lat,
        lon: placed.lon,
        ...(placed.block ? { block: placed.block } : {}),
      }
    }
  } else if (input.lat !== undefined && input.lon !== undefined && !input.block) {
    const placed = (await locate(deps, { text: '', lat: input.lat, lon: input.lon })).location
    if (placed?.block) input = { ...input, block: placed.block }
  }
  if (input.lat === undefined || input.lon === undefined) return []
  const at = input.at ?? deps.clock.now()
  const windowMs = deps.config.DUPLICATE_WINDOW_MIN * MINUTE
  const radius = deps.config.DUPLICATE_RADIUS_M
  const point = { lat: input.lat, lon: input.lon }
  const cells = duplicateSearchCells(point, radius, deps.config.H3_RESOLUTION)
  const rows = await deps.store.incidents.duplicateCandidates(callType.family, cells, at - windowMs)
  return rankDuplicates(
    {
      family: callType.family,
      callType: callType.code,
      at,
      location: point,
      block: input.block ?? null,
      radiusMetres: radius,
      windowMs,
      ...(input.excludeId ? { excludeId: input.excludeId } : {}),
    },
    rows,
  )
}

export interface IncidentDetail {
  incident: Incident
  contacts: Contact[]
  /** Caller identities, parallel to `contacts`; present only for roles allowed to see them. */
  callers: Array<Caller | null> | null
  events: IncidentEvent[]
  /** The transfer package, with the callback when the reader may see the caller. */
  eido: EidoPackage | null
  /** The emergency it was taken during (issue #10: everything handled during one is tagged). */
  activation: Pick<Activation, 'id' | 'mode' | 'title'> | null
}

/** Everything about one incident. Caller identity is loaded only for permitted roles. */
export async function getIncidentDetail(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<IncidentDetail> {
  const incident = await deps.store.incidents.get(id)
  if (!incident) throw new NotFoundError('incident', id)
  const [contacts, events, activation] = await Promise.all([
    deps.store.incidents.contacts(id),
    deps.store.incidents.events(id),
    deps.store.activations.ofIncident(id),
  ])
  const mayReadCaller = can(actor, 'caller:read')
  const callers = mayReadCaller
    ? await deps.store.incidents.callers(contacts.map((c) => c.callerId))
    : null
  if (callers?.some(Boolean)) {
    // Every read of a caller's identity is audited (CJIS: access to restricted data).
    await audit(
      deps,
      actor,
      'caller_identity_read',
      'success',
      { type: 'incident', id },
      { callers: callers.filter(Boolean).length },
    )
  }
  const stored = incident.eido as EidoPackage | null
  return {
    incident,
    contacts,
    callers,
    events,
    eido: stored && callers ? withCaller(stored, callers) : stored,
    activation: activation
      ? { id: activation.id, mode: activation.mode, title: activation.title }
      : null,
  }
}

export function listIncidents(deps: AppDeps, filter: IncidentFilter): Promise<Incident[]> {
  return deps.store.incidents.list(filter)
}
