import type { Change, Evaluation } from '../../../domain/analytics/evaluation.js'

/** What the analytics routes answer, as the screens use it. */

export type Source = '311' | '911' | 'both'

export interface Point {
  lat: number
  lon: number
}

export interface TopBlocks {
  rows: Array<{
    rank: number
    block: string
    count: number
    share: number
    cumulativeShare: number
    point: Point | null
  }>
  total: number
  blocks: number
  topShare: number
  months: { fromMonth: string; toMonth: string }
}

export interface HotSpots {
  cells: number
  hot: number
  cold: number
  rows: Array<{
    cell: string
    count: number
    z: number
    p: number
    fdrBin: number
    lat: number
    lon: number
  }>
}

export interface Trend {
  days: Array<{ date: string; count: number }>
  hourOfWeek: number[]
  rate: number[]
  total: number
}

export interface Coincidence {
  blocks: number
  spearman: { rho: number; p: number }
  top911: { k: number; blockShare: number; share311: number; lift: number }
  hotTable: { table: [[number, number], [number, number]]; oddsRatio: number; p: number }
  coincidentBlocks: Array<{
    block: string
    calls311: number
    calls911: number
    point: Point | null
  }>
}

export interface Concentration {
  places: number
  events: number
  fraction: number
  observed: { share: number }
  randomBaseline: number
}

export interface Repeats {
  events: number
  places: number
  repeatPlaces: Array<{ place: string; count: number; firstAt: number; lastAt: number }>
  repeatPlaceShare: number
  repeatEventShare: number
  timeToRepeat: { gaps: number; medianMs: number; shareWithin7Days: number }
  truncated: boolean
}

/** The evaluation's shapes, from their one definition (numbers and nulls survive JSON as they are). */
export type { Durations, Evaluation } from '../../../domain/analytics/evaluation.js'

export interface BeforeAfter {
  date: string
  days: number
  before: Evaluation
  after: Evaluation
  changes: Change[]
}

export const pct = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(digits)}%`

export const num = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '—'
    : v.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** ISO local date n days before today. */
export function daysAgo(n: number): string {
  const d = new Date()
  d.setDate(d.getDate() - n)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

export interface NearRepeat {
  n: number
  closeInSpace: number
  closeInTime: number
  closeInBoth: number
  expected: [[number, number], [number, number]]
  pPoissonAtLeast: number
  pPermutation: number
  metres: number
  days: number
  sampled: boolean
}

export interface Breakdown {
  by: 'call_type' | 'channel' | 'priority' | 'district'
  total: number
  rows: Array<{ key: string; calls: number; share: number }>
}
