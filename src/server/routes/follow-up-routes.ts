import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../../app/deps.js'
import {
  addCallback,
  finishCallback,
  listCallbacks,
  notificationsOf,
  submitSurvey,
  surveyQuestion,
  surveyResults,
} from '../../app/follow-up/follow-up.js'
import { idParam, periodQuery } from '../../contract/dispatch.js'
import { instantIn } from '../../contract/wire.js'
import { CALLBACK_OUTCOMES, type CallbackTask } from '../../domain/follow-up/follow-up.js'

const tags = ['follow-up']
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

const callbackBody = z.object({ dueAt: instantIn, reason: z.string().max(300) }).strict()
const completeBody = z
  .object({ outcome: z.enum(CALLBACK_OUTCOMES), note: z.string().max(1000).optional() })
  .strict()
const callbackQuery = z
  .object({
    status: z.enum(['open', 'done', 'cancelled']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
const tokenParam = z.object({ token: z.string().min(20).max(100) })
const surveyBody = z
  .object({
    score: z.number().int().min(1).max(5),
    resolved: z.boolean(),
    comment: z.string().max(1000).optional(),
  })
  .strict()

function presentCallback(t: CallbackTask) {
  return { ...t, dueAt: iso(t.dueAt), createdAt: iso(t.createdAt), doneAt: iso(t.doneAt) }
}

/** Callbacks, caller notifications and the satisfaction survey (issue #6 item 6). */
export function followUpRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.post(
    '/api/incidents/:id/callbacks',
    {
      config: { action: 'callback:work' },
      schema: {
        tags,
        summary: 'Owe the caller a callback by a time',
        params: idParam,
        body: callbackBody,
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(presentCallback(await addCallback(deps, req.actor, req.params.id, req.body))),
  )

  r.get(
    '/api/callbacks',
    {
      config: { action: 'callback:work' },
      schema: { tags, summary: 'Callbacks, soonest due first', querystring: callbackQuery },
    },
    async (req) => ({
      callbacks: (
        await listCallbacks(deps, {
          ...(req.query.status ? { status: [req.query.status] } : {}),
          limit: req.query.limit,
        })
      ).map((c) => ({
        ...presentCallback(c.task),
        incidentNumber: c.incidentNumber,
        overdue: c.overdue,
      })),
    }),
  )

  r.post(
    '/api/callbacks/:id/complete',
    {
      config: { action: 'callback:work' },
      schema: {
        tags,
        summary: 'Record how the callback went',
        params: idParam,
        body: completeBody,
      },
    },
    async (req) =>
      presentCallback(
        await finishCallback(deps, req.actor, req.params.id, req.body.outcome, req.body.note),
      ),
  )

  r.get(
    '/api/incidents/:id/notifications',
    {
      config: { action: 'incident:read' },
      schema: {
        tags,
        summary: 'Status messages to the callers and how delivery went (no addresses)',
        params: idParam,
      },
    },
    async (req) => ({
      notifications: (await notificationsOf(deps, req.params.id)).map((n) => ({
        id: n.id,
        channel: n.channel,
        subject: n.subject,
        status: n.status,
        attempts: n.attempts,
        lastError: n.lastError,
        createdAt: iso(n.createdAt),
        sentAt: iso(n.sentAt),
      })),
    }),
  )

  r.get(
    '/api/surveys/results',
    {
      config: { action: 'survey:read' },
      schema: { tags, summary: 'Caller satisfaction over a period', querystring: periodQuery },
    },
    async (req) => surveyResults(deps, req.query.from, req.query.to),
  )

  // The survey link in a caller's message is its own key: no sign-in, and it reveals only the
  // incident number and type.
  r.get(
    '/api/public/surveys/:token',
    {
      config: { action: 'public' },
      schema: { tags, summary: 'The survey behind a link', params: tokenParam },
    },
    async (req) => surveyQuestion(deps, req.params.token),
  )

  r.post(
    '/api/public/surveys/:token',
    {
      config: { action: 'public' },
      schema: { tags, summary: 'Answer the survey', params: tokenParam, body: surveyBody },
    },
    async (req, reply) => {
      await submitSurvey(deps, req.params.token, req.body)
      return reply.code(204).send()
    },
  )
}
