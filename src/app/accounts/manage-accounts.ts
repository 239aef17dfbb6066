import {
  assertValid,
  checkPassword,
  checkRolesAndScopes,
  type StaffUser,
} from '../../domain/access/accounts.js'
import type { Actor, Role } from '../../domain/access/roles.js'
import { ConflictError, NotFoundError, ValidationError } from '../../domain/shared/errors.js'
import type { ApiToken } from '../../store/ports.js'
import type { AppDeps } from '../deps.js'
import { audit } from './audit.js'
import { hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js'
import { forgetCachedTokens } from './sign-in.js'

/** Staff accounts and machine tokens: every change is audited with who made it. */

export interface NewUser {
  username: string
  displayName: string
  password: string
  roles: string[]
  agency?: string | null
  district?: string | null
}

const USERNAME = /^[a-z][a-z0-9._-]{1,39}$/

export async function createUser(deps: AppDeps, actor: Actor, input: NewUser): Promise<StaffUser> {
  const username = input.username.trim().toLowerCase()
  const problems = [
    ...(USERNAME.test(username)
      ? []
      : [
          {
            path: 'username',
            message: 'use 2-40 lower-case letters, digits, . _ or -, starting with a letter',
          },
        ]),
    ...checkPassword(input.password, username),
    ...checkRolesAndScopes(input.roles, input.agency ?? null, input.district ?? null),
  ]
  assertValid(problems)
  const now = deps.clock.now()
  const user: StaffUser = {
    id: deps.ids.next(),
    username,
    displayName: input.displayName.trim() || username,
    roles: [...new Set(input.roles)] as Role[],
    agency: input.agency ?? null,
    district: input.district ?? null,
    active: true,
    failedLogins: 0,
    lockedUntil: null,
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
  }
  await deps.store.accounts.createUser(user, await hashPassword(input.password))
  await audit(
    deps,
    actor,
    'user_created',
    'success',
    { type: 'user', id: user.id },
    { username, roles: user.roles, agency: user.agency, district: user.district },
  )
  return user
}

export interface UserChange {
  displayName?: string
  roles?: string[]
  agency?: string | null
  district?: string | null
  active?: boolean
  /** Lift a lockout now. */
  unlock?: boolean
}

export async function updateUser(
  deps: AppDeps,
  actor: Actor,
  id: string,
  change: UserChange,
): Promise<StaffUser> {
  const user = await deps.store.accounts.user(id)
  if (!user) throw new NotFoundError('user', id)
  const next: StaffUser = {
    ...user,
    displayName: change.displayName?.trim() || user.displayName,
    roles: (change.roles ?? user.roles) as Role[],
    agency: change.agency !== undefined ? change.agency : user.agency,
    district: change.district !== undefined ? change.district : user.district,
    active: change.active ?? user.active,
    ...(change.unlock ? { failedLogins: 0, lockedUntil: null } : {}),
    updatedAt: deps.clock.now(),
    version: user.version + 1,
  }
  assertValid(checkRolesAndScopes(next.roles, next.agency, next.district))
  if (
    user.username === actor.id &&
    (!next.active || !next.roles.includes('admin')) &&
    user.roles.includes('admin')
  ) {
    throw new ConflictError(
      'self_lockout',
      'an administrator cannot remove their own administrator role or deactivate themselves',
    )
  }
  await deps.store.accounts.updateUser(next, user.version)
  const ended = !next.active
    ? await deps.store.accounts.endUserSessions(id, deps.clock.now(), 'deactivated')
    : 0
  await audit(
    deps,
    actor,
    'user_updated',
    'success',
    { type: 'user', id },
    {
      before: {
        roles: user.roles,
        agency: user.agency,
        district: user.district,
        active: user.active,
      },
      after: {
        roles: next.roles,
        agency: next.agency,
        district: next.district,
        active: next.active,
      },
      ...(change.unlock ? { unlocked: true } : {}),
      ...(ended ? { sessionsEnded: ended } : {}),
    },
  )
  return next
}

/** An administrator sets a new password: every session of that user ends. */
export async function resetPassword(
  deps: AppDeps,
  actor: Actor,
  id: string,
  password: string,
): Promise<void> {
  const user = await deps.store.accounts.user(id)
  if (!user) throw new NotFoundError('user', id)
  assertValid(checkPassword(password, user.username))
  const now = deps.clock.now()
  await deps.store.accounts.updateUser(
    {
      ...user,
      passwordChangedAt: now,
      failedLogins: 0,
      lockedUntil: null,
      updatedAt: now,
      version: user.version + 1,
    },
    user.version,
    await hashPassword(password),
  )
  const ended = await deps.store.accounts.endUserSessions(id, now, 'password_reset')
  await audit(
    deps,
    actor,
    'password_reset',
    'success',
    { type: 'user', id },
    { sessionsEnded: ended },
  )
}

/** A person changes their own password: every one of their sessions ends, this one too. */
export async function changeOwnPassword(
  deps: AppDeps,
  actor: Actor,
  input: { current: string; next: string },
): Promise<void> {
  const found = await deps.store.accounts.userByName(actor.id)
  if (!found) throw new NotFoundError('user', actor.id)
  if (!(await verifyPassword(found.passwordHash, input.current))) {
    await audit(
      deps,
      actor,
      'password_changed',
      'failure',
      { type: 'user', id: found.user.id },
      { reason: 'wrong_current_password' },
    )
    throw new ValidationError([{ path: 'current', message: 'the current password is not right' }])
  }
  assertValid(checkPassword(input.next, found.user.username, 'next'))
  const now = deps.clock.now()
  const u = found.user
  await deps.store.accounts.updateUser(
    { ...u, passwordChangedAt: now, updatedAt: now, version: u.version + 1 },
    u.version,
    await hashPassword(input.next),
  )
  const ended = await deps.store.accounts.endUserSessions(u.id, now, 'password_changed')
  await audit(
    deps,
    actor,
    'password_changed',
    'success',
    { type: 'user', id: u.id },
    { sessionsEnded: ended },
  )
}

export async function endSessions(deps: AppDeps, actor: Actor, id: string): Promise<number> {
  if (!(await deps.store.accounts.user(id))) throw new NotFoundError('user', id)
  const ended = await deps.store.accounts.endUserSessions(id, deps.clock.now(), 'ended_by_admin')
  await audit(
    deps,
    actor,
    'sessions_ended',
    'success',
    { type: 'user', id },
    { sessionsEnded: ended },
  )
  return ended
}

/** Issues an API token; the secret is returned once and never again. */
export async function createApiToken(
  deps: AppDeps,
  actor: Actor,
  input: { name: string; roles: string[]; agency?: string | null; district?: string | null },
): Promise<{ token: ApiToken; secret: string }> {
  const name = input.name.trim()
  const problems = [
    ...(/^[A-Za-z0-9][A-Za-z0-9 ._-]{1,59}$/.test(name)
      ? []
      : [{ path: 'name', message: 'use 2-60 letters, digits, spaces, . _ or -' }]),
    ...checkRolesAndScopes(input.roles, input.agency ?? null, input.district ?? null, 'token'),
  ]
  assertValid(problems)
  const secret = newSecret('t_')
  const token: ApiToken = {
    id: deps.ids.next(),
    name,
    tokenHash: hashSecret(secret),
    roles: [...new Set(input.roles)] as Role[],
    agency: input.agency ?? null,
    district: input.district ?? null,
    createdBy: actor.id,
    createdAt: deps.clock.now(),
    revokedAt: null,
    lastUsedAt: null,
  }
  await deps.store.accounts.createToken(token)
  await audit(
    deps,
    actor,
    'token_created',
    'success',
    { type: 'api_token', id: token.id },
    { name, roles: token.roles },
  )
  return { token, secret }
}

export async function revokeApiToken(deps: AppDeps, actor: Actor, id: string): Promise<void> {
  if (!(await deps.store.accounts.revokeToken(id, deps.clock.now())))
    throw new NotFoundError('active API token', id)
  forgetCachedTokens(deps)
  await audit(deps, actor, 'token_revoked', 'success', { type: 'api_token', id })
}

/**
 * The first administrator, from the command line, on a database with no users yet. The
 * password is generated (and printed once) unless one is given.
 */
export async function createFirstAdmin(
  deps: AppDeps,
  username: string,
  password?: string,
): Promise<{ user: StaffUser; password: string }> {
  if ((await deps.store.accounts.countUsers()) > 0) {
    throw new ConflictError(
      'users_exist',
      'there are users already: an administrator creates the others through the API',
    )
  }
  const pw = password ?? newSecret().slice(0, 20)
  const user = await createUser(
    deps,
    { id: 'cli', roles: ['admin'], kind: 'system' },
    { username, displayName: username, password: pw, roles: ['admin'] },
  )
  return { user, password: pw }
}
