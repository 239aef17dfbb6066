import { getHexagonEdgeLengthAvg, gridDisk, latLngToCell, UNITS } from 'h3-js'
import { distanceMetres, type LatLon } from '../shared/geo.js'
import { type Instant, MINUTE } from '../shared/instant.js'

/** What is compared when a new call comes in. */
export interface DuplicateQuery {
  family: string
  callType: string
  at: Instant
  location: LatLon | null
  block: string | null
  radiusMetres: number
  windowMs: number
  /** Leave this incident out (when checking an incident that already exists). */
  excludeId?: string
}

/** An open incident that might be the same problem, as the store returns it. */
export interface DuplicateCandidateRow {
  id: string
  number: number | null
  callType: string
  family: string
  status: string
  priority: number
  mode: string
  receivedAt: Instant
  lat: number | null
  lon: number | null
  block: string | null
  locationText: string
  contactCount: number
}

/** A probable duplicate, with how sure we are and why. */
export interface ProbableDuplicate extends DuplicateCandidateRow {
  distanceMetres: number | null
  minutesAgo: number
  /** 0..1: nearer, more recent, same call type and same block score higher. */
  score: number
  reasons: string[]
}

/**
 * The H3 cells a store must look in to find every incident within `radiusMetres` of a point:
 * the point's cell and enough rings around it. Exact distance is checked afterwards.
 */
export function duplicateSearchCells(
  point: LatLon,
  radiusMetres: number,
  resolution: number,
): string[] {
  const edge = getHexagonEdgeLengthAvg(resolution, UNITS.m)
  // Neighbouring cell centres are edge·√3 apart; one extra ring covers a point anywhere in its
  // own cell and the distortion of the grid.
  const k = Math.ceil(radiusMetres / (edge * Math.sqrt(3))) + 1
  return gridDisk(latLngToCell(point.lat, point.lon, resolution), k)
}

/**
 * Keeps the candidates that are really near and recent enough, and ranks them. Never merges:
 * the call-taker decides (research/police-call-management.md §4.3).
 */
export function rankDuplicates(
  q: DuplicateQuery,
  rows: readonly DuplicateCandidateRow[],
): ProbableDuplicate[] {
  const out: ProbableDuplicate[] = []
  for (const r of rows) {
    if (r.id === q.excludeId || r.family !== q.family) continue
    const age = q.at - r.receivedAt
    if (age > q.windowMs || age < -q.windowMs) continue
    const sameBlock = q.block !== null && r.block !== null && q.block === r.block
    const distance =
      q.location && r.lat !== null && r.lon !== null
        ? distanceMetres(q.location, { lat: r.lat, lon: r.lon })
        : null
    if (!sameBlock && (distance === null || distance > q.radiusMetres)) continue

    const nearness = distance === null ? 0.5 : 1 - distance / q.radiusMetres
    const recency = 1 - Math.abs(age) / q.windowMs
    const score =
      0.45 * Math.max(0, nearness) +
      0.35 * recency +
      (r.callType === q.callType ? 0.1 : 0) +
      (sameBlock ? 0.1 : 0)
    const minutesAgo = Math.round(age / MINUTE)
    const reasons = [
      r.callType === q.callType ? `same call type (${r.callType})` : `same family (${r.family})`,
      ...(distance !== null ? [`${Math.round(distance)} m away`] : []),
      ...(sameBlock ? [`same block (${r.block})`] : []),
      minutesAgo >= 0 ? `reported ${minutesAgo} min ago` : `reported ${-minutesAgo} min later`,
      ...(r.contactCount > 1 ? [`${r.contactCount} callers already`] : []),
    ]
    out.push({ ...r, distanceMetres: distance, minutesAgo, score: round3(score), reasons })
  }
  return out.sort((a, b) => b.score - a.score || b.receivedAt - a.receivedAt)
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
