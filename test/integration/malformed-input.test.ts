import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, openTestApp } from '../support/test-app.js'

/** Bodies no route should take, and that must never cause a 5xx or a write. */
const MALFORMED: Array<{ name: string; payload: string; contentType: string }> = [
  {
    name: 'truncated JSON',
    payload: '{"callType": "NOISE", "contact": {',
    contentType: 'application/json',
  },
  { name: 'empty body', payload: '', contentType: 'application/json' },
  { name: 'JSON null', payload: 'null', contentType: 'application/json' },
  { name: 'JSON array', payload: '[1,2,3]', contentType: 'application/json' },
  { name: 'JSON string', payload: '"hello"', contentType: 'application/json' },
  { name: 'JSON number', payload: '42', contentType: 'application/json' },
  {
    name: 'wrong types everywhere',
    payload: JSON.stringify({
      callType: 7,
      contact: 'x',
      answers: [1],
      reason: {},
      status: 3,
      definition: 'no',
      mode: 1,
      parentId: [],
      expectedVersion: 'one',
    }),
    contentType: 'application/json',
  },
  {
    name: 'prototype pollution',
    payload: '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
    contentType: 'application/json',
  },
  {
    name: 'deep nesting',
    payload: `${'['.repeat(5000)}${']'.repeat(5000)}`,
    contentType: 'application/json',
  },
  {
    name: 'invalid UTF-8',
    payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]).toString('latin1'),
    contentType: 'application/json',
  },
  {
    name: 'XML body',
    payload: '<incident><callType>NOISE</callType></incident>',
    contentType: 'application/xml',
  },
  {
    name: 'form body',
    payload: 'callType=NOISE&contact=x',
    contentType: 'application/x-www-form-urlencoded',
  },
  {
    name: 'SQL in fields',
    payload: JSON.stringify({
      callType: "NOISE'; DROP TABLE incident;--",
      contact: { channel: 'phone_311', caller: { anonymous: true } },
      reason: "x' OR 1=1--",
      parentId: "' OR ''='",
    }),
    contentType: 'application/json',
  },
  {
    name: 'oversized',
    payload: JSON.stringify({ narrative: 'x'.repeat(1_200_000) }),
    contentType: 'application/json',
  },
]

const BAD_QUERIES = [
  '?limit=abc&before=-1',
  '?status=bogus&from=yesterday',
  '?lat=north&lon=200&callType=',
  '?at=not-a-date&callType=NOISE',
  `?includeInactive=maybe&q=${'x'.repeat(500)}`,
]

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: malformed input`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      let incidentId: string

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect))
        const res = await app.inject({
          method: 'POST',
          url: '/api/incidents',
          headers: auth(),
          payload: {
            callType: 'NOISE',
            contact: { channel: 'phone_311', caller: { anonymous: true } },
            answers: { source: 'music' },
          },
        })
        incidentId = res.json().id
      })
      afterAll(async () => close())

      const urlFor = (template: string) =>
        template.replace(':id', incidentId).replace(':code', 'NOISE').replace(':source', 'sandiego')

      it('has a route table to test', () => {
        expect(app.routeTable.length).toBeGreaterThanOrEqual(15)
      })

      it('answers every malformed body on every route with a 4xx that says what is wrong, and writes nothing', async () => {
        const before = await deps.store.incidents.count()
        const eventsBefore = (await deps.store.incidents.events(incidentId)).length
        const writes = app.routeTable.filter((r) => r.hasBody)
        expect(writes.length).toBeGreaterThanOrEqual(14)
        for (const route of writes) {
          for (const bad of MALFORMED) {
            const res = await app.inject({
              method: route.method as 'POST',
              url: urlFor(route.url),
              headers: { ...auth(), 'content-type': bad.contentType },
              payload: bad.payload,
            })
            const where = `${route.method} ${route.url} with ${bad.name}: ${res.statusCode} ${res.body.slice(0, 200)}`
            expect(res.statusCode, where).toBeGreaterThanOrEqual(400)
            expect(res.statusCode, where).toBeLessThan(500)
            const body = res.json()
            expect(body.error.code, where).toMatch(/^[a-z_]+$/)
            expect(body.error.message.length, where).toBeGreaterThan(3)
          }
        }
        expect(await deps.store.incidents.count()).toBe(before)
        expect((await deps.store.incidents.events(incidentId)).length).toBe(eventsBefore)
      })

      it('never fails with a 5xx on routes that take no body, whatever is sent', async () => {
        for (const route of app.routeTable.filter((r) => !r.hasBody && r.method !== 'GET')) {
          for (const bad of MALFORMED) {
            const res = await app.inject({
              method: route.method as 'POST',
              url: urlFor(route.url),
              headers: { ...auth('analyst'), 'content-type': bad.contentType },
              payload: bad.payload,
            })
            expect(res.statusCode, `${route.method} ${route.url} with ${bad.name}`).toBeLessThan(
              500,
            )
          }
        }
      })

      it('answers malformed query strings on every read route with a 4xx or an empty answer, never a 5xx', async () => {
        for (const route of app.routeTable.filter(
          (r) => r.method === 'GET' && r.url !== '/api/live',
        )) {
          for (const q of BAD_QUERIES) {
            const res = await app.inject({
              method: 'GET',
              url: urlFor(route.url) + q,
              headers: auth(),
            })
            expect(res.statusCode, `${route.url}${q}: ${res.body.slice(0, 200)}`).toBeLessThan(500)
          }
        }
      })

      it('answers unknown ids with 404 naming what was not found', async () => {
        const res = await app.inject({
          method: 'GET',
          url: '/api/incidents/does-not-exist',
          headers: auth(),
        })
        expect(res.statusCode).toBe(404)
        expect(res.json().error.message).toBe("incident 'does-not-exist' was not found")
        const status = await app.inject({
          method: 'POST',
          url: '/api/incidents/nope/status',
          headers: auth(),
          payload: { status: 'closed', disposition: 'cancelled' },
        })
        expect(status.statusCode).toBe(404)
      })
    },
  )
}
