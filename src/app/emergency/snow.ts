import { existsSync, readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { Actor } from '../../domain/access/roles.js'
import { covers } from '../../domain/emergency/activation.js'
import {
  CRITICAL_PLACE_KINDS,
  type CriticalPoint,
  clusterHazards,
  HAZARD_CALL_TYPES,
  PLOW_CALL_TYPES,
  type PlowState,
  plowPriorities,
  type SegmentPriority,
  TOW_CALL_TYPES,
} from '../../domain/emergency/snow.js'
import type { StreetSegment } from '../../domain/geography/city-geography.js'
import type { Incident } from '../../domain/incidents/incident.js'
import { NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { DAY } from '../../domain/shared/instant.js'
import type { CriticalPlace } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'
import { cityOrFail } from '../geography/geography-queries.js'
import { locate } from '../geography/locate.js'

/**
 * Snow operations' use cases (issue #10 item 5): the segment map with priority and plow state,
 * the plow and tow queues, hazards by crew. Registrants count as critical-need locations only
 * while a snow activation covers them, and the map says "critical_need", never who.
 */

type Box = readonly [number, number, number, number]

/** A critical place lifts segments this far away, so look that much beyond the box. */
const MARGIN_DEG = 0.002

/** The critical-need points near a box: critical places, and registrants in a snow activation. */
async function criticalPointsNear(deps: AppDeps, box: Box): Promise<CriticalPoint[]> {
  const wide: Box = [
    box[0] - MARGIN_DEG,
    box[1] - MARGIN_DEG,
    box[2] + MARGIN_DEG,
    box[3] + MARGIN_DEG,
  ]
  const snow = (await deps.store.activations.current(deps.clock.now())).filter(
    (a) => a.mode === 'snow',
  )
  const [places, homes] = await Promise.all([
    deps.store.snow.criticalPlaces(wide),
    snow.length ? deps.store.registry.criticalPoints(wide) : Promise.resolve([]),
  ])
  return [
    ...places.map((p) => ({ lat: p.lat, lon: p.lon, kind: p.kind, name: p.name })),
    ...homes
      .filter((h) => snow.some((a) => covers(a, h)))
      .map((h) => ({ lat: h.lat, lon: h.lon, kind: 'critical_need' as const, name: null })),
  ]
}

/** Priorities of the given segments, each computed around its own line. */
async function prioritiesOf(
  deps: AppDeps,
  segments: readonly StreetSegment[],
): Promise<Map<string, SegmentPriority>> {
  if (segments.length === 0) return new Map()
  let box: [number, number, number, number] = [180, 90, -180, -90]
  for (const s of segments)
    for (const [x, y] of s.line)
      box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)]
  const critical = await criticalPointsNear(deps, box)
  return new Map(plowPriorities(segments, critical).map((p) => [p.segmentId, p]))
}

const streetName = (s: StreetSegment) =>
  [s.street.predir, s.street.name, s.street.suffix, s.street.postdir].filter(Boolean).join(' ')

/** The segment state layer: GeoJSON of the segments in a box with priority and plow state. */
export async function snowSegments(deps: AppDeps, box: Box) {
  if (box[2] - box[0] > 0.3 || box[3] - box[1] > 0.3)
    throw new ValidationError([
      { path: 'bbox', message: 'zoom in: the snow layer covers at most about 30 km across' },
    ])
  const city = await cityOrFail(deps)
  const segments = city.segmentsIn(box, 20_000)
  const [priorities, states] = await Promise.all([
    prioritiesOf(deps, segments),
    deps.store.snow.plowStates(segments.map((s) => s.id)),
  ])
  return {
    type: 'FeatureCollection' as const,
    features: segments.map((s) => {
      const p = priorities.get(s.id) as SegmentPriority
      return {
        type: 'Feature' as const,
        id: s.id,
        properties: {
          name: streetName(s),
          class: s.roadClass,
          priority: p.priority,
          basePriority: p.base,
          raisedBy: p.raisedBy,
          state: states.get(s.id) ?? 'not_started',
        },
        geometry: { type: 'LineString' as const, coordinates: s.line },
      }
    }),
  }
}

/** One segment's priority and state (the call-taker's "will my street be plowed?"). */
export async function snowSegment(deps: AppDeps, segmentId: string) {
  const city = await cityOrFail(deps)
  const s = city.segment(segmentId)
  if (!s) throw new NotFoundError('segment', segmentId)
  const [priorities, states] = await Promise.all([
    prioritiesOf(deps, [s]),
    deps.store.snow.plowStates([s.id]),
  ])
  const p = priorities.get(s.id) as SegmentPriority
  return {
    segmentId: s.id,
    name: streetName(s),
    class: s.roadClass,
    priority: p.priority,
    basePriority: p.base,
    raisedBy: p.raisedBy,
    state: states.get(s.id) ?? ('not_started' as PlowState),
  }
}

export async function setPlowState(
  deps: AppDeps,
  actor: Actor,
  segmentId: string,
  state: PlowState,
): Promise<void> {
  const city = await cityOrFail(deps)
  if (!city.segment(segmentId)) throw new NotFoundError('segment', segmentId)
  await deps.store.snow.setPlowState(segmentId, state, deps.clock.now(), actor.id)
}

export async function addCriticalPlace(
  deps: AppDeps,
  actor: Actor,
  input: { kind: CriticalPlace['kind']; name: string; address: string },
): Promise<CriticalPlace> {
  const { location, placement } = await locate(deps, { text: input.address })
  if (!location || location.lat === undefined || location.lon === undefined)
    throw new ValidationError([
      {
        path: 'address',
        message: `the address was not found on the city's streets${placement?.message ? `: ${placement.message}` : ''}`,
      },
    ])
  const place: CriticalPlace = {
    id: deps.ids.next(),
    kind: input.kind,
    name: input.name.trim(),
    address: input.address.trim(),
    lat: location.lat,
    lon: location.lon,
  }
  await deps.store.snow.addCriticalPlace(place)
  await audit(deps, actor, 'critical_place_add', 'success', {
    type: 'critical_place',
    id: place.id,
  })
  return place
}

/** Every critical place on the list, by name (the operations page's list). */
export function listCriticalPlaces(deps: AppDeps): Promise<CriticalPlace[]> {
  return deps.store.snow.criticalPlaces([-180, -90, 180, 90])
}

/**
 * Loads the demo city's critical places (hospitals) into an empty list on first start, placing
 * each address on the street file. A line that cannot be placed is reported and skipped: the
 * others still count, and the manager can add the missing one by hand.
 */
export async function ensureCriticalPlaces(
  deps: AppDeps,
): Promise<{ added: number; skipped: string[] } | null> {
  const path = deps.config.DEMO_CRITICAL_PLACES
  if (path === 'none' || !existsSync(path)) return null
  if ((await listCriticalPlaces(deps)).length > 0) return null
  const rows = parse(readFileSync(path, 'utf8'), {
    columns: true,
    comment: '#',
    skip_empty_lines: true,
    trim: true,
  }) as Array<{ kind: string; name: string; address: string }>
  const system: Actor = { id: 'system', roles: ['admin'], kind: 'system' }
  const skipped: string[] = []
  let added = 0
  for (const row of rows) {
    const kind = CRITICAL_PLACE_KINDS.find(
      (k): k is CriticalPlace['kind'] => k === row.kind && k !== 'critical_need',
    )
    try {
      if (!kind) throw new Error(`unknown kind '${row.kind}'`)
      await addCriticalPlace(deps, system, { kind, name: row.name, address: row.address })
      added++
    } catch (err) {
      skipped.push(`${row.name} (${(err as Error).message})`)
    }
  }
  return { added, skipped }
}

export interface QueuedRequest {
  incident: Incident
  segment: {
    id: string
    name: string
    priority: number
    basePriority: number
    state: PlowState
    center: [number, number]
  } | null
}

/** Open incidents of these call types, received since `since`, newest first. */
async function openOf(deps: AppDeps, callTypes: readonly string[], since: number) {
  const lists = await Promise.all(
    callTypes.map((callType) =>
      deps.store.incidents.list({
        callType,
        status: ['new', 'pending', 'in_progress'],
        receivedFrom: since,
        limit: 1000,
      }),
    ),
  )
  return lists.flat()
}

/**
 * The plow and tow queues (separate: a car blocking a plow is towed, never plowed) and the
 * related hazards clustered by place for each crew. The window starts at the earliest current
 * snow activation, or a week back when none is on.
 */
export async function snowQueues(deps: AppDeps) {
  const now = deps.clock.now()
  const snow = (await deps.store.activations.current(now)).filter((a) => a.mode === 'snow')
  const since = snow.length ? Math.min(...snow.map((a) => a.startsAt)) : now - 7 * DAY
  const [plow, tow, hazards] = await Promise.all([
    openOf(deps, PLOW_CALL_TYPES, since),
    openOf(deps, TOW_CALL_TYPES, since),
    openOf(deps, HAZARD_CALL_TYPES, since),
  ])
  const city = await deps.geography.get()
  const segments = [...plow, ...tow]
    .map((i) => (i.location?.segmentId ? city?.segment(i.location.segmentId) : undefined))
    .filter((s): s is StreetSegment => Boolean(s))
  const unique = [...new Map(segments.map((s) => [s.id, s])).values()]
  const [priorities, states] = await Promise.all([
    prioritiesOf(deps, unique),
    deps.store.snow.plowStates(unique.map((s) => s.id)),
  ])
  const queued = (i: Incident): QueuedRequest => {
    const s = i.location?.segmentId ? city?.segment(i.location.segmentId) : undefined
    return {
      incident: i,
      segment: s
        ? {
            id: s.id,
            name: streetName(s),
            priority: priorities.get(s.id)?.priority ?? 4,
            basePriority: priorities.get(s.id)?.base ?? 4,
            state: states.get(s.id) ?? 'not_started',
            // Where the map flies to when the row is chosen: the middle vertex of the line.
            center: (s.line[Math.floor(s.line.length / 2)] ?? [0, 0]) as [number, number],
          }
        : null,
    }
  }
  // Plow requests: the street's priority first, then the longest waiting; plowed ones drop out.
  const plowQueue = plow
    .map(queued)
    .filter((q) => q.segment?.state !== 'plowed')
    .sort(
      (a, b) =>
        (a.segment?.priority ?? 5) - (b.segment?.priority ?? 5) ||
        a.incident.receivedAt - b.incident.receivedAt,
    )
  // Tow requests: cars on the first-priority streets first (they hold the plows up most).
  const towQueue = tow
    .map(queued)
    .sort(
      (a, b) =>
        (a.segment?.priority ?? 5) - (b.segment?.priority ?? 5) ||
        a.incident.receivedAt - b.incident.receivedAt,
    )
  const catalogue = await deps.catalogue.snapshot()
  const hazardClusters = clusterHazards(
    hazards
      .filter((i) => i.location?.lat != null && i.location.lon != null)
      .sort((a, b) => a.receivedAt - b.receivedAt)
      .map((i) => ({
        incidentId: i.id,
        callType: i.callType,
        lat: i.location?.lat as number,
        lon: i.location?.lon as number,
        crew: catalogue.callTypes.get(i.callType)?.referral ?? 'DPW',
      })),
  )
  return { since, plow: plowQueue, tow: towQueue, hazards: hazardClusters }
}
