import pino, { type Logger } from 'pino'
import type { Config } from '../config/config.js'

/**
 * Callers' names, phone numbers, emails, addresses and free text never reach the logs: this is
 * a police system and every log line is assumed to be read by someone. Log calls pass ids, not
 * records; these paths are the safety net for the places a record could slip in. (Explicit
 * paths: pino's `*.x` wildcards would cost about 10 µs on every line of the intake path.)
 */
export const REDACTED_PATHS = [
  'caller',
  'name',
  'phone',
  'email',
  'ani',
  'ali',
  'narrative',
  'notes',
  'location',
  // The special-needs registry (issue #10): health details and where registrants live.
  'health',
  'needs',
  'contacts',
  'address',
  'contact.caller',
  'input.contact.caller',
  'input.narrative',
  'body',
  'req.body',
  'req.headers.authorization',
  'req.headers.cookie',
]

export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  }
  return destination ? pino(options, destination) : pino(options)
}
