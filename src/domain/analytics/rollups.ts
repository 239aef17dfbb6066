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
  const days = new Map<string, DayRow>()
  const hours = new Map<string, HourRow>()
  const blocks = new Map<string, PlaceRow>()
  const cells = new Map<string, PlaceRow>()
  const bump = <T extends { n: number }>(m: Map<string, T>, key: string, make: () => T) => {
    const row = m.get(key)
    if (row) row.n += 1
    else m.set(key, { ...make(), n: 1 })
  }
  for (const e of events) {
    const day = localDate(e.at, local)
    const hour = Math.floor(
      (((local.localMs(e.at) % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR)) / HOUR,
    )
    const month = day.slice(0, 7)
    const d = {
      source: e.source,
      day,
      callType: e.callType ?? '',
      channel: e.channel ?? '',
      priority: e.priority ?? -1,
      district: e.district ?? '',
    }
    bump(days, JSON.stringify(d), () => ({ ...d, n: 0 }))
    bump(hours, `${e.source}|${day}|${hour}`, () => ({ source: e.source, day, hour, n: 0 }))
    if (e.block)
      bump(blocks, `${e.source}|${month}|${e.block}`, () => ({
        source: e.source,
        month,
        place: e.block as string,
        n: 0,
      }))
    if (e.h3)
      bump(cells, `${e.source}|${month}|${e.h3}`, () => ({
        source: e.source,
        month,
        place: e.h3 as string,
        n: 0,
      }))
  }
  return {
    days: [...days.values()],
    hours: [...hours.values()],
    blocks: [...blocks.values()],
    cells: [...cells.values()],
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
