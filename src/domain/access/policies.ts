import { ForbiddenError } from '../shared/errors.js'
import { type Actor, ROLES, type Role } from './roles.js'

/**
 * The one table of who may do what. Routes call `authorize`; presenters call `abilitiesFor`.
 * No role check is written anywhere else. `satisfies` makes the compiler report an action
 * without a rule.
 */
const anyOf =
  (...roles: Role[]) =>
  (actor: Actor) =>
    actor.roles.some((r) => roles.includes(r))

/** Every staff role. */
const STAFF: readonly Role[] = ROLES
const INTAKE: Role[] = ['call_taker', 'supervisor', 'dispatcher', 'admin']

export const POLICIES = {
  /** Read the catalogue: everyone who works calls needs the protocols. */
  'catalogue:read': anyOf(...STAFF),
  /** Edit call types, import a catalogue (every change is recorded). */
  'catalogue:edit': anyOf('supervisor', 'admin'),
  /** Ask the engine for a recommendation while the call is on the line. */
  'triage:preview': anyOf(...INTAKE, 'officer', 'community_policing'),
  /** Open an incident from a contact; link another caller; check duplicates. */
  'incident:create': anyOf(...INTAKE, 'officer'),
  'incident:read': anyOf(...STAFF),
  /** Override a response, change a status, mark a duplicate. */
  'incident:update': anyOf(...INTAKE),
  'incident:escalate': anyOf(...INTAKE, 'officer'),
  /** Geocode, reverse geocode, autocomplete, map data: everyone who places a call. */
  'geography:read': anyOf(...STAFF),
  /** Import or replace the city's street file, intersections and areas. */
  'geography:import': anyOf('admin'),
  /** The telephony system announces a ringing call (screen pop); its token has this role. */
  'call:announce': anyOf('call_taker', 'supervisor', 'admin'),
  /** See the calls waiting, with their numbers, and answer one. */
  'call:answer': anyOf('call_taker', 'supervisor', 'dispatcher', 'admin'),
  /** See the units and their status: whoever dispatches, supervises or plans. */
  'unit:read': anyOf('dispatcher', 'supervisor', 'officer', 'command', 'admin'),
  /** Put units on the roster and change them. */
  'unit:manage': anyOf('supervisor', 'admin'),
  /** Report a unit's status: the officer's own buttons, or the dispatcher for the unit. */
  'unit:status': anyOf('dispatcher', 'supervisor', 'officer', 'admin'),
  /** Create and change staff accounts, reset passwords, end sessions. */
  'user:manage': anyOf('admin'),
  /** Issue and revoke API tokens for machine clients (telephony, CAD import, Open311 keys). */
  'token:manage': anyOf('admin'),
  /** Search the audit log; export it. */
  'audit:read': anyOf('admin', 'command'),
  /** Any signed-in person: who am I, change my own password, sign out. */
  'self:manage': anyOf(...STAFF),
  /** See a known caller's name, phone, email, ANI/ALI. Every read is audited (issue #4). */
  'caller:read': anyOf('call_taker', 'supervisor', 'dispatcher', 'admin'),
} satisfies Record<string, (actor: Actor) => boolean>

export type Action = keyof typeof POLICIES
export const ACTIONS = Object.keys(POLICIES) as Action[]

export function can(actor: Actor, action: Action): boolean {
  return POLICIES[action](actor)
}

/** Throws ForbiddenError unless the actor may act. */
export function authorize(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw new ForbiddenError(action)
}

/** What the actor may do, for the console to show or hide controls. */
export function abilitiesFor(
  actor: Actor,
  actions: readonly Action[] = ACTIONS,
): Record<string, boolean> {
  return Object.fromEntries(actions.map((a) => [a, can(actor, a)]))
}
