import { describe, expect, it } from 'vitest'
import { ValidationError } from '../shared/errors.js'
import type { Appointment, SchedulableResource } from './appointment.js'
import {
  appointmentToCalendarEvent,
  type CalendarEvent,
  escapeText,
  foldLine,
  formatUtc,
  toICalendar,
} from './icalendar.js'

const at = (hour: number, minute = 0, second = 0, ms = 0) =>
  Date.UTC(2026, 10, 23, hour, minute, second, ms)
const OPTIONS = {
  prodId: '-//Triage311//Appointments 0.1//EN',
  calendarName: 'PSA Rivera, Eastern',
  now: at(13, 50, 7, 123),
}

const rivera: SchedulableResource = {
  id: 'psa-1',
  name: 'PSA Rivera',
  kind: 'psa',
  district: 'Eastern',
  location: 'Eastern District station, 1620 Edison Hwy',
}

const booked: Appointment = {
  id: 'appt-1',
  resourceId: 'psa-1',
  incidentId: 'inc-9',
  startsAt: at(14, 30),
  endsAt: at(15),
  purpose: 'Report a stolen bicycle',
  place: null,
  status: 'booked',
  bookedBy: 'ct-7',
  bookedAt: at(13, 50),
  cancelledReason: null,
  cancelledBy: null,
  cancelledAt: null,
  version: 1,
}

function event(over: Partial<CalendarEvent>): CalendarEvent {
  return {
    id: 'e1',
    startsAt: at(14),
    endsAt: at(14, 30),
    summary: 'Summary',
    description: 'Description',
    location: null,
    status: 'confirmed',
    sequence: 0,
    ...over,
  }
}

const octets = (s: string) => new TextEncoder().encode(s).length

/** RFC 5545 §3.1: a line break followed by one space or tab is removed. */
function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, '')
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))
}

/** A small reader: the calendar's properties and each VEVENT's, values unescaped. */
function parse(text: string): {
  calendar: Record<string, string>
  events: Record<string, string>[]
} {
  expect(text.endsWith('\r\n')).toBe(true)
  const lines = unfold(text).slice(0, -2).split('\r\n')
  const calendar: Record<string, string> = {}
  const events: Record<string, string>[] = []
  let current: Record<string, string> | null = null
  for (const line of lines) {
    const colon = line.indexOf(':')
    expect(colon).toBeGreaterThan(0)
    const name = line.slice(0, colon)
    const value = unescapeText(line.slice(colon + 1))
    if (name === 'BEGIN' && value === 'VEVENT') current = {}
    else if (name === 'END' && value === 'VEVENT') {
      events.push(current!)
      current = null
    } else if (name !== 'BEGIN' && name !== 'END') (current ?? calendar)[name] = value
  }
  return { calendar, events }
}

function instantOf(utc: string): number {
  const m = utc.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/)
  expect(m).not.toBeNull()
  return Date.UTC(+m![1]!, +m![2]! - 1, +m![3]!, +m![4]!, +m![5]!, +m![6]!)
}

describe('iCalendar export', () => {
  it('writes the calendar and an appointment exactly, folded and with CRLF line ends', () => {
    const text = toICalendar(
      [appointmentToCalendarEvent(booked, rivera, { incidentNumber: '2026-001234' })],
      OPTIONS,
    )
    expect(text).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Triage311//Appointments 0.1//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:PSA Rivera\\, Eastern',
        'BEGIN:VEVENT',
        'UID:appt-1@triage311',
        'DTSTAMP:20261123T135007Z',
        'DTSTART:20261123T143000Z',
        'DTEND:20261123T150000Z',
        'SUMMARY:Report a stolen bicycle (PSA Rivera)',
        'DESCRIPTION:Purpose: Report a stolen bicycle\\nIncident: 2026-001234\\nPlace:',
        '  Eastern District station\\, 1620 Edison Hwy',
        'LOCATION:Eastern District station\\, 1620 Edison Hwy',
        'STATUS:CONFIRMED',
        'SEQUENCE:0',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    )
    // No bare LF or CR anywhere: every break is CRLF.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('writes times in UTC without milliseconds', () => {
    expect(formatUtc(at(9, 5, 3, 999))).toBe('20261123T090503Z')
    expect(formatUtc(Date.UTC(2027, 0, 2, 23, 59, 59))).toBe('20270102T235959Z')
    const parsed = parse(
      toICalendar([event({ startsAt: at(23, 45), endsAt: at(24, 15) })], OPTIONS),
    )
    expect(parsed.events[0]).toMatchObject({
      DTSTART: '20261123T234500Z',
      DTEND: '20261124T001500Z',
      DTSTAMP: '20261123T135007Z',
    })
  })

  it('escapes backslash, semicolon, comma and every kind of line break, and drops other controls', () => {
    expect(escapeText('a;b,c\\d')).toBe('a\\;b\\,c\\\\d')
    expect(escapeText('one\ntwo\r\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour')
    expect(escapeText('tab\there: colon ok')).toBe('tab\there: colon ok')
    expect(escapeText('bell\u0007null\u0000del\u007f')).toBe('bellnulldel')
    // A value cannot forge a property of its own.
    const forged = toICalendar([event({ summary: 'x\nEND:VEVENT\nBEGIN:VEVENT' })], OPTIONS)
    expect(forged).toContain('SUMMARY:x\\nEND:VEVENT\\nBEGIN:VEVENT\r\n')
    expect(parse(forged).events).toHaveLength(1)
  })

  it('folds at 75 octets without splitting a multi-byte character', () => {
    // "DESCRIPTION:" is 12 octets and é is 2: 31 of them make 74, a 32nd would make 76.
    expect(foldLine(`DESCRIPTION:${'é'.repeat(40)}`)).toBe(
      `DESCRIPTION:${'é'.repeat(31)}\r\n ${'é'.repeat(9)}`,
    )
    // Emoji are 4 octets (and two UTF-16 units): 8 + 16 × 4 = 72; the continuation's space
    // counts, so the next line holds at most 18.
    expect(foldLine(`SUMMARY:${'😀'.repeat(40)}`)).toBe(
      `SUMMARY:${'😀'.repeat(16)}\r\n ${'😀'.repeat(18)}\r\n ${'😀'.repeat(6)}`,
    )
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75))
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`)

    const text = 'Café, ☕; Olé 😀 \\ '.repeat(12)
    const line = `DESCRIPTION:${escapeText(text)}`
    const folded = foldLine(line)
    const physical = folded.split('\r\n')
    expect(physical.length).toBeGreaterThan(3)
    for (const [i, p] of physical.entries()) {
      expect(octets(p)).toBeLessThanOrEqual(75)
      if (i > 0) expect(p.startsWith(' ')).toBe(true)
      // A split surrogate pair would leave a lone surrogate at an edge.
      expect(p).not.toMatch(/^ ?[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/)
      // Each piece is as full as it can be: the next character would not have fitted.
      const next = physical[i + 1]
      if (next) expect(octets(p) + octets([...next.slice(1)][0]!)).toBeGreaterThan(75)
    }
    expect(unfold(folded)).toBe(line)
    expect(unescapeText(unfold(folded).slice('DESCRIPTION:'.length))).toBe(text)
  })

  it('reads back what it wrote (unfold, split, unescape)', () => {
    const events = [
      event({
        id: 'a-1',
        startsAt: at(14, 30),
        endsAt: at(15),
        summary: 'Meet at 5; bring ID, keys \\ badge',
        description: `Line one\nLine two\r\nLine three: ok ${'Café Olé ☕ '.repeat(10)}`,
        location: `Rue de l'Église, n° 12; Apt \\3 ${'😀'.repeat(30)}`,
        sequence: 4,
      }),
      event({ id: 'a-2', status: 'cancelled', location: '   ' }),
    ]
    const { calendar, events: read } = parse(toICalendar(events, OPTIONS))
    expect(calendar).toEqual({
      VERSION: '2.0',
      PRODID: OPTIONS.prodId,
      CALSCALE: 'GREGORIAN',
      METHOD: 'PUBLISH',
      'X-WR-CALNAME': 'PSA Rivera, Eastern',
    })
    expect(read).toHaveLength(2)
    expect(read[0]).toEqual({
      UID: 'a-1@triage311',
      DTSTAMP: '20261123T135007Z',
      DTSTART: '20261123T143000Z',
      DTEND: '20261123T150000Z',
      SUMMARY: events[0]!.summary,
      DESCRIPTION: events[0]!.description.replace(/\r\n/g, '\n'),
      LOCATION: events[0]!.location,
      STATUS: 'CONFIRMED',
      SEQUENCE: '4',
    })
    expect(instantOf(read[0]!.DTSTART!)).toBe(events[0]!.startsAt)
    // A blank location is left out rather than written empty.
    expect(read[1]).not.toHaveProperty('LOCATION')
    expect(read[1]).toMatchObject({ UID: 'a-2@triage311', STATUS: 'CANCELLED', SEQUENCE: '0' })
  })

  it('refuses an event that ends before it starts or has a bad sequence', () => {
    try {
      toICalendar(
        [event({}), event({ endsAt: at(14), sequence: -1 }), event({ startsAt: Number.NaN })],
        OPTIONS,
      )
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as ValidationError).problems.map((p) => p.path)).toEqual([
        'events.1.endsAt',
        'events.1.sequence',
        'events.2.startsAt',
      ])
    }
  })
})

describe('an appointment as a calendar event', () => {
  it('keeps the description to purpose, incident number and place', () => {
    expect(appointmentToCalendarEvent(booked, rivera, { incidentNumber: 1234 })).toEqual({
      id: 'appt-1',
      startsAt: at(14, 30),
      endsAt: at(15),
      summary: 'Report a stolen bicycle (PSA Rivera)',
      description:
        'Purpose: Report a stolen bicycle\nIncident: 1234\nPlace: Eastern District station, 1620 Edison Hwy',
      location: 'Eastern District station, 1620 Edison Hwy',
      status: 'confirmed',
      sequence: 0,
    })
  })

  it('uses the visit address over the resource location, and marks a cancellation', () => {
    const visit = { ...rivera, location: null }
    const cancelled: Appointment = {
      ...booked,
      place: '1200 E Fayette St',
      status: 'cancelled',
      cancelledReason: 'caller sorted it out',
      version: 2,
    }
    expect(appointmentToCalendarEvent(cancelled, rivera)).toMatchObject({
      description: 'Purpose: Report a stolen bicycle\nPlace: 1200 E Fayette St',
      location: '1200 E Fayette St',
      status: 'cancelled',
      sequence: 1,
    })
    const nowhere = appointmentToCalendarEvent({ ...booked, status: 'kept' }, visit)
    expect(nowhere).toMatchObject({
      description: 'Purpose: Report a stolen bicycle',
      location: null,
      status: 'confirmed',
    })
    expect(toICalendar([nowhere], OPTIONS)).not.toContain('LOCATION')
  })

  it('never writes caller details, even when a record carrying them is passed in', () => {
    const leaky = { ...booked, callerName: 'Jane Roe', callerPhone: '410-555-0101' }
    const text = toICalendar([appointmentToCalendarEvent(leaky, rivera)], OPTIONS)
    expect(text).not.toContain('Jane')
    expect(text).not.toContain('555')
  })
})
