import { describe, expect, it } from 'vitest'
import { DAY } from '../shared/instant.js'
import {
  addMonths,
  byNeed,
  checkHealth,
  isCriticalNeed,
  mayReadHealth,
  verificationState,
  wellnessNext,
} from './registry.js'

const NOW = Date.parse('2026-11-22T15:00:00Z')

describe('special-needs registry rules', () => {
  it('flags an entry once its re-verification date has passed (12 months by default)', () => {
    const enrolled = Date.parse('2025-11-01T12:00:00Z')
    const reverifyBy = addMonths(enrolled, 12)
    expect(new Date(reverifyBy).toISOString()).toBe('2026-11-01T12:00:00.000Z')
    expect(verificationState({ reverifyBy }, NOW)).toBe('expired')
    expect(verificationState({ reverifyBy: NOW + 10 * DAY }, NOW)).toBe('due_soon')
    expect(verificationState({ reverifyBy: NOW + 200 * DAY }, NOW)).toBe('current')
  })

  it('lets only the roles that need health details read them, and only with a reason', () => {
    const reason = { kind: 'activation' as const, activationId: 'a1' }
    expect(mayReadHealth({ id: 'em', roles: ['emergency_manager'] }, reason)).toBe(reason)
    expect(mayReadHealth({ id: 'ct', roles: ['call_taker'] }, reason)).toBe(reason)
    for (const role of ['dispatcher', 'officer', 'analyst', 'admin', 'command'] as const)
      expect(() => mayReadHealth({ id: 'x', roles: [role] }, reason)).toThrow(/role/)
    expect(() => mayReadHealth({ id: 'em', roles: ['emergency_manager'] }, null)).toThrow(
      expect.objectContaining({ code: 'outside_activation' }),
    )
  })

  it('orders the wellness list by need: power-dependent, oxygen, dialysis before the rest', () => {
    const rows = byNeed([
      { name: 'Ada', needs: ['mobility' as const] },
      { name: 'Bea', needs: ['dialysis' as const] },
      { name: 'Cal', needs: ['shut_in' as const, 'oxygen' as const] },
      { name: 'Dot', needs: ['power_dependent_equipment' as const] },
    ])
    expect(rows.map((r) => r.name)).toEqual(['Dot', 'Cal', 'Bea', 'Ada'])
  })

  it('escalates after the third unanswered call; needs help raises an incident', () => {
    expect(wellnessNext('not_reached', 0)).toBe('try_again')
    expect(wellnessNext('not_reached', 1)).toBe('try_again')
    expect(wellnessNext('not_reached', 2)).toBe('escalate')
    expect(wellnessNext('needs_help', 0)).toBe('raise_incident')
    expect(wellnessNext('reached_fine', 2)).toBe('done')
  })

  it('checks an enrolment: at least one need, contacts with a phone', () => {
    expect(() => checkHealth({ needs: [], contacts: [], notes: '' })).toThrow()
    expect(() =>
      checkHealth({
        needs: ['oxygen'],
        contacts: [{ name: 'Son', phone: 'none', relationship: 'son' }],
        notes: '',
      }),
    ).toThrow()
    expect(
      checkHealth({ needs: ['mobility', 'oxygen', 'oxygen'], contacts: [], notes: '' }).needs,
    ).toEqual(['oxygen', 'mobility'])
    expect(isCriticalNeed(['dialysis'])).toBe(true)
    expect(isCriticalNeed(['mobility', 'shut_in'])).toBe(false)
  })
})
