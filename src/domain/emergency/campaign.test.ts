import { describe, expect, it } from 'vitest'
import { HOUR, MINUTE } from '../shared/instant.js'
import {
  type Campaign,
  type CampaignEntry,
  campaignProgress,
  nextEntry,
  openCampaign,
  phoneKey,
  recordOutcome,
} from './campaign.js'

const NOW = Date.parse('2026-11-22T15:00:00Z')

function registryCampaign(over: Partial<Parameters<typeof openCampaign>[0]> = {}): Campaign {
  return openCampaign({
    id: 'c1',
    title: 'Blizzard wellness calls',
    source: { kind: 'registry', activationId: 'a1' },
    activationId: 'a1',
    script: 'This is the city calling to check you are safe and warm.',
    actor: 'em',
    now: NOW,
    ...over,
  })
}

function entry(id: string, over: Partial<CampaignEntry> = {}): CampaignEntry {
  return {
    id,
    campaignId: 'c1',
    subject: { kind: 'registrant', registrantId: `r-${id}` },
    incidentId: null,
    rank: 5,
    state: 'pending',
    attempts: 0,
    lastOutcome: null,
    dueAt: NOW,
    claimedBy: null,
    claimedUntil: null,
    updatedAt: NOW,
    ...over,
  }
}

describe('outbound campaigns', () => {
  it('refuses a campaign without a script, call types or a sensible period, naming each field', () => {
    expect(() =>
      openCampaign({
        id: 'c',
        title: ' ',
        source: { kind: 'incidents', callTypes: [], from: NOW, to: NOW - HOUR },
        activationId: null,
        script: 'hi',
        actor: 'em',
        now: NOW,
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          { path: 'title', message: expect.any(String) },
          { path: 'script', message: expect.any(String) },
          { path: 'source.callTypes', message: expect.any(String) },
          { path: 'source.to', message: expect.any(String) },
        ],
      }),
    )
  })

  it('calls the most urgent first, then whoever waited longest, skipping held and later retries', () => {
    const list = [
      entry('a', { rank: 3 }),
      entry('b', { rank: 1, dueAt: NOW + HOUR }),
      entry('c', { rank: 1, claimedBy: 'ct2', claimedUntil: NOW + 5 * MINUTE }),
      entry('d', { rank: 2, dueAt: NOW - HOUR }),
      entry('e', { rank: 2, dueAt: NOW - 2 * HOUR }),
      entry('f', { rank: 0, state: 'done' }),
    ]
    expect(nextEntry(list, NOW)?.id).toBe('e')
    // A hold that ran out frees the person for someone else.
    expect(nextEntry(list, NOW + 6 * MINUTE)?.id).toBe('c')
    expect(nextEntry([entry('x', { state: 'escalated' })], NOW)).toBeNull()
  })

  it('retries an unanswered call later and escalates after the last attempt', () => {
    const c = registryCampaign({ maxAttempts: 2, retryAfterMinutes: 30 })
    const held = entry('a', { claimedBy: 'ct', claimedUntil: NOW + 10 * MINUTE })
    const first = recordOutcome(c, held, 'not_reached', 'ct', NOW)
    expect(first.follow).toBe('try_again')
    expect(first.entry).toMatchObject({ state: 'pending', attempts: 1, dueAt: NOW + 30 * MINUTE })
    expect(first.entry.claimedBy).toBeNull()
    const again = { ...first.entry, claimedBy: 'ct', claimedUntil: NOW + HOUR }
    const second = recordOutcome(c, again, 'not_reached', 'ct', NOW + 31 * MINUTE)
    expect(second.follow).toBe('escalate')
    expect(second.entry).toMatchObject({ state: 'escalated', attempts: 2 })
  })

  it('raises an incident for someone who needs help, and finishes someone who is fine', () => {
    const c = registryCampaign()
    const held = entry('a', { claimedBy: 'ct', claimedUntil: NOW + MINUTE })
    expect(recordOutcome(c, held, 'needs_help', 'ct', NOW)).toMatchObject({
      follow: 'raise_incident',
      entry: { state: 'raised', lastOutcome: 'needs_help' },
    })
    expect(recordOutcome(c, held, 'reached_fine', 'ct', NOW).entry.state).toBe('done')
  })

  it('records only on a person the call-taker holds, with one of the campaign outcomes', () => {
    const c = registryCampaign()
    const held = entry('a', { claimedBy: 'ct', claimedUntil: NOW + MINUTE })
    expect(() => recordOutcome(c, held, 'resolved', 'ct', NOW)).toThrow(/reached_fine/)
    expect(() => recordOutcome(c, held, 'reached_fine', 'someone_else', NOW)).toThrow(
      expect.objectContaining({ code: 'entry_not_held' }),
    )
    expect(() => recordOutcome(c, held, 'reached_fine', 'ct', NOW + 2 * MINUTE)).toThrow(
      expect.objectContaining({ code: 'entry_not_held' }),
    )
    const closed: Campaign = { ...c, status: 'closed' }
    expect(() => recordOutcome(closed, held, 'reached_fine', 'ct', NOW)).toThrow(
      expect.objectContaining({ code: 'campaign_closed' }),
    )
  })

  it('counts progress: finished share, people held now, and outcomes', () => {
    const p = campaignProgress(
      [
        entry('a', { state: 'done', lastOutcome: 'reached_fine' }),
        entry('b', { state: 'raised', lastOutcome: 'needs_help' }),
        entry('c', { claimedBy: 'ct', claimedUntil: NOW + MINUTE }),
        entry('d', { lastOutcome: 'not_reached', attempts: 1 }),
      ],
      NOW,
    )
    expect(p).toEqual({
      total: 4,
      pending: 2,
      inProgress: 1,
      done: 1,
      escalated: 0,
      raised: 1,
      completion: 0.5,
      byOutcome: { reached_fine: 1, needs_help: 1, not_reached: 1 },
    })
  })

  it('treats two spellings of one phone number as one person', () => {
    expect(phoneKey('+1 (410) 555-0101')).toBe(phoneKey('410.555.0101'))
    expect(phoneKey('410-555-0101')).not.toBe(phoneKey('410-555-0102'))
  })
})
