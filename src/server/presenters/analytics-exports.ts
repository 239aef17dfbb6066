import { stringify } from 'csv-stringify/sync'
import {
  type CoincidenceAnswer,
  cellRing,
  type HotSpotAnswer,
  type TopBlocksAnswer,
  type TrendAnswer,
} from '../../app/analytics/analytics-questions.js'
import type { BeforeAfter } from '../../app/analytics/evaluation.js'
import type { Evaluation } from '../../domain/analytics/evaluation.js'

/**
 * Every analytics view as CSV (for a spreadsheet) and, where it has places, GeoJSON (for a GIS).
 * Block names come from CAD exports: a cell that a spreadsheet would run as a formula is
 * prefixed with an apostrophe (CSV injection).
 */
export function toCsv(header: string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const safe = (v: unknown) => {
    if (v === null || v === undefined) return ''
    if (typeof v === 'number') return Number.isFinite(v) ? v : ''
    const s = String(v)
    return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  }
  return stringify([header, ...rows.map((r) => r.map(safe))])
}

export type BlockPoints = ReadonlyMap<string, { lat: number; lon: number }>

interface Feature {
  type: 'Feature'
  geometry:
    | { type: 'Point'; coordinates: [number, number] }
    | { type: 'Polygon'; coordinates: Array<Array<[number, number]>> }
    | null
  properties: Record<string, unknown>
}

const collection = (features: Feature[]) => ({ type: 'FeatureCollection' as const, features })

const point = (p: { lat: number; lon: number } | undefined): Feature['geometry'] =>
  p ? { type: 'Point', coordinates: [p.lon, p.lat] } : null

export function topBlocksCsv(a: TopBlocksAnswer, points: BlockPoints): string {
  return toCsv(
    ['rank', 'block', 'calls', 'share', 'cumulative_share', 'lat', 'lon'],
    a.rows.map((r) => [
      r.rank,
      r.block,
      r.count,
      r.share,
      r.cumulativeShare,
      points.get(r.block)?.lat,
      points.get(r.block)?.lon,
    ]),
  )
}

/** Blocks are points (the mean of their calls' positions): a block has no polygon of its own. */
export function topBlocksGeoJson(a: TopBlocksAnswer, points: BlockPoints) {
  return collection(
    a.rows.map((r) => ({
      type: 'Feature',
      geometry: point(points.get(r.block)),
      properties: { ...r },
    })),
  )
}

export function hotSpotsCsv(a: HotSpotAnswer): string {
  return toCsv(
    ['cell', 'calls', 'z', 'p', 'fdr_bin', 'lat', 'lon'],
    a.rows.map((r) => [r.cell, r.count, r.z, r.p, r.fdrBin, r.lat, r.lon]),
  )
}

export function hotSpotsGeoJson(a: HotSpotAnswer) {
  return collection(
    a.rows.map((r) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [cellRing(r.cell)] },
      properties: { cell: r.cell, calls: r.count, z: r.z, p: r.p, fdrBin: r.fdrBin },
    })),
  )
}

export function trendCsv(a: TrendAnswer): string {
  return toCsv(
    ['date', 'calls'],
    a.days.map((d) => [d.date, d.count]),
  )
}

export function coincidenceCsv(a: CoincidenceAnswer, points: BlockPoints): string {
  return toCsv(
    ['block', 'calls_311', 'calls_911', 'lat', 'lon'],
    a.coincidentBlocks.map((b) => [
      b.block,
      b.calls311,
      b.calls911,
      points.get(b.block)?.lat,
      points.get(b.block)?.lon,
    ]),
  )
}

export function coincidenceGeoJson(a: CoincidenceAnswer, points: BlockPoints) {
  return collection(
    a.coincidentBlocks.map((b) => ({
      type: 'Feature',
      geometry: point(points.get(b.block)),
      properties: { ...b },
    })),
  )
}

/** One row per measure: what a spreadsheet needs to chart the evaluation. */
function measuresOf(e: Evaluation): Array<[string, number | null]> {
  const rows: Array<[string, number | null]> = [
    ['calls_311', e.volume.calls311],
    ['calls_911', e.volume.calls911],
    ['non_emergency_311', e.diversion.nonEmergency311],
    ['non_emergency_911', e.diversion.nonEmergency911],
    ['diverted_share', e.diversion.share],
    ['incidents_311', e.dispatch.incidents311],
    ['dispatched', e.dispatch.dispatched],
    ['dispatch_rate', e.dispatch.rate],
    ['patrol_response_share', e.dispatch.patrolResponseShare],
    ['dual_dispatches', e.doubleDispatch.dualDispatches],
    ['dispatch_refusals', e.doubleDispatch.refusals],
  ]
  for (const r of e.responseByPriority) {
    rows.push([`p${r.priority}_minutes_to_assign_median`, r.toAssign.medianMinutes])
    rows.push([`p${r.priority}_minutes_to_on_scene_median`, r.toOnScene.medianMinutes])
    rows.push([`p${r.priority}_minutes_to_on_scene_p90`, r.toOnScene.p90Minutes])
  }
  rows.push(
    ['officer_hours_committed', e.officerTime.committedMs / 3_600_000],
    ['officer_hours_free', e.officerTime.freeMs / 3_600_000],
    ['officer_hours_problem_solving', e.officerTime.problemSolvingMs / 3_600_000],
    ['officer_committed_share', e.officerTime.committedShare],
    ['referrals_sent', e.referrals.sent],
    ['referrals_closed', e.referrals.closed],
    ['referrals_overdue', e.referrals.overdue],
    ['referral_minutes_to_close_median', e.referrals.toClose.medianMinutes],
    ['calls_offered', e.queue.offered],
    ['calls_answered', e.queue.answered],
    ['calls_abandoned', e.queue.abandoned],
    ['abandonment_rate', e.queue.abandonmentRate],
    ['answer_minutes_median', e.queue.answerTime.medianMinutes],
    ['service_level', e.queue.serviceLevel],
    ['surveys_sent', e.satisfaction.sent],
    ['surveys_answered', e.satisfaction.answered],
    ['satisfaction_mean', e.satisfaction.meanScore],
    ['resolved_share', e.satisfaction.resolvedShare],
  )
  return rows
}

export function evaluationCsv(e: Evaluation): string {
  return toCsv(['measure', 'value'], measuresOf(e))
}

export function beforeAfterCsv(b: BeforeAfter): string {
  return toCsv(
    ['measure', 'before', 'after', 'change', 'relative', 'p'],
    b.changes.map((c) => [c.measure, c.before, c.after, c.change, c.relative, c.p]),
  )
}
