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

const PASSWORD = 'a long call-taker passphrase'
const SHOTS = 'test-results'

/**
 * The call-taker console in Debian's chromium against the real server on a fresh SQLite
 * database with the demo city, driven from the keyboard only.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')(
  'call-taker console (chromium)',
  () => {
    let browser: Browser
    let server: Awaited<ReturnType<typeof startServer>>
    const dir = mkdtempSync(join(tmpdir(), 't311-e2e-'))

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      const url = `sqlite:${join(dir, 'e2e.db')}`
      const deps = await createDeps(testConfig({ DATABASE_URL: url }), pino({ level: 'silent' }))
      await createUser(
        deps,
        { id: 'test', roles: ['admin'], kind: 'system' },
        { username: 'pat', displayName: 'Pat Aide', password: PASSWORD, roles: ['call_taker'] },
      )
      await createUser(
        deps,
        { id: 'test', roles: ['admin'], kind: 'system' },
        { username: 'chief', displayName: 'Chief Admin', password: PASSWORD, roles: ['admin'] },
      )
      await seedRoleTokens(deps.store)
      await deps.store.close()
      server = await startServer({ DATABASE_URL: url })
      browser = await launchChromium()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      if (server) await stopServer(server.child)
      rmSync(dir, { recursive: true, force: true })
    })

    async function signIn(page: Page, username = 'pat') {
      await page.goto(server.url)
      await page.getByRole('form', { name: 'Sign in' }).waitFor()
      await page.getByLabel('User name').focus()
      await page.keyboard.type(username)
      await page.keyboard.press('Tab')
      await page.keyboard.type(PASSWORD)
      await page.keyboard.press('Enter')
      await page.getByRole('form', { name: 'Take a call' }).waitFor()
    }

    it('(a) an anonymous loud-music complaint that ends as information given', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.keyboard.press('Alt+a')
      await expect.poll(() => page.getByLabel('Anonymous (Alt+A)').isChecked()).toBe(true)
      await page.getByRole('combobox', { name: 'Location' }).focus()
      await page.keyboard.type('4300 e lomb')
      await page.getByRole('option', { name: /4300 E LOMBARD ST/ }).waitFor()
      await page.keyboard.press('Enter')
      // The first geocode of the run: a loaded machine can take longer than the usual poll.
      await expect
        .poll(() => page.getByText('4300 BLOCK E LOMBARD ST').count(), { timeout: 20_000 })
        .toBeGreaterThan(0)
      await page.getByRole('combobox', { name: /^Call type/ }).focus()
      await page.keyboard.type('loud music')
      await page.getByRole('option', { name: /Loud music/ }).waitFor()
      await page.keyboard.press('Enter')
      await page.getByLabel('What is making the noise? (required)').focus()
      await page.keyboard.type('music')
      await page
        .getByLabel('Is it coming from a home, a business or the street? (required)')
        .focus()
      await page.keyboard.type('residence')
      await expect.poll(() => page.locator('.triage .mode').textContent()).toMatch(/Dispatch|Refer/)
      // The call-taker tells the caller about quiet hours: information given, with the reason.
      await page.getByText('Override').focus()
      await page.keyboard.press('Enter')
      await page.getByLabel('Response', { exact: true }).focus()
      await page.keyboard.type('Give information')
      await page.getByLabel('Reason (required)').focus()
      await page.keyboard.type('Quiet hours start at 11 pm; caller advised to call back then')
      await page.screenshot({ path: join(SHOTS, 'journey-a-intake.png'), fullPage: true })
      await page.getByRole('button', { name: /^Finish: Give information/ }).focus()
      await page.keyboard.press('Enter')
      const status = page.getByRole('status')
      await expect
        .poll(() => status.textContent())
        .toMatch(/^Incident 311-\d{7} opened: closed: information given\.$/)
      // Back at an empty form, ready for the next call.
      expect(await page.getByRole('combobox', { name: 'Location' }).inputValue()).toBe('')
      await page.screenshot({ path: join(SHOTS, 'journey-a-done.png'), fullPage: true })
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.close()
    }, 60_000)

    it('shows the location on a map of the city; a click on the map sets the location', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      // The streets layer arrives from our own server: no tile server needed.
      const streets = page.waitForResponse((r) => r.url().includes('/api/map/streets'))
      await signIn(page)
      const map = page.getByRole('img', { name: /Map of the location/ })
      await map.locator('canvas').waitFor()
      expect((await streets).status()).toBe(200)
      const box = (await map.boundingBox())!
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
      const location = page.getByRole('combobox', { name: 'Location' })
      await expect.poll(() => location.inputValue()).toMatch(/^\d+ BLOCK /)
      await expect.poll(() => page.getByText(/ BLOCK .* · \w+ district · /).count()).toBe(1)
      await expect.poll(() => page.locator('.maplibregl-marker').count()).toBe(1)
      // Choosing an address from the suggestions moves the pin there.
      await location.fill('')
      await location.focus()
      await page.keyboard.type('4300 e lomb')
      await page.getByRole('option', { name: /4300 E LOMBARD ST/ }).waitFor()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByText(/4300 BLOCK E LOMBARD ST · \w+ district/).count())
        .toBe(1)
      await expect.poll(() => page.locator('.maplibregl-marker').count()).toBe(1)
      await page.screenshot({ path: join(SHOTS, 'intake-map.png'), fullPage: true })
      await page.close()
    }, 60_000)

    it('(c) a caller mentions a gun: the weapon question answered yes makes it a 911 transfer', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      await page.getByLabel('Name', { exact: true }).focus()
      await page.keyboard.type('Bo Witness')
      await page.keyboard.press('Tab')
      await page.keyboard.type('410-555-0199')
      await page.getByRole('combobox', { name: 'Location' }).focus()
      await page.keyboard.type('E Lombard St & S Broadway')
      await page.getByRole('combobox', { name: /^Call type/ }).focus()
      await page.keyboard.type('loud music')
      await page.getByRole('option', { name: /Loud music/ }).waitFor()
      await page.keyboard.press('Enter')
      const weapon = page.getByRole('radiogroup', {
        name: 'Does anyone have a gun, knife or other weapon?',
      })
      await weapon.getByLabel('Yes').focus()
      await page.keyboard.press('Space')
      await expect
        .poll(() => page.locator('.triage .mode').textContent())
        .toMatch(/^Transfer to 911/)
      expect(await page.locator('.triage .why').textContent()).toMatch(/weapon reported/)
      await page.screenshot({ path: join(SHOTS, 'journey-c-weapon.png'), fullPage: true })
      await page.getByRole('button', { name: 'Finish: Transfer to 911' }).focus()
      await page.keyboard.press('Enter')
      const status = page.getByRole('status')
      await expect
        .poll(() => status.textContent())
        .toMatch(/^Incident 311-\d{7} opened: transferred to 911 with its package\.$/)
      await page.close()
    }, 60_000)

    it('(d) a second caller about the same party is linked to the open incident: no new incident', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      const takeNoiseCall = async () => {
        await page.keyboard.press('Alt+a')
        await page.getByRole('combobox', { name: 'Location' }).focus()
        await page.keyboard.type('1500 e baltimore')
        await page.getByRole('option', { name: /1500 E BALTIMORE ST/ }).waitFor()
        await page.keyboard.press('Enter')
        await page.getByRole('combobox', { name: /^Call type/ }).focus()
        await page.keyboard.type('loud music')
        await page.getByRole('option', { name: /Loud music/ }).waitFor()
        await page.keyboard.press('Enter')
      }
      await takeNoiseCall()
      await page.getByLabel('What is making the noise? (required)').focus()
      await page.keyboard.type('party')
      await page
        .getByLabel('Is it coming from a home, a business or the street? (required)')
        .focus()
      await page.keyboard.type('residence')
      await page.getByRole('button', { name: /^Finish:/ }).focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toMatch(/^Incident 311-\d{7} opened/)
      const first = ((await page.getByRole('status').textContent()) ?? '').match(
        /311-\d{7}/,
      )?.[0] as string

      // The next caller, about the same party.
      await takeNoiseCall()
      const link = page.getByRole('button', { name: `Link caller to ${first}` })
      await link.waitFor()
      expect(await page.locator('.dups li').first().textContent()).toMatch(
        /same call type \(NOISE\)/,
      )
      await page.screenshot({ path: join(SHOTS, 'journey-d-duplicate.png'), fullPage: true })
      await link.focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toMatch(new RegExp(`^Caller linked to ${first} .*no new incident, no new dispatch\\.$`))
      await page.close()
    }, 60_000)

    it('(e) a pothole is referred to the transportation department', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      await page.keyboard.press('Alt+a')
      await page.getByRole('combobox', { name: 'Location' }).focus()
      await page.keyboard.type('3000 greenmount')
      await page.getByRole('option', { name: /3000 GREENMOUNT AVE/ }).waitFor()
      await page.keyboard.press('Enter')
      await page.getByRole('combobox', { name: /^Call type/ }).focus()
      await page.keyboard.type('pothole')
      await page.getByRole('option', { name: /^Pothole/ }).waitFor()
      await page.keyboard.press('Enter')
      await page.getByLabel('How big is it? (required)').focus()
      await page.keyboard.type('plate')
      const lane = page.getByRole('radiogroup', {
        name: 'Is it in a lane where cars drive? (required)',
      })
      await lane.getByLabel('Yes').focus()
      await page.keyboard.press('Space')
      await expect.poll(() => page.locator('.triage .mode').textContent()).toMatch(/^Refer to DOT/)
      // The guidance says whom the call goes to.
      await expect
        .poll(() => page.locator('.knowledge').textContent())
        .toMatch(/Refer to Department of Transportation/)
      await page.screenshot({ path: join(SHOTS, 'journey-e-pothole.png'), fullPage: true })
      await page.getByRole('button', { name: 'Finish: Refer' }).focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toMatch(/^Incident 311-\d{7} opened: refer \(priority \d\)\.$/)
      await page.close()
    }, 60_000)

    it('(b) a theft from a car taken as a telephone report, with a report number', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      await page.getByLabel('Name', { exact: true }).focus()
      await page.keyboard.type('Dana Owner')
      await page.keyboard.press('Tab')
      await page.keyboard.type('410-555-0123')
      await page.getByRole('combobox', { name: 'Location' }).focus()
      await page.keyboard.type('2400 n charles')
      await page.getByRole('option', { name: /2400 N CHARLES ST/ }).waitFor()
      await page.keyboard.press('Enter')
      await page.getByRole('combobox', { name: /^Call type/ }).focus()
      await page.keyboard.type('car broken')
      await page.getByRole('option', { name: /Car break-in/ }).waitFor()
      await page.keyboard.press('Enter')
      await page.getByLabel('What was taken or damaged? (required)').focus()
      await page.keyboard.type('laptop bag and a phone charger; rear window smashed')
      await page.getByLabel('Was a part of the car itself taken? (required)').focus()
      await page.keyboard.type('none')
      await page.getByLabel('About how much is the loss and damage, in dollars? (required)').focus()
      await page.keyboard.type('1200')
      // A date-and-time field: its text is entered whole, as a keyboard would in one go.
      await page
        .getByLabel('When did it happen, or when did you find it? (required)')
        .fill('2026-11-22T07:30')
      await expect
        .poll(() => page.locator('.triage .mode').textContent())
        .toMatch(/^Take a telephone report/)
      await page.screenshot({ path: join(SHOTS, 'journey-b-report.png'), fullPage: true })
      await page.getByRole('button', { name: 'Finish: Take a telephone report' }).focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toMatch(/^Incident 311-\d{7} opened: closed: report taken, report number R\d{2}-\d{6}\.$/)
      await page.close()
    }, 60_000)

    it('finds an incident, reads its history, adds a note and closes it', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      await page.getByRole('link', { name: 'Incidents' }).focus()
      await page.keyboard.press('Enter')
      await page.getByRole('form', { name: 'Search incidents' }).waitFor()
      await page.getByLabel('Words').focus()
      await page.keyboard.type('1500 E BALTIMORE')
      await page.keyboard.press('Enter')
      const link = page.getByRole('link', { name: /^311-\d{7}$/ }).first()
      await link.waitFor()
      expect(await seriousAxeViolations(page)).toEqual([])
      await link.focus()
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { name: /^Incident 311-\d{7} · NOISE$/ }).waitFor()
      // Two callers about the same party: one incident, two contacts.
      expect(await page.locator('h2:has-text("Contacts") + ul li').count()).toBe(2)
      await page.getByLabel('Note', { exact: true }).focus()
      await page.keyboard.type('Neighbour called back: music stopped at 11:50 pm')
      await page.getByRole('button', { name: 'Add note' }).focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.locator('.history').textContent())
        .toMatch(/note added: Neighbour called back/)
      await page.getByLabel('Disposition').focus()
      await page.keyboard.type('settled by phone')
      await page.getByRole('button', { name: 'Close' }).focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => page.locator('.incident > p strong').textContent()).toBe('closed')
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'incident-page.png'), fullPage: true })
      await page.close()
    }, 60_000)

    it('pops a ringing call onto the screen: answering fills in the number and the location', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      await page.getByRole('heading', { name: /^Calls waiting/ }).waitFor()
      const announce = await fetch(`${server.url}/api/calls/incoming`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokenFor('call_taker')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          line: '311-4',
          ani: '4105550188',
          ali: { text: '3000 Greenmount Ave', lat: 39.3253, lon: -76.6094 },
        }),
      })
      expect(announce.status).toBe(201)
      const answer = page.getByRole('button', { name: 'Answer 4105550188' })
      await answer.waitFor()
      await page.screenshot({ path: join(SHOTS, 'screen-pop.png'), fullPage: true })
      await answer.focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => page.getByLabel('Phone').inputValue()).toBe('4105550188')
      expect(await page.getByRole('combobox', { name: 'Location' }).inputValue()).toBe(
        '3000 Greenmount Ave',
      )
      await expect
        .poll(() => page.getByRole('heading', { name: /^Calls waiting/ }).textContent())
        .toBe('Calls waiting (0)')
      await page.close()
    }, 60_000)

    it('lets an administrator create an account and issue and revoke an API token; a user changes their password', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, 'chief')
      await page.getByRole('link', { name: 'Administration' }).focus()
      await page.keyboard.press('Enter')
      const form = page.getByRole('form', { name: 'Create a staff account' })
      await form.getByLabel('User name').focus()
      await page.keyboard.type('robin')
      await form.getByLabel('Full name').focus()
      await page.keyboard.type('Robin Dispatcher')
      await form.getByLabel('Password (at least 12 characters)').focus()
      await page.keyboard.type('first long passphrase 1')
      await form.getByLabel('dispatcher').focus()
      await page.keyboard.press('Space')
      await form.getByRole('button', { name: 'Create account' }).focus()
      await page.keyboard.press('Enter')
      await page.getByRole('cell', { name: 'robin (Robin Dispatcher)' }).waitFor()
      await page.getByRole('button', { name: 'Change roles of robin' }).focus()
      await page.keyboard.press('Enter')
      const roles = page.getByRole('form', { name: 'Roles of robin' })
      await roles.getByLabel('supervisor').focus()
      await page.keyboard.press('Space')
      await roles.getByRole('button', { name: 'Save roles' }).focus()
      await page.keyboard.press('Enter')
      await page.getByRole('cell', { name: 'supervisor, dispatcher' }).waitFor()
      const tokenForm = page.getByRole('form', { name: 'Issue an API token' })
      await tokenForm.getByLabel('Token name').focus()
      await page.keyboard.type('telephony screen pop')
      await tokenForm.getByLabel('call taker').focus()
      await page.keyboard.press('Space')
      await tokenForm.getByRole('button', { name: 'Issue token' }).focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByRole('status').textContent())
        .toMatch(/^New token, shown once: t_/)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'admin.png'), fullPage: true })
      await page.getByRole('button', { name: 'Revoke telephony screen pop' }).focus()
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByText(/telephony screen pop · call_taker · revoked/).count())
        .toBe(1)
      await page.close()

      const robin = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await robin.goto(server.url)
      await robin.getByLabel('User name').fill('robin')
      await robin.getByLabel('Password').fill('first long passphrase 1')
      await robin.keyboard.press('Enter')
      await robin.getByRole('link', { name: 'Account' }).focus()
      await robin.keyboard.press('Enter')
      await robin.getByLabel('Current password').focus()
      await robin.keyboard.type('first long passphrase 1')
      await robin.getByLabel('New password (at least 12 characters)').focus()
      await robin.keyboard.type('second long passphrase 2')
      await robin.getByLabel('New password again').focus()
      await robin.keyboard.type('second long passphrase 2')
      await robin.keyboard.press('Enter')
      await robin.getByRole('form', { name: 'Sign in' }).waitFor()
      await robin.close()
    }, 60_000)

    it('shows a sign-in page with no serious accessibility problem, and says a wrong password plainly', async () => {
      const page = await browser.newPage()
      await page.goto(server.url)
      await page.getByRole('form', { name: 'Sign in' }).waitFor()
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.keyboard.type('pat')
      await page.keyboard.press('Tab')
      await page.keyboard.type('not the password at all')
      await page.keyboard.press('Enter')
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe('wrong user name or password')
      await page.close()
    }, 60_000)

    it('reviews a call transferred from 911: it waits in the queue until a PSA accepts its response', async () => {
      const sent = await fetch(`${server.url}/api/incidents`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokenFor('call_taker')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          callType: 'NOISE',
          contact: { channel: 'transfer_911', caller: { anonymous: true } },
          location: { text: '2400 N Charles St' },
          answers: { source: 'music', place_kind: 'residence' },
          narrative: 'Transferred by 911: no emergency, neighbour playing music',
        }),
      })
      expect(sent.status).toBe(201)
      const number = ((await sent.json()) as { number: string }).number
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page)
      await page.getByRole('link', { name: 'Review queue' }).focus()
      await page.keyboard.press('Enter')
      const link = page.getByRole('link', { name: number })
      await link.waitFor()
      await link.focus()
      await page.keyboard.press('Enter')
      await page.getByRole('button', { name: 'Accept the recommended response' }).focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => page.locator('.incident > p strong').textContent()).toBe('pending')
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.close()
    }, 60_000)
  },
)
