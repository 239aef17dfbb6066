import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, openTestApp } from '../support/test-app.js'

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(`${dialect}: units API`, () => {
    let app: FastifyInstance
    let close: () => Promise<void>

    beforeAll(async () => {
      ;({ app, close } = await openTestApp(dialect))
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
      const enRoute = await post(url, { activity: 'en_route', version: 1 }, 'officer')
      expect(enRoute.statusCode).toBe(200)
      expect(enRoute.json()).toMatchObject({ availability: 'not_available', version: 2 })
      const stale = await post(url, { activity: 'out_of_service', version: 1 }, 'dispatcher')
      expect(stale.statusCode).toBe(409)
      expect(stale.json().error.message).toMatch(/changed meanwhile \(now version 2\)/)
      const wrong = await post(url, { activity: 'problem_solving', version: 2 }, 'officer')
      expect(wrong.statusCode).toBe(409)
      expect(wrong.json().error.message).toMatch(/allowed: on_scene, in service/)
      const onScene = await post(
        url,
        { activity: 'on_scene', version: 2, position: { lat: 39.29, lon: -76.61 } },
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
  })
}
