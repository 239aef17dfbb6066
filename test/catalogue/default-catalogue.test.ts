import { describe, expect, it } from 'vitest'
import { triageReport } from '../../src/analytics/triage-report.js'
import { RESPONSE_MODES } from '../../src/domain/catalogue/vocabulary.js'
import { triage } from '../../src/domain/triage/triage.js'
import {
  loadDefaultCatalogue,
  loadSanDiegoCalls,
  loadSanDiegoMapping,
} from '../support/sandiego.js'

const file = loadDefaultCatalogue()
const callTypes = new Map(file.callTypes.map((c) => [c.code, c]))
const context = {
  channel: 'phone_311' as const,
  at: Date.parse('2026-11-22T15:00:00Z'),
  timeZone: 'America/New_York',
  hasLocation: true,
}

describe('the default catalogue', () => {
  it('is a full catalogue for a police-run 311', () => {
    expect(file.callTypes.length).toBeGreaterThanOrEqual(60)
    expect(file.screening.map((q) => q.code).sort()).toEqual([
      'danger_to_life',
      'in_progress',
      'injury',
      'weapon',
    ])
    const modes = new Set(file.callTypes.map((c) => c.defaultMode))
    // Differential response: every mode is someone's default, not only patrol.
    expect([...modes].sort()).toEqual([...RESPONSE_MODES].sort())
    expect(file.agencies.some((a) => a.kind === 'nsc')).toBe(true)
  })

  describe.each(file.callTypes.map((c) => [c.code, c] as const))('%s', (_code, ct) => {
    it('gives a valid mode and an explanation before any question is answered', () => {
      const d = triage(ct, file.screening, {}, context)
      expect(RESPONSE_MODES).toContain(d.mode)
      expect(d.explanation.length).toBeGreaterThan(0)
      for (const line of d.explanation)
        expect(line).toMatch(/^why: .+ → [a-z_0-9]+, priority [1-5]/)
      expect(d.referral !== null).toBe(d.mode === 'referral')
      expect(file.priorityScheme.levels.map((l) => l.value)).toContain(d.priority)
    })

    it('escalates on every emergency signal', () => {
      for (const q of [...ct.escalation, ...file.screening]) {
        const d = triage(ct, file.screening, { [q.code]: true }, context)
        expect(['transfer_911', 'dispatch_immediate'], q.code).toContain(d.mode)
        expect(d.emergency).toBe(true)
      }
    })

    it('says what grounds its response', () => {
      expect(ct.basis ?? '').not.toBe('')
      expect(ct.synonyms.length).toBeGreaterThan(0)
    })
  })
})

describe('the San Diego mapping and the triage report on 28,970 real calls', () => {
  const mapping = loadSanDiegoMapping(file)
  const calls = loadSanDiegoCalls()
  const report = triageReport({
    calls,
    callTypes,
    screening: file.screening,
    mapping,
    timeZone: 'America/Los_Angeles',
  })

  it('maps every call type code the San Diego police used', () => {
    expect(calls).toHaveLength(28_970)
    expect(calls.every((c) => Number.isFinite(c.at))).toBe(true)
    expect(report.unmapped).toEqual({})
    expect(report.calls).toBe(28_970)
  })

  it('gives a patrol or 911 response, before any question, to every type the police mostly rated 0 or 1', () => {
    expect(report.urgentTypesWithoutPatrol).toEqual([])
  })

  it('has working escalation questions on every type that ever got a priority 0 or 1 call', () => {
    expect(report.typesWithoutWorkingEscalation).toEqual([])
  })

  it('leaves no priority 0 or 1 call without a patrol or 911 response once the emergency is told', () => {
    expect(report.underTriaged).toBe(0)
    const urgent = { ...report.emergencyAnswered['0'], ...{} }
    expect(urgent.transfer_911).toBe(1719)
  })

  it('sends almost none of the priority 3, 4 and 9 calls to immediate dispatch', () => {
    // The floor we reached (0.06%: officer-initiated activity only); a regression shows here.
    expect(report.lowPriorityImmediateShare).toBeLessThan(0.001)
    expect(report.lowPriorityImmediateShareCitizen).toBe(0)
  })
})
