/**
 * A made-up but plausible city for the benchmark, the tests and the lab's first screen: every
 * active call type of the catalogue, a Baltimore-like mix of sources (half the calls still on
 * 911, a third on the 311 line, the rest online), the usual daily curve with busier weekend
 * nights, call-takers staffed hour by hour by the staffing plan (Erlang C), and patrol shifts
 * sized to keep committed time near 45 % (inside the 60 % guideline).
 *
 * Calibration replaces all of this with the city's own figures; this is where to start from
 * when there are none yet.
 */
import type { ResponseMode } from '../../domain/catalogue/vocabulary.js'
import { RESPONSE_MODES } from '../../domain/catalogue/vocabulary.js'
import { needsUnit } from '../../domain/dispatch/dispatch-queue.js'
import { staffingPlan } from '../../domain/staffing/staffing-plan.js'
import { type Distribution, meanOf } from '../random.js'
import type { ArrivalStream, CallSource, Scenario, Shift } from './scenario.js'
import { buildTriageTables, type SimCatalogue } from './triage-table.js'

/** Relative volume of a call type by its default response (emergencies are rarer). */
const VOLUME_BY_MODE: Record<ResponseMode, number> = {
  transfer_911: 1,
  dispatch_immediate: 3,
  dispatch_delayed: 3,
  scheduled_appointment: 0.5,
  telephone_report: 2,
  online_report: 2,
  referral: 2,
  civilian_response: 1.5,
  information_only: 2,
}

/** Where the calls of a non-emergency type come in. */
const SOURCE_MIX: ReadonlyArray<[CallSource, number]> = [
  ['911', 0.5],
  ['phone_311', 0.35],
  ['web', 0.1],
  ['open311', 0.05],
]

/** The usual week: low at 5 a.m., high around 5 p.m., busier Friday and Saturday nights. */
export function usualWeek(): number[] {
  return Array.from({ length: 168 }, (_, how) => {
    const day = Math.floor(how / 24)
    const h = how % 24
    const daily = 1 + 0.6 * Math.cos((2 * Math.PI * (h - 17)) / 24)
    const weekendNight = (day === 4 || day === 5) && (h >= 20 || h < 3) ? 1.25 : 1
    return daily * weekendNight
  })
}

export interface DemoCityOptions {
  name?: string
  callsPerYear?: number
  days?: number
  warmUpDays?: number
  /** Patrol committed time the shifts are sized for (0.45). */
  targetSaturation?: number
}

export function demoCityScenario(catalogue: SimCatalogue, options: DemoCityOptions = {}): Scenario {
  const callsPerYear = options.callsPerYear ?? 1_000_000
  const perWeekTotal = (callsPerYear * 7) / 365
  const types = catalogue.callTypes.filter((c) => c.active && !c.officerInitiated)
  const weight = (mode: ResponseMode) => VOLUME_BY_MODE[mode]
  const totalWeight = types.reduce((s, c) => s + weight(c.defaultMode), 0)
  const streams: ArrivalStream[] = []
  for (const c of types) {
    const perWeek = (perWeekTotal * weight(c.defaultMode)) / totalWeight
    if (c.defaultMode === 'transfer_911') streams.push({ callType: c.code, source: '911', perWeek })
    else
      for (const [source, share] of SOURCE_MIX)
        streams.push({ callType: c.code, source, perWeek: perWeek * share })
  }
  const week = usualWeek()
  const weekTotal = week.reduce((a, b) => a + b, 0)

  // Phone lines: calls each hour of the week on each line, then the staffing plan.
  const handle911: Distribution = { kind: 'lognormal', mean: 120, sd: 60 }
  const handle311: Distribution = { kind: 'lognormal', mean: 240, sd: 120 }
  const perHour = (source: CallSource) =>
    week.map(
      (w) =>
        (streams.filter((s) => s.source === source).reduce((a, s) => a + s.perWeek, 0) * w) /
        weekTotal,
    )
  const plan = (calls: number[], handle: Distribution, sl: number, t: number, min: number) =>
    staffingPlan({
      callsByHourOfWeek: calls,
      handleSeconds: meanOf(handle),
      target: { serviceLevel: sl, targetSeconds: t },
      shrinkage: 0,
      minimumAgents: min,
    }).hours.map((h) => h.agents)

  // Patrol work each hour of the week, from the production triage of each stream's default.
  const travel: Distribution = { kind: 'lognormal', mean: 9, sd: 4 }
  const onScene: Distribution = { kind: 'lognormal', mean: 35, sd: 25 }
  const civilianOnScene: Distribution = { kind: 'lognormal', mean: 40, sd: 20 }
  const tables = buildTriageTables(catalogue, streams)
  let patrolPerWeek = 0
  let civilianPerWeek = 0
  streams.forEach((s, i) => {
    const mode = RESPONSE_MODES[tables[i]?.mode[12] as number] as ResponseMode
    if (mode === 'civilian_response') civilianPerWeek += s.perWeek
    else if (needsUnit(mode) || mode === 'transfer_911') patrolPerWeek += s.perWeek
  })
  const target = options.targetSaturation ?? 0.45
  const shifts = sizeShifts(
    week,
    patrolPerWeek,
    meanOf(travel) + meanOf(onScene),
    civilianPerWeek,
    meanOf(travel) + meanOf(civilianOnScene),
    target,
  )

  return {
    name: options.name ?? `demo city, ${callsPerYear.toLocaleString('en-US')} calls a year`,
    days: options.days ?? 365,
    warmUpDays: options.warmUpDays ?? 7,
    arrivals: { kind: 'poisson', hourOfWeek: week, streams },
    lines: {
      '911': {
        agentsByHourOfWeek: plan(perHour('911'), handle911, 0.9, 15, 2),
        handleSeconds: handle911,
        patienceSeconds: { kind: 'exponential', mean: 120 },
        targetSeconds: 15,
      },
      '311': {
        agentsByHourOfWeek: plan(perHour('phone_311'), handle311, 0.8, 20, 1),
        handleSeconds: handle311,
        patienceSeconds: { kind: 'exponential', mean: 180 },
        targetSeconds: 20,
      },
    },
    response: { policy: 'catalogue', delayedHoldMinutes: 60 },
    patrol: {
      shifts,
      travelMinutes: travel,
      travelMinutesByPriority: { '1': { kind: 'lognormal', mean: 6, sd: 3 } },
      onSceneMinutes: onScene,
      civilianOnSceneMinutes: civilianOnScene,
    },
    duplicates: { share: 0.02, linkedShare: 0.9 },
    referrals: { returnedShare: 0.05, returnAfterHours: 24 },
  }
}

/**
 * Three 8-hour shifts (7:00, 15:00, 23:00), each sized on its average hour for the target
 * committed time; 15 % of the day shifts work problems; civilians when the catalogue sends them.
 */
export function sizeShifts(
  week: readonly number[],
  patrolPerWeek: number,
  patrolMinutes: number,
  civilianPerWeek: number,
  civilianMinutes: number,
  target: number,
): Shift[] {
  const weekTotal = week.reduce((a, b) => a + b, 0) || 1
  const unitsFor = (perWeek: number, minutes: number, start: number) => {
    let work = 0
    for (let d = 0; d < 7; d++)
      for (let h = 0; h < 8; h++) {
        const how = (d * 24 + start + h) % 168
        work += ((perWeek * (week[how] as number)) / weekTotal) * (minutes / 60)
      }
    return Math.max(1, Math.ceil(work / 56 / target))
  }
  const shifts: Shift[] = []
  for (const start of [7, 15, 23]) {
    const units = unitsFor(patrolPerWeek, patrolMinutes, start)
    const problemSolving = start === 23 ? 0 : Math.round(units * 0.15)
    shifts.push({ force: 'call_response', units, startHour: start, hours: 8 })
    if (problemSolving > 0)
      shifts.push({ force: 'problem_solving', units: problemSolving, startHour: start, hours: 8 })
    if (civilianPerWeek > 0)
      shifts.push({
        force: 'civilian',
        units: unitsFor(civilianPerWeek, civilianMinutes, start),
        startHour: start,
        hours: 8,
      })
  }
  return shifts
}
