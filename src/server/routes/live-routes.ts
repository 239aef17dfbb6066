import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import { callIdParam, incomingCallBody } from '../../contract/calls.js'

const iso = (t: number) => new Date(t).toISOString()

/** Live updates over Server-Sent Events, and the calls waiting (telephony screen pop). */
export function liveRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()
  const tags = ['live']

  r.get(
    '/api/live',
    {
      config: { action: 'incident:read' },
      schema: {
        tags,
        summary: 'Server-Sent Events: incidents opened or changed, calls waiting and taken',
      },
    },
    async (req, reply) => {
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      res.write(': connected\n\n')
      const unsubscribe = deps.live.subscribe(req.actor, (e) => {
        res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`)
      })
      // A comment now and then keeps proxies from closing an idle stream.
      const beat = setInterval(() => res.write(': keep-alive\n\n'), 25_000)
      req.raw.on('close', () => {
        clearInterval(beat)
        unsubscribe()
      })
    },
  )

  r.post(
    '/api/calls/incoming',
    {
      config: { action: 'call:announce' },
      schema: {
        tags,
        summary: 'The telephony system announces a ringing call (ANI/ALI)',
        body: incomingCallBody,
      },
    },
    async (req, reply) => {
      const b = req.body
      const call = await deps.incomingCalls.announce(deps, {
        line: b.line ?? null,
        ani: b.ani ?? null,
        ali: b.ali ?? null,
      })
      return reply.code(201).send({ id: call.id, ringingSince: iso(call.ringingSince) })
    },
  )

  r.get(
    '/api/calls/waiting',
    { config: { action: 'call:answer' }, schema: { tags, summary: 'Calls waiting, oldest first' } },
    async () => ({
      calls: deps.incomingCalls.waiting().map((c) => ({ ...c, ringingSince: iso(c.ringingSince) })),
    }),
  )

  r.post(
    '/api/calls/:id/answer',
    {
      config: { action: 'call:answer' },
      schema: {
        tags,
        summary: 'Answer a waiting call: it leaves every other screen',
        params: callIdParam,
      },
    },
    async (req) => {
      const c = await deps.incomingCalls.take(deps, req.actor, req.params.id)
      return { ...c, ringingSince: iso(c.ringingSince) }
    },
  )

  r.post(
    '/api/calls/:id/abandoned',
    {
      config: { action: 'call:announce' },
      schema: {
        tags,
        summary: 'The telephony system reports that a waiting caller hung up',
        params: callIdParam,
      },
    },
    async (req, reply) => {
      await deps.incomingCalls.abandon(deps, req.params.id)
      return reply.code(204).send()
    },
  )
}
