import { describe, expect, it } from 'vitest'
import { loadDefaultCatalogue } from '../../../test/support/sandiego.js'
import { demoCityScenario } from '../../sim/model/demo-city.js'
import { PRESET_KEYS, PRESETS, presetScenario } from '../../sim/policies.js'
import { type Comparison, compareScenarios, comparisonTable } from './compare-scenarios.js'

/**
 * The Baltimore evaluation's finding (research note analytics-or-anchors.md §5), reproduced on a
 * small demo city with common random numbers: a 311 line run as Baltimore first ran it takes
 * calls off 911 but does not make priority-1 response any better than no 311; differential
 * response is what frees patrol time.
 */
describe('scenarios compared side by side', () => {
  it('reproduce the Baltimore finding, and show the time differential response frees', async () => {
    const catalogue = loadDefaultCatalogue()
    const base = demoCityScenario(catalogue, { callsPerYear: 60_000, days: 21, warmUpDays: 3 })
    const progress: number[] = []
    const c = await compareScenarios({
      catalogue,
      seed: 311,
      replications: 4,
      scenarios: PRESET_KEYS.map((k) => ({
        name: PRESETS[k].name,
        description: PRESETS[k].description,
        scenario: presetScenario(base, catalogue, k),
      })),
      onProgress: (done, total) => {
        expect(total).toBe(24)
        progress.push(done)
      },
    })
    expect(progress.at(-1)).toBe(24)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))

    const v = (key: string, scenario: string) => {
      const i = c.scenarios.findIndex((s) => s.name === PRESETS[scenario as 'no_311'].name)
      const m = c.measures.find((x) => x.key === key)
      if (!m || i < 0) throw new Error(`no ${key} for ${scenario}`)
      return m.values[i] as Comparison['measures'][number]['values'][number]
    }
    // 911 calls down with the 311 line…
    expect(v('calls911', 'baltimore_311').high).toBeLessThan(v('calls911', 'no_311').low)
    // …but priority-1 response no better: the intervals overlap, or Baltimore's is worse.
    const noLine = v('p1Response', 'no_311')
    const baltimore = v('p1Response', 'baltimore_311')
    expect(baltimore.high >= noLine.low).toBe(true)
    // Double dispatch: duplicates nobody linked send a second unit.
    expect(v('doubleDispatches', 'baltimore_311').low).toBeGreaterThan(
      v('doubleDispatches', 'differential_response').high,
    )
    // Differential response frees patrol time: fewer dispatches, more free and POP hours.
    expect(v('dispatches', 'differential_response').high).toBeLessThan(
      v('dispatches', 'baltimore_311').low,
    )
    expect(v('freeHours', 'differential_response').low).toBeGreaterThan(
      v('freeHours', 'baltimore_311').high,
    )
    expect(v('problemSolvingHours', 'differential_response').low).toBeGreaterThan(
      v('problemSolvingHours', 'baltimore_311').high,
    )
    expect(v('saturation', 'baltimore_311').mean).toBeGreaterThan(
      v('saturation', 'differential_response').mean,
    )
    // Split force puts officers on problems; fewer call-takers answer 911 more slowly.
    expect(v('problemSolvingHours', 'split_force').low).toBeGreaterThan(
      v('problemSolvingHours', 'differential_response').high,
    )
    expect(v('answer911', 'fewer_call_takers').mean).toBeGreaterThan(
      v('answer911', 'differential_response').mean,
    )

    const table = comparisonTable(c)
    const lines = table.split('\n')
    expect(lines[0]).toMatch(/^Measure\s+No 311\s+311 as Baltimore ran it/)
    expect(lines.find((l) => l.startsWith('Patrol saturation'))).toMatch(/guideline ≤ 60/)
    // Aligned: every row of the table is as wide as the rule under the header.
    const width = (lines[1] as string).length
    for (const l of lines.slice(2, 2 + c.measures.length)) expect(l.length).toBe(width)
  }, 180_000)
})
