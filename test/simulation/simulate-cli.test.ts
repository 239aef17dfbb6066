import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { demoCityScenario } from '../../src/sim/model/demo-city.js'
import { loadDefaultCatalogue } from '../support/sandiego.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'triage311-simulate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/triage311.js', 'simulate', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' },
    timeout: 120_000,
  })
}

/** `triage311 simulate`: the comparison table from a scenario file, and a bad file's problems. */
describe('triage311 simulate', () => {
  it('prints an aligned comparison table, with progress', () => {
    const file = join(dir, 'small.json')
    const s = demoCityScenario(loadDefaultCatalogue(), {
      name: 'small city',
      callsPerYear: 20_000,
      days: 7,
      warmUpDays: 1,
    })
    writeFileSync(file, JSON.stringify(s))
    const r = cli(file, '--replications', '2', '--seed', '3')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/simulating small city: 2 \/ 2 replications \(100%\)/)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toMatch(/^Measure\s+small city$/)
    expect(lines[1]).toMatch(/^-+\s+-+$/)
    const p1 = lines.find((l) => l.startsWith('Priority 1 response time (min)'))
    expect(p1).toMatch(/\d+\.\d+ ± \d/)
    expect(r.stdout).toMatch(/2 replications of 7 days each, seed 3/)
  }, 120_000)

  it('lists every mistake in a bad scenario file, without a stack trace', () => {
    const file = join(dir, 'bad.json')
    const s = JSON.parse(readFileSync(join(ROOT, 'scenarios/demo-city.json'), 'utf8'))
    s.days = -3
    s.lines['911'].agentsByHourOfWeek = [1, 2, 3]
    s.patrol.shifts[0].force = 'cavalry'
    writeFileSync(file, JSON.stringify(s))
    const r = cli(file)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/Nothing simulated; fix these first:/)
    expect(r.stderr).toMatch(/ {2}days: /)
    expect(r.stderr).toMatch(/ {2}lines\.911\.agentsByHourOfWeek: needs 168/)
    expect(r.stderr).toMatch(/ {2}patrol\.shifts\.0\.force: /)
    expect(r.stderr).not.toMatch(/\n\s+at /)

    writeFileSync(file, '{ "name": ')
    const notJson = cli(file)
    expect(notJson.status).toBe(1)
    expect(notJson.stderr).toMatch(/not JSON/)
    const unknownType = { ...s, days: 7 }
    unknownType.lines['911'].agentsByHourOfWeek = new Array(168).fill(2)
    unknownType.patrol.shifts[0].force = 'call_response'
    unknownType.arrivals.streams[0].callType = 'NO_SUCH_TYPE'
    writeFileSync(file, JSON.stringify(unknownType))
    const r2 = cli(file)
    expect(r2.status).toBe(1)
    expect(r2.stderr).toMatch(
      /arrivals\.streams\.0\.callType: 'NO_SUCH_TYPE' is not in the catalogue/,
    )
    const none = cli(join(dir, 'missing.json'))
    expect(none.status).toBe(1)
    expect(none.stderr).toMatch(/no file/)
  }, 120_000)
})
