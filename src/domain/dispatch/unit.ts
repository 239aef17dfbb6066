import { ConflictError } from '../shared/errors.js'
import type { LatLon } from '../shared/geo.js'
import type { Instant } from '../shared/instant.js'

/** What kind of resource a unit is; the response mode decides which kinds may take a call. */
export const UNIT_TYPES = ['patrol', 'problem_solving', 'civilian', 'nsc', 'agency_crew'] as const
export type UnitType = (typeof UNIT_TYPES)[number]

/**
 * Split force: some patrol units answer calls while others are kept for problem solving and are
 * pulled into the call queue only when it cannot wait (the Wilmington split-force experiment,
 * research/police-call-management.md).
 */
export const SPLIT_FORCE_ROLES = ['call_response', 'problem_solving'] as const
export type SplitForceRole = (typeof SPLIT_FORCE_ROLES)[number]

/** What the unit is doing: the secondary status. `null` is in service with nothing to do. */
export const UNIT_ACTIVITIES = [
  'dispatched',
  'en_route',
  'on_scene',
  'report_writing',
  'problem_solving',
  'out_of_service',
] as const
export type UnitActivity = (typeof UNIT_ACTIVITIES)[number]

/** The primary status a dispatcher reads first. */
export type UnitAvailability = 'available' | 'conditionally_available' | 'not_available'

export interface Unit {
  id: string
  /** The radio call sign ("2A31"). */
  callSign: string
  type: UnitType
  splitForceRole: SplitForceRole | null
  shift: string | null
  district: string | null
  beat: string | null
  activity: UnitActivity | null
  /** The assignment it is working, when it has one. */
  assignmentId: string | null
  /** Last known position (AVL or the last scene), when known. */
  position: LatLon | null
  /** Signed on for the shift; a unit off duty is never recommended. */
  onDuty: boolean
  /** The officer signed on to the unit (user name): the one who works its calls from a phone. */
  crew: string | null
  updatedAt: Instant
  version: number
}

/**
 * Report writing and problem solving can be interrupted for a call that cannot wait; a unit on
 * the road to or at a scene, or out of service, cannot.
 */
export function availabilityOf(unit: Pick<Unit, 'activity' | 'onDuty'>): UnitAvailability {
  if (!unit.onDuty) return 'not_available'
  switch (unit.activity) {
    case null:
      return 'available'
    case 'report_writing':
    case 'problem_solving':
      return 'conditionally_available'
    default:
      return 'not_available'
  }
}

/** Which activity may follow which; `null` is back in service. */
const NEXT: Record<UnitActivity | 'free', readonly (UnitActivity | null)[]> = {
  free: ['dispatched', 'en_route', 'report_writing', 'problem_solving', 'out_of_service'],
  // Dispatched and not yet moving: the dispatcher may still recall it.
  dispatched: ['en_route', null],
  en_route: ['on_scene', null],
  on_scene: ['report_writing', null],
  // Report writing and problem solving give way to a call (the conditionally available unit).
  report_writing: [null, 'dispatched', 'en_route'],
  problem_solving: [null, 'dispatched', 'en_route'],
  out_of_service: [null],
}

/** One change of a unit's status, kept for ever (the unit's history). */
export interface UnitStatusEvent {
  unitId: string
  from: UnitActivity | null
  to: UnitActivity | null
  assignmentId: string | null
  at: Instant
  by: string
}

/** Moves a unit to a new activity; a ConflictError names the moves that are allowed. */
export function changeUnitActivity(
  unit: Unit,
  to: UnitActivity | null,
  by: string,
  at: Instant,
  /** The assignment the unit takes on with this change (dispatching it). */
  assignmentId?: string,
): { unit: Unit; event: UnitStatusEvent } {
  if (!unit.onDuty) {
    throw new ConflictError('unit_off_duty', `unit ${unit.callSign} is not signed on`)
  }
  const allowed = NEXT[unit.activity ?? 'free']
  if (!allowed.includes(to)) {
    const names = allowed.map((a) => a ?? 'in service').join(', ')
    throw new ConflictError(
      'invalid_unit_transition',
      `unit ${unit.callSign} is ${unit.activity ?? 'in service'} and cannot become ${to ?? 'in service'} (allowed: ${names})`,
    )
  }
  const working = to === null ? null : (assignmentId ?? unit.assignmentId)
  return {
    unit: {
      ...unit,
      activity: to,
      assignmentId: working,
      updatedAt: at,
      version: unit.version + 1,
    },
    event: {
      unitId: unit.id,
      from: unit.activity,
      to,
      assignmentId: assignmentId ?? unit.assignmentId,
      at,
      by,
    },
  }
}
