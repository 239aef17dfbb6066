import type { Actor } from '../../domain/access/roles.js'
import {
  afterAttempt,
  answerSurvey,
  type CallbackOutcome,
  type CallbackTask,
  closureMessage,
  completeCallback,
  createCallback,
  type Notification,
  type Survey,
  type SurveySummary,
  summarizeSurveys,
} from '../../domain/follow-up/follow-up.js'
import { formatIncidentNumber, type Incident } from '../../domain/incidents/incident.js'
import { ConflictError, NotFoundError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import { hashSecret, newSecret } from '../accounts/secrets.js'
import type { AppDeps } from '../deps.js'

/**
 * Tells the callers who asked to hear that their incident is closed, with a survey link. The
 * messages go into the outbox first (durable), then out; a failed send is retried by the sweep.
 * Returns how many messages were queued.
 */
export async function notifyClosure(
  deps: AppDeps,
  incident: Incident,
  outcome: string,
): Promise<number> {
  const contacts = await deps.store.incidents.contacts(incident.id)
  const callers = await deps.store.incidents.callers(contacts.map((c) => c.callerId))
  const callType = await deps.catalogue.callType(incident.callType).catch(() => null)
  const number = formatIncidentNumber(incident.number) ?? 'your report'
  const now = deps.clock.now()
  const notifications: Notification[] = []
  const surveys: Array<Survey & { tokenHash: string }> = []
  const seen = new Set<string>()
  for (const caller of callers) {
    if (!caller?.callbackConsent || seen.has(caller.id)) continue
    seen.add(caller.id)
    const channel =
      caller.email && deps.senders.email ? 'email' : caller.phone && deps.senders.sms ? 'sms' : null
    if (!channel) continue
    const token = newSecret()
    const survey: Survey & { tokenHash: string } = {
      id: deps.ids.next(),
      tokenHash: hashSecret(token),
      incidentId: incident.id,
      sentAt: now,
      answeredAt: null,
      score: null,
      resolved: null,
      comment: null,
    }
    surveys.push(survey)
    const message = closureMessage({
      incidentNumber: number,
      callTypeName: callType?.name ?? incident.callType,
      outcome,
      surveyUrl: `${deps.config.PUBLIC_URL.replace(/\/$/, '')}/#/survey/${token}`,
      agencyName: deps.config.AGENCY_NAME,
    })
    notifications.push({
      id: deps.ids.next(),
      incidentId: incident.id,
      callerId: caller.id,
      channel,
      ...message,
      status: 'queued',
      attempts: 0,
      lastError: null,
      providerId: null,
      createdAt: now,
      nextAttemptAt: now,
      sentAt: null,
    })
  }
  await deps.store.followUp.queue(notifications, surveys)
  if (notifications.length > 0) {
    // Sent after the request's own work; the sweep catches anything this misses.
    void deliverDue(deps).catch((err) =>
      deps.log.error({ err: (err as Error).message }, 'notification delivery failed'),
    )
  }
  return notifications.length
}

const running = new WeakMap<AppDeps, Promise<DeliveryTally>>()

export interface DeliveryTally {
  sent: number
  retrying: number
  failed: number
}

/**
 * Sends every queued message that is due. One run at a time per process, so a message is
 * not sent twice by overlapping sweeps.
 */
export function deliverDue(deps: AppDeps): Promise<DeliveryTally> {
  let run = running.get(deps)
  if (!run) {
    run = deliver(deps).finally(() => running.delete(deps))
    running.set(deps, run)
  }
  return run
}

async function deliver(deps: AppDeps): Promise<DeliveryTally> {
  const tally: DeliveryTally = { sent: 0, retrying: 0, failed: 0 }
  const due = await deps.store.followUp.dueNotifications(deps.clock.now(), 100)
  for (const n of due) {
    const [caller] = await deps.store.incidents.callers([n.callerId])
    const sender = n.channel === 'email' ? deps.senders.email : deps.senders.sms
    const to = n.channel === 'email' ? caller?.email : caller?.phone
    const result =
      sender && to
        ? await sender.send({
            channel: n.channel,
            to,
            subject: n.subject,
            body: n.body,
            reference: n.id,
          })
        : ({ ok: false, retryable: false, error: `no ${n.channel} address or sender` } as const)
    const next = afterAttempt(n, result, deps.clock.now())
    await deps.store.followUp.updateNotification(next)
    tally[next.status === 'sent' ? 'sent' : next.status === 'failed' ? 'failed' : 'retrying']++
    // The log names the message and incident, never the address or the text.
    deps.log.info(
      { notificationId: n.id, incidentId: n.incidentId, channel: n.channel, status: next.status },
      'caller notification attempt',
    )
  }
  return tally
}

export function notificationsOf(deps: AppDeps, incidentId: string): Promise<Notification[]> {
  return deps.store.followUp.notificationsOf(incidentId)
}

export async function addCallback(
  deps: AppDeps,
  actor: Actor,
  incidentId: string,
  input: { dueAt: Instant; reason: string },
): Promise<CallbackTask> {
  const incident = await deps.store.incidents.get(incidentId)
  if (!incident) throw new NotFoundError('incident', incidentId)
  const task = createCallback({
    id: deps.ids.next(),
    incidentId,
    dueAt: input.dueAt,
    reason: input.reason,
    actor: actor.id,
    now: deps.clock.now(),
  })
  await deps.store.followUp.addCallback(task)
  return task
}

export async function listCallbacks(
  deps: AppDeps,
  filter: { status?: Array<CallbackTask['status']>; limit: number },
): Promise<Array<{ task: CallbackTask; incidentNumber: string | null; overdue: boolean }>> {
  const tasks = await deps.store.followUp.callbacks(filter)
  const now = deps.clock.now()
  const incidents = await Promise.all(tasks.map((t) => deps.store.incidents.get(t.incidentId)))
  return tasks.map((task, i) => ({
    task,
    incidentNumber: formatIncidentNumber(incidents[i]?.number ?? null),
    overdue: task.status === 'open' && task.dueAt < now,
  }))
}

export async function finishCallback(
  deps: AppDeps,
  actor: Actor,
  id: string,
  outcome: CallbackOutcome,
  note: string | undefined,
): Promise<CallbackTask> {
  const task = await deps.store.followUp.callback(id)
  if (!task) throw new NotFoundError('callback', id)
  const done = completeCallback(task, outcome, note, actor.id, deps.clock.now())
  await deps.store.followUp.updateCallback(done, task.version)
  return done
}

async function surveyFor(deps: AppDeps, token: string): Promise<Survey> {
  const survey = await deps.store.followUp.surveyByTokenHash(hashSecret(token))
  // The same answer for a wrong token and a missing survey: the link is the only key.
  if (!survey) throw new NotFoundError('survey', 'this link')
  return survey
}

/** What the public survey page shows: the incident number and type, nothing else. */
export async function surveyQuestion(
  deps: AppDeps,
  token: string,
): Promise<{ incidentNumber: string | null; callType: string; answered: boolean }> {
  const survey = await surveyFor(deps, token)
  const incident = await deps.store.incidents.get(survey.incidentId)
  const callType = incident
    ? await deps.catalogue.callType(incident.callType).catch(() => null)
    : null
  return {
    incidentNumber: formatIncidentNumber(incident?.number ?? null),
    callType: callType?.name ?? incident?.callType ?? '',
    answered: survey.answeredAt !== null,
  }
}

export async function submitSurvey(
  deps: AppDeps,
  token: string,
  answer: { score: number; resolved: boolean; comment?: string },
): Promise<void> {
  const survey = await surveyFor(deps, token)
  const answered = answerSurvey(survey, answer, deps.clock.now())
  if (!(await deps.store.followUp.answerSurvey(answered))) {
    throw new ConflictError('survey_answered', 'this survey has already been answered; thank you')
  }
}

export async function surveyResults(
  deps: AppDeps,
  from: Instant,
  to: Instant,
): Promise<SurveySummary> {
  return summarizeSurveys(await deps.store.followUp.surveys(from, to))
}
