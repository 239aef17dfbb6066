import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../support/browser.js'
import { type ConsoleServer, startConsoleServer } from '../support/console-server.js'

const PASSWORD = 'a long campaign-desk passphrase'
const SHOTS = 'test-results'

/**
 * Outbound wellness calls in a snow emergency (issue #10 item 6), in chromium against the real
 * server with the demo city: an emergency manager builds the call list from the registry; a
 * call-taker works it from the keyboard (the one on oxygen first), and her "needs help" opens
 * a welfare check; the operations page shows the campaign's progress to a dispatcher, who
 * never sees who is on the list.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')(
  'outbound campaigns (chromium)',
  () => {
    let browser: Browser
    let server: ConsoleServer

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      server = await startConsoleServer(
        [
          ['emery', 'Emery Manager', 'emergency_manager'],
          ['pat', 'Pat Aide', 'call_taker'],
          ['dee', 'Dee Spatcher', 'dispatcher'],
        ],
        PASSWORD,
      )
      browser = await launchChromium()
      for (const [name, address, need, phone] of [
        ['Dora Dialysis', '500 S ANN ST', 'dialysis', '410-555-0101'],
        ['Olive Oxygen', '400 E PRATT ST', 'oxygen', '410-555-0102'],
      ]) {
        const res = await server.call('POST', '/api/registry/registrants', 'emergency_manager', {
          name,
          phone,
          address,
          consent: { givenBy: name, givenAt: new Date().toISOString(), method: 'phone' },
          health: {
            needs: [need],
            contacts: [{ name: 'Sam Contact', phone: '410-555-0199', relationship: 'son' }],
            notes: '',
          },
        })
        expect(res.status, await res.clone().text()).toBe(201)
      }
      const on = await server.call('POST', '/api/activations', 'emergency_manager', {
        mode: 'snow',
        title: 'Blizzard',
        area: { kind: 'city' },
      })
      expect(on.status, await on.clone().text()).toBe(201)
    }, 180_000)

    afterAll(async () => {
      await browser?.close()
      await server?.stop()
    })

    let campaignPath = ''

    it('an emergency manager builds the wellness list from the registry', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await server.signIn(page, 'emery')
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Campaigns' })
        .click()
      await page.getByRole('heading', { name: 'New campaign' }).waitFor()
      await page.getByLabel('Title').fill('Blizzard wellness calls')
      await page.getByRole('button', { name: 'Build the call list' }).click()
      const made = page.getByRole('status').filter({ hasText: /people to call/ })
      await made.waitFor({ timeout: 15_000 })
      expect(await made.textContent()).toMatch(/Blizzard wellness calls: 2 people to call/)
      campaignPath = (await made.getByRole('link').getAttribute('href')) ?? ''
      expect(campaignPath).toMatch(/^#\/campaigns\/.+/)
      await page.close()
    }, 90_000)

    it('a call-taker works the list: oxygen first, needs help opens a welfare check', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
      await server.signIn(page, 'pat')
      await page.evaluate((hash) => {
        window.location.hash = hash
      }, campaignPath)
      const desk = page.getByRole('region', { name: /Calling: Blizzard wellness calls/ })
      await desk.getByRole('button', { name: 'Next call' }).focus()
      await page.keyboard.press('Enter')
      await desk.getByRole('heading', { name: 'Olive Oxygen' }).waitFor({ timeout: 15_000 })
      expect(await desk.textContent()).toMatch(/410-555-0102.*Needs: Oxygen/)
      expect(await desk.textContent()).toMatch(/special-needs registry to check that you are safe/)
      await desk.getByLabel('Note (optional)').focus()
      await page.keyboard.type('Power out since 6am; concentrator battery low.')
      await page.screenshot({ path: join(SHOTS, 'campaign-call-desk.png'), fullPage: true })
      expect(await seriousAxeViolations(page)).toEqual([])
      await desk.getByRole('button', { name: /Needs help: send someone/ }).focus()
      await page.keyboard.press('Enter')
      const raised = desk.getByRole('status').filter({ hasText: /welfare check was opened/ })
      await raised.waitFor({ timeout: 15_000 })
      const href = (await raised.getByRole('link').getAttribute('href')) ?? ''
      const incidentId = href.replace('#/incidents/', '')
      const incident = (await (
        await server.call('GET', `/api/incidents/${incidentId}`, 'dispatcher')
      ).json()) as { incident: { callType: string; priority: number }; activation: unknown }
      expect(incident.incident).toMatchObject({ callType: 'WELFARE_CHECK', priority: 2 })
      expect(incident.activation).toMatchObject({ title: 'Blizzard' })

      await desk.getByRole('button', { name: 'Next call' }).click()
      await desk.getByRole('heading', { name: 'Dora Dialysis' }).waitFor({ timeout: 15_000 })
      await desk.getByRole('button', { name: /^Not reached/ }).click()
      await desk
        .getByRole('status')
        .filter({ hasText: /come back to the list at/ })
        .waitFor({ timeout: 15_000 })
      await desk.getByRole('button', { name: 'Next call' }).click()
      await desk.getByText(/Nobody is left to call now/).waitFor({ timeout: 15_000 })
      await page.close()
    }, 120_000)

    it('the operations page shows the progress, never who is on the list, to a dispatcher', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } })
      await server.signIn(page, 'dee')
      expect(
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Campaigns' })
          .count(),
      ).toBe(0)
      await page.evaluate(() => {
        window.location.hash = '#/emergency'
      })
      const section = page.getByRole('region', { name: 'Outbound campaigns' })
      const bar = section.getByRole('img', { name: /finished/ })
      await bar.waitFor({ timeout: 20_000 })
      expect(await bar.getAttribute('aria-label')).toMatch(
        /^50% finished: 0 done, 1 sent someone, 0 escalated, 0 on a call, 1 waiting, of 2$/,
      )
      await section.scrollIntoViewIfNeeded()
      await page.screenshot({
        path: join(SHOTS, 'campaign-progress-operations.png'),
        fullPage: true,
      })
      expect(await page.content()).not.toMatch(/Olive|Dora|410-555|Oxygen|Dialysis/)
      const refused = await server.call(
        'POST',
        `/api/campaigns/${campaignPath.split('/')[2]}/next`,
        'dispatcher',
      )
      expect(refused.status).toBe(403)
      await page.close()
    }, 60_000)
  },
)
