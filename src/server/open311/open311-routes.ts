import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppDeps } from '../../app/deps.js'
import {
  checkJurisdiction,
  discovery,
  findRequest,
  findRequests,
  findToken,
  findUpdates,
  keyHolder,
  type RequestQuery,
  serviceDefinition,
  services,
  submitRequest,
} from '../../app/open311/open311-api.js'
import { type FormFields, Open311Error } from '../../domain/open311/open311.js'
import { RateLimit } from './rate-limit.js'
import { toOpen311Xml } from './to-xml.js'

type Format = 'json' | 'xml'

/** Bodies bigger than this are refused before they are read (a request is a short form). */
const BODY_LIMIT = 64 * 1024

/** "services.json" → ["services", "json"]; an unknown suffix is not a resource. */
function splitFormat(file: string): [string, Format] {
  const dot = file.lastIndexOf('.')
  const format = file.slice(dot + 1)
  if (dot <= 0 || (format !== 'json' && format !== 'xml'))
    throw new Open311Error(404, `${file}: ask for a resource ending in .json or .xml`)
  return [file.slice(0, dot), format]
}

/** The format the client asked for, for errors too; XML is the spec's required default. */
function formatOf(req: FastifyRequest): Format {
  return req.url.split('?')[0]?.endsWith('.json') ? 'json' : 'xml'
}

function send(reply: FastifyReply, format: Format, root: string, body: unknown, status = 200) {
  reply.code(status)
  if (format === 'json')
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
  return reply.type('text/xml; charset=utf-8').send(toOpen311Xml(root, body))
}

/** A query parameter as the spec reads it: empty means not sent. */
function param(q: unknown, key: string): string | null {
  const v = (q as Record<string, unknown>)[key]
  const s = Array.isArray(v) ? v[v.length - 1] : v
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : null
}

function list(q: unknown, key: string): string[] | null {
  const v = param(q, key)
  return v
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : null
}

function time(q: unknown, key: string): number | null {
  const v = param(q, key)
  if (v === null) return null
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) ||
    Number.isNaN(Date.parse(v))
  )
    throw new Open311Error(
      400,
      `${key} must be a W3C date-time with a time zone, e.g. 2026-11-23T14:30:00Z`,
    )
  return Date.parse(v)
}

function integer(q: unknown, key: string, min: number, max: number): number | null {
  const v = param(q, key)
  if (v === null) return null
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Open311Error(400, `${key} must be a whole number from ${min} to ${max}`)
  return n
}

/** Reads an application/x-www-form-urlencoded body, keeping repeated fields (attribute[x][]). */
function parseForm(body: string): FormFields {
  const fields: Record<string, string[]> = {}
  for (const [k, v] of new URLSearchParams(body)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue
    const values = fields[k] ?? []
    values.push(v)
    fields[k] = values
  }
  return fields
}

/**
 * Open311 GeoReport v2 at /open311/v2 (research/open311-anchors.md §1): every resource in JSON
 * and XML by its suffix, the spec's error array in the same format, API keys for POST, and
 * limits per key and per client address. Routes are thin: the rules are in the domain.
 */
export function open311Routes(app: FastifyInstance, deps: AppDeps): void {
  const perKey = new RateLimit(deps.config.OPEN311_POSTS_PER_MINUTE_PER_KEY)
  const perAddress = new RateLimit(deps.config.OPEN311_POSTS_PER_MINUTE_PER_ADDRESS)

  app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers()
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: BODY_LIMIT },
        (_req, body, done) => done(null, parseForm(body as string)),
      )
      // Any other body is refused with the spec's error, not a framework message.
      scope.addContentTypeParser('*', { bodyLimit: BODY_LIMIT }, (_req, _body, done) =>
        done(
          new Open311Error(400, 'send the request as application/x-www-form-urlencoded'),
          undefined,
        ),
      )
      scope.setErrorHandler((err, req, reply) => {
        const format = formatOf(req)
        if (err instanceof Open311Error)
          return send(reply, format, 'errors', err.problems, err.status)
        const status = (err as { statusCode?: number }).statusCode
        if (status === 413)
          return send(
            reply,
            format,
            'errors',
            [{ code: 413, description: `the request is larger than ${BODY_LIMIT} bytes` }],
            413,
          )
        if (status && status >= 400 && status < 500)
          return send(
            reply,
            format,
            'errors',
            [{ code: 400, description: 'the request could not be read' }],
            400,
          )
        req.log.error({ err }, 'open311 request failed')
        return send(
          reply,
          format,
          'errors',
          [{ code: 500, description: 'the 311 service could not answer; try again' }],
          500,
        )
      })
      scope.setNotFoundHandler((req, reply) =>
        send(
          reply,
          formatOf(req),
          'errors',
          [{ code: 404, description: 'no such Open311 resource' }],
          404,
        ),
      )

      scope.get<{ Params: { file: string } }>(
        '/:file',
        { config: { action: 'public' } },
        async (req, reply) => {
          const [resource, format] = splitFormat(req.params.file)
          checkJurisdiction(deps, param(req.query, 'jurisdiction_id'))
          switch (resource) {
            case 'discovery':
              return send(
                reply,
                format,
                'discovery',
                discovery(deps, `${deps.config.PUBLIC_URL.replace(/\/$/, '')}/open311/v2`),
              )
            case 'services':
              return send(reply, format, 'services', await services(deps))
            case 'requests':
              return send(
                reply,
                format,
                'service_requests',
                await findRequests(deps, requestQuery(req.query)),
              )
            case 'servicerequestupdates':
              return send(
                reply,
                format,
                'service_request_updates',
                await findUpdates(deps, time(req.query, 'start_date'), time(req.query, 'end_date')),
              )
            default:
              throw new Open311Error(404, `no such Open311 resource: ${resource}`)
          }
        },
      )

      scope.get<{ Params: { kind: string; file: string } }>(
        '/:kind/:file',
        { config: { action: 'public' } },
        async (req, reply) => {
          const [id, format] = splitFormat(req.params.file)
          checkJurisdiction(deps, param(req.query, 'jurisdiction_id'))
          const extensions = param(req.query, 'extensions') === 'true'
          switch (req.params.kind) {
            case 'services':
              return send(reply, format, 'service_definition', await serviceDefinition(deps, id))
            case 'requests':
              return send(
                reply,
                format,
                'service_requests',
                await findRequest(deps, id, extensions),
              )
            case 'tokens':
              return send(reply, format, 'service_requests', await findToken(deps, id))
            default:
              throw new Open311Error(404, `no such Open311 resource: ${req.params.kind}`)
          }
        },
      )

      scope.post<{ Params: { file: string } }>(
        '/:file',
        { config: { action: 'public' } },
        async (req, reply) => {
          const [resource, format] = splitFormat(req.params.file)
          if (resource !== 'requests') throw new Open311Error(404, `cannot post to ${resource}`)
          const form = (req.body ?? {}) as FormFields
          checkJurisdiction(deps, form.jurisdiction_id?.[0]?.trim() || null)
          const now = Date.now()
          const waitAddress = perAddress.take(req.ip, now)
          const client = await keyHolder(deps, form.api_key?.[0]?.trim() || null)
          const wait = Math.max(waitAddress, perKey.take(client.id, now))
          if (wait > 0) {
            reply.header('retry-after', String(wait))
            throw new Open311Error(429, `too many requests; try again in ${wait} s`)
          }
          const { incidentId: _id, ...result } = await submitRequest(
            deps,
            { ...client, ip: req.ip },
            form,
          )
          return send(reply, format, 'service_requests', [result], 201)
        },
      )
    },
    { prefix: '/open311/v2' },
  )
}

function requestQuery(q: unknown): RequestQuery {
  const statuses = list(q, 'status')
  if (statuses?.some((s) => s !== 'open' && s !== 'closed'))
    throw new Open311Error(400, 'status must be open, closed, or both separated by a comma')
  const extensions = param(q, 'extensions') === 'true'
  const pageSize = extensions ? integer(q, 'page_size', 1, 1000) : null
  return {
    serviceRequestIds: list(q, 'service_request_id'),
    serviceCodes: list(q, 'service_code'),
    start: time(q, 'start_date'),
    end: time(q, 'end_date'),
    statuses: statuses as Array<'open' | 'closed'> | null,
    extensions,
    page: (extensions ? integer(q, 'page', 1, 100_000) : null) ?? 1,
    pageSize: pageSize ?? (extensions && param(q, 'page') ? 50 : null),
    updatedAfter: extensions ? time(q, 'updated_after') : null,
    updatedBefore: extensions ? time(q, 'updated_before') : null,
  }
}
