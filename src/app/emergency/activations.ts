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
import { HOUR, type Instant } from '../../domain/shared/instant.js'
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

/** The longest run of hours the dashboard draws (two weeks); longer activations show the latest. */
const MAX_HOURS = 14 * 24

export interface ActivationDashboard {
  activation: Activation
  calls: { total: number; open: number }
  byCallType: Array<{ callType: string; name: string; count: number; open: number }>
  byMode: Array<{ mode: string; count: number }>
  /** Calls per hour from the activation's start to now (or its end), gaps filled with zero. */
  byHour: Array<{ hour: Instant; count: number }>
}

/**
 * An activation's dashboard (issue #10 item 1): what its calls are about, how they were
 * answered, how many are still open, and the hourly load since it began. Counted in the
 * database over the incidents tagged with it.
 */
export async function activationDashboard(deps: AppDeps, id: string): Promise<ActivationDashboard> {
  const activation = found(await deps.store.activations.get(id), 'activation', id)
  const [b, snap] = await Promise.all([
    deps.store.activations.incidentBreakdown(id),
    deps.catalogue.snapshot(),
  ])
  const types = new Map<string, { count: number; open: number }>()
  const modes = new Map<string, number>()
  let total = 0
  let open = 0
  for (const g of b.groups) {
    const t = types.get(g.callType) ?? { count: 0, open: 0 }
    t.count += g.count
    if (g.open) t.open += g.count
    types.set(g.callType, t)
    modes.set(g.mode, (modes.get(g.mode) ?? 0) + g.count)
    total += g.count
    if (g.open) open += g.count
  }
  const now = deps.clock.now()
  const last = Math.floor(
    Math.min(now, activation.endsAt ?? now, activation.deactivatedAt ?? now) / HOUR,
  )
  const first = Math.max(Math.floor(activation.startsAt / HOUR), last - MAX_HOURS + 1)
  const perHour = new Map(b.byHour.map((h) => [h.hour / HOUR, h.count]))
  const byHour = []
  for (let h = first; h <= last; h++) byHour.push({ hour: h * HOUR, count: perHour.get(h) ?? 0 })
  return {
    activation,
    calls: { total, open },
    byCallType: [...types.entries()]
      .map(([callType, t]) => ({
        callType,
        name: snap.callTypes.get(callType)?.name ?? callType,
        ...t,
      }))
      .sort((x, y) => y.count - x.count || x.callType.localeCompare(y.callType)),
    byMode: [...modes.entries()]
      .map(([mode, count]) => ({ mode, count }))
      .sort((x, y) => y.count - x.count || x.mode.localeCompare(y.mode)),
    byHour,
  }
}

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
