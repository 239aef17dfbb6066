import type { CallType, EscalationQuestion } from '../domain/catalogue/catalogue-schema.js'
import { PATROL_MODES, RESPONSE_MODES, type ResponseMode } from '../domain/catalogue/vocabulary.js'
import type { Instant } from '../domain/shared/instant.js'
import { triage } from '../domain/triage/triage.js'

/**
 * How our catalogue and triage engine would have handled real police calls, against the
 * priority the police gave them: the check behind `npm run bench -- triage` and its tests.
 */

/** One real call: the outside system's call-type code, its priority and when it came in. */
export interface RatedCall {
  sourceCode: string
  /** The police priority as text ('0'-'4', '9'; anything else is reported as such). */
  priority: string
  at: Instant
}

export interface TriageReportInput {
  calls: readonly RatedCall[]
  callTypes: ReadonlyMap<string, CallType>
  screening: readonly EscalationQuestion[]
  /** Outside code → our call-type code. */
  mapping: ReadonlyMap<string, string>
  timeZone: string
  /**
   * The answers an emergency would bring, by police priority, for the second run. Default:
   * priority 0 (life at risk) answers danger_to_life, priority 1 (urgent, in progress)
   * answers in_progress.
   */
  emergencyAnswers?: Record<string, Record<string, boolean>>
}

/** Calls by police priority (rows) and our response mode (columns). */
export type ModeTable = Record<string, Record<ResponseMode, number>>

export interface TriageReport {
  calls: number
  unmapped: Record<string, number>
  /** Before any question is answered. */
  noAnswers: ModeTable
  /** With the emergency answers given for the calls the police rated 0 or 1. */
  emergencyAnswered: ModeTable
  /** Share of priority 3, 4 and 9 calls sent to immediate dispatch, before any answer. */
  lowPriorityImmediateShare: number
  /** The same, leaving out officer-initiated activity (traffic stops, details, meetings). */
  lowPriorityImmediateShareCitizen: number
  /** Priority 0/1 calls left without a patrol or 911 response in the second run: must be 0. */
  underTriaged: number
  /** Outside codes mostly rated 0/1 whose mapped type gives no patrol/911 response unasked. */
  urgentTypesWithoutPatrol: string[]
  /** Our call types receiving any priority 0/1 call whose escalation questions fail to escalate. */
  typesWithoutWorkingEscalation: string[]
}

export const PATROL_OR_911: ReadonlySet<ResponseMode> = new Set<ResponseMode>([
  'transfer_911',
  ...PATROL_MODES,
])
const EMERGENCY: ReadonlySet<ResponseMode> = new Set<ResponseMode>([
  'transfer_911',
  'dispatch_immediate',
])

const DEFAULT_EMERGENCY_ANSWERS: Record<string, Record<string, boolean>> = {
  '0': { danger_to_life: true },
  '1': { in_progress: true },
}

export function triageReport(input: TriageReportInput): TriageReport {
  const emergencyAnswers = input.emergencyAnswers ?? DEFAULT_EMERGENCY_ANSWERS
  const noAnswers: ModeTable = {}
  const answered: ModeTable = {}
  const unmapped: Record<string, number> = {}
  const bySource = new Map<string, { total: number; urgent: number; nonPatrol: number }>()
  const urgentTypes = new Set<string>()
  let low = 0
  let lowImmediate = 0
  let lowCitizen = 0
  let lowImmediateCitizen = 0
  let underTriaged = 0
  let calls = 0

  for (const call of input.calls) {
    const code = input.mapping.get(call.sourceCode)
    const ct = code ? input.callTypes.get(code) : undefined
    if (!ct) {
      unmapped[call.sourceCode] = (unmapped[call.sourceCode] ?? 0) + 1
      continue
    }
    calls++
    const context = {
      channel: ct.officerInitiated ? ('officer_initiated' as const) : ('phone_311' as const),
      at: call.at,
      timeZone: input.timeZone,
      hasLocation: true,
    }
    const first = triage(ct, input.screening, {}, context)
    count(noAnswers, call.priority, first.mode)
    const urgent = call.priority === '0' || call.priority === '1'
    const second = urgent
      ? triage(ct, input.screening, emergencyAnswers[call.priority] ?? {}, context)
      : first
    count(answered, call.priority, second.mode)
    if (urgent) {
      urgentTypes.add(ct.code)
      if (!PATROL_OR_911.has(second.mode)) underTriaged++
    }
    if (call.priority === '3' || call.priority === '4' || call.priority === '9') {
      low++
      if (first.mode === 'dispatch_immediate') lowImmediate++
      if (!ct.officerInitiated) {
        lowCitizen++
        if (first.mode === 'dispatch_immediate') lowImmediateCitizen++
      }
    }
    const s = bySource.get(call.sourceCode) ?? { total: 0, urgent: 0, nonPatrol: 0 }
    s.total++
    if (urgent) s.urgent++
    if (!PATROL_OR_911.has(first.mode)) s.nonPatrol++
    bySource.set(call.sourceCode, s)
  }

  const urgentTypesWithoutPatrol = [...bySource]
    .filter(([, s]) => s.urgent / s.total > 0.5 && s.nonPatrol > 0)
    .map(([code]) => code)
    .sort()
  const typesWithoutWorkingEscalation = [...urgentTypes]
    .filter((code) => {
      const ct = input.callTypes.get(code) as CallType
      const questions = [...ct.escalation, ...input.screening]
      if (questions.length === 0) return true
      const context = {
        channel: 'phone_311' as const,
        at: 0,
        timeZone: input.timeZone,
        hasLocation: true,
      }
      return questions.some(
        (q) => !EMERGENCY.has(triage(ct, input.screening, { [q.code]: true }, context).mode),
      )
    })
    .sort()

  return {
    calls,
    unmapped,
    noAnswers,
    emergencyAnswered: answered,
    lowPriorityImmediateShare: low ? lowImmediate / low : 0,
    lowPriorityImmediateShareCitizen: lowCitizen ? lowImmediateCitizen / lowCitizen : 0,
    underTriaged,
    urgentTypesWithoutPatrol,
    typesWithoutWorkingEscalation,
  }
}

function count(table: ModeTable, priority: string, mode: ResponseMode): void {
  table[priority] ??= Object.fromEntries(RESPONSE_MODES.map((m) => [m, 0])) as Record<
    ResponseMode,
    number
  >
  table[priority][mode]++
}

/** The table as text, priorities down, modes across. */
export function formatModeTable(table: ModeTable): string {
  const short: Record<ResponseMode, string> = {
    transfer_911: '911',
    dispatch_immediate: 'immed',
    dispatch_delayed: 'delay',
    scheduled_appointment: 'appt',
    telephone_report: 'phone',
    online_report: 'online',
    referral: 'refer',
    civilian_response: 'civil',
    information_only: 'info',
  }
  const rows = Object.keys(table).sort()
  const head = ['prio', ...RESPONSE_MODES.map((m) => short[m]), 'total']
    .map((h) => h.padStart(7))
    .join('')
  const lines = rows.map((p) => {
    const r = table[p] as Record<ResponseMode, number>
    const total = RESPONSE_MODES.reduce((a, m) => a + r[m], 0)
    return [p || '(none)', ...RESPONSE_MODES.map((m) => String(r[m])), String(total)]
      .map((c) => c.padStart(7))
      .join('')
  })
  return [head, ...lines].join('\n')
}
