/**
 * Dispatch benchmark (issue #6): the queue view and a unit recommendation with 500 units and
 * 10,000 open incidents; target p99 ≤ 20 ms each. This first part times the domain rules alone
 * (the queue order and the ranking), on synthetic units and incidents spread over Baltimore's
 * nine police districts; the store and HTTP parts join when the dispatch board is served.
 */
import type { ResponseMode } from '../src/domain/catalogue/vocabulary.js'
import {
  dispatchQueue,
  type QueuedIncident,
  type QueueLine,
} from '../src/domain/dispatch/dispatch-queue.js'
import { recommendUnits } from '../src/domain/dispatch/recommend-units.js'
import type { Unit, UnitActivity } from '../src/domain/dispatch/unit.js'
import { percentile, round } from './_support.js'

const DISTRICTS = ['CE', 'SE', 'EA', 'NE', 'NO', 'NW', 'WE', 'SW', 'SO']
const MODES: ResponseMode[] = ['dispatch_immediate', 'dispatch_delayed', 'civilian_response']
const ACTIVITIES: Array<UnitActivity | null> = [
  null,
  null,
  'en_route',
  'on_scene',
  'report_writing',
  'problem_solving',
]

/** A small deterministic generator, so every run sees the same city. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

export async function run({ quick }: { quick: boolean }) {
  const rnd = lcg(311)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T
  const point = () => ({ lat: 39.2 + rnd() * 0.17, lon: -76.71 + rnd() * 0.22 })
  const now = Date.UTC(2026, 10, 22, 20)
  const units: Unit[] = Array.from({ length: 500 }, (_, i) => {
    const district = pick(DISTRICTS)
    return {
      id: `u${i}`,
      callSign: `${district}${i}`,
      type: i % 10 === 0 ? 'civilian' : i % 7 === 0 ? 'problem_solving' : 'patrol',
      splitForceRole: i % 5 === 0 ? 'problem_solving' : 'call_response',
      shift: 'B',
      district,
      beat: `${district}${1 + Math.floor(rnd() * 9)}`,
      activity: pick(ACTIVITIES),
      assignmentId: null,
      position: point(),
      onDuty: rnd() > 0.05,
      updatedAt: now,
      version: 1,
    }
  })
  const incidents: QueuedIncident[] = Array.from({ length: 10_000 }, (_, i) => {
    const district = pick(DISTRICTS)
    const mode = pick(MODES)
    return {
      incidentId: `i${i}`,
      number: i + 1,
      callType: 'X',
      priority: 1 + Math.floor(rnd() * 5),
      mode,
      receivedAt: now - Math.floor(rnd() * 8 * 3600_000),
      dueAt: mode === 'dispatch_delayed' ? now + Math.floor((rnd() - 0.5) * 4 * 3600_000) : null,
      district,
      beat: `${district}${1 + Math.floor(rnd() * 9)}`,
      point: point(),
    }
  })
  const targets = { 1: 10 * 60_000, 2: 20 * 60_000, 3: 60 * 60_000, 4: 120 * 60_000 }

  const rounds = quick ? 200 : 1000
  const queueMs: number[] = []
  const recommendMs: number[] = []
  let queued = 0
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now()
    const q = dispatchQueue(incidents, now + r * 1000, targets)
    queueMs.push(performance.now() - t0)
    queued = q.length
    const incident = (q[r % q.length] as QueueLine).incident
    t0 = performance.now()
    recommendUnits(incident, units, 5)
    recommendMs.push(performance.now() - t0)
  }
  queueMs.sort((a, b) => a - b)
  recommendMs.sort((a, b) => a - b)
  const out = {
    units: units.length,
    openIncidents: incidents.length,
    queued,
    queueViewMs: { p50: round(percentile(queueMs, 50), 3), p99: round(percentile(queueMs, 99), 3) },
    recommendMs: {
      p50: round(percentile(recommendMs, 50), 3),
      p99: round(percentile(recommendMs, 99), 3),
    },
    scope: 'domain rules only; store and HTTP not yet included',
    targets: { queueViewP99Ms: 20, recommendP99Ms: 20 },
  }
  console.log(
    `queue of ${queued} from ${incidents.length} open: p99 ${out.queueViewMs.p99} ms; recommendation over ${units.length} units: p99 ${out.recommendMs.p99} ms (domain only)`,
  )
  return out
}
