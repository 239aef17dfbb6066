/**
 * A small seeded generator (mulberry32): uniform numbers in [0, 1), the same sequence for the
 * same seed on every machine, so a permutation test, a simulation or a generated data set can
 * be repeated exactly. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  const g = new SeededRandom(seed)
  return () => g.next()
}

/**
 * The same generator as an object, for hot loops (the policy lab draws millions a second): a
 * method call on one class can be inlined by the compiler, where a closure call returning a
 * double usually cannot (and then allocates a box for every number it returns).
 */
export class SeededRandom {
  // The state lives in a typed array: a 32-bit value does not fit V8's small integers, so a
  // plain number field or closure variable could be re-boxed on every draw.
  private readonly state = new Int32Array(1)

  constructor(seed: number) {
    this.state[0] = seed | 0
  }

  /** The next uniform number in [0, 1). */
  next(): number {
    const s = ((this.state[0] as number) + 0x6d2b79f5) | 0
    this.state[0] = s
    let t = Math.imul(s ^ (s >>> 15), s | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
