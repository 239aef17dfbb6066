import { ValidationError } from '../shared/errors.js'
import { distanceMetres, type LatLon } from '../shared/geo.js'
import type { Instant } from '../shared/instant.js'

/**
 * Facilities a resident may be sent to in an emergency (issue #10 item 3): points of dispensing
 * (PODs), shelters and warming centres, with what a caller needs to get there.
 */
export const FACILITY_KINDS = ['pod', 'shelter', 'warming_centre'] as const
export type FacilityKind = (typeof FACILITY_KINDS)[number]
export const FACILITY_STATUSES = ['open', 'full', 'closed'] as const
export type FacilityStatus = (typeof FACILITY_STATUSES)[number]

export interface Facility {
  id: string
  kind: FacilityKind
  name: string
  address: string
  /** Where the city geography placed the address; null when it could not. */
  lat: number | null
  lon: number | null
  policeDistrict: string | null
  neighborhood: string | null
  hours: string
  capacity: number | null
  accessibility: string
  transit: string
  parking: string
  status: FacilityStatus
  updatedAt: Instant
  updatedBy: string
}

export function checkFacility(f: Facility): Facility {
  const problems = []
  if (!f.name.trim()) problems.push({ path: 'name', message: 'give the facility a name' })
  if (!f.address.trim()) problems.push({ path: 'address', message: 'give its street address' })
  if (f.capacity !== null && (!Number.isInteger(f.capacity) || f.capacity < 0))
    problems.push({ path: 'capacity', message: 'capacity is a whole number of people' })
  if (problems.length) throw new ValidationError(problems)
  return { ...f, name: f.name.trim(), address: f.address.trim() }
}

export interface NearbyFacility {
  facility: Facility
  distanceMetres: number
}

/**
 * The open facilities nearest the caller, closest first (ties by name, so the list is stable).
 * Full and closed ones are left out: sending a caller to a full shelter costs them the trip.
 * Facilities the geography could not place cannot be ranked and are left out too.
 */
export function nearestOpen(
  facilities: readonly Facility[],
  from: LatLon,
  options: { kind?: FacilityKind; limit?: number } = {},
): NearbyFacility[] {
  return facilities
    .filter((f) => f.status === 'open' && f.lat !== null && f.lon !== null)
    .filter((f) => !options.kind || f.kind === options.kind)
    .map((f) => ({
      facility: f,
      distanceMetres: Math.round(
        distanceMetres(from, { lat: f.lat as number, lon: f.lon as number }),
      ),
    }))
    .sort(
      (a, b) =>
        a.distanceMetres - b.distanceMetres || a.facility.name.localeCompare(b.facility.name),
    )
    .slice(0, options.limit ?? 5)
}

/** The callback reason when a caller cannot get to a facility: the words the queue shows. */
export function transportReason(f: Facility): string {
  return `transport needed to ${f.name}`
}
