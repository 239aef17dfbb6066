import { z } from 'zod'
import { blockKey, parseStreet, streetLabel } from '../geography/address.js'
import type { FieldProblem } from '../shared/errors.js'
import { type Instant, localDateTimeToInstant } from '../shared/instant.js'

/**
 * 911 history: calls for service exported from a CAD, imported so that 311 and 911 problems can
 * be compared block by block (issue #8). Each export has its own columns; a mapping file says
 * which column holds what (history/<source>.yaml), so no CAD's format is built into the code.
 */
export interface CallForService {
  /** Which export it came from ('sandiego'); with `sourceId`, the key that makes imports idempotent. */
  source: string
  sourceId: string
  receivedAt: Instant
  /** The CAD's own call type code, as exported. */
  sourceCallType: string
  /** Our call type, through the catalogue's mapping table for the source; null when unmapped. */
  callType: string | null
  priority: number | null
  disposition: string | null
  /** '4300 BLOCK E LOMBARD ST', when the location is an address or a block. */
  block: string | null
  lat: number | null
  lon: number | null
  h3: string | null
  policeDistrict: string | null
  beat: string | null
}

const column = z.string().min(1).max(100)

/** A mapping file: the columns of one CAD export. */
export const historyMappingSchema = z
  .object({
    source: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a short lower-case name such as sandiego'),
    description: z.string().max(300).default(''),
    /** The zone of times written without one. */
    timeZone: z.string().min(1),
    /** The catalogue mapping table that turns the CAD's codes into ours. */
    callTypeMapping: z.string().min(1).max(40),
    columns: z
      .object({
        id: column,
        receivedAt: column,
        callType: column,
        priority: column.optional(),
        disposition: column.optional(),
        beat: column.optional(),
        district: column.optional(),
        /** A whole address or location text, geocoded against the city's streets. */
        address: column.optional(),
        /** Or a hundred-block in parts (number, predirection, street, suffix). */
        blockNumber: column.optional(),
        blockDir: column.optional(),
        blockStreet: column.optional(),
        blockSuffix: column.optional(),
        /** A cross street: when given, the location is an intersection, not a block. */
        crossStreet: column.optional(),
        lat: column.optional(),
        lon: column.optional(),
      })
      .strict(),
  })
  .strict()
export type HistoryMapping = z.infer<typeof historyMappingSchema>

/** The location as the export gives it, for the app to place on the city's geography. */
export interface LocationHint {
  text: string | null
  lat: number | null
  lon: number | null
}

/**
 * Reads one exported row. A row without an id, a time or a call type is a problem (reported
 * with its line, the rest imported); an unknown code or an unplaceable location is not: the
 * call is kept, counted as unmatched, and the summary says how many.
 */
export function readHistoryRow(
  record: Readonly<Record<string, string | undefined>>,
  mapping: HistoryMapping,
  codes: ReadonlyMap<string, string>,
  line: number,
): { call: CallForService; location: LocationHint } | { problems: FieldProblem[] } {
  const c = mapping.columns
  const get = (name: string | undefined) => (name ? (record[name] ?? '').trim() : '')
  const problems: FieldProblem[] = []
  const at = (what: string, message: string) =>
    problems.push({ path: `line ${line}.${what}`, message })
  const sourceId = get(c.id)
  if (!sourceId) at(c.id, 'no id')
  const receivedAt = readTime(get(c.receivedAt), mapping.timeZone)
  if (receivedAt === null) at(c.receivedAt, `'${get(c.receivedAt)}' is not a date and time`)
  const sourceCallType = get(c.callType)
  if (!sourceCallType) at(c.callType, 'no call type')
  const priorityText = get(c.priority)
  const priority = priorityText === '' ? null : Number(priorityText)
  if (priority !== null && !Number.isInteger(priority))
    at(c.priority ?? 'priority', `'${priorityText}' is not a priority`)
  const lat = get(c.lat) === '' ? null : Number(get(c.lat))
  const lon = get(c.lon) === '' ? null : Number(get(c.lon))
  const point =
    lat !== null &&
    lon !== null &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180 &&
    !(lat === 0 && lon === 0)
  if (problems.length > 0) return { problems }
  const beat = get(c.beat)
  return {
    call: {
      source: mapping.source,
      sourceId,
      receivedAt: receivedAt as Instant,
      sourceCallType,
      callType: codes.get(sourceCallType) ?? null,
      priority,
      disposition: get(c.disposition) || null,
      block: blockOf(record, mapping),
      lat: point ? lat : null,
      lon: point ? lon : null,
      h3: null,
      policeDistrict: get(c.district) || null,
      // CADs write "no beat" in their own ways (San Diego: -1).
      beat: beat && beat !== '-1' && beat !== '0' ? beat : null,
    },
    location: { text: get(c.address) || null, lat: point ? lat : null, lon: point ? lon : null },
  }
}

/** The hundred-block from its parts, when the export gives one (police CADs usually do). */
function blockOf(
  record: Readonly<Record<string, string | undefined>>,
  m: HistoryMapping,
): string | null {
  const c = m.columns
  if (!c.blockNumber || !c.blockStreet) return null
  if (c.crossStreet && (record[c.crossStreet] ?? '').trim() !== '') return null
  const number = Number((record[c.blockNumber] ?? '').trim())
  const text = [c.blockDir, c.blockStreet, c.blockSuffix]
    .map((k) => (k ? (record[k] ?? '').trim() : ''))
    .filter(Boolean)
    .join(' ')
  if (!Number.isFinite(number) || number < 0 || !text) return null
  const street = parseStreet(text)
  // A street name that is only a log code ("SHOPS INFO LOG") has no block.
  return street && streetLabel(street) ? blockKey(number, street) : null
}

/** ISO 8601 with a zone, or a local "YYYY-MM-DD HH:MM[:SS]" in the export's zone. */
function readTime(text: string, timeZone: string): Instant | null {
  if (!text) return null
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) {
    const t = Date.parse(text)
    return Number.isNaN(t) ? null : t
  }
  const t = localDateTimeToInstant(text, timeZone)
  return Number.isNaN(t) ? null : t
}
