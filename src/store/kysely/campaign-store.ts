import type { Kysely, Selectable } from 'kysely'
import {
  type Campaign,
  type CampaignEntry,
  type CampaignOutcome,
  type CampaignProgress,
  type CampaignSource,
  campaignProgress,
  type EntryState,
} from '../../domain/emergency/campaign.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { CampaignAttempt, CampaignStore } from '../ports.js'
import type { Database, Json } from './database.js'
import { type StoreDialect, writeJson } from './dialect.js'

/** The tables of migration 0016, kept beside their only reader. */
export interface CampaignTables {
  campaign: {
    id: string
    title: string
    source: Json
    activation_id: string | null
    script: string
    outcomes: Json
    max_attempts: number
    retry_after_ms: number
    status: string
    created_by: string
    created_at: Instant
    closed_at: Instant | null
  }
  campaign_entry: EntryTable
  campaign_attempt: {
    id: string
    campaign_id: string
    entry_id: string
    outcome: string
    note: string
    at: Instant
    by: string
    incident_id: string | null
  }
}

interface EntryTable {
  id: string
  campaign_id: string
  subject_kind: string
  subject_id: string
  incident_id: string | null
  rank: number
  state: string
  attempts: number
  last_outcome: string | null
  due_at: Instant
  claimed_by: string | null
  claimed_until: Instant | null
  updated_at: Instant
}

type Db = Kysely<Database & CampaignTables>

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

function entryRow(e: CampaignEntry): EntryTable {
  return {
    id: e.id,
    campaign_id: e.campaignId,
    subject_kind: e.subject.kind,
    subject_id: e.subject.kind === 'registrant' ? e.subject.registrantId : e.subject.callerId,
    incident_id: e.incidentId,
    rank: e.rank,
    state: e.state,
    attempts: e.attempts,
    last_outcome: e.lastOutcome,
    due_at: e.dueAt,
    claimed_by: e.claimedBy,
    claimed_until: e.claimedUntil,
    updated_at: e.updatedAt,
  }
}

function toEntry(r: Selectable<EntryTable>): CampaignEntry {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    subject:
      r.subject_kind === 'registrant'
        ? { kind: 'registrant', registrantId: r.subject_id }
        : { kind: 'caller', callerId: r.subject_id },
    incidentId: r.incident_id,
    rank: Number(r.rank),
    state: r.state as EntryState,
    attempts: Number(r.attempts),
    lastOutcome: r.last_outcome,
    dueAt: Number(r.due_at),
    claimedBy: r.claimed_by,
    claimedUntil: num(r.claimed_until),
    updatedAt: Number(r.updated_at),
  }
}

/** Entries are written in chunks that stay under SQLite's bound-variable limit. */
const ENTRY_CHUNK = 200

/** Outbound campaigns over Kysely (SQLite and PostgreSQL alike). */
export class KyselyCampaignStore implements CampaignStore {
  readonly #db: Db
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, d: StoreDialect) {
    this.#db = db as unknown as Db
    this.#d = d
  }

  #toCampaign(r: Selectable<CampaignTables['campaign']>): Campaign {
    return {
      id: r.id,
      title: r.title,
      source: this.#d.readJson<CampaignSource>(r.source),
      activationId: r.activation_id,
      script: r.script,
      outcomes: this.#d.readJson<CampaignOutcome[]>(r.outcomes),
      maxAttempts: Number(r.max_attempts),
      retryAfterMs: Number(r.retry_after_ms),
      status: r.status as Campaign['status'],
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
      closedAt: num(r.closed_at),
    }
  }

  async create(c: Campaign, entries: readonly CampaignEntry[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('campaign')
        .values({
          id: c.id,
          title: c.title,
          source: writeJson(c.source),
          activation_id: c.activationId,
          script: c.script,
          outcomes: writeJson(c.outcomes),
          max_attempts: c.maxAttempts,
          retry_after_ms: c.retryAfterMs,
          status: c.status,
          created_by: c.createdBy,
          created_at: c.createdAt,
          closed_at: c.closedAt,
        })
        .execute()
      for (let i = 0; i < entries.length; i += ENTRY_CHUNK)
        await trx
          .insertInto('campaign_entry')
          .values(entries.slice(i, i + ENTRY_CHUNK).map(entryRow))
          .execute()
    })
  }

  async get(id: string): Promise<Campaign | null> {
    const r = await this.#db
      .selectFrom('campaign')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? this.#toCampaign(r) : null
  }

  async list(filter: { activationId?: string; limit: number }): Promise<Campaign[]> {
    let q = this.#db.selectFrom('campaign').selectAll()
    if (filter.activationId) q = q.where('activation_id', '=', filter.activationId)
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).execute()
    return rows.map((r) => this.#toCampaign(r))
  }

  async progress(
    campaignIds: readonly string[],
    now: Instant,
  ): Promise<Map<string, CampaignProgress>> {
    const out = new Map<string, CampaignProgress>()
    for (const id of campaignIds) out.set(id, campaignProgress([], now))
    if (campaignIds.length === 0) return out
    // Grouped in the database: a city-wide list has thousands of people, the page needs a dozen
    // numbers. `held` counts the people on a call-taker's screen right now.
    const rows = await this.#db
      .selectFrom('campaign_entry')
      .select((eb) => [
        'campaign_id',
        'state',
        'last_outcome',
        eb.fn.countAll<number>().as('n'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(
                eb.and([
                  eb('state', '=', 'pending'),
                  eb('claimed_by', 'is not', null),
                  eb('claimed_until', '>', now),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as('held'),
      ])
      .where('campaign_id', 'in', [...campaignIds])
      .groupBy(['campaign_id', 'state', 'last_outcome'])
      .execute()
    for (const r of rows) {
      const p = out.get(r.campaign_id)
      if (!p) continue
      const n = Number(r.n)
      p.total += n
      p[r.state as EntryState] += n
      p.inProgress += Number(r.held ?? 0)
      if (r.last_outcome) p.byOutcome[r.last_outcome] = (p.byOutcome[r.last_outcome] ?? 0) + n
    }
    for (const p of out.values())
      p.completion = p.total ? (p.done + p.escalated + p.raised) / p.total : 0
    return out
  }

  async entries(campaignId: string): Promise<CampaignEntry[]> {
    const rows = await this.#db
      .selectFrom('campaign_entry')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('rank')
      .orderBy('due_at')
      .orderBy('id')
      .execute()
    return rows.map(toEntry)
  }

  async entry(id: string): Promise<CampaignEntry | null> {
    const r = await this.#db
      .selectFrom('campaign_entry')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? toEntry(r) : null
  }

  async claimNext(
    campaignId: string,
    actor: string,
    now: Instant,
    until: Instant,
  ): Promise<CampaignEntry | null> {
    // The person this call-taker already holds comes back first (a reload, a second tab).
    const mine = await this.#db
      .updateTable('campaign_entry')
      .set({ claimed_until: until })
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'pending')
      .where('claimed_by', '=', actor)
      .where('claimed_until', '>', now)
      .returningAll()
      .execute()
    if (mine[0]) return toEntry(mine[0])
    // Pick, then take only if still free: a second call-taker who picked the same person
    // updates nothing and picks again. Portable across both databases (no SKIP LOCKED).
    for (let tries = 0; tries < 8; tries++) {
      const candidate = await this.#db
        .selectFrom('campaign_entry')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .where('state', '=', 'pending')
        .where('due_at', '<=', now)
        .where((eb) =>
          eb.or([
            eb('claimed_by', 'is', null),
            eb('claimed_until', 'is', null),
            eb('claimed_until', '<=', now),
          ]),
        )
        .orderBy('rank')
        .orderBy('due_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
      if (!candidate) return null
      const taken = await this.#db
        .updateTable('campaign_entry')
        .set({ claimed_by: actor, claimed_until: until })
        .where('id', '=', candidate.id)
        .where('state', '=', 'pending')
        .where((eb) =>
          eb.or([
            eb('claimed_by', 'is', null),
            eb('claimed_until', 'is', null),
            eb('claimed_until', '<=', now),
          ]),
        )
        .returningAll()
        .execute()
      if (taken[0]) return toEntry(taken[0])
    }
    return null
  }

  async recordAttempt(
    entry: CampaignEntry,
    heldBy: string,
    attempt: CampaignAttempt,
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const { id: _id, campaign_id: _c, subject_kind: _k, subject_id: _s, ...row } = entryRow(entry)
      const r = await trx
        .updateTable('campaign_entry')
        .set(row)
        .where('id', '=', entry.id)
        .where('state', '=', 'pending')
        .where('claimed_by', '=', heldBy)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1)
        throw new ConflictError(
          'entry_not_held',
          'this person is no longer yours to call (your hold ran out); take the next call',
        )
      await trx
        .insertInto('campaign_attempt')
        .values({
          id: attempt.id,
          campaign_id: attempt.campaignId,
          entry_id: attempt.entryId,
          outcome: attempt.outcome,
          note: attempt.note,
          at: attempt.at,
          by: attempt.by,
          incident_id: attempt.incidentId,
        })
        .execute()
    })
  }

  async attempts(entryId: string): Promise<CampaignAttempt[]> {
    const rows = await this.#db
      .selectFrom('campaign_attempt')
      .selectAll()
      .where('entry_id', '=', entryId)
      .orderBy('at')
      .orderBy('id')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      campaignId: r.campaign_id,
      entryId: r.entry_id,
      outcome: r.outcome,
      note: r.note,
      at: Number(r.at),
      by: r.by,
      incidentId: r.incident_id,
    }))
  }

  async close(id: string, at: Instant): Promise<void> {
    await this.#db
      .updateTable('campaign')
      .set({ status: 'closed', closed_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute()
  }
}
