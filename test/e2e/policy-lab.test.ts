import { mkdirSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/app/accounts/manage-accounts.js'
import { importCatalogueFile } from '../../src/app/catalogue/import-catalogue.js'
import type { AppDeps } from '../../src/app/deps.js'
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../support/browser.js'
import { openTestApp } from '../support/test-app.js'

const PASSWORD = 'quiet evening ledger 42'
const SHOTS = 'test-results'

/**
 * The policy lab in Debian's chromium: command staff open the lab, compare two scenarios with a
 * progress bar, read the comparison chart with its intervals, and plan the 311 line's staffing;
 * a call-taker has no lab in the menu.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')('policy lab (chromium)', () => {
  let browser: Browser
  let app: FastifyInstance
  let deps: AppDeps
  let close: () => Promise<void>
  let url: string

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    ;({ app, deps, close } = await openTestApp('sqlite', {
      log: pino({ level: 'silent' }),
      config: { IDLE_LOCK_MINUTES: '600' },
    }))
    const admin = { id: 'test', roles: ['admin' as const], kind: 'system' as const }
    await importCatalogueFile(deps, admin, 'catalogue/default-catalogue.yaml')
    for (const [username, roles] of [
      ['cmdr', ['command']],
      ['pat', ['call_taker']],
    ] as const)
      await createUser(deps, admin, {
        username,
        displayName: username,
        password: PASSWORD,
        roles: [...roles],
      })
    url = await app.listen({ host: '127.0.0.1', port: 0 })
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await close?.()
  })

  async function signIn(page: Page, username: string) {
    await page.goto(url)
    await page.getByRole('form', { name: 'Sign in' }).waitFor()
    await page.getByLabel('User name').fill(username)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.keyboard.press('Enter')
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
  }

  it('command staff compare two scenarios with a progress bar and read the comparison chart', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
    await signIn(page, 'cmdr')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Policy lab' })
      .click()
    await page.getByRole('heading', { name: 'Policy lab' }).waitFor()
    const form = page.getByRole('form', { name: 'Scenarios to compare' })
    // Two scenarios to start with: 311 as Baltimore ran it, and differential response.
    await expect.poll(() => form.getByRole('group', { name: /Scenario \d/ }).count()).toBe(2)
    await form.getByLabel('Calls a year').fill('20000')
    await form.getByLabel('Days simulated').fill('7')
    await form.getByLabel('Replications').fill('3')
    const second = form.getByRole('group', { name: 'Scenario 2' })
    expect(await second.getByLabel('Name').inputValue()).toBe('Differential response')
    // A lever of one's own: half again as many call-response officers.
    await second.getByLabel('Call-response officers (% of now)').fill('150')
    await second.getByLabel('Name').fill('Differential, more officers')
    expect(await seriousAxeViolations(page)).toEqual([])

    await form.getByRole('button', { name: 'Run the comparison' }).click()
    const bar = page.getByRole('progressbar', { name: 'Replications finished' })
    await bar.waitFor()
    await page.getByRole('heading', { name: 'Comparison' }).waitFor({ timeout: 90_000 })
    await expect.poll(() => bar.getAttribute('value')).toBe('6')
    await page.getByText('6 of 6 replications').waitFor()

    const chart = page.getByRole('img', { name: /^Dispatches a week/ })
    await chart.waitFor()
    const label = (await chart.getAttribute('aria-label')) ?? ''
    expect(label).toMatch(/311 as Baltimore ran it [\d,.]+ ± [\d.]+/)
    expect(label).toMatch(/Differential, more officers [\d,.]+ ± [\d.]+/)
    await page.getByRole('img', { name: /^Patrol saturation .* guideline at most 60/ }).waitFor()
    const table = page.getByRole('table', { name: /Every measure/ })
    await table.getByRole('row', { name: /Priority 1 response time/ }).waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.getByRole('heading', { name: 'Comparison' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/policy-lab-comparison.png`, fullPage: false })

    // The staffing calculator: 80 % in 20 s with 30 % shrinkage, by hour of the week.
    const staffing = page.getByRole('form', { name: 'Staffing target' })
    await staffing.getByRole('button', { name: 'Plan the staffing' }).click()
    const grid = page.getByRole('table', { name: 'Positions to schedule by day and hour' })
    await grid.waitFor()
    expect(await grid.getByRole('row').count()).toBe(8)
    await page.getByText(/position-hours a week to schedule/).waitFor()
    await grid.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/policy-lab-staffing.png` })
    await page.close()
  }, 150_000)

  it('a call-taker has no policy lab', async () => {
    const page = await browser.newPage()
    await signIn(page, 'pat')
    await page.getByRole('link', { name: 'Incidents' }).waitFor()
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link', { name: 'Policy lab' }).count()).toBe(0)
    await page.close()
  }, 60_000)
})
