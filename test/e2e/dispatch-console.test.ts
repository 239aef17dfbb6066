import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/app/accounts/manage-accounts.js'
import { hashSecret } from '../../src/app/accounts/secrets.js'
import { startBackgroundWork } from '../../src/app/background-work.js'
import type { AppDeps } from '../../src/app/deps.js'
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../support/browser.js'
import { auth, MINI_CATALOGUE, manualClock, openTestApp } from '../support/test-app.js'

const PASSWORD = 'a long dispatch-room passphrase'
const SHOTS = 'test-results'
const HARBOR = { text: '400 E PRATT ST', lat: 39.2866, lon: -76.6106 }
const MIN = 60_000

/**
 * Dispatch in operation, in Debian's chromium against the app on a controlled clock: the
 * dispatcher's board, the officer's phone, the double-dispatch guard on the incident page, and
 * a partner's referrals escalating when overdue as the clock moves.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')(
  'dispatch, officer and referral screens (chromium)',
  () => {
    let browser: Browser
    let app: FastifyInstance
    let deps: AppDeps
    let close: () => Promise<void>
    let stopSweeps: () => void
    let url: string
    const clock = manualClock(Date.now())

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      ;({ app, deps, close } = await openTestApp('sqlite', {
        clock,
        // Potholes due in two hours, so the clock need not pass the session limits to make one late.
        catalogue: MINI_CATALOGUE.replace('slaHours: 72', 'slaHours: 2'),
        config: { REFERRAL_SWEEP_SECONDS: '1', IDLE_LOCK_MINUTES: '600' },
      }))
      const admin = { id: 'test', roles: ['admin' as const], kind: 'system' as const }
      for (const [username, roles, extra] of [
        ['dana', ['dispatcher'], {}],
        ['olly', ['officer'], { district: 'Central' }],
        ['wren', ['agency_liaison'], { agency: 'DPW' }],
        ['sam', ['supervisor'], {}],
      ] as const) {
        await createUser(deps, admin, {
          username,
          displayName: username,
          password: PASSWORD,
          roles: [...roles],
          ...extra,
        })
      }
      for (const callSign of ['1A1', '1A2'])
        await app.inject({
          method: 'POST',
          url: '/api/units',
          headers: auth('supervisor'),
          payload: { callSign, type: 'patrol', district: 'Central', onDuty: true },
        })
      url = await app.listen({ host: '127.0.0.1', port: 0 })
      stopSweeps = startBackgroundWork(deps)
      browser = await launchChromium()
    }, 120_000)

    afterAll(async () => {
      stopSweeps?.()
      await browser?.close()
      await close?.()
    })

    async function signIn(page: Page, username: string, lands: RegExp) {
      await page.goto(url)
      await page.getByRole('form', { name: 'Sign in' }).waitFor()
      await page.getByLabel('User name').fill(username)
      await page.getByLabel('Password').fill(PASSWORD)
      await page.keyboard.press('Enter')
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
      await expect.poll(() => page.url()).toMatch(lands)
    }

    const openCall = async (body: Record<string, unknown>) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: auth('call_taker'),
        payload: {
          contact: { channel: 'phone_311', caller: { anonymous: true } },
          location: HARBOR,
          ...body,
        },
      })
      expect(res.statusCode).toBe(201)
      return res.json() as { id: string; number: string }
    }

    it('a dispatcher assigns a queued call from the keyboard; the officer goes en route, on scene and clears it', async () => {
      const officer = await browser.newPage({ viewport: { width: 390, height: 844 } })
      await signIn(officer, 'olly', /#\/my-unit$/)
      await officer.getByRole('button', { name: /^1A1 · patrol/ }).click()
      await officer.getByRole('heading', { name: /1A1/ }).waitFor()

      const call = await openCall({
        callType: 'NOISE',
        answers: { source: 'party', fighting: true },
      })
      clock.advance(3 * MIN)
      const board = await browser.newPage({ viewport: { width: 1360, height: 1000 } })
      await signIn(board, 'dana', /#\/dispatch/)
      const queue = board.getByRole('grid', { name: /Waiting for a unit/ })
      await queue.getByText(call.number).waitFor()
      await board.getByRole('button', { name: 'Send 1A1' }).waitFor()
      expect(await seriousAxeViolations(board)).toEqual([])
      await board.screenshot({ path: join(SHOTS, 'dispatch-board.png'), fullPage: true })
      await queue.focus()
      await board.keyboard.press('1')
      await expect
        .poll(() => board.getByRole('status').textContent())
        .toBe(`1A1 sent to ${call.number}`)
      await expect.poll(() => queue.getByText(call.number).count()).toBe(0)

      // The officer's phone hears of it live.
      await officer.getByRole('heading', { name: new RegExp(call.number) }).waitFor()
      await officer.getByRole('button', { name: 'En route' }).click()
      clock.advance(4 * MIN)
      await officer.getByRole('button', { name: 'On scene' }).click()
      await officer.getByRole('button', { name: 'On scene' }).waitFor({ state: 'detached' })
      expect(await seriousAxeViolations(officer)).toEqual([])
      await officer.screenshot({ path: join(SHOTS, 'officer-phone.png'), fullPage: true })
      clock.advance(15 * MIN)
      await officer.getByLabel('Disposition').selectOption('report_taken')
      await officer.getByRole('button', { name: 'Clear' }).click()
      await officer.getByRole('button', { name: 'Start problem solving' }).waitFor()

      const detail = (
        await app.inject({ url: `/api/incidents/${call.id}`, headers: auth('supervisor') })
      ).json()
      expect(detail.incident).toMatchObject({ status: 'closed', disposition: 'report_taken' })
      const runs = (
        await app.inject({
          url: `/api/incidents/${call.id}/assignments`,
          headers: auth('supervisor'),
        })
      ).json().assignments
      expect(Date.parse(runs[0].onSceneAt) - Date.parse(runs[0].enRouteAt)).toBe(4 * MIN)
      expect(Date.parse(runs[0].clearedAt) - Date.parse(runs[0].onSceneAt)).toBe(15 * MIN)
      await board.close()
      await officer.close()
    }, 90_000)

    it('a second dispatch to a linked duplicate is refused on the incident page, unless a reason is recorded', async () => {
      const parent = await openCall({
        callType: 'NOISE',
        answers: { source: 'party', fighting: true },
      })
      const child = await openCall({
        callType: 'NOISE',
        answers: { source: 'party', fighting: true },
      })
      const linked = await app.inject({
        method: 'POST',
        url: `/api/incidents/${child.id}/duplicate-of`,
        headers: auth('call_taker'),
        payload: { parentId: parent.id, reason: 'same party, second caller' },
      })
      expect(linked.statusCode).toBe(200)
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, 'dana', /#\/dispatch/)
      await page.goto(`${url}/#/incidents/${child.id}`)
      const form = page.getByRole('form', { name: 'Send a unit' })
      const units = (await app.inject({ url: '/api/units', headers: auth('dispatcher') })).json()
      const unit2 = units.units.find((u: { callSign: string }) => u.callSign === '1A2')
      await form.getByLabel('Unit').selectOption(unit2.id)
      await form.getByRole('button', { name: 'Send unit' }).click()
      const refusal = page.getByRole('alert')
      await expect
        .poll(() => refusal.textContent())
        .toBe(
          `${child.number} is a duplicate of another incident; dispatch that one, or record a dual-dispatch decision with a reason`,
        )
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'dispatch-duplicate-refused.png'), fullPage: true })
      const before = (
        await app.inject({
          url: `/api/incidents/${child.id}/assignments`,
          headers: auth('supervisor'),
        })
      ).json()
      expect(before.assignments).toEqual([])
      await page.getByLabel('Send anyway, because').fill('second caller reports someone hurt')
      await page.getByRole('button', { name: 'Record dual dispatch and send' }).click()
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe('1A2 sent (dual dispatch recorded)')
      await page.close()
    }, 60_000)

    it('an overdue referral escalates on the partner’s screen as the clock passes its due time', async () => {
      const pothole = await openCall({ callType: 'POTHOLE', answers: { size: 'large' } })
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, 'wren', /#\/referrals/)
      const row = page.getByRole('row', { name: new RegExp(pothole.number) })
      await row.waitFor()
      expect(await row.textContent()).not.toMatch(/overdue/)
      expect(await seriousAxeViolations(page)).toEqual([])
      clock.advance(2 * 60 * MIN + MIN)
      // The server's own sweep (every second here) escalates it and tells the page live.
      await expect
        .poll(() => row.textContent(), { timeout: 10_000 })
        .toMatch(/overdue, escalated ×1/)
      await page.screenshot({ path: join(SHOTS, 'referral-escalated.png'), fullPage: true })
      await row.getByRole('button', { name: `Acknowledge ${pothole.number}` }).click()
      await expect.poll(() => row.textContent()).toMatch(/acknowledged/)
      await page.close()
    }, 60_000)

    it('a call-taker books an appointment and a callback from the incident; both show where staff work them', async () => {
      const resource = await app.inject({
        method: 'POST',
        url: '/api/appointments/resources',
        headers: auth('supervisor'),
        payload: {
          name: 'PSA Rivera',
          kind: 'psa',
          district: 'Central',
          location: 'Central District station',
        },
      })
      expect(resource.statusCode, resource.body).toBe(201)
      const day = clock.now() + 24 * 60 * MIN
      const start = day - (day % (30 * MIN))
      const window = await app.inject({
        method: 'POST',
        url: `/api/appointments/resources/${resource.json().id}/availability`,
        headers: auth('supervisor'),
        payload: {
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(start + 120 * MIN).toISOString(),
        },
      })
      expect(window.statusCode, window.body).toBe(201)
      const theft = await openCall({ callType: 'THEFT_FROM_VEHICLE', answers: { loss_value: 300 } })
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, 'dana', /#\/dispatch/)
      await page.goto(`${url}/#/incidents/${theft.id}`)
      const booking = page.getByRole('region', { name: 'Book an appointment' })
      await booking.getByRole('radio').first().check()
      await booking.getByLabel('Purpose').fill('take the theft report in person')
      await booking.getByRole('button', { name: 'Book' }).click()
      await expect
        .poll(() => booking.getByRole('status').textContent())
        .toMatch(/^Booked with PSA Rivera on /)
      const callback = page.getByRole('form', { name: 'Add a callback' })
      await callback
        .getByLabel('Call back by')
        .fill(new Date(start + 180 * MIN).toISOString().slice(0, 16))
      await callback.getByLabel('About').fill('confirm the report number')
      await callback.getByRole('button', { name: 'Add callback' }).click()
      await expect.poll(() => callback.getByRole('status').textContent()).toMatch(/^Callback due /)

      await page.goto(`${url}/#/appointments`)
      const entry = page.getByText('take the theft report in person')
      const calendar = page.getByRole('region', { name: 'Appointments' })
      const weekLoaded = () =>
        expect.poll(() => calendar.getByRole('status').textContent()).toMatch(/this week$/)
      await weekLoaded()
      // Booked for tomorrow on the test's clock, which may be in next week's grid.
      if ((await entry.count()) === 0) {
        await page.getByRole('button', { name: 'Next week' }).click()
        await weekLoaded()
      }
      await entry.waitFor()
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'appointments-week.png'), fullPage: true })
      const ics = await app.inject({
        url: `/api/appointments/calendar.ics?from=${new Date(start - 60 * MIN).toISOString()}&to=${new Date(start + 600 * MIN).toISOString()}`,
        headers: auth('supervisor'),
      })
      expect(ics.body).toContain('SUMMARY:take the theft report in person (PSA Rivera)')

      await page.goto(`${url}/#/callbacks`)
      const row = page.getByRole('row', { name: new RegExp(theft.number) })
      await row.waitFor()
      await page.screenshot({ path: join(SHOTS, 'callbacks.png'), fullPage: true })
      await row.getByRole('button', { name: 'Reached' }).click()
      await row.waitFor({ state: 'detached' })
      await page.close()
    }, 60_000)

    it('a caller answers the survey from the link in their message, once, without signing in', async () => {
      const pothole = await openCall({ callType: 'POTHOLE', answers: { size: 'small' } })
      // The token a closure message would carry; only its hash is stored, as notifyClosure does.
      const token = 'survey-link-token-for-the-browser-test-0001'
      await deps.store.followUp.queue(
        [],
        [
          {
            id: 'survey-e2e',
            tokenHash: hashSecret(token),
            incidentId: pothole.id,
            sentAt: clock.now(),
            answeredAt: null,
            score: null,
            resolved: null,
            comment: null,
          },
        ],
      )
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
      await page.goto(`${url}/#/survey/${token}`)
      await page.getByText(pothole.number).waitFor()
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.getByLabel('Satisfied', { exact: true }).check()
      await page.getByLabel('Yes').check()
      await page.getByLabel('Anything to add? (optional)').fill('Fixed in two days')
      await page.screenshot({ path: join(SHOTS, 'survey.png'), fullPage: true })
      await page.getByRole('button', { name: 'Send' }).click()
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Thank you/)
      const from = new Date(clock.now() - 60_000).toISOString()
      const to = new Date(clock.now() + 60_000).toISOString()
      const results = (
        await app.inject({
          url: `/api/surveys/results?from=${from}&to=${to}`,
          headers: auth('analyst'),
        })
      ).json()
      expect(results).toMatchObject({ answered: 1, meanScore: 4, resolvedShare: 1 })
      // The link cannot be answered twice.
      await page.reload()
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Thank you/)
      expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(0)
      await page.close()
    }, 60_000)

    it('a supervisor adds a unit and loads a roster file from the board; a bad file changes nothing', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, 'sam', /#\/intake/)
      await page.goto(`${url}/#/dispatch`)
      await page.getByText('Roster', { exact: true }).click()
      const form = page.getByRole('form', { name: 'Add a unit' })
      await form.getByLabel('Call sign').fill('9z99')
      await form.getByLabel('District').fill('Southern')
      await form.getByRole('button', { name: 'Add unit' }).click()
      await expect.poll(() => page.getByRole('status').textContent()).toBe('9Z99 is on the roster')
      await page.getByRole('rowheader', { name: '9Z99' }).waitFor()
      const file = page.getByLabel(/Load a roster file/)
      await file.setInputFiles({
        name: 'bad.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('call_sign,type,on_duty\n9Z98,tank,yes\n'),
      })
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toMatch(/line 2\.type: 'tank' is not a unit type/)
      await file.setInputFiles({
        name: 'roster.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('call_sign,type,district,on_duty\n9Z98,civilian,Southern,yes\n'),
      })
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toBe('Roster loaded: 1 added, 0 updated, 0 unchanged')
      await page.close()
    }, 60_000)
  },
)
