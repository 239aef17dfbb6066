import { describe, expect, it } from 'vitest'
import { mini, miniType } from '../../../test/support/mini-catalogue.js'
import { EMERGENCY_MODES } from '../catalogue/vocabulary.js'
import { applyOverride } from './override.js'
import { type TriageContext, triage } from './triage.js'

// 15:00 UTC is 10:00 in Baltimore: daytime.
const daytime: TriageContext = {
  channel: 'phone_311',
  at: Date.parse('2026-11-22T15:00:00Z'),
  timeZone: 'America/New_York',
  hasLocation: true,
}
const night = { ...daytime, at: Date.parse('2026-11-23T04:00:00Z') } // 23:00 local

describe('triage', () => {
  describe('every emergency signal escalates, on every call type', () => {
    const cases = mini.callTypes.flatMap((ct) =>
      [...ct.escalation, ...mini.screening].map((q) => ({
        ct: ct.code,
        q: q.code,
        to: q.escalatesTo,
      })),
    )
    it.each(cases)('$ct: $q answered yes → $to', ({ ct, q, to }) => {
      const d = triage(miniType(ct), mini.screening, { [q]: true }, daytime)
      expect(EMERGENCY_MODES).toContain(d.mode)
      expect(d.mode).toBe(to)
      expect(d.emergency).toBe(true)
      expect(d.explanation[0]).toMatch(/^why: .+ → (transfer_911|dispatch_immediate), priority \d/)
    })
  })

  it('an emergency signal wins over a rule that would lower the response', () => {
    const d = triage(
      miniType('NOISE'),
      mini.screening,
      { repeat_location: true, weapon: true },
      daytime,
    )
    expect(d.mode).toBe('transfer_911')
    expect(d.priority).toBe(1)
    expect(d.referral).toBeNull()
  })

  it('transfer_911 wins when several signals fire, and the most urgent priority is kept', () => {
    const d = triage(miniType('NOISE'), mini.screening, { fighting: true, injury: true }, daytime)
    expect(d.mode).toBe('transfer_911')
    expect(d.signals.sort()).toEqual(['injury', 'violence'])
    expect(d.steps).toHaveLength(2)
  })

  it('a "no" answer to a signal is not an emergency, and unanswered signals are listed', () => {
    const d = triage(miniType('NOISE'), mini.screening, { weapon: false }, daytime)
    expect(d.emergency).toBe(false)
    expect(d.unanswered).toEqual(['fighting', 'danger_to_life', 'injury', 'in_progress'])
  })

  it('uses the first rule that holds, with its referral', () => {
    const d = triage(
      miniType('NOISE'),
      mini.screening,
      { source: 'music', repeat_location: true },
      daytime,
    )
    expect(d).toMatchObject({ mode: 'referral', referral: 'NSC', priority: 4, emergency: false })
    expect(d.explanation).toEqual([
      'why: repeat_location = true: a chronic location goes to the Neighborhood Service Center for problem solving → referral, priority 4 to NSC',
    ])
  })

  it('applies hour-of-day rules in the city time zone', () => {
    const answers = { source: 'construction' }
    expect(triage(miniType('NOISE'), mini.screening, answers, daytime)).toMatchObject({
      mode: 'information_only',
      priority: 5,
    })
    expect(triage(miniType('NOISE'), mini.screening, answers, night)).toMatchObject({
      mode: 'dispatch_delayed',
      priority: 4,
    })
  })

  it('compares numbers', () => {
    const ct = miniType('THEFT_FROM_VEHICLE')
    expect(triage(ct, mini.screening, { loss_value: 999 }, daytime).mode).toBe('online_report')
    expect(triage(ct, mini.screening, { loss_value: 1000 }, daytime).mode).toBe('telephone_report')
  })

  it('falls back to the defaults and says so', () => {
    const d = triage(miniType('POTHOLE'), mini.screening, {}, daytime)
    expect(d).toMatchObject({ mode: 'referral', referral: 'DPW', priority: 5 })
    expect(d.explanation[0]).toBe(
      "why: the Pothole protocol's default response → referral, priority 5 to DPW",
    )
  })

  it('is deterministic', () => {
    const a = triage(miniType('NOISE'), mini.screening, { source: 'party' }, night)
    const b = triage(miniType('NOISE'), mini.screening, { source: 'party' }, night)
    expect(a).toEqual(b)
  })
})

describe('applyOverride', () => {
  const levels = mini.priorityScheme.levels
  const agencies = new Set(mini.agencies.map((a) => a.code))
  const base = { mode: 'dispatch_delayed' as const, priority: 4, referral: null, emergency: false }

  it('requires a reason', () => {
    expect(() =>
      applyOverride(base, { mode: 'telephone_report', reason: ' ' }, levels, agencies),
    ).toThrow('override.reason: give the reason for the override')
  })

  it('refuses a priority outside the scheme and a referral without an agency', () => {
    expect(() => applyOverride(base, { priority: 9, reason: 'because' }, levels, agencies)).toThrow(
      /priority must be one of/,
    )
    expect(() =>
      applyOverride(base, { mode: 'referral', reason: 'because' }, levels, agencies),
    ).toThrow(/name the agency/)
    expect(() =>
      applyOverride(
        base,
        { mode: 'referral', referral: 'NOPE', reason: 'because' },
        levels,
        agencies,
      ),
    ).toThrow(/unknown agency 'NOPE'/)
  })

  it('records from, to and reason, and flags a lowered emergency for review', () => {
    const o = applyOverride(
      { ...base, mode: 'transfer_911', priority: 1, emergency: true },
      { mode: 'telephone_report', priority: 4, reason: 'the weapon was a toy; caller confirmed' },
      levels,
      agencies,
    )
    expect(o.mode).toBe('telephone_report')
    expect(o.override).toEqual({
      from: { mode: 'transfer_911', priority: 1, referral: null },
      to: { mode: 'telephone_report', priority: 4, referral: null },
      reason: 'the weapon was a toy; caller confirmed',
      needsReview: true,
    })
  })
})
