import type { SecurityPolicy } from '../../domain/access/accounts.js'
import { HOUR, MINUTE } from '../../domain/shared/instant.js'
import type { AppDeps } from '../deps.js'

export function securityPolicy(deps: AppDeps): SecurityPolicy {
  const c = deps.config
  return {
    lockoutFailures: c.LOCKOUT_FAILURES,
    lockoutMs: c.LOCKOUT_MINUTES * MINUTE,
    idleMs: c.IDLE_LOCK_MINUTES * MINUTE,
    maxSessionMs: c.SESSION_MAX_HOURS * HOUR,
  }
}
