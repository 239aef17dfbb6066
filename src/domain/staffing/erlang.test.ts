import { describe, expect, it } from 'vitest'
import { erlangA, erlangB, erlangC, halfinWhittWaitProbability } from './erlang.js'
import { priorityQueueWaits } from './priority-queue.js'
import { agentsNeeded, staffingPlan, withShrinkage } from './staffing-plan.js'

// T7: 100 calls in 30 minutes, AHT 180 s, target 20 s (research note §2.1).
const T7 = { callsPerHour: 200, handleSeconds: 180, targetSeconds: 20 }

describe('Erlang C (T7)', () => {
  it('gives the worked example at N = 14', () => {
    const m = erlangC({ ...T7, agents: 14 })
    expect(m.offeredLoad).toBeCloseTo(10, 12)
    expect(m.probabilityOfWait).toBeCloseTo(0.1741, 4)
    expect(m.averageSpeedOfAnswerSeconds).toBeCloseTo(7.84, 2)
    expect(m.serviceLevel).toBeCloseTo(0.8884, 4)
    expect(m.occupancy).toBeCloseTo(0.7143, 4)
  })

  it.each([
    [11, 0.6821, 122.8, 0.3896],
    [12, 0.4494, 40.4, 0.6402],
    [13, 0.2853, 17.1, 0.7956],
    [14, 0.1741, 7.84, 0.8884],
    [15, 0.102, 3.67, 0.9415],
  ])('N = %i: P(wait) %f, ASA %f s, SL %f', (n, pw, asa, sl) => {
    const m = erlangC({ ...T7, agents: n })
    expect(Math.abs(m.probabilityOfWait - pw)).toBeLessThan(1e-4)
    expect(Math.abs(m.averageSpeedOfAnswerSeconds - asa) / asa).toBeLessThan(2e-3)
    expect(Math.abs(m.serviceLevel - sl)).toBeLessThan(1e-4)
  })

  it('gets better with every call-taker added, and says when the line cannot keep up', () => {
    let last = erlangC({ ...T7, agents: 11 })
    for (let n = 12; n < 25; n++) {
      const m = erlangC({ ...T7, agents: n })
      expect(m.serviceLevel).toBeGreaterThan(last.serviceLevel)
      expect(m.averageSpeedOfAnswerSeconds).toBeLessThan(last.averageSpeedOfAnswerSeconds)
      last = m
    }
    for (const n of [5, 10]) {
      const m = erlangC({ ...T7, agents: n })
      expect(m.stable).toBe(false)
      expect(m.averageSpeedOfAnswerSeconds).toBe(Number.POSITIVE_INFINITY)
    }
  })

  it('matches the second worked example (A = 48, N = 55, t = 15 s)', () => {
    const m = erlangC({ callsPerHour: 720, handleSeconds: 240, agents: 55, targetSeconds: 15 })
    expect(m.probabilityOfWait).toBeCloseTo(0.2387, 4)
    expect(m.averageSpeedOfAnswerSeconds).toBeCloseTo(8.18, 2)
    expect(m.serviceLevel).toBeCloseTo(0.8459, 4)
  })

  it('stays finite for big centres (Erlang B recursion, no factorials)', () => {
    const m = erlangC({ callsPerHour: 36_000, handleSeconds: 200, agents: 2100, targetSeconds: 20 })
    expect(Number.isFinite(m.probabilityOfWait)).toBe(true)
    expect(erlangB(5000, 4000)).toBeGreaterThan(0)
  })
})

describe('staffing for a target (T7)', () => {
  it('needs 14 on the phones and 20 scheduled with 30 % shrinkage', () => {
    const m = agentsNeeded(T7, { serviceLevel: 0.8, targetSeconds: 20 })
    expect(m.agents).toBe(14)
    expect(withShrinkage(m.agents, 0.3)).toBe(20)
  })

  it('needs 15 and 22 when occupancy may not pass 70 %', () => {
    const m = agentsNeeded(T7, { serviceLevel: 0.8, targetSeconds: 20, maxOccupancy: 0.7 })
    expect(m.agents).toBe(15)
    expect(m.serviceLevel).toBeCloseTo(0.941, 3)
    expect(m.occupancy).toBeCloseTo(0.667, 3)
    expect(m.probabilityOfWait).toBeCloseTo(0.102, 3)
    expect(withShrinkage(m.agents, 0.3)).toBe(22)
  })

  it('plans each hour of the week, with a floor for quiet hours', () => {
    const calls = Array.from({ length: 168 }, (_, h) => (h % 24 < 6 ? 0 : 200))
    const plan = staffingPlan({
      callsByHourOfWeek: calls,
      handleSeconds: 180,
      target: { serviceLevel: 0.8, targetSeconds: 20 },
      shrinkage: 0.3,
      minimumAgents: 2,
    })
    expect(plan.hours[3]?.agents).toBe(2)
    expect(plan.hours[3]?.positions).toBe(3)
    expect(plan.hours[12]?.agents).toBe(14)
    expect(plan.hours[12]?.positions).toBe(20)
    expect(plan.positionHours).toBe(7 * (6 * 3 + 18 * 20))
  })

  it('needs fewer call-takers when impatient callers are allowed to leave (Erlang A)', () => {
    const c = agentsNeeded(T7, { serviceLevel: 0.8, targetSeconds: 20 })
    const a = agentsNeeded(
      { ...T7, patienceSeconds: 300 },
      { serviceLevel: 0.8, targetSeconds: 20 },
    )
    expect(a.agents).toBeLessThanOrEqual(c.agents)
  })
})

describe('Erlang A (T8)', () => {
  it('matches the pyworkforce snapshot and the independent chain', () => {
    const m = erlangA({ ...T7, agents: 14, patienceSeconds: 300 })
    expect(Math.abs(m.probabilityOfWait - 0.14526)).toBeLessThan(1e-5)
    expect(Math.abs(m.abandonShare - 0.013984)).toBeLessThan(1e-6)
    expect(Math.abs(m.occupancy - 0.704297)).toBeLessThan(1e-6)
    expect(Math.abs(m.averageSpeedOfAnswerSeconds / 60 - 0.069919)).toBeLessThan(1e-6)
    expect(Math.abs(m.serviceLevel - 0.916792)).toBeLessThan(1e-6)
  })

  it('tends to Erlang C as callers grow patient', () => {
    const c = erlangC({ ...T7, agents: 14 })
    const a = erlangA({ ...T7, agents: 14, patienceSeconds: 1e9 })
    expect(a.probabilityOfWait).toBeCloseTo(c.probabilityOfWait, 5)
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 5)
    expect(a.averageSpeedOfAnswerSeconds).toBeCloseTo(c.averageSpeedOfAnswerSeconds, 3)
  })

  it('is stable even with fewer call-takers than the load', () => {
    const m = erlangA({ ...T7, agents: 8, patienceSeconds: 120 })
    expect(m.stable).toBe(true)
    expect(m.abandonShare).toBeGreaterThan(0.1)
    expect(m.occupancy).toBeLessThanOrEqual(1)
  })
})

describe('square-root staffing (T11)', () => {
  it('exact Erlang C at R = 100, N = 110 and the Halfin–Whitt approximation', () => {
    const exact = erlangC({ callsPerHour: 100, handleSeconds: 3600, agents: 110, targetSeconds: 0 })
    expect(exact.probabilityOfWait).toBeCloseTo(0.237, 4)
    expect(halfinWhittWaitProbability(1)).toBeCloseTo(0.2234, 4)
    expect(halfinWhittWaitProbability(0.5)).toBeCloseTo(0.5045, 4)
    expect(halfinWhittWaitProbability(2)).toBeCloseTo(0.0269, 4)
    for (const [n, p] of [
      [105, 0.5157],
      [120, 0.0332],
    ] as const) {
      const m = erlangC({ callsPerHour: 100, handleSeconds: 3600, agents: n, targetSeconds: 0 })
      expect(m.probabilityOfWait).toBeCloseTo(p, 4)
    }
  })
})

describe('dispatch queue by priority (T9, Cobham)', () => {
  it('gives the waits of three priorities on ten units', () => {
    const w = priorityQueueWaits({
      units: 10,
      serviceMinutes: 45,
      callsPerHourByPriority: [1.5, 4.5, 4.0],
    })
    expect(w.probabilityAllBusy).toBeCloseTo(0.306611, 6)
    const [w1, w2, w3] = w.waitMinutesByPriority
    expect(Math.abs((w1 as number) - 1.555)).toBeLessThan(1e-3)
    expect(Math.abs((w2 as number) - 2.827)).toBeLessThan(1e-3)
    expect(Math.abs((w3 as number) - 10.035)).toBeLessThan(1e-3)
    expect(Math.abs(w.firstComeWaitMinutes - 5.519)).toBeLessThan(1e-3)
    // Conservation: the rate-weighted mean of the priority waits is the first-come wait.
    const mean = ((w1 as number) * 1.5 + (w2 as number) * 4.5 + (w3 as number) * 4) / 10
    expect(mean).toBeCloseTo(w.firstComeWaitMinutes, 9)
  })
})
