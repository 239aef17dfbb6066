import type { Actor } from '../../domain/access/roles.js'
import {
  type Appointment,
  type AvailabilityWindow,
  type BookAppointmentInput,
  bookAppointment,
  cancelAppointment,
  type ResourceKind,
  recordAttendance as recordAttendanceRule,
  type Slot,
  slotsFor,
} from '../../domain/appointments/appointment.js'
import { appointmentToCalendarEvent, toICalendar } from '../../domain/appointments/icalendar.js'
import { formatIncidentNumber } from '../../domain/incidents/incident.js'
import {
  ConflictError,
  type FieldProblem,
  NotFoundError,
  ValidationError,
} from '../../domain/shared/errors.js'
import { DAY, type Instant } from '../../domain/shared/instant.js'
import type { StoredResource } from '../../store/ports.js'
import type { AppDeps } from '../deps.js'
import { setVisit } from '../incidents/incident-changes.js'

/**
 * Appointments with PSAs, officers and NSC staff (issue #6 item 5): the schedule, the free
 * slots the call-taker offers while the caller is on the line, the booking, the calendar and
 * its iCalendar export.
 */

/** Longest period one read covers: two months of calendar, and a bounded amount of work. */
export const MAX_PERIOD_DAYS = 62
/** Longest single block of bookable time; a longer one is more likely a typo than a rota. */
export const MAX_WINDOW_DAYS = 14
/** Most slots offered at once: more than a call-taker can read out, and it bounds the answer. */
export const MAX_SLOTS = 200

const PROD_ID = '-//triage311//appointments//EN'
const DEFAULT_CALENDAR_NAME = 'triage311 appointments'

export interface Period {
  from: Instant
  to: Instant
}

export interface NewResource {
  name: string
  kind: ResourceKind
  district: string | null
  location: string | null
}

/** Puts a PSA, an officer or NSC staff on the schedule; bookable once time is opened. */
export async function addResource(
  deps: AppDeps,
  actor: Actor,
  input: NewResource,
): Promise<StoredResource> {
  const name = input.name.trim()
  if (!name) throw new ValidationError([{ path: 'name', message: 'must not be empty' }])
  const resource: StoredResource = {
    id: deps.ids.next(),
    name,
    kind: input.kind,
    district: input.district?.trim() || null,
    location: input.location?.trim() || null,
    active: true,
  }
  await deps.store.appointments.addResource(resource)
  deps.log.info({ resourceId: resource.id, kind: resource.kind, by: actor.id }, 'resource added')
  return resource
}

export function listResources(deps: AppDeps, _actor: Actor): Promise<StoredResource[]> {
  return deps.store.appointments.resources()
}

/** Opens a block of the resource's time for booking. */
export async function addAvailability(
  deps: AppDeps,
  actor: Actor,
  resourceId: string,
  input: { startsAt: Instant; endsAt: Instant },
): Promise<AvailabilityWindow & { id: string }> {
  const problems: FieldProblem[] = []
  if (input.endsAt <= input.startsAt) {
    problems.push({ path: 'endsAt', message: 'must be after the start' })
  } else if (input.endsAt - input.startsAt > MAX_WINDOW_DAYS * DAY) {
    problems.push({
      path: 'endsAt',
      message: `one block of time is at most ${MAX_WINDOW_DAYS} days; add longer availability as several blocks`,
    })
  }
  if (problems.length > 0) throw new ValidationError(problems)
  await activeResource(deps, resourceId)
  const window = { id: deps.ids.next(), resourceId, ...input }
  await deps.store.appointments.addWindow(window)
  deps.log.info({ resourceId, windowId: window.id, by: actor.id }, 'availability added')
  return window
}

export interface SlotQuery extends Period {
  kind?: ResourceKind
  district?: string
  minutes: number
}

/** A free slot with who it is with. */
export interface SlotOffer {
  slot: Slot
  resource: StoredResource
}

/**
 * The free slots in the period, soonest first, for the resources that match (active, of the
 * kind, in the district). `more` says there were more than MAX_SLOTS: narrow the search.
 */
export async function findSlots(
  deps: AppDeps,
  _actor: Actor,
  q: SlotQuery,
): Promise<{ slots: SlotOffer[]; more: boolean }> {
  checkPeriod(q)
  const district = q.district?.trim().toLowerCase()
  const resources = new Map(
    (await deps.store.appointments.resources())
      .filter(
        (r) =>
          r.active &&
          (q.kind === undefined || r.kind === q.kind) &&
          (!district || r.district?.toLowerCase() === district),
      )
      .map((r) => [r.id, r]),
  )
  if (resources.size === 0) return { slots: [], more: false }
  const only = resources.size === 1 ? [...resources.keys()][0] : undefined
  const windows = (await deps.store.appointments.windows(q.from, q.to, only)).filter((w) =>
    resources.has(w.resourceId),
  )
  if (windows.length === 0) return { slots: [], more: false }
  // Windows are cut from their own start (so slots stay on the resource's grid) and may reach
  // outside the period: their bookings are read over their whole span.
  const readFrom = windows.reduce((min, w) => Math.min(min, w.startsAt), q.from)
  const readTo = windows.reduce((max, w) => Math.max(max, w.endsAt), q.to)
  const booked = await deps.store.appointments.appointments(readFrom, readTo, only)
  const free = slotsFor(windows, q.minutes, booked, deps.clock.now()).filter(
    (s) => s.startsAt >= q.from && s.endsAt <= q.to,
  )
  return {
    slots: free.slice(0, MAX_SLOTS).map((slot) => ({
      slot,
      resource: resources.get(slot.resourceId)!,
    })),
    more: free.length > MAX_SLOTS,
  }
}

/**
 * Books an appointment, usually during the call. The store re-reads the resource's schedule
 * under a lock and the domain decides, so two call-takers offering the same slot cannot both
 * book it: the second is told it is taken and by when.
 */
export async function book(
  deps: AppDeps,
  actor: Actor,
  input: BookAppointmentInput,
): Promise<Appointment> {
  await activeResource(deps, input.resourceId)
  const incidentId = input.incidentId ?? null
  if (incidentId !== null && !(await deps.store.incidents.get(incidentId))) {
    throw new NotFoundError('incident', incidentId)
  }
  const now = deps.clock.now()
  const id = deps.ids.next()
  const appt = await deps.store.appointments.book(input.resourceId, (windows, existing) =>
    bookAppointment(input, {
      windows,
      existing,
      now,
      id,
      actor: actor.id,
      timeZone: deps.config.CITY_TIME_ZONE,
    }),
  )
  if (incidentId !== null) await setVisit(deps, actor, incidentId, appt.startsAt)
  // The purpose and place are free text that may name the caller: they stay out of the log.
  deps.log.info(
    { appointmentId: appt.id, resourceId: appt.resourceId, incidentId, by: actor.id },
    'appointment booked',
  )
  return appt
}

/** Cancels a booked appointment before it starts, which frees its time. */
export async function cancel(
  deps: AppDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<Appointment> {
  const appt = await mustGetAppointment(deps, id)
  const next = cancelAppointment(appt, reason, actor.id, deps.clock.now())
  await deps.store.appointments.update(next, appt.version)
  if (next.incidentId !== null) await setVisit(deps, actor, next.incidentId, null)
  deps.log.info({ appointmentId: id, by: actor.id }, 'appointment cancelled')
  return next
}

/** Records whether the appointment was kept or missed, once it has started. */
export async function recordAttendance(
  deps: AppDeps,
  actor: Actor,
  id: string,
  outcome: 'kept' | 'missed',
): Promise<Appointment> {
  const appt = await mustGetAppointment(deps, id)
  const next = recordAttendanceRule(appt, outcome, deps.clock.now())
  await deps.store.appointments.update(next, appt.version)
  deps.log.info({ appointmentId: id, outcome, by: actor.id }, 'appointment attendance recorded')
  return next
}

/** One appointment on the calendar, with who it is with and its incident's number. */
export interface CalendarEntry {
  appointment: Appointment
  resource: StoredResource
  /** "311-0001234" when booked for an incident. */
  incidentNumber: string | null
}

export interface CalendarQuery extends Period {
  resourceId?: string
}

/** The appointments in the period (cancelled ones too, marked so), by start. */
export async function calendar(
  deps: AppDeps,
  _actor: Actor,
  q: CalendarQuery,
): Promise<CalendarEntry[]> {
  checkPeriod(q)
  let resources: Map<string, StoredResource>
  if (q.resourceId !== undefined) {
    const one = await deps.store.appointments.resource(q.resourceId)
    if (!one) throw new NotFoundError('resource', q.resourceId)
    resources = new Map([[one.id, one]])
  } else {
    resources = new Map((await deps.store.appointments.resources()).map((r) => [r.id, r]))
  }
  const appts = await deps.store.appointments.appointments(q.from, q.to, q.resourceId)
  const numbers = await incidentNumbers(deps, appts)
  return appts.flatMap((appointment) => {
    const resource = resources.get(appointment.resourceId)
    // Resources are never deleted; a missing one would be a broken row, left off the view.
    if (!resource) return []
    const incidentNumber =
      appointment.incidentId === null ? null : (numbers.get(appointment.incidentId) ?? null)
    return [{ appointment, resource, incidentNumber }]
  })
}

/**
 * The calendar as iCalendar text, for staff to subscribe to in the calendar they already use.
 * Events carry the purpose, the incident number and the place, never the caller.
 */
export async function icsFeed(deps: AppDeps, actor: Actor, q: CalendarQuery): Promise<string> {
  const entries = await calendar(deps, actor, q)
  let calendarName = DEFAULT_CALENDAR_NAME
  if (q.resourceId !== undefined) {
    const resource = await deps.store.appointments.resource(q.resourceId)
    if (resource) calendarName = resource.name
  }
  const events = entries.map((e) =>
    appointmentToCalendarEvent(e.appointment, e.resource, { incidentNumber: e.incidentNumber }),
  )
  return toICalendar(events, { prodId: PROD_ID, calendarName, now: deps.clock.now() })
}

/** A period to read: from before to, and no longer than MAX_PERIOD_DAYS. */
function checkPeriod(p: Period): void {
  if (p.to <= p.from) {
    throw new ValidationError([{ path: 'to', message: 'must be after from' }])
  }
  if (p.to - p.from > MAX_PERIOD_DAYS * DAY) {
    throw new ValidationError([
      {
        path: 'to',
        message: `a period is at most ${MAX_PERIOD_DAYS} days; ask for a shorter one`,
      },
    ])
  }
}

/** The resource, which must exist and still take bookings. */
async function activeResource(deps: AppDeps, id: string): Promise<StoredResource> {
  const resource = await deps.store.appointments.resource(id)
  if (!resource) throw new NotFoundError('resource', id)
  if (!resource.active) {
    throw new ConflictError(
      'resource_inactive',
      `${resource.name} no longer takes bookings; choose someone else`,
    )
  }
  return resource
}

async function mustGetAppointment(deps: AppDeps, id: string): Promise<Appointment> {
  const appt = await deps.store.appointments.appointment(id)
  if (!appt) throw new NotFoundError('appointment', id)
  return appt
}

/** The people-facing numbers of the appointments' incidents, read once per incident. */
async function incidentNumbers(
  deps: AppDeps,
  appts: readonly Appointment[],
): Promise<Map<string, string | null>> {
  const ids = [...new Set(appts.flatMap((a) => (a.incidentId === null ? [] : [a.incidentId])))]
  const incidents = await Promise.all(ids.map((id) => deps.store.incidents.get(id)))
  return new Map(ids.map((id, i) => [id, formatIncidentNumber(incidents[i]?.number ?? null)]))
}
