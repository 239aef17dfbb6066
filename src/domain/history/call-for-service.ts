import { z } from 'zod'
import { type LocalTime, localTimeIn } from '../analytics/trends.js'
import { blockKey, parseStreet, streetLabel } from '../geography/address.js'
import { type FieldProblem, ValidationError } from '../shared/errors.js'
import { type Instant, MINUTE } from '../shared/instant.js'

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
    /**
     * The CAD's priority codes in our scheme (1 the most urgent), so that 911 and 311 calls are
     * compared on one scale (San Diego's 0 is our 1). A code not listed is kept as unknown.
     * Without the table the CAD's numbers are kept as they are.
     */
    priorities: z
      .record(z.string().regex(/^-?\d{1,3}$/), z.number().int().min(1).max(10))
      .optional(),
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
): HistoryRowRead {
  const header = Object.keys(record)
  return historyRowReader(
    mapping,
    codes,
    header,
  )(
    header.map((k) => record[k]),
    line,
  )
}

export type HistoryRowRead =
  | { call: CallForService; location: LocationHint }
  | { problems: FieldProblem[] }

/** Distinct block texts remembered per reader; CAD exports repeat their addresses heavily. */
const BLOCK_CACHE = 200_000

/**
 * `readHistoryRow` for a whole export whose columns are `header`, reading each row as its
 * fields in header order: the columns are found once, and what repeats from row to row (the
 * zone's offsets, the hundred-block parsed from its parts) is worked out once per reader.
 */
export function historyRowReader(
  mapping: HistoryMapping,
  codes: ReadonlyMap<string, string>,
  header: readonly string[],
): (fields: readonly (string | undefined)[], line: number) => HistoryRowRead {
  const c = mapping.columns
  const local = localTimeIn(mapping.timeZone)
  const at = (name: string | undefined) => (name ? header.indexOf(name) : -1)
  const col = {
    id: at(c.id),
    receivedAt: at(c.receivedAt),
    callType: at(c.callType),
    priority: at(c.priority),
    disposition: at(c.disposition),
    beat: at(c.beat),
    district: at(c.district),
    address: at(c.address),
    blockNumber: at(c.blockNumber),
    blockDir: at(c.blockDir),
    blockStreet: at(c.blockStreet),
    blockSuffix: at(c.blockSuffix),
    crossStreet: at(c.crossStreet),
    lat: at(c.lat),
    lon: at(c.lon),
  }
  // A column the mapping names but the file lacks means the wrong mapping or the wrong file:
  // refuse before reading a row, rather than report every row as a problem.
  const missing = Object.entries(c).filter(([, name]) => name && !header.includes(name))
  if (missing.length > 0)
    throw new ValidationError(
      missing.map(([field, name]) => ({
        path: `columns.${field}`,
        message: `the file has no column '${name}' (its columns: ${header
          .slice(0, 20)
          .map((h) => h.slice(0, 40))
          .join(', ')})`,
      })),
    )
  const hasBlock = Boolean(c.blockNumber && c.blockStreet)
  const blocks = new Map<string, string | null>()
  const blockOfRow = (fields: readonly (string | undefined)[]) => {
    if (!hasBlock) return null
    if (cell(fields, col.crossStreet) !== '') return null
    const number = cell(fields, col.blockNumber)
    const dir = cell(fields, col.blockDir)
    const street = cell(fields, col.blockStreet)
    const suffix = cell(fields, col.blockSuffix)
    const key = `${number}|${dir}|${street}|${suffix}`
    let block = blocks.get(key)
    if (block === undefined) {
      block = blockOf(number, [dir, street, suffix])
      if (blocks.size >= BLOCK_CACHE) blocks.clear()
      blocks.set(key, block)
    }
    return block
  }
  return (fields, line) => {
    // Problems are noted without a closure made per row: an export has millions.
    let problems: FieldProblem[] | null = null
    const sourceId = cell(fields, col.id)
    if (!sourceId) problems = withProblem(problems, line, c.id, 'no id')
    const timeText = cell(fields, col.receivedAt)
    const receivedAt = readTime(timeText, local)
    if (receivedAt === null)
      problems = withProblem(problems, line, c.receivedAt, `'${timeText}' is not a date and time`)
    const sourceCallType = cell(fields, col.callType)
    if (!sourceCallType) problems = withProblem(problems, line, c.callType, 'no call type')
    const priorityText = cell(fields, col.priority)
    const cadPriority = priorityText === '' ? null : Number(priorityText)
    if (cadPriority !== null && !Number.isInteger(cadPriority))
      problems = withProblem(
        problems,
        line,
        c.priority ?? 'priority',
        `'${priorityText}' is not a priority`,
      )
    const priority =
      cadPriority === null || !mapping.priorities
        ? cadPriority
        : (mapping.priorities[String(cadPriority)] ?? null)
    const latText = cell(fields, col.lat)
    const lonText = cell(fields, col.lon)
    const lat = latText === '' ? null : Number(latText)
    const lon = lonText === '' ? null : Number(lonText)
    const point =
      lat !== null &&
      lon !== null &&
      Math.abs(lat) <= 90 &&
      Math.abs(lon) <= 180 &&
      !(lat === 0 && lon === 0)
    if (problems !== null) return { problems }
    const beat = cell(fields, col.beat)
    return {
      call: {
        source: mapping.source,
        sourceId,
        receivedAt: receivedAt as Instant,
        sourceCallType,
        callType: codes.get(sourceCallType) ?? null,
        priority,
        disposition: cell(fields, col.disposition) || null,
        block: blockOfRow(fields),
        lat: point ? lat : null,
        lon: point ? lon : null,
        h3: null,
        policeDistrict: cell(fields, col.district) || null,
        // CADs write "no beat" in their own ways (San Diego: -1).
        beat: beat && beat !== '-1' && beat !== '0' ? beat : null,
      },
      location: {
        text: cell(fields, col.address) || null,
        lat: point ? lat : null,
        lon: point ? lon : null,
      },
    }
  }
}

function withProblem(
  problems: FieldProblem[] | null,
  line: number,
  what: string,
  message: string,
): FieldProblem[] {
  const all = problems ?? []
  all.push({ path: `line ${line}.${what}`, message })
  return all
}

/** A column's value, trimmed; '' when the mapping has no such column or the row lacks it. */
function cell(fields: readonly (string | undefined)[], index: number): string {
  return index < 0 ? '' : (fields[index] ?? '').trim()
}

/** The hundred-block from its parts, when the export gives one (police CADs usually do). */
function blockOf(numberText: string, parts: readonly string[]): string | null {
  const number = Number(numberText)
  const text = parts.filter(Boolean).join(' ')
  if (!Number.isFinite(number) || number < 0 || !text) return null
  const street = parseStreet(text)
  // A street name that is only a log code ("SHOPS INFO LOG") has no block.
  return street && streetLabel(street) ? blockKey(number, street) : null
}

/**
 * ISO 8601 with a zone, or a local "YYYY-MM-DD HH:MM[:SS]" in the export's zone (as
 * localDateTimeToInstant reads it, with the zone's offsets looked up once per day).
 */
function readTime(text: string, local: LocalTime): Instant | null {
  if (!text) return null
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) {
    const t = Date.parse(text)
    return Number.isNaN(t) ? null : t
  }
  const m = text.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/)
  if (!m) return null
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0))
  if (Number.isNaN(asUtc)) return null
  // Two passes settle the offset on either side of a daylight-saving change.
  const first = asUtc - local.offsetMinutes(asUtc) * MINUTE
  return asUtc - local.offsetMinutes(first) * MINUTE
}
