import { cellToBoundary, cellToLatLng } from 'h3-js'
import { type Coincidence, coincidence } from '../../domain/analytics/coincidence.js'
import {
  type ConcentrationReport,
  concentrationReport,
} from '../../domain/analytics/concentration.js'
import {
  type CellHotSpot,
  type ConfidenceBin,
  confidenceBins,
  giStarOnCells,
  h3Neighbours,
} from '../../domain/analytics/gi-star.js'
import { type KnoxTable, knoxPermutationP, knoxTest } from '../../domain/analytics/knox.js'
import { type RankedBlocks, rankedBlocks } from '../../domain/analytics/ranked-blocks.js'
import { type RepeatReport, repeatLocations } from '../../domain/analytics/repeats.js'
import type { RollupSource } from '../../domain/analytics/rollups.js'
import { HOURS_PER_WEEK, hourOfWeekExposure } from '../../domain/analytics/trends.js'
import { distanceMetres } from '../../domain/shared/geo.js'
import { DAY, type Instant, zoneOffsetMinutes } from '../../domain/shared/instant.js'
import { seededRandom } from '../../domain/shared/seeded-random.js'
import type { AppDeps } from '../deps.js'

/**
 * The analyst's questions, answered from the rollups (issue #8): the dashboards read a few
 * thousand pre-counted rows, never the history itself. Each answer is the pure domain
 * definition applied to counts the store adds up, so a test can compare it with the same
 * definition run over raw calls.
 *
 * Periods are local dates, inclusive. Place questions (blocks, cells) are counted by month, so
 * they cover the whole months the period touches; each answer says which months it used.
 */
export interface Period {
  /** 'YYYY-MM-DD', local, inclusive */
  from: string
  to: string
}

/** Which calls: 311 incidents, 911 calls for service, or both together. */
export type Sources = RollupSource | 'both'

export interface PlaceQuery extends Period {
  source: Sources
}

const sourcesOf = (s: Sources): RollupSource[] => (s === 'both' ? ['311', '911'] : [s])

function monthsOf(period: Period): { fromMonth: string; toMonth: string } {
  return { fromMonth: period.from.slice(0, 7), toMonth: period.to.slice(0, 7) }
}

async function placeCounts(
  deps: AppDeps,
  kind: 'block' | 'cell',
  q: PlaceQuery,
): Promise<Map<string, number>> {
  const { fromMonth, toMonth } = monthsOf(q)
  const counts = new Map<string, number>()
  for (const source of sourcesOf(q.source))
    for (const r of await deps.store.rollups.places(kind, source, fromMonth, toMonth))
      counts.set(r.place, (counts.get(r.place) ?? 0) + r.n)
  return counts
}

export interface TopBlocksAnswer extends RankedBlocks {
  months: { fromMonth: string; toMonth: string }
}

/** The busiest street blocks, with their share of all calls and the cumulative share. */
export async function topBlocks(
  deps: AppDeps,
  q: PlaceQuery & { limit: number },
): Promise<TopBlocksAnswer> {
  const months = monthsOf(q)
  // Only the busiest blocks leave the database (with the totals the shares need); the ranking
  // itself, ties and all, is the pure definition's.
  const top = await deps.store.rollups.topPlaces(
    'block',
    sourcesOf(q.source),
    months.fromMonth,
    months.toMonth,
    q.limit,
  )
  const ranked = rankedBlocks(
    top.rows.map((r) => [r.place, r.n] as const),
    q.limit,
  )
  let cumulative = 0
  const rows = ranked.rows.map((r) => {
    cumulative += r.count
    return {
      ...r,
      share: top.total > 0 ? r.count / top.total : 0,
      cumulativeShare: top.total > 0 ? cumulative / top.total : 0,
    }
  })
  return {
    rows,
    total: top.total,
    blocks: top.places,
    topShare: top.total > 0 ? cumulative / top.total : 0,
    months,
  }
}

export interface HotSpotCell extends CellHotSpot {
  /** the FDR-corrected confidence bin: ±3 = 99 %, ±2 = 95 %, ±1 = 90 %, 0 = not significant */
  fdrBin: ConfidenceBin
  lat: number
  lon: number
}

export interface HotSpotAnswer {
  months: { fromMonth: string; toMonth: string }
  /** cells in the study area: every cell that ever had a call, and their neighbours */
  cells: number
  hot: number
  cold: number
  /** every cell of the study area, hottest z first */
  rows: HotSpotCell[]
}

/**
 * Getis-Ord Gi* on H3 cells. The study area is every cell that has had a call on either line
 * (at any time) plus the ring around them, so a quiet cell counts as 0 instead of falling out
 * and inflating the mean; the period only decides the counts.
 */
export async function hotSpotCells(deps: AppDeps, q: PlaceQuery): Promise<HotSpotAnswer> {
  const counts = await placeCounts(deps, 'cell', q)
  const neighbours = h3Neighbours(1)
  const area = new Map<string, number>()
  for (const cell of await deps.store.rollups.knownPlaces('cell')) {
    area.set(cell, counts.get(cell) ?? 0)
    for (const n of neighbours(cell)) if (!area.has(n)) area.set(n, counts.get(n) ?? 0)
  }
  for (const [cell, n] of counts) area.set(cell, n)
  const results = giStarOnCells(area, neighbours)
  const bins = confidenceBins(
    results.map((r) => r.z),
    results.map((r) => r.p),
    { fdr: true },
  )
  const rows = results.map((r, i) => {
    const [lat, lon] = cellCentre(r.cell)
    return { ...r, fdrBin: bins[i]!, lat, lon }
  })
  rows.sort((a, b) => (b.z || 0) - (a.z || 0) || (a.cell < b.cell ? -1 : 1))
  return {
    months: monthsOf(q),
    cells: rows.length,
    hot: rows.filter((r) => r.fdrBin > 0).length,
    cold: rows.filter((r) => r.fdrBin < 0).length,
    rows,
  }
}

/** Cell centres already looked up: a cell's centre never changes, and a city has few cells. */
const centres = new Map<string, readonly [number, number]>()

function cellCentre(cell: string): readonly [number, number] {
  let centre = centres.get(cell)
  if (centre === undefined) {
    const [lat, lon] = cellToLatLng(cell)
    centre = [lat, lon] as const
    if (centres.size >= 200_000) centres.clear()
    centres.set(cell, centre)
  }
  return centre
}

/** The cell's hexagon as a GeoJSON ring (lon, lat; closed). */
export function cellRing(cell: string): Array<[number, number]> {
  const ring = cellToBoundary(cell, true) as Array<[number, number]>
  return [...ring, ring[0]!]
}

export interface TrendAnswer {
  days: Array<{ date: string; count: number }>
  /** calls per hour-of-week bucket (0 = Monday 00h local) */
  hourOfWeek: number[]
  /** hours each bucket was observed in the period (daylight saving makes some 3 or 5) */
  exposure: number[]
  /** calls per hour in each bucket: the weekly rhythm */
  rate: number[]
  total: number
}

/** Local midnight of a local date, as an instant (the offset read at that wall-clock time). */
export function startOfLocalDay(date: string, timeZone: string): Instant {
  const utc = Date.parse(`${date}T00:00:00Z`)
  // Two passes: the offset at the guess can differ from the offset at the answer.
  let at = utc - zoneOffsetMinutes(utc, timeZone) * 60_000
  at = utc - zoneOffsetMinutes(at, timeZone) * 60_000
  return at
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10)
}

function weekdayOf(date: string): number {
  // ISO: Monday = 0
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
}

/** Calls per local day (zeros included) and per hour of the week, with the weekly rhythm. */
export async function trend(deps: AppDeps, q: PlaceQuery): Promise<TrendAnswer> {
  if (q.to < q.from) return { days: [], hourOfWeek: [], exposure: [], rate: [], total: 0 }
  const byDay = new Map<string, number>()
  const hourOfWeek = new Array<number>(HOURS_PER_WEEK).fill(0)
  for (const source of sourcesOf(q.source))
    for (const r of await deps.store.rollups.hours(source, q.from, q.to)) {
      byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.n)
      hourOfWeek[weekdayOf(r.day) * 24 + r.hour]! += r.n
    }
  const days: TrendAnswer['days'] = []
  for (let d = q.from; d <= q.to; d = nextDate(d)) days.push({ date: d, count: byDay.get(d) ?? 0 })
  const tz = deps.config.CITY_TIME_ZONE
  const exposure = hourOfWeekExposure(
    { from: startOfLocalDay(q.from, tz), to: startOfLocalDay(nextDate(q.to), tz) },
    tz,
  )
  return {
    days,
    hourOfWeek,
    exposure,
    rate: hourOfWeek.map((c, h) => (exposure[h]! > 0 ? c / exposure[h]! : 0)),
    total: days.reduce((a, d) => a + d.count, 0),
  }
}

export interface CoincidenceAnswer extends Coincidence {
  months: { fromMonth: string; toMonth: string }
  /** the coincident blocks with their counts on each line */
  coincidentBlocks: Array<{ block: string; calls311: number; calls911: number }>
}

/**
 * Where 311 and 911 problems meet: every block that has had a call on either line is in the
 * area (quiet ones with zeros), so the rank correlation and the hot/hot table see the contrast.
 */
export async function coincidenceOfBlocks(
  deps: AppDeps,
  q: Period & { topK: number },
): Promise<CoincidenceAnswer> {
  const c311 = await placeCounts(deps, 'block', { ...q, source: '311' })
  const c911 = await placeCounts(deps, 'block', { ...q, source: '911' })
  const blocks = (await deps.store.rollups.knownPlaces('block')).map((block) => ({
    block,
    calls311: c311.get(block) ?? 0,
    calls911: c911.get(block) ?? 0,
  }))
  const result = coincidence(blocks, { topK: q.topK })
  const byBlock = new Map(blocks.map((b) => [b.block, b]))
  return {
    ...result,
    months: monthsOf(q),
    coincidentBlocks: result.coincident.map((b) => byBlock.get(b)!),
  }
}

/** How concentrated calls are on blocks, against what random placement would give. */
export async function concentrationOfBlocks(
  deps: AppDeps,
  q: PlaceQuery & { fraction?: number },
): Promise<ConcentrationReport & { months: { fromMonth: string; toMonth: string } }> {
  const counts = await placeCounts(deps, 'block', q)
  const places = (await deps.store.rollups.knownPlaces('block')).length
  return {
    ...concentrationReport([...counts.values()], {
      places: Math.max(places, counts.size),
      fraction: q.fraction ?? 0.5,
    }),
    months: monthsOf(q),
  }
}

/** The most calls a repeat analysis reads: enough for a year of a large city's 311 line. */
export const REPEAT_EVENT_LIMIT = 500_000

/**
 * Repeat blocks and the time to repeat, over the calls of the period (read from the calls
 * themselves: gaps need times, which rollups do not keep). Refused over more than
 * REPEAT_EVENT_LIMIT calls: shorten the period.
 */
export async function repeatBlocks(
  deps: AppDeps,
  q: PlaceQuery & { limit: number },
): Promise<RepeatReport & { truncated: boolean }> {
  const tz = deps.config.CITY_TIME_ZONE
  const window = { from: startOfLocalDay(q.from, tz), to: startOfLocalDay(nextDate(q.to), tz) }
  const events = []
  let truncated = false
  for (const source of sourcesOf(q.source)) {
    const rows = await deps.store.rollups.placedEvents(source, window, REPEAT_EVENT_LIMIT + 1)
    if (rows.length > REPEAT_EVENT_LIMIT) truncated = true
    events.push(...rows.slice(0, REPEAT_EVENT_LIMIT))
  }
  const report = repeatLocations(events, window)
  return { ...report, repeatPlaces: report.repeatPlaces.slice(0, q.limit), truncated }
}

/**
 * The most calls a near-repeat test compares pairwise: n² / 2 pairs, and the permutation test
 * re-reads the close pairs per shuffle, so 2,000 keeps an answer within about a second.
 */
export const NEAR_REPEAT_EVENT_LIMIT = 2000

export interface NearRepeatAnswer extends KnoxTable {
  metres: number
  days: number
  /** permutation p (199 shuffles of the times, seeded): robust where the Poisson p is not */
  pPermutation: number
  /** only the latest NEAR_REPEAT_EVENT_LIMIT calls of the period were compared */
  sampled: boolean
}

/**
 * Knox near repeat: are calls close in space (within `metres`) also close in time (within
 * `days`) more often than chance? Over the latest calls with a point in the period.
 */
export async function nearRepeat(
  deps: AppDeps,
  q: PlaceQuery & { metres: number; days: number },
): Promise<NearRepeatAnswer> {
  const tz = deps.config.CITY_TIME_ZONE
  const window = { from: startOfLocalDay(q.from, tz), to: startOfLocalDay(nextDate(q.to), tz) }
  const events: Array<{ at: Instant; lat: number; lon: number }> = []
  for (const source of sourcesOf(q.source))
    events.push(
      ...(await deps.store.rollups.pointEvents(source, window, NEAR_REPEAT_EVENT_LIMIT + 1)),
    )
  events.sort((a, b) => b.at - a.at)
  const sampled = events.length > NEAR_REPEAT_EVENT_LIMIT
  const used = events.slice(0, NEAR_REPEAT_EVENT_LIMIT)
  const options = {
    delta: q.metres,
    tau: q.days * DAY,
    distance: distanceMetres,
    time: (e: { at: Instant }) => e.at,
  }
  return {
    ...knoxTest(used, options),
    metres: q.metres,
    days: q.days,
    pPermutation: knoxPermutationP(used, options, 199, seededRandom(20261123)),
    sampled,
  }
}

export type BreakdownBy = 'call_type' | 'channel' | 'priority' | 'district'

export interface BreakdownAnswer {
  by: BreakdownBy
  total: number
  /** busiest first; calls with no value (an unplaced call's district) are under '' */
  rows: Array<{ key: string; calls: number; share: number }>
}

/** What the calls were about, how they came, how urgent, where: counts by one dimension. */
export async function breakdown(
  deps: AppDeps,
  q: PlaceQuery & { by: BreakdownBy },
): Promise<BreakdownAnswer> {
  const counts = new Map<string, number>()
  for (const source of sourcesOf(q.source))
    for (const r of await deps.store.rollups.breakdown(source, q.from, q.to, q.by)) {
      // 911 calls have no channel of their own: they came by 911.
      const key = q.by === 'channel' && source === '911' ? '911' : r.key
      counts.set(key, (counts.get(key) ?? 0) + r.n)
    }
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const rows = [...counts]
    .map(([key, calls]) => ({ key, calls, share: total > 0 ? calls / total : 0 }))
    .sort((a, b) => b.calls - a.calls || (a.key < b.key ? -1 : 1))
  return { by: q.by, total, rows }
}
