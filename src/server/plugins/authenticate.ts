import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Action, authorize } from '../../domain/access/policies.js'
import { type Actor, ROLES, type Role } from '../../domain/access/roles.js'
import { UnauthenticatedError } from '../../domain/shared/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor
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

/**
 * Until staff accounts arrive (issue #4) a development token stands in for sign-in:
 * `Authorization: Bearer <DEV_TOKEN>` acts as an administrator and
 * `Bearer <DEV_TOKEN>:<role>` as that role. Either way every route passes one authorize() call,
 * driven by the action the route declares, so the accounts issue swaps only this file.
 */
export function registerAuthentication(app: FastifyInstance, devToken: string): void {
  app.decorateRequest('actor', null as unknown as Actor)
  const table: RouteEntry[] = []
  app.decorate('routeTable', table)

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return
    const action = route.config?.action
    if (!action) throw new Error(`route ${route.method} ${route.url} declares no policy action`)
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, action })
    }
  })

  // onRequest, before the body is parsed or validated: a stranger learns nothing about our schemas.
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const action = req.routeOptions.config?.action
    if (!action || action === 'public') return
    req.actor = actorFromToken(req.headers.authorization, devToken)
    authorize(req.actor, action)
  })
}

/** A staff API route and the action it needs. */
export interface RouteEntry {
  method: string
  url: string
  action: Action | 'public'
}

function actorFromToken(header: string | undefined, devToken: string): Actor {
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  if (!match?.[1]) throw new UnauthenticatedError()
  const [secret, role] = match[1].split(':')
  if (!secret || !sameSecret(secret, devToken))
    throw new UnauthenticatedError('the token is not valid')
  if (role === undefined) return { id: 'dev-admin', roles: ['admin'] }
  if (!(ROLES as readonly string[]).includes(role))
    throw new UnauthenticatedError(`unknown role '${role}'`)
  return { id: `dev-${role}`, roles: [role as Role] }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
