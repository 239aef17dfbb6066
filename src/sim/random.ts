/**
 * Seeded random numbers for the simulator: the domain's mulberry32 generator
 * (src/domain/shared/seeded-random.ts) plus the samplers a call-system model needs
 * (exponential, lognormal, gamma, uniform, empirical; discrete choice by an alias table).
 *
 * Never Math.random: the same seed must give the same report, so that a policy comparison can be
 * repeated and a failing test re-run. Each replication and each part of the model draws from its
 * own stream (`streamSeed`), which is what keeps two scenarios run with the same seed on the same
 * calls ("common random numbers"): a change to the patrol force does not shift the arrivals.
 */
import { SeededRandom } from '../domain/shared/seeded-random.js'

export { SeededRandom }

/** The generator of one stream of one replication (uniforms on [0, 1) from `next()`). */
export function randomStream(seed: number, replication: number, stream: number): SeededRandom {
  return new SeededRandom(streamSeed(seed, replication, stream))
}

/**
 * Mixes a scenario seed, a replication index and a stream number into one 32-bit seed
 * (a murmur3-style finaliser), so neighbouring seeds give unrelated sequences.
 */
export function streamSeed(seed: number, replication: number, stream: number): number {
  let h = (seed >>> 0) ^ Math.imul(replication + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca77)
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * A duration or other positive quantity, as a scenario states it (plain JSON). `mean` and `sd`
 * are in the unit the field's name says (seconds, minutes); calibration fits them from history.
 */
export type Distribution =
  | { kind: 'fixed'; value: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'lognormal'; mean: number; sd: number }
  | { kind: 'gamma'; mean: number; sd: number }
  | { kind: 'uniform'; min: number; max: number }
  /** Resampled from observed values (for example a year of on-scene times). */
  | { kind: 'empirical'; values: number[] }

/** The mean of a distribution, for the staffing formulas and the calibration report. */
export function meanOf(d: Distribution): number {
  switch (d.kind) {
    case 'fixed':
      return d.value
    case 'exponential':
    case 'lognormal':
    case 'gamma':
      return d.mean
    case 'uniform':
      return (d.min + d.max) / 2
    case 'empirical':
      return d.values.reduce((a, b) => a + b, 0) / Math.max(1, d.values.length)
  }
}

/** Throws a plain message when a distribution cannot be sampled. */
export function checkDistribution(d: Distribution, path: string): void {
  const bad = (why: string) => {
    throw new Error(`${path}: ${why}`)
  }
  switch (d.kind) {
    case 'fixed':
      if (!(d.value >= 0)) bad('value must be 0 or more')
      return
    case 'exponential':
      if (!(d.mean > 0)) bad('mean must be more than 0')
      return
    case 'lognormal':
    case 'gamma':
      if (!(d.mean > 0) || !(d.sd > 0)) bad('mean and sd must be more than 0')
      return
    case 'uniform':
      if (!(d.min >= 0) || !(d.max >= d.min)) bad('needs 0 ≤ min ≤ max')
      return
    case 'empirical':
      if (d.values.length === 0 || d.values.some((v) => !(v >= 0)))
        bad('values must be a non-empty list of numbers ≥ 0')
      return
    default:
      bad(`unknown kind ${(d as { kind: string }).kind}`)
  }
}

const FIXED = 0
const EXPONENTIAL = 1
const LOGNORMAL = 2
const GAMMA = 3
const UNIFORM = 4
const EMPIRICAL = 5

/**
 * Draws from a distribution with a stream, multiplied by `scale` (60 turns minutes into the
 * simulator's seconds). One class with a switch, rather than a closure per kind, so the
 * compiler can inline `sample()` into the model's loop; nothing here allocates per draw.
 *
 * - exponential: −mean·ln(1 − U);
 * - lognormal stated by its own mean and sd (what a CAD export gives), not the underlying
 *   normal's: σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2; normals by Marsaglia's polar method;
 * - gamma by mean and sd (shape = mean²/sd², scale = sd²/mean), Marsaglia and Tsang (2000),
 *   with the U^(1/shape) boost below shape 1;
 * - empirical: resampled from the observed values.
 */
export class Sampler {
  private readonly kind: number
  private readonly a: number
  private readonly b: number
  private readonly c: number
  private readonly d: number
  private readonly values: Float64Array
  private readonly rng: SeededRandom
  // The second normal of each polar pair, kept for the next draw.
  private readonly spare = new Float64Array(1)
  private hasSpare = false

  constructor(dist: Distribution, rng: SeededRandom, scale = 1) {
    this.rng = rng
    this.values = new Float64Array(0)
    this.a = 0
    this.b = 0
    this.c = 0
    this.d = 0
    switch (dist.kind) {
      case 'fixed':
        this.kind = FIXED
        this.a = dist.value * scale
        break
      case 'exponential':
        this.kind = EXPONENTIAL
        this.a = dist.mean * scale
        break
      case 'lognormal': {
        this.kind = LOGNORMAL
        const s2 = Math.log(1 + (dist.sd * dist.sd) / (dist.mean * dist.mean))
        this.a = Math.log(dist.mean * scale) - s2 / 2
        this.b = Math.sqrt(s2)
        break
      }
      case 'gamma': {
        this.kind = GAMMA
        const shape = (dist.mean * dist.mean) / (dist.sd * dist.sd)
        const boosted = shape < 1 ? shape + 1 : shape
        this.a = boosted - 1 / 3 // d
        this.b = 1 / Math.sqrt(9 * this.a) // c
        this.c = ((dist.sd * dist.sd) / dist.mean) * scale // scale
        this.d = shape < 1 ? 1 / shape : 0 // boost exponent, 0 = none
        break
      }
      case 'uniform':
        this.kind = UNIFORM
        this.a = dist.min * scale
        this.b = (dist.max - dist.min) * scale
        break
      case 'empirical':
        this.kind = EMPIRICAL
        this.values = Float64Array.from(dist.values, (v) => v * scale)
        break
      default:
        throw new Error(`unknown distribution ${(dist as { kind: string }).kind}`)
    }
  }

  sample(): number {
    switch (this.kind) {
      case FIXED:
        return this.a
      case EXPONENTIAL:
        return -this.a * Math.log(1 - this.rng.next())
      case LOGNORMAL:
        return Math.exp(this.a + this.b * this.normal())
      case UNIFORM:
        return this.a + this.b * this.rng.next()
      case EMPIRICAL:
        return this.values[(this.rng.next() * this.values.length) | 0] as number
      default:
        return this.gamma()
    }
  }

  /** A standard normal (Marsaglia's polar method). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return this.spare[0] as number
    }
    let x: number
    let y: number
    let s: number
    do {
      x = 2 * this.rng.next() - 1
      y = 2 * this.rng.next() - 1
      s = x * x + y * y
    } while (s >= 1 || s === 0)
    const f = Math.sqrt((-2 * Math.log(s)) / s)
    this.spare[0] = y * f
    this.hasSpare = true
    return x * f
  }

  private gamma(): number {
    const d = this.a
    const c = this.b
    let v: number
    let x: number
    for (;;) {
      do {
        x = this.normal()
        v = 1 + c * x
      } while (v <= 0)
      v = v * v * v
      const w = this.rng.next()
      if (w < 1 - 0.0331 * x * x * x * x) break
      if (Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) break
    }
    const g = d * v * this.c
    return this.d > 0 ? g * (1 - this.rng.next()) ** this.d : g
  }
}

/**
 * Walker's alias table: picks index i with probability weight[i] / Σ weight in O(1), from one
 * uniform. Used for "which call type and channel is this arrival" and "which answers".
 */
export class AliasTable {
  readonly size: number
  // Interleaved [threshold, alias] pairs: one cache line per pick, not two.
  private readonly table: Float64Array

  constructor(weights: ArrayLike<number>) {
    const n = weights.length
    if (n === 0) throw new Error('an alias table needs at least one weight')
    let total = 0
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number
      if (!(w >= 0)) throw new Error(`weight ${i} must be 0 or more`)
      total += w
    }
    if (!(total > 0)) throw new Error('the weights must not all be 0')
    this.size = n
    const table = new Float64Array(2 * n)
    const scaled = Float64Array.from({ length: n }, (_, i) => ((weights[i] as number) * n) / total)
    const small: number[] = []
    const large: number[] = []
    for (let i = 0; i < n; i++) ((scaled[i] as number) < 1 ? small : large).push(i)
    while (small.length && large.length) {
      const s = small.pop() as number
      const l = large.pop() as number
      table[2 * s] = scaled[s] as number
      table[2 * s + 1] = l
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1
      ;((scaled[l] as number) < 1 ? small : large).push(l)
    }
    // What is left is 1 up to rounding.
    for (const i of [...large, ...small]) {
      table[2 * i] = 1
      table[2 * i + 1] = i
    }
    this.table = table
  }

  /** The index drawn by uniform `u` in [0, 1). */
  pick(u: number): number {
    const x = u * this.size
    const i = x | 0
    return x - i < (this.table[2 * i] as number) ? i : (this.table[2 * i + 1] as number)
  }
}
