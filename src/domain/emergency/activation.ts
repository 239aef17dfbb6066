import { ValidationError } from '../shared/errors.js'
import type { Instant } from '../shared/instant.js'

/**
 * An emergency activation (issue #10 item 1): an emergency manager switches the centre into a
 * mode for an area and a period. While it covers a call, its call types are offered, its scripts
 * are shown and the call is tagged with it.
 */
export const ACTIVATION_MODES = ['snow', 'pandemic', 'flood', 'other'] as const
export type ActivationMode = (typeof ACTIVATION_MODES)[number]

/** The whole city, or named police districts or neighborhoods of the city geography. */
export type ActivationArea =
  | { kind: 'city' }
  | { kind: 'police_district' | 'neighborhood'; names: string[] }

export interface Activation {
  id: string
  mode: ActivationMode
  title: string
  area: ActivationArea
  startsAt: Instant
  /** Null: open-ended, until someone deactivates it. */
  endsAt: Instant | null
  /** Catalogue call-type codes offered only while it is on. */
  callTypes: string[]
  /** What the residents' page says, word for word: no caller data ever goes here. */
  publicBanner: string
  activatedBy: string
  activatedAt: Instant
  deactivatedBy: string | null
  deactivatedAt: Instant | null
}

export function activate(input: {
  id: string
  mode: ActivationMode
  title: string
  area: ActivationArea
  startsAt: Instant
  endsAt: Instant | null
  callTypes: string[]
  publicBanner: string
  actor: string
  now: Instant
}): Activation {
  const problems = []
  if (!input.title.trim()) problems.push({ path: 'title', message: 'give the activation a title' })
  if (input.endsAt !== null && input.endsAt <= input.startsAt)
    problems.push({ path: 'endsAt', message: 'the end must come after the start' })
  if (input.area.kind !== 'city' && input.area.names.length === 0)
    problems.push({ path: 'area.names', message: 'name at least one district or neighborhood' })
  if (problems.length) throw new ValidationError(problems)
  return {
    id: input.id,
    mode: input.mode,
    title: input.title.trim(),
    area:
      input.area.kind === 'city'
        ? { kind: 'city' }
        : { kind: input.area.kind, names: [...new Set(input.area.names.map((n) => n.trim()))] },
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    callTypes: [...new Set(input.callTypes.map((c) => c.trim().toUpperCase()))],
    publicBanner: input.publicBanner.trim(),
    activatedBy: input.actor,
    activatedAt: input.now,
    deactivatedBy: null,
    deactivatedAt: null,
  }
}

/** Ends an activation now; ending one that already ended is refused, so two managers notice. */
export function deactivate(a: Activation, actor: string, now: Instant): Activation {
  if (a.deactivatedAt !== null)
    throw new ValidationError([{ path: 'id', message: 'this activation has already ended' }])
  return { ...a, deactivatedBy: actor, deactivatedAt: now }
}

/** On at this instant: started, not past its end, not deactivated. */
export function isActive(a: Activation, now: Instant): boolean {
  return a.deactivatedAt === null && a.startsAt <= now && (a.endsAt === null || now < a.endsAt)
}

/** Names compared as the geography writes them, whatever the case and spacing typed. */
const norm = (s: string) => s.trim().toUpperCase().replace(/\s+/g, ' ')

/** Whether a place (its district and neighborhood, as locate() found them) is in the area. */
export function covers(
  a: Activation,
  place: { policeDistrict?: string | null; neighborhood?: string | null } | null,
): boolean {
  if (a.area.kind === 'city') return true
  const value = a.area.kind === 'police_district' ? place?.policeDistrict : place?.neighborhood
  if (!value) return false
  return a.area.names.some((n) => norm(n) === norm(value))
}

/**
 * The activation a call belongs to: the active one covering its place; when several overlap,
 * the most recently activated (the newer declaration is the one callers are hearing about).
 */
export function activationFor(
  activations: readonly Activation[],
  place: { policeDistrict?: string | null; neighborhood?: string | null } | null,
  now: Instant,
): Activation | null {
  const on = activations
    .filter((a) => isActive(a, now) && covers(a, place))
    .sort((x, y) => y.activatedAt - x.activatedAt)
  return on[0] ?? null
}
