import type { Actor } from '../../domain/access/roles.js'
import {
  type Activation,
  type ActivationArea,
  type ActivationMode,
  activate,
  activationFor,
  deactivate,
} from '../../domain/emergency/activation.js'
import { found, ValidationError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'

/** Emergency activations (issue #10 item 1): activate, deactivate, what is on now. */

const LAYER: Record<Exclude<ActivationArea['kind'], 'city'>, string> = {
  police_district: 'police_district',
  neighborhood: 'neighborhood',
}

export async function activateEmergency(
  deps: AppDeps,
  actor: Actor,
  input: {
    mode: ActivationMode
    title: string
    area: ActivationArea
    startsAt?: Instant
    endsAt?: Instant | null
    callTypes?: string[]
    publicBanner?: string
  },
): Promise<Activation> {
  const now = deps.clock.now()
  // Names must be the city's own, or the activation would silently cover nothing.
  if (input.area.kind !== 'city') {
    const city = await deps.geography.get()
    if (city) {
      const known = new Set(
        city.areasOf(LAYER[input.area.kind]).map((a) => a.name.trim().toUpperCase()),
      )
      const unknown = input.area.names.filter((n) => !known.has(n.trim().toUpperCase()))
      if (unknown.length)
        throw new ValidationError([
          {
            path: 'area.names',
            message: `not a ${input.area.kind.replace('_', ' ')} of the city: ${unknown.join(', ')}`,
          },
        ])
    }
  }
  const callTypes = input.callTypes ?? []
  const cat = await deps.catalogue.snapshot()
  const unknownTypes = callTypes.filter((c) => !cat.callTypes.has(c.trim().toUpperCase()))
  if (unknownTypes.length)
    throw new ValidationError([
      { path: 'callTypes', message: `not in the catalogue: ${unknownTypes.join(', ')}` },
    ])
  const a = activate({
    id: deps.ids.next(),
    mode: input.mode,
    title: input.title,
    area: input.area,
    startsAt: input.startsAt ?? now,
    endsAt: input.endsAt ?? null,
    callTypes,
    publicBanner: input.publicBanner ?? '',
    actor: actor.id,
    now,
  })
  await deps.store.activations.save(a)
  forget(deps)
  await audit(
    deps,
    actor,
    'activation_started',
    'success',
    { type: 'activation', id: a.id },
    {
      mode: a.mode,
      area: a.area,
    },
  )
  return a
}

export async function deactivateEmergency(
  deps: AppDeps,
  actor: Actor,
  id: string,
): Promise<Activation> {
  const a = found(await deps.store.activations.get(id), 'activation', id)
  const ended = deactivate(a, actor.id, deps.clock.now())
  await deps.store.activations.save(ended)
  forget(deps)
  await audit(deps, actor, 'activation_ended', 'success', { type: 'activation', id })
  return ended
}

export const currentActivations = (deps: AppDeps): Promise<Activation[]> =>
  deps.store.activations.current(deps.clock.now())

export const listActivations = (deps: AppDeps, limit: number): Promise<Activation[]> =>
  deps.store.activations.list(limit)

export const activationIncidentCount = (deps: AppDeps, id: string): Promise<number> =>
  deps.store.activations.incidentCount(id)

/**
 * Activations not ended by hand (running, scheduled or past their end: the period is checked in
 * memory), kept for a few seconds so the intake's hot path does not read them on every call.
 * This process drops the copy when it activates or ends one; another server sees it within the
 * time to live.
 */
const LIVE_TTL_MS = 5_000
const live = new WeakMap<object, { at: number; list: Promise<Activation[]> }>()

function notEnded(deps: AppDeps): Promise<Activation[]> {
  const hit = live.get(deps.store)
  const now = Date.now() // wall time: the copy's age, not the (possibly simulated) clock
  if (hit && now - hit.at < LIVE_TTL_MS) return hit.list
  const list = deps.store.activations
    .list(500)
    .then((all) => all.filter((a) => a.deactivatedAt === null))
  list.catch(() => live.delete(deps.store))
  live.set(deps.store, { at: now, list })
  return list
}

const forget = (deps: AppDeps) => live.delete(deps.store)

/**
 * Tags a new incident with the activation covering its place, if any. Called after the incident
 * is saved, so the group-committed create stays as it is; a failed tag is logged, never fails
 * the call the caller is waiting on.
 */
export async function tagWithActivation(
  deps: AppDeps,
  incident: { id: string; receivedAt: Instant },
  place: { policeDistrict?: string | null; neighborhood?: string | null } | null,
): Promise<string | null> {
  try {
    const a = activationFor(await notEnded(deps), place, incident.receivedAt)
    if (!a) return null
    await deps.store.activations.tagIncident(incident.id, a.id)
    return a.id
  } catch (err) {
    deps.log.warn(
      { err, incidentId: incident.id },
      'could not tag the incident with its activation',
    )
    return null
  }
}

/**
 * The call types offered now: every-day types, and an activation's types only while one of
 * its mode is on (or one that lists the code). Outside a snow emergency a call-taker is never
 * offered "car blocking a plow".
 */
export async function offeredNow<T extends { code: string; activation?: string | undefined }>(
  deps: AppDeps,
  callTypes: readonly T[],
): Promise<T[]> {
  if (!callTypes.some((c) => c.activation)) return [...callTypes]
  const on = await deps.store.activations.current(deps.clock.now())
  return callTypes.filter(
    (c) => !c.activation || on.some((a) => a.mode === c.activation || a.callTypes.includes(c.code)),
  )
}
