import { describe, expect, it } from 'vitest'
import { aUnit } from '../../../test/support/unit-fixture.js'
import { ConflictError, ValidationError } from '../shared/errors.js'
import { clearDispatch, type DispatchSituation } from './dispatch-guard.js'
import { dispatchQueue, type QueuedIncident } from './dispatch-queue.js'
import { recommendUnits } from './recommend-units.js'
import {
  availabilityOf,
  changeUnitActivity,
  type Unit,
  type UnitActivity,
  type UnitStatusEvent,
} from './unit.js'
import { unitTime } from './unit-time.js'

const MIN = 60_000
const NOW = Date.UTC(2026, 10, 22, 20, 0)

function queued(over: Partial<QueuedIncident>): QueuedIncident {
  return {
    incidentId: 'i',
    number: 1,
    callType: 'NOISE',
    priority: 3,
    mode: 'dispatch_immediate',
    receivedAt: NOW - 10 * MIN,
    dueAt: null,
    district: 'Central',
    beat: '111',
    point: { lat: 39.29, lon: -76.61 },
    ...over,
  }
}

function unit(over: Partial<Unit>): Unit {
  return aUnit({ id: over.callSign ?? 'u', callSign: 'U', ...over }, NOW)
}

describe('dispatch queue', () => {
  it('puts the most urgent priority first, then the longest wait, then the incident number', () => {
    const q = dispatchQueue(
      [
        queued({ incidentId: 'p3-old', priority: 3, receivedAt: NOW - 40 * MIN, number: 5 }),
        queued({ incidentId: 'p2-new', priority: 2, receivedAt: NOW - 1 * MIN, number: 9 }),
        queued({ incidentId: 'p3-tie-b', priority: 3, receivedAt: NOW - 5 * MIN, number: 8 }),
        queued({ incidentId: 'p3-tie-a', priority: 3, receivedAt: NOW - 5 * MIN, number: 7 }),
      ],
      NOW,
    )
    expect(q.map((l) => l.incident.incidentId)).toEqual([
      'p2-new',
      'p3-old',
      'p3-tie-a',
      'p3-tie-b',
    ])
  })

  it('keeps a delayed response out until it is due, and counts its wait from then', () => {
    const waiting = [
      queued({ incidentId: 'later', mode: 'dispatch_delayed', dueAt: NOW + 30 * MIN }),
      queued({ incidentId: 'due', mode: 'dispatch_delayed', dueAt: NOW - 2 * MIN }),
    ]
    const q = dispatchQueue(waiting, NOW)
    expect(q.map((l) => l.incident.incidentId)).toEqual(['due'])
    expect(q[0]?.waitedMs).toBe(2 * MIN)
    expect(dispatchQueue(waiting, NOW + 30 * MIN).map((l) => l.incident.incidentId)).toEqual([
      'due',
      'later',
    ])
  })

  it('never queues a response that needs no unit, and marks waits past the priority target', () => {
    const q = dispatchQueue(
      [
        queued({ incidentId: 'report', mode: 'telephone_report' }),
        queued({ incidentId: 'referral', mode: 'referral' }),
        queued({ incidentId: 'late', priority: 2, receivedAt: NOW - 25 * MIN }),
        queued({ incidentId: 'in-time', priority: 3, receivedAt: NOW - 25 * MIN }),
      ],
      NOW,
      { 2: 20 * MIN, 3: 60 * MIN },
    )
    expect(q.map((l) => [l.incident.incidentId, l.late])).toEqual([
      ['late', true],
      ['in-time', false],
    ])
  })
})

describe('unit status', () => {
  it('reads interruptible work as conditionally available and off duty as not available', () => {
    expect(availabilityOf({ activity: null, onDuty: true })).toBe('available')
    expect(availabilityOf({ activity: 'problem_solving', onDuty: true })).toBe(
      'conditionally_available',
    )
    expect(availabilityOf({ activity: 'on_scene', onDuty: true })).toBe('not_available')
    expect(availabilityOf({ activity: null, onDuty: false })).toBe('not_available')
  })

  it('moves en route, on scene, clear, and keeps each change as history', () => {
    let u = unit({ callSign: '2A31', assignmentId: 'a1' })
    const events = []
    for (const to of ['en_route', 'on_scene', 'report_writing', null] as const) {
      const r = changeUnitActivity(u, to, 'dispatcher', NOW)
      u = r.unit
      events.push(r.event)
    }
    expect(events.map((e) => [e.from, e.to])).toEqual([
      [null, 'en_route'],
      ['en_route', 'on_scene'],
      ['on_scene', 'report_writing'],
      ['report_writing', null],
    ])
    expect(u.assignmentId).toBeNull()
    expect(u.version).toBe(5)
  })

  it('refuses a move the rules forbid, naming the allowed ones', () => {
    expect(() => changeUnitActivity(unit({ activity: null }), 'on_scene', 'd', NOW)).toThrow(
      /cannot become on_scene \(allowed: dispatched, en_route, report_writing, problem_solving, out_of_service\)/,
    )
    expect(() => changeUnitActivity(unit({ onDuty: false }), 'en_route', 'd', NOW)).toThrow(
      ConflictError,
    )
  })
})

describe('unit recommendation', () => {
  const here = { lat: 39.29, lon: -76.61 }
  const units = [
    unit({ callSign: 'far-same-beat', position: { lat: 39.3, lon: -76.61 } }),
    unit({ callSign: 'near-other-district', district: 'Eastern', beat: '321', position: here }),
    unit({ callSign: 'near-same-beat', position: { lat: 39.291, lon: -76.61 } }),
    unit({ callSign: 'busy', activity: 'on_scene', position: here }),
    unit({ callSign: 'psa', type: 'civilian', position: here }),
    unit({ callSign: 'writing', activity: 'report_writing', position: here }),
    unit({ callSign: 'reserved', splitForceRole: 'problem_solving', position: here }),
  ]

  it('ranks available call-response units in the beat by distance; never busy or wrong type', () => {
    const recs = recommendUnits(queued({ priority: 3, point: here }), units, 10)
    expect(recs.map((r) => r.unit.callSign)).toEqual([
      'near-same-beat',
      'far-same-beat',
      'near-other-district',
      'reserved',
    ])
    expect(recs[0]?.reasons).toEqual(['available', 'same beat', '111 m away'])
  })

  it('offers interruptible units only for urgent calls, after every available one', () => {
    const recs = recommendUnits(queued({ priority: 1, point: here }), units, 10)
    expect(recs.at(-1)?.unit.callSign).toBe('writing')
    expect(recs.at(-1)?.reasons[0]).toBe('interruptible (report_writing)')
  })

  it('sends civilians to civilian responses and nobody to a telephone report', () => {
    expect(
      recommendUnits(queued({ mode: 'civilian_response' }), units).map((r) => r.unit.callSign),
    ).toEqual(['psa'])
    expect(recommendUnits(queued({ mode: 'telephone_report' }), units)).toEqual([])
  })
})

describe('double-dispatch guard', () => {
  const clean: DispatchSituation = {
    incidentNumber: 42,
    duplicateOf: null,
    openReferralTo: null,
    activePrimaryUnit: null,
  }

  it('clears a first primary assignment with no dual dispatch', () => {
    expect(clearDispatch(clean, 'primary', null)).toEqual({ role: 'primary', dualDispatch: null })
  })

  it('never allows a second primary, even with a recorded decision; a backup is fine', () => {
    const busy = { ...clean, activePrimaryUnit: '2A31' }
    expect(() => clearDispatch(busy, 'primary', { reason: 'caller insists' })).toThrow(
      /311-0000042 already has unit 2A31 assigned; send another unit as backup/,
    )
    expect(clearDispatch(busy, 'backup', null).role).toBe('backup')
    expect(() => clearDispatch(clean, 'backup', null)).toThrow(/no primary unit/)
  })

  it('refuses a duplicate or a referred incident unless a dual dispatch is recorded with a reason', () => {
    const dup = { ...clean, duplicateOf: 'original' }
    const referred = { ...clean, openReferralTo: 'DOT' }
    expect(() => clearDispatch(dup, 'primary', null)).toThrow(/is a duplicate of another incident/)
    expect(() => clearDispatch(referred, 'primary', null)).toThrow(/is referred to DOT/)
    expect(() => clearDispatch(dup, 'primary', { reason: ' ' })).toThrow(ValidationError)
    expect(clearDispatch(referred, 'primary', { reason: 'crew reports a threat' })).toEqual({
      role: 'primary',
      dualDispatch: { kind: 'referred', reason: 'crew reports a threat' },
    })
  })
})

describe('unit time', () => {
  const ev = (from: UnitActivity | null, to: UnitActivity | null, at: number): UnitStatusEvent => ({
    unitId: 'u',
    from,
    to,
    assignmentId: null,
    at,
    by: 'x',
  })
  it('splits a period into committed, free, problem-solving and out-of-service time', () => {
    const history = [
      ev(null, 'dispatched', NOW + 10 * MIN),
      ev('dispatched', 'en_route', NOW + 12 * MIN),
      ev('en_route', 'on_scene', NOW + 20 * MIN),
      ev('on_scene', null, NOW + 50 * MIN),
      ev(null, 'problem_solving', NOW + 60 * MIN),
      ev('problem_solving', null, NOW + 100 * MIN),
    ]
    expect(unitTime(history, NOW, NOW + 120 * MIN)).toEqual({
      committedMs: 40 * MIN,
      freeMs: 40 * MIN,
      problemSolvingMs: 40 * MIN,
      outOfServiceMs: 0,
    })
    // A window that starts mid-run counts only its own part.
    expect(unitTime(history, NOW + 30 * MIN, NOW + 70 * MIN)).toEqual({
      committedMs: 20 * MIN,
      freeMs: 10 * MIN,
      problemSolvingMs: 10 * MIN,
      outOfServiceMs: 0,
    })
  })
})
