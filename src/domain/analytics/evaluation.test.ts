import { describe, expect, it } from 'vitest'
import {
  type AssignmentFact,
  compareEvaluations,
  durations,
  type EvaluationFacts,
  evaluate,
  rateRatioP,
  twoProportionP,
} from './evaluation.js'
import type { DayRow } from './rollups.js'

const MIN = 60_000
const T0 = Date.parse('2026-10-01T04:00:00Z')
const day = (source: '311' | '911', channel: string, priority: number, n: number): DayRow => ({
  source,
  day: '2026-10-01',
  callType: 'NOISE',
  channel,
  priority,
  district: 'Central',
  n,
})
const assignment = (o: Partial<AssignmentFact>): AssignmentFact => ({
  priority: 1,
  role: 'primary',
  receivedAt: T0,
  assignedAt: T0 + MIN,
  enRouteAt: null,
  onSceneAt: null,
  clearedAt: null,
  dualDispatch: false,
  firstPrimary: true,
  ...o,
})

const facts: EvaluationFacts = {
  window: { from: T0, to: T0 + 10 * 60 * MIN },
  days: [
    day('311', 'phone_311', 4, 30),
    day('311', 'web', 5, 10),
    // Handed over by 911: not diverted from it.
    day('311', 'transfer_911', 4, 5),
    day('311', 'phone_311', 1, 2),
    day('911', '', 4, 60),
    day('911', '', 1, 40),
  ],
  incidents: [
    { channel: 'phone_311', priority: 4, mode: 'telephone_report', dispatched: false, n: 20 },
    { channel: 'phone_311', priority: 4, mode: 'dispatch_delayed', dispatched: true, n: 8 },
    { channel: 'web', priority: 5, mode: 'referral', dispatched: true, n: 2 },
    {
      channel: 'officer_initiated',
      priority: 3,
      mode: 'dispatch_immediate',
      dispatched: true,
      n: 9,
    },
  ],
  assignments: [
    assignment({ assignedAt: T0 + 2 * MIN, onSceneAt: T0 + 10 * MIN }),
    assignment({ assignedAt: T0 + 4 * MIN, onSceneAt: T0 + 14 * MIN }),
    assignment({ assignedAt: T0 + 6 * MIN, onSceneAt: null }),
    // A backup and a dual dispatch: not in the response times, but counted.
    assignment({
      role: 'backup',
      firstPrimary: false,
      assignedAt: T0 + 60 * MIN,
      dualDispatch: true,
    }),
    assignment({ priority: 4, assignedAt: T0 + 30 * MIN, onSceneAt: T0 + 90 * MIN }),
  ],
  refusals: 3,
  unitHistories: [
    [
      // Free from before the window until 1 h in, then on a call 2 h, then problem solving 3 h.
      { unitId: 'u1', from: 'on_scene', to: null, assignmentId: null, at: T0 - 60 * MIN, by: 'x' },
      { unitId: 'u1', from: null, to: 'dispatched', assignmentId: 'a', at: T0 + 60 * MIN, by: 'x' },
      {
        unitId: 'u1',
        from: 'dispatched',
        to: 'problem_solving',
        assignmentId: null,
        at: T0 + 180 * MIN,
        by: 'x',
      },
      {
        unitId: 'u1',
        from: 'problem_solving',
        to: 'out_of_service',
        assignmentId: null,
        at: T0 + 360 * MIN,
        by: 'x',
      },
    ],
  ],
  referrals: [
    { sentAt: T0, dueAt: T0 + 120 * MIN, acknowledgedAt: T0 + 10 * MIN, closedAt: T0 + 60 * MIN },
    { sentAt: T0, dueAt: T0 + 120 * MIN, acknowledgedAt: T0 + 30 * MIN, closedAt: T0 + 180 * MIN },
    { sentAt: T0, dueAt: T0 + 120 * MIN, acknowledgedAt: null, closedAt: null },
    { sentAt: T0, dueAt: T0 + 24 * 60 * MIN, acknowledgedAt: null, closedAt: null },
  ],
  offers: [
    { offeredAt: T0, answeredAt: T0 + 5_000, abandonedAt: null },
    { offeredAt: T0, answeredAt: T0 + 15_000, abandonedAt: null },
    { offeredAt: T0, answeredAt: T0 + 45_000, abandonedAt: null },
    // Hung up after 10 s: abandoned, but not held against the 20-second target.
    { offeredAt: T0, answeredAt: null, abandonedAt: T0 + 10_000 },
    { offeredAt: T0, answeredAt: null, abandonedAt: T0 + 60_000 },
    { offeredAt: T0, answeredAt: null, abandonedAt: null },
  ],
  surveys: [
    { answeredAt: T0, score: 5, resolved: true },
    { answeredAt: T0, score: 2, resolved: false },
    { answeredAt: T0, score: 4, resolved: null },
    { answeredAt: null, score: null, resolved: null },
  ],
}

describe('evaluation measures', () => {
  const e = evaluate(facts)

  it('counts both lines, and diversion as non-emergency calls that came to 311 instead of 911', () => {
    expect(e.volume).toMatchObject({ calls311: 47, calls911: 100 })
    expect(e.volume.byDay).toEqual([{ day: '2026-10-01', calls311: 47, calls911: 100 }])
    // 311 non-emergency: 30 + 10 (the 5 handed over by 911 are not diverted); 911: 60.
    expect(e.diversion).toEqual({ nonEmergency311: 40, nonEmergency911: 60, share: 0.4 })
    expect(e.priorityMix).toContainEqual({ channel: '911', priority: 4, n: 60 })
    expect(e.priorityMix).toContainEqual({ channel: 'transfer_911', priority: 4, n: 5 })
  })

  it('measures the dispatch rate of calls from the public, leaving out officer-initiated work', () => {
    expect(e.dispatch).toEqual({
      incidents311: 30,
      dispatched: 10,
      rate: 10 / 30,
      patrolResponseShare: 8 / 30,
    })
    expect(e.doubleDispatch).toEqual({ dualDispatches: 1, refusals: 3 })
  })

  it('takes response times from each incident’s first primary unit, by priority', () => {
    const p1 = e.responseByPriority.find((r) => r.priority === 1)!
    expect(p1.toAssign).toEqual({ n: 3, medianMinutes: 4, p90Minutes: 6 })
    expect(p1.toOnScene).toEqual({ n: 2, medianMinutes: 12, p90Minutes: 14 })
    expect(e.responseByPriority.find((r) => r.priority === 4)!.toOnScene.medianMinutes).toBe(90)
  })

  it('splits officer time into committed, free and problem solving', () => {
    expect(e.officerTime).toMatchObject({
      units: 1,
      freeMs: 60 * MIN,
      committedMs: 120 * MIN,
      problemSolvingMs: 180 * MIN,
      outOfServiceMs: 240 * MIN,
    })
    expect(e.officerTime.committedShare).toBeCloseTo(120 / 360, 12)
    expect(e.officerTime.problemSolvingShare).toBeCloseTo(180 / 360, 12)
  })

  it('counts a unit new in the period from its first status change', () => {
    const fresh = evaluate({
      ...facts,
      unitHistories: [
        [
          {
            unitId: 'u2',
            from: null,
            to: 'dispatched',
            assignmentId: 'b',
            at: T0 + 480 * MIN,
            by: 'x',
          },
          {
            unitId: 'u2',
            from: 'dispatched',
            to: null,
            assignmentId: null,
            at: T0 + 540 * MIN,
            by: 'x',
          },
        ],
      ],
    })
    expect(fresh.officerTime).toMatchObject({ committedMs: 60 * MIN, freeMs: 60 * MIN })
  })

  it('times referrals to acknowledgement and closure, and counts the overdue', () => {
    expect(e.referrals).toMatchObject({ sent: 4, closed: 2, overdue: 2 })
    expect(e.referrals.toAcknowledge.medianMinutes).toBe(20)
    expect(e.referrals.toClose).toEqual({ n: 2, medianMinutes: 120, p90Minutes: 180 })
  })

  it('reads the 311 queue: answer time, abandonment and the service level', () => {
    expect(e.queue).toMatchObject({ offered: 6, answered: 3, abandoned: 2 })
    expect(e.queue.abandonmentRate).toBeCloseTo(2 / 5, 12)
    expect(e.queue.answerTime.medianMinutes).toBeCloseTo(15 / 60, 12)
    // Within 20 s: 2 of the 3 answered; the caller who gave up at 60 s counts, the one at 10 s not.
    expect(e.queue.serviceLevel).toBeCloseTo(2 / 4, 12)
  })

  it('summarises the surveys', () => {
    expect(e.satisfaction).toEqual({
      sent: 4,
      answered: 3,
      responseRate: 0.75,
      meanScore: 11 / 3,
      resolvedShare: 0.5,
    })
  })
})

describe('evaluation statistics', () => {
  it('takes the median and the nearest-rank 90th percentile in minutes', () => {
    expect(durations([])).toEqual({ n: 0, medianMinutes: null, p90Minutes: null })
    expect(durations([4, 1, 3, 2].map((m) => m * MIN))).toEqual({
      n: 4,
      medianMinutes: 2.5,
      p90Minutes: 4,
    })
  })

  it('tests two proportions with the pooled z (30/100 vs 45/100: z = 2.191, p = 0.0285)', () => {
    expect(twoProportionP(30, 100, 45, 100)).toBeCloseTo(0.028459, 5)
    expect(twoProportionP(1, 0, 1, 1)).toBeNull()
  })

  it('tests two rates given their total (100 vs 140 calls in equal periods: p = 0.0119)', () => {
    // n = 240, expected 120 each; |140 − 120| − 0.5 = 19.5; sd = √60 = 7.746; z = 2.5174.
    expect(rateRatioP(100, 1, 140, 1)).toBeCloseTo(0.011822, 4)
    expect(rateRatioP(0, 1, 0, 1)).toBeNull()
  })

  it('compares two periods measure by measure', () => {
    const before = evaluate(facts)
    const after = evaluate({
      ...facts,
      days: facts.days.map((d) => (d.source === '911' ? { ...d, n: Math.round(d.n / 2) } : d)),
    })
    const calls911 = compareEvaluations(before, after).find((c) => c.measure === '911 calls')!
    expect(calls911).toMatchObject({ before: 100, after: 50, change: -50, relative: -0.5 })
    expect(calls911.p).toBeLessThan(0.001)
  })
})
