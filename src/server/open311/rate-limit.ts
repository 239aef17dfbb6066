/**
 * A fixed-window counter per key (an API key, a client address): cheap, in memory, enough to
 * stop a runaway client or a flood from one address. Windows are swept as they expire.
 */
export class RateLimit {
  readonly #perWindow: number
  readonly #windowMs: number
  readonly #counts = new Map<string, { start: number; n: number }>()

  constructor(perWindow: number, windowMs = 60_000) {
    this.#perWindow = perWindow
    this.#windowMs = windowMs
  }

  /** Counts one use; returns the seconds to wait when over the limit, or 0. */
  take(key: string, now: number): number {
    if (this.#counts.size > 50_000) this.#sweep(now)
    const w = this.#counts.get(key)
    if (!w || now - w.start >= this.#windowMs) {
      this.#counts.set(key, { start: now, n: 1 })
      return 0
    }
    w.n += 1
    return w.n > this.#perWindow ? Math.ceil((w.start + this.#windowMs - now) / 1000) : 0
  }

  #sweep(now: number): void {
    for (const [k, w] of this.#counts) if (now - w.start >= this.#windowMs) this.#counts.delete(k)
  }
}
