import { randomUUID } from 'node:crypto'
import { createWriteStream, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../../app/deps.js'
import { HistoryImports, historyMappings } from '../../app/history/history-imports.js'
import { idParam } from '../../contract/dispatch.js'
import { DomainError } from '../../domain/shared/errors.js'

/** The largest CAD export taken through the browser (a few years of a large city's calls). */
export const MAX_HISTORY_UPLOAD_BYTES = 2 * 1024 ** 3

const tags = ['history']
const iso = (t: number) => new Date(t).toISOString()

/** 911 history uploaded from the analyst's screen: the file, then its progress and summary. */
export function historyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const imports = new HistoryImports()

  app.register(async (scope) => {
    // The export is streamed to a file as it arrives, never held in memory.
    scope.addContentTypeParser(['text/csv', 'application/octet-stream'], (_req, payload, done) =>
      done(null, payload),
    )
    const r = scope.withTypeProvider<ZodTypeProvider>()

    r.get(
      '/api/history/mappings',
      { config: { action: 'history:import' }, schema: { tags, summary: 'CAD export formats' } },
      async () => ({ mappings: historyMappings() }),
    )

    r.post(
      '/api/history/imports',
      {
        config: { action: 'history:import' },
        schema: {
          tags,
          summary: 'Upload a CAD export (text/csv body); it is imported in the background',
          querystring: z.object({ mapping: z.string().regex(/^[a-z0-9_-]{1,40}$/) }).strict(),
        },
      },
      async (req, reply) => {
        const body = req.body as { pipe?: unknown } | undefined
        if (typeof body?.pipe !== 'function')
          throw new DomainError(
            'validation_failed',
            'send the CAD export as the request body, with Content-Type: text/csv',
          )
        const file = join(tmpdir(), `triage311-history-${randomUUID()}.csv`)
        let size = 0
        try {
          await pipeline(
            body as NodeJS.ReadableStream,
            new Transform({
              transform(chunk: Buffer, _enc, next) {
                size += chunk.length
                if (size > MAX_HISTORY_UPLOAD_BYTES)
                  next(
                    new DomainError(
                      'payload_too_large',
                      `a CAD export may be at most ${MAX_HISTORY_UPLOAD_BYTES / 1024 ** 3} GiB; split the file`,
                    ),
                  )
                else next(null, chunk)
              },
            }),
            createWriteStream(file),
          )
        } catch (err) {
          rmSync(file, { force: true })
          throw err
        }
        if (size === 0) {
          rmSync(file, { force: true })
          throw new DomainError(
            'validation_failed',
            'the file is empty: send the CAD export as the body',
          )
        }
        const job = imports.start(deps, req.actor, file, req.query.mapping)
        return reply.code(202).send(present(job))
      },
    )

    r.get(
      '/api/history/imports/:id',
      {
        config: { action: 'history:import' },
        schema: {
          tags,
          summary: 'An import’s progress, and its summary when done',
          params: idParam,
        },
      },
      async (req) => present(imports.get(req.params.id)),
    )
  })
}

function present(job: ReturnType<HistoryImports['get']>) {
  return { ...job, startedAt: iso(job.startedAt) }
}
