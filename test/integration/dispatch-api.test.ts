import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

const HARBOR = { text: '400 E PRATT ST', lat: 39.2866, lon: -76.6106 }
const MIN = 60_000

const call = (over: Record<string, unknown> = {}) => ({
  callType: 'NOISE',
  contact: { channel: 'phone_311', caller: { anonymous: true } },
  location: HARBOR,
  answers: { source: 'music' },
  ...over,
})
/** A noise call with people fighting: escalated to an immediate dispatch, priority 2. */
const urgent = (over: Record<string, unknown> = {}) =>
  call({ answers: { source: 'party', fighting: true }, ...over })

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: dispatch API`,
    () => {
      let app: FastifyInstance
      let close: () => Promise<void>
      const clock = manualClock()

      beforeAll(async () => {
        ;({ app, close } = await openTestApp(dialect, { clock }))
      })
      afterAll(async () => close())

      const post = (url: string, payload: unknown, role = 'dispatcher') =>
        app.inject({ method: 'POST', url, payload: payload as object, headers: auth(role) })
      const get = (url: string, role = 'dispatcher') => app.inject({ url, headers: auth(role) })
      const open = async (body: unknown) => {
        const res = await post('/api/incidents', body, 'call_taker')
        expect(res.statusCode).toBe(201)
        return res.json() as { id: string; number: string; mode: string; priority: number }
      }
      let n = 0
      const addUnit = async (over: Record<string, unknown> = {}) => {
        n += 1
        const res = await post(
          '/api/units',
          { callSign: `1A${n}`, type: 'patrol', district: 'Central', onDuty: true, ...over },
          'supervisor',
        )
        expect(res.statusCode).toBe(201)
        return res.json() as { id: string; callSign: string }
      }
      const board = async () => (await get('/api/dispatch/board')).json()

      it('queues an urgent call at once and holds a delayed response until it is due', async () => {
        const delayed = await open(call())
        expect(delayed.mode).toBe('dispatch_delayed')
        const now = await open(urgent())
        expect(now).toMatchObject({ mode: 'dispatch_immediate', priority: 2 })
        let b = await board()
        expect(b.queue.map((l: { incidentId: string }) => l.incidentId)).toContain(now.id)
        expect(b.queue.map((l: { incidentId: string }) => l.incidentId)).not.toContain(delayed.id)
        expect(b.held.map((h: { incidentId: string }) => h.incidentId)).toContain(delayed.id)
        clock.advance(31 * MIN)
        b = await board()
        const ids = b.queue.map((l: { incidentId: string }) => l.incidentId)
        // Priority 2 first, then the priority-4 delayed call that has just fallen due.
        expect(ids.indexOf(now.id)).toBeLessThan(ids.indexOf(delayed.id))
        const line = b.queue.find((l: { incidentId: string }) => l.incidentId === now.id)
        expect(line).toMatchObject({ late: true, targetMs: 5 * MIN, waitedMs: 31 * MIN })
      })

      it('holds a delayed response with a booked visit until the visit, not the usual hold', async () => {
        const resource = await post(
          '/api/appointments/resources',
          {
            name: `Officer Visit ${dialect}`,
            kind: 'officer',
            district: 'Central',
            location: null,
          },
          'supervisor',
        )
        expect(resource.statusCode, resource.body).toBe(201)
        const start = clock.now() + 3 * 60 * MIN
        const iso = (t: number) => new Date(t).toISOString()
        const win = await post(
          `/api/appointments/resources/${resource.json().id}/availability`,
          { startsAt: iso(start), endsAt: iso(start + 60 * MIN) },
          'supervisor',
        )
        expect(win.statusCode, win.body).toBe(201)
        const delayed = await open(call())
        const booked = await post(
          '/api/appointments',
          {
            resourceId: resource.json().id,
            incidentId: delayed.id,
            startsAt: iso(start),
            endsAt: iso(start + 30 * MIN),
            purpose: 'visit about the music',
          },
          'call_taker',
        )
        expect(booked.statusCode, booked.body).toBe(201)
        clock.advance(45 * MIN)
        let b = await board()
        expect(b.queue.map((l: { incidentId: string }) => l.incidentId)).not.toContain(delayed.id)
        const held = b.held.find((h: { incidentId: string }) => h.incidentId === delayed.id)
        expect(held?.dueAt).toBe(iso(start))
        clock.set(start + MIN)
        b = await board()
        expect(b.queue.map((l: { incidentId: string }) => l.incidentId)).toContain(delayed.id)
      })

      it('assigns, goes en route and on scene, clears with a disposition, and keeps every time', async () => {
        const unit = await addUnit()
        const i = await open(urgent())
        const rec = (await get(`/api/dispatch/recommendations/${i.id}`)).json()
        expect(rec.units[0].reasons).toContain('available')
        const assigned = await post('/api/dispatch/assignments', {
          incidentId: i.id,
          unitId: unit.id,
        })
        expect(assigned.statusCode).toBe(201)
        const a = assigned.json()
        expect(a).toMatchObject({ role: 'primary', callSign: unit.callSign, active: true })
        expect(
          (await board()).queue.map((l: { incidentId: string }) => l.incidentId),
        ).not.toContain(i.id)
        clock.advance(MIN)
        expect((await post(`/api/dispatch/assignments/${a.id}/en-route`, {})).statusCode).toBe(200)
        clock.advance(4 * MIN)
        const early = await post(`/api/dispatch/assignments/${a.id}/clear`, {
          disposition: 'report_taken',
        })
        expect(early.statusCode).toBe(409)
        expect(early.json().error.message).toMatch(/has not arrived/)
        expect((await post(`/api/dispatch/assignments/${a.id}/on-scene`, {})).statusCode).toBe(200)
        clock.advance(20 * MIN)
        const cleared = await post(`/api/dispatch/assignments/${a.id}/clear`, {
          disposition: 'settled_by_contact',
        })
        expect(cleared.statusCode).toBe(200)
        const done = cleared.json()
        const t = (s: string) => Date.parse(s)
        expect(t(done.enRouteAt) - t(done.assignedAt)).toBe(MIN)
        expect(t(done.onSceneAt) - t(done.enRouteAt)).toBe(4 * MIN)
        expect(t(done.clearedAt) - t(done.onSceneAt)).toBe(20 * MIN)
        expect(done).toMatchObject({ active: false, disposition: 'settled_by_contact' })
        const { incident } = (await get(`/api/incidents/${i.id}`)).json()
        expect(incident).toMatchObject({ status: 'closed', disposition: 'settled_by_contact' })
        const u = (await get(`/api/units/${unit.id}`)).json()
        expect(u).toMatchObject({ availability: 'available', assignmentId: null })
        expect(u.history.map((h: { to: string | null }) => h.to)).toEqual([
          'dispatched',
          'en_route',
          'on_scene',
          null,
        ])
      })

      it('never gives an incident a second primary unit; a second unit goes as backup', async () => {
        const [u1, u2, u3] = [await addUnit(), await addUnit(), await addUnit()]
        const i = await open(urgent())
        await post('/api/dispatch/assignments', { incidentId: i.id, unitId: u1.id })
        const second = await post('/api/dispatch/assignments', { incidentId: i.id, unitId: u2.id })
        expect(second.statusCode).toBe(409)
        expect(second.json().error).toMatchObject({ code: 'already_dispatched' })
        expect(second.json().error.message).toMatch(`already has unit ${u1.callSign} assigned`)
        const backup = await post('/api/dispatch/assignments', {
          incidentId: i.id,
          unitId: u2.id,
          role: 'backup',
        })
        expect(backup.statusCode).toBe(201)
        // The refused attempt changed nothing about the unit.
        expect((await get(`/api/units/${u3.id}`)).json().availability).toBe('available')
      })

      it('lets only one of two simultaneous primary dispatches through', async () => {
        const [u1, u2] = [await addUnit(), await addUnit()]
        const i = await open(urgent())
        const results = await Promise.all([
          post('/api/dispatch/assignments', { incidentId: i.id, unitId: u1.id }),
          post('/api/dispatch/assignments', { incidentId: i.id, unitId: u2.id }),
        ])
        expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409])
        const units = [
          (await get(`/api/units/${u1.id}`)).json(),
          (await get(`/api/units/${u2.id}`)).json(),
        ]
        expect(units.filter((u) => u.activity === 'dispatched')).toHaveLength(1)
      })

      it('refuses to dispatch a linked duplicate unless a dual-dispatch reason is recorded, and counts both', async () => {
        const from = new Date(clock.now()).toISOString()
        const unit = await addUnit()
        const parent = await open(urgent())
        const child = await open(urgent())
        const linked = await post(
          `/api/incidents/${child.id}/duplicate-of`,
          { parentId: parent.id, reason: 'same party, second caller' },
          'call_taker',
        )
        expect(linked.statusCode).toBe(200)
        const refused = await post('/api/dispatch/assignments', {
          incidentId: child.id,
          unitId: unit.id,
        })
        expect(refused.statusCode).toBe(409)
        expect(refused.json().error.code).toBe('duplicate_of_dispatched')
        const tooShort = await post('/api/dispatch/assignments', {
          incidentId: child.id,
          unitId: unit.id,
          dualDispatch: { reason: 'ok' },
        })
        expect(tooShort.statusCode).toBe(400)
        expect(tooShort.json().error.problems[0].path).toBe('dualDispatch.reason')
        const dual = await post('/api/dispatch/assignments', {
          incidentId: child.id,
          unitId: unit.id,
          dualDispatch: { reason: 'second caller reports a separate injured person' },
        })
        expect(dual.statusCode).toBe(201)
        expect(dual.json().dualDispatch).toMatchObject({ kind: 'duplicate' })
        clock.advance(1000)
        const counts = (
          await get(
            `/api/dispatch/counts?from=${from}&to=${new Date(clock.now()).toISOString()}`,
            'command',
          )
        ).json()
        expect(counts.dualDispatches).toEqual({ duplicate: 1, referred: 0 })
        expect(counts.refused).toMatchObject({ duplicate_of_dispatched: 1 })
      })

      it('refuses a unit for an incident already referred to an agency', async () => {
        const unit = await addUnit()
        const pothole = await open({
          callType: 'POTHOLE',
          contact: { channel: 'phone_311', caller: { anonymous: true } },
          location: HARBOR,
          answers: { size: 'large' },
        })
        expect(pothole.mode).toBe('referral')
        const res = await post('/api/dispatch/assignments', {
          incidentId: pothole.id,
          unitId: unit.id,
        })
        expect(res.statusCode).toBe(409)
        expect(res.json().error).toMatchObject({ code: 'already_referred' })
        expect(res.json().error.message).toMatch(/referred to DPW/)
      })

      it('lets an officer work only the unit they are signed on to', async () => {
        const unit = await addUnit()
        const other = await addUnit()
        const i = await open(urgent())
        const a = (
          await post('/api/dispatch/assignments', { incidentId: i.id, unitId: unit.id })
        ).json()
        const notSignedOn = await post(`/api/dispatch/assignments/${a.id}/en-route`, {}, 'officer')
        expect(notSignedOn.statusCode).toBe(403)
        expect((await post(`/api/units/${unit.id}/sign-on`, {}, 'officer')).statusCode).toBe(200)
        const twice = await post(`/api/units/${other.id}/sign-on`, {}, 'officer')
        expect(twice.statusCode).toBe(409)
        const mine = (await get('/api/my-unit', 'officer')).json()
        expect(mine.unit.id).toBe(unit.id)
        expect(mine.incident).toMatchObject({ id: i.id, priority: 2 })
        expect(mine.incident).not.toHaveProperty('contacts')
        expect(
          (await post(`/api/dispatch/assignments/${a.id}/en-route`, {}, 'officer')).statusCode,
        ).toBe(200)
        // The unit status button on an assignment moves the assignment, keeping its times.
        const u = (await get(`/api/units/${unit.id}`)).json()
        const onScene = await post(
          `/api/units/${unit.id}/status`,
          { activity: 'on_scene', version: u.version },
          'officer',
        )
        expect(onScene.statusCode).toBe(200)
        const read = (await get(`/api/dispatch/board`)).json()
        const row = read.active.find((x: { id: string }) => x.id === a.id)
        expect(row.onSceneAt).not.toBeNull()
      })

      it('puts a recalled call back in the queue', async () => {
        const unit = await addUnit()
        const i = await open(urgent())
        const a = (
          await post('/api/dispatch/assignments', { incidentId: i.id, unitId: unit.id })
        ).json()
        const noReason = await post(`/api/dispatch/assignments/${a.id}/recall`, { reason: '' })
        expect(noReason.statusCode).toBe(400)
        const res = await post(`/api/dispatch/assignments/${a.id}/recall`, {
          reason: 'needed at a priority-1 call',
        })
        expect(res.statusCode).toBe(200)
        expect(res.json()).toMatchObject({
          active: false,
          recallReason: 'needed at a priority-1 call',
        })
        expect((await board()).queue.map((l: { incidentId: string }) => l.incidentId)).toContain(
          i.id,
        )
        expect((await get(`/api/units/${unit.id}`)).json().availability).toBe('available')
      })

      it('refuses the board and assignment to roles that do not dispatch', async () => {
        expect((await get('/api/dispatch/board', 'call_taker')).statusCode).toBe(403)
        expect((await get('/api/dispatch/board', 'agency_liaison')).statusCode).toBe(403)
        const res = await post(
          '/api/dispatch/assignments',
          { incidentId: 'x', unitId: 'y' },
          'officer',
        )
        expect(res.statusCode).toBe(403)
        expect(
          (
            await get(
              '/api/dispatch/counts?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z',
              'dispatcher',
            )
          ).statusCode,
        ).toBe(403)
      })

      it('says what is wrong with a bad assignment, and writes nothing', async () => {
        const bad = await post('/api/dispatch/assignments', { incidentId: '', role: 'driver' })
        expect(bad.statusCode).toBe(400)
        const paths = bad.json().error.problems.map((p: { path: string }) => p.path)
        expect(paths).toEqual(
          expect.arrayContaining(['body.incidentId', 'body.unitId', 'body.role']),
        )
        const missing = await post('/api/dispatch/assignments', {
          incidentId: 'nope',
          unitId: 'nope',
        })
        expect(missing.statusCode).toBe(404)
      })
    },
  )
}
