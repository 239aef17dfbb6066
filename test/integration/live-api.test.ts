import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, openTestApp } from '../support/test-app.js'

/** Reads Server-Sent Events from a live stream until `until` has seen what it waits for. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  controller: AbortController,
) {
  const res = await fetch(url, { headers, signal: controller.signal })
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const events: Array<{ type: string; data: Record<string, unknown> }> = []
  let buffer = ''
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buffer += decoder.decode(value, { stream: true })
        let cut = buffer.indexOf('\n\n')
        while (cut >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          const type = block.match(/^event: (.+)$/m)?.[1]
          const data = block.match(/^data: (.+)$/m)?.[1]
          if (type && data) events.push({ type, data: JSON.parse(data) })
          cut = buffer.indexOf('\n\n')
        }
      }
    } catch {
      // aborted
    }
  })()
  return { status: res.status, events, pump }
}

describe('sqlite: live updates and the screen pop', () => {
  let app: FastifyInstance
  let close: () => Promise<void>
  let base: string

  beforeAll(async () => {
    ;({ app, close } = await openTestApp('sqlite'))
    await app.listen({ port: 0, host: '127.0.0.1' })
    const addr = app.server.address()
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  })
  afterAll(async () => close())

  it('pushes new incidents to every console, and ringing calls with their numbers only to those allowed', async () => {
    const ctl = new AbortController()
    const taker = await readEvents(`${base}/api/live`, auth('call_taker'), ctl)
    const analyst = await readEvents(`${base}/api/live`, auth('analyst'), ctl)
    expect(taker.status).toBe(200)
    try {
      const call = await fetch(`${base}/api/calls/incoming`, {
        method: 'POST',
        headers: { ...auth('call_taker'), 'content-type': 'application/json' },
        body: JSON.stringify({
          line: '311-1',
          ani: '4105550142',
          ali: { text: '4310 E Lombard St', lat: 39.2917, lon: -76.5609 },
        }),
      })
      expect(call.status).toBe(201)
      const { id } = (await call.json()) as { id: string }
      await fetch(`${base}/api/incidents`, {
        method: 'POST',
        headers: { ...auth('call_taker'), 'content-type': 'application/json' },
        body: JSON.stringify({
          callType: 'POTHOLE',
          contact: { channel: 'phone_311', caller: { anonymous: true } },
          answers: {},
        }),
      })
      await expect.poll(() => taker.events.map((e) => e.type)).toEqual(['call_waiting', 'incident'])
      await expect.poll(() => analyst.events.map((e) => e.type)).toEqual(['incident'])
      expect(taker.events[0]?.data).toMatchObject({ id, ani: '4105550142', line: '311-1' })
      expect(JSON.stringify(analyst.events)).not.toContain('555')

      const waiting = await fetch(`${base}/api/calls/waiting`, { headers: auth('call_taker') })
      expect(((await waiting.json()) as { calls: unknown[] }).calls).toHaveLength(1)
      expect((await fetch(`${base}/api/calls/waiting`, { headers: auth('analyst') })).status).toBe(
        403,
      )
      const answered = await fetch(`${base}/api/calls/${id}/answer`, {
        method: 'POST',
        headers: auth('call_taker'),
      })
      expect(await answered.json()).toMatchObject({
        ani: '4105550142',
        ali: { text: '4310 E Lombard St' },
        takenBy: 'token:test call_taker',
      })
      const again = await fetch(`${base}/api/calls/${id}/answer`, {
        method: 'POST',
        headers: auth('supervisor'),
      })
      expect(again.status).toBe(404)
      await expect
        .poll(() => taker.events.map((e) => e.type))
        .toEqual(['call_waiting', 'incident', 'call_taken'])
    } finally {
      ctl.abort()
      await Promise.all([taker.pump, analyst.pump])
    }
  })
})
