/**
 * The policies the lab compares (issue #9 item 4), each a set of levers applied to a base
 * scenario (the demo city, or one calibrated from the city's records). A lever is something a
 * city can decide: keep a 311 line or not, how calls are answered, officers per force,
 * call-takers. The presets are the questions of the Baltimore evaluation (research note
 * analytics-or-anchors.md §5); the lab page edits the same levers.
 *
 * Pure: a base scenario, a catalogue and levers give a scenario; nothing else.
 */
import type {
  ArrivalStream,
  CallSource,
  ResponsePolicy,
  Scenario,
  Shift,
} from './model/scenario.js'
import type { SimCatalogue } from './model/triage-table.js'

export interface ScenarioLevers {
  /** False: no 311 line; every call a person makes comes in on 911 (the city before 311). */
  line311?: boolean
  /**
   * Share (0–1) of the non-emergency calls still on 911 that move to the 311 line (publicity,
   * a number people know). Emergencies stay on 911.
   */
  diversionShare?: number
  /** 'dispatch_all': every call gets a unit, as before 311; 'catalogue': differential response. */
  responsePolicy?: ResponsePolicy
  /** False: call-takers do not link the same incident reported on both lines (double dispatch). */
  linkDuplicates?: boolean
  /** Call-response officers, as a multiple of the base (1.2 = 20 % more). */
  callResponseOfficers?: number
  /** Problem-solving officers, as a multiple of the base. */
  problemSolvingOfficers?: number
  /** Share (0–1) of each shift's call-response officers moved to problem solving (split force). */
  splitForceShare?: number
  /** Civilian responders, as a multiple of the base. */
  civilianResponders?: number
  /** 911 call-takers, as a multiple of the base (each hour rounded, at least one). */
  callTakers911?: number
  /** 311 call-takers, as a multiple of the base. */
  callTakers311?: number
}

export const PRESET_KEYS = [
  'no_311',
  'baltimore_311',
  'differential_response',
  'split_force',
  'more_officers',
  'fewer_call_takers',
] as const
export type PresetKey = (typeof PRESET_KEYS)[number]

export interface PolicyPreset {
  name: string
  description: string
  levers: ScenarioLevers
}

/** The study's questions, in the words of the people deciding. */
export const PRESETS: Record<PresetKey, PolicyPreset> = {
  no_311: {
    name: 'No 311',
    description:
      'Every call on 911 with the 911 call-takers as now, and every call dispatched (the city before 311).',
    levers: { line311: false, responsePolicy: 'dispatch_all', linkDuplicates: true },
  },
  baltimore_311: {
    name: '311 as Baltimore ran it',
    description:
      'Non-emergency calls moved to 311 but dispatched as before; calls reported on both lines not linked (double dispatch).',
    levers: { responsePolicy: 'dispatch_all', linkDuplicates: false },
  },
  differential_response: {
    name: 'Differential response',
    description:
      'The catalogue decides: reports by phone or online, referrals, civilians and delayed responses; duplicates linked.',
    levers: { responsePolicy: 'catalogue', linkDuplicates: true },
  },
  split_force: {
    name: 'Split force',
    description:
      'Differential response, and a quarter of each shift’s call-response officers work problems instead.',
    levers: { responsePolicy: 'catalogue', linkDuplicates: true, splitForceShare: 0.25 },
  },
  more_officers: {
    name: 'More officers',
    description: 'Differential response with 20 % more call-response officers.',
    levers: { responsePolicy: 'catalogue', linkDuplicates: true, callResponseOfficers: 1.2 },
  },
  fewer_call_takers: {
    name: 'Fewer call-takers',
    description: 'Differential response with 20 % fewer call-takers on both lines.',
    levers: {
      responsePolicy: 'catalogue',
      linkDuplicates: true,
      callTakers911: 0.8,
      callTakers311: 0.8,
    },
  },
}

/** Sources a caller phones or types into; officer-initiated work is not a call to move. */
const MOVABLE: ReadonlySet<CallSource> = new Set([
  'phone_311',
  'transfer_911',
  'web',
  'open311',
  'social_media',
  'walk_in',
  'outbound',
])

/** A scenario with the levers applied to the base (the base is not changed). */
export function applyLevers(
  base: Scenario,
  catalogue: SimCatalogue,
  levers: ScenarioLevers,
  name?: string,
): Scenario {
  const s: Scenario = structuredClone(base)
  if (name) s.name = name
  const emergency = new Set(
    catalogue.callTypes.filter((c) => c.defaultMode === 'transfer_911').map((c) => c.code),
  )

  if (s.arrivals.kind === 'poisson') {
    let streams: ArrivalStream[] = s.arrivals.streams
    const share = levers.diversionShare ?? 0
    if (share > 0 && levers.line311 !== false) {
      const moved: ArrivalStream[] = []
      for (const st of streams)
        if (st.source === '911' && !emergency.has(st.callType)) {
          moved.push({ ...st, source: 'phone_311', perWeek: st.perWeek * share })
          st.perWeek *= 1 - share
        }
      streams = [...streams, ...moved]
    }
    if (levers.line311 === false)
      streams = streams.map((st) => (MOVABLE.has(st.source) ? { ...st, source: '911' } : st))
    s.arrivals.streams = mergeStreams(streams)
  } else if (levers.line311 === false) {
    for (const r of s.arrivals.records) if (MOVABLE.has(r.source)) r.source = '911'
  }
  if (levers.line311 === false) s.lines['311'].agentsByHourOfWeek = new Array(168).fill(0)

  if (levers.responsePolicy) s.response.policy = levers.responsePolicy
  if (levers.linkDuplicates === false) s.duplicates.linkedShare = 0
  else if (levers.linkDuplicates === true && s.duplicates.linkedShare === 0)
    s.duplicates.linkedShare = 0.9

  const scale = (force: Shift['force'], k: number | undefined) => {
    if (k === undefined || k === 1) return
    for (const sh of s.patrol.shifts) if (sh.force === force) sh.units = scaleCount(sh.units, k, 0)
  }
  scale('call_response', levers.callResponseOfficers)
  scale('problem_solving', levers.problemSolvingOfficers)
  scale('civilian', levers.civilianResponders)
  const split = levers.splitForceShare ?? 0
  if (split > 0) {
    const added: Shift[] = []
    for (const sh of s.patrol.shifts) {
      if (sh.force !== 'call_response') continue
      const moved = Math.min(sh.units - 1, Math.round(sh.units * split))
      if (moved <= 0) continue
      sh.units -= moved
      added.push({ ...sh, force: 'problem_solving', units: moved })
    }
    s.patrol.shifts.push(...added)
  }
  const agents = (line: '911' | '311', k: number | undefined) => {
    if (k === undefined || k === 1) return
    const l = s.lines[line]
    l.agentsByHourOfWeek = l.agentsByHourOfWeek.map((n) => (n === 0 ? 0 : scaleCount(n, k, 1)))
  }
  agents('911', levers.callTakers911)
  if (levers.line311 !== false) agents('311', levers.callTakers311)
  return s
}

/**
 * A head count times k, whole: rounded away from the base (a 20 % cut of two call-takers is one,
 * not two again), never below `min`.
 */
function scaleCount(n: number, k: number, min: number): number {
  const x = n * k
  return Math.max(min, k < 1 ? Math.floor(x + 1e-9) : Math.ceil(x - 1e-9))
}

/** The preset's scenario from a base. */
export function presetScenario(base: Scenario, catalogue: SimCatalogue, key: PresetKey): Scenario {
  const p = PRESETS[key]
  return applyLevers(base, catalogue, p.levers, p.name)
}

function mergeStreams(streams: readonly ArrivalStream[]): ArrivalStream[] {
  const out = new Map<string, ArrivalStream>()
  for (const st of streams) {
    // Streams with their own weekly shape stay apart (a shape is per stream).
    const key = `${st.callType}\u0000${st.source}\u0000${st.hourOfWeek ? JSON.stringify(st.hourOfWeek) : ''}`
    const o = out.get(key)
    if (o) o.perWeek += st.perWeek
    else out.set(key, { ...st })
  }
  return [...out.values()].filter((st) => st.perWeek > 0)
}
