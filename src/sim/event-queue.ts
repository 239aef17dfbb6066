/**
 * The binary heap under the simulator: keys in a Float64Array, each carrying one int32 payload.
 * Typed arrays and a hole-moving sift keep the hot loop free of allocations (an object per
 * event would cost the garbage collector more than the model itself; research note
 * analytics-or-anchors.md §3 measured ≈17 M events/s this way on a bare M/M/c).
 *
 * One class serves twice: as the future-event list (key = virtual time) and as the dispatch
 * queues (key = the production queue order packed into a number, see model/dispatch-rules.ts).
 *
 * Equal keys come out in an order fixed by the sequence of pushes and pops, so a run is
 * repeatable, but not necessarily first-in-first-out: keeping an insertion counter beside every
 * key cost a quarter of the heap's speed, and equal keys are (almost) never seen, because event
 * times are continuous random numbers.
 */
export class MinHeap {
  private keys: Float64Array
  private values: Int32Array
  size = 0
  /** The key of the entry `pop` returned last. */
  lastKey = 0

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity)
    this.values = new Int32Array(capacity)
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow()
    const keys = this.keys
    const values = this.values
    let i = this.size++
    // Move the hole up until the parent is not after the new entry.
    while (i > 0) {
      const p = (i - 1) >> 1
      const pk = keys[p] as number
      if (pk <= key) break
      keys[i] = pk
      values[i] = values[p] as number
      i = p
    }
    keys[i] = key
    values[i] = value
  }

  /** The smallest key; +Infinity when empty. */
  peekKey(): number {
    return this.size > 0 ? (this.keys[0] as number) : Number.POSITIVE_INFINITY
  }

  /** The payload of the smallest entry, without removing it; −1 when empty. */
  peekValue(): number {
    return this.size > 0 ? (this.values[0] as number) : -1
  }

  /** Removes the smallest entry and returns its payload (its key goes to `lastKey`); −1 when empty. */
  pop(): number {
    const n = this.size
    if (n === 0) return -1
    const keys = this.keys
    const values = this.values
    const top = values[0] as number
    this.lastKey = keys[0] as number
    const last = n - 1
    this.size = last
    if (last === 0) return top
    const key = keys[last] as number
    const value = values[last] as number
    // Move the hole down from the root, taking the smaller child each time.
    let i = 0
    const half = last >> 1
    while (i < half) {
      let c = 2 * i + 1
      let ck = keys[c] as number
      const r = c + 1
      if (r < last) {
        const rk = keys[r] as number
        if (rk < ck) {
          c = r
          ck = rk
        }
      }
      if (key <= ck) break
      keys[i] = ck
      values[i] = values[c] as number
      i = c
    }
    keys[i] = key
    values[i] = value
    return top
  }

  clear(): void {
    this.size = 0
  }

  private grow(): void {
    const cap = this.keys.length * 2
    const k = new Float64Array(cap)
    k.set(this.keys)
    const v = new Int32Array(cap)
    v.set(this.values)
    this.keys = k
    this.values = v
  }
}
