import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../../app/deps.js'
import {
  incidentPhotos,
  MAX_PHOTO_BYTES,
  photo,
  submitPublicReport,
} from '../../app/open311/public-report.js'
import { DomainError } from '../../domain/shared/errors.js'
import { RateLimit } from '../open311/rate-limit.js'

const tags = ['public']

const reportBody = z
  .object({
    serviceCode: z.string().min(1).max(24),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    address: z.string().max(200).optional(),
    description: z.string().max(4000).optional(),
    attributes: z
      .record(
        z.string().max(64),
        z.union([z.string().max(2000), z.array(z.string().max(200)).max(50)]),
      )
      .optional(),
    photo: z
      .object({
        contentType: z.string().max(100),
        base64: z.string().max(Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4),
      })
      .strict()
      .optional(),
    contact: z
      .object({
        name: z.string().max(100).optional(),
        email: z.string().max(254).optional(),
        phone: z.string().max(25).optional(),
        consent: z.boolean(),
      })
      .strict()
      .optional(),
    website: z.string().max(200).optional(),
  })
  .strict()

const idParam = z.object({ id: z.string().min(1).max(80) })

/**
 * The city's public reporting page posts here (no sign-in, limited per address); staff read the
 * photos that came with a report.
 */
export function publicReportRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const perAddress = new RateLimit(deps.config.OPEN311_POSTS_PER_MINUTE_PER_ADDRESS)

  r.post(
    '/api/public/reports',
    {
      config: { action: 'public' },
      // A photo of up to 2 MB arrives as base64 inside the JSON.
      bodyLimit: MAX_PHOTO_BYTES * 2,
      schema: { tags, summary: 'Report a problem from the public page', body: reportBody },
    },
    async (req, reply) => {
      const wait = perAddress.take(req.ip, Date.now())
      if (wait > 0) {
        reply.header('retry-after', String(wait))
        throw new DomainError('rate_limited', `too many reports; try again in ${wait} s`)
      }
      return reply.code(201).send(await submitPublicReport(deps, req.body))
    },
  )

  r.get(
    '/api/incidents/:id/media',
    {
      config: { action: 'incident:read' },
      schema: { tags: ['incidents'], summary: 'Photos sent with the report', params: idParam },
    },
    async (req) => ({
      media: (await incidentPhotos(deps, req.params.id)).map((m) => ({
        ...m,
        url: `/api/media/${m.id}`,
        createdAt: new Date(m.createdAt).toISOString(),
      })),
    }),
  )

  r.get(
    '/api/media/:id',
    {
      config: { action: 'incident:read' },
      schema: { tags: ['incidents'], summary: 'One photo', params: idParam },
    },
    async (req, reply) => {
      const m = await photo(deps, req.params.id)
      return reply
        .type(m.contentType)
        .header('cache-control', 'private, max-age=3600')
        .header('content-security-policy', "default-src 'none'")
        .send(Buffer.from(m.bytes))
    },
  )
}
