import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'

/** The two databases every store and HTTP test runs on. */
export const DIALECTS = ['sqlite', 'postgres'] as const
export type TestDialect = (typeof DIALECTS)[number]

/** Whether PostgreSQL tests can run here (always on CI; global-setup fails otherwise). */
export function postgresAvailable(): boolean {
  return inject('pgTemplateUrl') !== ''
}

/**
 * A fresh, migrated database for one test file: SQLite in memory, or a PostgreSQL database
 * cloned from the migrated template. `drop` removes it.
 */
export async function freshDatabaseUrl(
  dialect: TestDialect,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') return { url: 'sqlite::memory:', drop: async () => {} }
  const templateUrl = inject('pgTemplateUrl')
  const template = new URL(templateUrl).pathname.slice(1)
  const name = `${template.replace('tpl', 'f')}_${randomBytes(4).toString('hex')}`
  const adminUrl = new URL(templateUrl)
  adminUrl.pathname = '/postgres'
  const admin = new pg.Client({ connectionString: adminUrl.toString() })
  await admin.connect()
  try {
    // Two files cloning the template at the same instant can collide ("being accessed by other
    // users"); a short retry settles it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)
        break
      } catch (err) {
        if (attempt >= 20 || (err as { code?: string }).code !== '55006') throw err
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200))
      }
    }
  } finally {
    await admin.end()
  }
  const url = new URL(templateUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl.toString() })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
