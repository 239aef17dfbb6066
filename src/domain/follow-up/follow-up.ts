import { ConflictError, type FieldProblem, ValidationError } from '../shared/errors.js'
import { HOUR, type Instant, MINUTE } from '../shared/instant.js'

/**
 * Follow-up after the call: callbacks the centre owes, the status message a caller asked for,
 * and the satisfaction survey whose results the evaluation reads (DESIGN.md §3 item 4).
 */

export const CALLBACK_OUTCOMES = ['reached', 'left_message', 'no_answer', 'wrong_number'] as const
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number]

export interface CallbackTask {
  id: string
  incidentId: string
  dueAt: Instant
  /** What the caller is to be told or asked. */
  reason: string
  status: 'open' | 'done' | 'cancelled'
  outcome: CallbackOutcome | null
  note: string | null
  createdAt: Instant
  createdBy: string
  doneAt: Instant | null
  doneBy: string | null
  version: number
}

export function createCallback(input: {
  id: string
  incidentId: string
  dueAt: Instant
  reason: string
  actor: string
  now: Instant
}): CallbackTask {
  const reason = input.reason.trim()
  const problems: FieldProblem[] = []
  if (reason.length < 3 || reason.length > 300)
    problems.push({ path: 'reason', message: 'say what the callback is for (3 to 300 characters)' })
  if (input.dueAt < input.now - MINUTE)
    problems.push({ path: 'dueAt', message: 'a callback is due now or later, not in the past' })
  if (problems.length > 0) throw new ValidationError(problems)
  return {
    id: input.id,
    incidentId: input.incidentId,
    dueAt: input.dueAt,
    reason,
    status: 'open',
    outcome: null,
    note: null,
    createdAt: input.now,
    createdBy: input.actor,
    doneAt: null,
    doneBy: null,
    version: 1,
  }
}

/**
 * Records how the callback went. Not reaching the caller still completes the attempt; the
 * call-taker books another callback if one is worth making.
 */
export function completeCallback(
  task: CallbackTask,
  outcome: CallbackOutcome,
  note: string | undefined,
  actor: string,
  now: Instant,
): CallbackTask {
  if (task.status !== 'open') {
    throw new ConflictError('callback_done', `the callback is already ${task.status}`)
  }
  return {
    ...task,
    status: 'done',
    outcome,
    note: note?.trim() || null,
    doneAt: now,
    doneBy: actor,
    version: task.version + 1,
  }
}

export type NotificationChannel = 'email' | 'sms'

/**
 * A message in the outbox. It names the caller, never their address: the address is read from
 * the restricted caller record only when the message goes.
 */
export interface Notification {
  id: string
  incidentId: string
  callerId: string
  channel: NotificationChannel
  subject: string
  body: string
  status: 'queued' | 'sent' | 'failed'
  attempts: number
  lastError: string | null
  providerId: string | null
  createdAt: Instant
  nextAttemptAt: Instant | null
  sentAt: Instant | null
}

/** Waits between attempts; after the last, the message is given up as failed. */
const RETRY_DELAYS_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR]

/** The outbox entry after one delivery attempt. */
export function afterAttempt(
  n: Notification,
  result:
    | { ok: true; providerId: string | null }
    | { ok: false; retryable: boolean; error: string },
  now: Instant,
): Notification {
  const attempts = n.attempts + 1
  if (result.ok) {
    return {
      ...n,
      attempts,
      status: 'sent',
      providerId: result.providerId,
      sentAt: now,
      nextAttemptAt: null,
      lastError: null,
    }
  }
  const delay = RETRY_DELAYS_MS[attempts - 1]
  const giveUp = !result.retryable || delay === undefined
  return {
    ...n,
    attempts,
    status: giveUp ? 'failed' : 'queued',
    lastError: result.error.slice(0, 300),
    nextAttemptAt: giveUp ? null : now + delay,
  }
}

/**
 * The message a caller gets when their incident closes: the number, what it was, how it ended
 * and the survey link. Nothing about anyone else, and no narrative (which may name people).
 */
export function closureMessage(input: {
  incidentNumber: string
  callTypeName: string
  outcome: string
  surveyUrl: string | null
  agencyName: string
}): { subject: string; body: string } {
  const subject = `${input.incidentNumber}: ${input.callTypeName} is closed`
  const survey = input.surveyUrl ? ` How did we do? ${input.surveyUrl}` : ''
  return {
    subject,
    body: `${input.agencyName}: your report ${input.incidentNumber} (${input.callTypeName}) is closed. ${input.outcome}.${survey}`,
  }
}

export interface Survey {
  id: string
  incidentId: string
  sentAt: Instant
  answeredAt: Instant | null
  /** 1 (very dissatisfied) to 5 (very satisfied). */
  score: number | null
  /** Whether the caller says the problem was dealt with. */
  resolved: boolean | null
  comment: string | null
}

export function answerSurvey(
  s: Survey,
  answer: { score: number; resolved: boolean; comment?: string },
  now: Instant,
): Survey {
  if (s.answeredAt !== null) {
    throw new ConflictError('survey_answered', 'this survey has already been answered; thank you')
  }
  const problems: FieldProblem[] = []
  if (!Number.isInteger(answer.score) || answer.score < 1 || answer.score > 5)
    problems.push({ path: 'score', message: 'choose 1 (very dissatisfied) to 5 (very satisfied)' })
  const comment = answer.comment?.trim() || null
  if (comment && comment.length > 1000)
    problems.push({ path: 'comment', message: 'keep the comment under 1,000 characters' })
  if (problems.length > 0) throw new ValidationError(problems)
  return { ...s, answeredAt: now, score: answer.score, resolved: answer.resolved, comment }
}

export interface SurveySummary {
  sent: number
  answered: number
  responseRate: number | null
  meanScore: number | null
  /** Share of answers saying the problem was dealt with. */
  resolvedShare: number | null
  /** Answers by score, index 0 for score 1. */
  scores: [number, number, number, number, number]
}

/** The satisfaction figures of the evaluation, defined once. */
export function summarizeSurveys(surveys: readonly Survey[]): SurveySummary {
  const scores: SurveySummary['scores'] = [0, 0, 0, 0, 0]
  let answered = 0
  let total = 0
  let resolved = 0
  for (const s of surveys) {
    if (s.answeredAt === null || s.score === null) continue
    answered++
    total += s.score
    scores[s.score - 1] = (scores[s.score - 1] ?? 0) + 1
    if (s.resolved) resolved++
  }
  return {
    sent: surveys.length,
    answered,
    responseRate: surveys.length > 0 ? answered / surveys.length : null,
    meanScore: answered > 0 ? total / answered : null,
    resolvedShare: answered > 0 ? resolved / answered : null,
    scores,
  }
}
