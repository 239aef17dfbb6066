import type { Actor } from '../../domain/access/roles.js'
import type { AuditEvent } from '../../store/ports.js'
import type { AppDeps } from '../deps.js'

/** Writes one audit entry: who (or which token), what, to what, from where, how it went. */
export async function audit(
  deps: AppDeps,
  who: Actor | { id: string; kind: 'anonymous'; ip?: string | null },
  action: string,
  outcome: AuditEvent['outcome'],
  target: { type: string; id: string } | null = null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await deps.store.audit.append([
    {
      at: deps.clock.now(),
      actor: who.id,
      actorKind: 'kind' in who && who.kind ? who.kind : 'user',
      action,
      outcome,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      ip: who.ip ?? null,
      details,
    },
  ])
}
