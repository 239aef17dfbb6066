import { ConflictError, ValidationError } from '../shared/errors.js'
import type { Instant } from '../shared/instant.js'
import type { Disposition, Incident, IncidentEvent, IncidentStatus } from './incident.js'

/** Which status may follow which. `transferred` and duplicates have their own commands. */
const NEXT: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['pending', 'in_progress', 'closed'],
  pending: ['new', 'in_progress', 'closed'],
  in_progress: ['pending', 'closed'],
  // 911 may hand a call back to 311 ("referred back"), or it ends there.
  transferred: ['pending', 'closed'],
  // Reopening puts it back in review.
  closed: ['new'],
}

export interface StatusChange {
  to: IncidentStatus
  disposition?: Disposition
  reason?: string
}

/**
 * Moves an incident to a new status, returning the changed incident and its history entry.
 * Throws a ConflictError for a move the rules forbid and a ValidationError for missing input.
 */
export function changeStatus(
  incident: Incident,
  change: StatusChange,
  actor: string,
  now: Instant,
): { incident: Incident; event: IncidentEvent } {
  const { to, disposition } = change
  const reason = change.reason?.trim() || null
  if (to === 'transferred') {
    throw new ConflictError(
      'use_escalation',
      'transfer to 911 with the escalate command, which builds the package',
    )
  }
  if (disposition === 'duplicate') {
    throw new ConflictError(
      'use_duplicate',
      'mark a duplicate with the duplicate command, which links it to the original',
    )
  }
  if (!NEXT[incident.status].includes(to)) {
    throw new ConflictError(
      'invalid_transition',
      `an incident that is ${incident.status} cannot become ${to} (allowed: ${NEXT[incident.status].join(', ') || 'none'})`,
    )
  }
  if (to === 'closed' && !disposition) {
    throw new ValidationError([{ path: 'disposition', message: 'closing needs a disposition' }])
  }
  if (to !== 'closed' && disposition) {
    throw new ValidationError([
      { path: 'disposition', message: 'only closing takes a disposition' },
    ])
  }
  if (incident.status === 'closed' && !reason) {
    throw new ValidationError([{ path: 'reason', message: 'give the reason for reopening' }])
  }
  const next: Incident = {
    ...incident,
    status: to,
    disposition: to === 'closed' ? (disposition ?? null) : null,
    updatedAt: now,
    version: incident.version + 1,
  }
  return {
    incident: next,
    event: {
      incidentId: incident.id,
      at: now,
      actor,
      kind: 'status_changed',
      data: { from: incident.status, to, ...(disposition ? { disposition } : {}) },
      reason,
    },
  }
}
