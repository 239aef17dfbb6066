import type { Kysely, Transaction } from 'kysely'
import {
  type DayRow,
  type HourRow,
  type PlaceRow,
  type RollupEvent,
  type RollupSource,
  rollUp,
} from '../../domain/analytics/rollups.js'
import type { LocalTime } from '../../domain/analytics/trends.js'
import type { RollupStore } from '../ports.js'
import type { Database } from './database.js'

const CHUNK = 400

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
  const rows = rollUp(events, local)
  for (let i = 0; i < rows.days.length; i += CHUNK)
    await trx
      .insertInto('rollup_day')
      .values(
        rows.days.slice(i, i + CHUNK).map((r) => ({
          source: r.source,
          day: r.day,
          call_type: r.callType,
          channel: r.channel,
          priority: r.priority,
          district: r.district,
          n: r.n,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['source', 'day', 'call_type', 'channel', 'priority', 'district'])
          .doUpdateSet((eb) => ({ n: eb('rollup_day.n', '+', eb.ref('excluded.n')) })),
      )
      .execute()
  for (let i = 0; i < rows.hours.length; i += CHUNK)
    await trx
      .insertInto('rollup_hour')
      .values(rows.hours.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['source', 'day', 'hour'])
          .doUpdateSet((eb) => ({ n: eb('rollup_hour.n', '+', eb.ref('excluded.n')) })),
      )
      .execute()
  for (const [table, list] of [
    ['rollup_block', rows.blocks],
    ['rollup_cell', rows.cells],
  ] as const)
    for (let i = 0; i < list.length; i += CHUNK)
      await trx
        .insertInto(table)
        .values(list.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc
            .columns(['source', 'month', 'place'])
            .doUpdateSet((eb) => ({ n: eb(`${table}.n`, '+', eb.ref('excluded.n')) })),
        )
        .execute()
}

/** Rollup reads for the dashboards. */
export class KyselyRollupStore implements RollupStore {
  readonly #db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.#db = db
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
    const table = kind === 'block' ? 'rollup_block' : 'rollup_cell'
    const rows = await this.#db
      .selectFrom(table)
      .select('place')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .where('source', '=', source)
      .where('month', '>=', fromMonth)
      .where('month', '<=', toMonth)
      .groupBy('place')
      .execute()
    return rows.map((r) => ({ place: r.place, n: Number(r.n) })) as Array<
      PlaceRow & { place: string }
    >
  }
}
