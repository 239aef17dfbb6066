import type { Kysely } from 'kysely'
import type {
  AssignmentFact,
  CallOfferFact,
  IncidentCount,
  ReferralFact,
} from '../../domain/analytics/evaluation.js'
import type { UnitActivity, UnitStatusEvent } from '../../domain/dispatch/unit.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { CalibrationFacts, EvaluationStore } from '../ports.js'
import type { Database } from './database.js'

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** The evaluation's reads: each one an index range on its period (see migration 0013). */
export class KyselyEvaluationStore implements EvaluationStore {
  readonly #db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async incidentCounts(from: Instant, to: Instant): Promise<IncidentCount[]> {
    const rows = await this.#db
      .selectFrom('incident as i')
      .select(['i.channel', 'i.priority', 'i.mode'])
      .select((eb) =>
        eb
          .case()
          .when(
            eb.exists(
              eb
                .selectFrom('assignment as a')
                .select('a.id')
                .whereRef('a.incident_id', '=', 'i.id'),
            ),
          )
          .then(1)
          .else(0)
          .end()
          .as('dispatched'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('i.received_at', '>=', from)
      .where('i.received_at', '<', to)
      .groupBy(['i.channel', 'i.priority', 'i.mode', 'dispatched'])
      .execute()
    return rows.map((r) => ({
      channel: r.channel,
      priority: Number(r.priority),
      mode: r.mode,
      dispatched: Number(r.dispatched) === 1,
      n: Number(r.n),
    }))
  }

  async assignments(from: Instant, to: Instant): Promise<AssignmentFact[]> {
    const rows = await this.#db
      .selectFrom('assignment as a')
      .innerJoin('incident as i', 'i.id', 'a.incident_id')
      .select([
        'a.incident_id',
        'a.role',
        'a.assigned_at',
        'a.en_route_at',
        'a.on_scene_at',
        'a.cleared_at',
        'a.dual_dispatch_kind',
        'i.priority',
        'i.received_at',
      ])
      .where('i.received_at', '>=', from)
      .where('i.received_at', '<', to)
      .orderBy('a.assigned_at')
      .execute()
    const seen = new Set<string>()
    return rows.map((r) => {
      const firstPrimary = r.role === 'primary' && !seen.has(r.incident_id)
      if (firstPrimary) seen.add(r.incident_id)
      return {
        priority: Number(r.priority),
        role: r.role,
        receivedAt: Number(r.received_at),
        assignedAt: Number(r.assigned_at),
        enRouteAt: num(r.en_route_at),
        onSceneAt: num(r.on_scene_at),
        clearedAt: num(r.cleared_at),
        dualDispatch: r.dual_dispatch_kind !== null,
        firstPrimary,
      }
    })
  }

  async unitHistories(from: Instant, to: Instant): Promise<UnitStatusEvent[][]> {
    const before = await this.#db
      .selectFrom('unit_status_event')
      .selectAll()
      .where('seq', 'in', (eb) =>
        eb
          .selectFrom('unit_status_event')
          .select((e) => e.fn.max('seq').as('seq'))
          .where('at', '<', from)
          .groupBy('unit_id'),
      )
      .execute()
    const during = await this.#db
      .selectFrom('unit_status_event')
      .selectAll()
      .where('at', '>=', from)
      .where('at', '<', to)
      .orderBy('at')
      .orderBy('seq')
      .execute()
    const byUnit = new Map<string, UnitStatusEvent[]>()
    for (const r of [...before, ...during]) {
      const list = byUnit.get(r.unit_id) ?? []
      list.push({
        unitId: r.unit_id,
        from: r.from_activity as UnitActivity | null,
        to: r.to_activity as UnitActivity | null,
        assignmentId: r.assignment_id,
        at: Number(r.at),
        by: r.by,
      })
      byUnit.set(r.unit_id, list)
    }
    return [...byUnit.keys()].sort().map((k) => byUnit.get(k)!)
  }

  async referrals(from: Instant, to: Instant): Promise<ReferralFact[]> {
    const rows = await this.#db
      .selectFrom('referral')
      .select(['sent_at', 'due_at', 'acknowledged_at', 'closed_at'])
      .where('sent_at', '>=', from)
      .where('sent_at', '<', to)
      .orderBy('sent_at')
      .execute()
    return rows.map((r) => ({
      sentAt: Number(r.sent_at),
      dueAt: Number(r.due_at),
      acknowledgedAt: num(r.acknowledged_at),
      closedAt: num(r.closed_at),
    }))
  }

  async callOffers(from: Instant, to: Instant): Promise<CallOfferFact[]> {
    const rows = await this.#db
      .selectFrom('call_offer')
      .select(['offered_at', 'answered_at', 'abandoned_at'])
      .where('offered_at', '>=', from)
      .where('offered_at', '<', to)
      .orderBy('offered_at')
      .execute()
    return rows.map((r) => ({
      offeredAt: Number(r.offered_at),
      answeredAt: num(r.answered_at),
      abandonedAt: num(r.abandoned_at),
    }))
  }

  async calibrationFacts(from: Instant, to: Instant): Promise<CalibrationFacts> {
    // Contacts have no index on their time; calibration is an occasional read, so the scan
    // through the incident (indexed on received_at) keeps it to the period.
    const contacts = await this.#db
      .selectFrom('contact as c')
      .innerJoin('incident as i', 'i.id', 'c.incident_id')
      .select(['c.answered_at', 'c.ended_at'])
      .where('i.received_at', '>=', from)
      .where('i.received_at', '<', to)
      .where('c.channel', '=', 'phone_311')
      .where('c.answered_at', 'is not', null)
      .where('c.ended_at', 'is not', null)
      .execute()
    const incidents = await this.#db
      .selectFrom('incident')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.count<number>('duplicate_of').as('duplicates'),
      ])
      .where('received_at', '>=', from)
      .where('received_at', '<', to)
      .executeTakeFirst()
    const referrals = await this.#db
      .selectFrom('referral')
      .select(['sent_at', 'closed_at', 'outcome'])
      .where('closed_at', '>=', from)
      .where('closed_at', '<', to)
      .execute()
    const declined = referrals.filter((r) => r.outcome === 'declined')
    return {
      handleSeconds311: contacts.map((c) => (Number(c.ended_at) - Number(c.answered_at)) / 1000),
      incidents: {
        total: Number(incidents?.total ?? 0),
        duplicates: Number(incidents?.duplicates ?? 0),
      },
      referrals: {
        closed: referrals.length,
        returned: declined.length,
        returnHours: declined.map((r) => (Number(r.closed_at) - Number(r.sent_at)) / 3_600_000),
      },
    }
  }

  async recordOffer(offer: { id: string; line: string | null; offeredAt: Instant }) {
    await this.#db
      .insertInto('call_offer')
      .values({
        id: offer.id,
        line: offer.line,
        offered_at: offer.offeredAt,
        answered_at: null,
        answered_by: null,
        abandoned_at: null,
      })
      .execute()
  }

  async endOffer(
    id: string,
    end: { answeredAt: Instant; answeredBy: string } | { abandonedAt: Instant },
  ): Promise<boolean> {
    const result = await this.#db
      .updateTable('call_offer')
      .set(
        'answeredAt' in end
          ? { answered_at: end.answeredAt, answered_by: end.answeredBy }
          : { abandoned_at: end.abandonedAt },
      )
      .where('id', '=', id)
      .where('answered_at', 'is', null)
      .where('abandoned_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }
}
