import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/app/accounts/manage-accounts.js'
import type { AppDeps } from '../../src/app/deps.js'
import { problemLinkFrom } from '../../src/web/features/problems/start-problem.js'
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../support/browser.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

const PASSWORD = 'a long problem-solving passphrase'
const SHOTS = 'test-results'
const DAY = 86_400_000
const CLUB = '900 BLOCK CLUB ST'
const NEXT_DOOR = '1000 BLOCK CLUB ST'

/**
 * Problem-oriented policing in chromium: an analyst opens a problem from a hot spot's blocks
 * (through the address the analyst workspace links to), links a call, moves it through SARA
 * to the response, and, two weeks on, sees whether calls on its blocks fell.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')(
  'problems screens (chromium)',
  () => {
    let browser: Browser
    let app: FastifyInstance
    let deps: AppDeps
    let close: () => Promise<void>
    let url: string
    const clock = manualClock(Date.now())

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      ;({ app, deps, close } = await openTestApp('sqlite', { clock }))
      await createUser(
        deps,
        { id: 'test', roles: ['admin'], kind: 'system' },
        { username: 'ana', displayName: 'Ana Lyst', password: PASSWORD, roles: ['analyst'] },
      )
      url = await app.listen({ host: '127.0.0.1', port: 0 })
      browser = await launchChromium()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      await close?.()
    })

    async function signIn(page: Page) {
      await page.getByRole('form', { name: 'Sign in' }).waitFor()
      await page.getByLabel('User name').fill('ana')
      await page.getByLabel('Password').fill(PASSWORD)
      await page.keyboard.press('Enter')
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
    }

    /** A noise call on a block, some days before the clock's now. */
    const call311 = async (block: string, daysAgo: number) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: auth('call_taker'),
        payload: {
          callType: 'NOISE',
          contact: {
            channel: 'phone_311',
            receivedAt: new Date(clock.now() - daysAgo * DAY).toISOString(),
            caller: { anonymous: true },
          },
          location: { text: `${block.split(' ')[0]} CLUB ST`, block },
          answers: { source: 'party' },
        },
      })
      expect(res.statusCode).toBe(201)
      return res.json() as { id: string; number: string }
    }
    const calls911 = (prefix: string, daysAgo: number[]) =>
      deps.store.history.addCalls(
        daysAgo.map((d, i) => ({
          source: 'cad',
          sourceId: `${prefix}-${i}`,
          receivedAt: clock.now() - d * DAY,
          sourceCallType: 'DISTURB',
          callType: null,
          priority: 2,
          disposition: null,
          block: CLUB,
          lat: null,
          lon: null,
          h3: null,
          policeDistrict: null,
          beat: null,
        })),
        clock.now(),
      )

    it('an analyst opens a problem from a hot spot, links a call, moves it to response and sees before/after counts', async () => {
      // Two weeks of trouble at the club before anyone acts.
      let first: { id: string; number: string } | null = null
      for (const daysAgo of [2, 3, 5, 6, 8, 9, 11, 12, 13]) {
        const c = await call311(daysAgo % 2 ? CLUB : NEXT_DOOR, daysAgo)
        first ??= c
      }
      await calls911('before', [1, 4, 7, 10])

      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
      await page.goto(url)
      await signIn(page)
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Problems' })
        .click()
      await page.getByRole('heading', { name: 'Problems' }).waitFor()
      await page.getByText('No problems here yet.').waitFor()

      // The analyst workspace's hot-spot list links here with the blocks filled in.
      await page.goto(`${url}/${problemLinkFrom({ kind: 'block', places: [CLUB, NEXT_DOOR] })}`)
      const form = page.getByRole('form', { name: 'New problem' })
      await form.waitFor()
      expect(await form.getByLabel(/Street blocks/).inputValue()).toBe(`${CLUB}\n${NEXT_DOOR}`)
      expect(await seriousAxeViolations(page)).toEqual([])
      await form.getByLabel('Title').fill('Fights and noise outside the club')
      await form
        .getByLabel('What is the problem')
        .fill('Crowds leave the club at 2 a.m.; fights and noise on both blocks.')
      await form.getByLabel('Owner').selectOption({ label: 'Neighborhood Service Center' })
      await form.getByRole('button', { name: 'Open problem' }).click()

      const heading = page.getByRole('heading', { name: /P-\d{4}-0001 · Fights and noise/ })
      await heading.waitFor()
      const stepper = page.getByRole('list', { name: 'SARA stages' })
      await expect
        .poll(() => stepper.locator('[aria-current="step"]').textContent())
        .toMatch(/Scanning/)

      // Link one of the calls by its number.
      await page.getByLabel('Incident numbers').fill(first!.number)
      await page.getByRole('button', { name: 'Link', exact: true }).click()
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe(`Linked ${first!.number}`)
      await page.getByRole('link', { name: first!.number }).waitFor()

      // Scanning → Analysis → Response, the first with a note.
      await page.getByLabel('Note for this step (optional)').fill('Nine calls in two weeks')
      await page.getByRole('button', { name: 'Move to Analysis' }).click()
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Moved to Analysis')
      await page.getByRole('button', { name: 'Move to Response' }).click()
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Moved to Response')
      await expect
        .poll(() => stepper.locator('[aria-current="step"]').textContent())
        .toMatch(/Response/)

      // Two weeks later: the club closes earlier, and calls drop.
      clock.advance(14 * DAY)
      await call311(CLUB, 4)
      await calls911('after', [9])
      // (Two weeks is past any session: the analyst signs in again and returns to the page.)
      await page.reload()
      await signIn(page)
      await heading.waitFor()
      await page.getByLabel('Days on each side').selectOption('14')
      const table = page.getByRole('table').filter({ hasText: 'Chance alone?' })
      const row311 = table.getByRole('row', { name: /^311/ })
      await expect.poll(() => row311.textContent()).toMatch(/9 in 14 days.*1 in 14 days.*−89 %/)
      const row911 = table.getByRole('row', { name: /^911/ })
      await expect.poll(() => row911.textContent()).toMatch(/4 in 14 days.*1 in 14 days.*−75 %/)
      // 1 of 10 after, at p = 1/2: 2·11/1024.
      await expect.poll(() => row311.textContent()).toMatch(/p = 0\.021 \(unlikely by chance\)/)
      await page.getByRole('img', { name: /Calls per day before and after/ }).waitFor()
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'problem-before-after.png'), fullPage: true })

      await page.getByRole('link', { name: '← All problems' }).click()
      const listed = page.getByRole('row', { name: /Fights and noise outside the club/ })
      await expect.poll(() => listed.textContent()).toMatch(/Response.*Neighborhood Service Center/)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'problems-list.png'), fullPage: true })
    }, 90_000)
  },
)
