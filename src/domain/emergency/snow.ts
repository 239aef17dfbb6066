import type { LatLon } from '../shared/geo.js'
import { distanceMetres } from '../shared/geo.js'

/**
 * Snow operations (issue #10 item 5; research §5.3). Streets are plowed in phases, arterials
 * and snow routes first, then collectors, then local streets (Newark OH); a critical-need
 * location (a registrant on oxygen or dialysis, a hospital, a dialysis centre) lifts its street
 * and the streets next to it to the first phase (Bella Vista's medical priority list). Plow
 * requests and tow requests are separate queues: a car blocking a plow is towed, not plowed.
 */

export const PLOW_STATES = ['not_started', 'in_progress', 'plowed'] as const
export type PlowState = (typeof PLOW_STATES)[number]

/** Plow priority: 1 is plowed first. 1 = critical need, 2 = arterial, 3 = collector, 4 = local. */
export type PlowPriority = 1 | 2 | 3 | 4
export const CRITICAL_PRIORITY: PlowPriority = 1

/** How far from a critical-need location its street and the neighbouring ones are lifted. */
export const CRITICAL_RADIUS_METRES = 100

/** The phase a road class is plowed in (the city's own classes: "Principal Arterial", …). */
export function basePriority(roadClass: string | null): PlowPriority {
  const c = (roadClass ?? '').toLowerCase()
  if (/interstate|freeway|expressway|arterial|snow route|primary/.test(c)) return 2
  if (/collector|secondary|major/.test(c)) return 3
  return 4
}

/** Kinds of critical place: a registrant's home is only ever "critical_need", never who. */
export const CRITICAL_PLACE_KINDS = [
  'hospital',
  'dialysis_centre',
  'critical_need',
  'other',
] as const
export type CriticalPlaceKind = (typeof CRITICAL_PLACE_KINDS)[number]

export interface CriticalPoint extends LatLon {
  kind: CriticalPlaceKind
  /** A name for hospitals and centres; null for a registrant (never shown). */
  name: string | null
}

export interface SegmentLine {
  id: string
  roadClass: string | null
  line: ReadonlyArray<readonly [number, number] | number[]>
}

/** Metres from a point to a polyline of [lon, lat] (flat projection around the point). */
export function metresToLine(p: LatLon, line: SegmentLine['line']): number {
  if (line.length === 0) return Number.POSITIVE_INFINITY
  const kx = distanceMetres(p, { lat: p.lat, lon: p.lon + 0.01 }) / 0.01
  const ky = distanceMetres(p, { lat: p.lat + 0.01, lon: p.lon }) / 0.01
  const xy = (q: ArrayLike<number>) => [
    ((q[0] as number) - p.lon) * kx,
    ((q[1] as number) - p.lat) * ky,
  ]
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < line.length; i++) {
    const [ax, ay] = xy(line[i] as ArrayLike<number>) as [number, number]
    const [bx, by] = xy((line[i + 1] ?? line[i]) as ArrayLike<number>) as [number, number]
    const dx = bx - ax
    const dy = by - ay
    const len2 = dx * dx + dy * dy
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2))
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy))
  }
  return best
}

export interface SegmentPriority {
  segmentId: string
  priority: PlowPriority
  base: PlowPriority
  /** Why it was lifted: the kinds of critical place near it (never who). */
  raisedBy: CriticalPlaceKind[]
}

/**
 * The plow priority of each segment: its road class's phase, lifted to 1 when a critical-need
 * location lies within `radius` metres of it (its own street and the neighbouring segments).
 */
export function plowPriorities(
  segments: readonly SegmentLine[],
  critical: readonly CriticalPoint[],
  radius = CRITICAL_RADIUS_METRES,
): SegmentPriority[] {
  return segments.map((s) => {
    const base = basePriority(s.roadClass)
    const raisedBy = [
      ...new Set(critical.filter((c) => metresToLine(c, s.line) <= radius).map((c) => c.kind)),
    ].sort()
    return {
      segmentId: s.id,
      base,
      priority: raisedBy.length ? CRITICAL_PRIORITY : base,
      raisedBy,
    }
  })
}

/** The catalogue's snow call types and the queue each goes to. */
export const PLOW_CALL_TYPES: readonly string[] = ['SNOW_UNPLOWED_STREET', 'SNOW_ICE']
export const TOW_CALL_TYPES: readonly string[] = ['SNOW_CAR_BLOCKING_PLOW']
/** Related hazards after a storm, clustered by place and routed to their crew. */
export const HAZARD_CALL_TYPES: readonly string[] = [
  'SNOW_HAZARD',
  'POTHOLE',
  'TREE',
  'TREE_DOWN',
  'WIRES_DOWN',
]

export type SnowQueue = 'plow' | 'tow' | 'hazard'

/** Which queue an incident of this call type joins; null when it is not snow work. */
export function snowQueue(callType: string): SnowQueue | null {
  if (TOW_CALL_TYPES.includes(callType)) return 'tow'
  if (PLOW_CALL_TYPES.includes(callType)) return 'plow'
  if (HAZARD_CALL_TYPES.includes(callType)) return 'hazard'
  return null
}

export interface HazardReport extends LatLon {
  incidentId: string
  callType: string
  /** The crew: the call type's referral agency from the catalogue (DOT, RECPARKS, BGE …). */
  crew: string
}

export interface HazardCluster {
  crew: string
  lat: number
  lon: number
  incidentIds: string[]
  callTypes: string[]
}

/**
 * Hazards clustered by place, per crew: a report joins the first cluster of its crew whose
 * first report is within `radius` metres (greedy, in the order given: oldest first), so one
 * crew visit handles the reports of one spot.
 */
export function clusterHazards(reports: readonly HazardReport[], radius = 150): HazardCluster[] {
  const clusters: Array<HazardCluster & { seed: LatLon }> = []
  for (const r of reports) {
    const c = clusters.find((k) => k.crew === r.crew && distanceMetres(k.seed, r) <= radius)
    if (c) {
      c.incidentIds.push(r.incidentId)
      if (!c.callTypes.includes(r.callType)) c.callTypes.push(r.callType)
    } else
      clusters.push({
        crew: r.crew,
        lat: r.lat,
        lon: r.lon,
        seed: { lat: r.lat, lon: r.lon },
        incidentIds: [r.incidentId],
        callTypes: [r.callType],
      })
  }
  return clusters
    .map(({ seed: _s, ...c }) => c)
    .sort((a, b) => b.incidentIds.length - a.incidentIds.length || a.crew.localeCompare(b.crew))
}
