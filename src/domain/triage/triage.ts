import type { Answers } from '../catalogue/answers.js'
import type { CallType, EscalationQuestion } from '../catalogue/catalogue-schema.js'
import type { Channel, EmergencySignal, ResponseMode } from '../catalogue/vocabulary.js'
import { type Instant, localHour } from '../shared/instant.js'
import { describe, holds } from './conditions.js'

/** Everything about the call that is not an answer. */
export interface TriageContext {
  channel: Channel
  at: Instant
  /** IANA time zone of the city, for rules about the time of day. */
  timeZone: string
  hasLocation: boolean
}

/** One rule that fired, and what it set. */
export interface TriageStep {
  /** Where the rule comes from: `escalation:weapon`, `screening:weapon`, `rule[2]`, `default`. */
  source: string
  because: string
  mode?: ResponseMode
  priority?: number
  referral?: string
}

/** The engine's recommendation for one call, with its reasons. */
export interface TriageDecision {
  callType: string
  priority: number
  mode: ResponseMode
  /** Agency code when the mode is `referral`, else null. */
  referral: string | null
  /** True when an emergency signal decided the response. */
  emergency: boolean
  signals: EmergencySignal[]
  steps: TriageStep[]
  /** One readable line per step, for the call-taker and the record. */
  explanation: string[]
  /** Escalation questions not answered yet; the console keeps asking them. */
  unanswered: string[]
}

/**
 * Chooses priority, response mode and referral for a call. Deterministic and pure: the same
 * inputs always give the same decision, which is what the policy lab relies on.
 *
 * Order (docs/catalogue-format.md): an emergency signal answered yes always wins and cannot be
 * lowered by a rule; then the first catalogue rule that holds; then the call type's defaults.
 */
export function triage(
  callType: CallType,
  screening: readonly EscalationQuestion[],
  answers: Answers,
  context: TriageContext,
): TriageDecision {
  const escalations = [
    ...callType.escalation.map((q) => ({ q, source: `escalation:${q.code}` })),
    ...screening.map((q) => ({ q, source: `screening:${q.code}` })),
  ]
  const fired = escalations.filter(({ q }) => answers[q.code] === true)
  const unanswered = escalations.filter(({ q }) => !(q.code in answers)).map(({ q }) => q.code)

  if (fired.length > 0) {
    const to911 = fired.some(({ q }) => q.escalatesTo === 'transfer_911')
    const mode: ResponseMode = to911 ? 'transfer_911' : 'dispatch_immediate'
    const priority = Math.min(...fired.map(({ q }) => q.priority))
    const steps = fired.map(({ q, source }) => ({
      source,
      because: `${signalWords[q.signal]} (${q.prompt})`,
      mode: q.escalatesTo,
      priority: q.priority,
    }))
    return decision(callType, { mode, priority, referral: null }, steps, unanswered, true, [
      ...new Set(fired.map(({ q }) => q.signal)),
    ])
  }

  const facts = {
    answers,
    channel: context.channel,
    localHour: localHour(context.at, context.timeZone),
    hasLocation: context.hasLocation,
  }
  const index = callType.rules.findIndex((r) => holds(r.when, facts))
  const rule = index >= 0 ? callType.rules[index] : undefined
  if (rule) {
    const mode = rule.mode ?? callType.defaultMode
    const priority = rule.priority ?? callType.defaultPriority
    const referral = mode === 'referral' ? (rule.referral ?? callType.referral ?? null) : null
    const step: TriageStep = {
      source: `rule[${index}]`,
      because: `${describe(rule.when)}: ${rule.because}`,
      mode,
      priority,
      ...(referral ? { referral } : {}),
    }
    return decision(callType, { mode, priority, referral }, [step], unanswered, false, [])
  }

  const mode = callType.defaultMode
  const referral = mode === 'referral' ? (callType.referral ?? null) : null
  const step: TriageStep = {
    source: 'default',
    because: `the ${callType.name} protocol's default response`,
    mode,
    priority: callType.defaultPriority,
    ...(referral ? { referral } : {}),
  }
  return decision(
    callType,
    { mode, priority: callType.defaultPriority, referral },
    [step],
    unanswered,
    false,
    [],
  )
}

const signalWords: Record<EmergencySignal, string> = {
  danger_to_life: 'danger to life reported',
  weapon: 'weapon reported',
  injury: 'injury reported',
  in_progress: 'crime in progress or suspect on scene',
  violence: 'violence reported',
  medical: 'medical emergency reported',
  fire: 'fire reported',
  other: 'emergency reported',
}

function decision(
  callType: CallType,
  outcome: { mode: ResponseMode; priority: number; referral: string | null },
  steps: TriageStep[],
  unanswered: string[],
  emergency: boolean,
  signals: EmergencySignal[],
): TriageDecision {
  return {
    callType: callType.code,
    ...outcome,
    emergency,
    signals,
    steps,
    explanation: steps.map(explainStep),
    unanswered,
  }
}

/** "why: weapon reported (…) → transfer_911, priority 1" */
export function explainStep(s: TriageStep): string {
  const result = [s.mode, s.priority !== undefined ? `priority ${s.priority}` : undefined]
    .filter(Boolean)
    .join(', ')
  const to = s.referral ? ` to ${s.referral}` : ''
  return `why: ${s.because} → ${result}${to}`
}
