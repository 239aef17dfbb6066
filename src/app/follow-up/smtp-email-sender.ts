import { Buffer } from 'node:buffer'
import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer'
import type { DeliveryResult, MessageSender, OutboundMessage } from './notifier.js'

export interface SmtpEmailSenderOptions {
  /** smtp://host:port or smtps://host:port, optionally with user:pass@ (percent-encoded). */
  url: string
  /** The From address, e.g. `"City 311" <noreply@311.city.example>`. */
  from: string
  /** Connect, greeting and DNS timeout; the whole send may take six times this. Default 5 s. */
  timeoutMs?: number
}

/**
 * Failures that say nothing about the message itself: the server was unreachable, slow or
 * dropped us, or our credentials/TLS were refused. Credentials are a configuration fault that
 * an operator fixes; the message should still go out afterwards, so these are retryable too
 * (the outbox's attempt limit bounds them).
 */
const RETRYABLE_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'EPROXY',
  'EABORT',
  'EAUTH',
  'ENOAUTH',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

// A caller-supplied address must name exactly one mailbox: nodemailer would happily split
// "a@x, b@y" into two recipients.
const ONE_ADDRESS = /^[^\s@,;:<>()[\]"\\]+@[^\s@,;:<>()[\]"\\]+\.[^\s@,;:<>()[\]"\\]+$/
// The reference goes into headers; keep it to visible ASCII so it cannot fold or inject.
const REFERENCE = /^[\x21-\x7e]{1,200}$/
const DOT_ATOM = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/
const ANY_ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g

/** Email through an SMTP relay. Opens one short connection per message (no pool). */
export class SmtpEmailSender implements MessageSender {
  readonly channel = 'email' as const
  readonly #from: string
  readonly #messageIdDomain: string
  readonly #deadlineMs: number
  readonly #transport: Transporter

  constructor(options: SmtpEmailSenderOptions) {
    const url = new URL(options.url)
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
      throw new Error('the SMTP URL must start with smtp:// or smtps://')
    }
    if (url.hostname === '') throw new Error('the SMTP URL has no host')
    const secure = url.protocol === 'smtps:'
    const timeoutMs = options.timeoutMs ?? 5_000
    this.#from = options.from
    this.#messageIdDomain = domainOf(options.from) ?? 'triage311.invalid'
    this.#deadlineMs = timeoutMs * 6
    this.#transport = nodemailer.createTransport({
      // Hostname without IPv6 brackets, which URL keeps but net.connect refuses.
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? (secure ? 465 : 25) : Number(url.port),
      secure,
      auth:
        url.username === ''
          ? undefined
          : { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      socketTimeout: timeoutMs * 3,
      // Nodemailer's logger would print envelopes (recipients); debug would print bodies.
      logger: false,
      debug: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    })
  }

  async send(m: OutboundMessage): Promise<DeliveryResult> {
    if (m.channel !== 'email') {
      return { ok: false, retryable: false, error: `an ${m.channel} message sent to email` }
    }
    if (!ONE_ADDRESS.test(m.to)) {
      return { ok: false, retryable: false, error: 'the recipient is not one email address' }
    }
    if (!REFERENCE.test(m.reference)) {
      return { ok: false, retryable: false, error: 'the reference is not 1-200 visible ASCII' }
    }
    try {
      const info = await this.#transport.sendMail({
        from: this.#from,
        to: m.to,
        subject: m.subject,
        text: m.body,
        // Derived from the reference so a resend after an unclear failure (timeout after DATA)
        // carries the same Message-ID, and mail systems and people can see it is one message.
        messageId: `<${messageIdLocalPart(m.reference)}@${this.#messageIdDomain}>`,
        headers: { 'X-Triage311-Reference': m.reference },
        signal: AbortSignal.timeout(this.#deadlineMs),
      })
      return { ok: true, providerId: info.messageId ?? null }
    } catch (err) {
      return classify(err, m.to)
    }
  }

  /** Releases the transport; there is no pool, so nothing is in flight to wait for. */
  close(): void {
    this.#transport.close()
  }
}

function classify(err: unknown, to: string): DeliveryResult {
  const e = (err ?? {}) as NodemailerError
  const code = typeof e.code === 'string' ? e.code : e.name === 'AbortError' ? 'EABORT' : 'ERROR'
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null
  let retryable: boolean
  if (code === 'EAUTH' || code === 'ENOAUTH') retryable = true
  else if (responseCode !== null) {
    // RFC 5321: 5yz is a permanent refusal, except 503 (bad command sequence), which is about
    // the session rather than the message. 4yz is "try again later".
    retryable = !(responseCode >= 500 && responseCode < 600 && responseCode !== 503)
  } else retryable = RETRYABLE_CODES.has(code) || RETRYABLE_CODES.has(e.originalCode ?? '')
  const message = err instanceof Error ? err.message : String(err)
  const detail = redact(message, to)
  const error = `SMTP ${code}${responseCode === null ? '' : ` ${responseCode}`}: ${detail}`
  return { ok: false, retryable, error: error.slice(0, 300) }
}

/** Server replies often echo the address ("550 <bob@…>: no such user"); it is not for logs. */
function redact(text: string, to: string): string {
  return text.split(to).join('[recipient]').replace(ANY_ADDRESS, '[address]')
}

function messageIdLocalPart(reference: string): string {
  const local = DOT_ATOM.test(reference) ? reference : Buffer.from(reference).toString('base64url')
  return `triage311.${local}`
}

function domainOf(from: string): string | null {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)
  return match?.[1] ?? null
}
