/**
 * Console benchmark (issue #5): time from navigation to an interactive intake form (signed
 * in), the keystrokes and seconds of a scripted call (journey (a): anonymous loud music, given
 * information), and the gzipped JavaScript of the intake screen.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import pino from 'pino'
import { createUser } from '../src/app/accounts/manage-accounts.js'
import { createDeps } from '../src/app/create-deps.js'
import { testConfig } from '../src/config/config.js'
import { buildConsole, launchChromium } from '../test/support/browser.js'
import { startServer } from '../test/support/server-process.js'
import { percentile, round } from './_support.js'

const PASSWORD = 'a long call-taker passphrase'

export async function run({ quick }: { quick: boolean }) {
  buildConsole()
  const assets = join('dist', 'web', 'assets')
  const jsGzipKb =
    readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0) / 1024
  const dir = mkdtempSync(join(tmpdir(), 't311-console-'))
  const url = `sqlite:${join(dir, 'c.db')}`
  const deps = await createDeps(testConfig({ DATABASE_URL: url }), pino({ level: 'silent' }))
  await createUser(
    deps,
    { id: 'bench', roles: ['admin'], kind: 'system' },
    { username: 'pat', displayName: 'Pat', password: PASSWORD, roles: ['call_taker'] },
  )
  await deps.store.close()
  const server = await startServer({ DATABASE_URL: url, LOG_LEVEL: 'warn' })
  const browser = await launchChromium()
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByLabel('User name').fill('pat')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.keyboard.press('Enter')
    await page.getByRole('form', { name: 'Take a call' }).waitFor()
    // Signed in: now time fresh navigations to a usable intake form.
    const loads: number[] = []
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const t0 = performance.now()
      await page.goto(server.url)
      await page.getByRole('combobox', { name: /^Call type/ }).waitFor()
      await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT')
      loads.push(performance.now() - t0)
    }
    loads.sort((a, b) => a - b)

    // Journey (a), scripted: count the keys a call-taker presses.
    let keys = 0
    const type = async (text: string) => {
      keys += text.length
      await page.keyboard.type(text)
    }
    const press = async (k: string) => {
      keys += 1
      await page.keyboard.press(k)
    }
    const t0 = performance.now()
    await press('Alt+a')
    await page.getByRole('combobox', { name: 'Location' }).focus()
    await type('4300 e lomb')
    await page.getByRole('option', { name: /4300 E LOMBARD ST/ }).waitFor()
    await press('Enter')
    await page.getByRole('combobox', { name: /^Call type/ }).focus()
    await type('loud music')
    await page.getByRole('option', { name: /Loud music/ }).waitFor()
    await press('Enter')
    await page.getByLabel('What is making the noise? (required)').focus()
    await type('music')
    await page.getByLabel('Is it coming from a home, a business or the street? (required)').focus()
    await type('residence')
    await page.getByText('Override').focus()
    await press('Enter')
    await page.getByLabel('Response', { exact: true }).focus()
    await type('Give information')
    await page.getByLabel('Reason (required)').focus()
    await type('Quiet hours start at 11 pm')
    await page.getByRole('button', { name: /^Finish/ }).focus()
    await press('Enter')
    await page.waitForFunction(() =>
      /opened/.test(document.querySelector('[role=status]')?.textContent ?? ''),
    )
    const journeySeconds = (performance.now() - t0) / 1000
    const out = {
      intakeInteractiveMs: {
        p50: round(percentile(loads, 50), 1),
        p95: round(percentile(loads, 95), 1),
      },
      journeyA: {
        keystrokes: keys,
        seconds: round(journeySeconds, 2),
        note: 'journey (b), the telephone report, waits for report numbers',
      },
      jsGzipKb: round(jsGzipKb, 1),
      targets: { intakeInteractiveMs: 'a call-taker never waits: < 1000', jsGzipKb: 'small' },
    }
    console.log(
      `intake form interactive: p50 ${out.intakeInteractiveMs.p50} ms; journey (a): ${keys} keys, ${out.journeyA.seconds} s scripted; JS ${out.jsGzipKb} KB gzipped`,
    )
    return out
  } finally {
    await browser.close()
    server.child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
}
