import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import { rollupEventOf } from '../../domain/analytics/rollups.js'
import type { LocalTime } from '../../domain/analytics/trends.js'
import type { Channel, ResponseMode } from '../../domain/catalogue/vocabulary.js'
import { needsUnit, queuedSince } from '../../domain/dispatch/dispatch-queue.js'
import type { DuplicateCandidateRow } from '../../domain/incidents/duplicates.js'
import {
  type Caller,
  type Contact,
  type Disposition,
  formatReportNumber,
  type Incident,
  type IncidentEvent,
  type IncidentStatus,
  isOpen,
  needsReportNumber,
} from '../../domain/incidents/incident.js'
import type { OpenedIncident } from '../../domain/incidents/open-incident.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type {
  Created,
  Idempotency,
  IncidentFilter,
  IncidentStore,
  PublicRequestFilter,
  StoredMedia,
} from '../ports.js'
import type {
  CallerTable,
  ContactTable,
  Database,
  IncidentEventTable,
  IncidentTable,
} from './database.js'
import { type StoreDialect, writeJson, writeJsonOrNull } from './dialect.js'
import { GroupCommit } from './group-commit.js'
import { referralRow } from './referral-store.js'
import { addToRollups } from './rollup-store.js'

type CreateJob = { opened: OpenedIncident; idempotency: Idempotency | null }

/** Idempotency key reused with a different request. */
export class IdempotencyMismatchError extends ConflictError {
  constructor(key: string) {
    super(
      'idempotency_key_reused',
      `Idempotency-Key '${key}' was already used for a different request`,
    )
  }
}

/** Incidents, contacts, callers and history over Kysely, for SQLite and PostgreSQL. */
export class KyselyIncidentStore implements IncidentStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect
  readonly #creates: GroupCommit<CreateJob, Created<Incident>>

  readonly #local: LocalTime

  constructor(
    db: Kysely<Database>,
    dialect: StoreDialect,
    options: { maxBatch: number; local: LocalTime },
  ) {
    this.#local = options.local
    this.#db = db
    this.#d = dialect
    this.#creates = new GroupCommit((jobs) => this.#createMany(jobs), {
      maxBatch: options.maxBatch,
      maxConcurrent: dialect.concurrentWriteBatches,
    })
  }

  create(opened: OpenedIncident, idempotency: Idempotency | null): Promise<Created<Incident>> {
    return this.#creates.submit({ opened, idempotency })
  }

  /**
   * Writes a batch of new incidents in one transaction with multi-row inserts. An incident
   * whose idempotency key already exists (from before, or earlier in this same batch) is not
   * written again: the existing one is returned as a replay.
   */
  async #createMany(jobs: CreateJob[]): Promise<Array<Created<Incident> | Error>> {
    return this.#db.transaction().execute(async (trx) => {
      // Reports taken on the line get their numbers inside the same transaction, so a number is
      // never issued for an incident that was not saved. (A replayed create consumes a number
      // that is then never used: a gap, which report sequences tolerate.)
      const numbered = new Map<string, Incident>()
      for (const j of jobs) {
        const i = j.opened.incident
        if (!needsReportNumber(i)) continue
        const year = new Date(i.receivedAt).getUTCFullYear()
        const name = `report:${year}`
        await trx
          .insertInto('number_sequence')
          .values({ name, value: 0 })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute()
        const row = await trx
          .updateTable('number_sequence')
          .set((eb) => ({ value: eb('value', '+', 1) }))
          .where('name', '=', name)
          .returning('value')
          .executeTakeFirstOrThrow()
        numbered.set(i.id, { ...i, reportNumber: formatReportNumber(year, Number(row.value)) })
      }
      const final = (j: CreateJob) => numbered.get(j.opened.incident.id) ?? j.opened.incident
      const inserted = await trx
        .insertInto('incident')
        .values(jobs.map((j) => incidentRow(final(j), j.idempotency)))
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning(['id', 'seq'])
        .execute()
      const seqById = new Map(inserted.map((r) => [r.id, Number(r.seq)]))

      const fresh = jobs.filter((j) => seqById.has(j.opened.incident.id))
      const callers = fresh.flatMap((j) =>
        j.opened.caller ? [callerRow(j.opened.caller, j.opened.incident.createdAt)] : [],
      )
      if (callers.length > 0) await trx.insertInto('caller').values(callers).execute()
      if (fresh.length > 0) {
        await trx
          .insertInto('contact')
          .values(fresh.map((j) => contactRow(j.opened.contact, null)))
          .execute()
        await trx
          .insertInto('incident_event')
          .values(fresh.flatMap((j) => j.opened.events.map(eventRow)))
          .execute()
        const referrals = fresh.flatMap((j) =>
          j.opened.referral ? [referralRow(j.opened.referral)] : [],
        )
        if (referrals.length > 0) await trx.insertInto('referral').values(referrals).execute()
        await addToRollups(
          trx,
          fresh.map((j) => rollupEventOf(final(j))),
          this.#local,
        )
      }

      const replayKeys = jobs
        .filter((j) => !seqById.has(j.opened.incident.id))
        .map((j) => j.idempotency?.key)
        .filter((k): k is string => k !== undefined)
      const existing =
        replayKeys.length > 0
          ? await trx
              .selectFrom('incident')
              .selectAll()
              .where('idempotency_key', 'in', replayKeys)
              .execute()
          : []
      const existingByKey = new Map(existing.map((r) => [r.idempotency_key, r]))

      return jobs.map((j): Created<Incident> | Error => {
        const seq = seqById.get(j.opened.incident.id)
        if (seq !== undefined) return { value: { ...final(j), number: seq }, replayed: false }
        const key = j.idempotency?.key
        const row = key ? existingByKey.get(key) : undefined
        if (!key || !row) return new Error('incident was neither inserted nor found')
        if (row.request_hash !== j.idempotency?.hash) return new IdempotencyMismatchError(key)
        return { value: rowToIncident(row, this.#d), replayed: true }
      })
    })
  }

  async get(id: string): Promise<Incident | null> {
    const row = await this.#db
      .selectFrom('incident')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? rowToIncident(row, this.#d) : null
  }

  async list(f: IncidentFilter): Promise<Incident[]> {
    let q = this.#db.selectFrom('incident').selectAll()
    if (f.status?.length) q = q.where('status', 'in', f.status)
    if (f.callType) q = q.where('call_type', '=', f.callType)
    if (f.channel) q = q.where('channel', '=', f.channel)
    if (f.receivedFrom !== undefined) q = q.where('received_at', '>=', f.receivedFrom)
    if (f.receivedTo !== undefined) q = q.where('received_at', '<', f.receivedTo)
    if (f.idempotencyKey) q = q.where('idempotency_key', '=', f.idempotencyKey)
    if (f.block) q = q.where('block', '=', f.block)
    if (f.policeDistrict) q = q.where('police_district', '=', f.policeDistrict)
    if (f.neighborhood) q = q.where('neighborhood', '=', f.neighborhood)
    if (f.text) {
      // lower() on both sides: LIKE is case-insensitive on SQLite but not on PostgreSQL.
      const pattern = `%${f.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      q = q.where((eb) =>
        eb.or([
          eb(sql`lower(location_text)`, 'like', sql`${pattern} escape '\\'`),
          eb(sql`lower(narrative)`, 'like', sql`${pattern} escape '\\'`),
        ]),
      )
    }
    if (f.beforeNumber !== undefined) q = q.where('seq', '<', f.beforeNumber)
    const rows = await q.orderBy('seq', 'desc').limit(f.limit).execute()
    return rows.map((r) => rowToIncident(r, this.#d))
  }

  async byNumber(number: number): Promise<Incident | null> {
    const row = await this.#db
      .selectFrom('incident')
      .selectAll()
      .where('seq', '=', number)
      .executeTakeFirst()
    return row ? rowToIncident(row, this.#d) : null
  }

  async addMedia(m: StoredMedia): Promise<void> {
    await this.#db
      .insertInto('media')
      .values({
        id: m.id,
        incident_id: m.incidentId,
        content_type: m.contentType,
        size: m.size,
        bytes: m.bytes,
        created_at: m.createdAt,
      })
      .execute()
  }

  async mediaOf(incidentId: string): Promise<Array<Omit<StoredMedia, 'bytes'>>> {
    const rows = await this.#db
      .selectFrom('media')
      .select(['id', 'incident_id', 'content_type', 'size', 'created_at'])
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      contentType: r.content_type,
      size: Number(r.size),
      createdAt: Number(r.created_at),
    }))
  }

  async media(id: string): Promise<StoredMedia | null> {
    const r = await this.#db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst()
    return r
      ? {
          id: r.id,
          incidentId: r.incident_id,
          contentType: r.content_type,
          size: Number(r.size),
          bytes: new Uint8Array(r.bytes),
          createdAt: Number(r.created_at),
        }
      : null
  }

  async publicRequests(f: PublicRequestFilter): Promise<Incident[]> {
    if (f.callTypes.length === 0) return []
    let q = this.#db
      .selectFrom('incident')
      .selectAll()
      .where('call_type', 'in', f.callTypes)
      .where('status', '!=', 'transferred')
    if (f.excludeModes.length) q = q.where('mode', 'not in', f.excludeModes)
    if (f.numbers) {
      if (f.numbers.length === 0) return []
      q = q.where('seq', 'in', f.numbers)
    }
    if (f.statuses?.length) q = q.where('status', 'in', f.statuses)
    if (f.requestedFrom !== undefined) q = q.where('received_at', '>=', f.requestedFrom)
    if (f.requestedTo !== undefined) q = q.where('received_at', '<=', f.requestedTo)
    if (f.updatedFrom !== undefined) q = q.where('updated_at', '>=', f.updatedFrom)
    if (f.updatedTo !== undefined) q = q.where('updated_at', '<=', f.updatedTo)
    const rows = await q
      .orderBy('received_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute()
    return rows.map((r) => rowToIncident(r, this.#d))
  }

  async update(incident: Incident, expectedVersion: number, event: IncidentEvent): Promise<void> {
    await this.#db
      .transaction()
      .execute((trx) => saveIncidentChange(trx, incident, expectedVersion, event))
  }

  async linkContact(
    contact: Contact,
    caller: Caller | null,
    event: IncidentEvent,
    idempotency: Idempotency | null,
  ): Promise<Created<Contact>> {
    return this.#db.transaction().execute(async (trx) => {
      if (idempotency) {
        const prior = await trx
          .selectFrom('contact')
          .selectAll()
          .where('idempotency_key', '=', idempotency.key)
          .executeTakeFirst()
        if (prior) {
          if (prior.request_hash !== idempotency.hash)
            throw new IdempotencyMismatchError(idempotency.key)
          return { value: rowToContact(prior), replayed: true }
        }
      }
      if (caller)
        await trx.insertInto('caller').values(callerRow(caller, contact.createdAt)).execute()
      await trx.insertInto('contact').values(contactRow(contact, idempotency)).execute()
      await trx.insertInto('incident_event').values(eventRow(event)).execute()
      return { value: contact, replayed: false }
    })
  }

  async contacts(incidentId: string): Promise<Contact[]> {
    const rows = await this.#db
      .selectFrom('contact')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('received_at')
      .orderBy('id')
      .execute()
    return rows.map(rowToContact)
  }

  async callers(ids: ReadonlyArray<string | null>): Promise<Array<Caller | null>> {
    const wanted = ids.filter((x): x is string => x !== null)
    if (wanted.length === 0) return ids.map(() => null)
    const rows = await this.#db.selectFrom('caller').selectAll().where('id', 'in', wanted).execute()
    const byId = new Map(rows.map((r) => [r.id, rowToCaller(r, this.#d)]))
    return ids.map((id) => (id ? (byId.get(id) ?? null) : null))
  }

  async events(incidentId: string): Promise<IncidentEvent[]> {
    const rows = await this.#db
      .selectFrom('incident_event')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('seq')
      .execute()
    return rows.map((r) => rowToEvent(r, this.#d))
  }

  async duplicateCandidates(
    family: string,
    cells: readonly string[],
    since: Instant,
  ): Promise<DuplicateCandidateRow[]> {
    if (cells.length === 0) return []
    const rows = await this.#db
      .selectFrom('incident as i')
      .select((eb) => [
        'i.id',
        'i.seq',
        'i.call_type',
        'i.family',
        'i.status',
        'i.priority',
        'i.mode',
        'i.received_at',
        'i.lat',
        'i.lon',
        'i.block',
        'i.location_text',
        eb
          .selectFrom('contact as c')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('c.incident_id', '=', 'i.id')
          .as('contact_count'),
      ])
      // `is_open = 1` literally, so SQLite can use the partial index.
      .where('i.is_open', '=', 1)
      .where('i.family', '=', family)
      .where('i.h3', 'in', [...cells])
      .where('i.received_at', '>=', since)
      .limit(200)
      .execute()
    return rows.map((r) => ({
      id: r.id,
      number: Number(r.seq),
      callType: r.call_type,
      family: r.family,
      status: r.status,
      priority: r.priority,
      mode: r.mode,
      receivedAt: Number(r.received_at),
      lat: r.lat,
      lon: r.lon,
      block: r.block,
      locationText: r.location_text ?? '',
      contactCount: Number(r.contact_count ?? 0),
    }))
  }

  async count(): Promise<number> {
    const r = await this.#db
      .selectFrom('incident')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }
}

/**
 * Saves a changed incident and its history entry inside a caller's transaction, if nobody
 * changed it since `expectedVersion`; other stores use it to change an incident together with
 * their own rows (a unit's assignment, a referral's closure).
 */
export async function saveIncidentChange(
  trx: Transaction<Database>,
  incident: Incident,
  expectedVersion: number,
  event: IncidentEvent,
): Promise<void> {
  const { idempotency_key: _k, request_hash: _h, ...row } = incidentRow(incident, null)
  const result = await trx
    .updateTable('incident')
    .set(row)
    .where('id', '=', incident.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) {
    throw new ConflictError(
      'stale_incident',
      'the incident was changed by someone else; reload it and try again',
    )
  }
  await trx.insertInto('incident_event').values(eventRow(event)).execute()
}

function incidentRow(i: Incident, idem: Idempotency | null): Insertable<IncidentTable> {
  return {
    id: i.id,
    call_type: i.callType,
    family: i.family,
    priority: i.priority,
    mode: i.mode,
    referral: i.referral,
    status: i.status,
    is_open: isOpen(i.status) ? 1 : 0,
    disposition: i.disposition,
    location_text: i.location?.text ?? null,
    lat: i.location?.lat ?? null,
    lon: i.location?.lon ?? null,
    h3: i.location?.h3 ?? null,
    block: i.location?.block ?? null,
    segment_id: i.location?.segmentId ?? null,
    police_district: i.location?.policeDistrict ?? null,
    beat: i.location?.beat ?? null,
    neighborhood: i.location?.neighborhood ?? null,
    narrative: i.narrative,
    answers: writeJson(i.answers),
    triage: writeJson(i.triage),
    override: writeJsonOrNull(i.override),
    channel: i.channel,
    received_at: i.receivedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    created_by: i.createdBy,
    duplicate_of: i.duplicateOf,
    eido: writeJsonOrNull(i.eido),
    report_number: i.reportNumber,
    due_at: i.dueAt,
    // The dispatch queue's columns, derived from the domain's own rules on every save, so the
    // queue is read from an index with no rule written in SQL.
    queue_at: queuedSince(i),
    awaits_unit: i.status === 'pending' && needsUnit(i.mode) ? 1 : 0,
    version: i.version,
    idempotency_key: idem?.key ?? null,
    request_hash: idem?.hash ?? null,
  }
}

export function rowToIncident(r: Selectable<IncidentTable>, d: StoreDialect): Incident {
  const hasLocation = r.location_text !== null || r.lat !== null
  return {
    id: r.id,
    number: Number(r.seq),
    callType: r.call_type,
    family: r.family,
    priority: r.priority,
    mode: r.mode as ResponseMode,
    referral: r.referral,
    status: r.status as IncidentStatus,
    disposition: r.disposition as Disposition | null,
    location: hasLocation
      ? {
          text: r.location_text ?? '',
          lat: r.lat,
          lon: r.lon,
          h3: r.h3,
          block: r.block,
          segmentId: r.segment_id,
          policeDistrict: r.police_district,
          beat: r.beat,
          neighborhood: r.neighborhood,
        }
      : null,
    narrative: r.narrative,
    answers: d.readJson(r.answers),
    triage: d.readJson(r.triage),
    override: r.override === null ? null : d.readJson(r.override),
    channel: r.channel as Channel,
    receivedAt: Number(r.received_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    createdBy: r.created_by,
    duplicateOf: r.duplicate_of,
    eido: r.eido === null ? null : d.readJson(r.eido),
    reportNumber: r.report_number,
    dueAt: r.due_at === null ? null : Number(r.due_at),
    version: r.version,
  }
}

function contactRow(c: Contact, idem: Idempotency | null): Insertable<ContactTable> {
  return {
    id: c.id,
    incident_id: c.incidentId,
    channel: c.channel,
    received_at: c.receivedAt,
    answered_at: c.answeredAt,
    ended_at: c.endedAt,
    taken_by: c.takenBy,
    anonymous: c.anonymous ? 1 : 0,
    caller_id: c.callerId,
    created_at: c.createdAt,
    idempotency_key: idem?.key ?? null,
    request_hash: idem?.hash ?? null,
  }
}

function rowToContact(r: Selectable<ContactTable>): Contact {
  return {
    id: r.id,
    incidentId: r.incident_id,
    channel: r.channel as Channel,
    receivedAt: Number(r.received_at),
    answeredAt: r.answered_at === null ? null : Number(r.answered_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    takenBy: r.taken_by,
    anonymous: r.anonymous === 1,
    callerId: r.caller_id,
    createdAt: Number(r.created_at),
  }
}

function callerRow(c: Caller, at: Instant): Insertable<CallerTable> {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    email: c.email,
    callback_consent: c.callbackConsent ? 1 : 0,
    ani: c.ani,
    ali: writeJsonOrNull(c.ali),
    created_at: at,
  }
}

function rowToCaller(r: Selectable<CallerTable>, d: StoreDialect): Caller {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    callbackConsent: r.callback_consent === 1,
    ani: r.ani,
    ali: r.ali === null ? null : d.readJson(r.ali),
  }
}

export function eventRow(e: IncidentEvent): Insertable<IncidentEventTable> {
  return {
    incident_id: e.incidentId,
    at: e.at,
    actor: e.actor,
    kind: e.kind,
    data: writeJson(e.data),
    reason: e.reason,
  }
}

function rowToEvent(r: Selectable<IncidentEventTable>, d: StoreDialect): IncidentEvent {
  return {
    incidentId: r.incident_id,
    at: Number(r.at),
    actor: r.actor,
    kind: r.kind as IncidentEvent['kind'],
    data: d.readJson(r.data),
    reason: r.reason,
  }
}
