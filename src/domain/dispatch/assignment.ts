import {
  type Disposition,
  formatIncidentNumber,
  type Incident,
  type IncidentEvent,
  isOpen,
} from '../incidents/incident.js'
import { changeStatus } from '../incidents/status-machine.js'
import { ConflictError, ValidationError } from '../shared/errors.js'
import type { Instant } from '../shared/instant.js'
import {
  type AssignmentRole,
  clearDispatch,
  type DispatchSituation,
  type DualDispatchDecision,
  type DualDispatchKind,
} from './dispatch-guard.js'
import { UNIT_TYPES_FOR_MODE } from './dispatch-queue.js'
import { availabilityOf, changeUnitActivity, type Unit, type UnitStatusEvent } from './unit.js'

/**
 * One unit sent to one incident, with every time stamp of the run kept (assigned, en route, on
 * scene, cleared): these are the response-time figures the evaluation reads.
 */
export interface Assignment {
  id: string
  incidentId: string
  /** Kept with the assignment so boards and exports need not look the incident up. */
  incidentNumber: number | null
  unitId: string
  callSign: string
  role: AssignmentRole
  /** Set when the unit went despite a duplicate or a referral, with the dispatcher's reason. */
  dualDispatch: { kind: DualDispatchKind; reason: string } | null
  assignedAt: Instant
  assignedBy: string
  enRouteAt: Instant | null
  onSceneAt: Instant | null
  clearedAt: Instant | null
  clearedBy: string | null
  /** How the unit's part ended; `null` with `clearedAt` set means it was recalled. */
  disposition: Disposition | null
  /** Why the dispatcher recalled the unit before it finished. */
  recallReason: string | null
  active: boolean
  version: number
}

/** What one dispatch step changes, saved together in one transaction. */
export interface DispatchChange {
  assignment: Assignment
  unit: Unit
  unitEvent: UnitStatusEvent
  incident: { incident: Incident; event: IncidentEvent } | null
}

export interface AssignRequest {
  incident: Incident
  unit: Unit
  role: AssignmentRole
  decision: DualDispatchDecision | null
  /** The incident's active assignments and open referral, read just before. */
  situation: Pick<DispatchSituation, 'openReferralTo' | 'activePrimaryUnit'>
  id: string
  actor: string
  now: Instant
}

/**
 * Sends a unit to an incident. The double-dispatch guard decides first (a clear refusal names
 * the unit already there, the duplicate or the referral); then the unit must be free or
 * interruptible and of a type the response allows. A primary assignment starts the work on the
 * incident (pending → in progress).
 */
export function assignUnit(
  req: AssignRequest,
): DispatchChange & { clearance: DualDispatchKind | null } {
  const { incident, unit, now, actor } = req
  const number = formatIncidentNumber(incident.number) ?? 'the incident'
  const clearance = clearDispatch(
    { incidentNumber: incident.number, duplicateOf: incident.duplicateOf, ...req.situation },
    req.role,
    req.decision,
  )
  if (!isOpen(incident.status) && clearance.dualDispatch?.kind !== 'duplicate') {
    throw new ConflictError(
      'incident_not_open',
      `${number} is ${incident.status}; reopen it before sending a unit`,
    )
  }
  const types = UNIT_TYPES_FOR_MODE[incident.mode]
  if (!types && clearance.dualDispatch === null) {
    throw new ConflictError(
      'response_needs_no_unit',
      `${number} is answered by ${incident.mode.replaceAll('_', ' ')}; change its response before sending a unit`,
    )
  }
  if (types && !types.includes(unit.type)) {
    throw new ConflictError(
      'wrong_unit_type',
      `a ${unit.type.replace('_', ' ')} unit cannot answer ${incident.mode.replaceAll('_', ' ')} (send ${types.join(' or ')})`,
    )
  }
  if (availabilityOf(unit) === 'not_available') {
    throw new ConflictError(
      'unit_not_available',
      `unit ${unit.callSign} is ${unit.onDuty ? unit.activity?.replace('_', ' ') : 'off duty'}; choose another unit`,
    )
  }
  const moved = changeUnitActivity(unit, 'dispatched', actor, now, req.id)
  const assignment: Assignment = {
    id: req.id,
    incidentId: incident.id,
    incidentNumber: incident.number,
    unitId: unit.id,
    callSign: unit.callSign,
    role: req.role,
    dualDispatch: clearance.dualDispatch,
    assignedAt: now,
    assignedBy: actor,
    enRouteAt: null,
    onSceneAt: null,
    clearedAt: null,
    clearedBy: null,
    disposition: null,
    recallReason: null,
    active: true,
    version: 1,
  }
  const started =
    req.role === 'primary' && incident.status !== 'in_progress' && isOpen(incident.status)
      ? changeStatus(incident, { to: 'in_progress' }, actor, now).incident
      : { ...incident, updatedAt: now, version: incident.version + 1 }
  return {
    assignment,
    unit: moved.unit,
    unitEvent: moved.event,
    clearance: clearance.dualDispatch?.kind ?? null,
    incident: {
      incident: started,
      event: {
        incidentId: incident.id,
        at: now,
        actor,
        kind: 'unit_assigned',
        data: {
          unit: unit.callSign,
          role: req.role,
          from: incident.status,
          to: started.status,
          ...(clearance.dualDispatch ? { dualDispatch: clearance.dualDispatch.kind } : {}),
        },
        reason: clearance.dualDispatch?.reason ?? null,
      },
    },
  }
}

/** The steps of a run after assignment, in order. */
export type AssignmentStep = 'en_route' | 'on_scene'

/** The unit reports it is on its way, or has arrived; the time is kept on the assignment. */
export function advanceAssignment(
  assignment: Assignment,
  unit: Unit,
  step: AssignmentStep,
  actor: string,
  now: Instant,
): DispatchChange {
  requireActive(assignment)
  const moved = changeUnitActivity(unit, step, actor, now)
  return {
    assignment: {
      ...assignment,
      ...(step === 'en_route' ? { enRouteAt: now } : { onSceneAt: now }),
      version: assignment.version + 1,
    },
    unit: moved.unit,
    unitEvent: moved.event,
    incident: null,
  }
}

/**
 * The unit clears with a disposition. When the primary unit clears and no other unit is still
 * on the incident, the incident closes with that disposition.
 */
export function clearAssignment(
  assignment: Assignment,
  unit: Unit,
  incident: Incident,
  disposition: Disposition,
  othersActive: number,
  actor: string,
  now: Instant,
): DispatchChange {
  requireActive(assignment)
  if (disposition === 'duplicate' || disposition === 'transferred_911') {
    throw new ValidationError([
      {
        path: 'disposition',
        message: `a unit does not clear as '${disposition}'; use the incident's own command`,
      },
    ])
  }
  if (
    assignment.onSceneAt === null &&
    disposition !== 'cancelled' &&
    disposition !== 'gone_on_arrival'
  ) {
    throw new ConflictError(
      'not_on_scene',
      `unit ${assignment.callSign} has not arrived; mark it on scene first, or clear as cancelled or gone on arrival`,
    )
  }
  const moved = changeUnitActivity(unit, null, actor, now)
  const closes = assignment.role === 'primary' && othersActive === 0 && isOpen(incident.status)
  const next = closes
    ? changeStatus(incident, { to: 'closed', disposition }, actor, now).incident
    : { ...incident, updatedAt: now, version: incident.version + 1 }
  return {
    assignment: {
      ...assignment,
      clearedAt: now,
      clearedBy: actor,
      disposition,
      active: false,
      version: assignment.version + 1,
    },
    unit: moved.unit,
    unitEvent: moved.event,
    incident: {
      incident: next,
      event: {
        incidentId: incident.id,
        at: now,
        actor,
        kind: 'unit_cleared',
        data: {
          unit: assignment.callSign,
          disposition,
          from: incident.status,
          to: next.status,
        },
        reason: null,
      },
    },
  }
}

/**
 * The dispatcher takes a unit off a call before it finishes (a more urgent call, sent in
 * error). A recalled primary puts the incident back in the queue.
 */
export function recallAssignment(
  assignment: Assignment,
  unit: Unit,
  incident: Incident,
  reason: string,
  othersActive: number,
  actor: string,
  now: Instant,
): DispatchChange {
  requireActive(assignment)
  const why = reason.trim()
  if (why.length < 3) {
    throw new ValidationError([{ path: 'reason', message: 'say why the unit is recalled' }])
  }
  const freed = changeUnitActivity(unit, null, actor, now)
  const requeue =
    assignment.role === 'primary' && othersActive === 0 && incident.status === 'in_progress'
  const next = requeue
    ? changeStatus(incident, { to: 'pending' }, actor, now).incident
    : { ...incident, updatedAt: now, version: incident.version + 1 }
  return {
    assignment: {
      ...assignment,
      clearedAt: now,
      clearedBy: actor,
      recallReason: why,
      active: false,
      version: assignment.version + 1,
    },
    unit: freed.unit,
    unitEvent: freed.event,
    incident: {
      incident: next,
      event: {
        incidentId: incident.id,
        at: now,
        actor,
        kind: 'unit_cleared',
        data: { unit: assignment.callSign, recalled: true, from: incident.status, to: next.status },
        reason: why,
      },
    },
  }
}

function requireActive(a: Assignment): void {
  if (!a.active) {
    throw new ConflictError(
      'assignment_cleared',
      `unit ${a.callSign} has already cleared from this assignment`,
    )
  }
}
