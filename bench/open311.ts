/**
 * Open311 benchmark (issue #7): GET requests.json answering 1,000 requests with 1,000,000
 * stored (target p95 ≤ 100 ms), and the POST rate. In-process HTTP (the server's routing,
 * checks, privacy rules and JSON/XML; no socket), on SQLite and, when one answers, PostgreSQL.
 *
 * The store is bulk-loaded with a year of calls over Baltimore (a third of them a police-only
 * type that must never be listed); `--quick` loads 100,000.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { importCatalogueFile } from '../src/app/catalogue/import-catalogue.js'
import { createDeps } from '../src/app/create-deps.js'
import { loadConfig } from '../src/config/config.js'
import { buildApp } from '../src/server/app.js'
import { seedRoleTokens, tokenFor } from '../test/support/test-app.js'
import { benchPostgres, LAT, LON, percentile, round, seedIncidents } from './_support.js'

const CATALOGUE = 'test/fixtures/mini-catalogue.yaml'

export async function run({ quick }: { quick: boolean }) {
  const n = quick ? 100_000 : 1_000_000
  const dir = mkdtempSync(join(tmpdir(), 't311-bench-open311-'))
  const out: Record<string, unknown> = { stored: n }
  try {
    out.sqlite = await measure(`sqlite:${join(dir, 'open311.db')}`, n, quick)
    const pgdb = await benchPostgres('open311')
    if (pgdb) {
      try {
        out.postgres = await measure(pgdb.url, n, quick)
      } finally {
        await pgdb.drop()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { ...out, targets: { getRequests1000P95Ms: 100 } }
}

async function measure(url: string, n: number, quick: boolean) {
  const config = loadConfig({
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    OPEN311_POSTS_PER_MINUTE_PER_KEY: '100000',
    OPEN311_POSTS_PER_MINUTE_PER_ADDRESS: '100000',
  })
  const deps = await createDeps(config, pino({ level: 'silent' }))
  try {
    await importCatalogueFile(deps, { id: 'bench', roles: ['admin'] }, CATALOGUE)
    await seedRoleTokens(deps.store)
    const t0 = performance.now()
    await seedIncidents(url, n, config.H3_RESOLUTION)
    const seedSeconds = (performance.now() - t0) / 1000
    const app = await buildApp(deps)
    await app.ready()

    const get = async (path: string) => {
      const t = performance.now()
      const res = await app.inject({ url: `/open311/v2${path}` })
      const ms = performance.now() - t
      if (res.statusCode !== 200)
        throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      return { ms, res }
    }
    const rounds = quick ? 20 : 100
    const time = async (path: string) => {
      await get(path) // warm
      const ms: number[] = []
      let count = 0
      let bytes = 0
      for (let i = 0; i < rounds; i++) {
        const r = await get(path)
        ms.push(r.ms)
        bytes = r.res.rawPayload.length
        count = path.includes('.json')
          ? (r.res.json() as unknown[]).length
          : (r.res.body.match(/<request>/g) ?? []).length
      }
      ms.sort((a, b) => a - b)
      return {
        returned: count,
        kib: round(bytes / 1024, 0),
        p50Ms: round(percentile(ms, 50), 1),
        p95Ms: round(percentile(ms, 95), 1),
      }
    }
    const figures = {
      seedSeconds: round(seedSeconds, 1),
      requestsJson: await time('/requests.json'),
      requestsXml: await time('/requests.xml'),
      openPotholesJson: await time('/requests.json?service_code=POTHOLE&status=open'),
      pageOf100WithNotes: await time('/requests.json?extensions=true&page=3&page_size=100'),
      post: await posts(app, quick ? 300 : 2000),
    }
    console.log(
      `${deps.store.dialect}, ${n} stored: GET requests.json (${figures.requestsJson.returned}) p50 ${figures.requestsJson.p50Ms} / p95 ${figures.requestsJson.p95Ms} ms; XML p95 ${figures.requestsXml.p95Ms} ms; POST ${figures.post.perSecond}/s (p99 ${figures.post.p99Ms} ms)`,
    )
    await app.close()
    return figures
  } finally {
    await deps.store.close()
  }
}

/** POST requests from 16 clients at once, spread over the city so few are duplicates. */
async function posts(app: Awaited<ReturnType<typeof buildApp>>, total: number) {
  const key = tokenFor('open311_client')
  const ms: number[] = []
  let next = 0
  let created = 0
  const started = performance.now()
  const client = async () => {
    while (next < total) {
      const i = next++
      const lat = LAT[0] + (((i * 7919) % 1000) / 1000) * (LAT[1] - LAT[0])
      const lon = LON[0] + (((i * 104729) % 1000) / 1000) * (LON[1] - LON[0])
      const body = new URLSearchParams({
        api_key: key,
        service_code: 'POTHOLE',
        lat: lat.toFixed(6),
        long: lon.toFixed(6),
        'attribute[size]': 'large',
        description: `bench pothole ${i}`,
      }).toString()
      const t = performance.now()
      const res = await app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      })
      ms.push(performance.now() - t)
      if (res.statusCode === 201) created++
      else throw new Error(`POST ${res.statusCode}: ${res.body.slice(0, 200)}`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, client))
  const seconds = (performance.now() - started) / 1000
  ms.sort((a, b) => a - b)
  return {
    created,
    perSecond: round(created / seconds, 0),
    p50Ms: round(percentile(ms, 50), 1),
    p99Ms: round(percentile(ms, 99), 1),
  }
}
