import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { exportAuditCsv, searchAudit } from '../../app/accounts/audit-log.js'
import {
  changeOwnPassword,
  createApiToken,
  createUser,
  endSessions,
  resetPassword,
  revokeApiToken,
  updateUser,
} from '../../app/accounts/manage-accounts.js'
import { signIn, signOut } from '../../app/accounts/sign-in.js'
import type { AppDeps } from '../../app/deps.js'
import {
  auditQuery,
  idParam,
  loginBody,
  newTokenBody,
  newUserBody,
  passwordChangeBody,
  passwordResetBody,
  userChangeBody,
} from '../../contract/accounts.js'
import type { StaffUser } from '../../domain/access/accounts.js'
import { abilitiesFor } from '../../domain/access/policies.js'
import type { ApiToken } from '../../store/ports.js'
import { SESSION_COOKIE } from '../plugins/authenticate.js'

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

export function presentUser(u: StaffUser) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    agency: u.agency,
    district: u.district,
    active: u.active,
    locked: u.lockedUntil !== null && u.lockedUntil > Date.now(),
    lockedUntil: iso(u.lockedUntil),
    passwordChangedAt: iso(u.passwordChangedAt),
    createdAt: iso(u.createdAt),
  }
}

function presentToken(t: ApiToken) {
  const { tokenHash: _h, ...rest } = t
  return {
    ...rest,
    createdAt: iso(t.createdAt),
    revokedAt: iso(t.revokedAt),
    lastUsedAt: iso(t.lastUsedAt),
  }
}

/** Sign-in, one's own account, staff accounts, API tokens and the audit log. */
export function accountRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['accounts']
  const secure = (req: FastifyRequest) =>
    deps.config.COOKIE_SECURE === 'true' ||
    (deps.config.COOKIE_SECURE === 'auto' && req.protocol === 'https')
  const clearCookie = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { path: '/' })

  r.post(
    '/api/auth/login',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Sign in: sets the session cookie, returns the CSRF token',
        body: loginBody,
      },
    },
    async (req, reply) => {
      const s = await signIn(deps, { ...req.body, ip: req.ip ?? null })
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secure(req),
      })
      return {
        user: presentUser(s.user),
        csrfToken: s.csrfToken,
        abilities: abilitiesFor({ id: s.user.username, roles: s.user.roles }),
      }
    },
  )

  r.post(
    '/api/auth/logout',
    { config: { action: 'self:manage' }, schema: { tags, summary: 'Sign out: ends this session' } },
    async (req, reply) => {
      if (req.sessionToken) await signOut(deps, req.sessionToken, req.actor)
      clearCookie(reply)
      return reply.code(204).send()
    },
  )

  r.get(
    '/api/auth/me',
    {
      config: { action: 'self:manage' },
      schema: { tags, summary: 'Who is signed in, with their abilities' },
    },
    async (req) => {
      const found =
        req.actor.kind === 'user' ? await deps.store.accounts.userByName(req.actor.id) : null
      return {
        actor: { id: req.actor.id, kind: req.actor.kind, roles: req.actor.roles },
        user: found ? presentUser(found.user) : null,
        abilities: abilitiesFor(req.actor),
        csrfToken: req.csrfToken,
      }
    },
  )

  r.post(
    '/api/auth/password',
    {
      config: { action: 'self:manage' },
      schema: {
        tags,
        summary: 'Change your password: every session of yours ends',
        body: passwordChangeBody,
      },
    },
    async (req, reply) => {
      await changeOwnPassword(deps, req.actor, req.body)
      clearCookie(reply)
      return reply.code(204).send()
    },
  )

  r.get(
    '/api/users',
    { config: { action: 'user:manage' }, schema: { tags, summary: 'Staff accounts' } },
    async () => ({
      users: (await deps.store.accounts.users()).map(presentUser),
    }),
  )

  r.post(
    '/api/users',
    {
      config: { action: 'user:manage' },
      schema: { tags, summary: 'Create a staff account', body: newUserBody },
    },
    async (req, reply) =>
      reply.code(201).send(presentUser(await createUser(deps, req.actor, req.body))),
  )

  r.patch(
    '/api/users/:id',
    {
      config: { action: 'user:manage' },
      schema: {
        tags,
        summary: 'Change roles, scopes, name; deactivate; unlock',
        params: idParam,
        body: userChangeBody,
      },
    },
    async (req) => presentUser(await updateUser(deps, req.actor, req.params.id, req.body)),
  )

  r.post(
    '/api/users/:id/password',
    {
      config: { action: 'user:manage' },
      schema: {
        tags,
        summary: "Set a user's password: their sessions end",
        params: idParam,
        body: passwordResetBody,
      },
    },
    async (req, reply) => {
      await resetPassword(deps, req.actor, req.params.id, req.body.password)
      return reply.code(204).send()
    },
  )

  r.post(
    '/api/users/:id/end-sessions',
    {
      config: { action: 'user:manage' },
      schema: { tags, summary: "End all of a user's sessions", params: idParam },
    },
    async (req) => ({ ended: await endSessions(deps, req.actor, req.params.id) }),
  )

  r.get(
    '/api/tokens',
    {
      config: { action: 'token:manage' },
      schema: { tags, summary: 'API tokens of machine clients' },
    },
    async () => ({
      tokens: (await deps.store.accounts.tokens()).map(presentToken),
    }),
  )

  r.post(
    '/api/tokens',
    {
      config: { action: 'token:manage' },
      schema: { tags, summary: 'Issue an API token: the secret is shown once', body: newTokenBody },
    },
    async (req, reply) => {
      const { token, secret } = await createApiToken(deps, req.actor, req.body)
      return reply.code(201).send({ ...presentToken(token), secret })
    },
  )

  r.delete(
    '/api/tokens/:id',
    {
      config: { action: 'token:manage' },
      schema: { tags, summary: 'Revoke an API token', params: idParam },
    },
    async (req, reply) => {
      await revokeApiToken(deps, req.actor, req.params.id)
      return reply.code(204).send()
    },
  )

  r.get(
    '/api/audit',
    {
      config: { action: 'audit:read' },
      schema: { tags, summary: 'Search the audit log, newest first', querystring: auditQuery },
    },
    async (req) => {
      const { from, to, actor, action, outcome, limit, before } = req.query
      const events = await searchAudit(deps, {
        limit,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(actor ? { actor } : {}),
        ...(action ? { action } : {}),
        ...(outcome ? { outcome } : {}),
        ...(before !== undefined ? { before } : {}),
      })
      return { events: events.map((e) => ({ ...e, at: iso(e.at) })) }
    },
  )

  r.get(
    '/api/audit.csv',
    {
      config: { action: 'audit:read' },
      schema: {
        tags,
        summary: 'Export the audit log as CSV (the export is audited)',
        querystring: auditQuery,
      },
    },
    async (req, reply) => {
      const { from, to, actor, action, outcome } = req.query
      const csv = await exportAuditCsv(deps, req.actor, {
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(actor ? { actor } : {}),
        ...(action ? { action } : {}),
        ...(outcome ? { outcome } : {}),
      })
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit.csv"')
        .send(csv)
    },
  )
}
