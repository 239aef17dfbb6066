/**
 * Triage in the simulator is the production triage (src/domain/triage/triage.ts), not a copy:
 * each simulated call gets the response mode and priority the real catalogue rules give it.
 *
 * To keep a million calls a second affordable, the rules run once per call type × channel ×
 * answer profile × hour of day (rules may depend on the local hour, e.g. daytime construction
 * noise) when the model is built, and the simulator looks the outcome up. The rules are
 * deterministic and pure, so the table is exactly what calling triage() per call would give.
 */
import type { Answers } from '../../domain/catalogue/answers.js'
import type { CallType, EscalationQuestion } from '../../domain/catalogue/catalogue-schema.js'
import {
  type Channel,
  RESPONSE_MODES,
  type ResponseMode,
} from '../../domain/catalogue/vocabulary.js'
import { triage } from '../../domain/triage/triage.js'
import { AliasTable } from '../random.js'
import type { AnswerProfile, CallSource } from './scenario.js'

/** The catalogue the simulator triages with (a parsed catalogue file fits). */
export interface SimCatalogue {
  callTypes: readonly CallType[]
  screening: readonly EscalationQuestion[]
  /** The catalogue's priority levels; the most urgent is "priority 1" in the report. */
  priorityScheme?: { levels: ReadonlyArray<{ value: number }> }
}

/** Index of each response mode in RESPONSE_MODES, as the tables store it. */
export const MODE_INDEX: Readonly<Record<ResponseMode, number>> = Object.fromEntries(
  RESPONSE_MODES.map((m, i) => [m, i]),
) as Record<ResponseMode, number>

/** The triage outcomes of one stream: [profile·24 + hour of day]. */
export interface StreamTriage {
  /** Picks the answer profile of a call; null when there is one profile. */
  profiles: AliasTable | null
  profileCount: number
  mode: Uint8Array
  priority: Int16Array
}

/**
 * The channel triage sees for a source. A 911 call reaches the police through 911; the nearest
 * channel in the vocabulary is `transfer_911`, which no catalogue rule treats as a self-service
 * report.
 */
export function triageChannel(source: CallSource): Channel {
  return source === '911' ? 'transfer_911' : source
}

/** A Monday (2024-01-01) at the given UTC hour; triage runs with time zone UTC. */
const mondayAt = (hour: number) => Date.UTC(2024, 0, 1, hour)

/**
 * Builds the outcome table of every stream. Streams of the same call type and channel share
 * their outcomes (and triage runs once for them).
 */
export function buildTriageTables(
  catalogue: SimCatalogue,
  streams: ReadonlyArray<{ callType: string; source: CallSource }>,
  answers: Readonly<Record<string, AnswerProfile[]>> = {},
): StreamTriage[] {
  const byCode = new Map(catalogue.callTypes.map((c) => [c.code, c]))
  const cache = new Map<string, StreamTriage>()
  return streams.map(({ callType, source }) => {
    const channel = triageChannel(source)
    const key = `${callType}\u0000${channel}`
    const hit = cache.get(key)
    if (hit) return hit
    const ct = byCode.get(callType)
    if (!ct) throw new Error(`call type '${callType}' is not in the catalogue`)
    const profiles: AnswerProfile[] = answers[callType]?.length
      ? (answers[callType] as AnswerProfile[])
      : [{ share: 1, answers: {} }]
    const mode = new Uint8Array(profiles.length * 24)
    const priority = new Int16Array(profiles.length * 24)
    profiles.forEach((p, pi) => {
      for (let h = 0; h < 24; h++) {
        const d = triage(ct, catalogue.screening, p.answers as Answers, {
          channel,
          at: mondayAt(h),
          timeZone: 'UTC',
          hasLocation: true,
        })
        mode[pi * 24 + h] = MODE_INDEX[d.mode]
        priority[pi * 24 + h] = d.priority
      }
    })
    const table: StreamTriage = {
      profiles: profiles.length > 1 ? new AliasTable(profiles.map((p) => p.share)) : null,
      profileCount: profiles.length,
      mode,
      priority,
    }
    cache.set(key, table)
    return table
  })
}
