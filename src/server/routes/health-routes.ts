import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../../app/deps.js'

export function healthRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/api/health',
    {
      config: { action: 'public' },
      schema: { tags: ['system'], summary: 'Liveness, database and catalogue version' },
    },
    async () => {
      const snap = await deps.catalogue.snapshot()
      return {
        status: 'ok',
        database: deps.store.dialect,
        catalogueVersion: snap.version,
        callTypes: snap.callTypes.size,
      }
    },
  )
}
