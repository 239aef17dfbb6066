import { createHash } from 'node:crypto'
import type { Actor } from '../../domain/access/roles.js'
import type { CityGeography, StreetSegment } from '../../domain/geography/city-geography.js'
import { ConflictError, ValidationError } from '../../domain/shared/errors.js'
import type { LayerRows } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'
import {
  geographySourceSchema,
  readAreas,
  readIntersections,
  readPlaces,
  readStreets,
} from './read-geography-files.js'

/** The geography, or a clear 409 when none has been imported. */
export async function cityOrFail(deps: AppDeps): Promise<CityGeography> {
  const city = await deps.geography.get()
  if (!city)
    throw new ConflictError(
      'no_geography',
      'no street file has been imported yet: run `triage311 geography import`',
    )
  return city
}

/** Road classes drawn at each zoom: the whole grid only when zoomed in. */
function visibleAt(zoom: number, seg: StreetSegment): boolean {
  if (zoom >= 15) return true
  const c = seg.roadClass ?? ''
  if (zoom >= 13) return c !== '' && c !== 'Local Street'
  return /Interstate|Freeway|Principal Arterial/.test(c)
}

/** Streets in a box as GeoJSON, thinned by zoom, for a map with no tile server. */
export async function streetsInBox(
  deps: AppDeps,
  box: [number, number, number, number],
  zoom: number,
) {
  const city = await cityOrFail(deps)
  const features = city
    .segmentsIn(box, 20_000)
    .filter((s) => visibleAt(zoom, s))
    .map((s) => ({
      type: 'Feature' as const,
      id: s.id,
      properties: {
        name: [s.street.predir, s.street.name, s.street.suffix, s.street.postdir]
          .filter(Boolean)
          .join(' '),
        class: s.roadClass,
      },
      geometry: { type: 'LineString' as const, coordinates: s.line },
    }))
  return { type: 'FeatureCollection' as const, features }
}

export async function areaLayer(deps: AppDeps, layer: string) {
  const city = await cityOrFail(deps)
  return {
    type: 'FeatureCollection' as const,
    features: city.areasOf(layer).map((a) => ({
      type: 'Feature' as const,
      id: a.id,
      properties: { layer: a.layer, name: a.name },
      geometry: { type: 'MultiPolygon' as const, coordinates: a.polygons },
    })),
  }
}

/** Replaces one layer from data sent to the admin API (GeoJSON or CSV with a column mapping). */
export async function importLayerData(
  deps: AppDeps,
  actor: Actor,
  input: {
    kind: 'streets' | 'intersections' | 'areas' | 'places'
    layer?: string
    format: 'geojson' | 'csv'
    fields: Record<string, string>
    data: string
  },
) {
  const file = 'upload'
  const described = geographySourceSchema.safeParse({
    city: 'upload',
    ...(input.kind === 'areas'
      ? { areas: [{ layer: input.layer, file, format: input.format, fields: input.fields }] }
      : { [input.kind]: { file, format: input.format, fields: input.fields } }),
  })
  if (!described.success) {
    throw new ValidationError(
      described.error.issues.map((i) => ({
        path: `body.${i.path.slice(1).join('.') || 'fields'}`,
        message: i.message,
      })),
    )
  }
  const src = described.data
  let rows: LayerRows
  try {
    rows =
      input.kind === 'streets'
        ? { kind: 'streets' as const, items: readStreets(input.data, src.streets!).segments }
        : input.kind === 'intersections'
          ? {
              kind: 'intersections' as const,
              items: readIntersections(input.data, src.intersections!),
            }
          : input.kind === 'places'
            ? { kind: 'places' as const, items: readPlaces(input.data, src.places!) }
            : {
                kind: 'areas' as const,
                layer: input.layer as string,
                items: readAreas(input.data, src.areas[0]!),
              }
  } catch (err) {
    if (err instanceof ValidationError) throw err
    throw new ValidationError([
      {
        path: 'body.data',
        message: `cannot read it as ${input.format}: ${(err as Error).message}`,
      },
    ])
  }
  if (rows.items.length === 0)
    throw new ValidationError([
      { path: 'body.data', message: 'no usable features: check the field mapping' },
    ])
  const checksum = createHash('sha256').update(input.data).digest('hex')
  await deps.store.geography.replaceLayer(rows, {
    source: 'admin upload',
    checksum,
    at: deps.clock.now(),
    actor: actor.id,
  })
  deps.geography.invalidate()
  const layer = rows.kind === 'areas' ? `area:${rows.layer}` : rows.kind
  await audit(
    deps,
    actor,
    'configuration_changed',
    'success',
    { type: 'geography_layer', id: layer },
    { features: rows.items.length },
  )
  return {
    layer,
    features: rows.items.length,
  }
}
