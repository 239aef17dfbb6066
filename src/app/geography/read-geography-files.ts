import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { parse as parseCsv } from 'csv-parse/sync'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { parseStreet, type StreetName } from '../../domain/geography/address.js'
import type {
  Area,
  NamedIntersection,
  Place,
  StreetSegment,
} from '../../domain/geography/city-geography.js'
import type { Position } from '../../domain/geography/geo-math.js'
import { ValidationError } from '../../domain/shared/errors.js'

/**
 * Reads a city's geography from its own files (GeoJSON or CSV) through a column mapping: the
 * description file (geography/<city>.yaml) says which file holds what and which column is which.
 */

const field = z.string().min(1)
const layerFile = z.object({ file: z.string().min(1), format: z.enum(['geojson', 'csv']) })

export const geographySourceSchema = z
  .object({
    city: z.string().min(1),
    timeZone: z.string().optional(),
    streets: layerFile
      .extend({
        format: z.literal('geojson'),
        fields: z.object({
          id: field.optional(),
          predir: field.optional(),
          name: field,
          suffix: field.optional(),
          postdir: field.optional(),
          fromLeft: field,
          toLeft: field,
          fromRight: field,
          toRight: field,
          roadClass: field.optional(),
        }),
      })
      .optional(),
    intersections: layerFile
      .extend({
        format: z.literal('csv'),
        fields: z.object({ id: field, name: field, lat: field, lon: field }),
      })
      .optional(),
    areas: z
      .array(
        layerFile.extend({
          layer: z.string().regex(/^[a-z_]{2,40}$/),
          format: z.literal('geojson'),
          fields: z.object({ id: field, name: field }),
        }),
      )
      .default([]),
    places: layerFile
      .extend({
        format: z.literal('csv'),
        fields: z.object({ id: field, name: field, kind: field, lat: field, lon: field }),
      })
      .optional(),
  })
  .strict()
export type GeographySource = z.infer<typeof geographySourceSchema>

export async function readGeographySource(
  path: string,
): Promise<{ source: GeographySource; dir: string }> {
  const parsed = geographySourceSchema.safeParse(parseYaml(await readFile(path, 'utf8')))
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'file', message: i.message })),
    )
  }
  return { source: parsed.data, dir: dirname(resolve(path)) }
}

/** A file's text, gunzipped when its name ends in .gz. */
export async function readText(dir: string, file: string): Promise<string> {
  const buf = await readFile(resolve(dir, file))
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8')
}

type Props = Record<string, unknown>
interface Feature {
  properties: Props | null
  geometry: { type: string; coordinates: unknown } | null
}

function features(text: string, file: string): Feature[] {
  const fc = JSON.parse(text) as { type?: string; features?: Feature[] }
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new ValidationError([{ path: file, message: 'not a GeoJSON FeatureCollection' }])
  }
  return fc.features
}

const str = (p: Props, k: string | undefined) => (k && p[k] != null ? String(p[k]).trim() : '')
const num = (p: Props, k: string) => {
  const n = Number(p[k])
  return Number.isFinite(n) ? n : 0
}

/** Street centerlines: one segment per LineString (a MultiLineString's parts are joined). */
export function readStreets(
  text: string,
  s: NonNullable<GeographySource['streets']>,
): { segments: StreetSegment[]; skipped: number } {
  const f = s.fields
  const segments: StreetSegment[] = []
  let skipped = 0
  features(text, s.file).forEach((feat, i) => {
    const p = feat.properties ?? {}
    const g = feat.geometry
    const line: Position[] =
      g?.type === 'LineString'
        ? (g.coordinates as Position[])
        : g?.type === 'MultiLineString'
          ? (g.coordinates as Position[][]).flat()
          : []
    const raw = [str(p, f.predir), str(p, f.name), str(p, f.suffix), str(p, f.postdir)]
      .filter(Boolean)
      .join(' ')
    const street = parseStreet(raw)
    if (!street || line.length < 2) {
      skipped++
      return
    }
    segments.push({
      id: f.id ? str(p, f.id) : `s${i + 1}`,
      street: fromParts(street, str(p, f.predir), str(p, f.postdir)),
      fromLeft: num(p, f.fromLeft),
      toLeft: num(p, f.toLeft),
      fromRight: num(p, f.fromRight),
      toRight: num(p, f.toRight),
      line,
      roadClass: str(p, f.roadClass) || null,
    })
  })
  return { segments, skipped }
}

// The file's own direction columns are authoritative: 'NORTH AVE' has none, 'N NORTH ST' has one.
function fromParts(parsed: StreetName, predir: string, postdir: string): StreetName {
  return {
    ...parsed,
    predir: predir ? parsed.predir : parsed.predir && !predir ? parsed.predir : '',
    postdir: postdir ? parsed.postdir : parsed.postdir,
  }
}

export function readIntersections(
  text: string,
  s: NonNullable<GeographySource['intersections']>,
): NamedIntersection[] {
  const rows: Props[] = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true })
  const out: NamedIntersection[] = []
  for (const r of rows) {
    const streets = str(r, s.fields.name)
      .split('&')
      .map((x) => parseStreet(x))
      .filter((x): x is StreetName => x !== null)
    const lat = Number(r[s.fields.lat])
    const lon = Number(r[s.fields.lon])
    if (streets.length >= 2 && Number.isFinite(lat) && Number.isFinite(lon))
      out.push({ id: str(r, s.fields.id), streets, lat, lon })
  }
  return out
}

export function readAreas(text: string, s: GeographySource['areas'][number]): Area[] {
  return features(text, s.file).flatMap((feat, i) => {
    const p = feat.properties ?? {}
    const g = feat.geometry
    const polygons =
      g?.type === 'Polygon'
        ? [g.coordinates as Position[][]]
        : g?.type === 'MultiPolygon'
          ? (g.coordinates as Position[][][])
          : []
    if (polygons.length === 0) return []
    return [
      {
        layer: s.layer,
        id: str(p, s.fields.id) || String(i + 1),
        name: str(p, s.fields.name) || `${s.layer} ${i + 1}`,
        polygons,
      },
    ]
  })
}

export function readPlaces(text: string, s: NonNullable<GeographySource['places']>): Place[] {
  const rows: Props[] = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true })
  return rows
    .map((r) => ({
      id: str(r, s.fields.id),
      name: str(r, s.fields.name),
      kind: str(r, s.fields.kind),
      lat: Number(r[s.fields.lat]),
      lon: Number(r[s.fields.lon]),
    }))
    .filter((p) => p.name && Number.isFinite(p.lat) && Number.isFinite(p.lon))
}
