import { describe, expect, it } from 'vitest'
import { loadDefaultCatalogue } from '../../../test/support/sandiego.js'
import { compileModel } from '../../sim/model/compile.js'
import { demoCityScenario } from '../../sim/model/demo-city.js'
import { simulateReplications } from '../../sim/replications.js'
import { runReplications } from './run-replications.js'

describe('replications on worker threads', () => {
  it('give the same reports as on one thread, whatever the number of threads', async () => {
    const catalogue = loadDefaultCatalogue()
    const scenario = demoCityScenario(catalogue, { callsPerYear: 50_000, days: 14, warmUpDays: 2 })
    const progress: number[] = []
    const run = await runReplications({
      scenario,
      catalogue,
      seed: 311,
      replications: 3,
      threads: 2,
      onReplication: (_, finished) => progress.push(finished),
    })
    const local = simulateReplications(compileModel(scenario, catalogue), {
      seed: 311,
      replications: 3,
    })
    expect(run.threads).toBe(2)
    expect(run.reports).toEqual(local.reports)
    expect(run.summary).toEqual(local.summary)
    expect(progress).toEqual([1, 2, 3])
    expect(run.reports[0]?.calls.received).toBeGreaterThan(1000)
  }, 120_000)

  it('refuses a bad scenario before starting any thread', async () => {
    const catalogue = loadDefaultCatalogue()
    const scenario = { ...demoCityScenario(catalogue, { callsPerYear: 1000 }), days: -1 }
    await expect(
      runReplications({ scenario, catalogue, seed: 1, replications: 2 }),
    ).rejects.toThrow(/days/)
  })
})
