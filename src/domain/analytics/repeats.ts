import { DAY, type Instant } from '../shared/instant.js'

/**
 * Repeat locations: places (an address, a block, a segment) with two or more events in a
 * window, and how soon an event at a place is followed by the next one there. Repeat calls
 * are the classic target of problem-oriented policing (Sherman 1987: 5 % of Minneapolis
 * addresses produced 64 % of calls); the time to repeat says how long a fix has to hold.
 */

export interface PlacedEvent {
  /** the place key (block, address or segment id) */
  place: string
  at: Instant
}

export interface RepeatPlace {
  place: string
  count: number
  firstAt: Instant
  lastAt: Instant
}

export interface TimeToRepeat {
  /** gaps measured (one per event that has a later event at the same place in the window) */
  gaps: number
  /** median gap in ms (mean of the middle two for an even number); NaN without gaps */
  medianMs: number
  /** share of the gaps that are ≤ 7 days, and ≤ 30 days; NaN without gaps */
  shareWithin7Days: number
  shareWithin30Days: number
}

export interface RepeatReport {
  /** events in the window */
  events: number
  /** places with at least one event in the window */
  places: number
  /** places with ≥ 2 events, busiest first, ties by place key */
  repeatPlaces: RepeatPlace[]
  /** share of the places with events that are repeat places */
  repeatPlaceShare: number
  /** share of the events that happened at repeat places */
  repeatEventShare: number
  timeToRepeat: TimeToRepeat
}

/**
 * Repeats among the events with from ≤ at < to. The time to repeat is the gap from each event
 * to the next event at the same place, so a place with k events gives k − 1 gaps (the
 * distribution is over gaps, not places: busy places weigh more, as they do in the workload).
 *
 * Right-censoring: an event near the end of the window has less time in which a repeat can be
 * seen, so long gaps are under-counted and the median is biased short; compare windows of the
 * same length, or leave a follow-up margin by ending `to` later than the events of interest.
 * Events at the same instant and place give a gap of 0 (a duplicate call) and are kept.
 */
export function repeatLocations(
  events: readonly PlacedEvent[],
  window: { from: Instant; to: Instant },
): RepeatReport {
  const byPlace = new Map<string, Instant[]>()
  let inWindow = 0
  for (const e of events) {
    if (e.at < window.from || e.at >= window.to) continue
    inWindow++
    const list = byPlace.get(e.place)
    if (list) list.push(e.at)
    else byPlace.set(e.place, [e.at])
  }
  const repeatPlaces: RepeatPlace[] = []
  const gaps: number[] = []
  let repeatEvents = 0
  for (const [place, times] of byPlace) {
    if (times.length < 2) continue
    times.sort((a, b) => a - b)
    for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!)
    repeatEvents += times.length
    repeatPlaces.push({ place, count: times.length, firstAt: times[0]!, lastAt: times.at(-1)! })
  }
  repeatPlaces.sort(
    (a, b) => b.count - a.count || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0),
  )
  return {
    events: inWindow,
    places: byPlace.size,
    repeatPlaces,
    repeatPlaceShare: byPlace.size > 0 ? repeatPlaces.length / byPlace.size : 0,
    repeatEventShare: inWindow > 0 ? repeatEvents / inWindow : 0,
    timeToRepeat: timeToRepeat(gaps),
  }
}

/** Summary of a list of gaps in ms. */
export function timeToRepeat(gapsMs: readonly number[]): TimeToRepeat {
  const sorted = [...gapsMs].sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) {
    return {
      gaps: 0,
      medianMs: Number.NaN,
      shareWithin7Days: Number.NaN,
      shareWithin30Days: Number.NaN,
    }
  }
  const mid = Math.floor(n / 2)
  const medianMs = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  const within = (ms: number) => sorted.filter((g) => g <= ms).length / n
  return {
    gaps: n,
    medianMs,
    shareWithin7Days: within(7 * DAY),
    shareWithin30Days: within(30 * DAY),
  }
}
