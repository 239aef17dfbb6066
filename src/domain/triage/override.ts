import type { PriorityLevel } from '../catalogue/catalogue-schema.js'
import type { ResponseMode } from '../catalogue/vocabulary.js'
import { type FieldProblem, ValidationError } from '../shared/errors.js'
import type { TriageDecision } from './triage.js'

/** A call-taker's change to the engine's recommendation. The reason is mandatory. */
export interface TriageOverride {
  mode?: ResponseMode
  priority?: number
  referral?: string
  reason: string
}

/** The decision that stands after an override, and what the record keeps about it. */
export interface OverriddenDecision {
  mode: ResponseMode
  priority: number
  referral: string | null
  override: {
    from: { mode: ResponseMode; priority: number; referral: string | null }
    to: { mode: ResponseMode; priority: number; referral: string | null }
    reason: string
    /** Lowering an emergency response is allowed, but a supervisor must look at it. */
    needsReview: boolean
  }
}

/**
 * Applies an override to a decision. Throws a ValidationError naming each problem: no reason,
 * a priority outside the scheme, a referral without an agency, or an unknown agency.
 */
export function applyOverride(
  decision: Pick<TriageDecision, 'mode' | 'priority' | 'referral' | 'emergency'>,
  override: TriageOverride,
  levels: readonly PriorityLevel[],
  agencyCodes: ReadonlySet<string>,
): OverriddenDecision {
  const problems: FieldProblem[] = []
  const reason = override.reason?.trim() ?? ''
  if (reason.length < 3)
    problems.push({ path: 'override.reason', message: 'give the reason for the override' })
  const mode = override.mode ?? decision.mode
  const priority = override.priority ?? decision.priority
  if (!levels.some((l) => l.value === priority)) {
    problems.push({
      path: 'override.priority',
      message: `priority must be one of ${levels.map((l) => l.value).join(', ')}`,
    })
  }
  let referral: string | null = null
  if (mode === 'referral') {
    referral = override.referral ?? decision.referral
    if (!referral)
      problems.push({ path: 'override.referral', message: 'name the agency to refer to' })
    else if (!agencyCodes.has(referral)) {
      problems.push({ path: 'override.referral', message: `unknown agency '${referral}'` })
    }
  } else if (override.referral) {
    problems.push({ path: 'override.referral', message: 'a referral agency needs mode referral' })
  }
  if (
    override.mode === undefined &&
    override.priority === undefined &&
    override.referral === undefined
  ) {
    problems.push({ path: 'override', message: 'change the mode, the priority or the referral' })
  }
  if (problems.length > 0) throw new ValidationError(problems)

  const lowersEmergency =
    decision.emergency && mode !== 'transfer_911' && mode !== 'dispatch_immediate'
  return {
    mode,
    priority,
    referral,
    override: {
      from: { mode: decision.mode, priority: decision.priority, referral: decision.referral },
      to: { mode, priority, referral },
      reason,
      needsReview: lowersEmergency || priority > decision.priority,
    },
  }
}
