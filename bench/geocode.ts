/**
 * Geography benchmark (issue #3): import time of the Baltimore centerlines into SQLite and
 * PostgreSQL; geocoding accuracy against the city's own coordinates for the 2,870 Baltimore 311
 * requests that carry both; batch geocoding rate; autocomplete latency over the whole city.
 *
 * Targets: ≥ 95% matched and ≥ 90% within 100 m; autocomplete p99 ≤ 5 ms; batch ≥ 20,000
 * addresses/s; centerline import ≤ 10 s.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { geocodingAccuracy } from '../src/analytics/geocoding-accuracy.js'
import { createDeps } from '../src/app/create-deps.js'
import { importGeography } from '../src/app/geography/import-geography.js'
import { loadConfig } from '../src/config/config.js'
import { BALTIMORE, loadBaltimore311 } from '../test/support/baltimore.js'
import { benchPostgres, percentile, round } from './_support.js'

export async function run({ quick }: { quick: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 't311-geo-'))
  const out: Record<string, unknown> = {}
  try {
    const sqlite = await importInto(`sqlite:${join(dir, 'geo.db')}`)
    out.importSeconds = { sqlite: sqlite.streetsSeconds }
    if (!quick) {
      const pg = await benchPostgres('geo')
      if (pg) {
        try {
          ;(out.importSeconds as Record<string, number>).postgres = (
            await importInto(pg.url)
          ).streetsSeconds
        } finally {
          await pg.drop()
        }
      }
    }
    const city = sqlite.city
    const records = loadBaltimore311()
    const a = geocodingAccuracy(city, records)
    console.log(
      `accuracy on ${a.records} Baltimore 311 requests: ${(a.matchRate * 100).toFixed(1)}% matched, ${(a.within100mRate * 100).toFixed(1)}% within 100 m, median ${a.medianMetres} m, p90 ${a.p90Metres} m ${JSON.stringify(a.byStatus)}`,
    )

    const passes = quick ? 5 : 20
    const t0 = performance.now()
    for (let p = 0; p < passes; p++) for (const r of records) city.geocode(r.address)
    const batchRate = Math.round((passes * records.length) / ((performance.now() - t0) / 1000))
    console.log(`batch geocoding: ${batchRate} addresses/s (${passes} passes over the set)`)

    // Autocomplete as a call-taker types: every prefix of real addresses, from the 2nd character.
    const typed: string[] = []
    for (const r of records.slice(0, quick ? 300 : 2870)) {
      const text = (r.address.split(',')[0] ?? '').toLowerCase()
      for (let n = 2; n <= text.length; n++) typed.push(text.slice(0, n))
    }
    const samples: number[] = []
    for (const q of typed) {
      const s = performance.now()
      city.suggest(q, 8)
      samples.push(performance.now() - s)
    }
    samples.sort((x, y) => x - y)
    const auto = {
      queries: samples.length,
      p50Ms: round(percentile(samples, 50), 3),
      p99Ms: round(percentile(samples, 99), 3),
      maxMs: round(samples.at(-1) ?? 0, 3),
    }
    console.log(
      `autocomplete: ${auto.queries} keystrokes, p50 ${auto.p50Ms} ms, p99 ${auto.p99Ms} ms`,
    )
    Object.assign(out, {
      records: a.records,
      matchRatePct: round(a.matchRate * 100, 1),
      within100mPct: round(a.within100mRate * 100, 1),
      medianMetres: a.medianMetres,
      p90Metres: a.p90Metres,
      byStatus: a.byStatus,
      batchAddressesPerSec: batchRate,
      autocomplete: auto,
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  out.targets = {
    matchRatePct: 95,
    within100mPct: 90,
    autocompleteP99Ms: 5,
    batchAddressesPerSec: 20000,
    importSeconds: 10,
  }
  return out
}

async function importInto(url: string) {
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' })
  const deps = await createDeps(config, pino({ level: 'silent' }))
  try {
    const reports = await importGeography(deps, { id: 'bench', roles: ['admin'] }, BALTIMORE)
    const streets = reports.find((r) => r.layer === 'streets')
    console.log(
      `import into ${deps.store.dialect}: ${reports.map((r) => `${r.layer} ${r.features} in ${r.seconds} s`).join(', ')}`,
    )
    const city = await deps.geography.get()
    if (!city) throw new Error('no geography after import')
    return { streetsSeconds: streets?.seconds ?? Number.NaN, city }
  } finally {
    await deps.store.close()
  }
}
