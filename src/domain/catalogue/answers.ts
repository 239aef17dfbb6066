import type { FieldProblem } from '../shared/errors.js'
import type { CallType, EscalationQuestion, Question } from './catalogue-schema.js'

/** A coded answer. Multi-value lists are arrays of option strings; datetimes are ISO 8601. */
export type AnswerValue = string | number | boolean | string[]
export type Answers = Record<string, AnswerValue>

/**
 * Checks answers against the call type's questions and the screening questions. With
 * `complete: false` (while the call is still being taken) missing required answers are not
 * problems yet. Unknown question codes are always problems: a typo must not silently drop an
 * answer the call-taker gave.
 */
export function checkAnswers(
  callType: CallType,
  screening: readonly EscalationQuestion[],
  answers: Answers,
  options: { complete: boolean },
): FieldProblem[] {
  const problems: FieldProblem[] = []
  const byCode = new Map<string, Question | EscalationQuestion>()
  for (const q of callType.questions) byCode.set(q.code, q)
  for (const q of callType.escalation) byCode.set(q.code, q)
  for (const q of screening) byCode.set(q.code, q)

  for (const [code, value] of Object.entries(answers)) {
    const q = byCode.get(code)
    if (!q) {
      problems.push({
        path: `answers.${code}`,
        message: `'${callType.code}' has no question '${code}'`,
      })
      continue
    }
    const problem = 'signal' in q ? checkYesNo(value) : checkValue(q, value)
    if (problem) problems.push({ path: `answers.${code}`, message: problem })
  }
  if (options.complete) {
    for (const q of callType.questions) {
      if (q.required && !(q.code in answers)) {
        problems.push({ path: `answers.${q.code}`, message: `required: ${q.prompt}` })
      }
    }
  }
  return problems
}

function checkYesNo(value: AnswerValue): string | undefined {
  return typeof value === 'boolean' ? undefined : 'answer yes (true) or no (false)'
}

function checkValue(q: Question, value: AnswerValue): string | undefined {
  switch (q.type) {
    case 'string':
      if (typeof value !== 'string') return 'expected text'
      if (value.length > 200) return 'at most 200 characters'
      return undefined
    case 'text':
      if (typeof value !== 'string') return 'expected text'
      if (value.length > 4000) return 'at most 4000 characters'
      return undefined
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a number'
    case 'boolean':
      return checkYesNo(value)
    case 'datetime':
      return typeof value === 'string' && isIsoDateTime(value)
        ? undefined
        : 'expected a date and time such as 2026-11-22T14:30:00-05:00'
    case 'single':
      return typeof value === 'string' && q.options?.includes(value)
        ? undefined
        : `expected one of: ${q.options?.join(', ')}`
    case 'multi':
      if (!Array.isArray(value)) return 'expected a list of options'
      for (const v of value) {
        if (!q.options?.includes(v)) return `'${v}' is not one of: ${q.options?.join(', ')}`
      }
      return undefined
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/

function isIsoDateTime(v: string): boolean {
  return ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))
}
