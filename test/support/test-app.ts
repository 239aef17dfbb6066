import { readFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { hashSecret } from '../../src/app/accounts/secrets.js'
import { importCatalogueText } from '../../src/app/catalogue/import-catalogue.js'
import { createDeps } from '../../src/app/create-deps.js'
import type { AppDeps } from '../../src/app/deps.js'
import { testConfig } from '../../src/config/config.js'
import { ROLES } from '../../src/domain/access/roles.js'
import type { Clock } from '../../src/domain/shared/instant.js'
import { buildApp } from '../../src/server/app.js'
import { REDACTED_PATHS } from '../../src/server/logger.js'
import type { Store } from '../../src/store/ports.js'
import { freshDatabaseUrl, type TestDialect } from './databases.js'

export const MINI_CATALOGUE = readFileSync(
  new URL('../fixtures/mini-catalogue.yaml', import.meta.url),
  'utf8',
)

/** The API token secret the tests use for a role ('admin' when omitted). */
export function tokenFor(role = 'admin'): string {
  return `t_test-token-for-${role}`
}

/** One machine API token per role, with a known secret, so tests can act as any role. */
export async function seedRoleTokens(store: Store, at = 0): Promise<void> {
  for (const role of ROLES) {
    await store.accounts.createToken({
      id: `token-${role}`,
      name: `test ${role}`,
      tokenHash: hashSecret(tokenFor(role)),
      roles: [role],
      agency: role === 'agency_liaison' ? 'DPW' : null,
      district: role === 'officer' || role === 'community_policing' ? 'Central' : null,
      createdBy: 'test',
      createdAt: at,
      revokedAt: null,
      lastUsedAt: null,
    })
  }
}

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

/** Fresh, migrated deps on the given database with the mini catalogue and role tokens loaded. */
export async function openTestDeps(
  dialect: TestDialect,
  options: {
    clock?: Clock
    catalogue?: string
    log?: pino.Logger
    config?: Parameters<typeof testConfig>[0]
  } = {},
): Promise<{ deps: AppDeps; close: () => Promise<void> }> {
  const db = await freshDatabaseUrl(dialect)
  const config = testConfig({ DATABASE_URL: db.url, ...options.config })
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
  await seedRoleTokens(deps.store)
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
  const app = await buildApp(deps)
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

/** Authorization header for a role's API token (admin when omitted). */
export function auth(role?: string): { authorization: string } {
  return { authorization: `Bearer ${tokenFor(role)}` }
}

/**
 * A logger as the server configures it (debug level, the same redactions) that keeps every line
 * it writes, so a test can show that no caller or registry data reaches the log.
 */
export function capturedLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return {
    log: pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink),
    lines,
  }
}
