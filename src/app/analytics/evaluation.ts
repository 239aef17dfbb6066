import {
  type Change,
  compareEvaluations,
  DEFAULT_EVALUATION_OPTIONS,
  type Evaluation,
  type EvaluationOptions,
  evaluate,
} from '../../domain/analytics/evaluation.js'
import { ValidationError } from '../../domain/shared/errors.js'
import { DAY } from '../../domain/shared/instant.js'
import type { AppDeps } from '../deps.js'
import { type Period, startOfLocalDay } from './analytics-questions.js'

/** The longest period one evaluation reads: a few years of 311 incidents and unit changes. */
export const MAX_EVALUATION_DAYS = 3 * 366

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1
}

/** Every measure of the evaluation dashboard for the local days of `period`. */
export async function evaluationFor(
  deps: AppDeps,
  period: Period,
  options: EvaluationOptions = DEFAULT_EVALUATION_OPTIONS,
): Promise<Evaluation> {
  const days = daysBetween(period.from, period.to)
  if (days < 1 || days > MAX_EVALUATION_DAYS)
    throw new ValidationError([
      {
        path: 'to',
        message: `the period must run forward and cover at most ${MAX_EVALUATION_DAYS} days (it covers ${days})`,
      },
    ])
  const tz = deps.config.CITY_TIME_ZONE
  const from = startOfLocalDay(period.from, tz)
  const to = startOfLocalDay(addDays(period.to, 1), tz)
  const s = deps.store
  const [days311, days911, incidents, assignments, counts, unitHistories, referrals, offers] =
    await Promise.all([
      s.rollups.days('311', period.from, period.to),
      s.rollups.days('911', period.from, period.to),
      s.evaluation.incidentCounts(from, to),
      s.evaluation.assignments(from, to),
      s.dispatch.counts(from, to),
      s.evaluation.unitHistories(from, to),
      s.evaluation.referrals(from, to),
      s.evaluation.callOffers(from, to),
    ])
  const surveys = await s.followUp.surveys(from, to)
  return evaluate(
    {
      window: { from, to },
      days: [...days311, ...days911],
      incidents,
      assignments,
      refusals: Object.values(counts.refused).reduce((a, b) => a + b, 0),
      unitHistories,
      referrals,
      offers,
      surveys,
    },
    options,
  )
}

export interface BeforeAfter {
  date: string
  days: number
  before: Evaluation
  after: Evaluation
  changes: Change[]
}

/**
 * The same measures over `days` days before `date` and `days` days from it (the date is the
 * first day of "after": a 311 launch, a policy change).
 */
export async function beforeAfter(
  deps: AppDeps,
  q: { date: string; days: number },
  options: EvaluationOptions = DEFAULT_EVALUATION_OPTIONS,
): Promise<BeforeAfter> {
  const before = await evaluationFor(
    deps,
    { from: addDays(q.date, -q.days), to: addDays(q.date, -1) },
    options,
  )
  const after = await evaluationFor(
    deps,
    { from: q.date, to: addDays(q.date, q.days - 1) },
    options,
  )
  return { ...q, before, after, changes: compareEvaluations(before, after) }
}
