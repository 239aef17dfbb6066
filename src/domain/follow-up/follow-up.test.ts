import { describe, expect, it } from 'vitest'
import {
  afterAttempt,
  answerSurvey,
  closureMessage,
  createCallback,
  type Notification,
  type Survey,
  summarizeSurveys,
} from './follow-up.js'

const NOW = Date.UTC(2026, 10, 22, 15)
const MIN = 60_000

const queued: Notification = {
  id: 'n1',
  incidentId: 'i1',
  callerId: 'c1',
  channel: 'email',
  subject: 's',
  body: 'b',
  status: 'queued',
  attempts: 0,
  lastError: null,
  providerId: null,
  createdAt: NOW,
  nextAttemptAt: NOW,
  sentAt: null,
}

describe('caller notifications', () => {
  it('retries a temporary failure later and later, then gives up', () => {
    const fail = { ok: false as const, retryable: true, error: 'connection refused' }
    let n = queued
    const waits: number[] = []
    for (let t = NOW; n.status === 'queued'; ) {
      n = afterAttempt(n, fail, t)
      if (n.nextAttemptAt !== null) {
        waits.push((n.nextAttemptAt - t) / MIN)
        t = n.nextAttemptAt
      }
    }
    expect(waits).toEqual([1, 5, 30, 120])
    expect(n).toMatchObject({ status: 'failed', attempts: 5, lastError: 'connection refused' })
  })

  it('gives up at once on a permanent refusal, and records a success', () => {
    expect(afterAttempt(queued, { ok: false, retryable: false, error: '550' }, NOW).status).toBe(
      'failed',
    )
    expect(afterAttempt(queued, { ok: true, providerId: 'm1' }, NOW)).toMatchObject({
      status: 'sent',
      sentAt: NOW,
      providerId: 'm1',
      attempts: 1,
    })
  })

  it('tells the caller the number, the type and the outcome, with the survey link', () => {
    const m = closureMessage({
      incidentNumber: '311-0000042',
      callTypeName: 'Pothole',
      outcome: 'The problem was fixed',
      surveyUrl: 'https://311.example/#/survey/abc',
      agencyName: 'City 311',
    })
    expect(m).toEqual({
      subject: '311-0000042: Pothole is closed',
      body: 'City 311: your report 311-0000042 (Pothole) is closed. The problem was fixed. How did we do? https://311.example/#/survey/abc',
    })
  })
})

describe('callbacks and surveys', () => {
  it('wants a reason and a time not in the past', () => {
    expect(() =>
      createCallback({
        id: 'c',
        incidentId: 'i',
        dueAt: NOW - 10 * MIN,
        reason: 'x',
        actor: 'a',
        now: NOW,
      }),
    ).toThrow(/reason: say what the callback is for/)
  })

  it('summarizes answers: response rate, mean score, share resolved', () => {
    const s = (score: number | null, resolved: boolean | null): Survey => ({
      id: String(Math.random()),
      incidentId: 'i',
      sentAt: NOW,
      answeredAt: score === null ? null : NOW,
      score,
      resolved,
      comment: null,
    })
    expect(summarizeSurveys([s(5, true), s(2, false), s(null, null), s(5, true)])).toEqual({
      sent: 4,
      answered: 3,
      responseRate: 0.75,
      meanScore: 4,
      resolvedShare: 2 / 3,
      scores: [0, 1, 0, 0, 2],
    })
    expect(summarizeSurveys([]).meanScore).toBeNull()
    expect(() => answerSurvey(s(null, null), { score: 0, resolved: true }, NOW)).toThrow(/choose 1/)
    expect(() => answerSurvey(s(3, true), { score: 3, resolved: true }, NOW)).toThrow(/already/)
  })
})
