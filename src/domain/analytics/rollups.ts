import type { CallForService } from '../history/call-for-service.js'
import type { Incident } from '../incidents/incident.js'
import type { Instant } from '../shared/instant.js'
import { HOUR } from '../shared/instant.js'
import { type LocalTime, localDate } from './trends.js'

/**
 * Rollups: counts kept as calls arrive, so dashboards read a few thousand rows instead of
 * scanning years of history (issue #8). One definition of how an event is counted, used by the
 * store on every write and by the rebuild; the store contract checks them against raw counts.
 */
export type RollupSource = '311' | '911'

/** One call as the rollups see it. */
export interface RollupEvent {
  source: RollupSource
  at: Instant
  callType: string | null
  channel: string | null
  priority: number | null
  district: string | null
  block: string | null
  h3: string | null
}

/** Unknown values are stored as '' (or priority -1), so every rollup key is complete. */
export interface DayRow {
  source: RollupSource
  day: string
  callType: string
  channel: string
  priority: number
  district: string
  n: number
}
export interface HourRow {
  source: RollupSource
  day: string
  hour: number
  n: number
}
export interface PlaceRow {
  source: RollupSource
  month: string
  place: string
  n: number
}

export interface RollupRows {
  days: DayRow[]
  hours: HourRow[]
  blocks: PlaceRow[]
  cells: PlaceRow[]
}

/** Counts a batch of events into rollup rows (local days and hours in the city's zone). */
export function rollUp(events: readonly RollupEvent[], local: LocalTime): RollupRows {
  const counter = new RollupCounter(local)
  for (const e of events) counter.add(e)
  return counter.rows()
}

/**
 * Rollup rows counted one event at a time: a batch's (`rollUp`), or a whole import's, added to
 * the stored counts once at its end.
 */
export class RollupCounter {
  readonly #local: LocalTime
  readonly #days = new Map<string, DayRow>()
  readonly #hours = new Map<string, HourRow>()
  readonly #blocks = new PlaceCounts()
  readonly #cells = new PlaceCounts()
  // The local day and hour depend only on the local wall-clock hour: worked out once per hour.
  readonly #clock = new Map<number, { day: string; hour: number; month: string }>()

  constructor(local: LocalTime) {
    this.#local = local
  }

  add(e: RollupEvent): void {
    const local = this.#local
    const localHour = Math.floor(local.localMs(e.at) / HOUR)
    let when = this.#clock.get(localHour)
    if (!when) {
      const day = localDate(e.at, local)
      const hour = Math.floor(
        (((local.localMs(e.at) % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR)) / HOUR,
      )
      when = { day, hour, month: day.slice(0, 7) }
      this.#clock.set(localHour, when)
    }
    const { day, hour, month } = when
    const callType = e.callType ?? ''
    const channel = e.channel ?? ''
    const priority = e.priority ?? -1
    const district = e.district ?? ''
    // NUL never occurs in these values, so the joined key is unambiguous.
    const dayKey = `${e.source}\0${day}\0${callType}\0${channel}\0${priority}\0${district}`
    const d = this.#days.get(dayKey)
    if (d) d.n += 1
    else
      this.#days.set(dayKey, { source: e.source, day, callType, channel, priority, district, n: 1 })
    const hourKey = `${e.source}\0${day}\0${hour}`
    const h = this.#hours.get(hourKey)
    if (h) h.n += 1
    else this.#hours.set(hourKey, { source: e.source, day, hour, n: 1 })
    if (e.block) this.#blocks.bump(e.source, month, e.block)
    if (e.h3) this.#cells.bump(e.source, month, e.h3)
  }

  rows(): RollupRows {
    return {
      days: [...this.#days.values()],
      hours: [...this.#hours.values()],
      blocks: this.#blocks.rows,
      cells: this.#cells.rows,
    }
  }
}

/**
 * Counts by source, month and place in nested maps: the place strings repeat (the same block
 * or cell, call after call), so looking them up directly is cheaper than building a joined key.
 */
class PlaceCounts {
  readonly rows: PlaceRow[] = []
  readonly #index = new Map<string, Map<string, PlaceRow>>()

  bump(source: RollupSource, month: string, place: string) {
    const key = `${source}\0${month}`
    let inMonth = this.#index.get(key)
    if (!inMonth) {
      inMonth = new Map()
      this.#index.set(key, inMonth)
    }
    const row = inMonth.get(place)
    if (row) row.n += 1
    else {
      const fresh = { source, month, place, n: 1 }
      inMonth.set(place, fresh)
      this.rows.push(fresh)
    }
  }
}

/** A 911 call for service as the rollups count it (it has no channel: it came by 911). */
export function rollupEventOfCall(
  c: Pick<
    CallForService,
    'receivedAt' | 'callType' | 'priority' | 'policeDistrict' | 'block' | 'h3'
  >,
): RollupEvent {
  return {
    source: '911',
    at: c.receivedAt,
    callType: c.callType,
    channel: null,
    priority: c.priority,
    district: c.policeDistrict,
    block: c.block,
    h3: c.h3,
  }
}

/** A new incident as the rollups count it: where and how it arrived. */
export function rollupEventOf(i: Incident): RollupEvent {
  return {
    source: '311',
    at: i.receivedAt,
    callType: i.callType,
    channel: i.channel,
    priority: i.priority,
    district: i.location?.policeDistrict ?? null,
    block: i.location?.block ?? null,
    h3: i.location?.h3 ?? null,
  }
}
