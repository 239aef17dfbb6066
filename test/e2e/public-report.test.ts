import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, launchChromium } from '../support/browser.js'
import { auth, openTestApp } from '../support/test-app.js'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const SHOTS = 'test-results'
const PHONE = { width: 390, height: 844 }
/** A report already on the map (the harbour), so the map has something to frame. */
const HARBOR = { text: '400 E PRATT ST', lat: 39.2866, lon: -76.6106 }

/** A real 1×1 PNG: signature, IHDR, one IDAT row, IEND, each chunk with its CRC. */
function onePixelPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] as number) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc(body), body.length + 4)
    return out
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0) // width
  ihdr.writeUInt32BE(1, 4) // height
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0xd9, 0x48, 0x2c]))), // filter 0, one orange pixel
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * The public reporting page on a phone (390×844) in Debian's chromium, against the app in this
 * process: no sign-in, the staff console's code never loaded, WCAG checks on every screen.
 */
describe.skipIf(!chromiumAvailable() && process.env.CI !== 'true')(
  'public reporting page (chromium, phone)',
  () => {
    let browser: Browser
    let app: FastifyInstance
    let close: () => Promise<void>
    let url: string
    let reported = ''

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      ;({ app, close } = await openTestApp('sqlite'))
      const seeded = await app.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: auth('call_taker'),
        payload: {
          callType: 'NOISE',
          contact: { channel: 'phone_311', caller: { anonymous: true } },
          location: HARBOR,
          answers: { source: 'construction' },
        },
      })
      expect(seeded.statusCode).toBe(201)
      url = await app.listen({ host: '127.0.0.1', port: 0 })
      browser = await launchChromium()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      await close?.()
    })

    /** A phone-sized page that records every script it loads. */
    async function phone(path = '/report') {
      const page = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
      const scripts: string[] = []
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname)
      })
      await page.goto(`${url}${path}`)
      return { page, scripts }
    }

    async function seriousAxeViolations(page: Page) {
      await page.addScriptTag({ content: AXE })
      return page.evaluate(async () => {
        const r = await (
          window as unknown as {
            axe: {
              run: () => Promise<{
                violations: Array<{ id: string; impact: string | null; nodes: unknown[] }>
              }>
            }
          }
        ).axe.run()
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.nodes.length})`)
      })
    }

    /** Nothing wider than the phone: no sideways scrolling. */
    const scrollsSideways = (page: Page) =>
      page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)

    const webIncidents = async () => {
      const res = await app.inject({
        url: '/api/incidents?channel=web',
        headers: auth('call_taker'),
      })
      expect(res.statusCode).toBe(200)
      return (
        res.json() as {
          incidents: Array<{ id: string; number: string; channel: string; status: string }>
        }
      ).incidents
    }

    it('is served at /report and /report/ without the staff console', async () => {
      for (const path of ['/report', '/report/']) {
        const res = await app.inject({ url: path })
        expect(res.statusCode).toBe(200)
        expect(res.headers['content-type']).toMatch(/text\/html/)
        expect(res.body).toContain('<html lang="en">')
        expect(res.body).toMatch(/<title>[^<]+<\/title>/)
        expect(res.body).not.toMatch(/assets\/index-/)
      }
      // The console is still the page everywhere else.
      expect((await app.inject({ url: '/' })).body).toMatch(/assets\/index-/)
    })

    it('(a) a resident reports a pothole with a photo and asks to hear back', async () => {
      const { page, scripts } = await phone()
      await page.getByRole('heading', { level: 1, name: 'Report a problem' }).waitFor()
      expect(await page.title()).toMatch(/Report a problem/)
      // The 911 notice comes first, before any question.
      const notice = page.getByRole('note').first()
      expect(await notice.textContent()).toMatch(/call 911/)
      await page.getByLabel('What is the problem?').selectOption({ label: 'Pothole' })
      await page.getByRole('group', { name: 'How big is it?' }).waitFor()
      expect(await notice.textContent()).toMatch(/do not use this form: call 911/)
      const noticeBox = (await notice.boundingBox())!
      const categoryBox = (await page.getByLabel('What is the problem?').boundingBox())!
      expect(noticeBox.y).toBeLessThan(categoryBox.y)
      expect(await seriousAxeViolations(page)).toEqual([])

      await page.getByRole('radio', { name: 'large' }).check()
      await page.getByLabel('Address or nearest intersection').fill('1200 N Charles St')
      await page.getByLabel(/^Describe the problem/).fill('A deep pothole in the right lane.')
      await page.getByLabel('Photo (optional)').setInputFiles({
        name: 'pothole.png',
        mimeType: 'image/png',
        buffer: onePixelPng(),
      })
      await page.getByRole('img', { name: 'Preview of pothole.png' }).waitFor()
      await page.getByLabel('Name').fill('Ana Resident')
      await page.getByLabel('Email').fill('ana@example.com')
      await page.getByLabel('Tell me when this is resolved').check()
      // The map shows the request already reported; the city's staff street map is not asked for.
      await page
        .getByRole('img', { name: /^Map of reported problems/ })
        .locator('canvas')
        .waitFor()
      expect(await scrollsSideways(page)).toBe(false)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'public-report-form.png'), fullPage: true })

      await page.getByRole('button', { name: 'Send report' }).click()
      // Either outcome ends the wait; a refusal fails here with the page's own words.
      await page.locator('#done-title, .pub-errors').first().waitFor()
      expect(await page.locator('.pub-errors').allTextContents()).toEqual([])
      await page.getByRole('heading', { name: /your report was sent/ }).waitFor()
      reported = (await page.locator('.pub-id').textContent()) ?? ''
      expect(reported).toMatch(/^311-\d{7}$/)
      expect(await page.getByText(/A 311 agent reviews new requests/).count()).toBe(1)
      expect(
        await page.getByRole('link', { name: `Check the status of ${reported}` }).count(),
      ).toBe(1)
      expect(await scrollsSideways(page)).toBe(false)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'public-report-sent.png'), fullPage: true })

      // Only the public page's own code, never the console's, and no staff geography.
      expect(scripts.some((s) => /\/assets\/report-/.test(s))).toBe(true)
      expect(scripts.filter((s) => /\/assets\/index-/.test(s))).toEqual([])

      // Staff see it: a new web request in the review queue, with the photo kept for them.
      const incident = (await webIncidents()).find((i) => i.number === reported)
      expect(incident).toMatchObject({ channel: 'web', status: 'new' })
      const media = await app.inject({
        url: `/api/incidents/${incident?.id}/media`,
        headers: auth('call_taker'),
      })
      expect(media.statusCode).toBe(200)
      const list = (media.json() as { media: Array<{ contentType: string }> }).media
      expect(list.map((m) => m.contentType)).toEqual(['image/png'])
      await page.close()
    }, 60_000)

    it('(b) the resident looks up the request by its number and sees it open', async () => {
      expect(reported).not.toBe('')
      const { page } = await phone('/report#/lookup')
      await page.getByRole('heading', { level: 1, name: 'Look up a request' }).waitFor()
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.getByLabel('Request number').fill(reported)
      await page.getByRole('button', { name: 'Look up' }).click()
      const result = page.getByRole('heading', { level: 2, name: new RegExp(reported) })
      await result.waitFor()
      expect(await result.textContent()).toMatch(/open/i)
      // The result takes focus, and the address bar names the request (to reload or share).
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('request-title')
      expect(new URL(page.url()).hash).toBe(`#/lookup/${reported}`)
      expect(await page.getByText('Open: being worked on').count()).toBe(1)
      expect(await page.getByText('Pothole', { exact: true }).count()).toBe(1)
      expect(await page.getByText('1200 N Charles St').count()).toBe(1)
      expect(await page.getByText('Request received').count()).toBe(1)
      expect(await scrollsSideways(page)).toBe(false)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'public-lookup.png'), fullPage: true })

      // An unknown number is said plainly, next to the field.
      await page.getByLabel('Request number').fill('311-9999999')
      await page.getByRole('button', { name: 'Look up' }).click()
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toMatch(/No public request has the number 311-9999999/)
      expect(await page.getByLabel('Request number').getAttribute('aria-invalid')).toBe('true')
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.close()
    }, 60_000)

    it('(c) a robot that fills the hidden field is refused, and nothing is created', async () => {
      const before = (await webIncidents()).length
      const { page } = await phone('/report#/new')
      await page.getByLabel('What is the problem?').selectOption({ label: 'Pothole' })
      await page.getByRole('group', { name: 'How big is it?' }).waitFor()
      await page.getByLabel('Address or nearest intersection').fill('10 Light St')
      await page.getByLabel(/^Describe the problem/).fill('Hole')
      // People never reach it: hidden, out of the tab order, not autofilled.
      const trap = page.locator('input[name="website"]')
      expect(await trap.getAttribute('tabindex')).toBe('-1')
      expect(await trap.getAttribute('autocomplete')).toBe('off')
      expect(await trap.getAttribute('aria-hidden')).toBe('true')
      const trapBox = (await trap.boundingBox())!
      expect(trapBox.x + trapBox.width).toBeLessThanOrEqual(0)
      await page.evaluate(() => {
        const input = document.querySelector<HTMLInputElement>('input[name="website"]')
        if (input) input.value = 'http://spam.example'
      })
      await page.getByRole('button', { name: 'Send report' }).click()
      const alert = page.locator('.pub-errors[role="alert"]')
      await expect.poll(() => alert.textContent()).toMatch(/hidden field was filled in/)
      // What the resident typed is kept.
      expect(await page.getByLabel('Address or nearest intersection').inputValue()).toBe(
        '10 Light St',
      )
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'public-honeypot.png'), fullPage: true })
      expect((await webIncidents()).length).toBe(before)
      await page.close()
    }, 60_000)

    it('(d) a photo over 2 MB is refused in the page, before anything is sent', async () => {
      const { page } = await phone('/report#/new')
      const posts: string[] = []
      page.on('request', (r) => {
        if (r.method() === 'POST') posts.push(r.url())
      })
      await page.getByLabel('What is the problem?').selectOption({ label: 'Pothole' })
      const big = Buffer.concat([onePixelPng(), Buffer.alloc(2 * 1024 * 1024 + 1)])
      await page.getByLabel('Photo (optional)').setInputFiles({
        name: 'huge.png',
        mimeType: 'image/png',
        buffer: big,
      })
      const photo = page.getByLabel('Photo (optional)')
      await expect.poll(() => photo.getAttribute('aria-invalid')).toBe('true')
      const message = page.getByText(/photos can be up to 2 MB/)
      expect(await message.textContent()).toMatch(/This photo is 2\.0 MB/)
      // The message is tied to the input, and no photo is kept.
      const describedBy = (await photo.getAttribute('aria-describedby')) ?? ''
      expect(describedBy).toContain(await message.getAttribute('id'))
      expect(await photo.evaluate((i: HTMLInputElement) => i.files?.length ?? 0)).toBe(0)
      expect(await page.getByRole('img', { name: /Preview of/ }).count()).toBe(0)
      // Sending anyway lists it among the fixes, and sends nothing.
      await page.getByLabel('Address or nearest intersection').fill('10 Light St')
      await page.getByRole('button', { name: 'Send report' }).click()
      await expect
        .poll(() => page.locator('.pub-errors[role="alert"]').textContent())
        .toMatch(/up to 2 MB/)
      expect(posts).toEqual([])
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'public-photo-too-big.png'), fullPage: true })
      await page.close()
    }, 60_000)

    it('(e) recent requests list the pothole, with the points on a map', async () => {
      expect(reported).not.toBe('')
      const { page } = await phone('/report#/recent')
      await page.getByRole('heading', { level: 1, name: 'Recent requests' }).waitFor()
      // Opening the page leaves focus at its start; only moving between screens moves it.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY')
      const list = page.getByRole('list', { name: 'Recent requests' })
      await list.waitFor()
      const pothole = list.getByRole('listitem').filter({ hasText: reported })
      expect(await pothole.count()).toBe(1)
      expect(await pothole.textContent()).toMatch(/Pothole.*Open.*1200 N Charles St/)
      // The seeded noise report has a point (rounded to the block); the pothole has none.
      await page
        .getByRole('img', { name: /^Map of 1 recent request/ })
        .locator('canvas')
        .waitFor()
      expect(await scrollsSideways(page)).toBe(false)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'public-recent.png'), fullPage: true })
      // A request in the list opens its page.
      await pothole.getByRole('link', { name: 'Pothole' }).click()
      await page.getByRole('heading', { level: 1, name: 'Look up a request' }).waitFor()
      await page.getByRole('heading', { level: 2, name: new RegExp(reported) }).waitFor()
      await page.close()
    }, 60_000)

    it('a tap on the map marks the place; missing answers are listed and tied to their fields', async () => {
      const { page } = await phone('/report#/new')
      await page.getByLabel('What is the problem?').selectOption({ label: 'Loud music or noise' })
      await page.getByRole('group', { name: /What is making the noise\?/ }).waitFor()
      await page.getByRole('button', { name: 'Send report' }).click()
      const alert = page.locator('.pub-errors[role="alert"]')
      await expect.poll(() => alert.textContent()).toMatch(/What is making the noise\?/)
      expect(await alert.textContent()).toMatch(/Type the address, or choose the place/)
      // The summary takes focus; its links lead to the fields.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.className))
        .toBe('pub-errors')
      expect(
        await page.getByLabel('Address or nearest intersection').getAttribute('aria-invalid'),
      ).toBe('true')
      await alert.getByRole('link', { name: /Type the address/ }).click()
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('address')
      await alert.getByRole('link', { name: /What is making the noise/ }).click()
      expect(
        await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value),
      ).toBe('music')
      expect(
        await page
          .getByRole('group', { name: /What is making the noise\?/ })
          .getAttribute('aria-describedby'),
      ).toMatch(/q-source-error/)

      const map = page.getByRole('img', { name: /^Map of reported problems/ })
      await map.locator('canvas').waitFor()
      await map.scrollIntoViewIfNeeded()
      const box = (await map.boundingBox())!
      await page.mouse.click(box.x + box.width / 3, box.y + box.height / 3)
      await expect.poll(() => page.getByText(/^Place marked at 39\.\d+, -76\.\d+/).count()).toBe(1)
      await expect.poll(() => page.locator('.maplibregl-marker').count()).toBe(1)
      expect(await scrollsSideways(page)).toBe(false)
      expect(await seriousAxeViolations(page)).toEqual([])
      await page.screenshot({ path: join(SHOTS, 'public-missing-answers.png'), fullPage: true })
      await page.close()
    }, 60_000)
  },
)
