import { authorizeScope } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import {
  changeUnitActivity,
  type Unit,
  type UnitActivity,
  type UnitStatusEvent,
} from '../../domain/dispatch/unit.js'
import { ConflictError, NotFoundError } from '../../domain/shared/errors.js'
import type { LatLon } from '../../domain/shared/geo.js'
import type { AppDeps } from '../deps.js'
import { advance, publishUnit } from './assignments.js'

export type NewUnit = Pick<
  Unit,
  'callSign' | 'type' | 'splitForceRole' | 'shift' | 'district' | 'beat' | 'onDuty'
>

/** Puts a unit on the roster, in service with nothing to do. */
export async function addUnit(deps: AppDeps, _actor: Actor, input: NewUnit): Promise<Unit> {
  const unit: Unit = {
    id: deps.ids.next(),
    ...input,
    callSign: input.callSign.toUpperCase(),
    activity: null,
    assignmentId: null,
    crew: null,
    position: null,
    updatedAt: deps.clock.now(),
    version: 1,
  }
  await deps.store.units.addUnit(unit)
  return unit
}

export function listUnits(deps: AppDeps): Promise<Unit[]> {
  return deps.store.units.units()
}

export async function unitWithHistory(
  deps: AppDeps,
  id: string,
): Promise<{ unit: Unit; history: UnitStatusEvent[] }> {
  const unit = await deps.store.units.unit(id)
  if (!unit) throw new NotFoundError('unit', id)
  return { unit, history: await deps.store.units.history(id) }
}

/**
 * A unit reports what it is doing (the officer's buttons, or the dispatcher for it). The change
 * is made from the version the person saw, so two people cannot overwrite each other.
 */
export async function changeUnitStatus(
  deps: AppDeps,
  actor: Actor,
  id: string,
  change: { activity: UnitActivity | null; version: number; position?: LatLon },
): Promise<Unit> {
  const unit = await deps.store.units.unit(id)
  if (!unit) throw new NotFoundError('unit', id)
  authorizeScope(actor, 'unit', unit)
  if (unit.version !== change.version) {
    throw new ConflictError(
      'stale_unit',
      `unit ${unit.callSign} was changed meanwhile (now version ${unit.version}); reload it and try again`,
    )
  }
  // A unit on an assignment moves through the assignment, so its run keeps every time stamp.
  if (unit.assignmentId) {
    if (change.activity === 'en_route' || change.activity === 'on_scene') {
      await advance(deps, actor, unit.assignmentId, change.activity)
      return (await deps.store.units.unit(id)) ?? unit
    }
    if (change.activity === null) {
      throw new ConflictError(
        'clear_assignment',
        `unit ${unit.callSign} is on an assignment; clear it with a disposition`,
      )
    }
  }
  const { unit: next, event } = changeUnitActivity(
    unit,
    change.activity,
    actor.id,
    deps.clock.now(),
  )
  const placed = change.position ? { ...next, position: change.position } : next
  await deps.store.units.recordStatus(placed, unit.version, event)
  publishUnit(deps, placed)
  return placed
}
