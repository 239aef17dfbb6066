/**
 * Dispatch benchmark (issue #6): the queue view and a unit recommendation with 500 units and
 * 10,000 open incidents; target p99 ≤ 20 ms each.
 *
 * Two parts. `domain`: the rules alone (queue order, ranking) on synthetic units and incidents
 * spread over Baltimore's nine police districts. `served`: the same sizes in a real database
 * (SQLite file, and PostgreSQL when one answers), read through the HTTP routes the dispatcher's
 * board uses (GET /api/dispatch/board, GET /api/dispatch/recommendations/:id), so the figure
 * includes the store query, the rules, and the JSON.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { createDeps, ensureCatalogue } from '../src/app/create-deps.js'
import { createIncident } from '../src/app/incidents/create-incident.js'
import { testConfig } from '../src/config/config.js'
import type { ResponseMode } from '../src/domain/catalogue/vocabulary.js'
import {
  dispatchQueue,
  type QueuedIncident,
  type QueueLine,
} from '../src/domain/dispatch/dispatch-queue.js'
import { recommendUnits } from '../src/domain/dispatch/recommend-units.js'
import type { Unit, UnitActivity } from '../src/domain/dispatch/unit.js'
import { buildApp } from '../src/server/app.js'
import { seedRoleTokens, tokenFor } from '../test/support/test-app.js'
import { benchPostgres, percentile, round } from './_support.js'

const DISTRICTS = ['CE', 'SE', 'EA', 'NE', 'NO', 'NW', 'WE', 'SW', 'SO']
const MODES: ResponseMode[] = ['dispatch_immediate', 'dispatch_delayed', 'civilian_response']
const ACTIVITIES: Array<UnitActivity | null> = [
  null,
  null,
  'en_route',
  'on_scene',
  'report_writing',
  'problem_solving',
]

/** A small deterministic generator, so every run sees the same city. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

export async function run({ quick }: { quick: boolean }) {
  const domain = domainRules(quick)
  const dir = mkdtempSync(join(tmpdir(), 't311-bench-dispatch-'))
  const served: Record<string, unknown> = {}
  try {
    served.sqlite = await servedBoard(`sqlite:${join(dir, 'dispatch.db')}`, quick)
    const pgdb = await benchPostgres('dispatch')
    if (pgdb) {
      try {
        served.postgres = await servedBoard(pgdb.url, quick)
      } finally {
        await pgdb.drop()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    units: 500,
    openIncidents: 10_000,
    domain,
    served,
    targets: { queueViewP99Ms: 20, recommendP99Ms: 20 },
  }
}

function domainRules(quick: boolean) {
  const rnd = lcg(311)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T
  const point = () => ({ lat: 39.2 + rnd() * 0.17, lon: -76.71 + rnd() * 0.22 })
  const now = Date.UTC(2026, 10, 22, 20)
  const units: Unit[] = Array.from({ length: 500 }, (_, i) => {
    const district = pick(DISTRICTS)
    return {
      id: `u${i}`,
      callSign: `${district}${i}`,
      type: i % 10 === 0 ? 'civilian' : i % 7 === 0 ? 'problem_solving' : 'patrol',
      splitForceRole: i % 5 === 0 ? 'problem_solving' : 'call_response',
      shift: 'B',
      district,
      beat: `${district}${1 + Math.floor(rnd() * 9)}`,
      activity: pick(ACTIVITIES),
      assignmentId: null,
      position: point(),
      onDuty: rnd() > 0.05,
      crew: null,
      updatedAt: now,
      version: 1,
    }
  })
  const incidents: QueuedIncident[] = Array.from({ length: 10_000 }, (_, i) => {
    const district = pick(DISTRICTS)
    const mode = pick(MODES)
    return {
      incidentId: `i${i}`,
      number: i + 1,
      callType: 'X',
      priority: 1 + Math.floor(rnd() * 5),
      mode,
      receivedAt: now - Math.floor(rnd() * 8 * 3600_000),
      dueAt: mode === 'dispatch_delayed' ? now + Math.floor((rnd() - 0.5) * 4 * 3600_000) : null,
      district,
      beat: `${district}${1 + Math.floor(rnd() * 9)}`,
      point: point(),
    }
  })
  const targets = { 1: 10 * 60_000, 2: 20 * 60_000, 3: 60 * 60_000, 4: 120 * 60_000 }

  const rounds = quick ? 200 : 1000
  const queueMs: number[] = []
  const recommendMs: number[] = []
  let queued = 0
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now()
    const q = dispatchQueue(incidents, now + r * 1000, targets)
    queueMs.push(performance.now() - t0)
    queued = q.length
    const incident = (q[r % q.length] as QueueLine).incident
    t0 = performance.now()
    recommendUnits(incident, units, 5)
    recommendMs.push(performance.now() - t0)
  }
  queueMs.sort((a, b) => a - b)
  recommendMs.sort((a, b) => a - b)
  const out = {
    queued,
    queueViewMs: { p50: round(percentile(queueMs, 50), 3), p99: round(percentile(queueMs, 99), 3) },
    recommendMs: {
      p50: round(percentile(recommendMs, 50), 3),
      p99: round(percentile(recommendMs, 99), 3),
    },
  }
  console.log(
    `queue of ${queued} from ${incidents.length} open: p99 ${out.queueViewMs.p99} ms; recommendation over ${units.length} units: p99 ${out.recommendMs.p99} ms (domain only)`,
  )
  return out
}

/** Call types of the default catalogue that need a unit, with answers their protocols require. */
const SEED_CALLS = [
  { callType: 'HIT_RUN_NOW', answers: { minutes_ago: 5, vehicle_description: 'red sedan' } },
  {
    callType: 'TRAFFIC_HAZARD',
    answers: { hazard_kind: 'debris', in_travel_lane: true, road_type: 'major_street' },
  },
] as const
const SEED_MODES = [
  { mode: 'dispatch_immediate', priority: 2 },
  { mode: 'dispatch_delayed', priority: 4 },
  { mode: 'dispatch_immediate', priority: 3 },
] as const

/**
 * 500 units and 10,000 open incidents in a real database, then the board and recommendations
 * over HTTP (in-process injection: the server's routing, validation, handlers and JSON, no
 * socket).
 */
async function servedBoard(url: string, quick: boolean) {
  const deps = await createDeps(testConfig({ DATABASE_URL: url }), pino({ level: 'silent' }))
  try {
    await ensureCatalogue(deps)
    await seedRoleTokens(deps.store)
    const rnd = lcg(611)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T
    const actor = { id: 'bench', roles: ['admin' as const] }
    const t0 = performance.now()
    for (let i = 0; i < 500; i++) {
      const district = pick(DISTRICTS)
      await deps.store.units.addUnit({
        id: `u${i}`,
        callSign: `${district}${i}`,
        type: i % 7 === 0 ? 'problem_solving' : 'patrol',
        splitForceRole: i % 5 === 0 ? 'problem_solving' : 'call_response',
        shift: 'B',
        district,
        beat: `${district}${1 + Math.floor(rnd() * 9)}`,
        activity: pick(ACTIVITIES.filter((a) => a !== 'en_route' && a !== 'on_scene')),
        assignmentId: null,
        position: { lat: 39.2 + rnd() * 0.17, lon: -76.71 + rnd() * 0.22 },
        onDuty: rnd() > 0.05,
        crew: null,
        updatedAt: deps.clock.now(),
        version: 1,
      })
    }
    const total = 10_000
    for (let done = 0; done < total; done += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, total - done) }, () => {
          const call = pick(SEED_CALLS)
          const response = pick(SEED_MODES)
          return createIncident(
            deps,
            actor,
            {
              callType: call.callType,
              answers: { ...call.answers },
              contact: {
                channel: 'phone_311',
                receivedAt: deps.clock.now(),
                caller: { anonymous: true },
              },
              location: { text: 'bench', lat: 39.2 + rnd() * 0.17, lon: -76.71 + rnd() * 0.22 },
              override: { ...response, reason: 'benchmark response mix' },
            },
            null,
          )
        }),
      )
    }
    const seedS = (performance.now() - t0) / 1000
    if (url.startsWith('postgres')) {
      // What autovacuum does within a minute of a bulk load: the planner needs the new
      // statistics to choose the queue index.
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      await client.query('VACUUM ANALYZE incident')
      await client.end()
    }
    const app = await buildApp(deps)
    await app.ready()
    const headers = { authorization: `Bearer ${tokenFor('dispatcher')}` }
    const get = async (u: string) => {
      const res = await app.inject({ url: u, headers })
      if (res.statusCode !== 200)
        throw new Error(`${u}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      return res
    }
    const first = (await get('/api/dispatch/board')).json() as {
      queue: Array<{ incidentId: string }>
      queueTotal: number
    }
    const rounds = quick ? 60 : 400
    const boardMs: number[] = []
    const storeMs: number[] = []
    const recommendMs: number[] = []
    let bytes = 0
    for (let r = 0; r < rounds; r++) {
      let t = performance.now()
      const board = await get('/api/dispatch/board')
      boardMs.push(performance.now() - t)
      bytes = board.rawPayload.length
      t = performance.now()
      await deps.store.dispatch.queue(deps.clock.now(), { due: 200, held: 50 })
      storeMs.push(performance.now() - t)
      const line = first.queue[r % first.queue.length]
      t = performance.now()
      await get(`/api/dispatch/recommendations/${line?.incidentId}`)
      recommendMs.push(performance.now() - t)
    }
    await app.close()
    boardMs.sort((a, b) => a - b)
    storeMs.sort((a, b) => a - b)
    recommendMs.sort((a, b) => a - b)
    const out = {
      seedSeconds: round(seedS, 1),
      queued: first.queueTotal,
      boardKiB: round(bytes / 1024, 0),
      boardMs: { p50: round(percentile(boardMs, 50), 2), p99: round(percentile(boardMs, 99), 2) },
      queueQueryMs: {
        p50: round(percentile(storeMs, 50), 2),
        p99: round(percentile(storeMs, 99), 2),
      },
      recommendMs: {
        p50: round(percentile(recommendMs, 50), 2),
        p99: round(percentile(recommendMs, 99), 2),
      },
    }
    console.log(
      `${deps.store.dialect}: board (queue of ${out.queued}, 200 shown, 500 units) p50 ${out.boardMs.p50} / p99 ${out.boardMs.p99} ms; recommendation p50 ${out.recommendMs.p50} / p99 ${out.recommendMs.p99} ms`,
    )
    return out
  } finally {
    await deps.store.close()
  }
}
