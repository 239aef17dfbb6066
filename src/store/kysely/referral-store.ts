import type { Kysely, Selectable } from 'kysely'
import type { Incident, IncidentEvent } from '../../domain/incidents/incident.js'
import type { Referral, ReferralOutcome, ReferralStatus } from '../../domain/referrals/referral.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { ReferralFilter, ReferralStore } from '../ports.js'
import type { Database, ReferralTable } from './database.js'
import type { StoreDialect } from './dialect.js'
import { eventRow, saveIncidentChange } from './incident-store.js'

/** Referrals to agencies and Neighborhood Service Centers over Kysely. */
export class KyselyReferralStore implements ReferralStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, d: StoreDialect) {
    this.#db = db
    this.#d = d
  }

  async save(
    referral: Referral,
    expectedVersion: number | null,
    event: IncidentEvent,
    incident: { incident: Incident; expectedVersion: number } | null,
  ): Promise<void> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        const row = referralRow(referral)
        if (expectedVersion === null) {
          await trx.insertInto('referral').values(row).execute()
        } else {
          const r = await trx
            .updateTable('referral')
            .set(row)
            .where('id', '=', referral.id)
            .where('version', '=', expectedVersion)
            .executeTakeFirst()
          if (Number(r.numUpdatedRows) !== 1)
            throw new ConflictError(
              'stale_referral',
              'the referral was changed meanwhile; reload it and try again',
            )
        }
        if (incident)
          await saveIncidentChange(trx, incident.incident, incident.expectedVersion, event)
        else await trx.insertInto('incident_event').values(eventRow(event)).execute()
      })
    } catch (err) {
      if (this.#d.isUniqueViolation(err))
        throw new ConflictError(
          'already_referred',
          'the incident already has an open referral; close it before referring again',
        )
      throw err
    }
  }

  async referral(id: string): Promise<Referral | null> {
    const r = await this.#db
      .selectFrom('referral')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? toReferral(r) : null
  }

  async openFor(incidentId: string): Promise<Referral | null> {
    const r = await this.#db
      .selectFrom('referral')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('status', '!=', 'closed')
      .executeTakeFirst()
    return r ? toReferral(r) : null
  }

  async of(incidentId: string): Promise<Referral[]> {
    const rows = await this.#db
      .selectFrom('referral')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('sent_at')
      .execute()
    return rows.map(toReferral)
  }

  async list(filter: ReferralFilter): Promise<Referral[]> {
    let q = this.#db.selectFrom('referral').selectAll()
    if (filter.agency) q = q.where('agency', '=', filter.agency)
    if (filter.status?.length) q = q.where('status', 'in', filter.status)
    if (filter.overdueAt !== undefined)
      q = q.where('status', '!=', 'closed').where('due_at', '<', filter.overdueAt)
    const rows = await q.orderBy('due_at').orderBy('id').limit(filter.limit).execute()
    return rows.map(toReferral)
  }

  async pastDue(now: Instant): Promise<Referral[]> {
    const rows = await this.#db
      .selectFrom('referral')
      .selectAll()
      .where('status', '!=', 'closed')
      .where('due_at', '<', now)
      .orderBy('due_at')
      .execute()
    return rows.map(toReferral)
  }
}

export function referralRow(r: Referral): Selectable<ReferralTable> {
  return {
    id: r.id,
    incident_id: r.incidentId,
    agency: r.agency,
    status: r.status,
    sent_at: r.sentAt,
    sent_by: r.sentBy,
    due_at: r.dueAt,
    acknowledged_at: r.acknowledgedAt,
    acknowledged_by: r.acknowledgedBy,
    escalations: r.escalations,
    last_escalated_at: r.lastEscalatedAt,
    closed_at: r.closedAt,
    closed_by: r.closedBy,
    outcome: r.outcome,
    outcome_note: r.outcomeNote,
    version: r.version,
  }
}

const instantOrNull = (v: number | null) => (v === null ? null : Number(v))

function toReferral(r: Selectable<ReferralTable>): Referral {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agency: r.agency,
    status: r.status as ReferralStatus,
    sentAt: Number(r.sent_at),
    sentBy: r.sent_by,
    dueAt: Number(r.due_at),
    acknowledgedAt: instantOrNull(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    escalations: Number(r.escalations),
    lastEscalatedAt: instantOrNull(r.last_escalated_at),
    closedAt: instantOrNull(r.closed_at),
    closedBy: r.closed_by,
    outcome: r.outcome as ReferralOutcome | null,
    outcomeNote: r.outcome_note,
    version: Number(r.version),
  }
}
