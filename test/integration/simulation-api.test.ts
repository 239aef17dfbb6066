import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, openTestApp } from '../support/test-app.js'

/** The policy lab's API: a run with progress and its comparison, calibration, staffing, access. */
describe('policy lab API (sqlite)', () => {
  let app: FastifyInstance
  let close: () => Promise<void>

  beforeAll(async () => {
    ;({ app, close } = await openTestApp('sqlite', { log: pino({ level: 'silent' }) }))
  })
  afterAll(async () => close())

  it('runs two scenarios in the background, with progress, then the comparison', async () => {
    const start = await app.inject({
      method: 'POST',
      url: '/api/simulation/runs',
      headers: auth('command'),
      payload: {
        callsPerYear: 20_000,
        days: 7,
        replications: 2,
        seed: 5,
        scenarios: [
          { name: 'As Baltimore ran it', preset: 'baltimore_311' },
          { name: 'Differential, more officers', levers: { callResponseOfficers: 1.5 } },
        ],
      },
    })
    expect(start.statusCode, start.body).toBe(202)
    const job = start.json()
    expect(job).toMatchObject({ status: 'running', total: 4 })
    const seen: number[] = []
    let body = job
    for (let i = 0; i < 600 && body.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100))
      const res = await app.inject({
        method: 'GET',
        url: `/api/simulation/runs/${job.id}`,
        headers: auth('analyst'),
      })
      expect(res.statusCode).toBe(200)
      body = res.json()
      seen.push(body.done)
    }
    expect(body.status, body.error).toBe('done')
    expect(body.done).toBe(4)
    expect(body.result.scenarios.map((s: { name: string }) => s.name)).toEqual([
      'As Baltimore ran it',
      'Differential, more officers',
    ])
    const dispatches = body.result.measures.find((m: { key: string }) => m.key === 'dispatches')
    expect(dispatches.values).toHaveLength(2)
    expect(dispatches.values[0].mean).toBeGreaterThan(dispatches.values[1].mean)
    expect(dispatches.values[0].halfWidth).toBeGreaterThanOrEqual(0)
  }, 120_000)

  it('refuses a run with mistakes, naming each, and an unknown run', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/simulation/runs',
      headers: auth('analyst'),
      payload: {
        replications: 1,
        scenarios: [{ name: 'x', preset: 'no_such', levers: { callTakers911: -1 } }],
      },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toMatch(/replications/)
    expect(bad.body).toMatch(/preset/)
    expect(bad.body).toMatch(/callTakers911/)
    const missing = await app.inject({
      method: 'GET',
      url: '/api/simulation/runs/no-such-run',
      headers: auth('analyst'),
    })
    expect(missing.statusCode).toBe(404)
    const noCalls = await app.inject({
      method: 'POST',
      url: '/api/simulation/runs',
      headers: auth('analyst'),
      payload: { base: 'calibrated', scenarios: [{ name: 'x' }] },
    })
    expect(noCalls.statusCode).toBe(400)
    expect(noCalls.json().error.message).toMatch(/no calls to calibrate/)
  })

  it('gives the calibration report, with defaults said as such, and a staffing plan', async () => {
    const cal = await app.inject({
      method: 'GET',
      url: '/api/simulation/calibration',
      headers: auth('supervisor'),
    })
    expect(cal.statusCode).toBe(200)
    const report = cal.json()
    expect(
      report.parameters.find((p: { parameter: string }) => p.parameter === 'travel time, minutes')
        .source,
    ).toMatch(/^default/)
    const staff = await app.inject({
      method: 'GET',
      url: '/api/simulation/staffing?line=311&serviceLevel=0.8&targetSeconds=20&shrinkage=0.3',
      headers: auth('command'),
    })
    expect(staff.statusCode).toBe(200)
    const plan = staff.json()
    expect(plan.hours).toHaveLength(168)
    for (const h of plan.hours) expect(h.positions).toBeGreaterThanOrEqual(h.agents)
    const badQuery = await app.inject({
      method: 'GET',
      url: '/api/simulation/staffing?serviceLevel=2',
      headers: auth('command'),
    })
    expect(badQuery.statusCode).toBe(400)
  })

  it('refuses a call-taker and an officer (403)', async () => {
    for (const role of ['call_taker', 'officer']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/simulation/runs',
        headers: auth(role),
        payload: { scenarios: [{ name: 'x' }] },
      })
      expect(res.statusCode).toBe(403)
      const cal = await app.inject({
        method: 'GET',
        url: '/api/simulation/staffing',
        headers: auth(role),
      })
      expect(cal.statusCode).toBe(403)
    }
  })
})
