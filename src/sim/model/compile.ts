/**
 * Turns a scenario and the production catalogue into the tables one run reads: arrival rates
 * and stream pickers for each hour of the week, the triage outcome table, the dispatch rules,
 * staffing by hour, and the duration distributions by call type and priority. Built once per
 * scenario and shared by all its replications (and rebuilt in each worker thread: it is cheap,
 * and a plain scenario + catalogue is what crosses the thread boundary).
 */
import { priorityLevelsRange } from '../../domain/catalogue/catalogue-schema.js'
import { AliasTable, type Distribution } from '../random.js'
import { buildDispatchRules, type DispatchRules, MAX_PRIORITY } from './dispatch-rules.js'
import {
  type CallSource,
  checkScenario,
  FORCES,
  type Scenario,
  unitsByHourOfWeek,
} from './scenario.js'
import { buildTriageTables, type SimCatalogue, type StreamTriage } from './triage-table.js'

/** Which phone line a call waits on first: 0 = 911, 1 = 311, −1 = none (triaged on arrival). */
export const LINE_911 = 0
export const LINE_311 = 1

export interface CompiledModel {
  scenario: Scenario
  streams: ReadonlyArray<{ callType: string; source: CallSource }>
  /** First line of each stream. */
  streamLine: Int8Array
  /** 1 when the call goes on to the 311 line after 911 (a 911 call transferred to 311). */
  streamThen311: Uint8Array
  /** Index of the stream's call type in `callTypes`. */
  streamCallType: Int32Array
  callTypes: string[]
  triage: StreamTriage[]
  /**
   * The same outcomes flattened for the loop: [base + (profile·24 + hour)·2] = mode index, and
   * + 1 = priority, with `outcomeBase[stream]` as base (one small array, few cache misses).
   */
  outcomes: Int16Array
  outcomeBase: Int32Array
  /** Answer-profile picker of each stream; null = one profile. */
  profilePick: Array<AliasTable | null>
  /** Poisson: total calls per second in each hour of the week. */
  ratePerSecond: Float64Array
  /**
   * Who an arrival is, in two draws: which group of streams (streams sharing one weekly shape
   * keep the same mix all week), then which stream of the group. A scenario with one shape has
   * one group and one small table, which stays in the processor's cache; a table per hour over
   * every stream did not. `pickGroup[hour]` is null when the hour has no calls or one group.
   */
  pickGroup: Array<AliasTable | null>
  pickInGroup: AliasTable[]
  groupStreams: Int32Array[]
  /** Replay: arrival times (s) in order and their streams. */
  replayTimes: Float64Array | null
  replayStreams: Int32Array | null
  rules: DispatchRules
  /** [line][hour of week] call-takers on the phones. */
  agents: Int32Array[]
  /** [force][hour of week] units rostered. */
  units: Int32Array[]
  /** Travel by priority (index = priority value). */
  travel: Distribution[]
  /** On scene by call type index. */
  onScene: Distribution[]
  civilianOnScene: Distribution
  priorities: number[]
  mostUrgent: number
  /** Measured period, seconds from the start. */
  measureFrom: number
  measureTo: number
}

const LINE_OF: Partial<Record<CallSource, number>> = {
  '911': LINE_911,
  transfer_911: LINE_911,
  phone_311: LINE_311,
}

export function compileModel(scenario: Scenario, catalogue: SimCatalogue): CompiledModel {
  const known = new Set(catalogue.callTypes.map((c) => c.code))
  checkScenario(scenario, known)
  const arrivals = scenario.arrivals

  // Streams: as stated (Poisson), or one per call type and source seen (replay).
  let streams: Array<{ callType: string; source: CallSource }>
  let replayTimes: Float64Array | null = null
  let replayStreams: Int32Array | null = null
  const ratePerSecond = new Float64Array(168)
  const pickGroup: Array<AliasTable | null> = new Array(168).fill(null)
  const pickInGroup: AliasTable[] = []
  const groupStreams: Int32Array[] = []
  if (arrivals.kind === 'poisson') {
    streams = arrivals.streams.map((s) => ({ callType: s.callType, source: s.source }))
    const flat = new Array<number>(168).fill(1)
    const shapeKey = (w: readonly number[]) => {
      const total = w.reduce((a, b) => a + b, 0)
      return total > 0 ? w.map((x) => (x / total).toPrecision(12)).join(',') : 'none'
    }
    const groups = new Map<string, { shape: readonly number[]; members: number[] }>()
    arrivals.streams.forEach((st, i) => {
      if (!(st.perWeek > 0)) return
      const shape = st.hourOfWeek ?? arrivals.hourOfWeek ?? flat
      const key = shapeKey(shape)
      if (key === 'none') return
      let g = groups.get(key)
      if (!g) {
        g = { shape, members: [] }
        groups.set(key, g)
      }
      g.members.push(i)
    })
    const list = [...groups.values()]
    const groupRates = list.map((g) => {
      const perWeek = g.members.reduce((a, i) => a + (arrivals.streams[i]?.perWeek ?? 0), 0)
      const total = g.shape.reduce((a, b) => a + b, 0)
      // Calls a week spread over the hours in proportion to the weights; per second.
      return g.shape.map((x) => (perWeek * x) / total / 3600)
    })
    for (const g of list) {
      groupStreams.push(Int32Array.from(g.members))
      pickInGroup.push(new AliasTable(g.members.map((i) => arrivals.streams[i]?.perWeek ?? 0)))
    }
    for (let h = 0; h < 168; h++) {
      const rates = groupRates.map((r) => r[h] as number)
      const total = rates.reduce((a, b) => a + b, 0)
      ratePerSecond[h] = total
      pickGroup[h] = total > 0 && rates.length > 1 ? new AliasTable(rates) : null
    }
  } else {
    const index = new Map<string, number>()
    streams = []
    const sorted = [...arrivals.records].sort((a, b) => a.atSeconds - b.atSeconds)
    replayTimes = new Float64Array(sorted.length)
    replayStreams = new Int32Array(sorted.length)
    sorted.forEach((r, i) => {
      const key = `${r.callType}\u0000${r.source}`
      let s = index.get(key)
      if (s === undefined) {
        s = streams.push({ callType: r.callType, source: r.source }) - 1
        index.set(key, s)
      }
      ;(replayTimes as Float64Array)[i] = r.atSeconds
      ;(replayStreams as Int32Array)[i] = s
    })
  }

  const callTypes = [...new Set(streams.map((s) => s.callType))]
  const callTypeIndex = new Map(callTypes.map((c, i) => [c, i]))
  const levels =
    catalogue.priorityScheme?.levels ??
    [...new Set(catalogue.callTypes.map((c) => c.defaultPriority))].map((value) => ({ value }))
  const triage = buildTriageTables(catalogue, streams, scenario.answers)
  const priorities = [...new Set([...levels.map((l) => l.value), ...triageds(triage)])].sort(
    (a, b) => a - b,
  )
  if (priorities.some((p) => p < 0 || p > MAX_PRIORITY))
    throw new Error(`priorities must be 0-${MAX_PRIORITY}`)

  const byForce = unitsByHourOfWeek(scenario.patrol.shifts)
  const travel: Distribution[] = []
  for (let p = 0; p <= MAX_PRIORITY; p++)
    travel.push(
      scenario.patrol.travelMinutesByPriority?.[String(p)] ?? scenario.patrol.travelMinutes,
    )

  const outcomeBase = new Int32Array(streams.length)
  let size = 0
  triage.forEach((t, i) => {
    outcomeBase[i] = size
    size += t.profileCount * 48
  })
  const outcomes = new Int16Array(size)
  triage.forEach((t, i) => {
    const base = outcomeBase[i] as number
    for (let k = 0; k < t.profileCount * 24; k++) {
      outcomes[base + 2 * k] = t.mode[k] as number
      outcomes[base + 2 * k + 1] = t.priority[k] as number
    }
  })

  return {
    scenario,
    outcomes,
    outcomeBase,
    profilePick: triage.map((t) => t.profiles),
    streams,
    streamLine: Int8Array.from(streams, (s) => LINE_OF[s.source] ?? -1),
    streamThen311: Uint8Array.from(streams, (s) => (s.source === 'transfer_911' ? 1 : 0)),
    streamCallType: Int32Array.from(streams, (s) => callTypeIndex.get(s.callType) as number),
    callTypes,
    triage,
    ratePerSecond,
    pickGroup,
    pickInGroup,
    groupStreams,
    replayTimes,
    replayStreams,
    rules: buildDispatchRules(priorities),
    agents: [
      Int32Array.from(scenario.lines['911'].agentsByHourOfWeek),
      Int32Array.from(scenario.lines['311'].agentsByHourOfWeek),
    ],
    units: FORCES.map((f) => Int32Array.from(byForce[f])),
    travel,
    onScene: callTypes.map(
      (c) => scenario.patrol.onSceneMinutesByCallType?.[c] ?? scenario.patrol.onSceneMinutes,
    ),
    civilianOnScene: scenario.patrol.civilianOnSceneMinutes ?? scenario.patrol.onSceneMinutes,
    priorities,
    mostUrgent: priorityLevelsRange([...levels]).mostUrgent,
    measureFrom: scenario.warmUpDays * 86_400,
    measureTo: (scenario.warmUpDays + scenario.days) * 86_400,
  }
}

function triageds(tables: StreamTriage[]): number[] {
  const seen = new Set<number>()
  for (const t of tables) for (const p of t.priority) seen.add(p)
  return [...seen]
}
