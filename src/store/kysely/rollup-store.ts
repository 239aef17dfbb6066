import type { Kysely, Transaction } from 'kysely'
import type { PlacedEvent } from '../../domain/analytics/repeats.js'
import {
  type DayRow,
  type HourRow,
  type PlaceRow,
  type RollupEvent,
  type RollupRows,
  type RollupSource,
  rollUp,
  rollupEventOfCall,
} from '../../domain/analytics/rollups.js'
import type { LocalTime } from '../../domain/analytics/trends.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { RollupStore } from '../ports.js'
import { type BulkInsert, insertRows } from './bulk-insert.js'
import type { Database } from './database.js'

/** Places per `in (...)` read. */
const CHUNK = 400
/** Calls read per page while rebuilding. */
const REBUILD_PAGE = 20_000

const DAY: BulkInsert = {
  table: 'rollup_day',
  columns: ['source', 'day', 'call_type', 'channel', 'priority', 'district', 'n'],
  conflict: {
    columns: ['source', 'day', 'call_type', 'channel', 'priority', 'district'],
    add: 'n',
  },
  types: ['text', 'text', 'text', 'text', 'integer', 'text', 'integer'],
}
const HOUR: BulkInsert = {
  table: 'rollup_hour',
  columns: ['source', 'day', 'hour', 'n'],
  conflict: { columns: ['source', 'day', 'hour'], add: 'n' },
  types: ['text', 'text', 'integer', 'integer'],
}
const place = (table: 'rollup_block' | 'rollup_cell'): BulkInsert => ({
  table,
  columns: ['source', 'month', 'place', 'n'],
  conflict: { columns: ['source', 'month', 'place'], add: 'n' },
  types: ['text', 'text', 'text', 'integer'],
})
const BLOCK = place('rollup_block')
const CELL = place('rollup_cell')
const BLOCK_YEAR: BulkInsert = {
  table: 'rollup_block_year',
  columns: ['source', 'year', 'place', 'n'],
  conflict: { columns: ['source', 'place', 'year'], add: 'n' },
  types: ['text', 'text', 'text', 'integer'],
}
const PLACE: BulkInsert = {
  table: 'rollup_place',
  columns: ['kind', 'place'],
  conflict: { columns: ['kind', 'place'] },
  types: ['text', 'text'],
}

/**
 * Adds a batch of calls to the rollups inside the caller's transaction: counted in memory first
 * (one row per key), then one upsert per key that adds to what is there.
 */
export async function addToRollups(
  trx: Transaction<Database> | Kysely<Database>,
  events: readonly RollupEvent[],
  local: LocalTime,
): Promise<void> {
  if (events.length === 0) return
  await addRollupRows(trx, rollUp(events, local))
}

/** Adds rollup rows (counted in memory, one per key) to the stored counts, in one transaction. */
export async function addRollupRows(
  trx: Transaction<Database> | Kysely<Database>,
  rows: RollupRows,
): Promise<void> {
  await insertRows(
    trx,
    DAY,
    rows.days.map((r) => [r.source, r.day, r.callType, r.channel, r.priority, r.district, r.n]),
  )
  await insertRows(
    trx,
    HOUR,
    rows.hours.map((r) => [r.source, r.day, r.hour, r.n]),
  )
  await insertRows(
    trx,
    BLOCK,
    rows.blocks.map((r) => [r.source, r.month, r.place, r.n]),
  )
  await insertRows(trx, BLOCK_YEAR, blockYears(rows.blocks))
  await insertRows(
    trx,
    CELL,
    rows.cells.map((r) => [r.source, r.month, r.place, r.n]),
  )
  // Every place once per batch (a block in two months, or on both lines, is one place).
  await insertRows(trx, PLACE, [
    ...[...new Set(rows.blocks.map((r) => r.place))].map((p) => ['block', p]),
    ...[...new Set(rows.cells.map((r) => r.place))].map((p) => ['cell', p]),
  ])
}

/** Every rollup table. */
export const ROLLUP_TABLES = [
  'rollup_day',
  'rollup_hour',
  'rollup_block',
  'rollup_block_year',
  'rollup_cell',
  'rollup_place',
] as const

/** Rollup reads for the dashboards. */
export class KyselyRollupStore implements RollupStore {
  readonly #db: Kysely<Database>

  readonly #local: LocalTime

  constructor(db: Kysely<Database>, local: LocalTime) {
    this.#db = db
    this.#local = local
  }

  async rebuild(onProgress?: (done: number, total: number) => void): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      for (const table of ROLLUP_TABLES) await trx.deleteFrom(table).execute()
      const count = async (table: 'incident' | 'call_for_service') =>
        Number(
          (
            await trx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const total = (await count('incident')) + (await count('call_for_service'))
      let done = 0
      // Keyset pages by the insertion sequence: no OFFSET, each page an index range.
      for (let after = 0; ; ) {
        const rows = await trx
          .selectFrom('incident')
          .select([
            'seq',
            'received_at',
            'call_type',
            'channel',
            'priority',
            'police_district',
            'block',
            'h3',
          ])
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(REBUILD_PAGE)
          .execute()
        if (rows.length === 0) break
        await addToRollups(
          trx,
          rows.map((r) => ({
            source: '311' as const,
            at: Number(r.received_at),
            callType: r.call_type,
            channel: r.channel,
            priority: Number(r.priority),
            district: r.police_district,
            block: r.block,
            h3: r.h3,
          })),
          this.#local,
        )
        after = Number(rows.at(-1)!.seq)
        done += rows.length
        onProgress?.(done, total)
      }
      for (let after = 0; ; ) {
        const rows = await trx
          .selectFrom('call_for_service')
          .select(['seq', 'received_at', 'call_type', 'priority', 'police_district', 'block', 'h3'])
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(REBUILD_PAGE)
          .execute()
        if (rows.length === 0) break
        await addToRollups(
          trx,
          rows.map((r) =>
            rollupEventOfCall({
              receivedAt: Number(r.received_at),
              callType: r.call_type,
              priority: r.priority === null ? null : Number(r.priority),
              policeDistrict: r.police_district,
              block: r.block,
              h3: r.h3,
            }),
          ),
          this.#local,
        )
        after = Number(rows.at(-1)!.seq)
        done += rows.length
        onProgress?.(done, total)
      }
      return done
    })
  }

  async days(source: RollupSource, fromDay: string, toDay: string): Promise<DayRow[]> {
    const rows = await this.#db
      .selectFrom('rollup_day')
      .selectAll()
      .where('source', '=', source)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .execute()
    return rows.map((r) => ({
      source: r.source as RollupSource,
      day: r.day,
      callType: r.call_type,
      channel: r.channel,
      priority: Number(r.priority),
      district: r.district,
      n: Number(r.n),
    }))
  }

  async breakdown(
    source: RollupSource,
    fromDay: string,
    toDay: string,
    by: 'call_type' | 'channel' | 'priority' | 'district',
  ): Promise<Array<{ key: string; n: number }>> {
    const rows = await this.#db
      .selectFrom('rollup_day')
      .select(by)
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('source', '=', source)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .groupBy(by)
      .execute()
    return rows.map((r) => ({ key: String(r[by]), n: Number(r.n) }))
  }

  async hours(source: RollupSource, fromDay: string, toDay: string): Promise<HourRow[]> {
    const rows = await this.#db
      .selectFrom('rollup_hour')
      .selectAll()
      .where('source', '=', source)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .orderBy('day')
      .orderBy('hour')
      .execute()
    return rows.map((r) => ({
      source: r.source as RollupSource,
      day: r.day,
      hour: Number(r.hour),
      n: Number(r.n),
    }))
  }

  async places(
    kind: 'block' | 'cell',
    source: RollupSource,
    fromMonth: string,
    toMonth: string,
  ): Promise<Array<{ place: string; n: number }>> {
    const rows = await this.#db
      .selectFrom(this.#placeCounts(kind, [source], fromMonth, toMonth).as('u'))
      .select('u.place')
      .select((eb) => eb.fn.sum<number>('u.n').as('n'))
      .groupBy('u.place')
      .execute()
    return rows.map((r) => ({ place: r.place, n: Number(r.n) })) as Array<
      PlaceRow & { place: string }
    >
  }

  async topPlaces(
    kind: 'block' | 'cell',
    sources: readonly RollupSource[],
    fromMonth: string,
    toMonth: string,
    limit: number,
  ): Promise<{ rows: Array<{ place: string; n: number }>; places: number; total: number }> {
    const read = (cut: number | null) => {
      const grouped = this.#db
        .selectFrom(this.#placeCounts(kind, sources, fromMonth, toMonth).as('u'))
        .select('u.place')
        .select((eb) => eb.fn.sum<number>('u.n').as('n'))
        .groupBy('u.place')
        .having((eb) => eb.fn.sum('u.n'), '>', 0)
      // The totals ride along with each row (window functions over the grouped places), so the
      // rollups are read once.
      const q = this.#db
        .selectFrom(grouped.as('g'))
        .select(['g.place', 'g.n'])
        .select((eb) => [
          eb.fn.countAll<number>().over().as('places'),
          eb.fn.sum<number>('g.n').over().as('total'),
        ])
        .orderBy('g.n', 'desc')
      return (cut === null ? q : q.limit(cut)).execute()
    }
    // A margin past the cut catches counts tied with the last listed place; if ties run past
    // it, read them all.
    let rows = await read(limit + 64)
    if (rows.length === limit + 64 && Number(rows.at(-1)!.n) === Number(rows[limit - 1]?.n))
      rows = await read(null)
    return {
      rows: rows.map((r) => ({ place: r.place, n: Number(r.n) })),
      places: Number(rows[0]?.places ?? 0),
      total: Number(rows[0]?.total ?? 0),
    }
  }

  /**
   * The rollup rows (place, n) that count the calls of whole months [fromMonth, toMonth]: for
   * blocks, the year rows of the whole years inside the period and the month rows of the
   * partial years at its edges; for cells, the month rows. A place may come more than once.
   */
  #placeCounts(
    kind: 'block' | 'cell',
    sources: readonly RollupSource[],
    fromMonth: string,
    toMonth: string,
  ) {
    const table = kind === 'block' ? 'rollup_block' : 'rollup_cell'
    const split =
      kind === 'block'
        ? monthsAndYears(fromMonth, toMonth)
        : { months: [[fromMonth, toMonth] as const], years: null }
    const months = (from: string, to: string) =>
      this.#db
        .selectFrom(table)
        .select(['place', 'n'])
        .where('source', 'in', [...sources])
        .where('month', '>=', from)
        .where('month', '<=', to)
    type Counts = ReturnType<typeof months>
    const parts: Counts[] = split.months.map(([from, to]) => months(from, to))
    const years = split.years
    if (years)
      parts.push(
        // The same (place, n) rows as the months', from the year table.
        this.#db
          .selectFrom('rollup_block_year')
          .select(['place', 'n'])
          .where('source', 'in', [...sources])
          .where('year', '>=', years[0])
          .where('year', '<=', years[1]) as unknown as Counts,
      )
    const [head, ...rest] = parts.length > 0 ? parts : [months(fromMonth, toMonth)]
    return rest.reduce((all, part) => all.unionAll(part), head as Counts)
  }

  async knownPlaces(kind: 'block' | 'cell'): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('rollup_place')
      .select('place')
      .where('kind', '=', kind)
      .orderBy('place')
      .execute()
    return rows.map((r) => r.place)
  }

  async placedEvents(
    source: RollupSource,
    window: { from: Instant; to: Instant },
    limit: number,
  ): Promise<PlacedEvent[]> {
    const table = source === '311' ? 'incident' : 'call_for_service'
    const rows = await this.#db
      .selectFrom(table)
      .select(['block', 'received_at'])
      .where('received_at', '>=', window.from)
      .where('received_at', '<', window.to)
      .where('block', 'is not', null)
      .orderBy('received_at')
      .limit(limit)
      .execute()
    return rows.map((r) => ({ place: r.block as string, at: Number(r.received_at) }))
  }

  async pointEvents(
    source: RollupSource,
    window: { from: Instant; to: Instant },
    limit: number,
  ): Promise<Array<{ at: Instant; lat: number; lon: number }>> {
    const rows = await this.#db
      .selectFrom(source === '311' ? 'incident' : 'call_for_service')
      .select(['received_at', 'lat', 'lon'])
      .where('received_at', '>=', window.from)
      .where('received_at', '<', window.to)
      .where('lat', 'is not', null)
      .where('lon', 'is not', null)
      .orderBy('received_at', 'desc')
      .limit(limit)
      .execute()
    return rows.map((r) => ({ at: Number(r.received_at), lat: Number(r.lat), lon: Number(r.lon) }))
  }

  async blockPoints(blocks: readonly string[]): Promise<Map<string, { lat: number; lon: number }>> {
    const sums = new Map<string, { lat: number; lon: number; n: number }>()
    for (let i = 0; i < blocks.length; i += CHUNK)
      for (const table of ['incident', 'call_for_service'] as const) {
        const rows = await this.#db
          .selectFrom(table)
          .select('block')
          .select((eb) => [
            eb.fn.sum<number>('lat').as('lat'),
            eb.fn.sum<number>('lon').as('lon'),
            eb.fn.countAll<number>().as('n'),
          ])
          .where('block', 'in', blocks.slice(i, i + CHUNK) as string[])
          .where('lat', 'is not', null)
          .where('lon', 'is not', null)
          .groupBy('block')
          .execute()
        for (const r of rows) {
          const s = sums.get(r.block as string) ?? { lat: 0, lon: 0, n: 0 }
          s.lat += Number(r.lat)
          s.lon += Number(r.lon)
          s.n += Number(r.n)
          sums.set(r.block as string, s)
        }
      }
    return new Map([...sums].map(([b, s]) => [b, { lat: s.lat / s.n, lon: s.lon / s.n }]))
  }
}

/** Block-month rows added up by year: the same counts, one row per source, local year and block. */
function blockYears(blocks: readonly PlaceRow[]): unknown[][] {
  const byKey = new Map<string, unknown[]>()
  for (const r of blocks) {
    const year = r.month.slice(0, 4)
    const key = `${r.source}\0${year}\0${r.place}`
    const row = byKey.get(key)
    if (row) row[3] = (row[3] as number) + r.n
    else byKey.set(key, [r.source, year, r.place, r.n])
  }
  return [...byKey.values()]
}

/**
 * Splits the whole months [fromMonth, toMonth] ('YYYY-MM') into the whole years inside them and
 * the months of the partial years at either edge.
 */
export function monthsAndYears(
  fromMonth: string,
  toMonth: string,
): { months: Array<readonly [string, string]>; years: readonly [string, string] | null } {
  if (fromMonth > toMonth) return { months: [], years: null }
  const y0 = Number(fromMonth.slice(0, 4))
  const y1 = Number(toMonth.slice(0, 4))
  const firstYear = fromMonth.slice(5) <= '01' ? y0 : y0 + 1
  const lastYear = toMonth.slice(5) >= '12' ? y1 : y1 - 1
  if (!Number.isInteger(y0) || !Number.isInteger(y1) || firstYear > lastYear)
    return { months: [[fromMonth, toMonth]], years: null }
  const year = (y: number) => String(y).padStart(4, '0')
  const months: Array<readonly [string, string]> = []
  if (firstYear > y0) months.push([fromMonth, `${year(y0)}-12`])
  if (lastYear < y1) months.push([`${year(y1)}-01`, toMonth])
  return { months, years: [year(firstYear), year(lastYear)] }
}
