import { describe, expect, it } from 'vitest'
import type { RESPONSE_MODES } from '../../domain/catalogue/vocabulary.js'
import { dispatchQueue, type QueuedIncident } from '../../domain/dispatch/dispatch-queue.js'
import { MinHeap } from '../event-queue.js'
import { SeededRandom } from '../random.js'
import {
  buildDispatchRules,
  CALL_RESPONSE,
  CIVILIAN,
  MAX_PRIORITY,
  PROBLEM_SOLVING,
  queueKey,
} from './dispatch-rules.js'
import { MODE_INDEX } from './triage-table.js'

const rules = buildDispatchRules([1, 2, 3, 4, 5])
const prefs = (mode: (typeof RESPONSE_MODES)[number], priority: number) => [
  ...(rules.preference[MODE_INDEX[mode] * (MAX_PRIORITY + 1) + priority] ?? []),
]

describe('dispatch rules taken from the production recommendation', () => {
  it('sends call-response units first and pulls problem solvers only for urgent calls', () => {
    expect(prefs('dispatch_immediate', 1)).toEqual([CALL_RESPONSE, PROBLEM_SOLVING])
    expect(prefs('dispatch_immediate', 2)).toEqual([CALL_RESPONSE, PROBLEM_SOLVING])
    expect(prefs('dispatch_immediate', 3)).toEqual([CALL_RESPONSE])
    expect(prefs('dispatch_delayed', 4)).toEqual([CALL_RESPONSE])
    expect(prefs('civilian_response', 4)).toEqual([CIVILIAN])
  })

  it('needs no unit for reports, referrals and information; one queue for patrol modes', () => {
    for (const mode of [
      'telephone_report',
      'online_report',
      'referral',
      'information_only',
    ] as const)
      expect(rules.queueOfMode[MODE_INDEX[mode]]).toBe(-1)
    expect(rules.queueOfMode[MODE_INDEX.dispatch_immediate]).toBe(
      rules.queueOfMode[MODE_INDEX.dispatch_delayed],
    )
    expect(rules.queueOfMode[MODE_INDEX.civilian_response]).not.toBe(
      rules.queueOfMode[MODE_INDEX.dispatch_immediate],
    )
    const patrol = rules.queueOfMode[MODE_INDEX.dispatch_immediate] as number
    expect(rules.leastUrgentFor[patrol * 3 + PROBLEM_SOLVING]).toBe(2)
    expect(rules.leastUrgentFor[patrol * 3 + CALL_RESPONSE]).toBe(5)
    expect(rules.leastUrgentFor[patrol * 3 + CIVILIAN]).toBe(-1)
  })

  it('asks the production guard, which refuses a second unit for a linked duplicate', () => {
    expect(rules.guardRefusesLinkedDuplicate).toBe(true)
  })

  it('orders the queue exactly as the production dispatch queue does', () => {
    const r = new SeededRandom(5)
    const now = 10_000_000
    const incidents: QueuedIncident[] = Array.from({ length: 3000 }, (_, i) => {
      const delayed = r.next() < 0.3
      const receivedAt = Math.floor(r.next() * 5_000_000) * 1000
      return {
        incidentId: `i${i}`,
        number: i + 1,
        callType: 'X',
        priority: 1 + Math.floor(r.next() * 5),
        mode: delayed ? 'dispatch_delayed' : 'dispatch_immediate',
        receivedAt,
        dueAt: delayed ? receivedAt + 3_600_000 : null,
        district: null,
        beat: null,
        point: null,
      }
    })
    const expected = dispatchQueue(incidents, now * 1000).map((l) => l.incident.number)
    const heap = new MinHeap(16)
    for (const q of incidents) {
      if ((q.dueAt ?? q.receivedAt) > now * 1000) continue
      heap.push(queueKey(q.priority, (q.dueAt ?? q.receivedAt) / 1000), (q.number as number) - 1)
    }
    const got: number[] = []
    while (heap.size) got.push(heap.pop() + 1)
    // Ties on priority and second are (almost) absent here; where present, production breaks
    // them by number, which the heap does not promise: compare the order of distinct keys.
    const key = (n: number) => {
      const q = incidents[n - 1] as QueuedIncident
      return queueKey(q.priority, (q.dueAt ?? q.receivedAt) / 1000)
    }
    expect(got.map(key)).toEqual(expected.map((n) => key(n as number)))
    expect(got.length).toBe(expected.length)
  })
})
