import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { HttpSmsSender } from '../../src/app/follow-up/http-sms-sender.js'
import { createSenders, type OutboundMessage } from '../../src/app/follow-up/notifier.js'
import { SmtpEmailSender } from '../../src/app/follow-up/smtp-email-sender.js'
import { freePort } from '../support/server-process.js'
import { bodyOf, headersOf, type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js'

const FROM = '"Baltimore 311" <noreply@311.baltimore.example>'

function email(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'email',
    to: 'caller@example.org',
    subject: 'Your report 2024-000123 was updated',
    body: 'An officer has been assigned to your report.\nReference 2024-000123.',
    reference: 'notif-01J9Z8K3',
    ...over,
  }
}

function sms(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'sms',
    to: '+14105550123',
    subject: '',
    body: 'Baltimore 311: your report 2024-000123 is now closed.',
    reference: 'notif-01J9Z8K4',
    ...over,
  }
}

describe('SmtpEmailSender against a real SMTP server process', () => {
  let capture: SmtpCapture
  let sender: SmtpEmailSender

  beforeAll(async () => {
    capture = await startSmtpCapture()
    sender = new SmtpEmailSender({ url: capture.url, from: FROM, timeoutMs: 2_000 })
  })
  afterAll(async () => {
    sender?.close()
    await capture?.stop()
  })

  it('delivers plain text with From, To, Subject, body and the reference', async () => {
    const result = await sender.send(email())
    expect(result).toEqual({
      ok: true,
      providerId: '<triage311.notif-01J9Z8K3@311.baltimore.example>',
    })

    const arrived = (await capture.messages()).filter((m) => m.raw.includes('notif-01J9Z8K3'))
    expect(arrived).toHaveLength(1)
    const [msg] = arrived
    expect(msg?.from).toBe('noreply@311.baltimore.example')
    expect(msg?.to).toEqual(['caller@example.org'])
    const headers = headersOf(msg?.raw ?? '')
    expect(headers.get('from')).toBe('Baltimore 311 <noreply@311.baltimore.example>')
    expect(headers.get('to')).toBe('caller@example.org')
    expect(headers.get('subject')).toBe('Your report 2024-000123 was updated')
    expect(headers.get('x-triage311-reference')).toBe('notif-01J9Z8K3')
    expect(headers.get('message-id')).toBe('<triage311.notif-01J9Z8K3@311.baltimore.example>')
    expect(headers.get('content-type')).toMatch(/^text\/plain/)
    expect(
      bodyOf(msg?.raw ?? '')
        .replace(/\r\n/g, '\n')
        .trimEnd(),
    ).toBe(email().body)
  })

  it('gives a reference unfit for a Message-ID a stable encoded form', async () => {
    const reference = 'incident:42/status:closed'
    const first = await sender.send(email({ reference }))
    const second = await sender.send(email({ reference }))
    expect(first.ok && second.ok).toBe(true)
    const ids = (await capture.messages())
      .map((m) => headersOf(m.raw))
      .filter((h) => h.get('x-triage311-reference') === reference)
      .map((h) => h.get('message-id'))
    expect(ids).toHaveLength(2)
    expect(ids[0]).toBe(ids[1])
    expect(ids[0]).toMatch(/^<triage311\.[A-Za-z0-9_-]+@311\.baltimore\.example>$/)
  })

  it('reports a permanent 5xx refusal as not retryable, without the address', async () => {
    const before = (await capture.messages()).length
    const result = await sender.send(email({ to: 'reject.me@example.org' }))
    expect(result).toMatchObject({ ok: false, retryable: false })
    if (result.ok) return
    expect(result.error).toContain('550')
    expect(result.error).not.toContain('reject.me')
    expect(await capture.messages()).toHaveLength(before)
  })

  it('reports a transient 4xx refusal as retryable', async () => {
    const result = await sender.send(email({ to: 'tempfail@example.org' }))
    expect(result).toMatchObject({ ok: false, retryable: true })
    if (!result.ok) expect(result.error).toContain('451')
  })

  it('refuses more than one recipient in the address, sending nothing', async () => {
    const before = (await capture.messages()).length
    const result = await sender.send(email({ to: 'a@example.org, b@example.org' }))
    expect(result).toMatchObject({ ok: false, retryable: false })
    expect(await capture.messages()).toHaveLength(before)
  })

  it('reports a server that is down as retryable, without throwing', async () => {
    const port = await freePort()
    const down = new SmtpEmailSender({
      url: `smtp://127.0.0.1:${port}`,
      from: FROM,
      timeoutMs: 1_000,
    })
    const result = await down.send(email())
    down.close()
    expect(result).toMatchObject({ ok: false, retryable: true })
    if (!result.ok) expect(result.error).not.toContain('caller@example.org')
  })

  it('gives up on a server that accepts but never greets, as retryable', async () => {
    const sockets: Socket[] = []
    const mute = createTcpServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve))
    const port = (mute.address() as AddressInfo).port
    const slow = new SmtpEmailSender({
      url: `smtp://127.0.0.1:${port}`,
      from: FROM,
      timeoutMs: 300,
    })
    const result = await slow.send(email())
    slow.close()
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => mute.close(() => resolve()))
    expect(result).toMatchObject({ ok: false, retryable: true })
    if (!result.ok) expect(result.error).toContain('ETIMEDOUT')
  })
})

/** A stand-in SMS provider on loopback; each test sets how it answers. */
describe('HttpSmsSender against a local HTTP provider', () => {
  interface Seen {
    method: string
    url: string
    headers: IncomingMessage['headers']
    body: string
  }
  let server: Server
  let url: string
  let seen: Seen[] = []
  let answer: (res: ServerResponse) => void = (res) => res.end()

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (d: string) => {
        body += d
      })
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
        answer(res)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages`
  })
  afterEach(() => {
    seen = []
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const json = (status: number, value: unknown) => (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(value))
  }
  const sender = (timeoutMs = 2_000) => new HttpSmsSender({ url, token: 's3cret', timeoutMs })

  it('posts JSON with the bearer token and the reference as Idempotency-Key; 201 → id', async () => {
    answer = json(201, { id: 'SM123', status: 'queued' })
    const result = await sender().send(sms({ to: '+1 (410) 555-0123' }))
    expect(result).toEqual({ ok: true, providerId: 'SM123' })
    expect(seen).toHaveLength(1)
    const [req] = seen
    expect(req?.method).toBe('POST')
    expect(req?.url).toBe('/v1/messages')
    expect(req?.headers.authorization).toBe('Bearer s3cret')
    expect(req?.headers['idempotency-key']).toBe('notif-01J9Z8K4')
    expect(req?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(req?.body ?? '')).toEqual({
      to: '+14105550123',
      body: sms().body,
      reference: 'notif-01J9Z8K4',
    })
  })

  it('accepts a 2xx without an id', async () => {
    answer = (res) => res.writeHead(202).end()
    expect(await sender().send(sms())).toEqual({ ok: true, providerId: null })
  })

  it.each([429, 503])('reports %i as retryable', async (status) => {
    answer = json(status, { message: 'slow down' })
    const result = await sender().send(sms())
    expect(result).toMatchObject({ ok: false, retryable: true })
  })

  it("reports 400 as not retryable, with the provider's message (no number, 200 chars at most)", async () => {
    answer = json(400, { message: 'Invalid destination +14105550123' })
    const result = await sender().send(sms())
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: 'SMS provider HTTP 400: Invalid destination [recipient]',
    })

    answer = json(422, { error: { message: 'x'.repeat(1_000) } })
    const long = await sender().send(sms())
    expect(long).toMatchObject({ ok: false, retryable: false })
    if (!long.ok) expect(long.error).toBe(`SMS provider HTTP 422: ${'x'.repeat(200)}`)
  })

  it.each(['4105550123', '+1410', '+1410555012345678', 'call me', ''])(
    'refuses %j without a request reaching the provider',
    async (to) => {
      answer = json(201, { id: 'never' })
      const result = await sender().send(sms({ to }))
      expect(result).toMatchObject({ ok: false, retryable: false })
      expect(seen).toHaveLength(0)
    },
  )

  it('refuses a body over 1,600 characters without a request', async () => {
    answer = json(201, { id: 'never' })
    const ok = await sender().send(sms({ body: 'é'.repeat(1_600) }))
    expect(ok).toEqual({ ok: true, providerId: 'never' })
    seen = []
    const result = await sender().send(sms({ body: 'a'.repeat(1_601) }))
    expect(result).toMatchObject({ ok: false, retryable: false })
    expect(seen).toHaveLength(0)
  })

  it('gives up on a provider that never answers, as retryable', async () => {
    const held: ServerResponse[] = []
    answer = (res) => {
      held.push(res) // never answered
    }
    const started = Date.now()
    const result = await sender(300).send(sms())
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: 'SMS provider did not answer within 300 ms',
    })
    for (const res of held) res.destroy()
  })

  it('reports a provider that is down as retryable', async () => {
    const port = await freePort()
    const down = new HttpSmsSender({
      url: `http://127.0.0.1:${port}/`,
      token: 't',
      timeoutMs: 1_000,
    })
    expect(await down.send(sms())).toMatchObject({ ok: false, retryable: true })
  })
})

describe('createSenders', () => {
  it('leaves unconfigured channels out', () => {
    const none = createSenders({ smtpUrl: null, smtpFrom: FROM, smsUrl: null, smsToken: null })
    expect(none).toEqual({ email: null, sms: null })
    const both = createSenders({
      smtpUrl: 'smtps://user:p%40ss@mail.example:465',
      smtpFrom: FROM,
      smsUrl: 'https://sms.example/v1/messages',
      smsToken: 'tok',
    })
    expect(both.email?.channel).toBe('email')
    expect(both.sms?.channel).toBe('sms')
  })

  it('refuses an SMS provider without a token, and a URL of the wrong kind', () => {
    expect(() =>
      createSenders({
        smtpUrl: null,
        smtpFrom: FROM,
        smsUrl: 'https://sms.example',
        smsToken: null,
      }),
    ).toThrow(/token/)
    expect(() =>
      createSenders({
        smtpUrl: 'http://mail.example',
        smtpFrom: FROM,
        smsUrl: null,
        smsToken: null,
      }),
    ).toThrow(/smtp/)
  })
})
