import {
  failedSignIn,
  type StaffUser,
  sessionState,
  signInBlock,
  successfulSignIn,
} from '../../domain/access/accounts.js'
import type { Actor } from '../../domain/access/roles.js'
import { DomainError, UnauthenticatedError } from '../../domain/shared/errors.js'
import type { ApiToken } from '../../store/ports.js'
import type { AppDeps } from '../deps.js'
import { audit } from './audit.js'
import { hashSecret, newSecret, sameSecret, spendVerifyTime, verifyPassword } from './secrets.js'
import { securityPolicy } from './security-policy.js'

export interface SignedIn {
  /** The session secret for the cookie; only its hash is stored. */
  token: string
  csrfToken: string
  user: StaffUser
}

/**
 * Signs a person in. Every attempt is audited; the fifth consecutive failure locks the account
 * for ten minutes (both configurable). The answer to a failure never says whether the user
 * exists.
 */
export async function signIn(
  deps: AppDeps,
  input: { username: string; password: string; ip: string | null },
): Promise<SignedIn> {
  const now = deps.clock.now()
  const policy = securityPolicy(deps)
  const found = await deps.store.accounts.userByName(input.username.trim().toLowerCase())
  const who = {
    id: input.username.trim().toLowerCase().slice(0, 80),
    kind: 'anonymous' as const,
    ip: input.ip,
  }
  const block = signInBlock(found?.user ?? null, now)
  if (block) {
    await spendVerifyTime(input.password)
    await audit(deps, who, 'login', 'failure', found ? { type: 'user', id: found.user.id } : null, {
      reason: block,
    })
    if (block === 'locked')
      throw new DomainError(
        'account_locked',
        'this account is locked after too many failed sign-ins; try again later or ask an administrator',
      )
    throw new UnauthenticatedError('wrong user name or password')
  }
  const { user, passwordHash } = found as { user: StaffUser; passwordHash: string }
  if (!(await verifyPassword(passwordHash, input.password))) {
    const failed = failedSignIn(user, now, policy)
    await deps.store.accounts.updateUser(failed.user, user.version)
    await audit(
      deps,
      who,
      'login',
      'failure',
      { type: 'user', id: user.id },
      { reason: 'wrong_password' },
    )
    if (failed.lockedNow) {
      await audit(
        deps,
        { id: 'system', roles: [], kind: 'system', ip: input.ip },
        'account_locked',
        'success',
        { type: 'user', id: user.id },
        {
          until: new Date(failed.user.lockedUntil as number).toISOString(),
        },
      )
    }
    throw new UnauthenticatedError('wrong user name or password')
  }
  const signedIn = successfulSignIn(user, now)
  await deps.store.accounts.updateUser(signedIn, user.version)
  const token = newSecret('s_')
  const csrfToken = newSecret()
  await deps.store.accounts.createSession({
    tokenHash: hashSecret(token),
    userId: user.id,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    endedAt: null,
    endedReason: null,
    ip: input.ip,
  })
  await audit(deps, { ...actorOf(signedIn), ip: input.ip }, 'login', 'success', {
    type: 'user',
    id: user.id,
  })
  return { token, csrfToken, user: signedIn }
}

export function actorOf(user: StaffUser): Actor {
  return {
    id: user.username,
    roles: user.roles,
    kind: 'user',
    agency: user.agency,
    district: user.district,
  }
}

/** The person behind a session cookie, if the session is still good; idle sessions are locked. */
export async function actorFromSession(
  deps: AppDeps,
  token: string,
  ip: string | null,
): Promise<{ actor: Actor; csrfToken: string; user: StaffUser }> {
  const now = deps.clock.now()
  const hash = hashSecret(token)
  const session = await deps.store.accounts.session(hash)
  if (!session) throw new UnauthenticatedError('sign in first')
  const state = sessionState(session, now, securityPolicy(deps))
  if (state !== 'active') {
    if (state === 'idle' || state === 'expired') {
      await deps.store.accounts.endSession(hash, now, state === 'idle' ? 'idle_lock' : 'expired')
      await audit(
        deps,
        { id: 'system', roles: [], kind: 'system', ip },
        'session_ended',
        'success',
        { type: 'user', id: session.userId },
        { reason: state },
      )
    }
    throw new DomainError(
      'session_ended',
      state === 'idle'
        ? 'the session was locked after a period of inactivity; sign in again'
        : 'the session has ended; sign in again',
    )
  }
  const user = await deps.store.accounts.user(session.userId)
  if (!user?.active) throw new UnauthenticatedError('sign in first')
  // Touch at most once a minute: idle lock needs minutes, not every request written.
  if (now - session.lastSeenAt > 60_000) await deps.store.accounts.touchSession(hash, now)
  return { actor: { ...actorOf(user), ip }, csrfToken: session.csrfToken, user }
}

/**
 * Machine clients send a request every few milliseconds; their tokens are kept for a few
 * seconds instead of read each time. A revocation through this process applies at once (the
 * cache is cleared); through another process sharing the database, within TOKEN_CACHE_MS.
 */
const TOKEN_CACHE_MS = 5_000
const tokenCaches = new WeakMap<AppDeps, Map<string, { token: ApiToken | null; until: number }>>()

export function forgetCachedTokens(deps: AppDeps): void {
  tokenCaches.get(deps)?.clear()
}

async function cachedToken(deps: AppDeps, hash: string): Promise<ApiToken | null> {
  let cache = tokenCaches.get(deps)
  if (!cache) {
    cache = new Map()
    tokenCaches.set(deps, cache)
  }
  const now = deps.clock.now()
  const hit = cache.get(hash)
  if (hit && hit.until > now) return hit.token
  const token = await deps.store.accounts.tokenByHash(hash)
  if (cache.size > 10_000) cache.clear()
  cache.set(hash, { token, until: now + TOKEN_CACHE_MS })
  return token
}

/** The machine client behind an API token. */
export async function actorFromApiToken(
  deps: AppDeps,
  token: string,
  ip: string | null,
): Promise<Actor> {
  const t = await cachedToken(deps, hashSecret(token))
  if (!t || t.revokedAt !== null) throw new UnauthenticatedError('the token is not valid')
  const now = deps.clock.now()
  // Last use is kept to the minute; the cached copy carries the touch so it is not repeated.
  if (t.lastUsedAt === null || now - t.lastUsedAt > 60_000) {
    t.lastUsedAt = now
    await deps.store.accounts.touchToken(t.id, now)
  }
  return {
    id: `token:${t.name}`,
    roles: t.roles,
    kind: 'token',
    ip,
    agency: t.agency,
    district: t.district,
  }
}

export async function signOut(deps: AppDeps, token: string, actor: Actor): Promise<void> {
  await deps.store.accounts.endSession(hashSecret(token), deps.clock.now(), 'signed_out')
  await audit(deps, actor, 'logout', 'success')
}

export { sameSecret }
