/**
 * Queueing formulas for staffing the 911 and 311 lines: Erlang B, Erlang C (M/M/N) and Erlang A
 * (M/M/N+M: callers hang up after an exponential patience), plus the Halfin–Whitt square-root
 * approximation for quick what-ifs. Formulas and test vectors: research note
 * analytics-or-anchors.md §2.1–2.3 (T7, T8, T11).
 *
 * Numerically stable: Erlang B by its recursion (never A^N / N!), Erlang A's stationary
 * distribution in log space, normalised by its largest term, so hundreds of positions and
 * thousands of calls an hour neither overflow nor lose precision.
 *
 * Service level is defined once, the way Erlang A needs it and vendors differ on: the share of
 * ALL offered calls answered within the target time. A caller who hangs up counts as a failure,
 * whenever they hung up. Average speed of answer (ASA) is the mean wait over all offered calls
 * (a caller answered at once waits 0; with abandonment, the waits of those who hung up count up
 * to when they hung up), as in the research note and pyworkforce.
 */
import { normalCdf } from '../analytics/distributions.js'

/** What one line looks like for one interval. */
export interface LineLoad {
  /** Calls offered per hour. */
  callsPerHour: number
  /** Mean handle time (talk + after-call work), seconds. */
  handleSeconds: number
  /** Call-takers answering (positions staffed). */
  agents: number
  /** The service-level target time, seconds (e.g. 20). */
  targetSeconds: number
}

export interface LineMetrics {
  agents: number
  /** Offered load A = λ·AHT, in Erlangs. */
  offeredLoad: number
  /** False when the line cannot keep up (Erlang C with N ≤ A): the queue grows without end. */
  stable: boolean
  /** Share of callers who find every call-taker busy and wait. */
  probabilityOfWait: number
  /** Mean wait over all offered calls, seconds. */
  averageSpeedOfAnswerSeconds: number
  /** Share of all offered calls answered within `targetSeconds`. */
  serviceLevel: number
  /** Share of offered calls that hang up before an answer (0 under Erlang C). */
  abandonShare: number
  /** Share of the call-takers' time spent on calls. */
  occupancy: number
}

/** Erlang B: the share of calls blocked with N servers and load A, by the stable recursion. */
export function erlangB(agents: number, offeredLoad: number): number {
  let b = 1
  for (let k = 1; k <= agents; k++) b = (offeredLoad * b) / (k + offeredLoad * b)
  return b
}

/**
 * Erlang C (M/M/N, callers wait for ever). C = N·B / (N − A·(1 − B));
 * ASA = C·AHT / (N − A); SL(t) = 1 − C·e^(−(N−A)·t/AHT); occupancy = A/N.
 * With N ≤ A the queue is unstable: reported as such (everyone waits, for ever), not thrown,
 * so a staffing screen can show the row.
 */
export function erlangC(load: LineLoad): LineMetrics {
  checkLoad(load)
  const { agents: n, handleSeconds: aht, targetSeconds: t } = load
  const a = (load.callsPerHour * aht) / 3600
  if (a === 0) return idle(n)
  if (n <= a) {
    return {
      agents: n,
      offeredLoad: a,
      stable: false,
      probabilityOfWait: 1,
      averageSpeedOfAnswerSeconds: Number.POSITIVE_INFINITY,
      serviceLevel: 0,
      abandonShare: 0,
      occupancy: 1,
    }
  }
  const b = erlangB(n, a)
  const c = (n * b) / (n - a * (1 - b))
  return {
    agents: n,
    offeredLoad: a,
    stable: true,
    probabilityOfWait: c,
    averageSpeedOfAnswerSeconds: (c * aht) / (n - a),
    serviceLevel: 1 - c * Math.exp((-(n - a) * t) / aht),
    abandonShare: 0,
    occupancy: a / n,
  }
}

/**
 * Erlang A (M/M/N+M; Palm 1943, Garnett, Mandelbaum and Reiman 2002): callers hang up after an
 * exponential patience with mean `patienceSeconds`. Exact birth–death chain: birth λ, death
 * min(k,N)·μ + max(k−N,0)·θ, θ = 1/patience. Always stable (waiting callers leave).
 *   P(wait) = Σ_{k≥N} π_k;  P(abandon) = θ·E[Q]/λ;  ASA = E[Q]/λ;  occupancy = E[min(k,N)]/N.
 * Service level: π(k<N) + Σ_j π_{N+j}·P(a caller with j ahead reaches a call-taker within t
 * before hanging up), computed by uniformisation of that caller's own chain (see
 * `answeredWithin`).
 */
export function erlangA(load: LineLoad & { patienceSeconds: number }): LineMetrics {
  checkLoad(load)
  if (!(load.patienceSeconds > 0)) throw new RangeError('patienceSeconds must be more than 0')
  if (!Number.isFinite(load.patienceSeconds)) return erlangC(load)
  const n = load.agents
  const lambda = load.callsPerHour / 3600
  const mu = 1 / load.handleSeconds
  const theta = 1 / load.patienceSeconds
  const a = lambda / mu
  if (a === 0) return idle(n)

  const pi = stationary(n, lambda, mu, theta)
  let pWait = 0
  let queue = 0
  let busy = 0
  for (let k = 0; k < pi.length; k++) {
    const p = pi[k] as number
    if (k >= n) {
      pWait += p
      queue += (k - n) * p
      busy += n * p
    } else busy += k * p
  }
  let answeredAtOnce = 0
  for (let k = 0; k < Math.min(n, pi.length); k++) answeredAtOnce += pi[k] as number
  const ahead = pi.subarray(Math.min(n, pi.length))
  const sl = answeredAtOnce + answeredWithin(ahead, n * mu, theta, load.targetSeconds)
  return {
    agents: n,
    offeredLoad: a,
    stable: true,
    probabilityOfWait: pWait,
    averageSpeedOfAnswerSeconds: queue / lambda,
    serviceLevel: sl,
    abandonShare: (theta * queue) / lambda,
    occupancy: n === 0 ? 0 : busy / n,
  }
}

/** π_0…π_K of the Erlang A chain, truncated where the tail is below 1e-18 of the peak. */
function stationary(n: number, lambda: number, mu: number, theta: number): Float64Array {
  const logs: number[] = [0]
  let lw = 0
  let peak = 0
  for (let k = 1; ; k++) {
    const death = Math.min(k, n) * mu + Math.max(k - n, 0) * theta
    lw += Math.log(lambda / death)
    logs.push(lw)
    if (lw > peak) peak = lw
    // Past N the ratio λ/death falls towards 0, so once terms shrink below 1e-18 of the peak
    // and are still falling, the rest of the tail cannot matter.
    if (k > n && lambda < death && lw < peak - 41.5) break
    if (k > 5_000_000) throw new RangeError('the Erlang A chain does not settle')
  }
  const pi = new Float64Array(logs.length)
  let total = 0
  for (let k = 0; k < logs.length; k++) {
    const w = Math.exp((logs[k] as number) - peak)
    pi[k] = w
    total += w
  }
  for (let k = 0; k < pi.length; k++) pi[k] = (pi[k] as number) / total
  return pi
}

/**
 * Σ_j mass[j]·P(a caller who finds j callers ahead of them reaches a call-taker within t).
 * That caller's chain: with j ≥ 1 ahead the line moves on at rate Nμ + jθ (a call ends, or
 * someone ahead hangs up); with none ahead they are answered at rate Nμ; they hang up
 * themselves at rate θ. Uniformisation at rate R = Nμ + (J+1)θ turns it into a discrete chain
 * whose step count is Poisson(R·t); the answered mass after n steps is weighted accordingly.
 */
function answeredWithin(mass: Float64Array, nMu: number, theta: number, t: number): number {
  const J = mass.length - 1
  if (J < 0 || t <= 0) return 0
  const rate = nMu + (J + 1) * theta
  const rt = rate * t
  let v = Float64Array.from(mass)
  let next = new Float64Array(mass.length)
  let answered = 0
  let weighted = 0
  // Poisson weights in log space from n = 0, so a large R·t does not underflow e^(−R·t).
  let logP = -rt
  let cumulative = 0
  const maxSteps = Math.ceil(rt + 12 * Math.sqrt(rt) + 30)
  for (let step = 0; step <= maxSteps; step++) {
    const p = Math.exp(logP)
    weighted += p * answered
    cumulative += p
    if (cumulative > 1 - 1e-14 && step > rt) break
    // One step of the uniformised chain.
    next.fill(0)
    const stay0 = 1 - (nMu + theta) / rate
    answered += (v[0] as number) * (nMu / rate)
    next[0] = (v[0] as number) * stay0
    for (let j = 1; j <= J; j++) {
      const x = v[j] as number
      if (x === 0) continue
      const move = (nMu + j * theta) / rate
      next[j - 1] = (next[j - 1] as number) + x * move
      next[j] = (next[j] as number) + x * (1 - move - theta / rate)
    }
    const swap = v
    v = next
    next = swap
    logP += Math.log(rt) - Math.log(step + 1)
  }
  return weighted
}

/**
 * The Halfin–Whitt approximation of the probability of wait with N = R + β·√R:
 * α(β) = [1 + β·Φ(β)/φ(β)]⁻¹. For a quick "how many more call-takers" estimate only; the
 * product always uses the exact formulas above (they cost O(N)).
 */
export function halfinWhittWaitProbability(beta: number): number {
  const phi = Math.exp((-beta * beta) / 2) / Math.sqrt(2 * Math.PI)
  return 1 / (1 + (beta * normalCdf(beta)) / phi)
}

function idle(n: number): LineMetrics {
  return {
    agents: n,
    offeredLoad: 0,
    stable: true,
    probabilityOfWait: 0,
    averageSpeedOfAnswerSeconds: 0,
    serviceLevel: 1,
    abandonShare: 0,
    occupancy: 0,
  }
}

function checkLoad(load: LineLoad): void {
  if (!(load.callsPerHour >= 0)) throw new RangeError('callsPerHour must be 0 or more')
  if (!(load.handleSeconds > 0)) throw new RangeError('handleSeconds must be more than 0')
  if (!Number.isInteger(load.agents) || load.agents < 0)
    throw new RangeError('agents must be a whole number, 0 or more')
  if (!(load.targetSeconds >= 0)) throw new RangeError('targetSeconds must be 0 or more')
}
