import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import {
  readAreas,
  readGeographySource,
  readIntersections,
  readStreets,
  readText,
} from '../../src/app/geography/read-geography-files.js'
import { type Area, CityGeography } from '../../src/domain/geography/city-geography.js'

/**
 * The demo city built straight from its files (shared/datasets/raw/baltimore-gis) through the
 * production readers, and the Baltimore 311 requests of October 2019 that carry both an
 * address and the city's own coordinates (shared/datasets/raw/baltimore-311-2019), the ground
 * truth for geocoding accuracy.
 */
export const BALTIMORE = new URL('../../geography/baltimore.yaml', import.meta.url).pathname

export async function loadBaltimore(): Promise<CityGeography> {
  const { source, dir } = await readGeographySource(BALTIMORE)
  const streets = readStreets(await readText(dir, source.streets!.file), source.streets!)
  const intersections = readIntersections(
    await readText(dir, source.intersections!.file),
    source.intersections!,
  )
  const areas: Area[] = []
  for (const a of source.areas) areas.push(...readAreas(await readText(dir, a.file), a))
  return new CityGeography({ segments: streets.segments, intersections, areas })
}

export interface Located311 {
  address: string
  lat: number
  lon: number
  neighborhood: string
  policeDistrict: string
}

export function loadBaltimore311(): Located311[] {
  const rows: Array<Record<string, string>> = parse(
    readFileSync(
      new URL(
        '../../../shared/datasets/raw/baltimore-311-2019/311_Customer_Service_Requests.csv',
        import.meta.url,
      ),
    ),
    { columns: true, bom: true },
  )
  return rows
    .filter((r) => r.Address && r.Address !== 'NA' && r.Latitude && r.Latitude !== 'NA')
    .map((r) => ({
      address: r.Address as string,
      lat: Number(r.Latitude),
      lon: Number(r.Longitude),
      neighborhood: r.Neighborhood ?? '',
      policeDistrict: r.PoliceDistrict ?? '',
    }))
}
