import type { Actor } from '../../domain/access/roles.js'
import {
  checkFacility,
  type Facility,
  type FacilityKind,
  type FacilityStatus,
  type NearbyFacility,
  nearestOpen,
  transportReason,
} from '../../domain/emergency/facility.js'
import { found, NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import { HOUR } from '../../domain/shared/instant.js'
import type { AppDeps } from '../deps.js'
import { addCallback } from '../follow-up/follow-up.js'
import { locate } from '../geography/locate.js'

/** Facilities and the POD locator (issue #10 item 3). */

export interface FacilityInput {
  kind: FacilityKind
  name: string
  address: string
  hours?: string
  capacity?: number | null
  accessibility?: string
  transit?: string
  parking?: string
  status?: FacilityStatus
}

/** Places an address on the city's geography; a clear 400 when it cannot be placed. */
async function place(deps: AppDeps, text: string, path: string) {
  const { location, placement } = await locate(deps, { text })
  if (location?.lat === undefined || location.lon === undefined) {
    const hint = placement?.candidates?.length
      ? `; did you mean ${placement.candidates
          .slice(0, 3)
          .map((c) => c.label)
          .join(' or ')}?`
      : ''
    throw new ValidationError([
      { path, message: `could not place '${text}' on the city map${hint}` },
    ])
  }
  return location
}

export async function saveFacility(
  deps: AppDeps,
  actor: Actor,
  input: FacilityInput,
  id?: string,
): Promise<Facility> {
  const before = id ? found(await deps.store.facilities.get(id), 'facility', id) : null
  // Geocode only when the address changes: a status update keeps the placed point.
  const moved = !before || before.address !== input.address.trim()
  const at = moved ? await place(deps, input.address, 'address') : null
  const f = checkFacility({
    id: before?.id ?? deps.ids.next(),
    kind: input.kind,
    name: input.name,
    address: input.address,
    lat: at ? (at.lat as number) : (before?.lat ?? null),
    lon: at ? (at.lon as number) : (before?.lon ?? null),
    policeDistrict: at ? (at.policeDistrict ?? null) : (before?.policeDistrict ?? null),
    neighborhood: at ? (at.neighborhood ?? null) : (before?.neighborhood ?? null),
    hours: input.hours ?? before?.hours ?? '',
    capacity: input.capacity !== undefined ? input.capacity : (before?.capacity ?? null),
    accessibility: input.accessibility ?? before?.accessibility ?? '',
    transit: input.transit ?? before?.transit ?? '',
    parking: input.parking ?? before?.parking ?? '',
    status: input.status ?? before?.status ?? 'open',
    updatedAt: deps.clock.now(),
    updatedBy: actor.id,
  })
  await deps.store.facilities.save(f)
  return f
}

export async function setFacilityStatus(
  deps: AppDeps,
  actor: Actor,
  id: string,
  status: FacilityStatus,
): Promise<Facility> {
  const f = found(await deps.store.facilities.get(id), 'facility', id)
  const changed = { ...f, status, updatedAt: deps.clock.now(), updatedBy: actor.id }
  await deps.store.facilities.save(changed)
  return changed
}

export const listFacilities = (
  deps: AppDeps,
  filter: { kind?: FacilityKind; status?: FacilityStatus },
): Promise<Facility[]> => deps.store.facilities.list(filter)

/** The nearest open facilities to the caller's address or point, with distances in metres. */
export async function nearestFacilities(
  deps: AppDeps,
  from: { address?: string; lat?: number; lon?: number },
  options: { kind?: FacilityKind; limit?: number },
): Promise<{ from: { lat: number; lon: number }; facilities: NearbyFacility[] }> {
  let point: { lat: number; lon: number }
  if (from.lat !== undefined && from.lon !== undefined) point = { lat: from.lat, lon: from.lon }
  else if (from.address) {
    const at = await place(deps, from.address, 'address')
    point = { lat: at.lat as number, lon: at.lon as number }
  } else
    throw new ValidationError([
      { path: 'address', message: "give the caller's address, or lat and lon" },
    ])
  const open = await deps.store.facilities.list({ status: 'open' })
  return { from: point, facilities: nearestOpen(open, point, options) }
}

/**
 * Records the facility offered on a call and whether the caller can get there. When they
 * cannot, a transport need is raised as a callback task in the follow-up queue, due in an hour.
 */
export async function recordFacilityOffered(
  deps: AppDeps,
  actor: Actor,
  incidentId: string,
  input: { facilityId: string; canReach: boolean; distanceMetres?: number | null },
): Promise<{ callbackId: string | null }> {
  if (!(await deps.store.incidents.get(incidentId))) throw new NotFoundError('incident', incidentId)
  const f = found(await deps.store.facilities.get(input.facilityId), 'facility', input.facilityId)
  const callback = input.canReach
    ? null
    : await addCallback(deps, actor, incidentId, {
        dueAt: deps.clock.now() + HOUR,
        reason: transportReason(f),
      })
  await deps.store.knowledge.recordGiven({
    incidentId,
    at: deps.clock.now(),
    actor: actor.id,
    knowledgeVersionId: null,
    facilityId: f.id,
    distanceMetres: input.distanceMetres ?? null,
    canReach: input.canReach,
    callbackId: callback?.id ?? null,
  })
  return { callbackId: callback?.id ?? null }
}

export const informationGiven = (deps: AppDeps, incidentId: string) =>
  deps.store.knowledge.givenOn(incidentId)
