import cookie from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { audit } from '../../app/accounts/audit.js'
import { actorFromApiToken, actorFromSession, sameSecret } from '../../app/accounts/sign-in.js'
import type { AppDeps } from '../../app/deps.js'
import { type Action, can } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import { DomainError, ForbiddenError, UnauthenticatedError } from '../../domain/shared/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor
    /** The session secret when the request came with the session cookie. */
    sessionToken: string | null
    /** That session's CSRF token, for a console reloading the page. */
    csrfToken: string | null
  }
  interface FastifyInstance {
    /** Every route with the policy action it declares: the basis of the role × route tests. */
    routeTable: RouteEntry[]
  }
  interface FastifyContextConfig {
    /** The policy action this route needs, or 'public' for no sign-in. Every route declares one. */
    action?: Action | 'public'
  }
}

/** A staff API route and the action it needs. */
export interface RouteEntry {
  method: string
  url: string
  action: Action | 'public'
  /** Whether the route reads a request body. */
  hasBody: boolean
}

export const SESSION_COOKIE = 't311_session'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Who is asking, and may they? A person signs in and carries the session cookie (HTTP-only,
 * SameSite=Strict), plus the CSRF token in `X-CSRF-Token` on every state-changing request;
 * a machine client sends `Authorization: Bearer <API token>` (no ambient credential, so no
 * CSRF). Then one authorize() against the action the route declares; every refusal is audited.
 */
export async function registerAuthentication(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(cookie)
  app.decorateRequest('actor', null as unknown as Actor)
  app.decorateRequest('sessionToken', null)
  app.decorateRequest('csrfToken', null)
  const table: RouteEntry[] = []
  app.decorate('routeTable', table)

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return
    const action = route.config?.action
    if (!action) throw new Error(`route ${route.method} ${route.url} declares no policy action`)
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        table.push({ method, url: route.url, action, hasBody: Boolean(route.schema?.body) })
    }
  })

  // onRequest, before the body is parsed or validated: a stranger learns nothing about our schemas.
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const action = req.routeOptions.config?.action
    if (!action || action === 'public') return
    const ip = req.ip ?? null
    const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
    if (bearer) {
      try {
        req.actor = await actorFromApiToken(deps, bearer, ip)
      } catch (err) {
        await audit(
          deps,
          { id: 'unknown token', kind: 'anonymous', ip },
          'token_rejected',
          'failure',
          null,
          { route: req.routeOptions.url },
        )
        throw err
      }
    } else {
      const token = req.cookies[SESSION_COOKIE]
      if (!token) throw new UnauthenticatedError()
      const s = await actorFromSession(deps, token, ip)
      if (!SAFE_METHODS.has(req.method)) {
        const sent = req.headers['x-csrf-token']
        if (typeof sent !== 'string' || !sameSecret(sent, s.csrfToken)) {
          await audit(deps, s.actor, 'access_denied', 'denied', null, {
            route: req.routeOptions.url,
            method: req.method,
            reason: 'csrf',
          })
          throw new DomainError(
            'csrf_failed',
            'send the X-CSRF-Token you received at sign-in with every change',
          )
        }
      }
      req.actor = s.actor
      req.sessionToken = token
      req.csrfToken = s.csrfToken
    }
    if (!can(req.actor, action)) {
      await audit(deps, req.actor, 'access_denied', 'denied', null, {
        route: req.routeOptions.url,
        method: req.method,
        action,
      })
      throw new ForbiddenError(action)
    }
  })
}
