/**
 * The few probability distributions the analytics need, written out so the domain depends on
 * no statistics package. Each is accurate well beyond what a report shows (checked against
 * SciPy in distributions.test.ts): p-values are compared with thresholds such as 0.05 and
 * corrected for false discovery, so a sloppy tail would move features between bins.
 */

const SQRT_PI = Math.sqrt(Math.PI)

/**
 * The complementary error function, erfc(x) = 1 − erf(x), to about 1e-14 relative error.
 * Two exact expansions, each used where it converges quickly and loses little to
 * cancellation: below 1.5 the all-positive series
 *   erf(x) = (2/√π) e^(−x²) Σ (2x²)ⁿ x / (1·3·…·(2n+1)),
 * then 1 − erf (erfc > 0.03 there, so the subtraction costs at most a few ulps); from 1.5 up
 * the continued fraction (under 100 terms there, fewer further out)
 *   erfc(x) = (e^(−x²)/√π) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
 * evaluated with the modified Lentz method, which keeps the tail's relative precision (the
 * naive 1 − erf would return 0 beyond x ≈ 6).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x < 0) return 2 - erfc(-x)
  if (x < 1.5) {
    const x2 = x * x
    let term = x
    let sum = x
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1)
      sum += term
      if (term < sum * 1e-17) break
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum
  }
  if (x > 27) return 0 // e^(−729) underflows a double
  // Lentz: f = b0 + a1/(b1 + a2/(b2 + …)) with b = x, aₙ = n/2; we want 1/(x + a1/(x + …)).
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let n = 1; n < 5000; n++) {
    const a = n / 2
    d = x + a * d
    d = d === 0 ? tiny : d
    c = x + a / c
    c = c === 0 ? tiny : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return Math.exp(-x * x) / SQRT_PI / f
}

/** Standard normal CDF Φ(z), accurate in both tails (through erfc, never 1 − small). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2)
}

/** Upper tail 1 − Φ(z), computed directly so that it stays accurate for large z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

/** Two-sided p-value of a z-score, P(|Z| ≥ |z|); NaN stays NaN. */
export function twoSidedNormalP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2)
}

// Lanczos approximation, g = 7, n = 9 (the coefficients published by Paul Godfrey); about
// 1e-15 relative error for x ≥ 0.5, and the reflection formula below that.
const LANCZOS_G = 7
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Γ(x)Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  }
  const y = x - 1
  let a = LANCZOS[0]!
  const t = y + LANCZOS_G + 0.5
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (y + i)
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a)
}

const smallLogFactorials: number[] = [0]

/** ln k! for a non-negative integer k: exact sums of logs for small k, ln Γ(k+1) beyond. */
export function logFactorial(k: number): number {
  if (k < 0 || !Number.isInteger(k)) return Number.NaN
  if (k < 256) {
    while (smallLogFactorials.length <= k) {
      const n = smallLogFactorials.length
      smallLogFactorials.push(smallLogFactorials[n - 1]! + Math.log(n))
    }
    return smallLogFactorials[k]!
  }
  return logGamma(k + 1)
}

/** ln P(X = k) for X ~ Poisson(mean). */
export function poissonLogPmf(k: number, mean: number): number {
  if (mean === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY
  return k * Math.log(mean) - mean - logFactorial(k)
}

/**
 * P(X > k) for X ~ Poisson(mean) (SciPy's `poisson.sf(k, mean)`, i.e. 1 − cdf(k)). Whichever
 * tail is smaller is summed directly, so a p-value of 1e-12 is not lost as 1 − 0.999999999999.
 */
export function poissonSf(k: number, mean: number): number {
  if (k < 0) return 1
  const kk = Math.floor(k)
  if (mean === 0) return 0
  if (kk >= mean) {
    // Upper tail Σ_{i>k} p(i): terms fall off geometrically once i > mean.
    let i = kk + 1
    let term = Math.exp(poissonLogPmf(i, mean))
    let sum = 0
    while (term > 0 && term > sum * 1e-17) {
      sum += term
      i++
      term *= mean / i
    }
    return sum
  }
  // Lower tail Σ_{i≤k} p(i) is at most about 0.56 here, so 1 − it keeps full precision.
  let term = Math.exp(poissonLogPmf(kk, mean))
  let sum = 0
  for (let i = kk; i >= 0 && term > 0; i--) {
    sum += term
    if (term < sum * 1e-17) break
    term *= i / mean
  }
  return Math.max(0, 1 - sum)
}

/**
 * The regularised incomplete beta function I_x(a, b), by the continued fraction of
 * Numerical Recipes (betacf) with the symmetry I_x(a,b) = 1 − I_(1−x)(b,a) so the fraction is
 * always evaluated where it converges fast.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const lnFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x)
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  d = Math.abs(d) < tiny ? tiny : d
  d = 1 / d
  let h = d
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    d = Math.abs(d) < tiny ? tiny : d
    c = 1 + aa / c
    c = Math.abs(c) < tiny ? tiny : c
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    d = Math.abs(d) < tiny ? tiny : d
    c = 1 + aa / c
    c = Math.abs(c) < tiny ? tiny : c
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return h
}

/** Two-sided p-value of a Student t statistic with `df` degrees of freedom. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (!Number.isFinite(t)) return 0
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
}

/**
 * Benjamini–Hochberg adjusted p-values (R's `p.adjust(p, "BH")`): q₍ₖ₎ = min over j ≥ k of
 * p₍ⱼ₎·m/j, capped at 1. A feature is significant at false discovery rate α exactly when its
 * q ≤ α, which is the BH step-up rule. NaN p-values (undefined statistics) stay NaN and are not
 * counted in m: they are not hypotheses that were tested.
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const order = p
    .map((value, index) => ({ value, index }))
    .filter((e) => !Number.isNaN(e.value))
    .sort((a, b) => a.value - b.value || a.index - b.index)
  const m = order.length
  const q = p.map(() => Number.NaN)
  let running = 1
  for (let k = m - 1; k >= 0; k--) {
    const e = order[k]!
    running = Math.min(running, (e.value * m) / (k + 1))
    q[e.index] = running
  }
  return q
}
