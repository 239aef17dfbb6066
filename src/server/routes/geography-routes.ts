import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import {
  areaLayer,
  cityOrFail,
  importLayerData,
  streetsInBox,
} from '../../app/geography/geography-queries.js'
import {
  areaLayerParam,
  geocodeQuery,
  importLayerBody,
  reverseQuery,
  streetsQuery,
  suggestQuery,
} from '../../contract/geography.js'

/** Geocoding, autocomplete and offline map data from the city's own street file. */
export function geographyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['geography']

  r.get(
    '/api/geography/geocode',
    {
      config: { action: 'geography:read' },
      schema: {
        tags,
        summary: 'Place an address, intersection, street or place; ranked candidates when unsure',
        querystring: geocodeQuery,
      },
    },
    async (req) => (await cityOrFail(deps)).geocode(req.query.q),
  )

  r.get(
    '/api/geography/suggest',
    {
      config: { action: 'geography:read' },
      schema: {
        tags,
        summary: 'Autocomplete for the location box, from the second character',
        querystring: suggestQuery,
      },
    },
    async (req) => ({
      suggestions: (await cityOrFail(deps)).suggest(req.query.q, req.query.limit),
    }),
  )

  r.get(
    '/api/geography/reverse',
    {
      config: { action: 'geography:read' },
      schema: {
        tags,
        summary: 'The street block, segment, district, beat and neighborhood of a point',
        querystring: reverseQuery,
      },
    },
    async (req) => (await cityOrFail(deps)).reverse(req.query),
  )

  r.get(
    '/api/geography/layers',
    {
      config: { action: 'geography:read' },
      schema: { tags, summary: 'The imported layers, when and from what' },
    },
    async () => {
      const city = await deps.geography.get()
      return {
        layers: (await deps.store.geography.layers()).map((l) => ({
          ...l,
          importedAt: new Date(l.importedAt).toISOString(),
        })),
        size: city?.size ?? null,
        areaLayers: city?.areaLayers() ?? {},
        tileUrl: deps.config.MAP_TILE_URL ?? null,
        bounds: city?.bounds() ?? null,
      }
    },
  )

  r.post(
    '/api/geography/layers',
    {
      config: { action: 'geography:import' },
      schema: {
        tags,
        summary: 'Replace one layer from GeoJSON or CSV with a column mapping',
        body: importLayerBody,
      },
      bodyLimit: 50_000_000,
    },
    async (req) => importLayerData(deps, req.actor, req.body),
  )

  r.get(
    '/api/map/streets',
    {
      config: { action: 'geography:read' },
      schema: {
        tags,
        summary: 'Streets in a box as GeoJSON, thinned by zoom (no tile server needed)',
        querystring: streetsQuery,
      },
    },
    async (req) => {
      const box = req.query.bbox.split(',').map(Number) as [number, number, number, number]
      return streetsInBox(deps, box, req.query.zoom)
    },
  )

  r.get(
    '/api/map/areas/:layer',
    {
      config: { action: 'geography:read' },
      schema: { tags, summary: 'The polygons of an area layer as GeoJSON', params: areaLayerParam },
    },
    async (req) => areaLayer(deps, req.params.layer),
  )
}
