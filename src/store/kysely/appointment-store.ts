import type { Kysely, Selectable, Transaction } from 'kysely'
import type {
  Appointment,
  AppointmentStatus,
  AvailabilityWindow,
  ResourceKind,
} from '../../domain/appointments/appointment.js'
import { ConflictError, NotFoundError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { AppointmentStore, StoredResource } from '../ports.js'
import type {
  AppointmentTable,
  AvailabilityWindowTable,
  Database,
  SchedulableResourceTable,
} from './database.js'
import type { StoreDialect } from './dialect.js'

type StoredWindow = AvailabilityWindow & { id: string }

/** The schedule of PSAs, officers and NSC staff, and the appointments booked on it, over Kysely. */
export class KyselyAppointmentStore implements AppointmentStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, d: StoreDialect) {
    this.#db = db
    this.#d = d
  }

  async addResource(resource: StoredResource): Promise<void> {
    const taken = () =>
      new ConflictError(
        'resource_name_taken',
        `'${resource.name}' is already on the schedule; give the new entry another name`,
      )
    try {
      await this.#db.transaction().execute(async (trx) => {
        const same = await trx
          .selectFrom('schedulable_resource')
          .select('id')
          .where('name', '=', resource.name)
          .executeTakeFirst()
        if (same) throw taken()
        await trx.insertInto('schedulable_resource').values(resourceRow(resource)).execute()
      })
    } catch (err) {
      // Two managers adding the same name at once: the unique index settles it.
      if (this.#d.isUniqueViolation(err)) throw taken()
      throw err
    }
  }

  async resources(): Promise<StoredResource[]> {
    const rows = await this.#db
      .selectFrom('schedulable_resource')
      .selectAll()
      .orderBy('name')
      .execute()
    return rows.map(toResource)
  }

  async resource(id: string): Promise<StoredResource | null> {
    const r = await this.#db
      .selectFrom('schedulable_resource')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? toResource(r) : null
  }

  async addWindow(window: StoredWindow): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      // Locked like a booking, so two overlapping windows added at once cannot both pass.
      await lockResource(trx, window.resourceId)
      const clash = await trx
        .selectFrom('availability_window')
        .selectAll()
        .where('resource_id', '=', window.resourceId)
        .where('starts_at', '<', window.endsAt)
        .where('ends_at', '>', window.startsAt)
        .orderBy('starts_at')
        .executeTakeFirst()
      if (clash) {
        throw new ConflictError(
          'window_overlaps',
          `the resource is already bookable ${iso(clash.starts_at)} to ${iso(clash.ends_at)}, which overlaps; add only the time not yet open`,
          { windowId: clash.id, startsAt: Number(clash.starts_at), endsAt: Number(clash.ends_at) },
        )
      }
      await trx.insertInto('availability_window').values(windowRow(window)).execute()
    })
  }

  async windows(from: Instant, to: Instant, resourceId?: string): Promise<StoredWindow[]> {
    let q = this.#db
      .selectFrom('availability_window')
      .selectAll()
      .where('starts_at', '<', to)
      .where('ends_at', '>', from)
    if (resourceId !== undefined) q = q.where('resource_id', '=', resourceId)
    const rows = await q.orderBy('starts_at').orderBy('resource_id').execute()
    return rows.map(toWindow)
  }

  async appointments(from: Instant, to: Instant, resourceId?: string): Promise<Appointment[]> {
    let q = this.#db
      .selectFrom('appointment')
      .selectAll()
      .where('starts_at', '<', to)
      .where('ends_at', '>', from)
    if (resourceId !== undefined) q = q.where('resource_id', '=', resourceId)
    const rows = await q.orderBy('starts_at').orderBy('resource_id').orderBy('id').execute()
    return rows.map(toAppointment)
  }

  async appointment(id: string): Promise<Appointment | null> {
    const r = await this.#db
      .selectFrom('appointment')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? toAppointment(r) : null
  }

  async bookedFor(incidentIds: readonly string[]): Promise<Appointment[]> {
    // In chunks: the dispatch queue can ask about thousands of incidents, past the number of
    // parameters a statement may bind.
    const found: Appointment[] = []
    for (let i = 0; i < incidentIds.length; i += 1000) {
      const rows = await this.#db
        .selectFrom('appointment')
        .selectAll()
        .where('incident_id', 'in', incidentIds.slice(i, i + 1000))
        .where('status', '=', 'booked')
        .execute()
      found.push(...rows.map(toAppointment))
    }
    return found.sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id))
  }

  async book(
    resourceId: string,
    decide: (windows: AvailabilityWindow[], existing: Appointment[]) => Appointment,
  ): Promise<Appointment> {
    return this.#db.transaction().execute(async (trx) => {
      await lockResource(trx, resourceId)
      // The port gives no time span, so every window and every booking still holding time is
      // read; cancelled ones free their time and `decide` would skip them anyway.
      const windows = await trx
        .selectFrom('availability_window')
        .selectAll()
        .where('resource_id', '=', resourceId)
        .orderBy('starts_at')
        .execute()
      const existing = await trx
        .selectFrom('appointment')
        .selectAll()
        .where('resource_id', '=', resourceId)
        .where('status', '!=', 'cancelled')
        .orderBy('starts_at')
        .execute()
      const appt = decide(windows.map(toWindow), existing.map(toAppointment))
      // The lock covers this resource only; an appointment for another would be unguarded.
      if (appt.resourceId !== resourceId) {
        throw new Error(`book(${resourceId}) decided an appointment for ${appt.resourceId}`)
      }
      await trx.insertInto('appointment').values(appointmentRow(appt)).execute()
      return appt
    })
  }

  async update(appointment: Appointment, expectedVersion: number): Promise<void> {
    const r = await this.#db
      .updateTable('appointment')
      .set(appointmentRow(appointment))
      .where('id', '=', appointment.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) {
      throw new ConflictError(
        'stale_appointment',
        'the appointment was changed meanwhile; reload it and try again',
      )
    }
  }
}

/**
 * Takes the resource's row lock before anything is read, so bookings of one resource run one
 * after the other. A no-op UPDATE does it on both databases: PostgreSQL holds the row lock to
 * the commit (the second booking waits, then reads the first one's appointment), and SQLite's
 * deferred transaction takes the write lock at its first write rather than after the reads,
 * where two transactions could each read "free" and then both write. Unknown id: NotFoundError.
 */
async function lockResource(trx: Transaction<Database>, resourceId: string): Promise<void> {
  const r = await trx
    .updateTable('schedulable_resource')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', resourceId)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) !== 1) throw new NotFoundError('resource', resourceId)
}

const iso = (t: number) => new Date(Number(t)).toISOString()
const instantOrNull = (v: number | null) => (v === null ? null : Number(v))

function resourceRow(r: StoredResource): Selectable<SchedulableResourceTable> {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    district: r.district,
    location: r.location,
    active: r.active ? 1 : 0,
  }
}

function toResource(r: Selectable<SchedulableResourceTable>): StoredResource {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as ResourceKind,
    district: r.district,
    location: r.location,
    active: Number(r.active) === 1,
  }
}

function windowRow(w: StoredWindow): Selectable<AvailabilityWindowTable> {
  return { id: w.id, resource_id: w.resourceId, starts_at: w.startsAt, ends_at: w.endsAt }
}

function toWindow(r: Selectable<AvailabilityWindowTable>): StoredWindow {
  return {
    id: r.id,
    resourceId: r.resource_id,
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
  }
}

function appointmentRow(a: Appointment): Selectable<AppointmentTable> {
  return {
    id: a.id,
    resource_id: a.resourceId,
    incident_id: a.incidentId,
    starts_at: a.startsAt,
    ends_at: a.endsAt,
    purpose: a.purpose,
    place: a.place,
    status: a.status,
    booked_by: a.bookedBy,
    booked_at: a.bookedAt,
    cancelled_reason: a.cancelledReason,
    cancelled_by: a.cancelledBy,
    cancelled_at: a.cancelledAt,
    version: a.version,
  }
}

function toAppointment(r: Selectable<AppointmentTable>): Appointment {
  return {
    id: r.id,
    resourceId: r.resource_id,
    incidentId: r.incident_id,
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    purpose: r.purpose,
    place: r.place,
    status: r.status as AppointmentStatus,
    bookedBy: r.booked_by,
    bookedAt: Number(r.booked_at),
    cancelledReason: r.cancelled_reason,
    cancelledBy: r.cancelled_by,
    cancelledAt: instantOrNull(r.cancelled_at),
    version: Number(r.version),
  }
}
