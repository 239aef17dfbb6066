import SqliteDatabase from 'better-sqlite3'
import { latLngToCell } from 'h3-js'
import pg from 'pg'

/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] as number
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** A new empty PostgreSQL database for a benchmark, or null when no server answers. */
export async function benchPostgres(
  name: string,
): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch {
    console.log('  (no PostgreSQL answers: skipping the PostgreSQL run)')
    return null
  }
  const db = `t311_bench_${name}_${process.pid}`
  await admin.query(`DROP DATABASE IF EXISTS ${db}`)
  await admin.query(`CREATE DATABASE ${db}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${db}`
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
      await c.end()
    },
  }
}

// Baltimore's extent, for realistic locations.
export const LAT = [39.2, 39.37] as const
export const LON = [-76.71, -76.53] as const

/**
 * Bulk-loads incidents straight into the table (the benchmark's own seeding, not the intake
 * path): a year of calls over the city, 3% of them still open and those received recently.
 */
export async function seedIncidents(url: string, n: number, resolution: number) {
  const families = ['NOISE', 'THEFT', 'STREET_DEFECT']
  const types = ['NOISE', 'THEFT_FROM_VEHICLE', 'POTHOLE']
  const now = Date.parse('2026-11-22T15:00:00Z')
  const triage = '{"mode":"dispatch_delayed"}'
  const row = (i: number) => {
    const lat = LAT[0] + Math.random() * (LAT[1] - LAT[0])
    const lon = LON[0] + Math.random() * (LON[1] - LON[0])
    const open = Math.random() < 0.03
    const at = open ? now - Math.random() * 6 * 3600_000 : now - Math.random() * 365 * 86_400_000
    const k = i % 3
    return [
      `seed-${i}`,
      types[k],
      families[k],
      4,
      'dispatch_delayed',
      null,
      open ? 'pending' : 'closed',
      open ? 1 : 0,
      open ? null : 'settled_by_phone',
      'seeded',
      lat,
      lon,
      latLngToCell(lat, lon, resolution),
      null,
      '',
      '{}',
      triage,
      null,
      'phone_311',
      Math.round(at),
      Math.round(at),
      Math.round(at),
      'bench',
      null,
      null,
      1,
      null,
      null,
    ]
  }
  const cols =
    'id, call_type, family, priority, mode, referral, status, is_open, disposition, location_text, lat, lon, h3, block, narrative, answers, triage, override, channel, received_at, created_at, updated_at, created_by, duplicate_of, eido, version, idempotency_key, request_hash'
  const width = 28
  if (url.startsWith('sqlite:')) {
    const db = new SqliteDatabase(url.slice('sqlite:'.length))
    db.pragma('synchronous = OFF')
    const ins = db.prepare(
      `INSERT INTO incident (${cols}) VALUES (${Array(width).fill('?').join(',')})`,
    )
    const chunk = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) ins.run(...row(i))
    })
    for (let i = 0; i < n; i += 50_000) chunk(i, Math.min(n, i + 50_000))
    db.exec('ANALYZE')
    db.close()
    return
  }
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  const per = 1000
  for (let i = 0; i < n; i += per) {
    const rows = Array.from({ length: Math.min(per, n - i) }, (_, j) => row(i + j))
    const params = rows.flat()
    const values = rows
      .map(
        (_, r) => `(${Array.from({ length: width }, (_, k) => `$${r * width + k + 1}`).join(',')})`,
      )
      .join(',')
    await c.query(`INSERT INTO incident (${cols}) VALUES ${values}`, params)
  }
  await c.query('ANALYZE incident')
  await c.end()
}
