/**
 * Intake benchmark (issue #2).
 *
 * 1. Durable creates over HTTP: 50 concurrent clients POST /api/incidents to the real server
 *    (a child process, as `npm start` runs it) for 10 s, on SQLite (synchronous=FULL) and on
 *    PostgreSQL. In the same run, the raw rate of the same database doing one insert per
 *    transaction at the same durability, and our rate as a ratio of it.
 * 2. The duplicate check with 1,000,000 incidents stored: p50/p99 of the use case the console
 *    calls while a call comes in.
 *
 * Targets: ≥ 5,000 creates/s on SQLite with p99 ≤ 25 ms; duplicate check p99 ≤ 5 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import pino from 'pino'
import { importCatalogueFile } from '../src/app/catalogue/import-catalogue.js'
import { createDeps } from '../src/app/create-deps.js'
import { findDuplicates } from '../src/app/incidents/incident-queries.js'
import { loadConfig } from '../src/config/config.js'
import { seedDatabase } from '../test/support/seed-database.js'
import { startServer } from '../test/support/server-process.js'
import { tokenFor } from '../test/support/test-app.js'
import { benchPostgres, LAT, LON, percentile, round, seedIncidents } from './_support.js'

const TOKEN = tokenFor('call_taker')
const CATALOGUE = 'test/fixtures/mini-catalogue.yaml'

interface CreateFigures {
  createsPerSec: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
  rawInsertsPerSec: number
  ratioToRaw: number
}

export async function run({ quick }: { quick: boolean }) {
  const seconds = quick ? 4 : 10
  const dir = mkdtempSync(join(tmpdir(), 't311-bench-'))
  const out: Record<string, unknown> = {}
  try {
    console.log(`intake: ${seconds} s of creates with 50 clients per database`)
    out.sqlite = await createLoad(`sqlite:${join(dir, 'intake.db')}`, seconds, () =>
      rawSqlite(join(dir, 'raw.db'), quick ? 1 : 3),
    )
    const pgdb = await benchPostgres('intake')
    if (pgdb) {
      try {
        out.postgres = await createLoad(pgdb.url, seconds, () =>
          rawPostgres(pgdb.url, quick ? 1 : 3),
        )
      } finally {
        await pgdb.drop()
      }
    }
    const n = quick ? 100_000 : 1_000_000
    out.duplicateCheck = {
      sqlite: await duplicateCheck(`sqlite:${join(dir, 'dups.db')}`, n, quick),
    }
    if (!quick) {
      const pgdups = await benchPostgres('dups')
      if (pgdups) {
        try {
          ;(out.duplicateCheck as Record<string, unknown>).postgres = await duplicateCheck(
            pgdups.url,
            n,
            quick,
          )
        } finally {
          await pgdups.drop()
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  out.targets = {
    sqliteCreatesPerSec: 5000,
    sqliteP99Ms: 25,
    duplicateCheckP99Ms: 5,
    duplicateCheckIncidents: 1_000_000,
  }
  return out
}

async function createLoad(
  url: string,
  seconds: number,
  raw: () => Promise<number>,
): Promise<CreateFigures> {
  await seedDatabase(url)
  const server = await startServer({
    DATABASE_URL: url,
    CATALOGUE_FILE: CATALOGUE,
    LOG_LEVEL: 'info',
  })
  const dialect = url.startsWith('sqlite') ? 'sqlite' : 'postgres'
  let n = 0
  const bodies = Array.from({ length: 5000 }, (_, i) =>
    JSON.stringify({
      callType: i % 3 === 0 ? 'THEFT_FROM_VEHICLE' : 'NOISE',
      contact: {
        channel: 'phone_311',
        caller:
          i % 4 === 0
            ? { anonymous: false, name: 'Bench Caller', phone: '410-555-0100' }
            : { anonymous: true },
      },
      location: {
        text: `${i % 9000} E PRATT ST`,
        lat: LAT[0] + (((i * 7919) % 1000) / 1000) * (LAT[1] - LAT[0]),
        lon: LON[0] + (((i * 104729) % 1000) / 1000) * (LON[1] - LON[0]),
      },
      answers: i % 3 === 0 ? { loss_value: (i % 20) * 100 } : { source: 'music' },
      narrative: 'Loud music from the second floor since 11 pm.',
    }),
  )
  try {
    const result = await autocannon({
      url: `${server.url}/api/incidents`,
      connections: 50,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          // Bodies are built before the run, so the load generator spends its share of the two
          // cores sending, not serialising; every request still gets its own idempotency key.
          setupRequest: (req) => {
            const i = n++
            return {
              ...req,
              headers: { ...req.headers, 'idempotency-key': `bench-${process.pid}-${i}` },
              body: bodies[i % bodies.length],
            }
          },
        },
      ],
    })
    const ok = result['2xx']
    const createsPerSec = ok / seconds
    console.log(
      `  ${dialect}: ${Math.round(createsPerSec)} durable creates/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (${result.errors} errors, ${result.non2xx} non-2xx)`,
    )
    server.child.kill('SIGTERM')
    const rawRate = await raw()
    console.log(
      `  ${dialect}: raw one-insert-per-transaction rate ${Math.round(rawRate)}/s → ratio ${round(createsPerSec / rawRate)}`,
    )
    return {
      createsPerSec: Math.round(createsPerSec),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
      rawInsertsPerSec: Math.round(rawRate),
      ratioToRaw: round(createsPerSec / rawRate),
    }
  } finally {
    server.child.kill('SIGKILL')
  }
}

const RAW_ROW = {
  call_type: 'NOISE',
  narrative: 'Loud music from the second floor since 11 pm.',
  answers: '{"source":"music"}',
}

/** One row per transaction on SQLite, WAL and synchronous=FULL: one fsync per commit. */
async function rawSqlite(file: string, seconds: number): Promise<number> {
  const db = new SqliteDatabase(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(
    'CREATE TABLE t (id INTEGER PRIMARY KEY, call_type TEXT, narrative TEXT, answers TEXT, at INTEGER)',
  )
  const insert = db.prepare('INSERT INTO t (call_type, narrative, answers, at) VALUES (?, ?, ?, ?)')
  const one = db.transaction(() =>
    insert.run(RAW_ROW.call_type, RAW_ROW.narrative, RAW_ROW.answers, Date.now()),
  )
  const end = Date.now() + seconds * 1000
  let n = 0
  while (Date.now() < end) {
    one()
    n++
  }
  db.close()
  return n / seconds
}

/** One row per transaction on PostgreSQL (autocommit, synchronous_commit on), one connection. */
async function rawPostgres(url: string, seconds: number): Promise<number> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  await c.query(
    'CREATE TABLE raw_insert (id bigserial PRIMARY KEY, call_type text, narrative text, answers jsonb, at bigint)',
  )
  const end = Date.now() + seconds * 1000
  let n = 0
  while (Date.now() < end) {
    await c.query(
      'INSERT INTO raw_insert (call_type, narrative, answers, at) VALUES ($1, $2, $3, $4)',
      [RAW_ROW.call_type, RAW_ROW.narrative, RAW_ROW.answers, Date.now()],
    )
    n++
  }
  await c.end()
  return n / seconds
}

/** Seeds `n` incidents (a year of them, 3% still open) and times the duplicate check. */
async function duplicateCheck(url: string, n: number, quick: boolean) {
  const config = loadConfig({
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    SQLITE_SYNCHRONOUS: 'NORMAL',
  })
  const deps = await createDeps(config, pino({ level: 'silent' }))
  try {
    await importCatalogueFile(deps, { id: 'bench', roles: ['admin'] }, CATALOGUE)
    const started = Date.now()
    await seedIncidents(url, n, config.H3_RESOLUTION)
    const seedSeconds = (Date.now() - started) / 1000
    const now = Date.parse('2026-11-22T15:00:00Z')
    const samples: number[] = []
    const queries = quick ? 500 : 2000
    let found = 0
    for (let q = 0; q < queries + 100; q++) {
      const lat = LAT[0] + Math.random() * (LAT[1] - LAT[0])
      const lon = LON[0] + Math.random() * (LON[1] - LON[0])
      const t0 = performance.now()
      const r = await findDuplicates(deps, {
        callType: q % 2 ? 'NOISE' : 'THEFT_FROM_VEHICLE',
        lat,
        lon,
        at: now,
      })
      const ms = performance.now() - t0
      if (q >= 100) samples.push(ms) // the first 100 warm the caches
      found += r.length
    }
    samples.sort((a, b) => a - b)
    const fig = {
      incidents: n,
      seedSeconds: round(seedSeconds, 1),
      queries,
      meanCandidates: round(found / (queries + 100), 2),
      p50Ms: round(percentile(samples, 50), 3),
      p99Ms: round(percentile(samples, 99), 3),
    }
    console.log(
      `  duplicate check on ${deps.store.dialect} with ${n} incidents: p50 ${fig.p50Ms} ms, p99 ${fig.p99Ms} ms (${fig.meanCandidates} candidates on average)`,
    )
    return fig
  } finally {
    await deps.store.close()
  }
}
