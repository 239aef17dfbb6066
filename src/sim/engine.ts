/**
 * The discrete-event engine: a virtual clock and a future-event list. No I/O, no wall clock, no
 * Math.random; a model brings its own seeded streams (random.ts).
 *
 * An event is a small integer `kind` and an integer `ref` (which call, which line), packed into
 * the heap's int32 payload as ref·KIND_SLOTS + kind, so scheduling allocates nothing. The model
 * handles events in one callback with a switch on the kind (model/city.ts), which keeps the hot
 * loop monomorphic and fast. Time is in seconds from the start of the run; the run starts on a
 * Monday at 00:00 local time, so hour of week = floor(t / 3600) mod 168.
 *
 * @example
 *   const sim = new Simulation()
 *   sim.schedule(10, ARRIVAL, 0)
 *   sim.run(3600, (kind, ref) => { … sim.after(60, DONE, ref) … })
 */
import { MinHeap } from './event-queue.js'

/** Kinds are 0..15. */
export const KIND_SLOTS = 16
/** The largest `ref` an event may carry (the payload is an int32). */
export const MAX_REF = Math.floor(0x7fffffff / KIND_SLOTS)

export const MINUTE_S = 60
export const HOUR_S = 3600
export const DAY_S = 86_400
export const WEEK_S = 7 * DAY_S
export const HOURS_PER_WEEK = 168

export class Simulation {
  /** The virtual clock, seconds. Only `run` moves it. */
  now = 0
  /** Events handled so far (the benchmark's figure). */
  events = 0
  private readonly queue = new MinHeap(4096)
  // The source: one event kept beside the heap (the next arrival of a Poisson stream always
  // has exactly one pending). Comparing against it costs less than a push and a pop per call.
  private sourceAt = Number.POSITIVE_INFINITY
  private sourcePayload = 0

  /** Schedules an event at absolute time `at` (not before now). */
  schedule(at: number, kind: number, ref: number): void {
    this.queue.push(at, ref * KIND_SLOTS + kind)
  }

  /** Schedules an event `delay` seconds from now. */
  after(delay: number, kind: number, ref: number): void {
    this.queue.push(this.now + delay, ref * KIND_SLOTS + kind)
  }

  /**
   * Sets the source's one pending event (replacing any), or clears it with +Infinity. Use it
   * for a stream that schedules its next event each time one fires, such as arrivals. On a
   * tie with the heap, the heap's event goes first.
   */
  setSource(at: number, kind: number, ref: number): void {
    this.sourceAt = at
    this.sourcePayload = ref * KIND_SLOTS + kind
  }

  /** Events still pending. */
  get pending(): number {
    return this.queue.size + (this.sourceAt < Number.POSITIVE_INFINITY ? 1 : 0)
  }

  /**
   * Handles events in time order until the next one is after `until` (the clock then reads
   * `until`) or none are left.
   */
  run(until: number, handle: (kind: number, ref: number) => void): void {
    const q = this.queue
    let n = 0
    for (;;) {
      const heapAt = q.peekKey()
      let payload: number
      if (this.sourceAt < heapAt) {
        if (this.sourceAt > until) break
        this.now = this.sourceAt
        payload = this.sourcePayload
        this.sourceAt = Number.POSITIVE_INFINITY
      } else {
        if (heapAt > until) break
        payload = q.pop()
        this.now = q.lastKey
      }
      n++
      // KIND_SLOTS is 16 and payloads are never negative: mask and shift.
      handle(payload & 15, payload >> 4)
    }
    this.events += n
    if (this.now < until) this.now = until
  }
}
