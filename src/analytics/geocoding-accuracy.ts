import type { CityGeography } from '../domain/geography/city-geography.js'
import { distanceMetres } from '../domain/shared/geo.js'

/** How well the geocoder places records whose true coordinates are known. */
export interface GeocodingAccuracy {
  records: number
  matched: number
  matchRate: number
  within100m: number
  within100mRate: number
  medianMetres: number
  p90Metres: number
  byStatus: Record<string, number>
  addressesPerSecond: number
}

export function geocodingAccuracy(
  city: CityGeography,
  records: ReadonlyArray<{ address: string; lat: number; lon: number }>,
): GeocodingAccuracy {
  const distances: number[] = []
  const byStatus: Record<string, number> = {}
  const started = performance.now()
  for (const r of records) {
    const g = city.geocode(r.address)
    byStatus[g.status] = (byStatus[g.status] ?? 0) + 1
    if (g.status === 'found' && g.match) distances.push(distanceMetres(g.match, r))
  }
  const seconds = (performance.now() - started) / 1000
  distances.sort((a, b) => a - b)
  const within = distances.filter((d) => d <= 100).length
  const pct = (q: number) =>
    distances[Math.min(distances.length - 1, Math.floor(q * distances.length))] ?? Number.NaN
  return {
    records: records.length,
    matched: distances.length,
    matchRate: distances.length / records.length,
    within100m: within,
    within100mRate: within / records.length,
    medianMetres: Math.round(pct(0.5)),
    p90Metres: Math.round(pct(0.9)),
    byStatus,
    addressesPerSecond: Math.round(records.length / seconds),
  }
}
