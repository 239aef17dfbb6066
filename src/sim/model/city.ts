/**
 * One replication of the call system: callers ring the 911 and 311 lines (or report online),
 * call-takers answer in turn while impatient callers hang up, each call is triaged by the
 * production catalogue rules, and calls that need a unit wait in the production dispatch order
 * for a call-response, problem-solving or civilian unit. Officer time is accounted as the
 * evaluation does (committed, free, problem solving; src/domain/dispatch/unit-time.ts).
 *
 * Pure and deterministic: `simulateCity(model, seed, replication)` gives the same Report for the
 * same arguments on any machine. Built for speed: calls live in typed-array slots that are
 * recycled, events are ints on a typed-array heap, samplers and tables are built before the
 * loop, and the loop creates no objects.
 *
 * Simplifications, each a policy question's parameter rather than a hidden rule: units are
 * interchangeable within a force (no beats or travel geography: travel time is a distribution);
 * a caller who hangs up does not call back; one unit per incident unless a duplicate report
 * slips past the guard.
 */
import { RESPONSE_MODES, type ResponseMode } from '../../domain/catalogue/vocabulary.js'
import { DAY_S as DAY, HOUR_S as HOUR_SECONDS, MINUTE_S as MINUTE, Simulation } from '../engine.js'
import { MinHeap } from '../event-queue.js'
import { type AliasTable, randomStream, Sampler, type SeededRandom } from '../random.js'
import type { CompiledModel } from './compile.js'
import * as compiled from './compile.js'
import * as rules from './dispatch-rules.js'
import { type ForceTime, type LineReport, type Report, WaitHistogram } from './report.js'
import { MODE_INDEX } from './triage-table.js'

// Constants copied into this module: the hot loop then reads plain local constants rather than
// imported bindings (which a loader may turn into getter calls).
const DAY_S = DAY
const HOUR_S = HOUR_SECONDS
const MINUTE_S = MINUTE
const LINE_911 = compiled.LINE_911
const LINE_311 = compiled.LINE_311
const CIVILIAN = rules.CIVILIAN
const PROBLEM_SOLVING = rules.PROBLEM_SOLVING
const MAX_PRIORITY = rules.MAX_PRIORITY
const PRIORITY_SPAN = rules.PRIORITY_SPAN
const PRIORITY_STRIDE = MAX_PRIORITY + 1

// Event kinds.
const ARRIVAL = 0
const HANDLED = 1
const HANG_UP = 2
const DUE = 3
const CLEAR = 4
const HOUR = 5

// Call states.
const FREE = 0
const ON_HOLD = 1
const TALKING = 2
const HELD = 3
const QUEUED = 4

// Call flags.
const MEASURED = 1
const ON_911 = 2
const THEN_311 = 4
const DUPLICATE = 8
const TRIAGED = 16
const RETURNED = 32

const M_TRANSFER = MODE_INDEX.transfer_911
const M_IMMEDIATE = MODE_INDEX.dispatch_immediate
const M_DELAYED = MODE_INDEX.dispatch_delayed
const M_REFERRAL = MODE_INDEX.referral
const FORCE_COUNT = 3

/** Random streams, one per part of the model (common random numbers across scenarios). */
const STREAM_ARRIVALS = 0
const STREAM_ANSWERS = 1
const STREAM_LINES = 2
const STREAM_STREET = 3
const STREAM_DECISIONS = 4

export function simulateCity(model: CompiledModel, seed: number, replication = 0): Report {
  return new CityRun(model, seed, replication).run()
}

class CityRun {
  private readonly sim = new Simulation()
  private readonly m: CompiledModel
  private readonly seed: number
  private readonly replication: number
  private readonly uArrivals: SeededRandom
  private readonly uAnswers: SeededRandom
  private readonly uDecisions: SeededRandom
  private readonly handle: Sampler[]
  private readonly patience: Array<Sampler | null>
  private readonly travel: Sampler[]
  private readonly onScene: Sampler[]
  private readonly civilianOnScene: Sampler
  private readonly delayedHold: number
  private readonly dispatchAll: boolean
  private readonly duplicateShare: number
  private readonly linkedShare: number
  private readonly returnedShare: number
  private readonly returnAfter: number
  private readonly from: number
  private readonly to: number

  // Call slots (recycled).
  private cap = 1024
  private free: Int32Array = new Int32Array(this.cap)
  private freeTop = 0
  private used = 0
  private state = new Uint8Array(this.cap)
  private flags = new Uint8Array(this.cap)
  private stream = new Int32Array(this.cap)
  private profile = new Int32Array(this.cap)
  private mode = new Uint8Array(this.cap)
  private priority = new Int16Array(this.cap)
  private received = new Float64Array(this.cap)
  private since = new Float64Array(this.cap)
  private hangUpAt = new Float64Array(this.cap)

  // Phone lines: FIFO rings of slots, with hung-up callers left in place and skipped.
  private readonly ring: Int32Array[] = [new Int32Array(1024), new Int32Array(1024)]
  private readonly head = new Int32Array(2)
  private readonly tail = new Int32Array(2)
  private readonly onHold = new Int32Array(2)
  private readonly busy = new Int32Array(2)
  private readonly agents = new Int32Array(2)
  private line = new Uint8Array(this.cap)
  /** Bumped each time a slot is reused, so a stale place in a line's ring is recognised. */
  private gen = new Int32Array(this.cap)
  private readonly ringGen: Int32Array[] = [new Int32Array(1024), new Int32Array(1024)]

  // Street.
  private readonly queues: MinHeap[]
  private readonly unitsFree = new Int32Array(FORCE_COUNT)
  private readonly rostered = new Int32Array(FORCE_COUNT)
  private readonly leaving = new Int32Array(FORCE_COUNT)
  private readonly staffed = new Int32Array(FORCE_COUNT)
  private readonly staffedSince = new Float64Array(FORCE_COUNT)

  // Tallies.
  private received0 = 0
  private readonly bySource: Float64Array
  private readonly byMode = new Float64Array(RESPONSE_MODES.length)
  private abandonedCalls = 0
  private handedTo911 = 0
  private referralsReturned = 0
  private readonly offered = new Float64Array(2)
  private readonly answered = new Float64Array(2)
  private readonly hungUp = new Float64Array(2)
  private readonly waited = new Float64Array(2)
  private readonly withinTarget = new Float64Array(2)
  private readonly answerWaitSum = new Float64Array(2)
  private readonly hangUpWaitSum = new Float64Array(2)
  private readonly talkSeconds = new Float64Array(2)
  private readonly agentSeconds = new Float64Array(2)
  private readonly target = new Float64Array(2)
  private readonly dispatches = new Float64Array(FORCE_COUNT)
  private readonly committed = new Float64Array(FORCE_COUNT)
  private readonly staffedSeconds = new Float64Array(FORCE_COUNT)
  private doubleDispatches = 0
  private duplicatesRefused = 0
  private pulls = 0
  private readonly pDispatched = new Float64Array(MAX_PRIORITY + 1)
  private readonly pWaitSum = new Float64Array(MAX_PRIORITY + 1)
  private readonly pResponseSum = new Float64Array(MAX_PRIORITY + 1)
  private readonly pWait: Array<WaitHistogram | null> = new Array(MAX_PRIORITY + 1).fill(null)
  private readonly pResponse: Array<WaitHistogram | null> = new Array(MAX_PRIORITY + 1).fill(null)
  private readonly holdArea = new Float64Array(2)
  private readonly holdSince = new Float64Array(2)
  private queued = 0
  private queuedArea = 0
  private queuedSince = 0

  constructor(model: CompiledModel, seed: number, replication: number) {
    this.m = model
    this.seed = seed
    this.replication = replication
    const s = model.scenario
    this.uArrivals = randomStream(seed, replication, STREAM_ARRIVALS)
    this.uAnswers = randomStream(seed, replication, STREAM_ANSWERS)
    this.uDecisions = randomStream(seed, replication, STREAM_DECISIONS)
    const uLines = randomStream(seed, replication, STREAM_LINES)
    const uStreet = randomStream(seed, replication, STREAM_STREET)
    const lines = [s.lines['911'], s.lines['311']]
    this.handle = lines.map((l) => new Sampler(l.handleSeconds, uLines))
    this.patience = lines.map((l) =>
      l.patienceSeconds ? new Sampler(l.patienceSeconds, uLines) : null,
    )
    lines.forEach((l, i) => {
      this.target[i] = l.targetSeconds
    })
    // One sampler per distinct distribution object, so shared defaults share a sampler.
    const cache = new Map<object, Sampler>()
    const street = (d: ConstructorParameters<typeof Sampler>[0]) => {
      let f = cache.get(d)
      if (!f) {
        f = new Sampler(d, uStreet, MINUTE_S)
        cache.set(d, f)
      }
      return f
    }
    this.travel = model.travel.map(street)
    this.onScene = model.onScene.map(street)
    this.civilianOnScene = street(model.civilianOnScene)
    this.delayedHold = s.response.delayedHoldMinutes * MINUTE_S
    this.dispatchAll = s.response.policy === 'dispatch_all'
    this.duplicateShare = s.duplicates.share
    this.linkedShare = model.rules.guardRefusesLinkedDuplicate ? s.duplicates.linkedShare : 0
    this.returnedShare = s.referrals.returnedShare
    this.returnAfter = s.referrals.returnAfterHours * HOUR_S
    this.from = model.measureFrom
    this.to = model.measureTo
    this.queues = Array.from({ length: model.rules.queueCount }, () => new MinHeap(256))
    this.bySource = new Float64Array(model.streams.length)
  }

  run(): Report {
    const sim = this.sim
    sim.schedule(0, HOUR, 0)
    if (this.m.replayTimes) {
      if (this.m.replayTimes.length > 0) sim.setSource(this.m.replayTimes[0] as number, ARRIVAL, 0)
    } else this.scheduleNextArrival(0)
    sim.run(this.to, this.onEvent)
    for (let f = 0; f < FORCE_COUNT; f++) this.restaff(f, 0)
    this.hold(0, 0)
    this.hold(1, 0)
    this.waiting(0)
    return this.report()
  }

  private readonly onEvent = (kind: number, ref: number): void => {
    switch (kind) {
      case ARRIVAL:
        this.arrive(ref)
        return
      case HANDLED:
        this.handled(ref)
        return
      case HANG_UP:
        this.hangUp(ref)
        return
      case DUE:
        this.request(ref, this.sim.now)
        return
      case CLEAR:
        this.clear(ref)
        return
      case HOUR:
        this.hour(ref)
        return
    }
  }

  // ---- arrivals -------------------------------------------------------------------------

  /**
   * The next arrival of a piecewise-constant Poisson process after `t`: an Exp(1) amount of
   * "rate × time" is spent hour by hour (exact, no thinning needed).
   */
  private scheduleNextArrival(t: number): void {
    const rates = this.m.ratePerSecond
    let e = -Math.log(1 - this.uArrivals.next())
    let h = Math.floor(t / HOUR_S)
    let at = t
    for (let guard = 0; guard < 168 * 2; ) {
      const r = rates[h % 168] as number
      const end = (h + 1) * HOUR_S
      const room = r * (end - at)
      if (e < room) {
        this.sim.setSource(at + e / r, ARRIVAL, 0)
        return
      }
      e -= room
      at = end
      h++
      guard = r > 0 ? 0 : guard + 1
    }
    // A week with no calls at all: nothing more arrives.
  }

  private arrive(ref: number): void {
    const now = this.sim.now
    let st: number
    if (this.m.replayTimes) {
      st = (this.m.replayStreams as Int32Array)[ref] as number
      const next = ref + 1
      if (next < this.m.replayTimes.length)
        this.sim.setSource(this.m.replayTimes[next] as number, ARRIVAL, next)
    } else {
      const groups = this.m.pickGroup[Math.floor(now / HOUR_S) % 168]
      const g = groups ? groups.pick(this.uArrivals.next()) : 0
      const members = this.m.groupStreams[g] as Int32Array
      st = members[(this.m.pickInGroup[g] as AliasTable).pick(this.uArrivals.next())] as number
      this.scheduleNextArrival(now)
    }
    const c = this.slot()
    const measured = now >= this.from && now < this.to
    const profiles = this.m.profilePick[st]
    this.stream[c] = st
    this.profile[c] = profiles ? profiles.pick(this.uAnswers.next()) : 0
    this.received[c] = now
    this.flags[c] =
      (measured ? MEASURED : 0) | ((this.m.streamThen311[st] as number) ? THEN_311 : 0)
    if (measured) {
      this.received0++
      this.bySource[st] = (this.bySource[st] as number) + 1
    }
    const line = this.m.streamLine[st] as number
    if (line >= 0) {
      if (line === LINE_911) this.flags[c] = (this.flags[c] as number) | ON_911
      this.offer(c, line)
    } else this.createIncident(c)
  }

  // ---- phone lines ----------------------------------------------------------------------

  private offer(c: number, line: number): void {
    const now = this.sim.now
    const measured = now >= this.from && now < this.to
    if (measured) this.offered[line] = (this.offered[line] as number) + 1
    this.line[c] = line
    this.since[c] = now
    if ((this.busy[line] as number) < (this.agents[line] as number)) {
      this.answer(c, line, measured)
      return
    }
    if (measured) this.waited[line] = (this.waited[line] as number) + 1
    this.state[c] = ON_HOLD
    this.hold(line, 1)
    this.enqueueLine(line, c)
    const patience = this.patience[line]
    if (patience) {
      const at = now + patience.sample()
      this.hangUpAt[c] = at
      this.sim.schedule(at, HANG_UP, c)
    }
  }

  private answer(c: number, line: number, measured: boolean): void {
    const now = this.sim.now
    const wait = now - (this.since[c] as number)
    const t = (this.handle[line] as Sampler).sample()
    if (measured) {
      this.answered[line] = (this.answered[line] as number) + 1
      this.answerWaitSum[line] = (this.answerWaitSum[line] as number) + wait
      if (wait <= (this.target[line] as number))
        this.withinTarget[line] = (this.withinTarget[line] as number) + 1
      this.talkSeconds[line] = (this.talkSeconds[line] as number) + t
    }
    this.state[c] = TALKING
    this.busy[line] = (this.busy[line] as number) + 1
    this.sim.schedule(now + t, HANDLED, c)
  }

  /** Call-takers take the longest-waiting caller still holding, while any is free. */
  private nextCaller(line: number): void {
    const ring = this.ring[line] as Int32Array
    const mask = ring.length - 1
    while (
      (this.busy[line] as number) < (this.agents[line] as number) &&
      (this.onHold[line] as number) > 0
    ) {
      const h = this.head[line] as number
      const c = ring[h & mask] as number
      const g = (this.ringGen[line] as Int32Array)[h & mask] as number
      this.head[line] = h + 1
      if (this.gen[c] !== g || this.state[c] !== ON_HOLD) continue // hung up
      this.hold(line, -1)
      const since = this.since[c] as number
      this.answer(c, line, since >= this.from && since < this.to)
    }
  }

  private handled(c: number): void {
    const line = this.line[c] as number
    this.busy[line] = (this.busy[line] as number) - 1
    const f = this.flags[c] as number
    if (line === LINE_911 && f & THEN_311) {
      this.flags[c] = f & ~THEN_311
      this.offer(c, LINE_311)
    } else this.createIncident(c)
    this.nextCaller(line)
  }

  private hangUp(c: number): void {
    if (this.state[c] !== ON_HOLD || this.hangUpAt[c] !== this.sim.now) return // answered already
    const line = this.line[c] as number
    this.hold(line, -1)
    const since = this.since[c] as number
    if (since >= this.from && since < this.to) {
      this.hungUp[line] = (this.hungUp[line] as number) + 1
      this.hangUpWaitSum[line] = (this.hangUpWaitSum[line] as number) + (this.sim.now - since)
    }
    if ((this.flags[c] as number) & MEASURED) this.abandonedCalls++
    this.release(c)
  }

  private enqueueLine(line: number, c: number): void {
    let ring = this.ring[line] as Int32Array
    let gens = this.ringGen[line] as Int32Array
    const h = this.head[line] as number
    const t = this.tail[line] as number
    if (t - h === ring.length) {
      const bigger = new Int32Array(ring.length * 2)
      const biggerGen = new Int32Array(ring.length * 2)
      const mask = ring.length - 1
      for (let i = h; i < t; i++) {
        bigger[i - h] = ring[i & mask] as number
        biggerGen[i - h] = gens[i & mask] as number
      }
      this.head[line] = 0
      this.tail[line] = t - h
      this.ring[line] = bigger
      this.ringGen[line] = biggerGen
      ring = bigger
      gens = biggerGen
    }
    const tt = this.tail[line] as number
    ring[tt & (ring.length - 1)] = c
    gens[tt & (ring.length - 1)] = this.gen[c] as number
    this.tail[line] = tt + 1
  }

  // ---- triage and dispatch ----------------------------------------------------------------

  private createIncident(c: number): void {
    const now = this.sim.now
    const st = this.stream[c] as number
    const i =
      (this.m.outcomeBase[st] as number) +
      2 * ((this.profile[c] as number) * 24 + (Math.floor(now / HOUR_S) % 24))
    let mode = this.m.outcomes[i] as number
    const priority = this.m.outcomes[i + 1] as number
    const flags = this.flags[c] as number
    if (this.dispatchAll && mode !== M_TRANSFER) mode = M_IMMEDIATE
    if (!(flags & TRIAGED)) {
      this.flags[c] = flags | TRIAGED
      if (flags & MEASURED) this.byMode[mode] = (this.byMode[mode] as number) + 1
    }
    if (mode === M_TRANSFER) {
      if (!(flags & ON_911)) {
        // The 311 call-taker hands the emergency to 911, where it is answered again.
        this.flags[c] = (this.flags[c] as number) | ON_911
        if (flags & MEASURED) this.handedTo911++
        this.offer(c, LINE_911)
        return
      }
      mode = M_IMMEDIATE
    }
    this.mode[c] = mode
    this.priority[c] = priority
    if (this.m.rules.queueOfMode[mode] === -1) {
      if (
        mode === M_REFERRAL &&
        this.returnedShare > 0 &&
        this.uDecisions.next() < this.returnedShare
      ) {
        this.mode[c] = M_DELAYED
        this.flags[c] = (this.flags[c] as number) | RETURNED
        if (flags & MEASURED) this.referralsReturned++
        this.state[c] = HELD
        this.sim.schedule(now + this.returnAfter, DUE, c)
        return
      }
      this.release(c)
      return
    }
    if (
      this.duplicateShare > 0 &&
      !(flags & DUPLICATE) &&
      this.uDecisions.next() < this.duplicateShare
    ) {
      if (this.linkedShare > 0 && this.uDecisions.next() < this.linkedShare) {
        if (flags & MEASURED) this.duplicatesRefused++
      } else {
        // The second report is worked as its own incident and gets its own unit.
        const d = this.slot()
        this.stream[d] = st
        this.profile[d] = this.profile[c] as number
        this.received[d] = this.received[c] as number
        this.flags[d] = (this.flags[c] as number) | DUPLICATE | TRIAGED
        this.mode[d] = mode
        this.priority[d] = priority
        this.route(d)
      }
    }
    this.route(c)
  }

  /** A delayed response is held until it falls due (production dueAtFor); others queue now. */
  private route(c: number): void {
    const now = this.sim.now
    if (this.mode[c] === M_DELAYED && this.delayedHold > 0) {
      this.state[c] = HELD
      this.sim.schedule(now + this.delayedHold, DUE, c)
    } else this.request(c, now)
  }

  /** Sends the best available unit, or puts the call in the dispatch queue. */
  private request(c: number, queuedSince: number): void {
    const mode = this.mode[c] as number
    const priority = this.priority[c] as number
    this.since[c] = queuedSince
    const prefs = this.m.rules.preference[mode * PRIORITY_STRIDE + priority] as Int8Array
    for (let k = 0; k < prefs.length; k++) {
      const f = prefs[k] as number
      if ((this.unitsFree[f] as number) > 0) {
        this.dispatch(c, f)
        return
      }
    }
    this.state[c] = QUEUED
    this.waiting(1)
    ;(this.queues[this.m.rules.queueOfMode[mode] as number] as MinHeap).push(
      priority * PRIORITY_SPAN + queuedSince,
      c,
    )
  }

  private dispatch(c: number, f: number): void {
    const now = this.sim.now
    this.unitsFree[f] = (this.unitsFree[f] as number) - 1
    const priority = this.priority[c] as number
    const travel = (this.travel[priority] as Sampler).sample()
    const scene =
      f === CIVILIAN
        ? this.civilianOnScene.sample()
        : (
            this.onScene[this.m.streamCallType[this.stream[c] as number] as number] as Sampler
          ).sample()
    const end = now + travel + scene
    this.sim.schedule(end, CLEAR, f)
    this.committed[f] = (this.committed[f] as number) + this.overlap(now, end)
    const flags = this.flags[c] as number
    if (flags & MEASURED) {
      this.dispatches[f] = (this.dispatches[f] as number) + 1
      if (f === PROBLEM_SOLVING) this.pulls++
      if (flags & DUPLICATE) this.doubleDispatches++
      const wait = now - (this.since[c] as number)
      const response = now - (this.received[c] as number) + travel
      this.pDispatched[priority] = (this.pDispatched[priority] as number) + 1
      this.pWaitSum[priority] = (this.pWaitSum[priority] as number) + wait
      this.pResponseSum[priority] = (this.pResponseSum[priority] as number) + response
      let hw = this.pWait[priority]
      if (!hw) {
        hw = new WaitHistogram()
        this.pWait[priority] = hw
        this.pResponse[priority] = new WaitHistogram()
      }
      hw.add(wait)
      ;(this.pResponse[priority] as WaitHistogram).add(response)
    }
    this.release(c)
  }

  /** A unit back in service: off home if its shift is over, else to the most urgent call it may take. */
  private clear(f: number): void {
    if ((this.leaving[f] as number) > 0) {
      this.leaving[f] = (this.leaving[f] as number) - 1
      this.restaff(f, -1)
      return
    }
    this.unitsFree[f] = (this.unitsFree[f] as number) + 1
    this.serveQueue(f)
  }

  /** Free units of force f take calls from the tops of the queues they may serve. */
  private serveQueue(f: number): void {
    const rules = this.m.rules
    const queues = this.queues
    while ((this.unitsFree[f] as number) > 0) {
      let best = -1
      let bestKey = Number.POSITIVE_INFINITY
      for (let q = 0; q < queues.length; q++) {
        const heap = queues[q] as MinHeap
        if (heap.size === 0) continue
        const least = rules.leastUrgentFor[q * FORCE_COUNT + f] as number
        if (least < 0) continue
        const key = heap.peekKey()
        if (key < (least + 1) * PRIORITY_SPAN && key < bestKey) {
          best = q
          bestKey = key
        }
      }
      if (best < 0) return
      this.waiting(-1)
      this.dispatch((queues[best] as MinHeap).pop(), f)
    }
  }

  // ---- shifts -----------------------------------------------------------------------------

  private hour(h: number): void {
    const how = h % 168
    const now = this.sim.now
    for (let line = 0; line < 2; line++) {
      const n = (this.m.agents[line] as Int32Array)[how] as number
      this.agents[line] = n
      this.agentSeconds[line] =
        (this.agentSeconds[line] as number) + n * this.overlap(now, now + HOUR_S)
      this.nextCaller(line)
    }
    for (let f = 0; f < FORCE_COUNT; f++) {
      const want = (this.m.units[f] as Int32Array)[how] as number
      const have = this.rostered[f] as number
      if (want > have) {
        // Units still out on calls past their shift stay on instead of new ones signing on.
        const stay = Math.min(this.leaving[f] as number, want - have)
        this.leaving[f] = (this.leaving[f] as number) - stay
        const fresh = want - have - stay
        this.unitsFree[f] = (this.unitsFree[f] as number) + fresh
        this.restaff(f, fresh)
      } else if (want < have) {
        const off = Math.min(this.unitsFree[f] as number, have - want)
        this.unitsFree[f] = (this.unitsFree[f] as number) - off
        this.leaving[f] = (this.leaving[f] as number) + (have - want - off)
        this.restaff(f, -off)
      }
      this.rostered[f] = want
    }
    for (let f = 0; f < FORCE_COUNT; f++) this.serveQueue(f)
    this.sim.schedule((h + 1) * HOUR_S, HOUR, h + 1)
  }

  /** Callers on hold on a line: the time-average is Erlang's Lq, and Lq/λ the mean wait. */
  private hold(line: number, change: number): void {
    const now = this.sim.now
    this.holdArea[line] =
      (this.holdArea[line] as number) +
      (this.onHold[line] as number) * this.overlap(this.holdSince[line] as number, now)
    this.holdSince[line] = now
    this.onHold[line] = (this.onHold[line] as number) + change
  }

  /** Calls in the dispatch queues (all queues), for the time-average number waiting. */
  private waiting(change: number): void {
    const now = this.sim.now
    this.queuedArea += this.queued * this.overlap(this.queuedSince, now)
    this.queuedSince = now
    this.queued += change
  }

  /** Counts staffed time up to now, then changes the number of units signed on. */
  private restaff(f: number, change: number): void {
    const now = this.sim.now
    this.staffedSeconds[f] =
      (this.staffedSeconds[f] as number) +
      (this.staffed[f] as number) * this.overlap(this.staffedSince[f] as number, now)
    this.staffedSince[f] = now
    this.staffed[f] = (this.staffed[f] as number) + change
  }

  /** Seconds of [a, b) inside the measured period. */
  private overlap(a: number, b: number): number {
    const lo = Math.max(a, this.from)
    const hi = Math.min(b, this.to)
    return hi > lo ? hi - lo : 0
  }

  // ---- slots ------------------------------------------------------------------------------

  private slot(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop] as number
    if (this.used === this.cap) this.growSlots()
    return this.used++
  }

  private release(c: number): void {
    this.state[c] = FREE
    this.gen[c] = (this.gen[c] as number) + 1
    this.free[this.freeTop++] = c
  }

  private growSlots(): void {
    const cap = this.cap * 2
    const grow = <T extends Float64Array | Int32Array | Int16Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(cap)
      b.set(a)
      return b
    }
    this.free = grow(this.free, (n) => new Int32Array(n))
    this.state = grow(this.state, (n) => new Uint8Array(n))
    this.flags = grow(this.flags, (n) => new Uint8Array(n))
    this.stream = grow(this.stream, (n) => new Int32Array(n))
    this.profile = grow(this.profile, (n) => new Int32Array(n))
    this.mode = grow(this.mode, (n) => new Uint8Array(n))
    this.priority = grow(this.priority, (n) => new Int16Array(n))
    this.received = grow(this.received, (n) => new Float64Array(n))
    this.since = grow(this.since, (n) => new Float64Array(n))
    this.hangUpAt = grow(this.hangUpAt, (n) => new Float64Array(n))
    this.line = grow(this.line, (n) => new Uint8Array(n))
    this.gen = grow(this.gen, (n) => new Int32Array(n))
    this.cap = cap
  }

  // ---- report -----------------------------------------------------------------------------

  private report(): Report {
    const m = this.m
    const bySource: Record<string, number> = {}
    m.streams.forEach((s, i) => {
      bySource[s.source] = (bySource[s.source] ?? 0) + (this.bySource[i] as number)
    })
    const byMode = Object.fromEntries(
      RESPONSE_MODES.map((mo, i) => [mo, this.byMode[i] as number]),
    ) as Record<ResponseMode, number>
    const line = (i: number): LineReport => {
      const offered = this.offered[i] as number
      const answered = this.answered[i] as number
      const hungUp = this.hungUp[i] as number
      const agentSeconds = this.agentSeconds[i] as number
      return {
        offered,
        answered,
        abandoned: hungUp,
        abandonedShare: ratio(hungUp, offered),
        waitedShare: ratio(this.waited[i] as number, offered),
        serviceLevel: ratio(this.withinTarget[i] as number, offered),
        targetSeconds: this.target[i] as number,
        meanAnswerSeconds: ratio(this.answerWaitSum[i] as number, answered),
        meanWaitSeconds: ratio(
          (this.answerWaitSum[i] as number) + (this.hangUpWaitSum[i] as number),
          offered,
        ),
        occupancy: ratio(this.talkSeconds[i] as number, agentSeconds),
        callTakerHours: agentSeconds / HOUR_S,
        meanOnHold: (this.holdArea[i] as number) / (this.to - this.from),
      }
    }
    const force = (f: number): ForceTime => {
      const on = this.staffedSeconds[f] as number
      const committed = this.committed[f] as number
      return {
        onDutyHours: on / HOUR_S,
        committedHours: committed / HOUR_S,
        uncommittedHours: Math.max(0, on - committed) / HOUR_S,
        saturation: ratio(committed, on),
        dispatches: this.dispatches[f] as number,
      }
    }
    const byPriority: Report['dispatch']['byPriority'] = {}
    for (const p of m.priorities) {
      const n = this.pDispatched[p] as number
      if (n === 0) continue
      byPriority[String(p)] = {
        dispatched: n,
        meanWaitMinutes: (this.pWaitSum[p] as number) / n / MINUTE_S,
        p90WaitMinutes: (this.pWait[p] as WaitHistogram).quantile(0.9) / MINUTE_S,
        meanResponseMinutes: (this.pResponseSum[p] as number) / n / MINUTE_S,
        p90ResponseMinutes: (this.pResponse[p] as WaitHistogram).quantile(0.9) / MINUTE_S,
      }
    }
    const urgent = byPriority[String(m.mostUrgent)]
    let stillWaiting = (this.onHold[0] as number) + (this.onHold[1] as number)
    for (const q of this.queues) stillWaiting += q.size
    for (let c = 0; c < this.used; c++) if (this.state[c] === HELD) stillWaiting++
    const cr = force(0)
    const ps = force(PROBLEM_SOLVING)
    const civ = force(CIVILIAN)
    const patrolOn = cr.onDutyHours + ps.onDutyHours
    const patrolCommitted = cr.committedHours + ps.committedHours
    return {
      scenario: m.scenario.name,
      seed: this.seed,
      replication: this.replication,
      days: (this.to - this.from) / DAY_S,
      events: this.sim.events,
      calls: {
        received: this.received0,
        bySource,
        byMode,
        abandoned: this.abandonedCalls,
        handedTo911: this.handedTo911,
        referralsReturned: this.referralsReturned,
      },
      lines: { '911': line(LINE_911), '311': line(LINE_311) },
      dispatch: {
        dispatches:
          (this.dispatches[0] as number) +
          (this.dispatches[1] as number) +
          (this.dispatches[2] as number),
        doubleDispatches: this.doubleDispatches,
        duplicatesRefused: this.duplicatesRefused,
        problemSolvingPulls: this.pulls,
        stillWaiting,
        meanCallsWaiting: this.queuedArea / (this.to - this.from),
        priority1ResponseMinutes: {
          mean: urgent ? urgent.meanResponseMinutes : Number.NaN,
          p90: urgent ? urgent.p90ResponseMinutes : Number.NaN,
        },
        byPriority,
      },
      officerTime: {
        guideline: 0.6,
        patrolSaturation: ratio(patrolCommitted, patrolOn),
        callResponseSaturation: cr.saturation,
        freeHours: cr.uncommittedHours,
        problemSolvingHours: ps.uncommittedHours,
        committedHours: patrolCommitted,
        onDutyHours: patrolOn,
        callResponse: cr,
        problemSolving: ps,
        civilian: civ,
      },
    }
  }
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0
}
