/**
 * Calibration (issue #9 item 3): a Scenario fitted from the city's own records, with a report
 * that says, for every parameter, what it was fitted from (which records, how many) or which
 * documented default stands in for it and why. Pure: the app layer
 * (src/app/simulation/calibrate.ts) reads the store and hands the facts in.
 *
 * What the records can and cannot tell:
 * - arrivals: the rollups count every 911 call (CAD) and 311 incident by local day and hour, call
 *   type and channel, so each stream's weekly volume and the hour-of-week shape come from them;
 * - priority and response mode are NOT fitted: the simulator triages every call by the
 *   production catalogue, so the mix follows from the call types (the report sets the recorded
 *   priority mix beside the catalogue's, as a check);
 * - the 311 line: handle times from the contacts (answered → ended), callers' patience from the
 *   telephony's offered calls (answered and abandoned waits, the censored exponential estimate);
 * - the street: travel and on-scene times from the assignments' en route / on scene / clear
 *   times; duplicates and returned referrals from the incidents and referrals;
 * - nothing records rosters or the 911 centre's call-taking, so call-takers are sized for a
 *   service target by Erlang C and patrol shifts for a committed-time target, as the demo city
 *   is (research note analytics-or-anchors.md §2, §5).
 */
import type { ResponseMode } from '../../domain/catalogue/vocabulary.js'
import { RESPONSE_MODES } from '../../domain/catalogue/vocabulary.js'
import { needsUnit } from '../../domain/dispatch/dispatch-queue.js'
import { staffingPlan } from '../../domain/staffing/staffing-plan.js'
import { type Distribution, meanOf } from '../random.js'
import { sizeShifts, usualWeek } from './demo-city.js'
import {
  type ArrivalStream,
  CALL_SOURCES,
  type CallSource,
  type Scenario,
  type Shift,
} from './scenario.js'
import { buildTriageTables, type SimCatalogue } from './triage-table.js'

/** The facts calibration reads, gathered by the app layer for one period of local days. */
export interface CalibrationData {
  /** First and last local day of the period, inclusive ('YYYY-MM-DD'). */
  fromDay: string
  toDay: string
  /** Calls by source, call type, channel and priority (the day rollups, summed over the days). */
  calls: ReadonlyArray<{
    source: '911' | '311'
    callType: string
    channel: string
    priority: number
    n: number
  }>
  /** Calls by local day and hour (the hour rollups). */
  hours: ReadonlyArray<{ source: '911' | '311'; day: string; hour: number; n: number }>
  /** 311 phone contacts answered and ended: seconds from answer to end. */
  handleSeconds311: readonly number[]
  /** The telephony's offered calls on the 311 line. */
  offers: ReadonlyArray<{
    offeredAt: number
    answeredAt: number | null
    abandonedAt: number | null
  }>
  /** Assignments of the period's incidents (first primary ones carry the response). */
  assignments: ReadonlyArray<{
    priority: number
    firstPrimary: boolean
    assignedAt: number
    enRouteAt: number | null
    onSceneAt: number | null
    clearedAt: number | null
  }>
  /** Referrals closed in the period, and those the agency sent back (declined). */
  referrals: { closed: number; returned: number; returnHours: readonly number[] }
  /** Incidents received in the period, and those linked as a duplicate of another. */
  incidents: { total: number; duplicates: number }
}

/** One line of the calibration report. */
export interface CalibratedParameter {
  parameter: string
  value: string
  /** True when fitted from the records; false when a default stands in. */
  fitted: boolean
  /** Which records, or "default (why)". */
  source: string
  records: number
}

export interface Calibration {
  scenario: Scenario
  parameters: CalibratedParameter[]
  /** Calls counted in the period, and the mean calls a week the scenario carries. */
  calls: number
  perWeek: number
  days: number
}

export interface CalibrationOptions {
  name?: string
  /** Days the scenario simulates (28). */
  days?: number
  warmUpDays?: number
  /** Patrol committed time the shifts are sized for (0.45, inside the 60 % guideline). */
  targetSaturation?: number
}

/** Fewest records before a figure is trusted over the default. */
export const MIN_RECORDS = 20

const DAY_MS = 86_400_000
const dayIndex = (day: string) => {
  const [y, m, d] = day.split('-').map(Number)
  return Date.UTC(y as number, (m as number) - 1, d as number) / DAY_MS
}
/** Monday = 0 … Sunday = 6 of a local date. */
const weekday = (day: string) => (new Date(dayIndex(day) * DAY_MS).getUTCDay() + 6) % 7

/**
 * Calls per hour of the week: each hour's count divided by how often that hour of the week
 * occurs in the period (a 22-day period holds four Sundays and three of every other day), so a
 * period that is not whole weeks still gives an unbiased weekly shape.
 */
export function callsByHourOfWeek(
  hours: ReadonlyArray<{ day: string; hour: number; n: number }>,
  fromDay: string,
  toDay: string,
): number[] {
  const occurrences = new Array<number>(7).fill(0)
  const first = dayIndex(fromDay)
  const last = dayIndex(toDay)
  for (let d = first; d <= last; d++) {
    const wd = (new Date(d * DAY_MS).getUTCDay() + 6) % 7
    occurrences[wd] = (occurrences[wd] as number) + 1
  }
  const sums = new Array<number>(168).fill(0)
  for (const h of hours) {
    const how = weekday(h.day) * 24 + h.hour
    sums[how] = (sums[how] as number) + h.n
  }
  return sums.map((s, how) => {
    const occ = occurrences[Math.floor(how / 24)] as number
    return occ > 0 ? s / occ : 0
  })
}

/** Lognormal by the sample's mean and sd (what the simulator's lognormal is stated by). */
function fitLognormal(xs: readonly number[]): Distribution {
  const n = xs.length
  const mean = xs.reduce((a, b) => a + b, 0) / n
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1))
  return { kind: 'lognormal', mean: round(mean, 2), sd: round(Math.max(sd, mean * 0.05), 2) }
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits
const show = (d: Distribution | null) =>
  d === null
    ? 'callers never hang up'
    : d.kind === 'lognormal' || d.kind === 'gamma'
      ? `${d.kind}, mean ${d.mean}, sd ${d.sd}`
      : d.kind === 'exponential'
        ? `exponential, mean ${d.mean}`
        : `${d.kind} (mean ${round(meanOf(d), 2)})`

/** Defaults where the records say nothing: the demo city's, from the research notes. */
export const CALIBRATION_DEFAULTS = {
  handle911: { kind: 'lognormal', mean: 120, sd: 60 } as Distribution,
  handle311: { kind: 'lognormal', mean: 240, sd: 120 } as Distribution,
  patience911: { kind: 'exponential', mean: 120 } as Distribution,
  /** Baltimore's 311 lost 23 % of callers in its second year (research note §2.2). */
  patience311: { kind: 'exponential', mean: 180 } as Distribution,
  travel: { kind: 'lognormal', mean: 9, sd: 4 } as Distribution,
  travelPriority1: { kind: 'lognormal', mean: 6, sd: 3 } as Distribution,
  onScene: { kind: 'lognormal', mean: 35, sd: 25 } as Distribution,
  civilianOnScene: { kind: 'lognormal', mean: 40, sd: 20 } as Distribution,
  duplicates: { share: 0.02, linkedShare: 0.9 },
  referrals: { returnedShare: 0.05, returnAfterHours: 24 },
}

/** Fits a scenario from the records; every parameter is listed in the report. */
export function calibrateScenario(
  data: CalibrationData,
  catalogue: SimCatalogue,
  options: CalibrationOptions = {},
): Calibration {
  const parameters: CalibratedParameter[] = []
  const say = (p: CalibratedParameter) => parameters.push(p)
  const periodDays = dayIndex(data.toDay) - dayIndex(data.fromDay) + 1
  if (!(periodDays >= 1)) throw new RangeError('the period must hold at least one day')
  const weeks = periodDays / 7
  const byCode = new Map(catalogue.callTypes.map((c) => [c.code, c]))

  // --- Arrivals: one stream per call type × source. ---
  const sourceOf = (row: CalibrationData['calls'][number]): CallSource => {
    const ct = byCode.get(row.callType)
    if (ct?.officerInitiated) return 'officer_initiated'
    if (row.source === '911') return '911'
    return CALL_SOURCES.includes(row.channel as CallSource) && row.channel !== '911'
      ? (row.channel as CallSource)
      : 'phone_311'
  }
  const counts = new Map<string, { callType: string; source: CallSource; n: number }>()
  const unknown = { '911': 0, '311': 0 }
  const bySourceTotal = { '911': 0, '311': 0 }
  for (const row of data.calls) {
    bySourceTotal[row.source] += row.n
    const ct = byCode.get(row.callType)
    if (!ct?.active) {
      unknown[row.source] += row.n
      continue
    }
    const source = sourceOf(row)
    const key = `${row.callType}\u0000${source}\u0000${row.source}`
    const c = counts.get(key)
    if (c) c.n += row.n
    else counts.set(key, { callType: row.callType, source, n: row.n })
  }
  const total = bySourceTotal['911'] + bySourceTotal['311']
  // Calls without a known call type (blank in the export, or retired) are spread over the known
  // ones of the same line in proportion, so the weekly volume stays the city's.
  const known = { '911': 0, '311': 0 }
  for (const [key, c] of counts) known[key.endsWith('\u0000911') ? '911' : '311'] += c.n
  const streams: ArrivalStream[] = []
  for (const [key, c] of counts) {
    const line = key.endsWith('\u0000911') ? '911' : '311'
    const scale = known[line] > 0 ? (known[line] + unknown[line]) / known[line] : 1
    streams.push({ callType: c.callType, source: c.source, perWeek: round((c.n * scale) / weeks) })
  }
  const merged = mergeStreams(streams)
  const perWeek = merged.reduce((a, s) => a + s.perWeek, 0)
  say({
    parameter: 'calls a week',
    value: round(perWeek, 1).toLocaleString('en-US'),
    fitted: total > 0,
    source:
      total > 0
        ? `rollups: ${bySourceTotal['911']} 911 calls and ${bySourceTotal['311']} 311 incidents over ${periodDays} days`
        : 'no calls in the period (nothing to simulate until calls are imported)',
    records: total,
  })
  say({
    parameter: 'streams (call type × source)',
    value: String(merged.length),
    fitted: total > 0,
    source:
      unknown['911'] + unknown['311'] > 0
        ? `rollups by call type and channel; ${unknown['911'] + unknown['311']} calls with no known call type spread over the others of their line in proportion`
        : 'rollups by call type and channel',
    records: total,
  })

  // Hour-of-week shape: of all calls, and the 311 line's own when it has enough of its own.
  const shapeOf = (src?: '911' | '311') =>
    callsByHourOfWeek(
      data.hours.filter((h) => !src || h.source === src),
      data.fromDay,
      data.toDay,
    )
  const hourCalls = data.hours.reduce((a, h) => a + h.n, 0)
  const fittedShape = hourCalls >= 168
  const week = fittedShape ? shapeOf().map((x) => round(x, 3)) : usualWeek()
  say({
    parameter: 'hour-of-week shape',
    value: fittedShape
      ? `busiest hour ${describeHour(argMax(week))}, quietest ${describeHour(argMin(week))}`
      : 'the usual week (low at 5 a.m., high around 5 p.m.)',
    fitted: fittedShape,
    source: fittedShape
      ? `hour rollups: ${hourCalls} calls by local day and hour`
      : `default (${hourCalls} calls by hour, fewer than one per hour of the week)`,
    records: hourCalls,
  })
  const calls311ByHour = data.hours.filter((h) => h.source === '311').reduce((a, h) => a + h.n, 0)
  const calls911ByHour = hourCalls - calls311ByHour
  if (fittedShape && calls311ByHour >= 168 * 3 && calls911ByHour >= 168 * 3) {
    // Both lines have their own shape: 311 streams get theirs, 911 streams the 911 one.
    const s311 = shapeOf('311').map((x) => round(x, 3))
    const s911 = shapeOf('911').map((x) => round(x, 3))
    for (const s of merged) s.hourOfWeek = s.source === '911' ? s911 : s311
    say({
      parameter: '311 hour-of-week shape',
      value: `busiest hour ${describeHour(argMax(s311))}`,
      fitted: true,
      source: `hour rollups of the 311 line: ${calls311ByHour} incidents`,
      records: calls311ByHour,
    })
  }

  // Priority mix: recorded vs what the catalogue gives the same calls (a check, not a fit).
  const recorded = new Map<number, number>()
  for (const r of data.calls)
    if (r.priority > 0) recorded.set(r.priority, (recorded.get(r.priority) ?? 0) + r.n)
  const tables = merged.length ? buildTriageTables(catalogue, merged) : []
  const triaged = new Map<number, number>()
  const modes = new Map<ResponseMode, number>()
  let patrolPerWeek = 0
  let civilianPerWeek = 0
  merged.forEach((s, i) => {
    const t = tables[i]
    if (!t) return
    const p = t.priority[12] as number
    const mode = RESPONSE_MODES[t.mode[12] as number] as ResponseMode
    triaged.set(p, (triaged.get(p) ?? 0) + s.perWeek)
    modes.set(mode, (modes.get(mode) ?? 0) + s.perWeek)
    if (mode === 'civilian_response') civilianPerWeek += s.perWeek
    else if (needsUnit(mode) || mode === 'transfer_911') patrolPerWeek += s.perWeek
  })
  const recordedTotal = [...recorded.values()].reduce((a, b) => a + b, 0)
  say({
    parameter: 'priority mix (check)',
    value: `recorded ${mix(recorded)}; the catalogue gives ${mix(triaged)}`,
    fitted: false,
    source:
      'not fitted: every simulated call is triaged by the production catalogue; the recorded mix is shown to check the mapping',
    records: recordedTotal,
  })
  say({
    parameter: 'response mode mix',
    value: mix(modes),
    fitted: false,
    source: 'the catalogue’s triage of the fitted streams (at noon on a Monday)',
    records: 0,
  })

  // --- Phone lines. ---
  const D = CALIBRATION_DEFAULTS
  const handle311 =
    data.handleSeconds311.length >= MIN_RECORDS ? fitLognormal(data.handleSeconds311) : D.handle311
  say({
    parameter: '311 handle time, seconds',
    value: show(handle311),
    fitted: handle311 !== D.handle311,
    source:
      handle311 !== D.handle311
        ? `contacts on the 311 line, answered → ended: ${data.handleSeconds311.length}`
        : `default (${data.handleSeconds311.length} answered and ended 311 contacts, fewer than ${MIN_RECORDS})`,
    records: data.handleSeconds311.length,
  })
  say({
    parameter: '911 handle time, seconds',
    value: show(D.handle911),
    fitted: false,
    source: 'default (the CAD export records no call-taking times)',
    records: 0,
  })
  // Patience: exponential, by the censored estimate: the waits of all callers (those answered
  // are censored at their answer) over the number who hung up (Mandelbaum & Zeltyn).
  let waited = 0
  let abandoned = 0
  let answered = 0
  let answerWait = 0
  for (const o of data.offers) {
    if (o.abandonedAt !== null) {
      abandoned++
      waited += (o.abandonedAt - o.offeredAt) / 1000
    } else if (o.answeredAt !== null) {
      answered++
      const w = (o.answeredAt - o.offeredAt) / 1000
      waited += w
      answerWait += w
    }
  }
  const offered = abandoned + answered
  const patience311: Distribution =
    offered >= MIN_RECORDS && abandoned >= 5
      ? { kind: 'exponential', mean: round(waited / abandoned, 1) }
      : D.patience311
  say({
    parameter: '311 callers’ patience, seconds',
    value: show(patience311),
    fitted: patience311 !== D.patience311,
    source:
      patience311 !== D.patience311
        ? `offered calls on the 311 line: ${offered} (${abandoned} hung up; ${round((abandoned / offered) * 100, 1)} %)`
        : `default (${offered} offered calls, ${abandoned} hung up: too few; Baltimore lost 23 % of 311 callers)`,
    records: offered,
  })
  if (answered > 0)
    say({
      parameter: '311 mean answer time, seconds (check)',
      value: String(round(answerWait / answered, 1)),
      fitted: false,
      source: `offered calls answered: ${answered}; compare with the simulated 311 line`,
      records: answered,
    })
  say({
    parameter: '911 callers’ patience, seconds',
    value: show(D.patience911),
    fitted: false,
    source: 'default (the CAD export records no abandoned 911 calls)',
    records: 0,
  })
  const weekTotal = week.reduce((a, b) => a + b, 0) || 1
  const perHour = (pred: (s: ArrivalStream) => boolean) => {
    const w = merged.filter(pred).reduce((a, s) => a + s.perWeek, 0)
    return week.map((x) => (w * x) / weekTotal)
  }
  const plan = (calls: number[], handle: Distribution, sl: number, t: number, min: number) =>
    staffingPlan({
      callsByHourOfWeek: calls,
      handleSeconds: meanOf(handle),
      target: { serviceLevel: sl, targetSeconds: t },
      shrinkage: 0,
      minimumAgents: min,
    }).hours.map((h) => h.agents)
  const agents911 = plan(
    perHour((s) => s.source === '911' || s.source === 'transfer_911'),
    D.handle911,
    0.9,
    15,
    2,
  )
  const agents311 = plan(
    perHour((s) => s.source === 'phone_311' || s.source === 'transfer_911'),
    handle311,
    0.8,
    20,
    1,
  )
  say({
    parameter: 'call-takers by hour of week',
    value: `911: ${Math.min(...agents911)}–${Math.max(...agents911)}; 311: ${Math.min(...agents311)}–${Math.max(...agents311)}`,
    fitted: false,
    source:
      'default (no rosters in the records): sized by Erlang C on the fitted calls, 911 for 90 % in 15 s (NENA), 311 for 80 % in 20 s',
    records: 0,
  })

  // --- The street. ---
  const firstPrimary = data.assignments.filter((a) => a.firstPrimary)
  const travelOf = (a: (typeof firstPrimary)[number]) =>
    a.onSceneAt !== null ? (a.onSceneAt - (a.enRouteAt ?? a.assignedAt)) / 60_000 : null
  const travels = firstPrimary.map(travelOf).filter((x): x is number => x !== null && x >= 0)
  const travel = travels.length >= MIN_RECORDS ? fitLognormal(travels) : D.travel
  say({
    parameter: 'travel time, minutes',
    value: show(travel),
    fitted: travel !== D.travel,
    source:
      travel !== D.travel
        ? `assignments, en route (or assigned) → on scene: ${travels.length}`
        : `default (${travels.length} assignments with an on-scene time, fewer than ${MIN_RECORDS})`,
    records: travels.length,
  })
  const p1 = firstPrimary
    .filter((a) => a.priority === 1)
    .map(travelOf)
    .filter((x): x is number => x !== null && x >= 0)
  const travelP1 = p1.length >= MIN_RECORDS ? fitLognormal(p1) : D.travelPriority1
  say({
    parameter: 'priority-1 travel time, minutes',
    value: show(travelP1),
    fitted: travelP1 !== D.travelPriority1,
    source:
      travelP1 !== D.travelPriority1
        ? `priority-1 assignments with an on-scene time: ${p1.length}`
        : `default (${p1.length} priority-1 assignments with an on-scene time, fewer than ${MIN_RECORDS})`,
    records: p1.length,
  })
  const scenes = data.assignments
    .filter((a) => a.onSceneAt !== null && a.clearedAt !== null)
    .map((a) => ((a.clearedAt as number) - (a.onSceneAt as number)) / 60_000)
    .filter((x) => x >= 0)
  const onScene = scenes.length >= MIN_RECORDS ? fitLognormal(scenes) : D.onScene
  say({
    parameter: 'on-scene time, minutes',
    value: show(onScene),
    fitted: onScene !== D.onScene,
    source:
      onScene !== D.onScene
        ? `assignments, on scene → clear: ${scenes.length}`
        : `default (${scenes.length} assignments with on-scene and clear times, fewer than ${MIN_RECORDS})`,
    records: scenes.length,
  })
  say({
    parameter: 'civilian on-scene time, minutes',
    value: show(D.civilianOnScene),
    fitted: false,
    source: 'default (assignments do not record civilian responders apart)',
    records: 0,
  })

  const target = options.targetSaturation ?? 0.45
  const patrolMinutes = meanOf(travel) + meanOf(onScene)
  const civilianMinutes = meanOf(travel) + meanOf(D.civilianOnScene)
  const shifts = sizeShifts(
    week,
    patrolPerWeek,
    patrolMinutes,
    civilianPerWeek,
    civilianMinutes,
    target,
  )
  const onDuty = (force: Shift['force']) =>
    shifts.filter((s) => s.force === force).map((s) => `${s.units} from ${s.startHour}:00`)
  say({
    parameter: 'patrol shifts (units on duty)',
    value: `call response ${onDuty('call_response').join(', ')}; problem solving ${onDuty('problem_solving').join(', ') || 'none'}; civilians ${onDuty('civilian').join(', ') || 'none'}`,
    fitted: false,
    source: `default (no rosters in the records): three 8-hour shifts sized for ${Math.round(target * 100)} % committed time on the fitted calls (60 % guideline, ICMA/CPSM); 15 % of day shifts problem solving`,
    records: 0,
  })

  const dupFitted = data.incidents.total >= 100
  const duplicates = dupFitted
    ? {
        share: round(data.incidents.duplicates / data.incidents.total, 4),
        linkedShare: D.duplicates.linkedShare,
      }
    : D.duplicates
  say({
    parameter: 'duplicate reports, share',
    value: String(duplicates.share),
    fitted: dupFitted,
    source: dupFitted
      ? `311 incidents linked as duplicates: ${data.incidents.duplicates} of ${data.incidents.total}`
      : `default (${data.incidents.total} 311 incidents, fewer than 100)`,
    records: data.incidents.total,
  })
  say({
    parameter: 'duplicates the call-taker links, share',
    value: String(duplicates.linkedShare),
    fitted: false,
    source: 'default (a duplicate nobody linked leaves no record)',
    records: 0,
  })
  const refFitted = data.referrals.closed >= MIN_RECORDS
  const returnHours = data.referrals.returnHours
  const referrals = refFitted
    ? {
        returnedShare: round(data.referrals.returned / data.referrals.closed, 4),
        returnAfterHours:
          returnHours.length > 0
            ? round(returnHours.reduce((a, b) => a + b, 0) / returnHours.length, 1)
            : D.referrals.returnAfterHours,
      }
    : D.referrals
  say({
    parameter: 'referrals sent back for a unit, share',
    value: `${referrals.returnedShare}, after ${referrals.returnAfterHours} h`,
    fitted: refFitted,
    source: refFitted
      ? `referrals closed: ${data.referrals.closed}, declined by the agency: ${data.referrals.returned}`
      : `default (${data.referrals.closed} closed referrals, fewer than ${MIN_RECORDS})`,
    records: data.referrals.closed,
  })
  say({
    parameter: 'response policy',
    value: 'catalogue (differential response)',
    fitted: false,
    source: 'default: the catalogue’s response modes; the scenario comparison tries the others',
    records: 0,
  })

  const scenario: Scenario = {
    name: options.name ?? `calibrated from ${data.fromDay} to ${data.toDay}`,
    days: options.days ?? 28,
    warmUpDays: options.warmUpDays ?? 3,
    arrivals: { kind: 'poisson', hourOfWeek: week, streams: merged },
    lines: {
      '911': {
        agentsByHourOfWeek: agents911,
        handleSeconds: D.handle911,
        patienceSeconds: D.patience911,
        targetSeconds: 15,
      },
      '311': {
        agentsByHourOfWeek: agents311,
        handleSeconds: handle311,
        patienceSeconds: patience311,
        targetSeconds: 20,
      },
    },
    response: { policy: 'catalogue', delayedHoldMinutes: 60 },
    patrol: {
      shifts,
      travelMinutes: travel,
      travelMinutesByPriority: { '1': travelP1 },
      onSceneMinutes: onScene,
      civilianOnSceneMinutes: D.civilianOnScene,
    },
    duplicates,
    referrals,
  }
  return { scenario, parameters, calls: total, perWeek, days: periodDays }
}

/** One stream per call type and source (the 911 and 311 rows of one type can share a source). */
function mergeStreams(streams: ArrivalStream[]): ArrivalStream[] {
  const out = new Map<string, ArrivalStream>()
  for (const s of streams) {
    const key = `${s.callType}\u0000${s.source}`
    const o = out.get(key)
    if (o) o.perWeek = round(o.perWeek + s.perWeek)
    else out.set(key, { ...s })
  }
  return [...out.values()].filter((s) => s.perWeek > 0)
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const describeHour = (how: number) =>
  `${DAYS[Math.floor(how / 24)]} ${String(how % 24).padStart(2, '0')}:00`
const argMax = (xs: readonly number[]) => xs.indexOf(Math.max(...xs))
const argMin = (xs: readonly number[]) => xs.indexOf(Math.min(...xs))
function mix<K>(m: Map<K, number>): string {
  const total = [...m.values()].reduce((a, b) => a + b, 0)
  if (total === 0) return 'none'
  return [...m.entries()]
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    .map(([k, n]) => `${k}: ${Math.round((n / total) * 100)} %`)
    .join(', ')
}
