import { describe, expect, it } from 'vitest'
import { seededRandom } from '../domain/shared/seeded-random.js'
import { AliasTable, Sampler, SeededRandom, streamSeed } from './random.js'

const moments = (draw: () => number, n: number) => {
  let s = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const x = draw()
    s += x
    s2 += x * x
  }
  const mean = s / n
  return { mean, sd: Math.sqrt(s2 / n - mean * mean) }
}

describe('seeded random numbers', () => {
  it('the object and the closure give the one mulberry32 sequence', () => {
    const a = seededRandom(12345)
    const b = new SeededRandom(12345)
    for (let i = 0; i < 10_000; i++) expect(b.next()).toBe(a())
    // Fixed values: the sequence must never change under anyone's feet.
    const c = seededRandom(12345)
    expect([c(), c(), c()]).toEqual([0.9797282677609473, 0.3067522644996643, 0.484205421525985])
  })

  it('gives unrelated seeds to neighbouring replications and streams', () => {
    const seeds = new Set<number>()
    for (let r = 0; r < 100; r++) for (let s = 0; s < 5; s++) seeds.add(streamSeed(42, r, s))
    expect(seeds.size).toBe(500)
  })

  it.each([
    [{ kind: 'exponential', mean: 3 } as const, 3, 3],
    [{ kind: 'lognormal', mean: 35, sd: 25 } as const, 35, 25],
    [{ kind: 'gamma', mean: 10, sd: 4 } as const, 10, 4],
    [{ kind: 'gamma', mean: 2, sd: 3 } as const, 2, 3],
    [{ kind: 'uniform', min: 2, max: 4 } as const, 3, 2 / Math.sqrt(12)],
    [{ kind: 'fixed', value: 7 } as const, 7, 0],
  ])('samples %o with its mean and sd', (d, mean, sd) => {
    const s = new Sampler(d, new SeededRandom(7))
    const m = moments(() => s.sample(), 400_000)
    expect(Math.abs(m.mean - mean) / mean).toBeLessThan(0.01)
    if (sd > 0) expect(Math.abs(m.sd - sd) / sd).toBeLessThan(0.03)
    else expect(m.sd).toBeLessThan(1e-6)
  })

  it('scales minutes to seconds and resamples observed values', () => {
    const s = new Sampler({ kind: 'empirical', values: [1, 2, 3] }, new SeededRandom(3), 60)
    const seen = new Set<number>()
    for (let i = 0; i < 100; i++) seen.add(s.sample())
    expect([...seen].sort((a, b) => a - b)).toEqual([60, 120, 180])
  })

  it('picks by weight with an alias table', () => {
    const t = new AliasTable([1, 0, 3, 6])
    const r = new SeededRandom(9)
    const counts = [0, 0, 0, 0]
    const n = 200_000
    for (let i = 0; i < n; i++) {
      const k = t.pick(r.next())
      counts[k] = (counts[k] as number) + 1
    }
    expect(counts[1]).toBe(0)
    expect(Math.abs((counts[0] as number) / n - 0.1)).toBeLessThan(0.005)
    expect(Math.abs((counts[2] as number) / n - 0.3)).toBeLessThan(0.005)
    expect(Math.abs((counts[3] as number) / n - 0.6)).toBeLessThan(0.005)
  })
})
