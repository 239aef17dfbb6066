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
  readonly #days: DayRow[] = []
  readonly #hours: HourRow[] = []
  readonly #blocks: PlaceRow[] = []
  readonly #cells: PlaceRow[] = []
  // Each source's local wall-clock hours, each with its hour row and its day's and month's
  // counts: an event is counted by looking up its hour, then its values in nested maps (the
  // same few strings, call after call), never by building a key.
  readonly #slots = new Map<RollupSource, Map<number, Slot>>()
  readonly #hourRows = new Map<string, HourRow>()
  readonly #dayCounts = new Map<string, DayCounts>()
  readonly #monthCounts = new Map<string, MonthCounts>()

  constructor(local: LocalTime) {
    this.#local = local
  }

  add(e: RollupEvent): void {
    const localMs = this.#local.localMs(e.at)
    const localHour = Math.floor(localMs / HOUR)
    let slots = this.#slots.get(e.source)
    if (!slots) {
      slots = new Map()
      this.#slots.set(e.source, slots)
    }
    const slot = slots.get(localHour) ?? this.#slot(slots, e, localHour, localMs)
    slot.hour.n += 1
    const callType = e.callType ?? ''
    const priority = e.priority ?? -1
    const district = e.district ?? ''
    const channel = e.channel ?? ''
    let byPriority = slot.day.get(callType)
    if (!byPriority) {
      byPriority = new Map()
      slot.day.set(callType, byPriority)
    }
    let byDistrict = byPriority.get(priority)
    if (!byDistrict) {
      byDistrict = new Map()
      byPriority.set(priority, byDistrict)
    }
    let byChannel = byDistrict.get(district)
    if (!byChannel) {
      byChannel = new Map()
      byDistrict.set(district, byChannel)
    }
    const row = byChannel.get(channel)
    if (row) row.n += 1
    else {
      const day = slot.hour.day
      const fresh = { source: e.source, day, callType, channel, priority, district, n: 1 }
      byChannel.set(channel, fresh)
      this.#days.push(fresh)
    }
    if (e.block) bump(slot.month.blocks, this.#blocks, e.source, slot.month.month, e.block)
    if (e.h3) bump(slot.month.cells, this.#cells, e.source, slot.month.month, e.h3)
  }

  /** A local hour met for the first time: its day, hour of day and month, worked out once. */
  #slot(slots: Map<number, Slot>, e: RollupEvent, localHour: number, localMs: number): Slot {
    const day = localDate(e.at, this.#local)
    const hour = Math.floor((((localMs % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR)) / HOUR)
    const month = day.slice(0, 7)
    const hourKey = `${e.source}\0${day}\0${hour}`
    let hourRow = this.#hourRows.get(hourKey)
    if (!hourRow) {
      hourRow = { source: e.source, day, hour, n: 0 }
      this.#hourRows.set(hourKey, hourRow)
      this.#hours.push(hourRow)
    }
    const dayKey = `${e.source}\0${day}`
    let dayCounts = this.#dayCounts.get(dayKey)
    if (!dayCounts) {
      dayCounts = new Map()
      this.#dayCounts.set(dayKey, dayCounts)
    }
    const monthKey = `${e.source}\0${month}`
    let monthCounts = this.#monthCounts.get(monthKey)
    if (!monthCounts) {
      monthCounts = { month, blocks: new Map(), cells: new Map() }
      this.#monthCounts.set(monthKey, monthCounts)
    }
    const slot = { hour: hourRow, day: dayCounts, month: monthCounts }
    slots.set(localHour, slot)
    return slot
  }

  rows(): RollupRows {
    return { days: this.#days, hours: this.#hours, blocks: this.#blocks, cells: this.#cells }
  }
}

/** A day's counts by call type, priority, district and channel. */
type DayCounts = Map<string, Map<number, Map<string, Map<string, DayRow>>>>
/** A month's counts by block and by cell. */
interface MonthCounts {
  month: string
  blocks: Map<string, PlaceRow>
  cells: Map<string, PlaceRow>
}
interface Slot {
  hour: HourRow
  day: DayCounts
  month: MonthCounts
}

function bump(
  counts: Map<string, PlaceRow>,
  rows: PlaceRow[],
  source: RollupSource,
  month: string,
  place: string,
): void {
  const row = counts.get(place)
  if (row) row.n += 1
  else {
    const fresh = { source, month, place, n: 1 }
    counts.set(place, fresh)
    rows.push(fresh)
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
