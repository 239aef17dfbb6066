import type { FastifyError, FastifyInstance } from 'fastify'
import { DomainError, ValidationError } from '../../domain/shared/errors.js'

/** Domain error codes → HTTP statuses. Everything else a user can cause is a 4xx too. */
const STATUS_BY_CODE: Record<string, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  session_ended: 401,
  account_locked: 423,
  forbidden: 403,
  csrf_failed: 403,
  /** The special-needs registry outside an activation (issue #10): right role, wrong moment. */
  outside_activation: 403,
  not_found: 404,
  rate_limited: 429,
  payload_too_large: 413,
}

/**
 * One error handler for the staff API: `{ error: { code, message, problems? } }`. A user's
 * mistake is always a 4xx naming what to fix; a 5xx says only "internal error" and the details
 * go to the log (never to the client).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) {
      const status = STATUS_BY_CODE[err.code] ?? 409
      const problems = err instanceof ValidationError ? err.problems : undefined
      return reply.code(status).send({
        error: { code: err.code, message: err.message, ...(problems ? { problems } : {}) },
      })
    }
    if (err.validation) {
      const context = err.validationContext ?? 'request'
      const problems = err.validation.map((v) => ({
        path: [context, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'is invalid',
      }))
      const first = problems[0]
      return reply.code(400).send({
        error: {
          code: 'validation_failed',
          message: first ? `${first.path}: ${first.message}` : 'invalid request',
          problems,
        },
      })
    }
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, unsupported media type, body too large…
      return reply
        .code(status)
        .send({ error: { code: clientErrorCode(err), message: err.message } })
    }
    req.log.error({ err }, 'request failed')
    return reply
      .code(500)
      .send({ error: { code: 'internal_error', message: 'Internal Server Error' } })
  })

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` },
    }),
  )
}

function clientErrorCode(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'malformed_body'
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type'
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large'
    default:
      return 'bad_request'
  }
}
