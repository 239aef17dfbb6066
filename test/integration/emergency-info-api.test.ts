import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { importGeography } from '../../src/app/geography/import-geography.js'
import { BALTIMORE } from '../support/baltimore.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

/** Activations, official information and facilities (issue #10 items 1–3), over HTTP. */
for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: emergency information API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      // Sunday 22 November 2026, 10:00 in Baltimore.
      const clock = manualClock(Date.parse('2026-11-22T15:00:00Z'))

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, { clock }))
        await importGeography(deps, { id: 'test', roles: ['admin'] }, BALTIMORE)
      }, 120_000)
      afterAll(async () => close())

      const send = (method: 'POST' | 'PUT', url: string, payload: unknown, role: string) =>
        app.inject({ method, url, payload: payload as object, headers: auth(role) })
      const post = (url: string, payload: unknown, role = 'emergency_manager') =>
        send('POST', url, payload, role)
      const get = (url: string, role = 'call_taker') => app.inject({ url, headers: auth(role) })

      /** A 311 call at a Baltimore address, as a call-taker takes it. */
      const call = async (text: string) => {
        const res = await post(
          '/api/incidents',
          {
            callType: 'POTHOLE',
            contact: {
              channel: 'phone_311',
              receivedAt: new Date(clock.now()).toISOString(),
              caller: { anonymous: true },
            },
            location: { text },
            answers: { size: 'large' },
          },
          'call_taker',
        )
        expect(res.statusCode, res.body).toBe(201)
        return res.json() as { id: string }
      }

      let snowId = ''
      const offered = async () =>
        ((await get('/api/call-types')).json().callTypes as Array<{ code: string }>).map(
          (c) => c.code,
        )

      const services = async () =>
        (
          (await app.inject({ url: '/open311/v2/services.json' })).json() as Array<{
            service_code: string
          }>
        ).map((s) => s.service_code)

      it('offers an activation call type only while an activation of its mode is on', async () => {
        const res = await post(
          '/api/call-types',
          {
            definition: {
              code: 'SNOW_UNPLOWED_STREET',
              name: 'Street not plowed',
              group: 'Snow emergency',
              family: 'SNOW',
              defaultPriority: 3,
              defaultMode: 'information_only',
              activation: 'snow',
              public: true,
            },
            reason: 'snow season',
          },
          'admin',
        )
        expect(res.statusCode, res.body).toBe(201)
        expect(await offered()).not.toContain('SNOW_UNPLOWED_STREET')
        expect(await services()).not.toContain('SNOW_UNPLOWED_STREET')
        // Neither described nor taken through Open311 while no snow emergency is on.
        const definition = await app.inject({
          url: '/open311/v2/services/SNOW_UNPLOWED_STREET.json',
        })
        expect(definition.statusCode).toBe(404)
        const all = (await get('/api/call-types?includeInactive=true', 'supervisor')).json()
        expect(all.callTypes.map((c: { code: string }) => c.code)).toContain('SNOW_UNPLOWED_STREET')
      })

      it('refuses the wrong roles: activation, knowledge and facility rules', async () => {
        const body = { mode: 'snow', title: 'Snow', area: { kind: 'city' } }
        for (const role of ['call_taker', 'supervisor', 'analyst'])
          expect((await post('/api/activations', body, role)).statusCode).toBe(403)
        expect((await get('/api/activations/current', 'open311_client')).statusCode).toBe(403)
        const article = { title: 'x', audience: 'public', body: 'y' }
        for (const role of ['call_taker', 'analyst', 'dispatcher'])
          expect((await post('/api/knowledge', article, role)).statusCode).toBe(403)
        expect((await post('/api/knowledge/versions/v/approve', {}, 'call_taker')).statusCode).toBe(
          403,
        )
        const facility = { kind: 'shelter', name: 'x', address: '100 N Holliday St' }
        for (const role of ['call_taker', 'supervisor'])
          expect((await post('/api/facilities', facility, role)).statusCode).toBe(403)
        expect((await get('/api/facilities', 'open311_client')).statusCode).toBe(403)
        expect((await get('/api/knowledge', 'open311_client')).statusCode).toBe(403)
        expect((await post('/api/activations/x/deactivate', {}, 'call_taker')).statusCode).toBe(403)
        expect((await send('PUT', '/api/facilities/x', facility, 'dispatcher')).statusCode).toBe(
          403,
        )
      })

      it('checks what an activation names: districts of the city, catalogue call types, order of dates', async () => {
        const bad = await post('/api/activations', {
          mode: 'snow',
          title: 'Snow',
          area: { kind: 'police_district', names: ['Atlantis'] },
        })
        expect(bad.statusCode).toBe(400)
        expect(bad.json().error.message).toContain('Atlantis')
        const types = await post('/api/activations', {
          mode: 'snow',
          title: 'Snow',
          area: { kind: 'city' },
          callTypes: ['NO_SUCH_TYPE'],
        })
        expect(types.statusCode).toBe(400)
        expect(types.json().error.message).toContain('NO_SUCH_TYPE')
        const dates = await post('/api/activations', {
          mode: 'snow',
          title: 'Snow',
          area: { kind: 'city' },
          startsAt: '2026-11-22T15:00:00Z',
          endsAt: '2026-11-22T14:00:00Z',
        })
        expect(dates.statusCode).toBe(400)
        const mode = await post('/api/activations', {
          mode: 'volcano',
          title: 'x',
          area: { kind: 'city' },
        })
        expect(mode.statusCode).toBe(400)
      })

      it('activates a snow emergency for two districts; the ribbon and the public banner show it', async () => {
        const res = await post('/api/activations', {
          mode: 'snow',
          title: 'Snow emergency',
          area: { kind: 'police_district', names: ['central', 'Southeastern'] },
          callTypes: ['POTHOLE'],
          publicBanner: 'Snow emergency: move cars off snow routes.',
        })
        expect(res.statusCode, res.body).toBe(201)
        snowId = res.json().id
        expect(await offered()).toContain('SNOW_UNPLOWED_STREET')
        expect(await services()).toContain('SNOW_UNPLOWED_STREET')
        expect(res.json()).toMatchObject({
          mode: 'snow',
          endsAt: null,
          deactivatedAt: null,
        })
        const current = (await get('/api/activations/current')).json()
        expect(current.activations.map((a: { id: string }) => a.id)).toEqual([snowId])
        const pub = await app.inject({ url: '/api/public/activations' })
        expect(pub.statusCode).toBe(200)
        const banner = pub.json().activations[0]
        expect(banner).toMatchObject({
          mode: 'snow',
          banner: 'Snow emergency: move cars off snow routes.',
        })
        // The public sees no staff names.
        expect(JSON.stringify(pub.json())).not.toContain('activatedBy')
      })

      it('tags a call taken in the area with the activation, and not one outside it', async () => {
        await call('100 N Holliday St') // City Hall, Central district
        await call('5400 Park Heights Ave') // Northwestern district
        const list = (await get('/api/activations')).json()
        expect(list.activations[0]).toMatchObject({ id: snowId, incidentCount: 1 })
      })

      it('keeps a script hidden until someone other than its author approves it', async () => {
        const res = await post('/api/knowledge', {
          title: 'Large potholes during snow',
          audience: 'call_takers',
          callType: 'pothole',
          body: 'Tell the caller crews fill potholes after the streets are plowed.',
        })
        expect(res.statusCode, res.body).toBe(201)
        const article = res.json()
        expect(article.current).toBeNull()
        const v1 = article.versions[0].id
        const none = (await get('/api/knowledge/script?callType=POTHOLE')).json()
        expect(none.scripts).toEqual([])
        // The author may not approve their own text.
        const own = await post(`/api/knowledge/versions/${v1}/approve`, {})
        expect(own.statusCode).toBe(403)
        const ok = await post(`/api/knowledge/versions/${v1}/approve`, {}, 'supervisor')
        expect(ok.statusCode, ok.body).toBe(200)
        expect(ok.json().approvedBy).toBeTruthy()
        const again = await post(`/api/knowledge/versions/${v1}/approve`, {}, 'admin')
        expect(again.statusCode).toBe(400)
        const shown = (await get('/api/knowledge/script?callType=POTHOLE')).json()
        expect(shown.scripts).toMatchObject([{ versionId: v1, version: 1 }])

        // A second version stays a draft: call-takers keep seeing version 1 until it is approved.
        const v2 = await post(`/api/knowledge/${article.id}/versions`, {
          body: 'Crews fill potholes after plowing; report unplowed streets separately.',
        })
        expect(v2.statusCode).toBe(201)
        expect(
          (await get('/api/knowledge/script?callType=POTHOLE')).json().scripts[0].version,
        ).toBe(1)
        await post(`/api/knowledge/versions/${v2.json().id}/approve`, {}, 'supervisor')
        const now = (await get('/api/knowledge/script?callType=POTHOLE')).json().scripts[0]
        expect(now.version).toBe(2)

        // The answer given is traceable to the version that was current.
        const incident = await call('100 N Holliday St')
        const used = await post(
          `/api/incidents/${incident.id}/script-used`,
          { versionId: now.versionId },
          'call_taker',
        )
        expect(used.statusCode, used.body).toBe(204)
        const given = (await get(`/api/incidents/${incident.id}/information-given`)).json().given
        expect(given).toMatchObject([{ knowledgeVersionId: now.versionId }])
        const draft = await post(`/api/knowledge/${article.id}/versions`, { body: 'not yet' })
        const refused = await post(
          `/api/incidents/${incident.id}/script-used`,
          { versionId: draft.json().id },
          'call_taker',
        )
        expect(refused.statusCode).toBe(409)
      })

      it("lists the activation's approved public articles as its FAQ on the public banner", async () => {
        const res = await post('/api/knowledge', {
          title: 'Where can I park during the snow emergency?',
          audience: 'public',
          activationId: snowId,
          body: 'Park off the snow routes, in garages open free of charge.',
        })
        expect(
          (await app.inject({ url: '/api/public/activations' })).json().activations[0].faq,
        ).toEqual([])
        await post(`/api/knowledge/versions/${res.json().versions[0].id}/approve`, {}, 'supervisor')
        expect(
          (await app.inject({ url: '/api/public/activations' })).json().activations[0].faq,
        ).toEqual([
          {
            title: 'Where can I park during the snow emergency?',
            body: 'Park off the snow routes, in garages open free of charge.',
          },
        ])
      })

      it('describes an Open311 service in the approved public words of its article', async () => {
        const before = (await app.inject({ url: '/open311/v2/services.json' })).json()
        const pothole = (list: Array<{ service_code: string; description: string }>) =>
          list.find((s) => s.service_code === 'POTHOLE')?.description
        expect(pothole(before)).not.toContain('crews fill')
        const res = await post('/api/knowledge', {
          title: 'Potholes',
          audience: 'public',
          callType: 'POTHOLE',
          body: 'Report a pothole here; crews fill them within three days.',
        })
        // A draft is never shown to the public.
        expect(pothole((await app.inject({ url: '/open311/v2/services.json' })).json())).toBe(
          pothole(before),
        )
        await post(`/api/knowledge/versions/${res.json().versions[0].id}/approve`, {}, 'admin')
        expect(pothole((await app.inject({ url: '/open311/v2/services.json' })).json())).toBe(
          'Report a pothole here; crews fill them within three days.',
        )
      })

      it('places facilities on the city map and refuses an address it cannot place', async () => {
        const bad = await post('/api/facilities', {
          kind: 'shelter',
          name: 'Nowhere',
          address: '99999 Imaginary Blvd',
        })
        expect(bad.statusCode).toBe(400)
        expect(bad.json().error.message).toContain('could not place')
        const add = async (kind: string, name: string, address: string, status = 'open') => {
          const r = await post('/api/facilities', {
            kind,
            name,
            address,
            hours: '24 hours',
            capacity: 80,
            accessibility: 'step-free entrance',
            transit: 'Bus routes nearby',
            parking: 'Street parking',
            status,
          })
          expect(r.statusCode, r.body).toBe(201)
          return r.json()
        }
        const hall = await add('warming_centre', 'City Hall warming centre', '100 N Holliday St')
        expect(hall.policeDistrict).toBe('Central')
        expect(hall.lat).toBeCloseTo(39.29, 1)
        await add('warming_centre', 'Highlandtown warming centre', '3400 Eastern Ave')
        await add('warming_centre', 'Park Heights warming centre', '5400 Park Heights Ave')
        await add('shelter', 'Full shelter by City Hall', '200 N Holliday St', 'full')
      })

      it('ranks the nearest open warming centres to a Baltimore caller, with distances; full ones left out', async () => {
        const res = await get(
          `/api/facilities/nearest?address=${encodeURIComponent('400 E Fayette St')}&kind=warming_centre`,
        )
        expect(res.statusCode, res.body).toBe(200)
        const names = res.json().facilities.map((f: { name: string }) => f.name)
        expect(names).toEqual([
          'City Hall warming centre',
          'Highlandtown warming centre',
          'Park Heights warming centre',
        ])
        const d = res.json().facilities.map((f: { distanceMetres: number }) => f.distanceMetres)
        // City Hall is a block or two from Fayette and Gay; Highlandtown about 3 km east.
        expect(d[0]).toBeLessThan(600)
        expect(d[1]).toBeGreaterThan(2000)
        expect(d[1]).toBeLessThan(5000)
        expect(d[2]).toBeGreaterThan(d[1])
        expect(res.json().facilities[0].transit).toBe('Bus routes nearby')
        // From Highlandtown the order changes.
        const east = (
          await get(`/api/facilities/nearest?address=${encodeURIComponent('3500 Eastern Ave')}`)
        ).json()
        expect(east.facilities[0].name).toBe('Highlandtown warming centre')
        expect(east.facilities.map((f: { name: string }) => f.name)).not.toContain(
          'Full shelter by City Hall',
        )
        const missing = await get('/api/facilities/nearest')
        expect(missing.statusCode).toBe(400)
      })

      it('records "can they get there?"; no raises a transport callback', async () => {
        const incident = await call('400 E Fayette St')
        const [first] = (await get('/api/facilities/nearest?address=400%20E%20Fayette%20St')).json()
          .facilities
        const yes = await post(
          `/api/incidents/${incident.id}/facility-offered`,
          { facilityId: first.id, canReach: true, distanceMetres: first.distanceMetres },
          'call_taker',
        )
        expect(yes.json()).toEqual({ callbackId: null })
        const no = await post(
          `/api/incidents/${incident.id}/facility-offered`,
          { facilityId: first.id, canReach: false },
          'call_taker',
        )
        expect(no.statusCode, no.body).toBe(201)
        expect(no.json().callbackId).toBeTruthy()
        const callbacks = (await get('/api/callbacks', 'supervisor')).json()
        expect(JSON.stringify(callbacks)).toContain('transport needed to City Hall warming centre')
        const given = (await get(`/api/incidents/${incident.id}/information-given`)).json().given
        expect(given.map((g: { canReach: boolean }) => g.canReach)).toEqual([true, false])
      })

      it('a full facility drops out of the offer; deactivation ends the banner and the tagging', async () => {
        const list = (await get('/api/facilities?kind=warming_centre')).json().facilities
        const hall = list.find((f: { name: string }) => f.name.startsWith('City Hall'))
        // An edit that keeps the address keeps the placed point.
        const edited = await send(
          'PUT',
          `/api/facilities/${hall.id}`,
          {
            kind: 'warming_centre',
            name: hall.name,
            address: hall.address,
            hours: '8 am to 10 pm',
          },
          'emergency_manager',
        )
        expect(edited.json()).toMatchObject({
          hours: '8 am to 10 pm',
          lat: hall.lat,
          status: 'open',
        })
        const full = await post(`/api/facilities/${hall.id}/status`, { status: 'full' })
        expect(full.json().status).toBe('full')
        const near = (await get('/api/facilities/nearest?address=400%20E%20Fayette%20St')).json()
        expect(near.facilities[0].name).toBe('Highlandtown warming centre')

        const before = (await get('/api/activations')).json().activations[0].incidentCount
        const end = await post(`/api/activations/${snowId}/deactivate`, {})
        expect(end.statusCode).toBe(200)
        expect((await post(`/api/activations/${snowId}/deactivate`, {})).statusCode).toBe(400)
        expect(await offered()).not.toContain('SNOW_UNPLOWED_STREET')
        expect((await app.inject({ url: '/api/public/activations' })).json().activations).toEqual(
          [],
        )
        await call('100 N Holliday St')
        const after = (await get('/api/activations')).json().activations[0]
        // The Central-district calls so far: City Hall, the script's call, the facility's call.
        expect(before).toBe(3)
        expect(after.incidentCount).toBe(before)
      })
    },
  )
}
