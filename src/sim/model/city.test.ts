import { describe, expect, it } from 'vitest'
import { callTypeSchema } from '../../domain/catalogue/catalogue-schema.js'
import type { ResponseMode } from '../../domain/catalogue/vocabulary.js'
import { erlangA, erlangC } from '../../domain/staffing/erlang.js'
import { priorityQueueWaits } from '../../domain/staffing/priority-queue.js'
import { simulateReplications } from '../replications.js'
import { simulateCity } from './city.js'
import { compileModel } from './compile.js'
import { estimate, estimateWithControl } from './report.js'
import { everyHour, type Scenario } from './scenario.js'
import type { SimCatalogue } from './triage-table.js'

/** A small catalogue: enough call types to exercise each response and priority. */
const type = (code: string, defaultPriority: number, defaultMode: ResponseMode, extra = {}) =>
  callTypeSchema.parse({
    code,
    name: code.toLowerCase(),
    group: 'test',
    family: code,
    defaultPriority,
    defaultMode,
    ...extra,
  })
const catalogue: SimCatalogue = {
  callTypes: [
    type('INFO', 5, 'information_only'),
    type('P1', 1, 'dispatch_immediate'),
    type('P2', 2, 'dispatch_immediate'),
    type('P3', 3, 'dispatch_immediate'),
    type('NOISE', 4, 'dispatch_delayed', {
      rules: [
        {
          when: { channel: ['web'] },
          mode: 'online_report',
          because: 'reported online, so an online report',
        },
      ],
    }),
    type('GRAFFITI', 5, 'referral', { referral: 'DPW' }),
    type('INTOX', 4, 'civilian_response'),
    type('EMERGENCY', 1, 'transfer_911'),
  ],
  screening: [],
  priorityScheme: { levels: [1, 2, 3, 4, 5].map((value) => ({ value })) },
}

function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    name: 'test',
    days: 10,
    warmUpDays: 1,
    arrivals: { kind: 'poisson', streams: [] },
    lines: {
      '911': {
        agentsByHourOfWeek: everyHour(0),
        handleSeconds: { kind: 'exponential', mean: 180 },
        patienceSeconds: null,
        targetSeconds: 20,
      },
      '311': {
        agentsByHourOfWeek: everyHour(0),
        handleSeconds: { kind: 'exponential', mean: 180 },
        patienceSeconds: null,
        targetSeconds: 20,
      },
    },
    response: { policy: 'catalogue', delayedHoldMinutes: 60 },
    patrol: {
      shifts: [],
      travelMinutes: { kind: 'fixed', value: 0 },
      onSceneMinutes: { kind: 'exponential', mean: 45 },
    },
    duplicates: { share: 0, linkedShare: 0 },
    referrals: { returnedShare: 0, returnAfterHours: 24 },
    ...over,
  }
}

const relative = (a: number, b: number) => Math.abs(a - b) / b

/**
 * Validation against exact queueing results. Waits in a busy queue are strongly autocorrelated,
 * so a plain mean needs tens of millions of calls to be known to 1 %. Each check therefore
 * reports two estimates over 16 replications: the plain mean (its 95 % interval must contain the
 * exact value, and it must be within 2.5 %), and the mean sharpened by a control variate, the
 * time-average number waiting, whose exact mean Erlang C gives (estimateWithControl); that one
 * must be within 1 %, with an interval narrower than ±1 %. A control taken from theory could
 * hide a bias shared by waits and queue length, so the control's own plain mean is checked
 * against theory too.
 */
describe('the simulator against queueing theory', () => {
  const replications = 16

  it('matches Erlang C within 1 % on an M/M/14 line (T7: 200 calls an hour, 180 s)', () => {
    // 16 × 65 days ≈ 5 M calls.
    const s = scenario({
      days: 65,
      arrivals: {
        kind: 'poisson',
        streams: [{ callType: 'INFO', source: '911', perWeek: 200 * 168 }],
      },
      lines: {
        ...scenario().lines,
        '911': { ...scenario().lines['911'], agentsByHourOfWeek: everyHour(14) },
      },
    })
    const { reports } = simulateReplications(compileModel(s, catalogue), { seed: 7, replications })
    const exact = erlangC({ callsPerHour: 200, handleSeconds: 180, agents: 14, targetSeconds: 20 })
    const lq = (exact.probabilityOfWait * exact.offeredLoad) / (14 - exact.offeredLoad)
    const line = reports.map((r) => r.lines['911'])
    const onHold = line.map((l) => l.meanOnHold)
    expect(relative(estimate(onHold).mean, lq)).toBeLessThan(0.025)
    const checks: Array<[string, number[], number]> = [
      ['P(wait)', line.map((l) => l.waitedShare), exact.probabilityOfWait],
      ['service level', line.map((l) => l.serviceLevel), exact.serviceLevel],
      ['ASA', line.map((l) => l.meanWaitSeconds), exact.averageSpeedOfAnswerSeconds],
    ]
    for (const [name, values, truth] of checks) {
      const plain = estimate(values)
      const sharp = estimateWithControl(values, onHold, lq)
      expect(
        plain.low <= truth && truth <= plain.high,
        `${name}: ${JSON.stringify(plain)} vs ${truth}`,
      ).toBe(true)
      expect(relative(plain.mean, truth), name).toBeLessThan(0.025)
      expect(relative(sharp.mean, truth), name).toBeLessThan(0.01)
      expect(sharp.halfWidth / truth, name).toBeLessThan(0.01)
    }
    // Occupancy hardly varies: its plain mean is within 1 % already.
    expect(relative(estimate(line.map((l) => l.occupancy)).mean, exact.occupancy)).toBeLessThan(
      0.01,
    )
  }, 120_000)

  it('matches Erlang A with impatient callers (T8: mean patience 5 minutes)', () => {
    const s = scenario({
      days: 150,
      arrivals: {
        kind: 'poisson',
        streams: [{ callType: 'INFO', source: 'phone_311', perWeek: 200 * 168 }],
      },
      lines: {
        ...scenario().lines,
        '311': {
          ...scenario().lines['311'],
          agentsByHourOfWeek: everyHour(14),
          patienceSeconds: { kind: 'exponential', mean: 300 },
        },
      },
    })
    const r = simulateCity(compileModel(s, catalogue), 11)
    const exact = erlangA({
      callsPerHour: 200,
      handleSeconds: 180,
      agents: 14,
      targetSeconds: 20,
      patienceSeconds: 300,
    })
    expect(relative(r.lines['311'].waitedShare, exact.probabilityOfWait)).toBeLessThan(0.02)
    expect(relative(r.lines['311'].serviceLevel, exact.serviceLevel)).toBeLessThan(0.01)
    expect(relative(r.lines['311'].abandonedShare, exact.abandonShare)).toBeLessThan(0.05)
  }, 60_000)

  it('matches Cobham’s priority waits within 1 % on ten units (T9)', () => {
    // Three priorities reported online (no call-taker), 10 call-response units, 45 minutes a
    // call; 16 × 1,800 days ≈ 6.9 M calls.
    const s = scenario({
      days: 1800,
      warmUpDays: 2,
      arrivals: {
        kind: 'poisson',
        streams: [
          { callType: 'P1', source: 'web', perWeek: 1.5 * 168 },
          { callType: 'P2', source: 'web', perWeek: 4.5 * 168 },
          { callType: 'P3', source: 'web', perWeek: 4.0 * 168 },
        ],
      },
      patrol: {
        ...scenario().patrol,
        shifts: [{ force: 'call_response', units: 10, startHour: 0, hours: 24 }],
      },
    })
    const { reports } = simulateReplications(compileModel(s, catalogue), { seed: 3, replications })
    const theory = priorityQueueWaits({
      units: 10,
      serviceMinutes: 45,
      callsPerHourByPriority: [1.5, 4.5, 4.0],
    })
    // Calls waiting, on average: Lq = C·a/(c − a), a = 7.5 (all priorities together).
    const lq = (theory.probabilityAllBusy * 7.5) / (10 - 7.5)
    const waiting = reports.map((r) => r.dispatch.meanCallsWaiting)
    expect(relative(estimate(waiting).mean, lq)).toBeLessThan(0.025)
    theory.waitMinutesByPriority.forEach((truth, i) => {
      const values = reports.map(
        (r) => r.dispatch.byPriority[String(i + 1)]?.meanWaitMinutes ?? Number.NaN,
      )
      const plain = estimate(values)
      const sharp = estimateWithControl(values, waiting, lq)
      const name = `priority ${i + 1}`
      expect(
        plain.low <= truth && truth <= plain.high,
        `${name}: ${JSON.stringify(plain)} vs ${truth}`,
      ).toBe(true)
      expect(relative(plain.mean, truth), name).toBeLessThan(0.025)
      expect(relative(sharp.mean, truth), name).toBeLessThan(0.01)
      expect(sharp.halfWidth / truth, name).toBeLessThan(0.01)
    })
    expect(estimate(reports.map((r) => r.officerTime.callResponseSaturation)).mean).toBeCloseTo(
      0.75,
      2,
    )
  }, 120_000)
})

describe('one city run', () => {
  const city = scenario({
    days: 28,
    arrivals: {
      kind: 'poisson',
      streams: [
        { callType: 'P1', source: '911', perWeek: 300 },
        { callType: 'P3', source: '911', perWeek: 600 },
        { callType: 'NOISE', source: 'phone_311', perWeek: 500 },
        { callType: 'NOISE', source: 'web', perWeek: 300 },
        { callType: 'GRAFFITI', source: 'open311', perWeek: 400 },
        { callType: 'INTOX', source: 'phone_311', perWeek: 100 },
        { callType: 'EMERGENCY', source: 'phone_311', perWeek: 50 },
      ],
    },
    lines: {
      '911': {
        agentsByHourOfWeek: everyHour(2),
        handleSeconds: { kind: 'lognormal', mean: 120, sd: 60 },
        patienceSeconds: { kind: 'exponential', mean: 120 },
        targetSeconds: 15,
      },
      '311': {
        agentsByHourOfWeek: everyHour(2),
        handleSeconds: { kind: 'gamma', mean: 200, sd: 100 },
        patienceSeconds: { kind: 'exponential', mean: 180 },
        targetSeconds: 20,
      },
    },
    patrol: {
      shifts: [
        { force: 'call_response', units: 15, startHour: 7, hours: 12 },
        { force: 'call_response', units: 13, startHour: 19, hours: 12 },
        { force: 'problem_solving', units: 2, startHour: 9, hours: 8, days: [0, 1, 2, 3, 4] },
        { force: 'civilian', units: 1, startHour: 8, hours: 10 },
      ],
      travelMinutes: { kind: 'lognormal', mean: 8, sd: 4 },
      onSceneMinutes: { kind: 'lognormal', mean: 40, sd: 25 },
    },
    duplicates: { share: 0.1, linkedShare: 0.5 },
    referrals: { returnedShare: 0.1, returnAfterHours: 12 },
  })
  const model = compileModel(city, catalogue)

  it('gives the same report for the same seed, and another for another seed', () => {
    const a = simulateCity(model, 99, 0)
    const b = simulateCity(compileModel(structuredClone(city), catalogue), 99, 0)
    expect(b).toEqual(a)
    expect(simulateCity(model, 100, 0)).not.toEqual(a)
    expect(simulateCity(model, 99, 1)).not.toEqual(a)
  })

  it('triages every call by the catalogue rules, by channel', () => {
    const r = simulateCity(model, 1)
    const weeks = 4
    const near = (x: number, perWeek: number) =>
      expect(Math.abs(x - perWeek * weeks)).toBeLessThan(5 * Math.sqrt(perWeek * weeks) + 50)
    // NOISE by phone is a delayed dispatch; NOISE online is an online report (the rule).
    near(r.calls.byMode.online_report, 300)
    near(r.calls.byMode.referral, 400)
    near(r.calls.byMode.transfer_911, 50)
    expect(r.calls.byMode.dispatch_immediate).toBeGreaterThan(800 * weeks * 0.9)
    expect(r.calls.handedTo911).toBeGreaterThan(0)
    expect(r.lines['911'].offered).toBeGreaterThan(r.calls.bySource['911'] as number)
    expect(r.officerTime.civilian.dispatches).toBeGreaterThan(0)
    expect(r.calls.referralsReturned).toBeGreaterThan(0)
  })

  it('accounts officer time by the roster, and keeps problem solvers for urgent calls', () => {
    const r = simulateCity(model, 2)
    const t = r.officerTime
    // Rostered hours in 28 days: (15·12 + 13·12) a day, plus overtime of calls past shift end.
    expect(t.callResponse.onDutyHours).toBeGreaterThanOrEqual(28 * 336 - 1)
    expect(t.callResponse.onDutyHours).toBeLessThan(28 * 336 * 1.05)
    expect(t.problemSolving.onDutyHours).toBeGreaterThanOrEqual(20 * 16 - 1)
    expect(t.committedHours + t.freeHours + t.problemSolvingHours).toBeCloseTo(t.onDutyHours, 6)
    expect(t.patrolSaturation).toBeGreaterThan(0)
    expect(t.patrolSaturation).toBeLessThan(1)
    expect(t.guideline).toBe(0.6)
    // Problem solvers only ever took priority 1 or 2 calls here (P3 and NOISE wait instead).
    expect(r.dispatch.problemSolvingPulls).toBeLessThanOrEqual(
      (r.dispatch.byPriority['1']?.dispatched ?? 0) + (r.dispatch.byPriority['2']?.dispatched ?? 0),
    )
    expect(r.dispatch.priority1ResponseMinutes.mean).toBeGreaterThan(8)
  })

  it('sends a second unit for duplicates only when the guard is not told', () => {
    const guarded = simulateCity(model, 3)
    const unguarded = simulateCity(
      compileModel({ ...city, duplicates: { share: 0.1, linkedShare: 0 } }, catalogue),
      3,
    )
    expect(guarded.dispatch.duplicatesRefused).toBeGreaterThan(0)
    expect(unguarded.dispatch.duplicatesRefused).toBe(0)
    expect(unguarded.dispatch.doubleDispatches).toBeGreaterThan(guarded.dispatch.doubleDispatches)
  })

  it('dispatches every call under "dispatch all", except hand-overs to 911', () => {
    const r = simulateCity(
      compileModel(
        { ...city, response: { policy: 'dispatch_all', delayedHoldMinutes: 60 } },
        catalogue,
      ),
      4,
    )
    expect(r.calls.byMode.referral).toBe(0)
    expect(r.calls.byMode.online_report).toBe(0)
    expect(r.calls.byMode.transfer_911).toBeGreaterThan(0)
    const base = simulateCity(model, 4)
    expect(r.dispatch.dispatches).toBeGreaterThan(base.dispatch.dispatches)
    expect(r.officerTime.patrolSaturation).toBeGreaterThan(base.officerTime.patrolSaturation)
  })

  it('replays recorded calls as they came', () => {
    const records = Array.from({ length: 500 }, (_, i) => ({
      atSeconds: 86_400 + i * 600,
      callType: i % 2 ? 'P1' : 'GRAFFITI',
      source: 'web' as const,
    }))
    const r = simulateCity(
      compileModel(
        { ...city, days: 5, arrivals: { kind: 'replay', records: records.reverse() } },
        catalogue,
      ),
      5,
    )
    expect(r.calls.received).toBe(500)
    expect(r.calls.byMode.referral).toBe(250)
    expect(r.calls.byMode.dispatch_immediate).toBe(250)
  })

  it('refuses a scenario with mistakes, naming each', () => {
    expect(() =>
      compileModel(
        {
          ...city,
          days: 0,
          arrivals: {
            kind: 'poisson',
            streams: [{ callType: 'NOPE', source: 'fax' as never, perWeek: 1 }],
          },
        },
        catalogue,
      ),
    ).toThrow(/days/)
  })
})
