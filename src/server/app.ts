import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod'
import type { AppDeps } from '../app/deps.js'
import { open311Routes } from './open311/open311-routes.js'
import { registerAuthentication } from './plugins/authenticate.js'
import { registerErrorHandler } from './plugins/error-handler.js'
import { accountRoutes } from './routes/account-routes.js'
import { analyticsRoutes } from './routes/analytics-routes.js'
import { appointmentRoutes } from './routes/appointment-routes.js'
import { campaignRoutes } from './routes/campaign-routes.js'
import { catalogueRoutes } from './routes/catalogue-routes.js'
import { dispatchRoutes } from './routes/dispatch-routes.js'
import { emergencyInfoRoutes } from './routes/emergency-info-routes.js'
import { followUpRoutes } from './routes/follow-up-routes.js'
import { geographyRoutes } from './routes/geography-routes.js'
import { healthRoutes } from './routes/health-routes.js'
import { historyRoutes } from './routes/history-routes.js'
import { incidentRoutes } from './routes/incident-routes.js'
import { liveRoutes } from './routes/live-routes.js'
import { problemRoutes } from './routes/problem-routes.js'
import { publicReportRoutes } from './routes/public-report-routes.js'
import { referralRoutes } from './routes/referral-routes.js'
import { registryRoutes } from './routes/registry-routes.js'
import { simulationRoutes } from './routes/simulation-routes.js'
import { unitRoutes } from './routes/unit-routes.js'

/**
 * Builds the HTTP application. It never listens: `main` does, and tests drive it with inject().
 * Routes are registered explicitly, so every route can be found with grep.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Request ids in every log line, taken from a proxy's header when one is set.
    requestIdHeader: 'x-request-id',
    // Live streams (Server-Sent Events) never go idle; closing must end them, not wait for them.
    forceCloseConnections: true,
    // Fastify's request log prints full URLs, whose query strings can hold a caller's location;
    // the hook below logs the route template instead.
    logController: new LogController({ disableRequestLogging: true }),
  })
  // One line per request, at debug for successes (the use cases log what happened) and at
  // info for refusals, which are what an operator looks for.
  app.addHook('onResponse', async (req, reply) => {
    const level = reply.statusCode >= 400 ? 'info' : 'debug'
    req.log[level](
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    )
  })
  app.setValidatorCompiler(validatorCompiler)
  // Response schemas document the API (OpenAPI at /docs); at run time presenters are typed
  // against them, so re-validating every response would only spend time on the hot path.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  // Catalogue files are uploaded as YAML text.
  app.addContentTypeParser(
    ['application/yaml', 'text/yaml', 'application/x-yaml'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  )

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'triage311 staff API',
        version: '0.1.0',
        description:
          'Intake, triage and differential response for a police non-emergency (311) line. ' +
          'People sign in with POST /api/auth/login (session cookie + X-CSRF-Token on changes); machine clients send `Authorization: Bearer <API token>`. Errors are `{ error: { code, message, problems? } }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  registerErrorHandler(app)
  await registerAuthentication(app, deps)
  await serveConsole(app)
  healthRoutes(app, deps)
  catalogueRoutes(app, deps)
  incidentRoutes(app, deps)
  geographyRoutes(app, deps)
  accountRoutes(app, deps)
  liveRoutes(app, deps)
  unitRoutes(app, deps)
  dispatchRoutes(app, deps)
  referralRoutes(app, deps)
  problemRoutes(app, deps)
  appointmentRoutes(app, deps)
  followUpRoutes(app, deps)
  open311Routes(app, deps)
  publicReportRoutes(app, deps)
  analyticsRoutes(app, deps)
  historyRoutes(app, deps)
  simulationRoutes(app, deps)
  emergencyInfoRoutes(app, deps)
  registryRoutes(app, deps)
  campaignRoutes(app, deps)
  return app
}

const CONSOLE_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url))

/**
 * The browser pages, built by `vite build` into dist/web (npm start builds it first): the
 * public reporting page at /report (no sign-in), and the staff console for any other GET that
 * is not the API or its documentation, so the console's links survive a reload.
 */
async function serveConsole(app: FastifyInstance): Promise<void> {
  if (!existsSync(CONSOLE_DIR)) return
  await app.register(fastifyStatic, { root: CONSOLE_DIR, prefix: '/', wildcard: false })
  for (const path of ['/report', '/report/'])
    app.get(path, { config: { action: 'public' } }, (_req, reply) => reply.sendFile('report.html'))
  app.get('/*', { config: { action: 'public' } }, (req, reply) => {
    if (req.url.startsWith('/api') || req.url.startsWith('/docs')) {
      return reply
        .code(404)
        .send({ error: { code: 'not_found', message: `no route GET ${req.url.split('?')[0]}` } })
    }
    return reply.sendFile('index.html')
  })
}
