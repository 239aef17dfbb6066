import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/app/accounts/manage-accounts.js'
import { createDeps } from '../../src/app/create-deps.js'
import { testConfig } from '../../src/config/config.js'
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../support/browser.js'
import { startServer, stopServer } from '../support/server-process.js'
import { seedRoleTokens, tokenFor } from '../support/test-app.js'

const PASSWORD = 'a long emergency passphrase'
const SHOTS = 'test-results'

/**
 * A snow emergency in chromium against the real server with the demo city (Baltimore) and the
 * default catalogue: the emergency manager activates it, the public page shows its banner, and a
 * call-taker taking an unplowed-street call sees the approved script and the nearest open
 * warming centre with its distance.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')(
  'emergency information (chromium)',
  () => {
    let browser: Browser
    let server: Awaited<ReturnType<typeof startServer>>
    const dir = mkdtempSync(join(tmpdir(), 't311-e2e-emergency-'))

    /** The API as a role's token (seeding what other screens would have entered). */
    const call = async (method: string, path: string, role: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokenFor(role)}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
      const json = await res.json().catch(() => null)
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
      return json
    }

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      const url = `sqlite:${join(dir, 'e2e.db')}`
      const deps = await createDeps(testConfig({ DATABASE_URL: url }), pino({ level: 'silent' }))
      const admin = { id: 'test', roles: ['admin' as const], kind: 'system' as const }
      await createUser(deps, admin, {
        username: 'emma',
        displayName: 'Emma Manager',
        password: PASSWORD,
        roles: ['emergency_manager'],
      })
      await createUser(deps, admin, {
        username: 'pat',
        displayName: 'Pat Aide',
        password: PASSWORD,
        roles: ['call_taker'],
      })
      await seedRoleTokens(deps.store)
      await deps.store.close()
      server = await startServer({ DATABASE_URL: url })
      browser = await launchChromium()

      // The script, written by the emergency manager and approved by a supervisor.
      const article = await call('POST', '/api/knowledge', 'emergency_manager', {
        title: 'Unplowed streets',
        audience: 'call_takers',
        callType: 'SNOW_UNPLOWED_STREET',
        body: 'Main roads and bus routes are plowed first, then side streets. Your street is on the list.',
      })
      await call('POST', `/api/knowledge/versions/${article.versions[0].id}/approve`, 'supervisor')
      for (const [name, address, status] of [
        ['City Hall warming centre', '100 N Holliday St', 'open'],
        ['Highlandtown warming centre', '3400 Eastern Ave', 'open'],
        ['Shot Tower warming centre', '800 E Fayette St', 'full'],
      ])
        await call('POST', '/api/facilities', 'emergency_manager', {
          kind: 'warming_centre',
          name,
          address,
          hours: '24 hours during the emergency',
          transit: 'Circulator Purple route, Holliday and Fayette',
          parking: 'Free in the City Hall garage',
          status,
        })
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      if (server) await stopServer(server.child)
      rmSync(dir, { recursive: true, force: true })
    })

    async function signIn(page: Page, username: string) {
      await page.goto(server.url)
      await page.getByRole('form', { name: 'Sign in' }).waitFor()
      await page.getByLabel('User name').fill(username)
      await page.getByLabel('Password').fill(PASSWORD)
      await page.keyboard.press('Enter')
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
    }

    it('an emergency manager activates a snow emergency; the ribbon shows it', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
      await signIn(page, 'emma')
      await page.getByRole('link', { name: 'Emergency' }).click()
      await page.getByRole('heading', { name: 'Emergency operations' }).waitFor()
      await page.getByLabel('Mode').selectOption('snow')
      await page.getByLabel('Title').fill('Snow emergency')
      await page.getByLabel('Call types switched on').fill('SNOW_UNPLOWED_STREET')
      await page
        .getByLabel('Banner on the public page')
        .fill('Snow emergency in effect: move cars off snow routes. Warming centres are open.')
      await page.getByRole('button', { name: 'Activate' }).click()
      await page.getByRole('button', { name: 'End Snow emergency' }).waitFor()
      // The map and its facilities layer.
      await page.locator('.facility-map canvas').waitFor()
      const streets = page.waitForResponse((r) => r.url().includes('/api/map/streets'))
      await page.reload()
      await page.locator('.facility-map canvas').waitFor()
      await streets
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Snow emergency' }).count())
        .toBe(1)
      await page.screenshot({ path: join(SHOTS, 'emergency-activation.png'), fullPage: true })
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.close()
    }, 60_000)

    it("the public page shows the emergency's banner", async () => {
      const page = await browser.newPage({ viewport: { width: 420, height: 900 } })
      await page.goto(`${server.url}/report`)
      const banner = page.getByRole('region', { name: 'Snow emergency' })
      await banner.waitFor()
      expect(await banner.textContent()).toContain('move cars off snow routes')
      await page.screenshot({ path: join(SHOTS, 'emergency-public-banner.png'), fullPage: true })
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.close()
    }, 30_000)

    it('a call-taker sees the approved script and the nearest open warming centre with its distance', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } })
      await signIn(page, 'pat')
      await page.getByRole('form', { name: 'Take a call' }).waitFor()
      await page.getByRole('combobox', { name: 'Location' }).focus()
      await page.keyboard.type('400 e fayet')
      await page.getByRole('option', { name: /400 E FAYETTE ST/ }).waitFor()
      await page.keyboard.press('Enter')
      await page.getByRole('combobox', { name: /^Call type/ }).focus()
      await page.keyboard.type('not plowed')
      await page.getByRole('option', { name: /Street not plowed/ }).waitFor()
      await page.keyboard.press('Enter')
      const panel = page.getByRole('region', { name: 'Official information' })
      await panel.getByText(/Main roads and bus routes are plowed first/).waitFor()
      expect(await panel.textContent()).toContain('Version 1, approved by')
      const nearby = panel.getByRole('listitem')
      await expect.poll(() => nearby.count()).toBe(2)
      const first = (await nearby.first().textContent()) ?? ''
      // City Hall is the nearest open one (metres away); the full one is not offered.
      expect(first).toMatch(/City Hall warming centre \(Warming centre\) · \d+ m/)
      expect(first).toContain('Circulator Purple route')
      expect(await panel.textContent()).not.toContain('Shot Tower')
      // The caller cannot get there on their own.
      await panel
        .getByRole('group', { name: 'Can they get to City Hall warming centre?' })
        .getByLabel('No: transport needed')
        .check()
      await page.screenshot({ path: join(SHOTS, 'emergency-intake-panel.png'), fullPage: true })
      expect(await seriousAxeViolations(page)).toEqual([])

      // Saving the call records the script version read and the answer, with a transport callback.
      await page.getByLabel('What kind of street is it? (required)').selectOption('side_street')
      await page
        .getByRole('radiogroup', { name: /dialysis, oxygen/ })
        .getByLabel('No')
        .check()
      await page.getByLabel('Anonymous (Alt+A)').check()
      await page.getByRole('button', { name: /^Finish/ }).click()
      const opened = page.getByRole('link', { name: /^Open 311-\d{7}/ })
      await opened.waitFor()
      const id = ((await opened.getAttribute('href')) ?? '').replace('#/incidents/', '')
      await expect
        .poll(
          async () =>
            (await call('GET', `/api/incidents/${id}/information-given`, 'supervisor')).given
              .length,
        )
        .toBe(2)
      const given = (await call('GET', `/api/incidents/${id}/information-given`, 'supervisor'))
        .given
      expect(
        given.find((g: { knowledgeVersionId: string | null }) => g.knowledgeVersionId),
      ).toBeTruthy()
      const reach = given.find((g: { facilityId: string | null }) => g.facilityId)
      expect(reach).toMatchObject({ canReach: false })
      expect(reach.callbackId).toBeTruthy()
      await page.close()
    }, 60_000)
  },
)
