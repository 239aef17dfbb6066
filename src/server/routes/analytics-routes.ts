import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  breakdown,
  coincidenceOfBlocks,
  concentrationOfBlocks,
  hotSpotCells,
  nearRepeat,
  repeatBlocks,
  topBlocks,
  trend,
} from '../../app/analytics/analytics-questions.js'
import { beforeAfter, evaluationFor } from '../../app/analytics/evaluation.js'
import type { AppDeps } from '../../app/deps.js'
import {
  beforeAfterQuery,
  breakdownQuery,
  coincidenceQuery,
  concentrationQuery,
  evaluationQuery,
  nearRepeatQuery,
  placeQuery,
  trendQuery,
} from '../../contract/analytics.js'
import {
  beforeAfterCsv,
  coincidenceCsv,
  coincidenceGeoJson,
  evaluationCsv,
  hotSpotsCsv,
  hotSpotsGeoJson,
  toCsv,
  topBlocksCsv,
  topBlocksGeoJson,
  trendCsv,
} from '../presenters/analytics-exports.js'

const tags = ['analytics']

function csv(reply: FastifyReply, name: string, body: string) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(body)
}

function geojson(reply: FastifyReply, name: string, body: unknown) {
  return reply
    .header('content-type', 'application/geo+json; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.geojson"`)
    .send(JSON.stringify(body))
}

/**
 * The analyst's questions and the evaluation dashboard (issue #8): JSON for the screens, and
 * every view as CSV, and as GeoJSON where it has places (`format=`).
 */
export function analyticsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/analytics/top-blocks',
    {
      config: { action: 'analytics:read' },
      schema: { tags, summary: 'Hot spots as ranked street blocks', querystring: placeQuery },
    },
    async (req, reply) => {
      const q = req.query
      const answer = await topBlocks(deps, q)
      const points = await deps.store.rollups.blockPoints(answer.rows.map((b) => b.block))
      const name = `top-blocks-${q.source}-${q.from}-${q.to}`
      if (q.format === 'csv') return csv(reply, name, topBlocksCsv(answer, points))
      if (q.format === 'geojson') return geojson(reply, name, topBlocksGeoJson(answer, points))
      return {
        ...answer,
        rows: answer.rows.map((b) => ({ ...b, point: points.get(b.block) ?? null })),
      }
    },
  )

  r.get(
    '/api/analytics/hot-spots',
    {
      config: { action: 'analytics:read' },
      schema: {
        tags,
        summary: 'Getis-Ord Gi* on H3 cells, with FDR-corrected confidence bins',
        querystring: placeQuery,
      },
    },
    async (req, reply) => {
      const q = req.query
      const answer = await hotSpotCells(deps, q)
      const name = `hot-spots-${q.source}-${q.from}-${q.to}`
      if (q.format === 'csv') return csv(reply, name, hotSpotsCsv(answer))
      if (q.format === 'geojson') return geojson(reply, name, hotSpotsGeoJson(answer))
      return answer
    },
  )

  r.get(
    '/api/analytics/trend',
    {
      config: { action: 'analytics:read' },
      schema: {
        tags,
        summary: 'Calls per day and per hour of the week',
        querystring: trendQuery,
      },
    },
    async (req, reply) => {
      const q = req.query
      const answer = await trend(deps, q)
      if (q.format === 'csv')
        return csv(reply, `trend-${q.source}-${q.from}-${q.to}`, trendCsv(answer))
      return answer
    },
  )

  r.get(
    '/api/analytics/coincidence',
    {
      config: { action: 'analytics:read' },
      schema: {
        tags,
        summary: 'Blocks where 311 and 911 problems coincide, with the statistics',
        querystring: coincidenceQuery,
      },
    },
    async (req, reply) => {
      const q = req.query
      const answer = await coincidenceOfBlocks(deps, q)
      const points = await deps.store.rollups.blockPoints(answer.coincident)
      const name = `coincidence-${q.from}-${q.to}`
      if (q.format === 'csv') return csv(reply, name, coincidenceCsv(answer, points))
      if (q.format === 'geojson') return geojson(reply, name, coincidenceGeoJson(answer, points))
      return {
        ...answer,
        coincidentBlocks: answer.coincidentBlocks.map((b) => ({
          ...b,
          point: points.get(b.block) ?? null,
        })),
      }
    },
  )

  r.get(
    '/api/analytics/concentration',
    {
      config: { action: 'analytics:read' },
      schema: {
        tags,
        summary: 'How concentrated calls are on blocks, against random placement',
        querystring: concentrationQuery,
      },
    },
    async (req) => concentrationOfBlocks(deps, req.query),
  )

  r.get(
    '/api/analytics/repeats',
    {
      config: { action: 'analytics:read' },
      schema: {
        tags,
        summary: 'Repeat blocks and the time to repeat',
        querystring: placeQuery,
      },
    },
    async (req, reply) => {
      const q = req.query
      const answer = await repeatBlocks(deps, q)
      if (q.format === 'json') return answer
      const points = await deps.store.rollups.blockPoints(answer.repeatPlaces.map((p) => p.place))
      const name = `repeats-${q.source}-${q.from}-${q.to}`
      const iso = (t: number) => new Date(t).toISOString()
      if (q.format === 'csv')
        return csv(
          reply,
          name,
          toRepeatCsv(
            answer.repeatPlaces.map((p) => [
              p.place,
              p.count,
              iso(p.firstAt),
              iso(p.lastAt),
              points.get(p.place)?.lat,
              points.get(p.place)?.lon,
            ]),
          ),
        )
      return geojson(reply, name, {
        type: 'FeatureCollection',
        features: answer.repeatPlaces.map((p) => {
          const at = points.get(p.place)
          return {
            type: 'Feature',
            geometry: at ? { type: 'Point', coordinates: [at.lon, at.lat] } : null,
            properties: {
              block: p.place,
              calls: p.count,
              firstAt: iso(p.firstAt),
              lastAt: iso(p.lastAt),
            },
          }
        }),
      })
    },
  )

  r.get(
    '/api/analytics/breakdown',
    {
      config: { action: 'analytics:read' },
      schema: {
        tags,
        summary: 'Calls by call type, channel, priority or district',
        querystring: breakdownQuery,
      },
    },
    async (req, reply) => {
      const q = req.query
      const answer = await breakdown(deps, q)
      if (q.format === 'csv')
        return csv(
          reply,
          `calls-by-${q.by}-${q.source}-${q.from}-${q.to}`,
          toCsv(
            [q.by, 'calls', 'share'],
            answer.rows.map((r) => [r.key, r.calls, r.share]),
          ),
        )
      return answer
    },
  )

  r.get(
    '/api/analytics/near-repeat',
    {
      config: { action: 'analytics:read' },
      schema: {
        tags,
        summary: 'Knox near repeat: calls close in space and time, against chance',
        querystring: nearRepeatQuery,
      },
    },
    async (req) => nearRepeat(deps, req.query),
  )

  r.get(
    '/api/evaluation',
    {
      config: { action: 'evaluation:read' },
      schema: {
        tags,
        summary: 'Did 311 work: every measure over a period',
        querystring: evaluationQuery,
      },
    },
    async (req, reply) => {
      const { format, from, to, ...options } = req.query
      const answer = await evaluationFor(deps, { from, to }, options)
      if (format === 'csv') return csv(reply, `evaluation-${from}-${to}`, evaluationCsv(answer))
      return answer
    },
  )

  r.get(
    '/api/evaluation/before-after',
    {
      config: { action: 'evaluation:read' },
      schema: {
        tags,
        summary: 'The measures before and after a date (a 311 launch, a policy change)',
        querystring: beforeAfterQuery,
      },
    },
    async (req, reply) => {
      const { format, date, days, ...options } = req.query
      const answer = await beforeAfter(deps, { date, days }, options)
      if (format === 'csv') return csv(reply, `before-after-${date}`, beforeAfterCsv(answer))
      return answer
    },
  )
}

function toRepeatCsv(rows: unknown[][]): string {
  return toCsv(['block', 'calls', 'first_at', 'last_at', 'lat', 'lon'], rows)
}
