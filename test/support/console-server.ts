import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import type { Page } from 'playwright-core'
import { createUser } from '../../src/app/accounts/manage-accounts.js'
import { createDeps } from '../../src/app/create-deps.js'
import { testConfig } from '../../src/config/config.js'
import type { Role } from '../../src/domain/access/roles.js'
import { startServer, stopServer } from './server-process.js'
import { seedRoleTokens, tokenFor } from './test-app.js'

/** One person who signs in to the console in a journey: user name, display name, role. */
export type JourneyUser = readonly [username: string, displayName: string, role: Role]

/**
 * The real server (`triage311 serve`, demo city and default catalogue) on a fresh SQLite file,
 * with the journey's people as staff accounts and a token per role for seeding through the API.
 */
export async function startConsoleServer(users: readonly JourneyUser[], password: string) {
  const dir = mkdtempSync(join(tmpdir(), 't311-journey-'))
  const url = `sqlite:${join(dir, 'e2e.db')}`
  const deps = await createDeps(testConfig({ DATABASE_URL: url }), pino({ level: 'silent' }))
  const admin = { id: 'test', roles: ['admin' as const], kind: 'system' as const }
  for (const [username, displayName, role] of users)
    await createUser(deps, admin, { username, displayName, password, roles: [role] })
  await seedRoleTokens(deps.store)
  await deps.store.close()
  const server = await startServer({ DATABASE_URL: url })
  return {
    url: server.url,
    /** The staff API as a role's token (what other screens would have entered). */
    call: (method: string, path: string, role: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokenFor(role)}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
    /** Signs in from the keyboard, as a person would, and waits for the console. */
    signIn: async (page: Page, username: string) => {
      await page.goto(server.url)
      await page.getByRole('form', { name: 'Sign in' }).waitFor()
      await page.getByLabel('User name').focus()
      await page.keyboard.type(username)
      await page.keyboard.press('Tab')
      await page.keyboard.type(password)
      await page.keyboard.press('Enter')
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
    },
    stop: async () => {
      await stopServer(server.child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type ConsoleServer = Awaited<ReturnType<typeof startConsoleServer>>
