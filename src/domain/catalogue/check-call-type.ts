import type { FieldProblem } from '../shared/errors.js'
import type { CallType, Condition, EscalationQuestion, PriorityLevel } from './catalogue-schema.js'

/** What a call type is checked against: the rest of the catalogue. */
export interface CatalogueContext {
  agencyCodes: ReadonlySet<string>
  priorityLevels: readonly PriorityLevel[]
  screening: readonly EscalationQuestion[]
}

/**
 * Checks what the schema alone cannot: that priorities are levels of the scheme, referrals
 * name known agencies, and rules only ask about questions the call type defines. Returns every
 * problem, with paths relative to `prefix`.
 */
export function checkCallType(ct: CallType, ctx: CatalogueContext, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = []
  const at = (path: string, message: string) => problems.push({ path: `${prefix}${path}`, message })
  const levels = new Set(ctx.priorityLevels.map((l) => l.value))
  const levelList = [...levels].sort((a, b) => a - b).join(', ')
  const checkPriority = (path: string, p: number | undefined) => {
    if (p !== undefined && !levels.has(p)) at(path, `priority ${p} is not a level (${levelList})`)
  }
  const checkAgency = (path: string, code: string | undefined) => {
    if (code !== undefined && !ctx.agencyCodes.has(code)) at(path, `unknown agency '${code}'`)
  }

  checkPriority('defaultPriority', ct.defaultPriority)
  checkAgency('referral', ct.referral)
  if (ct.defaultMode === 'referral' && !ct.referral) {
    at('referral', 'defaultMode is referral, so a referral agency is required')
  }

  const questions = new Map(ct.questions.map((q) => [q.code, q]))
  const screeningCodes = new Set(ctx.screening.map((q) => q.code))
  const seen = new Set<string>()
  const allQuestions = [
    ...ct.questions.map((q, i) => ({ code: q.code, path: `questions[${i}].code` })),
    ...ct.escalation.map((q, i) => ({ code: q.code, path: `escalation[${i}].code` })),
  ]
  for (const { code, path } of allQuestions) {
    if (seen.has(code)) at(path, `question code '${code}' is used twice`)
    if (screeningCodes.has(code)) at(path, `'${code}' is a screening question; pick another code`)
    seen.add(code)
  }
  ct.escalation.forEach((q, i) => {
    checkPriority(`escalation[${i}].priority`, q.priority)
  })

  const known = new Set([...seen, ...screeningCodes])
  ct.rules.forEach((rule, i) => {
    checkPriority(`rules[${i}].priority`, rule.priority)
    checkAgency(`rules[${i}].referral`, rule.referral)
    if (rule.mode === 'referral' && !rule.referral && !ct.referral) {
      at(
        `rules[${i}].referral`,
        'this rule gives a referral, so name the agency here or on the call type',
      )
    }
    for (const c of conditionAnswers(rule.when)) {
      if (!known.has(c.answer)) {
        at(`rules[${i}].when`, `asks about '${c.answer}', which this call type does not define`)
        continue
      }
      const q = questions.get(c.answer)
      if (q?.options && c.values) {
        for (const v of c.values) {
          if (typeof v !== 'string' || !q.options.includes(v)) {
            at(`rules[${i}].when`, `'${String(v)}' is not an option of '${c.answer}'`)
          }
        }
      }
    }
  })
  return problems
}

/** Every answer a condition refers to, with the literal values it compares against. */
function conditionAnswers(c: Condition): Array<{ answer: string; values?: unknown[] }> {
  if ('all' in c) return c.all.flatMap(conditionAnswers)
  if ('any' in c) return c.any.flatMap(conditionAnswers)
  if ('not' in c) return conditionAnswers(c.not)
  if ('answered' in c) return [{ answer: c.answered }]
  if ('answer' in c) {
    if ('equals' in c) return [{ answer: c.answer, values: [c.equals] }]
    if ('in' in c) return [{ answer: c.answer, values: c.in }]
    if ('includes' in c) return [{ answer: c.answer, values: [c.includes] }]
    return [{ answer: c.answer }]
  }
  return []
}
