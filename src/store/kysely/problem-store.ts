import { type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import { type LocalTime, localDate } from '../../domain/analytics/trends.js'
import {
  formatProblemNumber,
  type Problem,
  type ProblemEvent,
  type ProblemEventKind,
  type ProblemOrigin,
  type ProblemStage,
} from '../../domain/problems/problem.js'
import { ConflictError } from '../../domain/shared/errors.js'
import { DAY, HOUR } from '../../domain/shared/instant.js'
import type { PlaceDayCounts, ProblemFilter, ProblemStore } from '../ports.js'
import type { Database, ProblemEventTable, ProblemTable } from './database.js'
import { type StoreDialect, writeJson } from './dialect.js'

/**
 * Calls are grouped in the database by UTC quarter hour, then each quarter is given its local
 * day here: every instant in a UTC quarter hour has the same local day in any zone (offsets
 * are whole, half or three-quarter hours), and the store's zone rules stay in one place.
 */
const QUARTER = 15 * 60_000

/** Problems over Kysely. */
export class KyselyProblemStore implements ProblemStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect
  readonly #local: LocalTime

  constructor(db: Kysely<Database>, d: StoreDialect, local: LocalTime) {
    this.#db = db
    this.#d = d
    this.#local = local
  }

  async create(problem: Problem, events: readonly ProblemEvent[]): Promise<Problem> {
    return this.#db.transaction().execute(async (trx) => {
      const year = Number(localDate(problem.createdAt, this.#local).slice(0, 4))
      const name = `problem:${year}`
      await trx
        .insertInto('number_sequence')
        .values({ name, value: 0 })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute()
      const seq = await trx
        .updateTable('number_sequence')
        .set((eb) => ({ value: eb('value', '+', 1) }))
        .where('name', '=', name)
        .returning('value')
        .executeTakeFirstOrThrow()
      const numbered = { ...problem, number: formatProblemNumber(year, Number(seq.value)) }
      await trx.insertInto('problem').values(problemRow(numbered)).execute()
      await syncPlaces(trx, numbered)
      await syncLinks(trx, numbered)
      await appendEvents(trx, events)
      return numbered
    })
  }

  async update(
    problem: Problem,
    expectedVersion: number,
    events: readonly ProblemEvent[],
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const { id: _id, number: _n, created_at: _c, created_by: _b, ...row } = problemRow(problem)
      const r = await trx
        .updateTable('problem')
        .set(row)
        .where('id', '=', problem.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1)
        throw new ConflictError(
          'stale_problem',
          'the problem was changed meanwhile; reload it and try again',
        )
      await syncPlaces(trx, problem)
      await syncLinks(trx, problem)
      await appendEvents(trx, events)
    })
  }

  async problem(id: string): Promise<Problem | null> {
    const row = await this.#db
      .selectFrom('problem')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return null
    const [problem] = await this.#complete([row])
    return problem ?? null
  }

  async list(filter: ProblemFilter): Promise<Problem[]> {
    let q = this.#db.selectFrom('problem').selectAll()
    if (filter.stage?.length) q = q.where('stage', 'in', filter.stage)
    if (filter.ownerKind) q = q.where('owner_kind', '=', filter.ownerKind)
    if (filter.ownerId) q = q.where('owner_id', '=', filter.ownerId)
    const rows = await q.orderBy('updated_at', 'desc').orderBy('id').limit(filter.limit).execute()
    return this.#complete(rows)
  }

  async events(problemId: string): Promise<ProblemEvent[]> {
    const rows = await this.#db
      .selectFrom('problem_event')
      .selectAll()
      .where('problem_id', '=', problemId)
      .orderBy('seq')
      .execute()
    return rows.map((r) => this.#toEvent(r))
  }

  async dailyCounts(
    places: { blocks: readonly string[]; cells: readonly string[] },
    fromDay: string,
    toDay: string,
  ): Promise<PlaceDayCounts> {
    if (places.blocks.length === 0 && places.cells.length === 0) return { '311': [], '911': [] }
    // Local days start up to 14 hours before or 12 after UTC midnight: read a little wider,
    // then keep the wanted days.
    const from = Date.parse(`${fromDay}T00:00:00Z`) - 15 * HOUR
    const to = Date.parse(`${toDay}T00:00:00Z`) + DAY + 15 * HOUR
    const quarter = sql<number>`received_at / ${sql.lit(QUARTER)}`
    const where = <T extends 'incident' | 'call_for_service'>(table: T) =>
      this.#db
        .selectFrom(table as 'incident')
        .select([quarter.as('q'), (eb) => eb.fn.countAll<number>().as('n')])
        .where((eb) =>
          eb.or([
            ...(places.blocks.length > 0 ? [eb('block', 'in', [...places.blocks])] : []),
            ...(places.cells.length > 0 ? [eb('h3', 'in', [...places.cells])] : []),
          ]),
        )
        .where('received_at', '>=', from)
        .where('received_at', '<', to)
    const [calls311, calls911] = await Promise.all([
      where('incident').where('duplicate_of', 'is', null).groupBy(quarter).execute(),
      // call_for_service has the same block, h3 and received_at columns (one query shape).
      where('call_for_service').groupBy(quarter).execute(),
    ])
    return {
      '311': this.#byDay(calls311, fromDay, toDay),
      '911': this.#byDay(calls911, fromDay, toDay),
    }
  }

  #byDay(
    rows: ReadonlyArray<{ q: number; n: number }>,
    fromDay: string,
    toDay: string,
  ): Array<{ date: string; count: number }> {
    const days = new Map<string, number>()
    for (const r of rows) {
      const date = localDate(Number(r.q) * QUARTER, this.#local)
      if (date < fromDay || date > toDay) continue
      days.set(date, (days.get(date) ?? 0) + Number(r.n))
    }
    return [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, count]) => ({ date, count }))
  }

  /** Adds each problem's places and links, read for all of them at once. */
  async #complete(rows: ReadonlyArray<Selectable<ProblemTable>>): Promise<Problem[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const [places, links] = await Promise.all([
      this.#db
        .selectFrom('problem_place')
        .selectAll()
        .where('problem_id', 'in', ids)
        .orderBy('place')
        .execute(),
      this.#db
        .selectFrom('problem_incident')
        .selectAll()
        .where('problem_id', 'in', ids)
        .orderBy('linked_at')
        .orderBy('incident_id')
        .execute(),
    ])
    return rows.map((r) => {
      const mine = places.filter((p) => p.problem_id === r.id)
      return {
        id: r.id,
        number: r.number,
        title: r.title,
        description: r.description,
        stage: r.stage as ProblemStage,
        owner:
          r.owner_kind && r.owner_id
            ? {
                kind: r.owner_kind as 'nsc' | 'officer' | 'agency',
                id: r.owner_id,
                name: r.owner_name ?? r.owner_id,
              }
            : null,
        origin: this.#d.readJson<ProblemOrigin>(r.origin),
        blocks: mine.filter((p) => p.kind === 'block').map((p) => p.place),
        cells: mine.filter((p) => p.kind === 'cell').map((p) => p.place),
        links: links
          .filter((l) => l.problem_id === r.id)
          .map((l) => ({
            incidentId: l.incident_id,
            linkedAt: Number(l.linked_at),
            linkedBy: l.linked_by,
          })),
        responseStart: r.response_start,
        responseStartSetByHand: Number(r.response_start_by_hand) === 1,
        createdAt: Number(r.created_at),
        createdBy: r.created_by,
        updatedAt: Number(r.updated_at),
        version: Number(r.version),
      }
    })
  }

  #toEvent(r: Selectable<ProblemEventTable>): ProblemEvent {
    return {
      problemId: r.problem_id,
      at: Number(r.at),
      actor: r.actor,
      kind: r.kind as ProblemEventKind,
      data: this.#d.readJson<Record<string, unknown>>(r.data),
      text: r.text,
    }
  }
}

function problemRow(p: Problem): Selectable<ProblemTable> {
  return {
    id: p.id,
    number: p.number ?? '',
    title: p.title,
    description: p.description,
    stage: p.stage,
    owner_kind: p.owner?.kind ?? null,
    owner_id: p.owner?.id ?? null,
    owner_name: p.owner?.name ?? null,
    origin: writeJson(p.origin),
    response_start: p.responseStart,
    response_start_by_hand: p.responseStartSetByHand ? 1 : 0,
    created_at: p.createdAt,
    created_by: p.createdBy,
    updated_at: p.updatedAt,
    version: p.version,
  }
}

/** Rows per insert: well under both databases' limits on bound parameters. */
const CHUNK = 300

/** Makes the stored places the problem's: adds the new ones, removes the dropped ones. */
async function syncPlaces(trx: Transaction<Database>, p: Problem): Promise<void> {
  const want = [
    ...p.blocks.map((place) => ({ problem_id: p.id, kind: 'block' as const, place })),
    ...p.cells.map((place) => ({ problem_id: p.id, kind: 'cell' as const, place })),
  ]
  const have = await trx
    .selectFrom('problem_place')
    .select(['kind', 'place'])
    .where('problem_id', '=', p.id)
    .execute()
  const key = (r: { kind: string; place: string }) => `${r.kind}|${r.place}`
  const wanted = new Set(want.map(key))
  const had = new Set(have.map(key))
  for (const gone of have.filter((r) => !wanted.has(key(r))))
    await trx
      .deleteFrom('problem_place')
      .where('problem_id', '=', p.id)
      .where('kind', '=', gone.kind)
      .where('place', '=', gone.place)
      .execute()
  const fresh = want.filter((r) => !had.has(key(r)))
  for (let i = 0; i < fresh.length; i += CHUNK)
    await trx
      .insertInto('problem_place')
      .values(fresh.slice(i, i + CHUNK))
      .execute()
}

/** Makes the stored links the problem's (the history says who linked and unlinked what). */
async function syncLinks(trx: Transaction<Database>, p: Problem): Promise<void> {
  const have = await trx
    .selectFrom('problem_incident')
    .select('incident_id')
    .where('problem_id', '=', p.id)
    .execute()
  const wanted = new Set(p.links.map((l) => l.incidentId))
  const had = new Set(have.map((r) => r.incident_id))
  const gone = [...had].filter((id) => !wanted.has(id))
  for (let i = 0; i < gone.length; i += CHUNK)
    await trx
      .deleteFrom('problem_incident')
      .where('problem_id', '=', p.id)
      .where('incident_id', 'in', gone.slice(i, i + CHUNK))
      .execute()
  const fresh = p.links
    .filter((l) => !had.has(l.incidentId))
    .map((l) => ({
      problem_id: p.id,
      incident_id: l.incidentId,
      linked_at: l.linkedAt,
      linked_by: l.linkedBy,
    }))
  for (let i = 0; i < fresh.length; i += CHUNK)
    await trx
      .insertInto('problem_incident')
      .values(fresh.slice(i, i + CHUNK))
      .execute()
}

async function appendEvents(
  trx: Transaction<Database>,
  events: readonly ProblemEvent[],
): Promise<void> {
  if (events.length === 0) return
  await trx
    .insertInto('problem_event')
    .values(
      events.map((e) => ({
        problem_id: e.problemId,
        at: e.at,
        actor: e.actor,
        kind: e.kind,
        data: writeJson(e.data),
        text: e.text,
      })),
    )
    .execute()
}
