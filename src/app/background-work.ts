import type { Actor } from '../domain/access/roles.js'
import type { AppDeps } from './deps.js'
import { deliverDue } from './follow-up/follow-up.js'
import { escalateOverdue } from './referrals/referrals.js'

const SYSTEM: Actor = { id: 'system', roles: ['admin'], kind: 'system' }

/** How often queued caller messages are retried. */
const DELIVERY_SWEEP_MS = 30_000

/**
 * The server's timed work: overdue referrals escalate, and caller messages that failed are
 * retried. Each sweep reads the clock, so tests drive the same code with a controlled clock.
 * Returns a function that stops both.
 */
export function startBackgroundWork(deps: AppDeps): () => void {
  const timers: NodeJS.Timeout[] = []
  const every = (ms: number, name: string, work: () => Promise<unknown>) => {
    if (ms <= 0) return
    const t = setInterval(() => {
      work().catch((err) =>
        deps.log.error({ err: (err as Error).message, sweep: name }, 'sweep failed'),
      )
    }, ms)
    t.unref()
    timers.push(t)
  }
  every(deps.config.REFERRAL_SWEEP_SECONDS * 1000, 'referrals', () => escalateOverdue(deps, SYSTEM))
  every(DELIVERY_SWEEP_MS, 'notifications', () => deliverDue(deps))
  return () => {
    for (const t of timers) clearInterval(t)
  }
}
