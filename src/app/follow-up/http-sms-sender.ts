import type { DeliveryResult, MessageSender, OutboundMessage } from './notifier.js'

export interface HttpSmsSenderOptions {
  /** The provider's send endpoint (http or https). */
  url: string
  /** Sent as `Authorization: Bearer <token>`. */
  token: string
  /** For the whole exchange, response body included. Default 5 s. */
  timeoutMs?: number
}

/** Ten segments of concatenated SMS; providers refuse or silently cut longer messages. */
export const SMS_MAX_CHARS = 1_600
const PROVIDER_MESSAGE_MAX = 200
// Separators people type are dropped; what is left must be E.164: "+" then 8-15 digits.
const SEPARATORS = /[\s().-]/g
const E164 = /^\+\d{8,15}$/
// The reference travels as the Idempotency-Key header; header values must be visible ASCII.
const REFERENCE = /^[\x21-\x7e]{1,200}$/
const PHONE_LIKE = /\+?\d[\d\s().-]{6,}\d/g

/**
 * SMS through a provider's HTTP API: POST {to, body, reference} as JSON. The reference doubles
 * as the Idempotency-Key, so a retry after a timeout (the provider may have sent it) does not
 * text the caller twice with a provider that honours the header.
 */
export class HttpSmsSender implements MessageSender {
  readonly channel = 'sms' as const
  readonly #url: string
  readonly #token: string
  readonly #timeoutMs: number

  constructor(options: HttpSmsSenderOptions) {
    const url = new URL(options.url)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error('the SMS provider URL must be http:// or https://')
    }
    this.#url = url.href
    this.#token = options.token
    this.#timeoutMs = options.timeoutMs ?? 5_000
  }

  async send(m: OutboundMessage): Promise<DeliveryResult> {
    if (m.channel !== 'sms') {
      return { ok: false, retryable: false, error: `an ${m.channel} message sent to SMS` }
    }
    const to = m.to.replace(SEPARATORS, '')
    if (!E164.test(to)) {
      return { ok: false, retryable: false, error: 'the recipient is not an E.164 phone number' }
    }
    if ([...m.body].length > SMS_MAX_CHARS) {
      return {
        ok: false,
        retryable: false,
        error: `the SMS body is over ${SMS_MAX_CHARS} characters`,
      }
    }
    if (!REFERENCE.test(m.reference)) {
      return { ok: false, retryable: false, error: 'the reference is not 1-200 visible ASCII' }
    }
    let status: number
    let text: string
    try {
      const res = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${this.#token}`,
          'idempotency-key': m.reference,
        },
        body: JSON.stringify({ to, body: m.body, reference: m.reference }),
        // A provider API has no business redirecting a POST; following one could resend the
        // token and the caller's number somewhere unexpected.
        redirect: 'manual',
        // The signal covers reading the body too, so a provider that stalls mid-response
        // cannot hold the outbox either.
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
      status = res.status
      text = await res.text()
    } catch (err) {
      return { ok: false, retryable: true, error: networkError(err, this.#timeoutMs) }
    }
    if (status >= 200 && status < 300) return { ok: true, providerId: providerId(text) }
    const message = redact(providerMessage(text), to).slice(0, PROVIDER_MESSAGE_MAX)
    const error = `SMS provider HTTP ${status}${message === '' ? '' : `: ${message}`}`
    // 429 and 5xx: the provider's state, not the message's; anything else will fail again.
    return { ok: false, retryable: status === 429 || status >= 500, error }
  }
}

function networkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `SMS provider did not answer within ${timeoutMs} ms`
  }
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND…) on the cause.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : null
  const code = cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : ''
  const message = err instanceof Error ? err.message : String(err)
  return `SMS provider unreachable: ${[message, code].filter(Boolean).join(' ')}`.slice(0, 300)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function providerId(text: string): string | null {
  const json = parseJson(text)
  if (typeof json !== 'object' || json === null || !('id' in json)) return null
  const id = json.id
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null
}

/** The provider's own words: `message`, `error` or `error.message` of a JSON body, else the text. */
function providerMessage(text: string): string {
  const json = parseJson(text)
  if (typeof json === 'object' && json !== null) {
    if ('message' in json && typeof json.message === 'string') return json.message
    if ('error' in json) {
      const e = json.error
      if (typeof e === 'string') return e
      if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') {
        return e.message
      }
    }
  }
  return text.trim()
}

/** Providers echo the number in their errors; results are logged, the number must not be. */
function redact(text: string, to: string): string {
  return text.split(to).join('[recipient]').replace(PHONE_LIKE, '[number]')
}
