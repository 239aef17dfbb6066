import type { Kysely, Selectable } from 'kysely'
import type {
  CallbackOutcome,
  CallbackTask,
  Notification,
  NotificationChannel,
  Survey,
} from '../../domain/follow-up/follow-up.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { CallbackFilter, FollowUpStore } from '../ports.js'
import type { CallbackTaskTable, Database, NotificationTable, SurveyTable } from './database.js'

/** Callback tasks, the notification outbox and surveys over Kysely. */
export class KyselyFollowUpStore implements FollowUpStore {
  readonly #db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async addCallback(task: CallbackTask): Promise<void> {
    await this.#db.insertInto('callback_task').values(callbackRow(task)).execute()
  }

  async callback(id: string): Promise<CallbackTask | null> {
    const r = await this.#db
      .selectFrom('callback_task')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? toCallback(r) : null
  }

  async callbacks(filter: CallbackFilter): Promise<CallbackTask[]> {
    let q = this.#db.selectFrom('callback_task').selectAll()
    if (filter.status?.length) q = q.where('status', 'in', filter.status)
    if (filter.incidentId) q = q.where('incident_id', '=', filter.incidentId)
    const rows = await q.orderBy('due_at').orderBy('id').limit(filter.limit).execute()
    return rows.map(toCallback)
  }

  async updateCallback(task: CallbackTask, expectedVersion: number): Promise<void> {
    const r = await this.#db
      .updateTable('callback_task')
      .set(callbackRow(task))
      .where('id', '=', task.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1)
      throw new ConflictError(
        'stale_callback',
        'the callback was changed meanwhile; reload it and try again',
      )
  }

  async queue(
    notifications: readonly Notification[],
    surveys: ReadonlyArray<Survey & { tokenHash: string }>,
  ): Promise<void> {
    if (notifications.length === 0 && surveys.length === 0) return
    await this.#db.transaction().execute(async (trx) => {
      if (surveys.length > 0)
        await trx
          .insertInto('survey')
          .values(
            surveys.map((s) => ({
              id: s.id,
              token_hash: s.tokenHash,
              incident_id: s.incidentId,
              sent_at: s.sentAt,
              answered_at: null,
              score: null,
              resolved: null,
              comment: null,
            })),
          )
          .execute()
      if (notifications.length > 0)
        await trx.insertInto('notification').values(notifications.map(notificationRow)).execute()
    })
  }

  async dueNotifications(now: Instant, limit: number): Promise<Notification[]> {
    const rows = await this.#db
      .selectFrom('notification')
      .selectAll()
      .where('status', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute()
    return rows.map(toNotification)
  }

  async updateNotification(n: Notification): Promise<void> {
    await this.#db
      .updateTable('notification')
      .set(notificationRow(n))
      .where('id', '=', n.id)
      .execute()
  }

  async notificationsOf(incidentId: string): Promise<Notification[]> {
    const rows = await this.#db
      .selectFrom('notification')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .execute()
    return rows.map(toNotification)
  }

  async surveyByTokenHash(tokenHash: string): Promise<Survey | null> {
    const r = await this.#db
      .selectFrom('survey')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return r ? toSurvey(r) : null
  }

  async answerSurvey(s: Survey): Promise<boolean> {
    const r = await this.#db
      .updateTable('survey')
      .set({
        answered_at: s.answeredAt,
        score: s.score,
        resolved: s.resolved === null ? null : s.resolved ? 1 : 0,
        comment: s.comment,
      })
      .where('id', '=', s.id)
      .where('answered_at', 'is', null)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1
  }

  async surveys(from: Instant, to: Instant): Promise<Survey[]> {
    const rows = await this.#db
      .selectFrom('survey')
      .selectAll()
      .where('sent_at', '>=', from)
      .where('sent_at', '<', to)
      .execute()
    return rows.map(toSurvey)
  }
}

const instantOrNull = (v: number | null) => (v === null ? null : Number(v))

function callbackRow(t: CallbackTask): Selectable<CallbackTaskTable> {
  return {
    id: t.id,
    incident_id: t.incidentId,
    due_at: t.dueAt,
    reason: t.reason,
    status: t.status,
    outcome: t.outcome,
    note: t.note,
    created_at: t.createdAt,
    created_by: t.createdBy,
    done_at: t.doneAt,
    done_by: t.doneBy,
    version: t.version,
  }
}

function toCallback(r: Selectable<CallbackTaskTable>): CallbackTask {
  return {
    id: r.id,
    incidentId: r.incident_id,
    dueAt: Number(r.due_at),
    reason: r.reason,
    status: r.status as CallbackTask['status'],
    outcome: r.outcome as CallbackOutcome | null,
    note: r.note,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    doneAt: instantOrNull(r.done_at),
    doneBy: r.done_by,
    version: Number(r.version),
  }
}

function notificationRow(n: Notification): Selectable<NotificationTable> {
  return {
    id: n.id,
    incident_id: n.incidentId,
    caller_id: n.callerId,
    channel: n.channel,
    subject: n.subject,
    body: n.body,
    status: n.status,
    attempts: n.attempts,
    last_error: n.lastError,
    provider_id: n.providerId,
    created_at: n.createdAt,
    next_attempt_at: n.nextAttemptAt,
    sent_at: n.sentAt,
  }
}

function toNotification(r: Selectable<NotificationTable>): Notification {
  return {
    id: r.id,
    incidentId: r.incident_id,
    callerId: r.caller_id,
    channel: r.channel as NotificationChannel,
    subject: r.subject,
    body: r.body,
    status: r.status as Notification['status'],
    attempts: Number(r.attempts),
    lastError: r.last_error,
    providerId: r.provider_id,
    createdAt: Number(r.created_at),
    nextAttemptAt: instantOrNull(r.next_attempt_at),
    sentAt: instantOrNull(r.sent_at),
  }
}

function toSurvey(r: Selectable<SurveyTable>): Survey {
  return {
    id: r.id,
    incidentId: r.incident_id,
    sentAt: Number(r.sent_at),
    answeredAt: instantOrNull(r.answered_at),
    score: r.score === null ? null : Number(r.score),
    resolved: r.resolved === null ? null : Number(r.resolved) === 1,
    comment: r.comment,
  }
}
