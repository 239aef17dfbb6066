/**
 * A scenario: everything the policy lab needs to simulate one way of running the call system,
 * as plain JSON (the lab page edits it, the CLI reads it from a file, calibration writes it).
 *
 * Units are in the field names: `…Seconds` on the phone lines, `…Minutes` and `…Hours` on the
 * street. The simulated week starts on Monday at 00:00 local time; every `…ByHourOfWeek` list
 * has 168 entries, Monday 00:00–01:00 first.
 *
 * What a scenario does NOT hold: the triage rules. Every simulated call is triaged by the
 * production catalogue passed in beside the scenario (model/triage-table.ts), and dispatched in
 * the production queue order and unit preference (model/dispatch-rules.ts). A policy that
 * changes the rules is a different catalogue, not a different scenario field.
 */
import type { Answers } from '../../domain/catalogue/answers.js'
import type { Channel } from '../../domain/catalogue/vocabulary.js'
import { CHANNELS } from '../../domain/catalogue/vocabulary.js'
import { type FieldProblem, ValidationError } from '../../domain/shared/errors.js'
import { checkDistribution, type Distribution } from '../random.js'

/**
 * Where a call comes in. `'911'` is the emergency line (the CAD's calls for service); the rest are
 * the 311 system's channels. Phone calls wait for a call-taker on their line; web, Open311,
 * social media and officer-initiated calls are triaged on arrival.
 */
export type CallSource = '911' | Channel

export const CALL_SOURCES: readonly CallSource[] = ['911', ...CHANNELS]

export type LineName = '911' | '311'

/** One stream of calls of one type through one source, Poisson by hour of the week. */
export interface ArrivalStream {
  callType: string
  source: CallSource
  /** Mean calls a week. */
  perWeek: number
  /**
   * Relative weight of each hour of the week (168 numbers, any scale); absent = the scenario's
   * `hourOfWeek` shape.
   */
  hourOfWeek?: number[]
}

/** Non-homogeneous Poisson arrivals: a piecewise-constant rate for each hour of the week. */
export interface PoissonArrivals {
  kind: 'poisson'
  /** The usual shape of a week (168 relative weights); absent = flat. */
  hourOfWeek?: number[]
  streams: ArrivalStream[]
}

/** One call from history, replayed as it happened. */
export interface ArrivalRecord {
  /** Seconds from the start of the run (Monday 00:00 of the first simulated week). */
  atSeconds: number
  callType: string
  source: CallSource
}

/** Replays recorded calls (sorted or not) instead of drawing them. */
export interface ReplayArrivals {
  kind: 'replay'
  records: ArrivalRecord[]
}

/** What callers answer: each profile is a set of answers and the share of calls giving it. */
export interface AnswerProfile {
  share: number
  answers: Answers
}

/** A phone line's call-takers. */
export interface CallTakerLine {
  /** Call-takers on the phones each hour of the week (after shrinkage: those answering). */
  agentsByHourOfWeek: number[]
  handleSeconds: Distribution
  /** How long callers wait before hanging up; null = they never do (Erlang C). */
  patienceSeconds: Distribution | null
  /** Service-level target time (NENA: 15 s on 911; 20 s is common on 311). */
  targetSeconds: number
}

/** Who works the street. */
export type Force = 'call_response' | 'problem_solving' | 'civilian'
export const FORCES: readonly Force[] = ['call_response', 'problem_solving', 'civilian']

/**
 * A shift: `units` units of a force on duty from `startHour` for `hours`, on the given days
 * (0 = Monday; absent = every day). A shift may run past midnight. Units still on a call at the
 * end of their shift finish it (overtime), as officers do.
 */
export interface Shift {
  force: Force
  units: number
  startHour: number
  hours: number
  days?: number[]
}

export interface Patrol {
  shifts: Shift[]
  /** From dispatch to arrival on scene. */
  travelMinutes: Distribution
  /** Faster for urgent calls (lights and siren): priority → distribution. */
  travelMinutesByPriority?: Record<string, Distribution>
  /** From arrival to back in service, including the report. */
  onSceneMinutes: Distribution
  onSceneMinutesByCallType?: Record<string, Distribution>
  /** Civilian responders (mode civilian_response) on scene. */
  civilianOnSceneMinutes?: Distribution
}

/**
 * How calls are answered once triaged.
 * `catalogue`: the catalogue's response modes (differential response).
 * `dispatch_all`: every call gets a patrol unit at the catalogue's priority, except hand-overs to
 * 911 ("dispatched as before", as Baltimore's 311 first ran).
 */
export type ResponsePolicy = 'catalogue' | 'dispatch_all'

export interface Scenario {
  name: string
  /** Days measured, after the warm-up. */
  days: number
  /** Days simulated first and not measured, so the queues start from a working state. */
  warmUpDays: number
  arrivals: PoissonArrivals | ReplayArrivals
  /** Answers by call type; absent = no answers (the call type's rules and defaults decide). */
  answers?: Record<string, AnswerProfile[]>
  lines: Record<LineName, CallTakerLine>
  response: {
    policy: ResponsePolicy
    /** How long a delayed response waits before it joins the dispatch queue. */
    delayedHoldMinutes: number
  }
  patrol: Patrol
  /**
   * The same incident reported twice (a 311 call and a 911 call). `share` of the incidents that
   * need a unit get a second report; the call-taker links `linkedShare` of those as duplicates,
   * and the production double-dispatch guard then refuses a second unit. The rest send one.
   */
  duplicates: { share: number; linkedShare: number }
  /** Referrals the agency sends back for a patrol unit, and how long after. */
  referrals: { returnedShare: number; returnAfterHours: number }
}

/** Every problem with a scenario, by path; throws one ValidationError listing them all. */
export function checkScenario(s: Scenario, knownCallTypes?: ReadonlySet<string>): void {
  const problems: FieldProblem[] = []
  const add = (path: string, message: string) => problems.push({ path, message })
  const tryDist = (d: Distribution | null | undefined, path: string) => {
    if (!d) return
    try {
      checkDistribution(d, path)
    } catch (e) {
      add(path, (e as Error).message.slice(path.length + 2))
    }
  }
  const week = (xs: unknown, path: string) => {
    if (!Array.isArray(xs) || xs.length !== 168) add(path, 'needs 168 numbers, one per hour')
    else if (xs.some((x) => typeof x !== 'number' || !(x >= 0))) add(path, 'must be numbers ≥ 0')
  }
  if (!(s.days > 0)) add('days', 'must be more than 0')
  if (!(s.warmUpDays >= 0)) add('warmUpDays', 'must be 0 or more')
  const checkType = (code: string, path: string) => {
    if (knownCallTypes && !knownCallTypes.has(code)) add(path, `'${code}' is not in the catalogue`)
  }
  const checkSource = (src: string, path: string) => {
    if (!CALL_SOURCES.includes(src as CallSource)) add(path, `'${src}' is not a call source`)
  }
  if (s.arrivals.kind === 'poisson') {
    if (s.arrivals.hourOfWeek) week(s.arrivals.hourOfWeek, 'arrivals.hourOfWeek')
    if (s.arrivals.streams.length === 0) add('arrivals.streams', 'needs at least one stream')
    s.arrivals.streams.forEach((st, i) => {
      const p = `arrivals.streams.${i}`
      checkType(st.callType, `${p}.callType`)
      checkSource(st.source, `${p}.source`)
      if (!(st.perWeek >= 0)) add(`${p}.perWeek`, 'must be 0 or more')
      if (st.hourOfWeek) week(st.hourOfWeek, `${p}.hourOfWeek`)
    })
  } else if (s.arrivals.kind === 'replay') {
    s.arrivals.records.forEach((r, i) => {
      const p = `arrivals.records.${i}`
      if (!(r.atSeconds >= 0)) add(`${p}.atSeconds`, 'must be 0 or more')
      checkType(r.callType, `${p}.callType`)
      checkSource(r.source, `${p}.source`)
    })
  } else add('arrivals.kind', "must be 'poisson' or 'replay'")
  for (const [code, profiles] of Object.entries(s.answers ?? {})) {
    checkType(code, `answers.${code}`)
    if (!profiles.length || profiles.some((p) => !(p.share >= 0)))
      add(`answers.${code}`, 'needs profiles with shares ≥ 0')
  }
  for (const name of ['911', '311'] as const) {
    const line = s.lines[name]
    const p = `lines.${name}`
    week(line.agentsByHourOfWeek, `${p}.agentsByHourOfWeek`)
    if (line.agentsByHourOfWeek.some((n) => !Number.isInteger(n)))
      add(`${p}.agentsByHourOfWeek`, 'must be whole numbers')
    tryDist(line.handleSeconds, `${p}.handleSeconds`)
    tryDist(line.patienceSeconds, `${p}.patienceSeconds`)
    if (!(line.targetSeconds >= 0)) add(`${p}.targetSeconds`, 'must be 0 or more')
  }
  if (!['catalogue', 'dispatch_all'].includes(s.response.policy))
    add('response.policy', "must be 'catalogue' or 'dispatch_all'")
  if (!(s.response.delayedHoldMinutes >= 0)) add('response.delayedHoldMinutes', 'must be 0 or more')
  s.patrol.shifts.forEach((sh, i) => {
    const p = `patrol.shifts.${i}`
    if (!FORCES.includes(sh.force)) add(`${p}.force`, `must be one of ${FORCES.join(', ')}`)
    if (!Number.isInteger(sh.units) || sh.units < 0) add(`${p}.units`, 'must be a whole number')
    if (!(sh.startHour >= 0 && sh.startHour < 24) || !Number.isInteger(sh.startHour))
      add(`${p}.startHour`, 'must be a whole hour 0-23')
    if (!(sh.hours > 0 && sh.hours <= 168) || !Number.isInteger(sh.hours))
      add(`${p}.hours`, 'must be whole hours, 1-168')
    if (sh.days?.some((d) => !(d >= 0 && d <= 6))) add(`${p}.days`, 'days are 0 (Monday) to 6')
  })
  tryDist(s.patrol.travelMinutes, 'patrol.travelMinutes')
  tryDist(s.patrol.onSceneMinutes, 'patrol.onSceneMinutes')
  tryDist(s.patrol.civilianOnSceneMinutes, 'patrol.civilianOnSceneMinutes')
  for (const [k, d] of Object.entries(s.patrol.travelMinutesByPriority ?? {})) {
    if (!Number.isInteger(Number(k))) add(`patrol.travelMinutesByPriority.${k}`, 'not a priority')
    tryDist(d, `patrol.travelMinutesByPriority.${k}`)
  }
  for (const [k, d] of Object.entries(s.patrol.onSceneMinutesByCallType ?? {})) {
    checkType(k, `patrol.onSceneMinutesByCallType.${k}`)
    tryDist(d, `patrol.onSceneMinutesByCallType.${k}`)
  }
  const share = (x: number, path: string) => {
    if (!(x >= 0 && x <= 1)) add(path, 'must be a share between 0 and 1')
  }
  share(s.duplicates.share, 'duplicates.share')
  share(s.duplicates.linkedShare, 'duplicates.linkedShare')
  share(s.referrals.returnedShare, 'referrals.returnedShare')
  if (!(s.referrals.returnAfterHours >= 0)) add('referrals.returnAfterHours', 'must be 0 or more')
  if (problems.length) throw new ValidationError(problems)
}

/** Units of each force on duty in each hour of the week, from the shifts. */
export function unitsByHourOfWeek(shifts: readonly Shift[]): Record<Force, number[]> {
  const out = {
    call_response: new Array<number>(168).fill(0),
    problem_solving: new Array<number>(168).fill(0),
    civilian: new Array<number>(168).fill(0),
  }
  for (const sh of shifts) {
    const days = sh.days ?? [0, 1, 2, 3, 4, 5, 6]
    const row = out[sh.force]
    for (const d of days) {
      for (let h = 0; h < sh.hours; h++) {
        const how = (d * 24 + sh.startHour + h) % 168
        row[how] = (row[how] as number) + sh.units
      }
    }
  }
  return out
}

/** A flat week: the same number every hour (a line or force staffed around the clock). */
export function everyHour(n: number): number[] {
  return new Array<number>(168).fill(n)
}
