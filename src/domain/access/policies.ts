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

/** Every staff role: people, not the Open311 client keys, which only post requests. */
const STAFF: readonly Role[] = ROLES.filter((r) => r !== 'open311_client')
const INTAKE: Role[] = ['call_taker', 'supervisor', 'dispatcher', 'admin']
/** Who runs problem-oriented policing: opens problems, links calls, names owners. */
const PROBLEM_SOLVERS: Role[] = ['analyst', 'community_policing', 'supervisor', 'command', 'admin']

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
  /** The dispatch queue, unit recommendations and the board of work under way. */
  'dispatch:read': anyOf('dispatcher', 'supervisor', 'command', 'admin'),
  /** Send a unit to an incident, or recall it (through the double-dispatch guard). */
  'dispatch:assign': anyOf('dispatcher', 'supervisor', 'admin'),
  /** En route, on scene, clear: the officer for their own unit (see SCOPES), or dispatch for any. */
  'assignment:work': anyOf('dispatcher', 'supervisor', 'officer', 'admin'),
  /** An officer signs on to a unit for the shift and works its calls from a phone. */
  'unit:sign_on': anyOf('officer', 'supervisor', 'admin'),
  /** Dispatch and dual-dispatch counts for the evaluation. */
  'dispatch:report': anyOf('supervisor', 'command', 'analyst', 'admin'),
  /** Read referrals: partners see only their own agency's (see SCOPES). */
  'referral:read': anyOf(...INTAKE, 'community_policing', 'agency_liaison', 'command', 'analyst'),
  /** Refer an incident to an agency or Neighborhood Service Center. */
  'referral:send': anyOf(...INTAKE),
  /** Acknowledge and close a referral with its outcome: the receiving partner, or a supervisor. */
  'referral:work': anyOf('community_policing', 'agency_liaison', 'supervisor', 'admin'),
  /** Run the overdue-referral escalation now (it also runs on a timer). */
  'referral:escalate': anyOf('supervisor', 'admin'),
  /** See the schedule and the appointments (the calendar view, its iCalendar export). */
  'appointment:read': anyOf(...INTAKE, 'officer', 'community_policing', 'command'),
  /** Book, cancel, record attendance: the call-taker during the call, or the resource's staff. */
  'appointment:book': anyOf(...INTAKE, 'officer', 'community_policing'),
  /** Put PSAs, officers and NSC staff on the schedule and open their bookable time. */
  'appointment:manage': anyOf('supervisor', 'admin'),
  /** Callback tasks: create, list and complete. */
  'callback:work': anyOf(...INTAKE),
  /** See problems (problem-oriented policing) with their calls and before/after counts. */
  'problem:read': anyOf(...PROBLEM_SOLVERS, 'officer'),
  /** Open a problem, link its incidents, name its owner, set when the response began. */
  'problem:manage': anyOf(...PROBLEM_SOLVERS),
  /** Move a problem through SARA and add notes: problem solvers, or an officer who owns it (SCOPES). */
  'problem:work': anyOf(...PROBLEM_SOLVERS, 'officer'),
  /** Hot spots, trends, repeats, concentration, 311/911 coincidence; their CSV/GeoJSON exports. */
  'analytics:read': anyOf('analyst', 'command', 'supervisor', 'community_policing', 'admin'),
  /** Import 911 calls for service from a CAD export (the analyst's screen, or the CLI). */
  'history:import': anyOf('analyst', 'admin'),
  /** The evaluation dashboard: did the 311 line work, before and after a change. */
  'evaluation:read': anyOf('analyst', 'command', 'supervisor', 'admin'),
  /** The policy lab: simulate and compare policies, calibrate from the records, staff the lines. */
  'simulation:run': anyOf('analyst', 'command', 'supervisor', 'admin'),
  /** Activate or end an emergency mode (snow, pandemic, flood) for an area and a period. */
  'activation:manage': anyOf('emergency_manager', 'admin'),
  /** Which emergency is on: every staff screen shows its ribbon. */
  'activation:read': anyOf(...STAFF),
  /** Write official information (scripts, FAQs) as drafts: the author's half of the rule. */
  'knowledge:edit': anyOf('emergency_manager', 'supervisor', 'admin'),
  /** Read official information: call-takers see the approved script, editors every draft. */
  'knowledge:read': anyOf(...STAFF),
  /** Approve a version so call-takers and the public see it (never one's own, see the domain). */
  'knowledge:approve': anyOf('emergency_manager', 'supervisor', 'admin'),
  /** Put PODs, shelters and warming centres on the list and change their status. */
  'facility:manage': anyOf('emergency_manager', 'admin'),
  /** The facilities and the nearest open one to a caller. */
  'facility:read': anyOf(...STAFF),
  /** Enrol registrants in the special-needs registry, record consent, re-verify, edit. */
  'registry:manage': anyOf('emergency_manager', 'admin'),
  /**
   * Registrants' health details (needs, emergency contacts) and wellness calls: the role half.
   * The other half is in the domain (mayReadHealth): only during an activation covering the
   * registrant, or on the registrant's own incident; every read is audited.
   */
  'registry:health': anyOf('emergency_manager', 'call_taker', 'supervisor'),
  /** Build an outbound call list (registry or an incident's reporters) and close it. */
  'campaign:manage': anyOf('emergency_manager', 'supervisor', 'admin'),
  /**
   * Take the next person on a list and record the call. The person's number is then shown only
   * if the role may read it: registry health roles during the activation, caller:read else.
   */
  'campaign:work': anyOf('call_taker', 'supervisor', 'emergency_manager'),
  /** Campaigns and their progress (counts only; no names, numbers or needs). */
  'campaign:read': anyOf(...INTAKE, 'emergency_manager', 'command', 'admin'),
  /** Plow and tow queues, the segment state map, hazards by crew: whoever works the storm. */
  'snow:read': anyOf(...INTAKE, 'emergency_manager', 'command'),
  /** Mark a segment plowed, add a hospital or dialysis centre as a critical place. */
  'snow:manage': anyOf('emergency_manager', 'supervisor', 'admin'),
  /** Caller-satisfaction results and notification delivery figures. */
  'survey:read': anyOf('supervisor', 'command', 'analyst', 'admin'),
  /** Post service requests through Open311 GeoReport v2 (the API key's role). */
  'open311:submit': anyOf('open311_client'),
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

/** Roles that act for the whole centre, never limited to one unit or one agency. */
const CENTRE_WIDE: readonly Role[] = [
  'call_taker',
  'supervisor',
  'dispatcher',
  'command',
  'analyst',
  'admin',
]
const centreWide = (actor: Actor) => actor.roles.some((r) => CENTRE_WIDE.includes(r))

/** Agencies that community-policing staff work for: the NSC and the community policing unit. */
const COMMUNITY_AGENCIES: readonly string[] = ['NSC', 'COP']

/**
 * The second half of the table: rules that depend on the record as well as the role. An officer
 * works only the unit they are signed on to; a partner sees and works only referrals to their
 * own agency (community policing: the Neighborhood Service Center's and its own).
 */
export const SCOPES = {
  unit: (actor: Actor, unit: { crew: string | null }) =>
    centreWide(actor) || (actor.roles.includes('officer') && unit.crew === actor.id),
  referral: (actor: Actor, referral: { agency: string }) =>
    centreWide(actor) ||
    (actor.roles.includes('agency_liaison') &&
      actor.agency != null &&
      referral.agency === actor.agency) ||
    (actor.roles.includes('community_policing') && COMMUNITY_AGENCIES.includes(referral.agency)),
  /** An officer works (stage, notes) only the problems they own; problem solvers work any. */
  problem: (actor: Actor, problem: { owner: { kind: string; id: string } | null }) =>
    actor.roles.some((r) => PROBLEM_SOLVERS.includes(r)) ||
    (actor.roles.includes('officer') &&
      problem.owner?.kind === 'officer' &&
      problem.owner.id === actor.id),
} satisfies Record<string, (actor: Actor, record: never) => boolean>

const OUT_OF_SCOPE: Record<keyof typeof SCOPES, string> = {
  unit: 'work a unit you are not signed on to',
  referral: "see or work another agency's referrals",
  problem: 'work a problem you do not own',
}

/** Throws ForbiddenError unless the record is within the actor's scope. */
export function authorizeScope<S extends keyof typeof SCOPES>(
  actor: Actor,
  scope: S,
  record: Parameters<(typeof SCOPES)[S]>[1],
): void {
  const rule = SCOPES[scope] as (a: Actor, r: typeof record) => boolean
  if (!rule(actor, record)) throw new ForbiddenError(OUT_OF_SCOPE[scope])
}

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
