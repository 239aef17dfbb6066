import { type FieldProblem, ValidationError } from '../shared/errors.js'
import type { Instant } from '../shared/instant.js'
import type { Appointment, SchedulableResource } from './appointment.js'

/**
 * iCalendar export (RFC 5545) of appointments, so staff see them in the calendar they already
 * use. Times are written in UTC, which every client reads and which needs no VTIMEZONE.
 */

/** One event as it is written; text is plain (escaping happens here). */
export interface CalendarEvent {
  id: string
  startsAt: Instant
  endsAt: Instant
  summary: string
  description: string
  location: string | null
  status: 'confirmed' | 'cancelled'
  /** Revision number (SEQUENCE): a client replaces its copy when this grows. */
  sequence: number
}

export interface CalendarOptions {
  prodId: string
  calendarName: string
  /** When the calendar is produced: every event's DTSTAMP. */
  now: Instant
}

const CRLF = '\r\n'
/** RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
const MAX_LINE_OCTETS = 75
/** The DATE-TIME form has a four-digit year: 0000 to 9999. */
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00Z')
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z')
const UID_DOMAIN = 'triage311'

/** Writes a VCALENDAR with one VEVENT per event; every line ends with CRLF. */
export function toICalendar(events: readonly CalendarEvent[], options: CalendarOptions): string {
  const problems: FieldProblem[] = []
  if (!isWritableInstant(options.now)) problems.push({ path: 'now', message: 'must be a time' })
  events.forEach((e, i) => {
    problems.push(...checkEvent(e, `events.${i}`))
  })
  if (problems.length > 0) throw new ValidationError(problems)

  const stamp = formatUtc(options.now)
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(options.prodId)}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.calendarName)}`,
  ]
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(`${e.id}@${UID_DOMAIN}`)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${formatUtc(e.startsAt)}`,
      `DTEND:${formatUtc(e.endsAt)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
    )
    if (e.location !== null && e.location.trim() !== '') {
      lines.push(`LOCATION:${escapeText(e.location)}`)
    }
    lines.push(
      `STATUS:${e.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
      `SEQUENCE:${e.sequence}`,
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR')
  return lines.map((l) => foldLine(l) + CRLF).join('')
}

/**
 * Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash, and
 * any line break becomes `\n`. Other control characters are not allowed in TEXT at all and
 * would let a value forge a property line, so they are dropped.
 */
export function escapeText(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    const code = ch.charCodeAt(0)
    if (ch === '\\' || ch === ';' || ch === ',') out += `\\${ch}`
    else if (ch === '\r') {
      out += '\\n'
      if (value[i + 1] === '\n') i++
    } else if (ch === '\n') out += '\\n'
    else if ((code >= 0x20 || ch === '\t') && code !== 0x7f) out += ch
  }
  return out
}

/**
 * Folds a content line into pieces of at most 75 UTF-8 octets joined by CRLF and a space
 * (which counts toward the next piece's 75). Breaks fall between code points only, so a
 * client that reads each physical line as UTF-8 never sees half a character.
 */
export function foldLine(line: string): string {
  let out = ''
  let octets = 0
  for (const ch of line) {
    const size = utf8Octets(ch.codePointAt(0)!)
    if (octets + size > MAX_LINE_OCTETS) {
      out += `${CRLF} `
      octets = 1
    }
    out += ch
    octets += size
  }
  return out
}

/** `YYYYMMDDTHHMMSSZ`, the UTC DATE-TIME form; milliseconds are dropped. */
export function formatUtc(at: Instant): string {
  const iso = new Date(at).toISOString()
  return `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`
}

export interface AppointmentEventOptions {
  /** The incident's number as staff know it ("2026-001234"), when the appointment has one. */
  incidentNumber?: string | number | null
}

/**
 * The calendar event for an appointment. The description carries only the purpose, the
 * incident number and the place: calendars are synced to phones and shared outside the
 * system, so caller identity (decision 0005) never goes into one.
 */
export function appointmentToCalendarEvent(
  appt: Appointment,
  resource: SchedulableResource,
  options: AppointmentEventOptions = {},
): CalendarEvent {
  const place = appt.place ?? resource.location
  const description = [`Purpose: ${appt.purpose}`]
  const incident = options.incidentNumber
  if (incident !== undefined && incident !== null && `${incident}`.trim() !== '') {
    description.push(`Incident: ${incident}`)
  }
  if (place) description.push(`Place: ${place}`)
  return {
    id: appt.id,
    startsAt: appt.startsAt,
    endsAt: appt.endsAt,
    summary: `${appt.purpose} (${resource.name})`,
    description: description.join('\n'),
    location: place,
    // Kept and missed appointments did take the time, so they stay on the calendar as confirmed.
    status: appt.status === 'cancelled' ? 'cancelled' : 'confirmed',
    // SEQUENCE starts at 0 on creation (RFC 5545 §3.8.7.4); versions start at 1.
    sequence: Math.max(0, appt.version - 1),
  }
}

function checkEvent(e: CalendarEvent, path: string): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (!e.id.trim()) problems.push({ path: `${path}.id`, message: 'must not be empty' })
  const startOk = isWritableInstant(e.startsAt)
  const endOk = isWritableInstant(e.endsAt)
  if (!startOk) problems.push({ path: `${path}.startsAt`, message: 'must be a time' })
  if (!endOk) problems.push({ path: `${path}.endsAt`, message: 'must be a time' })
  // RFC 5545 §3.6.1: DTEND must be later than DTSTART.
  if (startOk && endOk && e.endsAt <= e.startsAt) {
    problems.push({ path: `${path}.endsAt`, message: 'must be after the start' })
  }
  if (!Number.isSafeInteger(e.sequence) || e.sequence < 0) {
    problems.push({ path: `${path}.sequence`, message: 'must be a whole number, 0 or more' })
  }
  return problems
}

function isWritableInstant(at: Instant): boolean {
  return Number.isSafeInteger(at) && at >= FIRST_INSTANT && at <= LAST_INSTANT
}

function utf8Octets(codePoint: number): number {
  if (codePoint < 0x80) return 1
  if (codePoint < 0x800) return 2
  if (codePoint < 0x10000) return 3
  return 4
}
