import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { ensureRoster } from '../../src/app/dispatch/import-roster.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, openTestApp } from '../support/test-app.js'

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(`${dialect}: units API`, () => {
    let app: FastifyInstance
    let deps: AppDeps
    let close: () => Promise<void>

    beforeAll(async () => {
      ;({ app, deps, close } = await openTestApp(dialect))
    })
    afterAll(async () => close())

    const post = (url: string, payload: unknown, role = 'admin') =>
      app.inject({ method: 'POST', url, payload: payload as object, headers: auth(role) })

    it('puts a unit on the roster, in service, and refuses a call sign already taken', async () => {
      const res = await post('/api/units', {
        callSign: '2a31',
        type: 'patrol',
        splitForceRole: 'call_response',
        district: 'Central',
        beat: '111',
        onDuty: true,
      })
      expect(res.statusCode).toBe(201)
      expect(res.json()).toMatchObject({
        callSign: '2A31',
        availability: 'available',
        activity: null,
        version: 1,
      })
      const again = await post('/api/units', { callSign: '2A31', type: 'patrol' })
      expect(again.statusCode).toBe(409)
      expect(again.json().error.message).toMatch(/call sign '2A31' is already on the roster/)
    })

    it('says what to fix in a bad unit, and stores nothing', async () => {
      const res = await post('/api/units', { callSign: 'has space', type: 'tank' })
      expect(res.statusCode).toBe(400)
      const paths = res.json().error.problems.map((p: { path: string }) => p.path)
      expect(paths).toEqual(expect.arrayContaining(['body.callSign', 'body.type']))
      const list = await app.inject({ url: '/api/units', headers: auth('dispatcher') })
      expect(list.json().units.map((u: { callSign: string }) => u.callSign)).not.toContain(
        'HAS SPACE',
      )
    })

    it('takes an officer en route and on scene, keeps the history, and refuses a stale or wrong move', async () => {
      const unit = (
        await post('/api/units', { callSign: '3B12', type: 'patrol', onDuty: true })
      ).json()
      const url = `/api/units/${unit.id}/status`
      // An officer reports only for the unit they are signed on to.
      const notSignedOn = await post(url, { activity: 'en_route', version: 1 }, 'officer')
      expect(notSignedOn.statusCode).toBe(403)
      const signedOn = await post(`/api/units/${unit.id}/sign-on`, {}, 'officer')
      expect(signedOn.json()).toMatchObject({ crew: 'token:test officer', version: 2 })
      const enRoute = await post(url, { activity: 'en_route', version: 2 }, 'officer')
      expect(enRoute.statusCode).toBe(200)
      expect(enRoute.json()).toMatchObject({ availability: 'not_available', version: 3 })
      const stale = await post(url, { activity: 'out_of_service', version: 2 }, 'dispatcher')
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.message).toMatch(/changed meanwhile \(now version 3\)/)
      const wrong = await post(url, { activity: 'problem_solving', version: 3 }, 'officer')
      expect(wrong.statusCode).toBe(409)
      expect(wrong.json().error.message).toMatch(/allowed: on_scene, in service/)
      const onScene = await post(
        url,
        { activity: 'on_scene', version: 3, position: { lat: 39.29, lon: -76.61 } },
        'officer',
      )
      expect(onScene.json()).toMatchObject({ activity: 'on_scene', position: { lat: 39.29 } })
      const read = (
        await app.inject({ url: `/api/units/${unit.id}`, headers: auth('command') })
      ).json()
      expect(read.history.map((h: { from: string; to: string }) => [h.from, h.to])).toEqual([
        [null, 'en_route'],
        ['en_route', 'on_scene'],
      ])
    })

    it('refuses the roster to a call-taker, and status changes to an analyst', async () => {
      expect(
        (await app.inject({ url: '/api/units', headers: auth('call_taker') })).statusCode,
      ).toBe(403)
      const unit = (
        await post('/api/units', { callSign: '4C01', type: 'civilian', onDuty: true })
      ).json()
      const res = await post(
        `/api/units/${unit.id}/status`,
        { activity: 'en_route', version: 1 },
        'analyst',
      )
      expect(res.statusCode).toBe(403)
      expect(
        (await post('/api/units', { callSign: '4C02', type: 'patrol' }, 'dispatcher')).statusCode,
      ).toBe(403)
    })

    it('imports a roster file: all lines or none, keeping status and history of units already there', async () => {
      const roster = readFileSync(new URL('../fixtures/roster.csv', import.meta.url), 'utf8')
      const first = await post('/api/units/roster', { csv: roster }, 'supervisor')
      expect(first.statusCode).toBe(200)
      expect(first.json()).toEqual({
        added: ['1A11', '1A12', '1P01', '1C01', 'NSC-E1'],
        updated: [],
        unchanged: [],
      })
      const again = await post('/api/units/roster', { csv: roster }, 'supervisor')
      expect(again.json().unchanged).toHaveLength(5)
      const moved = roster.replace(
        '1A12,patrol,call_response,B,Central,112,yes',
        '1A12,patrol,problem_solving,C,Central,113,yes',
      )
      expect(
        (await post('/api/units/roster', { csv: moved }, 'supervisor')).json().updated,
      ).toEqual(['1A12'])
      const broken = `${roster}1A13,tank,,B,Central,,maybe\n1A11,patrol,,B,Central,,yes\n`
      const bad = await post('/api/units/roster', { csv: broken }, 'supervisor')
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.problems).toEqual([
        {
          path: 'line 7.type',
          message:
            "'tank' is not a unit type (patrol, problem_solving, civilian, nsc, agency_crew)",
        },
        { path: 'line 7.on_duty', message: "'maybe' is not yes or no" },
        { path: 'line 8.call_sign', message: '1A11 is already on line 2' },
      ])
      const units = (await app.inject({ url: '/api/units', headers: auth('dispatcher') })).json()
      expect(units.units.map((u: { callSign: string }) => u.callSign)).not.toContain('1A13')
      const ps = units.units.find((u: { callSign: string }) => u.callSign === '1P01')
      expect(ps).toMatchObject({
        type: 'problem_solving',
        splitForceRole: 'problem_solving',
        beat: null,
      })
      expect(
        (await post('/api/units/roster', { csv: 'no header here' }, 'supervisor')).statusCode,
      ).toBe(400)
      expect((await post('/api/units/roster', { csv: roster }, 'dispatcher')).statusCode).toBe(403)
    })

    it('loads the demo roster into an empty roster only', async () => {
      const fresh = await openTestApp(dialect)
      try {
        const report = await ensureRoster(fresh.deps)
        expect(report?.added).toHaveLength(31)
        expect(await ensureRoster(fresh.deps)).toBeNull()
        const units = await fresh.deps.store.units.units()
        expect(new Set(units.map((u) => u.district)).size).toBe(9)
      } finally {
        await fresh.close()
      }
      // A roster already in use is left alone.
      expect(await ensureRoster(deps)).toBeNull()
    })
  })
}
