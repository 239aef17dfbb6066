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

export interface Durations {
  n: number
  medianMinutes: number | null
  p90Minutes: number | null
}

export interface Evaluation {
  volume: {
    calls311: number
    calls911: number
    byDay: Array<{ day: string; calls311: number; calls911: number }>
  }
  priorityMix: Array<{ channel: string; priority: number; n: number }>
  diversion: { nonEmergency311: number; nonEmergency911: number; share: number | null }
  dispatch: {
    incidents311: number
    dispatched: number
    rate: number | null
    patrolResponseShare: number | null
  }
  doubleDispatch: { dualDispatches: number; refusals: number }
  responseByPriority: Array<{ priority: number; toAssign: Durations; toOnScene: Durations }>
  officerTime: {
    units: number
    committedMs: number
    freeMs: number
    problemSolvingMs: number
    outOfServiceMs: number
    committedShare: number | null
    problemSolvingShare: number | null
  }
  referrals: {
    sent: number
    closed: number
    overdue: number
    toAcknowledge: Durations
    toClose: Durations
  }
  queue: {
    offered: number
    answered: number
    abandoned: number
    abandonmentRate: number | null
    answerTime: Durations
    serviceLevel: number | null
  }
  satisfaction: {
    sent: number
    answered: number
    responseRate: number | null
    meanScore: number | null
    resolvedShare: number | null
  }
}

export interface BeforeAfter {
  date: string
  days: number
  before: Evaluation
  after: Evaluation
  changes: Array<{
    measure: string
    before: number | null
    after: number | null
    change: number | null
    relative: number | null
    p: number | null
  }>
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
