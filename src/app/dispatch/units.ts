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
  if (unit.version !== change.version) {
    throw new ConflictError(
      'stale_unit',
      `unit ${unit.callSign} was changed meanwhile (now version ${unit.version}); reload it and try again`,
    )
  }
  const { unit: next, event } = changeUnitActivity(
    unit,
    change.activity,
    actor.id,
    deps.clock.now(),
  )
  const placed = change.position ? { ...next, position: change.position } : next
  await deps.store.units.recordStatus(placed, unit.version, event)
  deps.live.publish({
    type: 'unit',
    data: { id, callSign: placed.callSign, activity: placed.activity, version: placed.version },
    visibleTo: () => true,
  })
  return placed
}
