import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { validateWith, xmlJsonDifferences } from '../support/open311-wire.js'
import { auth, manualClock, openTestApp, tokenFor } from '../support/test-app.js'

/**
 * Open311 GeoReport v2 conformance: every item of research/open311-anchors.md §1.12, in JSON
 * (checked against JSON Schemas written from the spec) and in XML (parsed and compared with the
 * JSON), plus our privacy rules.
 */
const BASE = '/open311/v2'
const KEY = tokenFor('open311_client')
const HARBOR = { lat: '39.2866', long: '-76.6106' }
const READ = {
  booleans: ['metadata', 'variable', 'required', 'duplicate'],
  numbers: ['lat', 'long', 'order', 'code'],
}

const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(fields))
    for (const x of Array.isArray(v) ? v : [v]) p.append(k, x)
  return p.toString()
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: Open311 GeoReport v2`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      const clock = manualClock(Date.parse('2026-11-20T15:00:00Z'))

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, { clock }))
      })
      afterAll(async () => close())

      const get = (path: string) => app.inject({ url: `${BASE}${path}` })
      const post = (fields: Record<string, string | string[]>, path = '/requests.json') =>
        app.inject({
          method: 'POST',
          url: `${BASE}${path}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          payload: form(fields),
        })
      /** The same resource in both formats: JSON valid against its schema, XML saying the same. */
      async function both(path: string, root: string, schema: string) {
        const json = await get(`${path}.json`)
        const xml = await get(`${path}.xml`)
        expect(json.headers['content-type']).toBe('application/json; charset=utf-8')
        expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8')
        expect(xml.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true)
        expect(validateWith(schema, json.json())).toEqual([])
        expect(xmlJsonDifferences(xml.body, root, json.json(), READ)).toEqual([])
        return json
      }
      const errorOf = (res: LightMyRequestResponse) => {
        expect(validateWith('errors.json', res.json())).toEqual([])
        return res.json()[0] as { code: number; description: string }
      }
      const submit = (fields: Record<string, string | string[]> = {}) =>
        post({
          api_key: KEY,
          service_code: 'POTHOLE',
          ...HARBOR,
          'attribute[size]': 'large',
          ...fields,
        })

      it('issues an API key through the accounts API; a revoked key, or the role on a person, is refused', async () => {
        const issued = await app.inject({
          method: 'POST',
          url: '/api/tokens',
          headers: auth('admin'),
          payload: { name: 'FixMyStreet', roles: ['open311_client'] },
        })
        expect(issued.statusCode, issued.body).toBe(201)
        const { secret, id } = issued.json()
        expect(
          (await submit({ api_key: secret, lat: '39.3100', long: '-76.5400' })).statusCode,
        ).toBe(201)
        // The key reads nothing in the staff API.
        expect(
          (
            await app.inject({
              url: '/api/incidents',
              headers: { authorization: `Bearer ${secret}` },
            })
          ).statusCode,
        ).toBe(403)
        await app.inject({
          method: 'DELETE',
          url: `/api/tokens/${id}`,
          headers: auth('admin'),
        })
        expect((await submit({ api_key: secret })).statusCode).toBe(403)
        const person = await app.inject({
          method: 'POST',
          url: '/api/users',
          headers: auth('admin'),
          payload: {
            username: 'appuser',
            displayName: 'App',
            password: 'a long enough passphrase',
            roles: ['open311_client'],
          },
        })
        expect(person.statusCode).toBe(400)
        expect(person.json().error.message).toMatch(
          /open311_client is for an Open311 API key alone/,
        )
      })

      it('1. discovery in XML and JSON, with every field', async () => {
        const res = await both('/discovery', 'discovery', 'discovery.json')
        const d = res.json()
        expect(Object.keys(d).sort()).toEqual(['changeset', 'contact', 'endpoints', 'key_service'])
        expect(d.endpoints[0]).toMatchObject({
          specification: 'http://wiki.open311.org/GeoReport_v2',
          type: 'production',
        })
        expect(d.endpoints[0].formats).toContain('text/xml')
      })

      it('2. the services are the public call types only', async () => {
        const res = await both('/services', 'services', 'services.json')
        const codes = res.json().map((s: { service_code: string }) => s.service_code)
        // By group, then name: Property crime, Quality of life, Streets.
        expect(codes).toEqual(['THEFT_FROM_VEHICLE', 'NOISE', 'POTHOLE'])
        expect(codes).not.toContain('ASSAULT_IN_PROGRESS')
        expect(res.json()[1]).toMatchObject({
          type: 'realtime',
          metadata: true,
          keywords: 'loud music,party',
        })
      })

      it('3. each service definition, and 404 for an unknown code in both formats', async () => {
        for (const code of ['NOISE', 'THEFT_FROM_VEHICLE', 'POTHOLE']) {
          const def = (
            await both(`/services/${code}`, 'service_definition', 'service-definition.json')
          ).json()
          expect(def.service_code).toBe(code)
          const orders = def.attributes.map((a: { order: number }) => a.order)
          expect(new Set(orders).size).toBe(orders.length)
          expect(def.attributes[0]).toMatchObject({ variable: false, code: 'EMERGENCY_NOTICE' })
        }
        const noise = (await get('/services/NOISE.json')).json()
        expect(noise.attributes.find((a: { code: string }) => a.code === 'source')).toMatchObject({
          datatype: 'singlevaluelist',
          required: true,
          values: expect.arrayContaining([{ key: 'music', name: 'music' }]),
        })
        const missing = await get('/services/NOPE.json')
        expect(missing.statusCode).toBe(404)
        expect(errorOf(missing)).toEqual({
          code: 404,
          description: 'service_code NOPE was not found',
        })
        const missingXml = await get('/services/ASSAULT_IN_PROGRESS.xml')
        expect(missingXml.statusCode).toBe(404)
        expect(missingXml.body).toContain('<errors><error><code>404</code>')
      })

      it('4. POST: key, service code, location and attributes are checked; a good one is created', async () => {
        const noKey = await post({ service_code: 'POTHOLE', ...HARBOR })
        expect(noKey.statusCode).toBe(403)
        expect(errorOf(noKey).code).toBe(403)
        const staffKey = await post({
          api_key: tokenFor('admin'),
          service_code: 'POTHOLE',
          ...HARBOR,
        })
        expect(staffKey.statusCode).toBe(403)
        const noCode = await post({ api_key: KEY, ...HARBOR })
        expect(noCode.statusCode).toBe(400)
        expect(errorOf(noCode).description).toBe('service_code is required')
        expect((await post({ api_key: KEY, service_code: 'NOPE', ...HARBOR })).statusCode).toBe(404)
        const noPlace = await post({ api_key: KEY, service_code: 'POTHOLE' })
        expect(noPlace.statusCode).toBe(400)
        expect(errorOf(noPlace).description).toMatch(/a location is required/)
        const noAnswer = await post({
          api_key: KEY,
          service_code: 'NOISE',
          address_string: '1 Main St',
        })
        expect(noAnswer.statusCode).toBe(400)
        expect(errorOf(noAnswer).description).toBe(
          'attribute source is required (What is making the noise?)',
        )
        const long = await submit({ description: 'x'.repeat(4001) })
        expect(long.statusCode).toBe(400)
        const before = await deps.store.incidents.count()
        const ok = await submit({
          description: 'A deep hole\nin the bus lane',
          email: 'ada@example.org',
        })
        expect(ok.statusCode).toBe(201)
        expect(validateWith('post-response.json', ok.json())).toEqual([])
        expect(ok.json()[0].service_request_id).toMatch(/^311-\d{7}$/)
        expect(await deps.store.incidents.count()).toBe(before + 1)
        // It waits in the PSA review queue with its channel, triaged like a call.
        const incident = await deps.store.incidents.byNumber(
          Number(ok.json()[0].service_request_id.slice(4)),
        )
        expect(incident).toMatchObject({
          status: 'new',
          channel: 'open311',
          mode: 'referral',
          referral: 'DPW',
        })
        const xml = await submit({ lat: '39.3000', long: '-76.6500' }) // far away: not a duplicate
        expect(xml.statusCode).toBe(201)
      })

      it('4b. POST in XML, and a value outside the list is refused naming the attribute', async () => {
        const res = await post(
          { api_key: KEY, service_code: 'POTHOLE', ...HARBOR, 'attribute[size]': 'enormous' },
          '/requests.xml',
        )
        expect(res.statusCode).toBe(400)
        expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
        expect(res.body).toContain('attribute size: enormous is not one of small, large')
      })

      it('5. multivalue attributes arrive as attribute[code][] and must be among the values', async () => {
        const ok = await post({
          api_key: KEY,
          service_code: 'THEFT_FROM_VEHICLE',
          address_string: '10 Light St',
          'attribute[loss_value]': '250',
          'attribute[items][]': ['phone', 'wallet'],
        })
        expect(ok.statusCode).toBe(201)
        const n = Number(ok.json()[0].service_request_id.slice(4))
        expect((await deps.store.incidents.byNumber(n))?.answers).toMatchObject({
          loss_value: 250,
          items: ['phone', 'wallet'],
        })
        const bad = await post({
          api_key: KEY,
          service_code: 'THEFT_FROM_VEHICLE',
          address_string: '10 Light St',
          'attribute[loss_value]': '250',
          'attribute[items][]': ['phone', 'jewels'],
        })
        expect(bad.statusCode).toBe(400)
      })

      it('6. one request by id, an array of one with every field; unknown ids are 404', async () => {
        const id = (
          await submit({ lat: '39.2700', long: '-76.5800', description: 'cracked kerb' })
        ).json()[0].service_request_id
        const res = await both(`/requests/${id}`, 'service_requests', 'requests.json')
        const [r] = res.json()
        expect(Object.keys(r).sort()).toEqual(
          [
            'service_request_id',
            'status',
            'status_notes',
            'service_name',
            'service_code',
            'description',
            'agency_responsible',
            'service_notice',
            'requested_datetime',
            'updated_datetime',
            'expected_datetime',
            'address',
            'address_id',
            'zipcode',
            'lat',
            'long',
            'media_url',
          ].sort(),
        )
        expect(r).toMatchObject({
          service_request_id: id,
          status: 'open',
          service_code: 'POTHOLE',
          description: 'cracked kerb',
          agency_responsible: 'Public Works',
          lat: 39.27,
          long: -76.58,
          requested_datetime: '2026-11-20T15:00:00Z',
          expected_datetime: '2026-11-23T15:00:00Z',
        })
        expect((await get('/requests/311-9999999.json')).statusCode).toBe(404)
        expect((await get('/requests/not-an-id.xml')).statusCode).toBe(404)
        const token = (await get(`/tokens/${id}.json`)).json()
        expect(token).toEqual([{ service_request_id: id, token: id }])
      })

      it('7. GET requests: last 90 days, ids override, status, codes and dates filter; wider than 90 days is 400', async () => {
        const all = (await both('/requests', 'service_requests', 'requests.json')).json()
        expect(all.length).toBeGreaterThan(1)
        expect(all.length).toBeLessThanOrEqual(1000)
        const [a, b] = all
        const ids = `${a.service_request_id},${b.service_request_id}`
        const picked = (
          await get(`/requests.json?service_request_id=${ids}&status=closed&service_code=NOISE`)
        ).json()
        expect(picked.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([
          a.service_request_id,
          b.service_request_id,
        ])
        expect((await get('/requests.json?status=closed')).json()).toEqual([])
        expect((await get('/requests.json?status=open')).json()).toHaveLength(all.length)
        expect((await get('/requests.json?service_code=NOISE')).json()).toEqual([])
        expect((await get('/requests.json?start_date=2026-11-21T00:00:00Z')).json()).toEqual([])
        expect(
          (
            await get(
              '/requests.json?start_date=2026-11-20T00:00:00-05:00&end_date=2026-11-21T00:00:00Z',
            )
          ).json(),
        ).toHaveLength(all.length)
        const wide = await get(
          '/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z',
        )
        expect(wide.statusCode).toBe(400)
        expect(errorOf(wide).description).toMatch(/90 days/)
        const badDate = await get('/requests.xml?start_date=yesterday')
        expect(badDate.statusCode).toBe(400)
        expect((await get('/requests.json?status=maybe')).statusCode).toBe(400)
      })

      it('8–9. times are W3C with a zone; content types and the XML prolog say UTF-8', async () => {
        const res = await get('/requests.xml')
        expect(res.body).toMatch(
          /<requested_datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/requested_datetime>/,
        )
        expect(res.body).toContain('<address_id></address_id>')
      })

      it('10. a jurisdiction_id other than ours is 404 on every endpoint; ours is accepted', async () => {
        for (const path of [
          '/discovery.json',
          '/services.json',
          '/services/POTHOLE.json',
          '/requests.json',
        ]) {
          expect((await get(`${path}?jurisdiction_id=elsewhere.gov`)).statusCode).toBe(404)
          expect((await get(`${path}?jurisdiction_id=baltimorecity.gov`)).statusCode).toBe(200)
        }
        const posted = await submit({ jurisdiction_id: 'elsewhere.gov' })
        expect(posted.statusCode).toBe(404)
      })

      it('11. extensions: pages, changed since, extended attributes, notes, and request updates', async () => {
        const page1 = (await get('/requests.json?extensions=true&page=1&page_size=1')).json()
        const page2 = (await get('/requests.json?extensions=true&page=2&page_size=1')).json()
        expect(page1).toHaveLength(1)
        expect(page2).toHaveLength(1)
        expect(page1[0].service_request_id).not.toBe(page2[0].service_request_id)
        expect(page1[0].extended_attributes).toMatchObject({ channel: 'open311', duplicate: false })
        expect(page1[0].notes[0]).toMatchObject({ type: 'submitted', summary: 'Request received' })
        const xml = await get('/requests.xml?extensions=true&page=1&page_size=1')
        expect(xmlJsonDifferences(xml.body, 'service_requests', page1, READ)).toEqual([])
        expect(
          (await get('/requests.json?extensions=true&updated_after=2026-11-21T00:00:00Z')).json(),
        ).toEqual([])
        const updates = await get(
          '/servicerequestupdates.json?start_date=2026-11-20T00:00:00Z&end_date=2026-11-21T00:00:00Z',
        )
        expect(validateWith('request-updates.json', updates.json())).toEqual([])
        expect(updates.json().length).toBeGreaterThan(0)
      })

      it('privacy: police-sensitive incidents never appear, callers never, sensitive places at the block', async () => {
        // A theft from a car is a service anyone may report, but never listed.
        const theft = (await get('/requests.json?service_code=THEFT_FROM_VEHICLE')).json()
        expect(theft).toEqual([])
        // A staff call about noise: listed at the block, without the call-taker's narrative.
        const noise = await app.inject({
          method: 'POST',
          url: '/api/incidents',
          headers: auth('call_taker'),
          payload: {
            callType: 'NOISE',
            contact: {
              channel: 'phone_311',
              caller: {
                anonymous: false,
                name: 'Ada Caller',
                phone: '+14105550100',
                callbackConsent: true,
              },
            },
            location: { text: '412 E PRATT ST', lat: 39.28661, lon: -76.61061 },
            narrative: 'Ada at number 412 says her neighbour Bob plays drums',
            answers: { source: 'music' },
          },
        })
        expect(noise.statusCode).toBe(201)
        const listed = (await get(`/requests/${noise.json().number}.json`)).json()[0]
        expect(listed).toMatchObject({
          description: null,
          lat: 39.287,
          long: -76.611,
          address: null,
        })
        // Escalated to an immediate police response: police-sensitive, never listed.
        const fight = await app.inject({
          method: 'POST',
          url: '/api/incidents',
          headers: auth('call_taker'),
          payload: {
            callType: 'NOISE',
            contact: { channel: 'phone_311', caller: { anonymous: true } },
            location: { text: '500 E PRATT ST', lat: 39.2868, lon: -76.609 },
            answers: { source: 'party', fighting: true },
          },
        })
        expect((await get(`/requests/${fight.json().number}.json`)).statusCode).toBe(404)
        const everything = [
          (await get('/requests.json?extensions=true')).body,
          (await get('/requests.xml')).body,
          (await get('/servicerequestupdates.xml')).body,
        ].join('\n')
        for (const secret of ['Ada', 'Bob', '+14105550100', 'ada@example.org', '412 E PRATT'])
          expect(everything).not.toContain(secret)
        expect(everything).not.toContain(fight.json().number)
      })

      it('links a report of something already reported nearby, and gives the original id', async () => {
        const first = (await submit({ lat: '39.2900', long: '-76.6000' })).json()[0]
          .service_request_id
        const second = await submit({
          lat: '39.29001',
          long: '-76.60001',
          email: 'second@example.org',
        })
        expect(second.statusCode).toBe(201)
        expect(second.json()[0]).toMatchObject({
          service_request_id: first,
          service_notice: 'This problem was already reported; your report was added to it.',
        })
      })

      it('refuses bodies that are not a form, and junk that looks like spam', async () => {
        const json = await app.inject({
          method: 'POST',
          url: `${BASE}/requests.json`,
          headers: { 'content-type': 'application/json' },
          payload: '{"service_code":"POTHOLE"}',
        })
        expect(json.statusCode).toBe(400)
        expect(errorOf(json).description).toMatch(/x-www-form-urlencoded/)
        const spam = await submit({
          description: 'http://a.example http://b.example http://c.example http://d.example',
        })
        expect(spam.statusCode).toBe(400)
        expect(errorOf(spam).description).toMatch(/more than three links/)
        const html = await submit({ description: 'hello <script>alert(1)</script>' })
        expect(html.statusCode).toBe(400)
      })
    },
  )
}

describe('Open311 abuse limits', () => {
  it('limits new requests per client address, with Retry-After', async () => {
    const { app, close } = await openTestApp('sqlite', {
      config: { OPEN311_POSTS_PER_MINUTE_PER_ADDRESS: '2' },
    })
    try {
      const codes: number[] = []
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({
          method: 'POST',
          url: `${BASE}/requests.json`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: form({
            api_key: KEY,
            service_code: 'POTHOLE',
            lat: String(39.2 + i / 100),
            long: '-76.6',
          }),
        })
        codes.push(res.statusCode)
        if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
      }
      expect(codes).toEqual([201, 201, 429])
    } finally {
      await close()
    }
  })
})
