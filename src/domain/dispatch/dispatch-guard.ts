import { formatIncidentNumber } from '../incidents/incident.js'
import { ConflictError, ValidationError } from '../shared/errors.js'

/** What the guard needs to know about the incident and the work already under way for it. */
export interface DispatchSituation {
  incidentNumber: number | null
  /** The incident it was linked to as a duplicate, when it was. */
  duplicateOf: string | null
  /** An open referral to an agency or Neighborhood Service Center, when there is one. */
  openReferralTo: string | null
  /** Call sign of the unit holding the active primary assignment, when one does. */
  activePrimaryUnit: string | null
}

export type AssignmentRole = 'primary' | 'backup'

/** The dispatcher's recorded decision to send a unit despite a duplicate or a referral. */
export interface DualDispatchDecision {
  reason: string
}

export type DualDispatchKind = 'duplicate' | 'referred'

export interface DispatchClearance {
  role: AssignmentRole
  /** Set when the dispatch goes ahead only because the dispatcher recorded a dual dispatch. */
  dualDispatch: { kind: DualDispatchKind; reason: string } | null
}

/**
 * The double-dispatch guard (Baltimore sent cars twice; DESIGN.md §1). An incident has at most
 * one active primary assignment, whatever anyone decides; a second unit goes as backup. A linked
 * duplicate, or an incident already with an agency or NSC, is refused unless the dispatcher
 * records a dual-dispatch decision with a reason, which is then counted.
 */
export function clearDispatch(
  situation: DispatchSituation,
  role: AssignmentRole,
  decision: DualDispatchDecision | null,
): DispatchClearance {
  const reason = decision?.reason.trim() ?? ''
  if (decision && reason.length < 5) {
    throw new ValidationError([
      {
        path: 'dualDispatch.reason',
        message: 'say why the unit goes anyway (5 characters or more)',
      },
    ])
  }
  const number = formatIncidentNumber(situation.incidentNumber) ?? 'this incident'
  if (role === 'primary' && situation.activePrimaryUnit !== null) {
    throw new ConflictError(
      'already_dispatched',
      `${number} already has unit ${situation.activePrimaryUnit} assigned; send another unit as backup`,
      { unit: situation.activePrimaryUnit },
    )
  }
  if (role === 'backup' && situation.activePrimaryUnit === null) {
    throw new ConflictError('no_primary', `${number} has no primary unit to back up`)
  }
  const kind: DualDispatchKind | null =
    situation.duplicateOf !== null
      ? 'duplicate'
      : situation.openReferralTo !== null
        ? 'referred'
        : null
  if (kind === null) return { role, dualDispatch: null }
  if (!decision) {
    throw new ConflictError(
      kind === 'duplicate' ? 'duplicate_of_dispatched' : 'already_referred',
      kind === 'duplicate'
        ? `${number} is a duplicate of another incident; dispatch that one, or record a dual-dispatch decision with a reason`
        : `${number} is referred to ${situation.openReferralTo}; record a dual-dispatch decision with a reason to send a unit as well`,
      { kind },
    )
  }
  return { role, dualDispatch: { kind, reason } }
}
