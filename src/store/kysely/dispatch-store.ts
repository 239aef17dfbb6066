import type { Insertable, Kysely, Selectable } from 'kysely'
import type { ResponseMode } from '../../domain/catalogue/vocabulary.js'
import type { Assignment, DispatchChange } from '../../domain/dispatch/assignment.js'
import type { AssignmentRole, DualDispatchKind } from '../../domain/dispatch/dispatch-guard.js'
import type { QueuedIncident } from '../../domain/dispatch/dispatch-queue.js'
import type { Disposition } from '../../domain/incidents/incident.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { DispatchCounts, DispatchRefusal, DispatchStore, QueueSlice } from '../ports.js'
import type { AssignmentTable, Database } from './database.js'
import type { StoreDialect } from './dialect.js'
import { saveIncidentChange } from './incident-store.js'
import { saveUnitChange } from './unit-store.js'

/** Assignments, the dispatch queue and refused dispatches over Kysely. */
export class KyselyDispatchStore implements DispatchStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, d: StoreDialect) {
    this.#db = db
    this.#d = d
  }

  async queue(now: Instant, limits: { due: number; held: number }): Promise<QueueSlice> {
    const waiting = this.#db.selectFrom('incident').where('awaits_unit', '=', 1)
    const columns = [
      'id',
      'seq',
      'call_type',
      'priority',
      'mode',
      'received_at',
      'due_at',
      'police_district',
      'beat',
      'lat',
      'lon',
    ] as const
    // Three reads; PostgreSQL runs them on separate connections at once.
    const [dueRows, heldRows, counts] = await Promise.all([
      waiting
        .select(columns)
        .where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '<=', now)]))
        .orderBy('priority')
        .orderBy('queue_at')
        .orderBy('seq')
        .limit(limits.due)
        .execute(),
      waiting
        .select(columns)
        .where('due_at', '>', now)
        .orderBy('due_at')
        .orderBy('seq')
        .limit(limits.held)
        .execute(),
      waiting
        .select((eb) => [
          eb.fn.countAll<number>().as('all'),
          eb.fn.count<number>('due_at').filterWhere('due_at', '>', now).as('held'),
        ])
        .executeTakeFirstOrThrow(),
    ])
    const heldTotal = Number(counts.held ?? 0)
    return {
      due: dueRows.map(toQueued),
      dueTotal: Number(counts.all) - heldTotal,
      held: heldRows.map(toQueued),
      heldTotal,
    }
  }

  async assignment(id: string): Promise<Assignment | null> {
    const r = await this.#db
      .selectFrom('assignment')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? toAssignment(r) : null
  }

  async assignmentsOf(incidentId: string): Promise<Assignment[]> {
    const rows = await this.#db
      .selectFrom('assignment')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('assigned_at')
      .orderBy('id')
      .execute()
    return rows.map(toAssignment)
  }

  async activeAssignments(): Promise<Assignment[]> {
    const rows = await this.#db
      .selectFrom('assignment')
      .selectAll()
      .where('active', '=', 1)
      .orderBy('assigned_at')
      .execute()
    return rows.map(toAssignment)
  }

  async saveDispatch(
    change: DispatchChange,
    expected: { assignment: number | null; unit: number; incident: number | null },
  ): Promise<void> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        const row = assignmentRow(change.assignment)
        if (expected.assignment === null) {
          await trx.insertInto('assignment').values(row).execute()
        } else {
          const r = await trx
            .updateTable('assignment')
            .set(row)
            .where('id', '=', row.id)
            .where('version', '=', expected.assignment)
            .executeTakeFirst()
          if (Number(r.numUpdatedRows) !== 1)
            throw new ConflictError(
              'stale_assignment',
              `the assignment of unit ${change.assignment.callSign} was changed meanwhile; reload and try again`,
            )
        }
        await saveUnitChange(trx, change.unit, expected.unit, change.unitEvent)
        if (change.incident && expected.incident !== null)
          await saveIncidentChange(
            trx,
            change.incident.incident,
            expected.incident,
            change.incident.event,
          )
      })
    } catch (err) {
      // Two dispatchers assigned a primary unit to the same incident at the same moment: the
      // unique index kept the first; the second hears what the guard would have said.
      if (this.#d.isUniqueViolation(err))
        throw new ConflictError(
          'already_dispatched',
          'another unit was assigned to this incident a moment ago; send this one as backup',
        )
      throw err
    }
  }

  async recordRefusal(refusal: DispatchRefusal): Promise<void> {
    await this.#db
      .insertInto('dispatch_refusal')
      .values({
        incident_id: refusal.incidentId,
        unit_id: refusal.unitId,
        code: refusal.code,
        at: refusal.at,
        by: refusal.by,
      })
      .execute()
  }

  async counts(from: Instant, to: Instant): Promise<DispatchCounts> {
    const assigned = await this.#db
      .selectFrom('assignment')
      .select(['role', 'dual_dispatch_kind'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assigned_at', '>=', from)
      .where('assigned_at', '<', to)
      .groupBy(['role', 'dual_dispatch_kind'])
      .execute()
    const refused = await this.#db
      .selectFrom('dispatch_refusal')
      .select('code')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('at', '>=', from)
      .where('at', '<', to)
      .groupBy('code')
      .execute()
    const counts: DispatchCounts = {
      assignments: 0,
      primary: 0,
      backup: 0,
      dualDispatches: { duplicate: 0, referred: 0 },
      refused: {},
    }
    for (const r of assigned) {
      const n = Number(r.n)
      counts.assignments += n
      counts[r.role as AssignmentRole] += n
      if (r.dual_dispatch_kind) counts.dualDispatches[r.dual_dispatch_kind as DualDispatchKind] += n
    }
    for (const r of refused) counts.refused[r.code] = Number(r.n)
    return counts
  }
}

function toQueued(r: {
  id: string
  seq: number
  call_type: string
  priority: number
  mode: string
  received_at: number
  police_district: string | null
  beat: string | null
  lat: number | null
  lon: number | null
  due_at: number | null
}): QueuedIncident {
  return {
    incidentId: r.id,
    number: Number(r.seq),
    callType: r.call_type,
    priority: Number(r.priority),
    mode: r.mode as ResponseMode,
    receivedAt: Number(r.received_at),
    dueAt: r.due_at === null ? null : Number(r.due_at),
    district: r.police_district,
    beat: r.beat,
    point: r.lat !== null && r.lon !== null ? { lat: Number(r.lat), lon: Number(r.lon) } : null,
  }
}

function assignmentRow(a: Assignment): Insertable<AssignmentTable> & { id: string } {
  return {
    id: a.id,
    incident_id: a.incidentId,
    incident_number: a.incidentNumber,
    unit_id: a.unitId,
    call_sign: a.callSign,
    role: a.role,
    dual_dispatch_kind: a.dualDispatch?.kind ?? null,
    dual_dispatch_reason: a.dualDispatch?.reason ?? null,
    assigned_at: a.assignedAt,
    assigned_by: a.assignedBy,
    en_route_at: a.enRouteAt,
    on_scene_at: a.onSceneAt,
    cleared_at: a.clearedAt,
    cleared_by: a.clearedBy,
    disposition: a.disposition,
    recall_reason: a.recallReason,
    active: a.active ? 1 : 0,
    version: a.version,
  }
}

const instantOrNull = (v: number | null) => (v === null ? null : Number(v))

function toAssignment(r: Selectable<AssignmentTable>): Assignment {
  return {
    id: r.id,
    incidentId: r.incident_id,
    incidentNumber: r.incident_number === null ? null : Number(r.incident_number),
    unitId: r.unit_id,
    callSign: r.call_sign,
    role: r.role as AssignmentRole,
    dualDispatch: r.dual_dispatch_kind
      ? { kind: r.dual_dispatch_kind as DualDispatchKind, reason: r.dual_dispatch_reason ?? '' }
      : null,
    assignedAt: Number(r.assigned_at),
    assignedBy: r.assigned_by,
    enRouteAt: instantOrNull(r.en_route_at),
    onSceneAt: instantOrNull(r.on_scene_at),
    clearedAt: instantOrNull(r.cleared_at),
    clearedBy: r.cleared_by,
    disposition: r.disposition as Disposition | null,
    recallReason: r.recall_reason,
    active: Number(r.active) === 1,
    version: Number(r.version),
  }
}
