import { stringify } from 'csv-stringify/sync'
import type { Actor } from '../../domain/access/roles.js'
import type { AuditFilter } from '../../store/ports.js'
import type { AppDeps } from '../deps.js'
import { audit } from './audit.js'

/** Searches the audit log, newest first. */
export function searchAudit(deps: AppDeps, filter: AuditFilter) {
  return deps.store.audit.search(filter)
}

/** The audit log as CSV for the period asked; the export itself is audited. */
export async function exportAuditCsv(
  deps: AppDeps,
  actor: Actor,
  filter: Omit<AuditFilter, 'limit' | 'before'>,
): Promise<string> {
  const rows: string[][] = []
  let before: number | undefined
  for (;;) {
    const page = await deps.store.audit.search({
      ...filter,
      limit: 5000,
      ...(before !== undefined ? { before } : {}),
    })
    for (const e of page) {
      rows.push([
        String(e.seq),
        new Date(e.at).toISOString(),
        e.actor,
        e.actorKind,
        e.action,
        e.outcome,
        e.targetType ?? '',
        e.targetId ?? '',
        e.ip ?? '',
        JSON.stringify(e.details),
      ])
    }
    if (page.length < 5000) break
    before = page[page.length - 1]?.seq
  }
  await audit(deps, actor, 'audit_exported', 'success', null, { rows: rows.length, filter })
  return stringify([
    [
      'seq',
      'at',
      'actor',
      'actor_kind',
      'action',
      'outcome',
      'target_type',
      'target_id',
      'ip',
      'details',
    ],
    ...rows,
  ])
}
