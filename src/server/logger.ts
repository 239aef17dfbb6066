import pino, { type Logger } from 'pino'
import type { Config } from '../config/config.js'

/**
 * Callers' names, phone numbers, emails, addresses and free text never reach the logs: this is
 * a police system and every log line is assumed to be read by someone.
 */
export const REDACTED_PATHS = [
  'caller',
  '*.caller',
  'name',
  '*.name',
  'phone',
  '*.phone',
  'email',
  '*.email',
  'ani',
  '*.ani',
  'ali',
  '*.ali',
  'narrative',
  '*.narrative',
  'notes',
  '*.notes',
  'location',
  '*.location',
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
