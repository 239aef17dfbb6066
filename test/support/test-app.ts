import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { importCatalogueText } from '../../src/app/catalogue/import-catalogue.js'
import { createDeps } from '../../src/app/create-deps.js'
import type { AppDeps } from '../../src/app/deps.js'
import { testConfig } from '../../src/config/config.js'
import type { Clock } from '../../src/domain/shared/instant.js'
import { buildApp } from '../../src/server/app.js'
import { freshDatabaseUrl, type TestDialect } from './databases.js'

export const DEV_TOKEN = 'test-dev-token-0123456789'
export const MINI_CATALOGUE = readFileSync(
  new URL('../fixtures/mini-catalogue.yaml', import.meta.url),
  'utf8',
)

/** A clock the test moves by hand. */
export function manualClock(
  start = Date.parse('2026-11-22T15:00:00Z'),
): Clock & { set(t: number): void; advance(ms: number): void } {
  let now = start
  return {
    now: () => now,
    set: (t) => {
      now = t
    },
    advance: (ms) => {
      now += ms
    },
  }
}

/** Fresh, migrated deps on the given database with the mini catalogue loaded. */
export async function openTestDeps(
  dialect: TestDialect,
  options: { clock?: Clock; catalogue?: string; log?: pino.Logger } = {},
): Promise<{ deps: AppDeps; close: () => Promise<void> }> {
  const db = await freshDatabaseUrl(dialect)
  const config = testConfig({ DATABASE_URL: db.url, DEV_TOKEN })
  const deps = await createDeps(
    config,
    options.log ?? pino({ level: 'silent' }),
    options.clock ? { clock: options.clock } : {},
  )
  await importCatalogueText(
    deps,
    { id: 'test', roles: ['admin'] },
    options.catalogue ?? MINI_CATALOGUE,
    'test fixture',
  )
  return {
    deps,
    close: async () => {
      await deps.store.close()
      await db.drop()
    },
  }
}

/** The HTTP app over test deps. */
export async function openTestApp(
  dialect: TestDialect,
  options: Parameters<typeof openTestDeps>[1] = {},
): Promise<{ app: FastifyInstance; deps: AppDeps; close: () => Promise<void> }> {
  const { deps, close } = await openTestDeps(dialect, options)
  const app = await buildApp(deps, { devToken: DEV_TOKEN })
  await app.ready()
  return {
    app,
    deps,
    close: async () => {
      await app.close()
      await close()
    },
  }
}

/** Authorization header for a role (admin when omitted). */
export function auth(role?: string): { authorization: string } {
  return { authorization: `Bearer ${DEV_TOKEN}${role ? `:${role}` : ''}` }
}
