import { authorizeScope } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import {
  type Assignment,
  type AssignmentStep,
  advanceAssignment,
  assignUnit,
  clearAssignment,
  type DispatchChange,
  recallAssignment,
} from '../../domain/dispatch/assignment.js'
import type { AssignmentRole } from '../../domain/dispatch/dispatch-guard.js'
import {
  dispatchQueue,
  type QueuedIncident,
  type QueueLine,
} from '../../domain/dispatch/dispatch-queue.js'
import { recommendUnits, type UnitRecommendation } from '../../domain/dispatch/recommend-units.js'
import type { Unit } from '../../domain/dispatch/unit.js'
import { type UnitTime, unitTime } from '../../domain/dispatch/unit-time.js'
import { DISPOSITIONS, type Disposition, type Incident } from '../../domain/incidents/incident.js'
import { ConflictError, DomainError, found } from '../../domain/shared/errors.js'
import { HOUR } from '../../domain/shared/instant.js'
import type { AppDeps } from '../deps.js'
import { notifyClosure } from '../follow-up/follow-up.js'
import { publishIncident } from '../live/publish-incident.js'

/** Refusals worth counting: the guard's, and a unit already busy. */
const COUNTED_REFUSALS = new Set([
  'already_dispatched',
  'duplicate_of_dispatched',
  'already_referred',
  'no_primary',
  'unit_not_available',
])

export interface DispatchBoard {
  /** The most urgent lines of the queue, up to the limit asked for. */
  queue: QueueLine[]
  /** How many calls wait in all. */
  queueTotal: number
  /** Delayed responses not yet due, soonest first. */
  held: QueuedIncident[]
  heldTotal: number
  units: Unit[]
  active: Assignment[]
}

/** How many held (not yet due) delayed responses the board lists. */
const HELD_SHOWN = 50

/** Everything the dispatcher's board shows, read at one moment. */
export async function dispatchBoard(deps: AppDeps, limit = 200): Promise<DispatchBoard> {
  const now = deps.clock.now()
  const [slice, units, active] = await Promise.all([
    deps.store.dispatch.queue(now, { due: limit, held: HELD_SHOWN }),
    deps.store.units.units(),
    deps.store.dispatch.activeAssignments(),
  ])
  return {
    // The store has ordered and cut the queue; the domain adds the waits and late flags.
    queue: dispatchQueue(slice.due, now),
    queueTotal: slice.dueTotal,
    held: slice.held,
    heldTotal: slice.heldTotal,
    units,
    active,
  }
}

/** The units best placed to take an incident, with the reasons. */
export async function recommendFor(
  deps: AppDeps,
  incidentId: string,
): Promise<UnitRecommendation[]> {
  const incident = found(await deps.store.incidents.get(incidentId), 'incident', incidentId)
  const units = await deps.store.units.units()
  return recommendUnits(
    {
      mode: incident.mode,
      priority: incident.priority,
      district: incident.location?.policeDistrict ?? null,
      beat: incident.location?.beat ?? null,
      point:
        incident.location?.lat != null && incident.location.lon != null
          ? { lat: incident.location.lat, lon: incident.location.lon }
          : null,
    },
    units,
  )
}

export interface AssignInput {
  incidentId: string
  unitId: string
  role: AssignmentRole
  /** Present only when the dispatcher sends a unit despite a duplicate or a referral. */
  dualDispatch?: { reason: string }
}

/**
 * Sends a unit through the double-dispatch guard. A refusal is counted before it is reported,
 * so the evaluation sees attempts as well as dispatches.
 */
export async function assign(deps: AppDeps, actor: Actor, input: AssignInput): Promise<Assignment> {
  const [incident, unit, assignments, referral] = await Promise.all([
    deps.store.incidents.get(input.incidentId).then((i) => found(i, 'incident', input.incidentId)),
    deps.store.units.unit(input.unitId).then((u) => found(u, 'unit', input.unitId)),
    deps.store.dispatch.assignmentsOf(input.incidentId),
    deps.store.referrals.openFor(input.incidentId),
  ])
  const primary = assignments.find((a) => a.active && a.role === 'primary')
  const now = deps.clock.now()
  let change: ReturnType<typeof assignUnit>
  try {
    change = assignUnit({
      incident,
      unit,
      role: input.role,
      decision: input.dualDispatch ?? null,
      situation: {
        activePrimaryUnit: primary?.callSign ?? null,
        openReferralTo: referral?.agency ?? null,
      },
      id: deps.ids.next(),
      actor: actor.id,
      now,
    })
  } catch (err) {
    if (err instanceof DomainError && COUNTED_REFUSALS.has(err.code)) {
      await deps.store.dispatch.recordRefusal({
        incidentId: incident.id,
        unitId: unit.id,
        code: err.code,
        at: now,
        by: actor.id,
      })
    }
    throw err
  }
  await save(deps, change, { assignment: null, unit, incident })
  deps.log.info(
    {
      incidentId: incident.id,
      unit: unit.callSign,
      role: input.role,
      dualDispatch: change.clearance,
    },
    'unit assigned',
  )
  return change.assignment
}

/** En route or on scene, from the officer's phone or the dispatcher for the unit. */
export async function advance(
  deps: AppDeps,
  actor: Actor,
  assignmentId: string,
  step: AssignmentStep,
): Promise<Assignment> {
  const { assignment, unit } = await workable(deps, actor, assignmentId)
  const change = advanceAssignment(assignment, unit, step, actor.id, deps.clock.now())
  await save(deps, change, { assignment, unit, incident: null })
  return change.assignment
}

/** The unit clears with a disposition; the last primary to clear closes the incident. */
export async function clear(
  deps: AppDeps,
  actor: Actor,
  assignmentId: string,
  disposition: Disposition,
): Promise<Assignment> {
  const { assignment, unit } = await workable(deps, actor, assignmentId)
  const incident = found(
    await deps.store.incidents.get(assignment.incidentId),
    'incident',
    assignment.incidentId,
  )
  const others = await otherActive(deps, assignment)
  const change = clearAssignment(
    assignment,
    unit,
    incident,
    disposition,
    others,
    actor.id,
    deps.clock.now(),
  )
  await save(deps, change, { assignment, unit, incident })
  return change.assignment
}

/** The dispatcher takes the unit off the call; a recalled primary puts the call back in the queue. */
export async function recall(
  deps: AppDeps,
  actor: Actor,
  assignmentId: string,
  reason: string,
): Promise<Assignment> {
  const assignment = found(
    await deps.store.dispatch.assignment(assignmentId),
    'assignment',
    assignmentId,
  )
  const [unit, incident, others] = await Promise.all([
    deps.store.units.unit(assignment.unitId).then((u) => found(u, 'unit', assignment.unitId)),
    deps.store.incidents
      .get(assignment.incidentId)
      .then((i) => found(i, 'incident', assignment.incidentId)),
    otherActive(deps, assignment),
  ])
  const change = recallAssignment(
    assignment,
    unit,
    incident,
    reason,
    others,
    actor.id,
    deps.clock.now(),
  )
  await save(deps, change, { assignment, unit, incident })
  return change.assignment
}

/** An officer signs on to a unit for the shift (or a supervisor signs them on). */
export async function signOnToUnit(
  deps: AppDeps,
  actor: Actor,
  unitId: string,
  crew: string | null,
): Promise<Unit> {
  const unit = found(await deps.store.units.unit(unitId), 'unit', unitId)
  const officer = crew ?? actor.id
  if (officer !== actor.id && actor.roles.every((r) => r === 'officer')) {
    throw new ConflictError('sign_on_self', 'an officer signs on only themselves')
  }
  const units = await deps.store.units.units()
  const elsewhere = units.find((u) => u.crew === officer && u.id !== unit.id)
  if (elsewhere) {
    throw new ConflictError(
      'already_signed_on',
      `${officer} is signed on to unit ${elsewhere.callSign}; sign off there first`,
    )
  }
  const next: Unit = {
    ...unit,
    crew: officer,
    onDuty: true,
    updatedAt: deps.clock.now(),
    version: unit.version + 1,
  }
  await deps.store.units.recordStatus(next, unit.version, null)
  publishUnit(deps, next)
  return next
}

/** The unit the officer is signed on to, with its current assignment and the incident. */
export async function myUnit(
  deps: AppDeps,
  actor: Actor,
): Promise<{
  unit: Unit
  assignment: Assignment | null
  incident: Incident | null
  shiftTime: UnitTime
} | null> {
  const unit = (await deps.store.units.units()).find((u) => u.crew === actor.id)
  if (!unit) return null
  const assignment = unit.assignmentId
    ? await deps.store.dispatch.assignment(unit.assignmentId)
    : null
  const incident = assignment ? await deps.store.incidents.get(assignment.incidentId) : null
  const now = deps.clock.now()
  const shiftTime = unitTime(await deps.store.units.history(unit.id), now - SHIFT_MS, now)
  return { unit, assignment, incident, shiftTime }
}

/** The officer's view sums time over a shift's length back from now. */
const SHIFT_MS = 12 * HOUR

export function assignmentsOfIncident(deps: AppDeps, incidentId: string): Promise<Assignment[]> {
  return deps.store.dispatch.assignmentsOf(incidentId)
}

export function dispatchCounts(deps: AppDeps, from: number, to: number) {
  return deps.store.dispatch.counts(from, to)
}

async function workable(deps: AppDeps, actor: Actor, assignmentId: string) {
  const assignment = found(
    await deps.store.dispatch.assignment(assignmentId),
    'assignment',
    assignmentId,
  )
  const unit = found(await deps.store.units.unit(assignment.unitId), 'unit', assignment.unitId)
  authorizeScope(actor, 'unit', unit)
  return { assignment, unit }
}

async function otherActive(deps: AppDeps, a: Assignment): Promise<number> {
  const all = await deps.store.dispatch.assignmentsOf(a.incidentId)
  return all.filter((x) => x.active && x.id !== a.id).length
}

async function save(
  deps: AppDeps,
  change: DispatchChange,
  before: { assignment: Assignment | null; unit: Unit; incident: Incident | null },
): Promise<void> {
  await deps.store.dispatch.saveDispatch(change, {
    assignment: before.assignment?.version ?? null,
    unit: before.unit.version,
    incident: before.incident?.version ?? null,
  })
  publishUnit(deps, change.unit)
  deps.live.publish({
    type: 'assignment',
    data: { ...change.assignment },
    visibleTo: () => true,
  })
  if (change.incident) {
    const after = change.incident.incident
    publishIncident(deps, after)
    if (after.status === 'closed' && before.incident?.status !== 'closed' && after.disposition)
      await notifyClosure(deps, after, DISPOSITIONS[after.disposition].label)
  }
}

export function publishUnit(deps: AppDeps, u: Unit): void {
  deps.live.publish({
    type: 'unit',
    data: {
      id: u.id,
      callSign: u.callSign,
      activity: u.activity,
      assignmentId: u.assignmentId,
      onDuty: u.onDuty,
      position: u.position,
      version: u.version,
    },
    visibleTo: () => true,
  })
}
