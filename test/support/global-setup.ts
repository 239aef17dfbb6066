import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openStore } from '../../src/store/open-store.js'
import { buildConsole, chromiumAvailable } from './browser.js'

/**
 * Finds the PostgreSQL server and prepares a migrated template database that each test file
 * clones (CREATE DATABASE … TEMPLATE), so files never share data. On CI (CI=true) PostgreSQL is
 * required; elsewhere its tests are skipped with a note when no server answers.
 */
export default async function setup(project: TestProject) {
  // The browser suites drive the console as built now. Built once here, before any suite
  // starts: two suites building at once would empty dist/web under each other's server.
  if (chromiumAvailable() || process.env.CI === 'true') buildConsole()
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch (err) {
    if (process.env.CI === 'true') {
      throw new Error(
        `CI=true and PostgreSQL does not answer at ${adminUrl}: ${(err as Error).message}`,
      )
    }
    console.warn(
      `\n  note: no PostgreSQL at ${adminUrl} (${(err as Error).message}); PostgreSQL tests are skipped.\n`,
    )
    project.provide('pgTemplateUrl', '')
    return
  }
  const template = `t311_tpl_${process.pid}`
  await admin.query(`DROP DATABASE IF EXISTS ${template}`)
  await admin.query(`CREATE DATABASE ${template}`)
  const templateUrl = withDatabase(adminUrl, template)
  const store = openStore({ url: templateUrl, poolSize: 1 })
  await store.migrate()
  await store.close()
  project.provide('pgTemplateUrl', templateUrl)

  return async () => {
    // Files drop their own databases; sweep what a crashed run may have left.
    const left = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 't311_%' AND datname LIKE $1`,
      [`%_${process.pid}%`],
    )
    for (const { datname } of left.rows)
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
    await admin.end()
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplateUrl: string
  }
}
