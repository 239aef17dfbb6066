import { poissonLogPmf } from './distributions.js'

/**
 * The concentration of events on places (the "law of crime concentration": about 50 % of
 * crime on 2–6 % of street segments, Weisburd 2015; 50 % of calls from 3 % of places, Sherman
 * et al. 1989), with the random baseline it must be read against.
 *
 * Why the baseline: when events are few compared with places, most places have none and the
 * few busy places hold most events even if events fall at random. Twenty calls on a hundred
 * blocks put 50 % of the calls on about 10 % of the blocks by chance alone. So the report
 * gives, next to the observed share, the share expected if every event picked a place at
 * random (Poisson with the same mean per place), see `poissonConcentrationBaseline`.
 *
 * The denominator is all places of the study area, those with no event included (Weisburd
 * counts every street segment). Pass them as zeros or give `places`.
 */

export interface ConcentrationPoint {
  /** share of places, 0..1, the busiest first */
  placeShare: number
  /** share of events on those places, 0..1 */
  eventShare: number
}

/** Sorted counts (busiest first) padded to `places` with zeros, and the total. */
function prepare(counts: readonly number[], places?: number) {
  const total = counts.reduce((a, b) => a + b, 0)
  const all = places ?? counts.length
  if (all < counts.length) {
    throw new RangeError(`places (${all}) is less than the ${counts.length} counts given`)
  }
  for (const c of counts) {
    if (!(c >= 0)) throw new RangeError(`a count must be non-negative, got ${c}`)
  }
  return { sorted: [...counts].sort((a, b) => b - a), total, all }
}

/**
 * The concentration curve (a Lorenz curve read from the busy end): after the k busiest
 * places, the share of places and of events. Starts at (0, 0); ends at (1, 1) when there is
 * at least one event. Places with no event form one straight last segment.
 */
export function concentrationCurve(
  counts: readonly number[],
  options: { places?: number } = {},
): ConcentrationPoint[] {
  const { sorted, total, all } = prepare(counts, options.places)
  const points: ConcentrationPoint[] = [{ placeShare: 0, eventShare: 0 }]
  if (all === 0 || total === 0) return points
  let cumulative = 0
  let k = 0
  for (const c of sorted) {
    if (c === 0) break
    cumulative += c
    k++
    points.push({ placeShare: k / all, eventShare: cumulative / total })
  }
  if (k < all) points.push({ placeShare: 1, eventShare: 1 })
  return points
}

export interface PlacesHolding {
  /** the smallest number of places (busiest first) that together hold `fraction` of events */
  placeCount: number
  /**
   * The share of places holding `fraction` of the events, read on the curve with linear
   * interpolation inside the last place needed (so a place holding 3 events of which 1 is
   * needed counts for 1/3). This is the quantity the Poisson baseline is the expectation of;
   * placeCount / places differs from it by less than one place.
   */
  share: number
}

/** The share of places holding `fraction` (default 50 %) of the events. */
export function shareOfPlacesHolding(
  counts: readonly number[],
  fraction = 0.5,
  options: { places?: number } = {},
): PlacesHolding {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError('fraction must be in (0, 1]')
  const { sorted, total, all } = prepare(counts, options.places)
  if (total === 0) return { placeCount: 0, share: 0 }
  const needed = fraction * total
  let cumulative = 0
  for (let k = 0; k < sorted.length; k++) {
    const c = sorted[k]!
    // Compare with a relative tolerance so that 0.5 · 10 = 5 is reached by 2 + 3.
    if (cumulative + c >= needed * (1 - 1e-12)) {
      const part = Math.min(1, (needed - cumulative) / c)
      return { placeCount: k + 1, share: (k + part) / all }
    }
    cumulative += c
  }
  return { placeCount: sorted.length, share: sorted.length / all }
}

/**
 * The expected share of places holding `fraction` of the events if events fell on places at
 * random, each place's count being Poisson with mean `lambda` (events per place), in the limit
 * of many places. Vector T14: λ = 0.25, 0.5, 1.5, 5, 20 → 9.6 %, 14.3 %, 23.5 %, 33.4 %,
 * 41.3 % of places hold 50 % of the events.
 *
 * Derivation: with p(k) = P(X = k), places with exactly k events hold the share k·p(k)/λ =
 * p(k−1) of all events, so places with at least k events hold P(X ≥ k−1). Taking places from
 * the busiest down, find the level k where the running event share crosses `fraction`: places
 * with more than k events (share P(X ≥ k+1) of places) hold P(X ≥ k) of the events, and the
 * rest, fraction − P(X ≥ k), comes from a part of the places with exactly k events, each of
 * which holds k/λ of the events per unit share of places. So
 *   share = P(X ≥ k+1) + (fraction − P(X ≥ k)) · λ / k.
 * This is the same interpolated reading of the curve as `shareOfPlacesHolding`.
 */
export function poissonConcentrationBaseline(lambda: number, fraction = 0.5): number {
  if (!(lambda > 0)) throw new RangeError('lambda must be positive')
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError('fraction must be in (0, 1]')
  // Walk up from k = 0 accumulating P(X ≤ k); the upper tails follow as 1 − that, which is
  // precise enough here (a 0.1 percentage-point answer) and needs no special tail code.
  // `atLeast(k)` = P(X ≥ k) = 1 − P(X ≤ k − 1).
  let cdfBelow = 0 // P(X ≤ k − 1)
  for (let k = 0; ; k++) {
    const pk = Math.exp(poissonLogPmf(k, lambda))
    const atLeastK = 1 - cdfBelow // P(X ≥ k): event share of places with ≥ k+1 events
    const atLeastKPlus1 = atLeastK - pk // P(X ≥ k+1): place share of places with ≥ k+1 events
    // Event share of places with ≥ k events is P(X ≥ k − 1) = atLeastK + p(k−1).
    if (k >= 1 && atLeastK < fraction) {
      return Math.max(0, atLeastKPlus1) + ((fraction - atLeastK) * lambda) / k
    }
    cdfBelow += pk
    if (k > lambda + 50 * Math.sqrt(lambda) + 50) {
      // Not reached for fraction ≤ 1: the event share tends to 0 as k grows.
      throw new Error('poissonConcentrationBaseline did not converge')
    }
  }
}

export interface ConcentrationReport {
  places: number
  events: number
  /** mean events per place, the λ of the baseline */
  eventsPerPlace: number
  fraction: number
  observed: PlacesHolding
  /** expected share under random placement (Poisson with λ = eventsPerPlace) */
  randomBaseline: number
  /** share of places with at least one event, and its random expectation 1 − e^(−λ) */
  placesWithEvents: number
  placesWithEventsRandom: number
}

/** The observed concentration and its random baseline, side by side. */
export function concentrationReport(
  counts: readonly number[],
  options: { places?: number; fraction?: number } = {},
): ConcentrationReport {
  const fraction = options.fraction ?? 0.5
  const { total, all } = prepare(counts, options.places)
  const lambda = all > 0 ? total / all : 0
  return {
    places: all,
    events: total,
    eventsPerPlace: lambda,
    fraction,
    observed: shareOfPlacesHolding(counts, fraction, { places: all }),
    randomBaseline: lambda > 0 ? poissonConcentrationBaseline(lambda, fraction) : 0,
    placesWithEvents: all > 0 ? counts.filter((c) => c > 0).length / all : 0,
    placesWithEventsRandom: 1 - Math.exp(-lambda),
  }
}
