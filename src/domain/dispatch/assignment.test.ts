import { describe, expect, it } from 'vitest'
import { aUnit } from '../../../test/support/unit-fixture.js'
import type { Incident } from '../incidents/incident.js'
import { advanceAssignment, assignUnit, clearAssignment, recallAssignment } from './assignment.js'
import type { Unit } from './unit.js'

const NOW = Date.UTC(2026, 10, 22, 20, 0)
const MIN = 60_000

const incident = (over: Partial<Incident> = {}) =>
  ({
    id: 'i1',
    number: 42,
    mode: 'dispatch_immediate',
    priority: 2,
    status: 'pending',
    disposition: null,
    duplicateOf: null,
    version: 3,
    ...over,
  }) as Incident

const unit = (over: Partial<Unit> = {}): Unit => aUnit(over, NOW)

const assign = (over: Partial<Parameters<typeof assignUnit>[0]> = {}) =>
  assignUnit({
    incident: incident(),
    unit: unit(),
    role: 'primary',
    decision: null,
    situation: { activePrimaryUnit: null, openReferralTo: null },
    id: 'a1',
    actor: 'disp',
    now: NOW,
    ...over,
  })

describe('a unit run', () => {
  it('goes assigned → en route → on scene → cleared, closing the incident with the disposition', () => {
    const a = assign()
    expect(a.unit).toMatchObject({ activity: 'dispatched', assignmentId: 'a1', version: 2 })
    expect(a.incident?.incident).toMatchObject({ status: 'in_progress', version: 4 })
    expect(a.incident?.event).toMatchObject({ kind: 'unit_assigned', data: { unit: '1A1' } })
    const e = advanceAssignment(a.assignment, a.unit, 'en_route', 'officer', NOW + MIN)
    const s = advanceAssignment(e.assignment, e.unit, 'on_scene', 'officer', NOW + 5 * MIN)
    const c = clearAssignment(
      s.assignment,
      s.unit,
      a.incident?.incident as Incident,
      'report_taken',
      0,
      'officer',
      NOW + 30 * MIN,
    )
    expect(c.assignment).toMatchObject({
      assignedAt: NOW,
      enRouteAt: NOW + MIN,
      onSceneAt: NOW + 5 * MIN,
      clearedAt: NOW + 30 * MIN,
      disposition: 'report_taken',
      active: false,
      version: 4,
    })
    expect(c.unit).toMatchObject({ activity: null, assignmentId: null })
    expect(c.incident?.incident).toMatchObject({ status: 'closed', disposition: 'report_taken' })
  })

  it('leaves the incident open while another unit is still on it', () => {
    const a = assign()
    const s = advanceAssignment(
      advanceAssignment(a.assignment, a.unit, 'en_route', 'o', NOW).assignment,
      { ...a.unit, activity: 'en_route' },
      'on_scene',
      'o',
      NOW,
    )
    const c = clearAssignment(
      s.assignment,
      s.unit,
      a.incident?.incident as Incident,
      'no_report',
      1,
      'o',
      NOW,
    )
    expect(c.incident?.incident.status).toBe('in_progress')
  })

  it('refuses a busy or off-duty unit, and a unit of the wrong kind', () => {
    expect(() => assign({ unit: unit({ activity: 'on_scene' }) })).toThrow(
      'unit 1A1 is on scene; choose another unit',
    )
    expect(() => assign({ unit: unit({ onDuty: false }) })).toThrow(/off duty/)
    expect(() => assign({ unit: unit({ type: 'civilian' }) })).toThrow(
      'a civilian unit cannot answer dispatch immediate (send patrol or problem_solving)',
    )
    // Report writing gives way to a call.
    expect(assign({ unit: unit({ activity: 'report_writing' }) }).unit.activity).toBe('dispatched')
  })

  it('refuses a response that needs no unit, unless a referral is being doubled on purpose', () => {
    expect(() => assign({ incident: incident({ mode: 'telephone_report' }) })).toThrow(
      /answered by telephone report; change its response/,
    )
    const referred = assign({
      incident: incident({ mode: 'referral' }),
      situation: { activePrimaryUnit: null, openReferralTo: 'DPW' },
      decision: { reason: 'live wire down next to the hole' },
    })
    expect(referred.assignment.dualDispatch).toEqual({
      kind: 'referred',
      reason: 'live wire down next to the hole',
    })
  })

  it('clears only from the scene, except when cancelled or gone on arrival', () => {
    const a = assign()
    expect(() => clearAssignment(a.assignment, a.unit, incident(), 'arrest', 0, 'o', NOW)).toThrow(
      /has not arrived/,
    )
    const c = clearAssignment(
      a.assignment,
      a.unit,
      incident({ status: 'in_progress' }),
      'cancelled',
      0,
      'o',
      NOW,
    )
    expect(c.assignment.disposition).toBe('cancelled')
    expect(() =>
      clearAssignment(c.assignment, c.unit, incident(), 'cancelled', 0, 'o', NOW),
    ).toThrow(/already cleared/)
  })

  it('puts a recalled primary back in the queue, with the reason kept', () => {
    const a = assign()
    const r = recallAssignment(
      a.assignment,
      a.unit,
      a.incident?.incident as Incident,
      'needed at a priority 1',
      0,
      'disp',
      NOW,
    )
    expect(r.incident?.incident.status).toBe('pending')
    expect(r.assignment).toMatchObject({ active: false, recallReason: 'needed at a priority 1' })
    expect(r.unit.activity).toBeNull()
    expect(() => recallAssignment(a.assignment, a.unit, incident(), ' ', 0, 'd', NOW)).toThrow(
      /say why/,
    )
  })
})
