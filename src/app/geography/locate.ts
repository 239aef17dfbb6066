import type { GeocodeResult } from '../../domain/geography/city-geography.js'
import type { LocationInput } from '../../domain/incidents/open-incident.js'
import type { AppDeps } from '../deps.js'

/** How an incident's location was placed, returned with the incident for the call-taker. */
export interface Placement {
  method: 'coordinates' | 'geocoded' | 'unplaced' | 'no_geography'
  status?: GeocodeResult['status']
  message?: string
  candidates?: Array<{ label: string; lat: number; lon: number; score: number }>
}

/**
 * Completes a location from the city's geography: text without coordinates is geocoded (only a
 * confident match is used; otherwise the text stays unplaced and the candidates are returned),
 * coordinates get their street block, segment, district, beat and neighborhood.
 */
export async function locate(
  deps: AppDeps,
  location: LocationInput | undefined,
): Promise<{ location: LocationInput | undefined; placement: Placement | null }> {
  if (!location) return { location, placement: null }
  const city = await deps.geography.get()
  if (!city) return { location, placement: { method: 'no_geography' } }
  let { lat, lon } = location
  let block = location.block
  let segmentId = location.segmentId
  let placement: Placement = { method: 'coordinates' }
  if ((lat === undefined || lon === undefined) && location.text.trim()) {
    const r = city.geocode(location.text)
    if (r.status === 'found' && r.match) {
      ;({ lat, lon } = r.match)
      block ??= r.match.block ?? undefined
      segmentId ??= r.match.segmentId ?? undefined
      placement = { method: 'geocoded', status: r.status, message: r.message }
    } else {
      return {
        location,
        placement: {
          method: 'unplaced',
          status: r.status,
          message: r.message,
          candidates: r.candidates.map((c) => ({
            label: c.label,
            lat: c.lat,
            lon: c.lon,
            score: c.score,
          })),
        },
      }
    }
  }
  if (lat === undefined || lon === undefined) return { location, placement: { method: 'unplaced' } }
  const ctx = city.reverse({ lat, lon })
  return {
    location: {
      ...location,
      lat,
      lon,
      ...((block ?? ctx.block) ? { block: block ?? (ctx.block as string) } : {}),
      ...((segmentId ?? ctx.segmentId)
        ? { segmentId: segmentId ?? (ctx.segmentId as string) }
        : {}),
      ...(ctx.areas.police_district ? { policeDistrict: ctx.areas.police_district } : {}),
      ...(ctx.areas.beat ? { beat: ctx.areas.beat } : {}),
      ...(ctx.areas.neighborhood ? { neighborhood: ctx.areas.neighborhood } : {}),
    },
    placement,
  }
}
