import type { Kysely, Selectable, Transaction } from 'kysely'
import type {
  SplitForceRole,
  Unit,
  UnitActivity,
  UnitStatusEvent,
  UnitType,
} from '../../domain/dispatch/unit.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { UnitStore } from '../ports.js'
import type { Database, UnitTable } from './database.js'

/** The unit roster and status history over Kysely. */
export class KyselyUnitStore implements UnitStore {
  readonly #db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async addUnit(unit: Unit): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('unit')
        .select('id')
        .where((eb) => eb.or([eb('call_sign', '=', unit.callSign), eb('id', '=', unit.id)]))
        .executeTakeFirst()
      if (taken)
        throw new ConflictError(
          'call_sign_taken',
          `a unit with call sign '${unit.callSign}' is already on the roster`,
        )
      await trx.insertInto('unit').values(unitRow(unit)).execute()
    })
  }

  async unit(id: string): Promise<Unit | null> {
    const r = await this.#db.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst()
    return r ? toUnit(r) : null
  }

  async units(): Promise<Unit[]> {
    const rows = await this.#db.selectFrom('unit').selectAll().orderBy('call_sign').execute()
    return rows.map(toUnit)
  }

  async recordStatus(
    unit: Unit,
    expectedVersion: number,
    event: UnitStatusEvent | null,
  ): Promise<void> {
    await this.#db.transaction().execute((trx) => saveUnitChange(trx, unit, expectedVersion, event))
  }

  async history(unitId: string): Promise<UnitStatusEvent[]> {
    const rows = await this.#db
      .selectFrom('unit_status_event')
      .selectAll()
      .where('unit_id', '=', unitId)
      .orderBy('at')
      .orderBy('seq')
      .execute()
    return rows.map((r) => ({
      unitId: r.unit_id,
      from: r.from_activity as UnitActivity | null,
      to: r.to_activity as UnitActivity | null,
      assignmentId: r.assignment_id,
      at: Number(r.at),
      by: r.by,
    }))
  }
}

/** Saves a unit's new state and the change that made it, inside a caller's transaction. */
export async function saveUnitChange(
  trx: Transaction<Database>,
  unit: Unit,
  expectedVersion: number,
  event: UnitStatusEvent | null,
): Promise<void> {
  const r = await trx
    .updateTable('unit')
    .set(unitRow(unit))
    .where('id', '=', unit.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) !== 1)
    throw new ConflictError(
      'stale_unit',
      `unit ${unit.callSign} was changed meanwhile; reload it and try again`,
    )
  if (event)
    await trx
      .insertInto('unit_status_event')
      .values({
        unit_id: event.unitId,
        from_activity: event.from,
        to_activity: event.to,
        assignment_id: event.assignmentId,
        at: event.at,
        by: event.by,
      })
      .execute()
}

function unitRow(u: Unit): Selectable<UnitTable> {
  return {
    id: u.id,
    call_sign: u.callSign,
    type: u.type,
    split_force_role: u.splitForceRole,
    shift: u.shift,
    district: u.district,
    beat: u.beat,
    activity: u.activity,
    assignment_id: u.assignmentId,
    lat: u.position?.lat ?? null,
    lon: u.position?.lon ?? null,
    on_duty: u.onDuty ? 1 : 0,
    crew: u.crew,
    updated_at: u.updatedAt,
    version: u.version,
  }
}

export function toUnit(r: Selectable<UnitTable>): Unit {
  return {
    id: r.id,
    callSign: r.call_sign,
    type: r.type as UnitType,
    splitForceRole: r.split_force_role as SplitForceRole | null,
    shift: r.shift,
    district: r.district,
    beat: r.beat,
    activity: r.activity as UnitActivity | null,
    assignmentId: r.assignment_id,
    position: r.lat !== null && r.lon !== null ? { lat: Number(r.lat), lon: Number(r.lon) } : null,
    onDuty: Number(r.on_duty) === 1,
    crew: r.crew,
    updatedAt: Number(r.updated_at),
    version: Number(r.version),
  }
}
