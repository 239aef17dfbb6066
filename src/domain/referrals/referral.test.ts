import { describe, expect, it } from 'vitest'
import type { Incident } from '../incidents/incident.js'
import {
  acknowledgeReferral,
  closeReferral,
  escalateReferral,
  isEscalationDue,
  sendReferral,
} from './referral.js'

const HOUR = 3_600_000
const NOW = Date.UTC(2026, 10, 22, 15)
const incident = (over: Partial<Incident> = {}) =>
  ({ id: 'i1', status: 'pending', disposition: null, version: 2, ...over }) as Incident
const sent = (slaHours?: number) =>
  sendReferral({ id: 'r1', incident: incident(), agency: 'DPW', slaHours, actor: 'ct', now: NOW })

describe('referrals', () => {
  it('is due by the call type service level, or 72 hours without one', () => {
    expect(sent(24).dueAt).toBe(NOW + 24 * HOUR)
    expect(sent().dueAt).toBe(NOW + 72 * HOUR)
  })

  it('escalates once past due, then again a day later while still open', () => {
    const r = sent(24)
    expect(isEscalationDue(r, NOW + 24 * HOUR)).toBe(false)
    expect(isEscalationDue(r, NOW + 24 * HOUR + 1)).toBe(true)
    const once = escalateReferral(r, NOW + 25 * HOUR)
    expect(once).toMatchObject({ escalations: 1, lastEscalatedAt: NOW + 25 * HOUR })
    expect(isEscalationDue(once, NOW + 48 * HOUR)).toBe(false)
    expect(isEscalationDue(once, NOW + 49 * HOUR)).toBe(true)
    expect(() => escalateReferral(once, NOW + 30 * HOUR)).toThrow(/not due/)
    const acked = acknowledgeReferral(once, 'dpw', NOW + 26 * HOUR)
    // Acknowledging does not stop the clock: only finishing the work does.
    expect(isEscalationDue(acked, NOW + 50 * HOUR)).toBe(true)
  })

  it('closes the incident as referred, unless a unit is still on it', () => {
    const done = closeReferral(sent(), incident(), 'resolved', ' fixed ', 0, 'dpw', NOW + HOUR)
    expect(done.referral).toMatchObject({
      status: 'closed',
      outcome: 'resolved',
      outcomeNote: 'fixed',
    })
    expect(done.incident).toMatchObject({ status: 'closed', disposition: 'referred', version: 3 })
    expect(done.event).toMatchObject({ kind: 'referral_changed', data: { outcome: 'resolved' } })
    const working = closeReferral(
      sent(),
      incident({ status: 'in_progress' }),
      'resolved',
      undefined,
      1,
      'dpw',
      NOW,
    )
    expect(working.incident.status).toBe('in_progress')
    expect(() =>
      closeReferral(done.referral, incident(), 'resolved', undefined, 0, 'd', NOW),
    ).toThrow(/already closed/)
  })

  it('wants a reason when the agency declines, so the caller can be told', () => {
    expect(() => closeReferral(sent(), incident(), 'declined', '  ', 0, 'dpw', NOW)).toThrow(
      /say why the agency cannot act/,
    )
  })
})
