import { HttpSmsSender } from './http-sms-sender.js'
import { SmtpEmailSender } from './smtp-email-sender.js'

/** A status notification to one caller who gave contact details and consent. */
export interface OutboundMessage {
  channel: 'email' | 'sms'
  to: string
  /** Used by email; SMS has no subject and ignores it. */
  subject: string
  body: string
  /** stable id used for idempotency / provider reference */
  reference: string
}

/**
 * What happened to one attempt. Senders never throw: a failure is a value, so the caller
 * (the follow-up outbox) decides about retries from `retryable` alone. `error` never holds
 * the recipient or the body, so it may be logged and stored.
 */
export type DeliveryResult =
  | { ok: true; providerId: string | null }
  | { ok: false; retryable: boolean; error: string }

/** The port: one implementation per channel. */
export interface MessageSender {
  readonly channel: 'email' | 'sms'
  send(m: OutboundMessage): Promise<DeliveryResult>
}

export interface SendersConfig {
  smtpUrl: string | null
  smtpFrom: string
  smsUrl: string | null
  smsToken: string | null
}

/**
 * The senders the configuration asks for; a channel left unconfigured is null, so follow-up
 * can tell "not offered" from "failed". A provider URL without its token is a mistake that
 * would fail every send, so it stops start-up instead.
 */
export function createSenders(config: SendersConfig): {
  email: MessageSender | null
  sms: MessageSender | null
} {
  const email =
    config.smtpUrl === null
      ? null
      : new SmtpEmailSender({ url: config.smtpUrl, from: config.smtpFrom })
  let sms: MessageSender | null = null
  if (config.smsUrl !== null) {
    if (config.smsToken === null || config.smsToken === '') {
      throw new Error('an SMS provider URL is configured without its token')
    }
    sms = new HttpSmsSender({ url: config.smsUrl, token: config.smsToken })
  }
  return { email, sms }
}
