import { describe, expect, it } from 'vitest'
import { ConflictError, ValidationError } from '../shared/errors.js'
import {
  type Appointment,
  type AvailabilityWindow,
  type BookAppointmentInput,
  type BookingSetting,
  bookAppointment,
  cancelAppointment,
  recordAttendance,
  slotsFor,
} from './appointment.js'

const MIN = 60_000
/** Monday 23 November 2026, UTC; New York is five hours behind. */
const at = (hour: number, minute = 0) => Date.UTC(2026, 10, 23, hour, minute)
const NOW = at(13, 50)

function window(resourceId: string, from: number, to: number): AvailabilityWindow {
  return { resourceId, startsAt: from, endsAt: to }
}

function appt(over: Partial<Appointment>): Appointment {
  return {
    id: 'a',
    resourceId: 'psa-1',
    incidentId: null,
    startsAt: at(15),
    endsAt: at(15, 30),
    purpose: 'Take a report',
    place: null,
    status: 'booked',
    bookedBy: 'ct-1',
    bookedAt: at(9),
    cancelledReason: null,
    cancelledBy: null,
    cancelledAt: null,
    version: 1,
    ...over,
  }
}

function starts(slots: { resourceId: string; startsAt: number }[]): string[] {
  return slots.map((s) => `${s.resourceId} ${new Date(s.startsAt).toISOString().slice(11, 16)}`)
}

function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}

describe('free slots', () => {
  it('cuts each window at the slot length, drops a piece that does not fit, sorts by start then resource', () => {
    const slots = slotsFor(
      [window('psa-1', at(14), at(15, 45)), window('off-1', at(14, 30), at(15, 30))],
      30,
      [],
      at(12),
    )
    expect(slots).toEqual([
      { resourceId: 'psa-1', startsAt: at(14), endsAt: at(14, 30) },
      { resourceId: 'off-1', startsAt: at(14, 30), endsAt: at(15) },
      { resourceId: 'psa-1', startsAt: at(14, 30), endsAt: at(15) },
      { resourceId: 'off-1', startsAt: at(15), endsAt: at(15, 30) },
      { resourceId: 'psa-1', startsAt: at(15), endsAt: at(15, 30) },
    ])
  })

  it('leaves out slots overlapping a booking of that resource and those inside the lead time', () => {
    const existing = [
      appt({ id: 'odd-length', startsAt: at(15, 10), endsAt: at(15, 40) }),
      appt({ id: 'cancelled', startsAt: at(16, 30), endsAt: at(17), status: 'cancelled' }),
      appt({ id: 'other', resourceId: 'off-1', startsAt: at(16), endsAt: at(16, 30) }),
    ]
    const windows = [window('psa-1', at(14), at(17))]
    // 13:50 + 15 minutes: 14:00 is too soon; 15:00 and 15:30 touch the 15:10-15:40 booking.
    expect(starts(slotsFor(windows, 30, existing, NOW))).toEqual([
      'psa-1 14:30',
      'psa-1 16:00',
      'psa-1 16:30',
    ])
    expect(starts(slotsFor(windows, 30, existing, NOW, { leadMinutes: 0 }))).toEqual([
      'psa-1 14:00',
      'psa-1 14:30',
      'psa-1 16:00',
      'psa-1 16:30',
    ])
    expect(slotsFor(windows, 30, existing, at(16, 45))).toEqual([])
  })

  it('treats an appointment already kept as holding its time until it ends', () => {
    const kept = appt({ startsAt: at(14), endsAt: at(14, 30), status: 'kept', version: 2 })
    const slots = slotsFor([window('psa-1', at(14), at(15))], 10, [kept], at(14, 5), {
      leadMinutes: 0,
    })
    expect(starts(slots)).toEqual(['psa-1 14:30', 'psa-1 14:40', 'psa-1 14:50'])
  })

  it('offers a slot once when two windows of a resource overlap', () => {
    const windows = [window('psa-1', at(14), at(15)), window('psa-1', at(14, 30), at(15, 30))]
    expect(starts(slotsFor(windows, 30, [], at(12)))).toEqual([
      'psa-1 14:00',
      'psa-1 14:30',
      'psa-1 15:00',
    ])
  })

  it('refuses a slot length that is not a positive whole number of minutes', () => {
    const err = caught(() => slotsFor([], 0, [], NOW, { leadMinutes: -1 }))
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).problems.map((p) => p.path)).toEqual([
      'slotMinutes',
      'leadMinutes',
    ])
    expect(() => slotsFor([], 7.5, [], NOW)).toThrow(ValidationError)
  })
})

describe('booking', () => {
  const setting: BookingSetting = {
    windows: [
      window('psa-1', at(14), at(17)),
      window('off-1', at(14), at(15)),
      window('off-1', at(15), at(16)),
    ],
    existing: [],
    now: NOW,
    id: 'appt-1',
    actor: 'ct-7',
  }
  const input: BookAppointmentInput = {
    resourceId: 'psa-1',
    incidentId: 'inc-9',
    startsAt: at(14, 30),
    endsAt: at(15),
    purpose: '  Report a stolen bicycle ',
  }

  it('books a free time inside a window', () => {
    expect(bookAppointment(input, setting)).toEqual({
      id: 'appt-1',
      resourceId: 'psa-1',
      incidentId: 'inc-9',
      startsAt: at(14, 30),
      endsAt: at(15),
      purpose: 'Report a stolen bicycle',
      place: null,
      status: 'booked',
      bookedBy: 'ct-7',
      bookedAt: NOW,
      cancelledReason: null,
      cancelledBy: null,
      cancelledAt: null,
      version: 1,
    })
  })

  it('refuses a time overlapping a booking of the resource, naming both times', () => {
    const existing = [appt({ id: 'taken', startsAt: at(14, 30), endsAt: at(15) })]
    const err = caught(() =>
      bookAppointment(
        { ...input, startsAt: at(14, 45), endsAt: at(15, 15) },
        { ...setting, existing, timeZone: 'America/New_York' },
      ),
    )
    expect(err).toBeInstanceOf(ConflictError)
    expect((err as ConflictError).code).toBe('slot_taken')
    expect((err as ConflictError).message).toBe(
      '2026-11-23 09:45–10:15 America/New_York is taken: resource psa-1 already has an ' +
        'appointment 2026-11-23 09:30–10:00 America/New_York; choose another time',
    )
    expect((err as ConflictError).details).toEqual({
      resourceId: 'psa-1',
      appointmentId: 'taken',
      startsAt: at(14, 30),
      endsAt: at(15),
    })
    // Back to back is not an overlap, and another resource's booking does not block this one.
    expect(
      bookAppointment({ ...input, startsAt: at(15), endsAt: at(15, 30) }, { ...setting, existing })
        .startsAt,
    ).toBe(at(15))
    expect(
      bookAppointment(input, {
        ...setting,
        existing: [appt({ resourceId: 'off-1', startsAt: at(14, 30), endsAt: at(15) })],
      }).status,
    ).toBe('booked')
  })

  it('refuses a time outside the windows of that resource, or spread over two windows', () => {
    const outside = (i: Partial<BookAppointmentInput>) => {
      const err = caught(() => bookAppointment({ ...input, ...i }, setting))
      expect(err).toBeInstanceOf(ConflictError)
      return (err as ConflictError).code
    }
    expect(outside({ startsAt: at(16, 45), endsAt: at(17, 15) })).toBe('outside_availability')
    expect(outside({ resourceId: 'off-1', startsAt: at(16), endsAt: at(16, 30) })).toBe(
      'outside_availability',
    )
    expect(outside({ resourceId: 'off-1', startsAt: at(14, 45), endsAt: at(15, 15) })).toBe(
      'outside_availability',
    )
    expect(() =>
      bookAppointment({ ...input, startsAt: at(14, 45), endsAt: at(15, 15) }, setting),
    ).not.toThrow()
    const err = caught(() =>
      bookAppointment({ ...input, startsAt: at(17), endsAt: at(17, 30) }, setting),
    )
    expect((err as ConflictError).message).toBe(
      '2026-11-23 17:00–17:30 UTC is not within one availability window of resource psa-1; ' +
        'choose a free slot',
    )
  })

  it('lists every problem with the input, including a start inside the lead time', () => {
    const err = caught(() =>
      bookAppointment({ ...input, purpose: ' ab ', startsAt: at(14), endsAt: at(14) }, setting),
    )
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).problems).toEqual([
      { path: 'purpose', message: 'say what it is for in 3 to 200 characters' },
      { path: 'endsAt', message: 'must be after the start' },
      {
        path: 'startsAt',
        message: 'must be at least 15 minutes from now (2026-11-23 14:05 UTC or later)',
      },
    ])
    expect(() => bookAppointment({ ...input, purpose: 'x'.repeat(201) }, setting)).toThrow(
      ValidationError,
    )
    // Counted in characters, not bytes or UTF-16 units.
    expect(bookAppointment({ ...input, purpose: 'é'.repeat(200) }, setting).purpose).toHaveLength(
      200,
    )
    expect(() => bookAppointment({ ...input, purpose: '😀'.repeat(101) }, setting)).not.toThrow()
  })

  it('frees the time when an appointment is cancelled, so the same slot can be booked again', () => {
    const first = bookAppointment(input, setting)
    const cancelled = cancelAppointment(first, ' caller sorted it out ', 'ct-8', at(14))
    expect(cancelled).toEqual({
      ...first,
      status: 'cancelled',
      cancelledReason: 'caller sorted it out',
      cancelledBy: 'ct-8',
      cancelledAt: at(14),
      version: 2,
    })
    const later = { ...setting, now: at(14), existing: [cancelled] }
    expect(starts(slotsFor(later.windows, 30, later.existing, later.now))).toContain('psa-1 14:30')
    const again = bookAppointment(input, { ...later, id: 'appt-2' })
    expect(again).toMatchObject({ id: 'appt-2', startsAt: at(14, 30), status: 'booked' })
    expect(() =>
      bookAppointment(input, { ...later, id: 'appt-3', existing: [cancelled, again] }),
    ).toThrow(/is taken/)
  })
})

describe('cancel and attendance', () => {
  const booked = appt({ startsAt: at(15), endsAt: at(15, 30) })

  it('needs a reason and a booked appointment that has not started', () => {
    expect(caught(() => cancelAppointment(booked, '  ', 'ct-1', NOW))).toMatchObject({
      code: 'validation_failed',
      problems: [{ path: 'reason', message: 'say why it is cancelled in 3 to 500 characters' }],
    })
    const cancelled = cancelAppointment(booked, 'no longer needed', 'ct-1', NOW)
    expect(caught(() => cancelAppointment(cancelled, 'again', 'ct-1', NOW))).toMatchObject({
      code: 'appointment_not_booked',
    })
    expect(caught(() => cancelAppointment(booked, 'too late', 'ct-1', at(15)))).toMatchObject({
      code: 'appointment_started',
      message: 'the appointment started 2026-11-23 15:00 UTC; record it as kept or missed',
    })
  })

  it('records kept or missed once, and only after the start', () => {
    expect(caught(() => recordAttendance(booked, 'kept', at(15) - MIN))).toMatchObject({
      code: 'appointment_not_started',
      message: 'the appointment starts 2026-11-23 15:00 UTC; record attendance once it has started',
    })
    const kept = recordAttendance(booked, 'kept', at(15))
    expect(kept).toEqual({ ...booked, status: 'kept', version: 2 })
    expect(recordAttendance(booked, 'missed', at(16)).status).toBe('missed')
    expect(caught(() => recordAttendance(kept, 'missed', at(16)))).toMatchObject({
      code: 'appointment_not_booked',
    })
    const cancelled = cancelAppointment(booked, 'no longer needed', 'ct-1', NOW)
    expect(caught(() => recordAttendance(cancelled, 'kept', at(16)))).toBeInstanceOf(ConflictError)
  })
})
