import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { importGeography } from '../../src/app/geography/import-geography.js'
import { BALTIMORE } from '../support/baltimore.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, openTestApp } from '../support/test-app.js'

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: the city's geography through the API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect))
      }, 120_000)
      afterAll(async () => close())

      const get = (url: string, role?: string) =>
        app.inject({ method: 'GET', url, headers: auth(role) })

      it('says clearly when no street file has been imported yet', async () => {
        const res = await get('/api/geography/geocode?q=4300%20E%20Lombard%20St')
        expect(res.statusCode).toBe(409)
        expect(res.json().error.code).toBe('no_geography')
      })

      it('imports the Baltimore demo city with progress, and skips unchanged layers on a re-run', async () => {
        const progress: string[] = []
        const first = await importGeography(
          deps,
          { id: 'test', roles: ['admin'] },
          BALTIMORE,
          (layer, done, total) => {
            if (done === total) progress.push(layer)
          },
        )
        expect(first.map((r) => [r.layer, r.status])).toEqual([
          ['streets', 'imported'],
          ['intersections', 'imported'],
          ['area:police_district', 'imported'],
          ['area:neighborhood', 'imported'],
        ])
        expect(first[0]!.features).toBeGreaterThan(45_000)
        expect(progress).toEqual([
          'streets',
          'intersections',
          'area:police_district',
          'area:neighborhood',
        ])
        const again = await importGeography(deps, { id: 'test', roles: ['admin'] }, BALTIMORE)
        expect(again.every((r) => r.status === 'unchanged')).toBe(true)
        const layers = (await get('/api/geography/layers')).json()
        expect(layers.size.segments).toBe(first[0]!.features)
        expect(layers.areaLayers).toEqual({ police_district: 9, neighborhood: 278 })
        // The map's first view is Baltimore: about 76.71–76.49 W, 39.20–39.37 N.
        const [w, s, e, n] = layers.bounds as [number, number, number, number]
        expect(w).toBeGreaterThan(-76.8)
        expect(e).toBeLessThan(-76.45)
        expect(s).toBeGreaterThan(39.15)
        expect(n).toBeLessThan(39.4)
        expect(e - w).toBeGreaterThan(0.1)
        expect(n - s).toBeGreaterThan(0.1)
      }, 120_000)

      it('geocodes, suggests and reverse geocodes', async () => {
        const g = (
          await get('/api/geography/geocode?q=4300%20E%20Lombard%20St', 'call_taker')
        ).json()
        expect(g).toMatchObject({
          status: 'found',
          match: { kind: 'address', block: '4300 BLOCK E LOMBARD ST' },
        })
        const s = (await get('/api/geography/suggest?q=4300%20e%20lomb', 'call_taker')).json()
        expect(s.suggestions[0]).toMatchObject({ label: '4300 E LOMBARD ST' })
        const r = (
          await get(`/api/geography/reverse?lat=${g.match.lat}&lon=${g.match.lon}`, 'call_taker')
        ).json()
        expect(r).toMatchObject({
          block: '4300 BLOCK E LOMBARD ST',
          areas: { police_district: 'Southeastern' },
        })
        const bad = await get('/api/geography/reverse?lat=north&lon=1', 'call_taker')
        expect(bad.statusCode).toBe(400)
      })

      it('serves map data from the street file, thinned by zoom', async () => {
        const box = '-76.62,39.28,-76.60,39.30'
        const near = (await get(`/api/map/streets?bbox=${box}&zoom=16`)).json()
        const far = (await get(`/api/map/streets?bbox=${box}&zoom=12`)).json()
        expect(near.type).toBe('FeatureCollection')
        expect(near.features.length).toBeGreaterThan(100)
        expect(far.features.length).toBeLessThan(near.features.length)
        expect(near.features[0].geometry.type).toBe('LineString')
        const districts = (await get('/api/map/areas/police_district')).json()
        expect(districts.features).toHaveLength(9)
      })

      /** A caller-anonymous loud-music call placed only by the text of its location. */
      const openNoiseAt = (text: string) =>
        app.inject({
          method: 'POST',
          url: '/api/incidents',
          headers: auth('call_taker'),
          payload: {
            callType: 'NOISE',
            contact: { channel: 'phone_311', caller: { anonymous: true } },
            location: { text },
            answers: { source: 'music' },
          },
        })

      it('locates an incident opened with only an address: point, block, segment, district, neighborhood', async () => {
        const res = await openNoiseAt('4310 E Lombard St')
        expect(res.statusCode).toBe(201)
        const i = res.json()
        expect(i.placement).toMatchObject({ method: 'geocoded', status: 'found' })
        expect(i.location).toMatchObject({
          text: '4310 E Lombard St',
          block: '4300 BLOCK E LOMBARD ST',
          policeDistrict: 'Southeastern',
        })
        expect(i.location.lat).toBeCloseTo(39.29, 1)
        expect(i.location.segmentId).toBeTruthy()
        expect(i.location.neighborhood).toBeTruthy()
        expect(i.location.h3).toMatch(/^89/)

        // A second caller about the same block finds it by typed address, with the block as a reason.
        const dups = (
          await get(
            `/api/duplicates?callType=NOISE&location=${encodeURIComponent('4320 E Lombard St')}`,
            'call_taker',
          )
        ).json()
        expect(dups.candidates[0]).toMatchObject({ id: i.id, block: '4300 BLOCK E LOMBARD ST' })
        expect(dups.candidates[0].reasons).toContain('same block (4300 BLOCK E LOMBARD ST)')

        // Text the geocoder cannot place stays as text, with the candidates for the call-taker.
        const vague = await openNoiseAt('Russell St')
        expect(vague.statusCode).toBe(201)
        expect(vague.json().placement).toMatchObject({ method: 'unplaced', status: 'ambiguous' })
        expect(vague.json().location).toMatchObject({ text: 'Russell St', lat: null, block: null })
      })

      it('lets only an administrator replace a layer, and checks the upload', async () => {
        const payload = {
          kind: 'areas',
          layer: 'beat',
          format: 'geojson',
          fields: { id: 'id', name: 'name' },
          data: JSON.stringify({
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { id: 'B1', name: 'Post 111' },
                geometry: {
                  type: 'Polygon',
                  coordinates: [
                    [
                      [-76.6, 39.28],
                      [-76.5, 39.28],
                      [-76.5, 39.3],
                      [-76.6, 39.3],
                      [-76.6, 39.28],
                    ],
                  ],
                },
              },
            ],
          }),
        }
        const refused = await app.inject({
          method: 'POST',
          url: '/api/geography/layers',
          headers: auth('supervisor'),
          payload,
        })
        expect(refused.statusCode).toBe(403)
        const bad = await app.inject({
          method: 'POST',
          url: '/api/geography/layers',
          headers: auth(),
          payload: { ...payload, data: '{not json' },
        })
        expect(bad.statusCode).toBe(400)
        expect(bad.json().error.problems[0].path).toBe('body.data')
        const ok = await app.inject({
          method: 'POST',
          url: '/api/geography/layers',
          headers: auth(),
          payload,
        })
        expect(ok.json()).toEqual({ layer: 'area:beat', features: 1 })
        const r = (await get('/api/geography/reverse?lat=39.2906&lon=-76.5614')).json()
        expect(r.areas.beat).toBe('Post 111')
      })
    },
  )
}
