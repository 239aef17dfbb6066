import { type FieldProblem, ValidationError } from '../shared/errors.js'
import { type Instant, MINUTE } from '../shared/instant.js'
import { ROLES, type Role } from './roles.js'

/**
 * Staff accounts and sessions: the rules of CJIS-style access control (research/
 * police-call-management.md §6), as pure functions of the account, the session and the time.
 */

export interface StaffUser {
  id: string
  username: string
  displayName: string
  roles: Role[]
  /** The agency a liaison works for: they see only its referrals. */
  agency: string | null
  /** The district an officer or Neighborhood Service Center works in. */
  district: string | null
  active: boolean
  /** Consecutive failed sign-ins since the last success. */
  failedLogins: number
  lockedUntil: Instant | null
  passwordChangedAt: Instant
  createdAt: Instant
  updatedAt: Instant
  version: number
}

export interface SecurityPolicy {
  /** Consecutive failures that lock an account. Default 5. */
  lockoutFailures: number
  /** How long a lockout lasts. Default 10 minutes. */
  lockoutMs: number
  /** A session unused this long is locked. Default 30 minutes. */
  idleMs: number
  /** A session ends this long after sign-in, however active. Default 12 hours. */
  maxSessionMs: number
}

export const DEFAULT_SECURITY: SecurityPolicy = {
  lockoutFailures: 5,
  lockoutMs: 10 * MINUTE,
  idleMs: 30 * MINUTE,
  maxSessionMs: 12 * 60 * MINUTE,
}

/** Why a sign-in may not proceed, before the password is even checked. */
export function signInBlock(
  user: StaffUser | null,
  now: Instant,
): 'unknown' | 'inactive' | 'locked' | null {
  if (!user) return 'unknown'
  if (!user.active) return 'inactive'
  if (user.lockedUntil !== null && user.lockedUntil > now) return 'locked'
  return null
}

/** The account after a wrong password: counted, and locked at the limit. */
export function failedSignIn(
  user: StaffUser,
  now: Instant,
  policy: SecurityPolicy,
): { user: StaffUser; lockedNow: boolean } {
  const failures =
    (user.lockedUntil !== null && user.lockedUntil <= now ? 0 : user.failedLogins) + 1
  const lockedNow = failures >= policy.lockoutFailures
  return {
    user: {
      ...user,
      failedLogins: lockedNow ? 0 : failures,
      lockedUntil: lockedNow
        ? now + policy.lockoutMs
        : user.lockedUntil !== null && user.lockedUntil <= now
          ? null
          : user.lockedUntil,
      updatedAt: now,
      version: user.version + 1,
    },
    lockedNow,
  }
}

/** The account after a right password: the failure count starts again. */
export function successfulSignIn(user: StaffUser, now: Instant): StaffUser {
  return { ...user, failedLogins: 0, lockedUntil: null, updatedAt: now, version: user.version + 1 }
}

/** A signed-in session. The token itself is never stored, only its hash. */
export interface StaffSession {
  tokenHash: string
  userId: string
  csrfToken: string
  createdAt: Instant
  lastSeenAt: Instant
  endedAt: Instant | null
  endedReason: string | null
  ip: string | null
}

export type SessionState = 'active' | 'idle' | 'expired' | 'ended'

export function sessionState(s: StaffSession, now: Instant, policy: SecurityPolicy): SessionState {
  if (s.endedAt !== null) return 'ended'
  if (now - s.createdAt > policy.maxSessionMs) return 'expired'
  if (now - s.lastSeenAt > policy.idleMs) return 'idle'
  return 'active'
}

/** Passwords: long rather than complicated (NIST SP 800-63B), and not the user name. */
export function checkPassword(
  password: string,
  username: string,
  path = 'password',
): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (password.length < 12) problems.push({ path, message: 'use at least 12 characters' })
  if (password.length > 256) problems.push({ path, message: 'use at most 256 characters' })
  if (password.toLowerCase().includes(username.toLowerCase()))
    problems.push({ path, message: 'must not contain the user name' })
  if (/^(.)\1+$/.test(password)) problems.push({ path, message: 'must not repeat one character' })
  return problems
}

/** Roles and scopes that go together: a liaison needs an agency; officers and NSC staff a district. */
export function checkRolesAndScopes(
  roles: readonly string[],
  agency: string | null,
  district: string | null,
  holder: 'person' | 'token' = 'person',
): FieldProblem[] {
  const problems: FieldProblem[] = []
  // An Open311 key belongs to an app, not a person, and never shares a token with staff roles.
  if (roles.includes('open311_client') && (holder === 'person' || roles.length > 1))
    problems.push({
      path: 'roles',
      message:
        'open311_client is for an Open311 API key alone, not for a person or with other roles',
    })
  if (roles.length === 0) problems.push({ path: 'roles', message: 'give at least one role' })
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r))
      problems.push({ path: 'roles', message: `unknown role '${r}' (${ROLES.join(', ')})` })
  }
  if (roles.includes('agency_liaison') && !agency)
    problems.push({ path: 'agency', message: 'an agency liaison needs the agency they work for' })
  if ((roles.includes('officer') || roles.includes('community_policing')) && !district) {
    problems.push({
      path: 'district',
      message: 'officers and Neighborhood Service Center staff need their district',
    })
  }
  return problems
}

export function assertValid(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new ValidationError(problems)
}
