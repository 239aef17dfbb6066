import { ConflictError, type FieldProblem, ValidationError } from '../shared/errors.js'
import { type Instant, MINUTE, zoneOffsetMinutes } from '../shared/instant.js'

/**
 * Appointments (issue #6): a call that needs a person but not a car now is booked with a PSA,
 * an officer or NSC staff while the caller is still on the line.
 */

export const RESOURCE_KINDS = ['psa', 'officer', 'nsc_staff'] as const
export type ResourceKind = (typeof RESOURCE_KINDS)[number]

/** Someone whose time can be booked. */
export interface SchedulableResource {
  id: string
  name: string
  kind: ResourceKind
  district: string | null
  /** Where the appointment happens ("Eastern District station"); null when they visit. */
  location: string | null
}

/** A block of time the resource is bookable; `endsAt` is exclusive. */
export interface AvailabilityWindow {
  resourceId: string
  startsAt: Instant
  endsAt: Instant
}

/** A free, bookable piece of a window; `endsAt` is exclusive. */
export interface Slot {
  resourceId: string
  startsAt: Instant
  endsAt: Instant
}

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'kept', 'missed'] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

/**
 * A booked piece of a resource's time. It holds no caller identity (decision 0005): the caller
 * is reached through the incident, by the roles allowed to read callers.
 */
export interface Appointment {
  id: string
  resourceId: string
  incidentId: string | null
  startsAt: Instant
  endsAt: Instant
  purpose: string
  /** Where it happens when that is not the resource's own location (a visit's address). */
  place: string | null
  status: AppointmentStatus
  bookedBy: string
  bookedAt: Instant
  cancelledReason: string | null
  cancelledBy: string | null
  cancelledAt: Instant | null
  version: number
}

/** A booking closer than this is refused: the resource needs time to see it and get there. */
export const DEFAULT_LEAD_MINUTES = 15

const PURPOSE_MIN = 3
const PURPOSE_MAX = 200
const PLACE_MAX = 200
const REASON_MAX = 500

export interface SlotOptions {
  /** Minutes from `now` before which no slot is offered (default 15). */
  leadMinutes?: number
}

/**
 * The free slots: each window cut into `slotMinutes` pieces from its start (a piece must fit
 * whole), without pieces that overlap an appointment that still holds the time or that start
 * before `now` plus the lead time. Sorted by start, then resource id.
 */
export function slotsFor(
  windows: readonly AvailabilityWindow[],
  slotMinutes: number,
  existingAppointments: readonly Appointment[],
  now: Instant,
  options: SlotOptions = {},
): Slot[] {
  const leadMinutes = options.leadMinutes ?? DEFAULT_LEAD_MINUTES
  const problems: FieldProblem[] = []
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0) {
    problems.push({ path: 'slotMinutes', message: 'must be a whole number of minutes above 0' })
  }
  if (!Number.isFinite(leadMinutes) || leadMinutes < 0) {
    problems.push({ path: 'leadMinutes', message: 'must be 0 or more minutes' })
  }
  if (problems.length > 0) throw new ValidationError(problems)

  const length = slotMinutes * MINUTE
  const earliest = now + leadMinutes * MINUTE
  const taken = holdingByResource(existingAppointments)
  // Overlapping windows of one resource would otherwise offer the same slot twice.
  const seen = new Set<string>()
  const slots: Slot[] = []
  for (const w of windows) {
    const busy = taken.get(w.resourceId) ?? []
    for (let start = w.startsAt; start + length <= w.endsAt; start += length) {
      if (start < earliest) continue
      const slot = { resourceId: w.resourceId, startsAt: start, endsAt: start + length }
      const key = `${slot.resourceId}\u0000${start}`
      if (seen.has(key) || busy.some((a) => overlaps(a, slot))) continue
      seen.add(key)
      slots.push(slot)
    }
  }
  return slots.sort(
    (a, b) =>
      a.startsAt - b.startsAt ||
      (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0),
  )
}

/** What the call-taker submits to book. */
export interface BookAppointmentInput {
  resourceId: string
  incidentId?: string | null
  startsAt: Instant
  endsAt: Instant
  purpose: string
  place?: string | null
}

/** The rest of the world the booking rules need, passed in so this stays pure. */
export interface BookingSetting {
  /** The resource's availability (windows of other resources are ignored). */
  windows: readonly AvailabilityWindow[]
  /** The resource's appointments (those of other resources are ignored). */
  existing: readonly Appointment[]
  now: Instant
  id: string
  actor: string
  leadMinutes?: number
  /** The city's IANA zone, to name times in messages as the call-taker reads a clock. */
  timeZone?: string
}

/**
 * Books an appointment. A ValidationError lists every problem with the input; a ConflictError
 * says the resource is not available then (`outside_availability`) or the time is already
 * booked (`slot_taken`), naming the times so the call-taker can offer another.
 */
export function bookAppointment(input: BookAppointmentInput, s: BookingSetting): Appointment {
  const { now } = s
  const leadMinutes = s.leadMinutes ?? DEFAULT_LEAD_MINUTES
  const problems: FieldProblem[] = []
  const resourceId = input.resourceId.trim()
  if (!resourceId) problems.push({ path: 'resourceId', message: 'choose who to book' })
  const purpose = input.purpose.trim()
  // Counted in code points, so an accented name counts as the letters a person sees.
  const purposeLength = [...purpose].length
  if (purposeLength < PURPOSE_MIN || purposeLength > PURPOSE_MAX) {
    problems.push({
      path: 'purpose',
      message: `say what it is for in ${PURPOSE_MIN} to ${PURPOSE_MAX} characters`,
    })
  }
  const place = input.place?.trim() || null
  if (place && [...place].length > PLACE_MAX) {
    problems.push({ path: 'place', message: `at most ${PLACE_MAX} characters` })
  }
  const incidentId = input.incidentId ?? null
  if (incidentId !== null && !incidentId.trim()) {
    problems.push({ path: 'incidentId', message: 'must be an incident id or left out' })
  }
  const startOk = Number.isSafeInteger(input.startsAt)
  const endOk = Number.isSafeInteger(input.endsAt)
  if (!startOk) problems.push({ path: 'startsAt', message: 'must be a time' })
  if (!endOk) problems.push({ path: 'endsAt', message: 'must be a time' })
  if (startOk && endOk && input.endsAt <= input.startsAt) {
    problems.push({ path: 'endsAt', message: 'must be after the start' })
  }
  const earliest = now + leadMinutes * MINUTE
  if (startOk && input.startsAt < earliest) {
    problems.push({
      path: 'startsAt',
      message: `must be at least ${leadMinutes} minutes from now (${describeTime(earliest, s.timeZone)} or later)`,
    })
  }
  if (problems.length > 0) throw new ValidationError(problems)

  const wanted = { resourceId, startsAt: input.startsAt, endsAt: input.endsAt }
  const span = describeSpan(wanted.startsAt, wanted.endsAt, s.timeZone)
  const within = s.windows.some(
    (w) =>
      w.resourceId === resourceId && w.startsAt <= wanted.startsAt && wanted.endsAt <= w.endsAt,
  )
  if (!within) {
    throw new ConflictError(
      'outside_availability',
      `${span} is not within one availability window of resource ${resourceId}; choose a free slot`,
      { resourceId, startsAt: wanted.startsAt, endsAt: wanted.endsAt },
    )
  }
  const clash = s.existing.find(
    (a) => a.resourceId === resourceId && holdsTime(a) && overlaps(a, wanted),
  )
  if (clash) {
    throw new ConflictError(
      'slot_taken',
      `${span} is taken: resource ${resourceId} already has an appointment ${describeSpan(clash.startsAt, clash.endsAt, s.timeZone)}; choose another time`,
      { resourceId, appointmentId: clash.id, startsAt: clash.startsAt, endsAt: clash.endsAt },
    )
  }
  return {
    id: s.id,
    resourceId,
    incidentId,
    startsAt: wanted.startsAt,
    endsAt: wanted.endsAt,
    purpose,
    place,
    status: 'booked',
    bookedBy: s.actor,
    bookedAt: now,
    cancelledReason: null,
    cancelledBy: null,
    cancelledAt: null,
    version: 1,
  }
}

/**
 * Cancels a booked appointment, which frees its time. Once it has started it can no longer be
 * cancelled: what happened is recorded as kept or missed instead.
 */
export function cancelAppointment(
  appt: Appointment,
  reason: string,
  actor: string,
  now: Instant,
): Appointment {
  const why = reason.trim()
  if ([...why].length < 3 || [...why].length > REASON_MAX) {
    throw new ValidationError([
      { path: 'reason', message: `say why it is cancelled in 3 to ${REASON_MAX} characters` },
    ])
  }
  if (appt.status !== 'booked') {
    throw new ConflictError(
      'appointment_not_booked',
      `the appointment is ${appt.status}; only a booked appointment can be cancelled`,
    )
  }
  if (now >= appt.startsAt) {
    throw new ConflictError(
      'appointment_started',
      `the appointment started ${describeTime(appt.startsAt)}; record it as kept or missed`,
    )
  }
  return {
    ...appt,
    status: 'cancelled',
    cancelledReason: why,
    cancelledBy: actor,
    cancelledAt: now,
    version: appt.version + 1,
  }
}

/** Records whether the appointment took place; only once it has started. */
export function recordAttendance(
  appt: Appointment,
  outcome: 'kept' | 'missed',
  now: Instant,
): Appointment {
  if (appt.status !== 'booked') {
    throw new ConflictError(
      'appointment_not_booked',
      `the appointment is ${appt.status}; attendance is recorded once, for a booked appointment`,
    )
  }
  if (now < appt.startsAt) {
    throw new ConflictError(
      'appointment_not_started',
      `the appointment starts ${describeTime(appt.startsAt)}; record attendance once it has started`,
    )
  }
  return { ...appt, status: outcome, version: appt.version + 1 }
}

/**
 * Kept and missed appointments still held the resource's time; only a cancelled one gave it
 * back.
 */
function holdsTime(a: Appointment): boolean {
  return a.status !== 'cancelled'
}

function holdingByResource(appts: readonly Appointment[]): Map<string, Appointment[]> {
  const byResource = new Map<string, Appointment[]>()
  for (const a of appts) {
    if (!holdsTime(a)) continue
    const list = byResource.get(a.resourceId)
    if (list) list.push(a)
    else byResource.set(a.resourceId, [a])
  }
  return byResource
}

/** Half-open spans: one appointment may end at the minute the next begins. */
function overlaps(
  a: { startsAt: Instant; endsAt: Instant },
  b: { startsAt: Instant; endsAt: Instant },
): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt
}

/** `2026-11-23 09:00` as the wall clock in `timeZone` reads it (UTC when none is given). */
function wallClock(at: Instant, timeZone: string | undefined): { date: string; time: string } {
  const shifted = timeZone ? at + zoneOffsetMinutes(at, timeZone) * MINUTE : at
  const iso = new Date(shifted).toISOString()
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) }
}

function zoneLabel(timeZone: string | undefined): string {
  return timeZone ?? 'UTC'
}

function describeTime(at: Instant, timeZone?: string): string {
  const w = wallClock(at, timeZone)
  return `${w.date} ${w.time} ${zoneLabel(timeZone)}`
}

function describeSpan(startsAt: Instant, endsAt: Instant, timeZone?: string): string {
  const s = wallClock(startsAt, timeZone)
  const e = wallClock(endsAt, timeZone)
  const end = s.date === e.date ? e.time : `${e.date} ${e.time}`
  return `${s.date} ${s.time}–${end} ${zoneLabel(timeZone)}`
}
