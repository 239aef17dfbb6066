import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importCatalogueFile } from '../../src/app/catalogue/import-catalogue.js'
import type { AppDeps } from '../../src/app/deps.js'
import { importCallHistory, readHistoryMapping } from '../../src/app/history/import-call-history.js'
import { calibrateFromRecords, simCatalogue } from '../../src/app/simulation/calibrate.js'
import { localHour } from '../../src/domain/shared/instant.js'
import { simulateCity } from '../../src/sim/model/city.js'
import { compileModel } from '../../src/sim/model/compile.js'
import { loadSanDiegoCalls, SD_CALLS_FILE } from '../support/sandiego.js'
import { openTestDeps } from '../support/test-app.js'

/**
 * Calibration from the San Diego calls for service (28,970 calls, 1-22 January 2023) imported
 * through the CAD importer: the scenario carries the city's weekly volume and its hour-of-week
 * shape, and the report says which parameters came from the records and which are defaults.
 */
describe('calibration from the San Diego calls (sqlite)', () => {
  let deps: AppDeps
  let close: () => Promise<void>
  let imported = 0

  beforeAll(async () => {
    ;({ deps, close } = await openTestDeps('sqlite', {
      log: pino({ level: 'silent' }),
      config: { CITY_TIME_ZONE: 'America/Los_Angeles' },
    }))
    const admin = { id: 'test', roles: ['admin' as const] }
    await importCatalogueFile(deps, admin, 'catalogue/default-catalogue.yaml')
    const r = await importCallHistory(
      deps,
      admin,
      fileURLToPath(SD_CALLS_FILE),
      readHistoryMapping('history/sandiego.yaml'),
    )
    imported = r.imported
  }, 180_000)
  afterAll(async () => close())

  it('gives the weekly volume and the hour-of-week shape of the calls', async () => {
    const c = await calibrateFromRecords(deps)
    expect(c.period).toEqual({ from: '2023-01-01', to: '2023-01-22' })
    expect(c.days).toBe(22)
    expect(c.calls).toBe(imported)
    // 22 days are 22/7 weeks: the scenario's calls a week are the imported calls over them.
    expect(c.perWeek).toBeCloseTo((imported / 22) * 7, -1)
    const s = c.scenario
    if (s.arrivals.kind !== 'poisson') throw new Error('expected Poisson arrivals')
    const streamsTotal = s.arrivals.streams.reduce((a, x) => a + x.perWeek, 0)
    expect(streamsTotal / ((imported / 22) * 7)).toBeGreaterThan(0.999)
    expect(streamsTotal / ((imported / 22) * 7)).toBeLessThan(1.001)

    // The shape, against the calls counted straight from the file by local hour of the week
    // (each hour divided by how often it occurs in the 22 days: four Sundays, three of the rest).
    const byHow = new Array<number>(168).fill(0)
    for (const call of loadSanDiegoCalls()) {
      const d = new Date(call.at - 8 * 3_600_000) // January: Pacific standard time, UTC−8
      const how = ((d.getUTCDay() + 6) % 7) * 24 + localHour(call.at, 'America/Los_Angeles')
      byHow[how] = (byHow[how] as number) + 1
    }
    const expected = byHow.map((n, how) => n / (Math.floor(how / 24) === 6 ? 4 : 3))
    const shape = s.arrivals.hourOfWeek as number[]
    const scale = streamsTotal / shape.reduce((a, b) => a + b, 0)
    const scaled = shape.map((x) => x * scale)
    expect(correlation(scaled, expected)).toBeGreaterThan(0.999)
    // Quiet early mornings, busy afternoons, as the file has them.
    const busiest = expected.indexOf(Math.max(...expected))
    expect(scaled[busiest]).toBeGreaterThan(2 * (scaled[4 + 24 * 2] as number))

    const param = (name: string) => c.parameters.find((p) => p.parameter === name)
    expect(param('calls a week')).toMatchObject({ fitted: true, records: imported })
    expect(param('hour-of-week shape')?.fitted).toBe(true)
    // No telephony or unit records in a CAD export: those are defaults, and say so.
    expect(param('311 handle time, seconds')?.source).toMatch(/^default \(/)
    expect(param('travel time, minutes')?.source).toMatch(/^default \(/)
    expect(param('priority mix (check)')?.value).toMatch(/recorded 1: \d+ %/)
  }, 60_000)

  it('gives a scenario the simulator runs, with about the calls of the data', async () => {
    const c = await calibrateFromRecords(deps, { days: 7, warmUpDays: 1 })
    const r = simulateCity(compileModel(c.scenario, await simCatalogue(deps)), 1)
    const week = (imported / 22) * 7
    expect(r.calls.received).toBeGreaterThan(week * 0.95)
    expect(r.calls.received).toBeLessThan(week * 1.05)
    expect(r.officerTime.patrolSaturation).toBeLessThan(0.6)
  }, 60_000)

  it('refuses a period that runs backwards', async () => {
    await expect(
      calibrateFromRecords(deps, { from: '2023-02-01', to: '2023-01-01' }),
    ).rejects.toThrow(/period/)
  })
})

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length
  const ma = a.reduce((x, y) => x + y, 0) / n
  const mb = b.reduce((x, y) => x + y, 0) / n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma
    const db = (b[i] as number) - mb
    sab += da * db
    saa += da * da
    sbb += db * db
  }
  return sab / Math.sqrt(saa * sbb)
}
