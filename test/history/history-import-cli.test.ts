import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { SD_CALLS_FILE } from '../support/sandiego.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'triage311-history-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * `triage311 history import` as an operator runs it (through tsx): the export is read on its
 * own thread (a worker that could not load the TypeScript would fall back silently, slower),
 * and the summary is printed. The file: the first 3,000 calls of the real San Diego export.
 */
describe('triage311 history import', () => {
  it('reads the export on the reader thread and prints the summary', () => {
    const file = join(dir, 'head.csv')
    writeFileSync(file, readFileSync(SD_CALLS_FILE, 'utf8').split('\n').slice(0, 3001).join('\n'))
    const r = spawnSync(
      process.execPath,
      ['bin/triage311.js', 'history', 'import', file, '--mapping', 'history/sandiego.yaml'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'warn' },
        timeout: 120_000,
      },
    )
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^sandiego: 3,000 rows in [\d.]+ s: [\d,]+ imported, 0 already there/m)
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/reader thread did not start/)
  }, 120_000)
})
