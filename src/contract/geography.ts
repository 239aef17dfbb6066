import { z } from 'zod'

/** Staff API schemas for the city's geography and map data. */

export const geocodeQuery = z.object({ q: z.string().min(1).max(300) })

export const suggestQuery = z.object({
  q: z.string().max(300),
  limit: z.coerce.number().int().min(1).max(25).default(8),
})

export const reverseQuery = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lon: z.coerce.number().min(-180).max(180),
})

export const streetsQuery = z.object({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'minLon,minLat,maxLon,maxLat')
    .describe('minLon,minLat,maxLon,maxLat'),
  zoom: z.coerce.number().min(0).max(22).default(15),
})

export const areaLayerParam = z.object({ layer: z.string().regex(/^[a-z_]{2,40}$/) })

export const importLayerBody = z
  .object({
    kind: z.enum(['streets', 'intersections', 'areas', 'places']),
    layer: z
      .string()
      .regex(/^[a-z_]{2,40}$/)
      .optional()
      .describe('area layer name, for kind areas'),
    format: z.enum(['geojson', 'csv']),
    fields: z
      .record(z.string(), z.string().min(1).max(60))
      .describe('our field name → the column or property in the data'),
    data: z.string().min(2).max(40_000_000).describe('the GeoJSON or CSV text'),
  })
  .strict()
