import type { Actor } from '../../domain/access/roles.js'
import { type Activation, activationFor, covers } from '../../domain/emergency/activation.js'
import {
  addMonths,
  byNeed,
  type ConsentMethod,
  checkHealth,
  DEFAULT_REVERIFY_MONTHS,
  type HealthDetails,
  type HealthReason,
  mayReadHealth,
  OWN_INCIDENT_METRES,
  type Registrant,
  verificationState,
  type WellnessOutcome,
  wellnessNext,
} from '../../domain/emergency/registry.js'
import { NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { distanceMetres } from '../../domain/shared/geo.js'
import { HOUR } from '../../domain/shared/instant.js'
import type { WellnessCall } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'
import { locate } from '../geography/locate.js'
import { raiseWelfareCheck } from './welfare-check.js'

/**
 * The special-needs registry's use cases (issue #10 item 4). Enrolment and upkeep are for the
 * registry's managers and never show health details; health details are shown only by the
 * three reads below, each checked by the domain's `mayReadHealth` and audited before it returns.
 */

export interface EnrolInput {
  name: string
  phone: string
  language: string
  address: string
  consent: { givenBy: string; givenAt: number; method: ConsentMethod }
  health: HealthDetails
  reverifyMonths?: number
}

/** Places the address on the city's streets; a registrant the plows cannot find is refused. */
async function placeAddress(deps: AppDeps, text: string): Promise<Registrant['address']> {
  const { location, placement } = await locate(deps, { text })
  if (!location || location.lat === undefined || location.lon === undefined)
    throw new ValidationError([
      {
        path: 'address',
        message:
          placement?.method === 'no_geography'
            ? 'no street file has been imported yet, so the address cannot be placed'
            : `the address was not found on the city's streets${placement?.message ? `: ${placement.message}` : ''}`,
      },
    ])
  return {
    text: text.trim(),
    lat: location.lat,
    lon: location.lon,
    block: location.block ?? null,
    segmentId: location.segmentId ?? null,
    policeDistrict: location.policeDistrict ?? null,
    neighborhood: location.neighborhood ?? null,
  }
}

export async function enrolRegistrant(
  deps: AppDeps,
  actor: Actor,
  input: EnrolInput,
): Promise<Registrant> {
  const now = deps.clock.now()
  if (input.consent.givenAt > now)
    throw new ValidationError([
      { path: 'consent.givenAt', message: 'consent cannot be in the future' },
    ])
  const health = checkHealth(input.health)
  const registrant: Registrant = {
    id: deps.ids.next(),
    name: input.name.trim(),
    phone: input.phone.trim(),
    language: input.language.trim() || 'en',
    address: await placeAddress(deps, input.address),
    consent: { ...input.consent, givenBy: input.consent.givenBy.trim(), recordedBy: actor.id },
    verifiedAt: now,
    reverifyBy: addMonths(now, input.reverifyMonths ?? DEFAULT_REVERIFY_MONTHS),
    createdAt: now,
    updatedAt: now,
    version: 1,
  }
  await deps.store.registry.create(registrant, health)
  // Who enrolled whom is audited; what they need never goes into the audit details.
  await audit(deps, actor, 'registry_enrol', 'success', { type: 'registrant', id: registrant.id })
  return registrant
}

export interface UpdateInput {
  expectedVersion: number
  name?: string
  phone?: string
  language?: string
  address?: string
  /** Replaces the needs and contacts (a write: nothing is read back). */
  health?: HealthDetails
  /** The details were confirmed with the resident today: the clock starts again. */
  reverified?: boolean
  reverifyMonths?: number
}

export async function updateRegistrant(
  deps: AppDeps,
  actor: Actor,
  id: string,
  input: UpdateInput,
): Promise<Registrant> {
  const current = await deps.store.registry.registrant(id)
  if (!current) throw new NotFoundError('registrant', id)
  const now = deps.clock.now()
  const next: Registrant = {
    ...current,
    ...(input.name !== undefined ? { name: input.name.trim() } : {}),
    ...(input.phone !== undefined ? { phone: input.phone.trim() } : {}),
    ...(input.language !== undefined ? { language: input.language.trim() } : {}),
    ...(input.address !== undefined ? { address: await placeAddress(deps, input.address) } : {}),
    ...(input.reverified
      ? {
          verifiedAt: now,
          reverifyBy: addMonths(now, input.reverifyMonths ?? DEFAULT_REVERIFY_MONTHS),
        }
      : {}),
    updatedAt: now,
    version: current.version + 1,
  }
  const health = input.health ? checkHealth(input.health) : null
  await deps.store.registry.update(next, input.expectedVersion, health)
  await audit(
    deps,
    actor,
    'registry_update',
    'success',
    { type: 'registrant', id },
    {
      reverified: Boolean(input.reverified),
      healthReplaced: Boolean(health),
    },
  )
  return next
}

/** The managers' list: who, where, consent and re-verification; never health details. */
export async function listRegistrants(deps: AppDeps) {
  const now = deps.clock.now()
  const rows = await deps.store.registry.list({ limit: 5000 })
  return rows.map((r) => ({ registrant: r, verification: verificationState(r, now) }))
}

/** The activation to work in: the one named, or the newest current one; it must be on. */
export async function currentActivation(deps: AppDeps, id?: string): Promise<Activation | null> {
  const on = await deps.store.activations.current(deps.clock.now())
  if (id) return on.find((a) => a.id === id) ?? null
  return [...on].sort((a, b) => b.activatedAt - a.activatedAt)[0] ?? null
}

/** Audits one read of health details: who, why, how many registrants (never what was read). */
async function auditHealthRead(
  deps: AppDeps,
  actor: Actor,
  reason: HealthReason,
  ids: readonly string[],
): Promise<void> {
  await audit(
    deps,
    actor,
    'registry_health_read',
    'success',
    reason.kind === 'activation'
      ? { type: 'activation', id: reason.activationId }
      : { type: 'incident', id: reason.incidentId },
    { registrants: ids.length, ids: ids.slice(0, 200) },
  )
}

export interface WellnessRow {
  registrant: Registrant
  health: HealthDetails
  verification: ReturnType<typeof verificationState>
  attempts: number
  lastOutcome: WellnessOutcome | null
  next: WellnessCall['next'] | null
}

/**
 * The wellness-call list of an activation: the registrants in its area, life-sustaining needs
 * first, with what their calls so far came to. Refused outside an activation.
 */
export async function wellnessList(
  deps: AppDeps,
  actor: Actor,
  activationId?: string,
): Promise<{ activation: Activation; rows: WellnessRow[] }> {
  const activation = await currentActivation(deps, activationId)
  // The refusal is audited too: a failed attempt at the registry is worth knowing about.
  try {
    mayReadHealth(actor, activation ? { kind: 'activation', activationId: activation.id } : null)
  } catch (e) {
    await audit(deps, actor, 'registry_health_read', 'denied', null, {
      activationId: activationId ?? null,
    })
    throw e
  }
  const on = activation as Activation
  const covered = (await deps.store.registry.list({ limit: 5000 })).filter((r) =>
    covers(on, r.address),
  )
  const ids = covered.map((r) => r.id)
  await auditHealthRead(deps, actor, { kind: 'activation', activationId: on.id }, ids)
  const [health, calls] = await Promise.all([
    deps.store.registry.health(ids),
    deps.store.registry.wellnessCalls(on.id),
  ])
  const now = deps.clock.now()
  const rows = covered.map((r) => {
    const mine = calls.filter((c) => c.registrantId === r.id)
    const last = mine[mine.length - 1]
    const h = health.get(r.id) ?? { needs: [], contacts: [], notes: '' }
    return {
      registrant: r,
      health: h,
      needs: h.needs,
      name: r.name,
      verification: verificationState(r, now),
      attempts: mine.length,
      lastOutcome: last?.outcome ?? null,
      next: last?.next ?? null,
    }
  })
  return {
    activation: on,
    rows: byNeed(rows).map(({ needs: _n, name: _m, ...row }) => row),
  }
}

/** Records a wellness call's outcome; needs_help asks for an incident, a third miss escalates. */
export async function recordWellnessCall(
  deps: AppDeps,
  actor: Actor,
  registrantId: string,
  input: { activationId: string; outcome: WellnessOutcome; incidentId?: string },
): Promise<WellnessCall> {
  const registrant = await deps.store.registry.registrant(registrantId)
  if (!registrant) throw new NotFoundError('registrant', registrantId)
  const activation = await currentActivation(deps, input.activationId)
  mayReadHealth(
    actor,
    activation && covers(activation, registrant.address)
      ? { kind: 'activation', activationId: activation.id }
      : null,
  )
  const before = (await deps.store.registry.wellnessCalls(input.activationId)).filter(
    (c) => c.registrantId === registrantId && c.outcome === 'not_reached',
  )
  const next = wellnessNext(input.outcome, before.length)
  // Someone must go: a welfare check is opened at once unless the call-taker already has one.
  let incidentId = input.incidentId ?? null
  if (!incidentId && (next === 'raise_incident' || next === 'escalate')) {
    const health = await deps.store.registry.health([registrantId])
    incidentId = await raiseWelfareCheck(deps, actor, registrant, {
      reason: next === 'raise_incident' ? 'needs_help' : 'not_reached',
      needs: health.get(registrantId)?.needs ?? [],
      hoursSinceContact:
        next === 'escalate' && before[0] ? (deps.clock.now() - before[0].at) / HOUR : 0,
      note: '',
      via: activation?.title ?? 'wellness list',
    })
  }
  const call: WellnessCall = {
    id: deps.ids.next(),
    registrantId,
    activationId: input.activationId,
    outcome: input.outcome,
    next,
    at: deps.clock.now(),
    by: actor.id,
    incidentId,
  }
  await deps.store.registry.addWellnessCall(call)
  await audit(
    deps,
    actor,
    'registry_wellness_call',
    'success',
    {
      type: 'registrant',
      id: registrantId,
    },
    { outcome: call.outcome, next: call.next },
  )
  return call
}

/**
 * The registrants living where an incident is (within a few metres): the "registrant's own
 * incident". A role that may read health details gets them (audited); any other staff role
 * learns only that a registrant lives there, so nobody is sent in blind.
 */
export async function registrantsOnIncident(
  deps: AppDeps,
  actor: Actor,
  incidentId: string,
  mayRead: boolean,
): Promise<{
  count: number
  registrants: Array<{ registrant: Registrant; health: HealthDetails }> | null
  activationId: string | null
}> {
  const incident = await deps.store.incidents.get(incidentId)
  if (!incident) throw new NotFoundError('incident', incidentId)
  const loc = incident.location
  if (!loc || loc.lat === null || loc.lon === null)
    return { count: 0, registrants: null, activationId: null }
  const point = { lat: loc.lat, lon: loc.lon }
  const d = 0.001 // about 100 m of latitude: the box around the door, then the exact distance
  const near = (
    await deps.store.registry.inBox(
      [point.lon - d, point.lat - d, point.lon + d, point.lat + d],
      50,
    )
  ).filter(
    (r) =>
      r.address.lat !== null &&
      r.address.lon !== null &&
      distanceMetres(point, { lat: r.address.lat, lon: r.address.lon }) <= OWN_INCIDENT_METRES,
  )
  const activation = activationFor(
    await deps.store.activations.current(deps.clock.now()),
    loc,
    deps.clock.now(),
  )
  if (!mayRead || near.length === 0)
    return { count: near.length, registrants: null, activationId: activation?.id ?? null }
  const reason: HealthReason = { kind: 'own_incident', incidentId }
  mayReadHealth(actor, reason)
  const ids = near.map((r) => r.id)
  await auditHealthRead(deps, actor, reason, ids)
  const health = await deps.store.registry.health(ids)
  return {
    count: near.length,
    registrants: near.map((r) => ({
      registrant: r,
      health: health.get(r.id) ?? { needs: [], contacts: [], notes: '' },
    })),
    activationId: activation?.id ?? null,
  }
}
