import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { latLngToCell } from 'h3-js'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/app/accounts/manage-accounts.js'
import { importCatalogueFile } from '../../src/app/catalogue/import-catalogue.js'
import type { AppDeps } from '../../src/app/deps.js'
import type { CallForService } from '../../src/domain/history/call-for-service.js'
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../support/browser.js'
import { SD_CALLS_FILE } from '../support/sandiego.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

const PASSWORD = 'quiet evening ledger 42'
const SHOTS = 'test-results'
const DAY = 86_400_000

/** Downtown Baltimore blocks, busiest first, each with a point. */
const BLOCKS = [
  { block: '400 BLK E PRATT ST', lat: 39.2866, lon: -76.6106, weight: 12 },
  { block: '100 BLK N HOWARD ST', lat: 39.2907, lon: -76.6199, weight: 6 },
  { block: '1800 BLK N CHARLES ST', lat: 39.3105, lon: -76.6167, weight: 3 },
  { block: '2600 BLK E MONUMENT ST', lat: 39.2994, lon: -76.5811, weight: 2 },
  { block: '500 BLK W BALTIMORE ST', lat: 39.2893, lon: -76.6231, weight: 1 },
]

/**
 * The analyst's workspace and the evaluation dashboard in Debian's chromium: hot spots on the
 * map with their tables, charts and exports; a selection of blocks handed to a new problem; the
 * evaluation's measures and a before/after comparison; and a role without access never sees them.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')(
  'analyst workspace and evaluation dashboard (chromium)',
  () => {
    let browser: Browser
    let app: FastifyInstance
    let deps: AppDeps
    let close: () => Promise<void>
    let url: string
    const now = Date.now()
    const clock = manualClock(now)

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      ;({ app, deps, close } = await openTestApp('sqlite', {
        clock,
        config: { IDLE_LOCK_MINUTES: '600' },
      }))
      const admin = { id: 'test', roles: ['admin' as const], kind: 'system' as const }
      // The default catalogue, whose San Diego mapping table an uploaded CAD export goes through.
      await importCatalogueFile(deps, admin, 'catalogue/default-catalogue.yaml')
      for (const [username, roles] of [
        ['ana', ['analyst']],
        ['cmdr', ['command']],
        ['pat', ['call_taker']],
      ] as const)
        await createUser(deps, admin, {
          username,
          displayName: username,
          password: PASSWORD,
          roles: [...roles],
        })
      // 911 calls over the last 60 days: twice as many before the 311 push 30 days ago.
      const calls: CallForService[] = []
      let n = 0
      for (let d = 60; d >= 1; d--)
        for (const b of BLOCKS)
          for (let k = 0; k < b.weight * (d > 30 ? 2 : 1); k++) {
            // Spread over a few hundred metres, so that busy blocks make clusters of cells.
            const lat = b.lat + ((k % 5) - 2) * 0.0015
            const lon = b.lon + ((Math.floor(k / 5) % 5) - 2) * 0.0015
            calls.push({
              source: 'e2e-cad',
              sourceId: String(n++),
              receivedAt: now - d * DAY + ((k * 37) % 24) * 3_600_000,
              sourceCallType: '415',
              callType: 'NOISE',
              priority: 3 + (k % 3),
              disposition: null,
              block: b.block,
              lat,
              lon,
              h3: latLngToCell(lat, lon, 9),
              policeDistrict: 'Central',
              beat: null,
            })
          }
      await deps.store.history.addCalls(calls, now)
      // 311 incidents in the last 30 days, on the busiest blocks.
      const incidents: string[] = []
      for (let i = 0; i < 30; i++) {
        const b = BLOCKS[i % 3]!
        const res = await app.inject({
          method: 'POST',
          url: '/api/incidents',
          headers: auth('call_taker'),
          payload: {
            callType: 'NOISE',
            contact: {
              channel: i % 4 === 0 ? 'web' : 'phone_311',
              receivedAt: new Date(now - (i + 1) * 20 * 3_600_000).toISOString(),
              caller: { anonymous: true },
            },
            location: { text: b.block, lat: b.lat, lon: b.lon, block: b.block },
            answers: { source: 'music', place_kind: 'residence' },
          },
        })
        expect(res.statusCode, res.body).toBe(201)
        incidents.push(res.json().id)
      }
      // One of them worked by a unit, on the clock: assigned 5 min after the call, on scene at 15.
      const unit = await app.inject({
        method: 'POST',
        url: '/api/units',
        headers: auth('supervisor'),
        payload: { callSign: '1A1', type: 'patrol', district: 'Central', onDuty: true },
      })
      expect(unit.statusCode, unit.body).toBe(201)
      const received = now - 20 * 3_600_000
      const step = async (minutes: number, path: string, payload?: object) => {
        clock.set(received + minutes * 60_000)
        const res = await app.inject({
          method: 'POST',
          url: path,
          headers: auth('dispatcher'),
          ...(payload ? { payload } : {}),
        })
        expect(res.statusCode, res.body).toBeLessThan(300)
        return res.json()
      }
      const assignment = await step(5, '/api/dispatch/assignments', {
        incidentId: incidents[0],
        unitId: unit.json().id,
      })
      await step(7, `/api/dispatch/assignments/${assignment.id}/en-route`)
      await step(15, `/api/dispatch/assignments/${assignment.id}/on-scene`)
      await step(40, `/api/dispatch/assignments/${assignment.id}/clear`, {
        disposition: 'settled_by_contact',
      })
      clock.set(now)
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

    it('an analyst reads the hot spots on the map, the trend and the coincidence, exports them and starts a problem', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
      await signIn(page, 'ana')
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Hot spots' })
        .click()
      const status = page
        .getByRole('region', { name: 'Hot spots and trends' })
        .getByRole('status')
        .first()
      await expect
        .poll(() => status.textContent(), { timeout: 15_000 })
        .toMatch(/^[\d,]+ calls from /)
      const total = Number((await status.textContent())!.match(/^([\d,]+)/)![1]!.replace(/,/g, ''))
      expect(total).toBe(BLOCKS.reduce((a, b) => a + b.weight * 90, 0) + 30)
      const blocks = page.getByRole('region', { name: 'Top blocks' })
      const first = blocks.getByRole('row').nth(1)
      await expect.poll(() => first.textContent()).toContain('400 BLK E PRATT ST')
      // The map draws the Gi* cells and the blocks (maplibre renders to a canvas).
      await page.locator('.analytics-map canvas').waitFor()
      const mapLabel = await page.locator('.analytics-map[role="img"]').getAttribute('aria-label')
      expect(mapLabel).toMatch(/\d+ hot and \d+ cold H3 cells, 5 top blocks/)
      expect(Number(mapLabel!.match(/(\d+) hot/)![1])).toBeGreaterThan(0)
      // The week's rhythm and the daily trend are drawn.
      await page.getByRole('img', { name: /^Calls per day from / }).waitFor()
      await page.getByRole('img', { name: /^Calls per hour by hour of the week/ }).waitFor()
      const byType = page.getByRole('region', { name: 'Calls by call type' })
      await expect.poll(() => byType.getByRole('row').first().textContent()).toMatch(/^NOISE/)
      await byType.getByLabel('Count by').selectOption('channel')
      const byChannel = page.getByRole('region', { name: 'Calls by channel' })
      await expect
        .poll(() => byChannel.getByRole('row').first().textContent())
        .toMatch(/^911\s*2,160/)
      const coincidence = page.getByRole('region', { name: 'Where 311 and 911 problems meet' })
      await expect
        .poll(() => coincidence.textContent())
        .toMatch(/400 BLK E PRATT ST: \d+ on 311, \d+ on 911/)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'analyst-workspace.png'), fullPage: true })

      // Every view exports: the CSV link downloads the table behind the screen.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        blocks.getByRole('link', { name: 'CSV' }).click(),
      ])
      const csv = readFileSync((await download.path())!, 'utf8')
      expect(csv.split('\n')[0]).toBe('rank,block,calls,share,cumulative_share,lat,lon')
      expect(csv).toContain('400 BLK E PRATT ST')
      const geo = await page.request.get(
        `${url}${await page.getByRole('region', { name: 'Map' }).getByRole('link', { name: 'GeoJSON' }).getAttribute('href')}`,
      )
      expect((await geo.json()).type).toBe('FeatureCollection')

      // Two blocks picked become a problem to work.
      await blocks.getByLabel('Pick 400 BLK E PRATT ST').check()
      await blocks.getByLabel('Pick 100 BLK N HOWARD ST').check()
      await blocks.getByRole('link', { name: 'Start a problem on 2 blocks' }).click()
      const form = page.getByRole('form', { name: 'New problem' })
      await form.waitFor()
      expect(await form.getByLabel(/Street blocks/).inputValue()).toBe(
        '400 BLK E PRATT ST\n100 BLK N HOWARD ST',
      )
      expect(await form.getByLabel('Title').inputValue()).toBe(
        'Hot spot: 400 BLK E PRATT ST and 1 more',
      )
      await page.close()
    }, 90_000)

    it('an analyst uploads a CAD export and follows its import to the summary', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
      await signIn(page, 'ana')
      await page.goto(`${url}/#/analytics`)
      await page.getByText('Import 911 calls from the CAD').click()
      const form = page.getByRole('form', { name: 'Import 911 calls' })
      // The first 2,000 calls of the real San Diego export (shared/datasets).
      const head = readFileSync(SD_CALLS_FILE, 'utf8').split('\n').slice(0, 2001).join('\n')
      await form.getByLabel('CAD export (CSV)').setInputFiles({
        name: 'sandiego-head.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(head),
      })
      await form.getByLabel('Format').selectOption('sandiego')
      await form.getByRole('button', { name: 'Import' }).click()
      const panel = page.locator('.history-import')
      await expect
        .poll(() => panel.getByRole('status').textContent(), { timeout: 30_000 })
        .toMatch(/^[\d,]+ calls imported, 0 already there/)
      expect(await panel.locator('progress').getAttribute('value')).toBe('2000')
      expect(await panel.textContent()).toMatch(/Imported.*2,000 of 2,000 calls/)
      // The views are asked again: the new calls are counted.
      await expect
        .poll(() =>
          page
            .getByRole('region', { name: 'Hot spots and trends' })
            .getByRole('status')
            .last()
            .textContent(),
        )
        .toMatch(/calls from/)
      await page.screenshot({ path: join(SHOTS, 'history-import.png'), fullPage: false })
      await page.close()
    }, 90_000)

    it('command staff read the evaluation and compare before and after a date', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
      await signIn(page, 'cmdr')
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Evaluation' })
        .click()
      const dash = page.getByRole('region', { name: 'Evaluation' })
      await expect
        .poll(() => dash.getByRole('status').first().textContent(), { timeout: 15_000 })
        .toMatch(/^Measures from/)
      await expect
        .poll(() => dash.locator('.tile').first().textContent())
        .toMatch(/^30\s*311 calls/)
      await page.getByRole('img', { name: /^311 and 911 calls per day/ }).waitFor()
      await page.getByRole('img', { name: 'Calls by channel and priority' }).waitFor()
      // The one dispatched call: priority's median 5 min to assign, 15 to arrive.
      const response = dash.getByRole('region', { name: /^Response times by priority/ })
      await expect
        .poll(() => response.getByRole('row').nth(1).textContent())
        .toMatch(/^\d1\s*5\.0 \/ 5\.0\s*15\.0 \/ 15\.0$/)
      const officer = dash.getByRole('region', { name: 'Officer time' })
      await expect.poll(() => officer.textContent()).toMatch(/1 unit;/)
      // 30 days each side of the day 30 days ago: 911 calls about halved after it (local days
      // cut the first and last day of the seeded calls, so not exactly).
      const change = dash.getByRole('row', { name: /^911 calls/ })
      await expect
        .poll(() => change.textContent())
        .toMatch(/^911 calls\s*[\d,]+\s*[\d,]+\s*-(4\d|5\d)%/)
      expect(await change.getAttribute('class')).toBe('significant')
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'evaluation-dashboard.png'), fullPage: true })
      await page.close()
    }, 90_000)

    it('a call-taker has neither screen, and the API refuses them', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, 'pat')
      const nav = page.getByRole('navigation', { name: 'Main' })
      expect(await nav.getByRole('link', { name: 'Hot spots' }).count()).toBe(0)
      expect(await nav.getByRole('link', { name: 'Evaluation' }).count()).toBe(0)
      const res = await page.request.get(
        `${url}/api/analytics/top-blocks?from=2026-01-01&to=2026-01-31`,
      )
      expect(res.status()).toBe(403)
      await page.close()
    }, 60_000)
  },
)
