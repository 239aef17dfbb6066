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
