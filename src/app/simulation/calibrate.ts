/**
 * Calibrates the policy lab's scenario from the system's own records (issue #9 item 3): reads
 * the rollups (911 calls imported from CAD, 311 incidents), the telephony's offered calls, the
 * assignments, contacts, duplicates and referrals of one period, and hands them to the pure fit
 * in src/sim/model/calibrate.ts, which returns the Scenario and the report of every parameter.
 */

import { ValidationError } from '../../domain/shared/errors.js'
import { DAY } from '../../domain/shared/instant.js'
import { type Calibration, calibrateScenario } from '../../sim/model/calibrate.js'
import type { SimCatalogue } from '../../sim/model/triage-table.js'
import { startOfLocalDay } from '../analytics/analytics-questions.js'
import { ensureCatalogue } from '../create-deps.js'
import type { AppDeps } from '../deps.js'

export interface CalibrationRequest {
  /** Local days, inclusive; absent = the last 52 weeks that hold calls (or all of them). */
  from?: string
  to?: string
  days?: number
  warmUpDays?: number
}

/** The longest period read: a few years of calls (the rollups keep it cheap). */
export const MAX_CALIBRATION_DAYS = 3 * 366
const DEFAULT_DAYS = 364

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1

/** The catalogue the simulator triages with, from the running system's catalogue. */
export async function simCatalogue(deps: AppDeps): Promise<SimCatalogue> {
  await ensureCatalogue(deps)
  const snap = await deps.catalogue.snapshot()
  return {
    callTypes: [...snap.callTypes.values()],
    screening: snap.screening,
    priorityScheme: { levels: snap.priorityLevels },
  }
}

/** The period to calibrate on: asked for, or the latest 52 weeks of calls. */
async function periodOf(
  deps: AppDeps,
  request: CalibrationRequest,
): Promise<{ from: string; to: string }> {
  if (request.from && request.to) {
    const days = daysBetween(request.from, request.to)
    if (!(days >= 1 && days <= MAX_CALIBRATION_DAYS))
      throw new ValidationError([
        {
          path: 'to',
          message: `the period must run forward and cover at most ${MAX_CALIBRATION_DAYS} days (it covers ${days})`,
        },
      ])
    return { from: request.from, to: request.to }
  }
  // The hour rollups are one row per local day and hour: cheap to scan for the data's extent.
  const all = [
    ...(await deps.store.rollups.hours('911', '0001-01-01', '9999-12-31')),
    ...(await deps.store.rollups.hours('311', '0001-01-01', '9999-12-31')),
  ]
  if (all.length === 0) {
    const today = new Date(deps.clock.now()).toISOString().slice(0, 10)
    return { from: addDays(today, -(DEFAULT_DAYS - 1)), to: today }
  }
  let first = all[0]?.day as string
  let last = first
  for (const h of all) {
    if (h.day < first) first = h.day
    if (h.day > last) last = h.day
  }
  // Dates as YYYY-MM-DD compare as strings; never start before the first day with calls.
  const yearBack = addDays(last, -(DEFAULT_DAYS - 1))
  return { from: [yearBack, first].sort()[1] as string, to: last }
}

export async function calibrateFromRecords(
  deps: AppDeps,
  request: CalibrationRequest = {},
): Promise<Calibration & { period: { from: string; to: string } }> {
  const catalogue = await simCatalogue(deps)
  const period = await periodOf(deps, request)
  const tz = deps.config.CITY_TIME_ZONE
  const from = startOfLocalDay(period.from, tz)
  const to = startOfLocalDay(addDays(period.to, 1), tz)
  const { rollups, evaluation } = deps.store
  const [days911, days311, hours911, hours311, offers, assignments, facts] = await Promise.all([
    rollups.days('911', period.from, period.to),
    rollups.days('311', period.from, period.to),
    rollups.hours('911', period.from, period.to),
    rollups.hours('311', period.from, period.to),
    evaluation.callOffers(from, to),
    evaluation.assignments(from, to),
    evaluation.calibrationFacts(from, to),
  ])
  const calibration = calibrateScenario(
    {
      fromDay: period.from,
      toDay: period.to,
      calls: [...days911, ...days311],
      hours: [...hours911, ...hours311],
      handleSeconds311: facts.handleSeconds311,
      offers,
      assignments,
      referrals: facts.referrals,
      incidents: facts.incidents,
    },
    catalogue,
    {
      ...(request.days !== undefined ? { days: request.days } : {}),
      ...(request.warmUpDays !== undefined ? { warmUpDays: request.warmUpDays } : {}),
    },
  )
  return { ...calibration, period }
}
