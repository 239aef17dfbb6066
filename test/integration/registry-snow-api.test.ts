import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { activateEmergency } from '../../src/app/emergency/activations.js'
import { ensureCriticalPlaces } from '../../src/app/emergency/snow.js'
import { importGeography } from '../../src/app/geography/import-geography.js'
import { ROLES } from '../../src/domain/access/roles.js'
import { HEALTH_ROLES } from '../../src/domain/emergency/registry.js'
import { BALTIMORE } from '../support/baltimore.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { SNOW_CATALOGUE } from '../support/snow-catalogue.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

/** A dialysis patient on a local street in the Central district (Upper Fells Point). */
const ANN_ST = '500 S ANN ST'
/** A registrant with a mobility need in the Northern district, outside the activation. */
const GREENMOUNT = '3000 GREENMOUNT AVE'

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: special-needs registry and snow operations API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      const clock = manualClock(Date.parse('2026-11-22T15:00:00Z'))
      const ids: Record<string, string> = {}
      let annSegment = ''
      let activationId = ''

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, { clock, catalogue: SNOW_CATALOGUE }))
        await importGeography(deps, { id: 'test', roles: ['admin'] }, BALTIMORE)
      }, 120_000)
      afterAll(async () => close())

      const send = (
        method: 'POST' | 'PUT' | 'PATCH',
        url: string,
        payload: unknown,
        role: string,
      ) => app.inject({ method, url, payload: payload as object, headers: auth(role) })
      const get = (url: string, role: string) => app.inject({ url, headers: auth(role) })

      const enrol = (name: string, address: string, needs: string[]) =>
        send(
          'POST',
          '/api/registry/registrants',
          {
            name,
            phone: '410-555-0101',
            address,
            consent: { givenBy: name, givenAt: '2026-11-01T14:00:00Z', method: 'signed_form' },
            health: {
              needs,
              contacts: [{ name: 'Sam Contact', phone: '410-555-0199', relationship: 'son' }],
              notes: 'dialysis Mon/Wed/Fri 7am',
            },
          },
          'emergency_manager',
        )

      it('enrols registrants with a consent record, geocoded on the city streets', async () => {
        const res = await enrol('Dora Dialysis', ANN_ST, ['dialysis'])
        expect(res.statusCode).toBe(201)
        const body = res.json()
        expect(body).toMatchObject({
          address: { policeDistrict: 'Central', neighborhood: 'Upper Fells Point' },
          consent: { method: 'signed_form', recordedBy: expect.any(String) },
          reverifyBy: '2027-11-22T15:00:00.000Z',
          verification: 'current',
        })
        expect(body).not.toHaveProperty('health')
        ids.dora = body.id
        annSegment = body.address.segmentId
        expect(annSegment).toBeTruthy()
        const other = await enrol('Mo Mobility', GREENMOUNT, ['mobility'])
        expect(other.statusCode).toBe(201)
        ids.mo = other.json().id
      })

      it('refuses an address off the map and an empty list of needs, naming the field', async () => {
        const off = await enrol('Nobody', '99999 NOWHERE BLVD', ['oxygen'])
        expect(off.statusCode).toBe(400)
        expect(JSON.stringify(off.json().error)).toContain('address')
        const none = await enrol('Nobody', ANN_ST, [])
        expect(none.statusCode).toBe(400)
        const ct = await send('POST', '/api/registry/registrants', {}, 'call_taker')
        expect(ct.statusCode).toBe(403)
      })

      it("the managers' list never carries health details", async () => {
        const res = await get('/api/registry/registrants', 'emergency_manager')
        expect(res.statusCode).toBe(200)
        expect(res.json().registrants).toHaveLength(2)
        expect(res.body).not.toMatch(/dialysis|mobility|Sam Contact|Mon\/Wed/)
      })

      it('refuses a registry read outside an activation (403, a clear message), audited', async () => {
        const res = await get('/api/registry/wellness', 'emergency_manager')
        expect(res.statusCode).toBe(403)
        expect(res.json().error).toMatchObject({ code: 'outside_activation' })
        expect(res.json().error.message).toMatch(/only during an activation/)
        const denied = await deps.store.audit.search({
          action: 'registry_health_read',
          outcome: 'denied',
          limit: 5,
        })
        expect(denied.length).toBeGreaterThanOrEqual(1)
      })

      it('outside a snow activation the registrant does not lift the street', async () => {
        const res = await get(`/api/snow/segments/${annSegment}`, 'call_taker')
        expect(res.statusCode).toBe(200)
        expect(res.json()).toMatchObject({ priority: 4, basePriority: 4, raisedBy: [] })
      })

      it('in a snow activation the dialysis registrant lifts their street to first', async () => {
        const a = await activateEmergency(
          deps,
          { id: 'em', roles: ['emergency_manager'] },
          {
            mode: 'snow',
            title: 'Snow emergency: Central',
            area: { kind: 'police_district', names: ['Central'] },
          },
        )
        activationId = a.id
        const res = await get(`/api/snow/segments/${annSegment}`, 'call_taker')
        expect(res.json()).toMatchObject({
          priority: 1,
          basePriority: 4,
          raisedBy: ['critical_need'],
        })
        // The map layer says the same, and never who lives there.
        const [lon, lat] = [-76.5915, 39.2857]
        const layer = await get(
          `/api/snow/segments?bbox=${lon - 0.002},${lat - 0.002},${lon + 0.002},${lat + 0.002}`,
          'supervisor',
        )
        expect(layer.statusCode).toBe(200)
        const feature = layer.json().features.find((f: { id: string }) => f.id === annSegment)
        expect(feature.properties).toMatchObject({ priority: 1, state: 'not_started' })
        expect(layer.body).not.toMatch(/Dora|dialysis/)
      })

      it('a manager marks a segment plowed; a call-taker may not', async () => {
        expect(
          (
            await send(
              'PUT',
              `/api/snow/segments/${annSegment}/state`,
              { state: 'in_progress' },
              'call_taker',
            )
          ).statusCode,
        ).toBe(403)
        const ok = await send(
          'PUT',
          `/api/snow/segments/${annSegment}/state`,
          { state: 'in_progress' },
          'emergency_manager',
        )
        expect(ok.statusCode).toBe(204)
        expect((await get(`/api/snow/segments/${annSegment}`, 'call_taker')).json().state).toBe(
          'in_progress',
        )
        const bad = await send('PUT', '/api/snow/segments/nope/state', { state: 'plowed' }, 'admin')
        expect(bad.statusCode).toBe(404)
      })

      it('lists the activation area registrants by need, for the roles that need them, audited', async () => {
        const res = await get('/api/registry/wellness', 'call_taker')
        expect(res.statusCode).toBe(200)
        const body = res.json()
        expect(body.activation.id).toBe(activationId)
        expect(body.registrants.map((r: { name: string }) => r.name)).toEqual(['Dora Dialysis'])
        expect(body.registrants[0].health).toMatchObject({
          needs: ['dialysis'],
          contacts: [{ name: 'Sam Contact' }],
        })
        const reads = await deps.store.audit.search({
          action: 'registry_health_read',
          outcome: 'success',
          limit: 5,
        })
        expect(reads[0]).toMatchObject({ actor: expect.stringContaining('call_taker') })
        expect(JSON.stringify(reads[0]?.details)).not.toMatch(/dialysis/)
      })

      it('a role that may not see health details never gets them', async () => {
        for (const role of ROLES.filter(
          (r) => !HEALTH_ROLES.includes(r) && r !== 'open311_client',
        )) {
          const res = await get('/api/registry/wellness', role)
          expect(res.statusCode, role).toBe(403)
          expect(res.body).not.toMatch(/dialysis|Dora/)
        }
      })

      it('records wellness calls: a third not reached escalates', async () => {
        const call = (outcome: string) =>
          send(
            'POST',
            `/api/registry/registrants/${ids.dora}/wellness-calls`,
            { activationId, outcome },
            'call_taker',
          )
        expect((await call('not_reached')).json().next).toBe('try_again')
        expect((await call('not_reached')).json().next).toBe('try_again')
        const third = (await call('not_reached')).json()
        expect(third.next).toBe('escalate')
        // Escalated: a welfare check is opened at her door, without her needs in its narrative.
        const check = await get(`/api/incidents/${third.incidentId}`, 'dispatcher')
        expect(check.statusCode).toBe(200)
        expect(check.json()).toMatchObject({
          incident: { callType: 'WELFARE_CHECK', channel: 'outbound', priority: 2 },
          activation: { id: activationId, mode: 'snow' },
        })
        expect(check.body).not.toMatch(/dialysis/)
        const list = (await get('/api/registry/wellness', 'emergency_manager')).json()
        expect(list.registrants[0]).toMatchObject({ attempts: 3, next: 'escalate' })
        // Mo lives outside the activation: no wellness call is recorded for them.
        const outside = await send(
          'POST',
          `/api/registry/registrants/${ids.mo}/wellness-calls`,
          { activationId, outcome: 'reached_fine' },
          'call_taker',
        )
        expect(outside.statusCode).toBe(403)
      })

      it('routes an unplowed street to the plow queue and a blocking car to the tow queue', async () => {
        const open = async (callType: string) => {
          const res = await send(
            'POST',
            '/api/incidents',
            {
              callType,
              contact: { channel: 'phone_311', caller: { anonymous: true } },
              location: { text: ANN_ST },
            },
            'call_taker',
          )
          expect(res.statusCode, res.body).toBe(201)
          return res.json().id as string
        }
        const plowId = await open('SNOW_UNPLOWED_STREET')
        const towId = await open('SNOW_CAR_BLOCKING_PLOW')
        const q = (await get('/api/snow/queues', 'dispatcher')).json()
        expect(q.plow.map((x: { incident: { id: string } }) => x.incident.id)).toEqual([plowId])
        expect(q.tow.map((x: { incident: { id: string } }) => x.incident.id)).toEqual([towId])
        expect(q.plow[0].segment).toMatchObject({ id: annSegment, priority: 1 })

        // On the registrant's own incident a call-taker sees the needs; a dispatcher only a count.
        const mine = (await get(`/api/incidents/${plowId}/registrants`, 'call_taker')).json()
        expect(mine).toMatchObject({ count: 1, healthShown: true })
        expect(mine.registrants[0].health.needs).toEqual(['dialysis'])
        const theirs = await get(`/api/incidents/${plowId}/registrants`, 'dispatcher')
        expect(theirs.json()).toMatchObject({ count: 1, healthShown: false, registrants: [] })
        expect(theirs.body).not.toMatch(/dialysis|Dora/)
      })

      it("the activation's dashboard counts the calls tagged with it, by type and by hour", async () => {
        const res = await get(`/api/activations/${activationId}/dashboard`, 'command')
        expect(res.statusCode, res.body).toBe(200)
        const d = res.json()
        const byType = Object.fromEntries(
          d.byCallType.map((t: { callType: string; count: number }) => [t.callType, t.count]),
        )
        // The two snow calls on Ann Street and the welfare check the third missed call opened.
        expect(byType).toEqual({
          SNOW_UNPLOWED_STREET: 1,
          SNOW_CAR_BLOCKING_PLOW: 1,
          WELFARE_CHECK: 1,
        })
        expect(d.calls.total).toBe(3)
        expect(d.byMode.reduce((n: number, m: { count: number }) => n + m.count, 0)).toBe(3)
        expect(d.byHour.reduce((n: number, h: { count: number }) => n + h.count, 0)).toBe(3)
        expect(d.byHour[0].hour).toBe('2026-11-22T15:00:00.000Z')
        expect((await get('/api/activations/nope/dashboard', 'command')).statusCode).toBe(404)
      })

      it("loads the demo city's hospitals once, each placed on the streets; only managers add more", async () => {
        const loaded = await ensureCriticalPlaces(deps)
        expect(loaded).toEqual({ added: 7, skipped: [] })
        expect(await ensureCriticalPlaces(deps)).toBeNull()
        const list = await get('/api/snow/critical-places', 'call_taker')
        expect(list.statusCode).toBe(200)
        expect(list.json().places.map((p: { name: string }) => p.name)).toContain(
          'The Johns Hopkins Hospital',
        )
        const body = { kind: 'dialysis_centre', name: 'East dialysis', address: '500 S ANN ST' }
        expect(
          (await send('POST', '/api/snow/critical-places', body, 'call_taker')).statusCode,
        ).toBe(403)
        const added = await send('POST', '/api/snow/critical-places', body, 'emergency_manager')
        expect(added.statusCode).toBe(201)
        expect((await get('/api/snow/critical-places', 'dispatcher')).json().places).toHaveLength(8)
        const lost = await send(
          'POST',
          '/api/snow/critical-places',
          { ...body, address: '99999 NOWHERE BLVD' },
          'emergency_manager',
        )
        expect(lost.statusCode).toBe(400)
      })

      it('flags an entry as expired once its re-verification date passes', async () => {
        clock.set(Date.parse('2027-12-01T15:00:00Z'))
        const res = (await get('/api/registry/registrants', 'emergency_manager')).json()
        expect(res.expired).toBe(2)
        const dora = res.registrants.find((r: { id: string }) => r.id === ids.dora)
        const again = await send(
          'PATCH',
          `/api/registry/registrants/${ids.dora}`,
          { expectedVersion: dora.version, reverified: true },
          'emergency_manager',
        )
        expect(again.statusCode).toBe(200)
        expect(again.json()).toMatchObject({
          verification: 'current',
          reverifyBy: '2028-12-01T15:00:00.000Z',
        })
      })
    },
  )
}
