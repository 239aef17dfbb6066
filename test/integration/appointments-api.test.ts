import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

/** The call comes in on Sunday 2026-11-22 at 10:00 in Baltimore (15:00 UTC). */
const START = Date.parse('2026-11-22T15:00:00Z')
/** Monday 09:00–12:00 New York time: six half-hour slots. */
const MONDAY_9 = '2026-11-23T14:00:00.000Z'
const MONDAY_930 = '2026-11-23T14:30:00.000Z'
const MONDAY_10 = '2026-11-23T15:00:00.000Z'
const MONDAY_12 = '2026-11-23T17:00:00.000Z'
const WEEK = { from: '2026-11-22T00:00:00Z', to: '2026-11-29T00:00:00Z' }

const CALLER = { name: 'Ada Appointee', phone: '410-555-0199', ani: '4105550199' }

const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`

/** Unfolds an iCalendar text (RFC 5545 §3.1) into its content lines. */
const unfold = (ics: string) => ics.replace(/\r\n /g, '').split('\r\n')

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: appointments API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      const clock = manualClock(START)

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, { clock }))
      })
      afterAll(async () => close())

      const post = (url: string, payload: unknown, role = 'admin') =>
        app.inject({ method: 'POST', url, payload: payload as object, headers: auth(role) })
      const get = (url: string, role = 'admin') =>
        app.inject({ method: 'GET', url, headers: auth(role) })

      /** A resource with Monday 09:00–12:00 open, ready to book. */
      async function bookableResource(name: string, kind = 'psa'): Promise<string> {
        const res = await post('/api/appointments/resources', {
          name,
          kind,
          district: 'Central',
          location: 'Central District station',
        })
        expect(res.statusCode, res.body).toBe(201)
        const id = res.json().id as string
        const win = await post(`/api/appointments/resources/${id}/availability`, {
          startsAt: MONDAY_9,
          endsAt: MONDAY_12,
        })
        expect(win.statusCode, win.body).toBe(201)
        return id
      }

      /** Opens an incident for a named caller, as the call-taker does before booking. */
      async function incidentWithCaller(): Promise<{ id: string; number: string }> {
        const res = await post(
          '/api/incidents',
          {
            callType: 'NOISE',
            contact: { channel: 'phone_311', caller: { anonymous: false, ...CALLER } },
            location: { text: '400 E PRATT ST', lat: 39.2866, lon: -76.6106 },
            answers: { source: 'music' },
          },
          'call_taker',
        )
        expect(res.statusCode, res.body).toBe(201)
        return { id: res.json().id, number: res.json().number }
      }

      const bookingOf = (resourceId: string, over: Record<string, unknown> = {}) => ({
        resourceId,
        startsAt: MONDAY_9,
        endsAt: MONDAY_930,
        purpose: 'Talk about the repeated noise complaints',
        ...over,
      })

      /** Every appointment of a resource in the week, straight from the store. */
      const storedAppointments = (resourceId: string) =>
        deps.store.appointments.appointments(Date.parse(WEEK.from), Date.parse(WEEK.to), resourceId)

      it('puts a resource on the schedule, opens its time, and offers the free slots', async () => {
        const res = await post('/api/appointments/resources', {
          name: 'PSA Rivera',
          kind: 'psa',
          district: 'Central',
          location: 'Central District station',
        })
        expect(res.statusCode).toBe(201)
        expect(res.json()).toMatchObject({ name: 'PSA Rivera', kind: 'psa', active: true })
        const id = res.json().id

        const again = await post('/api/appointments/resources', {
          name: 'PSA Rivera',
          kind: 'officer',
        })
        expect(again.statusCode).toBe(409)
        expect(again.json().error.message).toMatch(/'PSA Rivera' is already on the schedule/)

        const win = await post(`/api/appointments/resources/${id}/availability`, {
          startsAt: '2026-11-23T09:00:00-05:00',
          endsAt: '2026-11-23T12:00:00-05:00',
        })
        expect(win.statusCode).toBe(201)
        expect(win.json()).toMatchObject({ resourceId: id, startsAt: MONDAY_9, endsAt: MONDAY_12 })

        const listed = await get('/api/appointments/resources', 'call_taker')
        expect(listed.statusCode).toBe(200)
        expect(listed.json().resources.map((r: { name: string }) => r.name)).toContain('PSA Rivera')

        const slots = await get(
          `/api/appointments/slots${q({ ...WEEK, kind: 'psa', district: 'central', minutes: '30' })}`,
          'call_taker',
        )
        expect(slots.statusCode, slots.body).toBe(200)
        const mine = slots.json().slots.filter((s: { resourceId: string }) => s.resourceId === id)
        expect(mine.map((s: { startsAt: string }) => s.startsAt)).toEqual([
          MONDAY_9,
          MONDAY_930,
          MONDAY_10,
          '2026-11-23T15:30:00.000Z',
          '2026-11-23T16:00:00.000Z',
          '2026-11-23T16:30:00.000Z',
        ])
        expect(mine[0]).toMatchObject({
          endsAt: MONDAY_930,
          resource: { name: 'PSA Rivera', location: 'Central District station' },
        })
        expect(slots.json().more).toBe(false)

        const hourly = await get(
          `/api/appointments/slots${q({ ...WEEK, kind: 'psa', minutes: '60' })}`,
          'officer',
        )
        expect(
          hourly.json().slots.filter((s: { resourceId: string }) => s.resourceId === id),
        ).toHaveLength(3)
        const otherKind = await get(`/api/appointments/slots${q({ ...WEEK, kind: 'nsc_staff' })}`)
        expect(
          otherKind.json().slots.filter((s: { resourceId: string }) => s.resourceId === id),
        ).toHaveLength(0)
      })

      it('books a slot during the call for the incident, and the slot is no longer offered', async () => {
        const resourceId = await bookableResource('Officer Okafor', 'officer')
        const incident = await incidentWithCaller()
        const res = await post(
          '/api/appointments',
          bookingOf(resourceId, { incidentId: incident.id }),
          'call_taker',
        )
        expect(res.statusCode, res.body).toBe(201)
        expect(res.json()).toMatchObject({
          resourceId,
          incidentId: incident.id,
          startsAt: MONDAY_9,
          endsAt: MONDAY_930,
          status: 'booked',
          bookedBy: 'token:test call_taker',
          bookedAt: new Date(START).toISOString(),
          version: 1,
        })
        for (const secret of [CALLER.name, CALLER.phone, CALLER.ani])
          expect(res.body).not.toContain(secret)

        const slots = await get(`/api/appointments/slots${q({ ...WEEK, kind: 'officer' })}`)
        const starts = slots
          .json()
          .slots.filter((s: { resourceId: string }) => s.resourceId === resourceId)
          .map((s: { startsAt: string }) => s.startsAt)
        expect(starts).not.toContain(MONDAY_9)
        expect(starts).toContain(MONDAY_930)

        const noIncident = await post(
          '/api/appointments',
          bookingOf(resourceId, {
            incidentId: 'no-such-incident',
            startsAt: MONDAY_10,
            endsAt: '2026-11-23T15:30:00Z',
          }),
          'call_taker',
        )
        expect(noIncident.statusCode).toBe(404)
        expect(noIncident.json().error.message).toBe("incident 'no-such-incident' was not found")
        expect(await storedAppointments(resourceId)).toHaveLength(1)
      })

      it('refuses to book a time already taken, saying when, and writes nothing', async () => {
        const resourceId = await bookableResource('NSC Eastern desk', 'nsc_staff')
        expect((await post('/api/appointments', bookingOf(resourceId))).statusCode).toBe(201)

        const same = await post('/api/appointments', bookingOf(resourceId), 'call_taker')
        expect(same.statusCode).toBe(409)
        expect(same.json().error.code).toBe('slot_taken')
        expect(same.json().error.message).toMatch(
          /^2026-11-23 09:00–09:30 America\/New_York is taken: .* already has an appointment 2026-11-23 09:00–09:30 America\/New_York; choose another time$/,
        )
        const overlapping = await post(
          '/api/appointments',
          bookingOf(resourceId, {
            startsAt: '2026-11-23T14:15:00Z',
            endsAt: '2026-11-23T14:45:00Z',
          }),
          'call_taker',
        )
        expect(overlapping.statusCode).toBe(409)
        expect(overlapping.json().error.code).toBe('slot_taken')
        // Back to back is fine: the first ends at the minute the next begins.
        const next = await post(
          '/api/appointments',
          bookingOf(resourceId, { startsAt: MONDAY_930, endsAt: MONDAY_10 }),
        )
        expect(next.statusCode).toBe(201)
        expect(await storedAppointments(resourceId)).toHaveLength(2)
      })

      it('lets exactly one of several simultaneous bookings of one slot through', async () => {
        const resourceId = await bookableResource('PSA Concurrent')
        // Four call-takers press "book" at once; without the resource lock, more than one of
        // them reads the slot as free and books it.
        const results = await Promise.all(
          ['call_taker', 'dispatcher', 'supervisor', 'call_taker'].map((role) =>
            post('/api/appointments', bookingOf(resourceId), role),
          ),
        )
        expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409])
        for (const refused of results.filter((r) => r.statusCode === 409))
          expect(refused.json().error.code).toBe('slot_taken')
        const stored = await storedAppointments(resourceId)
        expect(stored).toHaveLength(1)
        expect(stored[0]).toMatchObject({ status: 'booked', startsAt: Date.parse(MONDAY_9) })
      })

      it('frees the time when an appointment is cancelled, so it can be booked again', async () => {
        const resourceId = await bookableResource('PSA Rebook')
        const first = (await post('/api/appointments', bookingOf(resourceId), 'call_taker')).json()

        const short = await post(
          `/api/appointments/${first.id}/cancel`,
          { reason: 'no' },
          'call_taker',
        )
        expect(short.statusCode).toBe(400)
        expect(short.json().error.problems[0].path).toBe('reason')

        const cancelled = await post(
          `/api/appointments/${first.id}/cancel`,
          { reason: 'caller will come to the station instead' },
          'call_taker',
        )
        expect(cancelled.statusCode, cancelled.body).toBe(200)
        expect(cancelled.json()).toMatchObject({
          status: 'cancelled',
          cancelledBy: 'token:test call_taker',
          cancelledAt: new Date(START).toISOString(),
          version: 2,
        })
        const twice = await post(
          `/api/appointments/${first.id}/cancel`,
          { reason: 'once more' },
          'call_taker',
        )
        expect(twice.statusCode).toBe(409)
        expect(twice.json().error.message).toMatch(/the appointment is cancelled/)

        const rebooked = await post('/api/appointments', bookingOf(resourceId), 'call_taker')
        expect(rebooked.statusCode, rebooked.body).toBe(201)
        expect(rebooked.json().id).not.toBe(first.id)
        const stored = await storedAppointments(resourceId)
        expect(stored.map((a) => a.status).sort()).toEqual(['booked', 'cancelled'])

        const unknown = await post(
          '/api/appointments/no-such-appointment/cancel',
          { reason: 'whatever it was' },
          'call_taker',
        )
        expect(unknown.statusCode).toBe(404)
      })

      it('shows the calendar, and exports it as iCalendar without the caller', async () => {
        const resourceId = await bookableResource('PSA Calendar')
        const incident = await incidentWithCaller()
        const booked = await post(
          '/api/appointments',
          bookingOf(resourceId, {
            incidentId: incident.id,
            startsAt: MONDAY_10,
            endsAt: '2026-11-23T15:30:00Z',
            place: '400 E Pratt St, lobby',
          }),
          'call_taker',
        )
        expect(booked.statusCode, booked.body).toBe(201)

        const cal = await get(`/api/appointments${q({ ...WEEK, resourceId })}`, 'command')
        expect(cal.statusCode, cal.body).toBe(200)
        expect(cal.json().appointments).toHaveLength(1)
        expect(cal.json().appointments[0]).toMatchObject({
          id: booked.json().id,
          startsAt: MONDAY_10,
          incidentNumber: incident.number,
          place: '400 E Pratt St, lobby',
          resource: { id: resourceId, name: 'PSA Calendar' },
        })
        const all = await get(`/api/appointments${q(WEEK)}`, 'call_taker')
        const ids = all.json().appointments.map((a: { id: string }) => a.id)
        expect(ids).toContain(booked.json().id)
        expect(ids.length).toBeGreaterThan(1)
        for (const secret of [CALLER.name, CALLER.phone, CALLER.ani])
          expect(all.body).not.toContain(secret)

        const ics = await get(
          `/api/appointments/calendar.ics${q({ ...WEEK, resourceId })}`,
          'officer',
        )
        expect(ics.statusCode, ics.body).toBe(200)
        expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8')
        expect(ics.headers['content-disposition']).toBe('attachment; filename="appointments.ics"')
        const text = ics.body
        expect(text.endsWith('\r\n')).toBe(true)
        // Every line break is CRLF: none is left once the CRLFs are gone.
        expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
        const lines = unfold(text)
        expect(lines[0]).toBe('BEGIN:VCALENDAR')
        expect(lines).toContain('PRODID:-//triage311//appointments//EN')
        expect(lines).toContain('X-WR-CALNAME:PSA Calendar')
        expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1)
        expect(lines.filter((l) => l === 'END:VEVENT')).toHaveLength(1)
        expect(lines).toContain('DTSTART:20261123T150000Z')
        expect(lines).toContain('DTEND:20261123T153000Z')
        expect(lines).toContain(`UID:${booked.json().id}@triage311`)
        expect(lines).toContain('STATUS:CONFIRMED')
        expect(lines).toContain('LOCATION:400 E Pratt St\\, lobby')
        expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toContain(
          `Incident: ${incident.number}`,
        )
        for (const secret of [CALLER.name, CALLER.phone, CALLER.ani, 'Appointee', '555-0199'])
          expect(text).not.toContain(secret)

        const everyone = await get(`/api/appointments/calendar.ics${q(WEEK)}`)
        const everyLine = unfold(everyone.body)
        expect(everyLine).toContain('X-WR-CALNAME:triage311 appointments')
        expect(everyLine.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(
          all.json().appointments.length,
        )
      })

      it('says what is wrong with bad input, and writes nothing', async () => {
        const resourceId = await bookableResource('PSA Validation')
        const windowsBefore = await deps.store.appointments.windows(0, Date.parse('2100-01-01'))

        const backwards = await post(`/api/appointments/resources/${resourceId}/availability`, {
          startsAt: '2026-11-24T12:00:00Z',
          endsAt: '2026-11-24T09:00:00Z',
        })
        expect(backwards.statusCode).toBe(400)
        expect(backwards.json().error.problems).toEqual([
          { path: 'endsAt', message: 'must be after the start' },
        ])
        const tooLong = await post(`/api/appointments/resources/${resourceId}/availability`, {
          startsAt: '2026-12-01T00:00:00Z',
          endsAt: '2026-12-20T00:00:00Z',
        })
        expect(tooLong.statusCode).toBe(400)
        expect(tooLong.json().error.message).toMatch(/at most 14 days/)
        const overlap = await post(`/api/appointments/resources/${resourceId}/availability`, {
          startsAt: '2026-11-23T11:00:00Z',
          endsAt: '2026-11-23T15:00:00Z',
        })
        expect(overlap.statusCode).toBe(409)
        expect(overlap.json().error.code).toBe('window_overlaps')
        const noZone = await post(`/api/appointments/resources/${resourceId}/availability`, {
          startsAt: '2026-11-24 09:00',
          endsAt: '2026-11-24T12:00:00Z',
        })
        expect(noZone.statusCode).toBe(400)
        expect(noZone.json().error.problems[0].path).toBe('body.startsAt')
        const unknownWin = await post('/api/appointments/resources/no-such-resource/availability', {
          startsAt: '2026-11-24T09:00:00Z',
          endsAt: '2026-11-24T12:00:00Z',
        })
        expect(unknownWin.statusCode).toBe(404)
        expect(unknownWin.json().error.message).toBe("resource 'no-such-resource' was not found")
        expect(await deps.store.appointments.windows(0, Date.parse('2100-01-01'))).toEqual(
          windowsBefore,
        )

        const endBeforeStart = await post(
          '/api/appointments',
          bookingOf(resourceId, { startsAt: MONDAY_930, endsAt: MONDAY_9 }),
          'call_taker',
        )
        expect(endBeforeStart.statusCode).toBe(400)
        expect(endBeforeStart.json().error.problems).toContainEqual({
          path: 'endsAt',
          message: 'must be after the start',
        })
        const tooSoon = await post(
          '/api/appointments',
          bookingOf(resourceId, {
            startsAt: '2026-11-22T15:05:00Z',
            endsAt: '2026-11-22T15:35:00Z',
          }),
          'call_taker',
        )
        expect(tooSoon.statusCode).toBe(400)
        expect(tooSoon.json().error.message).toMatch(/at least 15 minutes from now/)
        const outside = await post(
          '/api/appointments',
          bookingOf(resourceId, {
            startsAt: '2026-11-23T18:00:00Z',
            endsAt: '2026-11-23T18:30:00Z',
          }),
          'call_taker',
        )
        expect(outside.statusCode).toBe(409)
        expect(outside.json().error.code).toBe('outside_availability')
        const unknownResource = await post(
          '/api/appointments',
          bookingOf('no-such-resource'),
          'call_taker',
        )
        expect(unknownResource.statusCode).toBe(404)
        expect(unknownResource.json().error.message).toBe(
          "resource 'no-such-resource' was not found",
        )
        const extraField = await post(
          '/api/appointments',
          { ...bookingOf(resourceId), callerName: 'Ada' },
          'call_taker',
        )
        expect(extraField.statusCode).toBe(400)
        expect(await storedAppointments(resourceId)).toHaveLength(0)

        const ninetyDays = { from: '2026-11-01T00:00:00Z', to: '2027-01-30T00:00:00Z' }
        for (const url of [
          `/api/appointments/slots${q(ninetyDays)}`,
          `/api/appointments${q(ninetyDays)}`,
          `/api/appointments/calendar.ics${q(ninetyDays)}`,
        ]) {
          const res = await get(url, 'call_taker')
          expect(res.statusCode, url).toBe(400)
          expect(res.json().error.message, url).toBe(
            'to: a period is at most 62 days; ask for a shorter one',
          )
        }
        const reversed = await get(
          `/api/appointments${q({ from: WEEK.to, to: WEEK.from })}`,
          'call_taker',
        )
        expect(reversed.statusCode).toBe(400)
        expect(reversed.json().error.message).toBe('to: must be after from')
        const unknownCal = await get(`/api/appointments${q({ ...WEEK, resourceId: 'nobody' })}`)
        expect(unknownCal.statusCode).toBe(404)
      })

      it('refuses roles without the right, and writes nothing', async () => {
        const resourceId = await bookableResource('PSA Roles')
        const analyst = await post('/api/appointments', bookingOf(resourceId), 'analyst')
        expect(analyst.statusCode).toBe(403)
        expect(analyst.json().error.message).toBe('not allowed to appointment:book')
        const callTaker = await post(
          '/api/appointments/resources',
          { name: 'PSA Not Allowed', kind: 'psa' },
          'call_taker',
        )
        expect(callTaker.statusCode).toBe(403)
        const callTakerWindow = await post(
          `/api/appointments/resources/${resourceId}/availability`,
          { startsAt: '2026-11-24T14:00:00Z', endsAt: '2026-11-24T17:00:00Z' },
          'call_taker',
        )
        expect(callTakerWindow.statusCode).toBe(403)
        for (const url of [
          '/api/appointments/resources',
          `/api/appointments${q(WEEK)}`,
          `/api/appointments/slots${q(WEEK)}`,
          `/api/appointments/calendar.ics${q(WEEK)}`,
        ]) {
          const res = await get(url, 'agency_liaison')
          expect(res.statusCode, url).toBe(403)
          expect(res.json().error.code).toBe('forbidden')
        }
        expect(await storedAppointments(resourceId)).toHaveLength(0)
        const names = (await deps.store.appointments.resources()).map((r) => r.name)
        expect(names).not.toContain('PSA Not Allowed')
        expect(
          await deps.store.appointments.windows(
            Date.parse('2026-11-24T00:00:00Z'),
            Date.parse('2026-11-25T00:00:00Z'),
            resourceId,
          ),
        ).toHaveLength(0)
      })

      // Last: it moves the shared clock past Monday morning.
      it('records attendance once the appointment has started, and only once', async () => {
        const resourceId = await bookableResource('PSA Attendance')
        const appt = (await post('/api/appointments', bookingOf(resourceId), 'call_taker')).json()
        const early = await post(
          `/api/appointments/${appt.id}/attendance`,
          { outcome: 'kept' },
          'officer',
        )
        expect(early.statusCode).toBe(409)
        expect(early.json().error.code).toBe('appointment_not_started')

        clock.set(Date.parse('2026-11-23T14:10:00Z'))
        const lateCancel = await post(
          `/api/appointments/${appt.id}/cancel`,
          { reason: 'too late for this' },
          'call_taker',
        )
        expect(lateCancel.statusCode).toBe(409)
        const kept = await post(
          `/api/appointments/${appt.id}/attendance`,
          { outcome: 'kept' },
          'officer',
        )
        expect(kept.statusCode, kept.body).toBe(200)
        expect(kept.json()).toMatchObject({ status: 'kept', version: 2 })
        const again = await post(
          `/api/appointments/${appt.id}/attendance`,
          { outcome: 'missed' },
          'officer',
        )
        expect(again.statusCode).toBe(409)
        expect(again.json().error.code).toBe('appointment_not_booked')
      })
    },
  )
}
