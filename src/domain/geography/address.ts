import { DIRECTIONS, normaliseNameTokens, SUFFIXES } from './street-words.js'

/** A street, normalised: the parts that make a street key. */
export interface StreetName {
  predir: string
  name: string
  suffix: string
  postdir: string
}

/** What a location text turned out to be. */
export type ParsedLocation =
  | {
      kind: 'address'
      number: number
      numberSuffix: string
      street: StreetName
      unit: string | null
    }
  | { kind: 'block'; number: number; street: StreetName }
  | { kind: 'intersection'; streets: StreetName[] }
  | { kind: 'street'; street: StreetName }
  | { kind: 'unparsed'; text: string }

/** 'E LOMBARD ST': the street as people and police blocks write it. */
export function streetLabel(s: StreetName): string {
  return [s.predir, s.name, s.suffix, s.postdir].filter(Boolean).join(' ')
}

/** The exact key of a street: all four parts. */
export function streetKey(s: StreetName): string {
  return `${s.predir}|${s.name}|${s.suffix}|${s.postdir}`
}

/** '4300 BLOCK E LOMBARD ST': the hundred-block, the unit of police hot-spot work. */
export function blockKey(number: number, street: StreetName): string {
  return `${Math.floor(number / 100) * 100} BLOCK ${streetLabel(street)}`
}

const UNIT_WORDS = new Set([
  'APT',
  'APARTMENT',
  'UNIT',
  'STE',
  'SUITE',
  'FL',
  'FLOOR',
  'RM',
  'ROOM',
  'BLDG',
  'LOT',
])

/** Upper case, punctuation to spaces (keeping the separators that mean something), single spaces. */
export function cleanText(text: string): string {
  return text
    .toUpperCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[.,;:'"()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * Parses the street part of a name into predirection, name, suffix and postdirection, all
 * normalised. A direction or suffix word that is the whole name stays the name ('NORTH AVE',
 * 'E NORTH AVE', 'PARK AVE', 'AVENUE RD').
 */
export function parseStreet(text: string): StreetName | null {
  let tokens = cleanText(text).split(' ').filter(Boolean)
  if (tokens.length === 0) return null
  let predir = ''
  let postdir = ''
  let suffix = ''
  const last = () => tokens[tokens.length - 1] as string
  if (
    tokens.length >= 2 &&
    DIRECTIONS[last()] &&
    SUFFIXES[tokens[tokens.length - 2] as string] &&
    tokens.length >= 3
  ) {
    postdir = DIRECTIONS[last()] as string
    tokens = tokens.slice(0, -1)
  }
  if (tokens.length >= 2 && SUFFIXES[last()]) {
    suffix = SUFFIXES[last()] as string
    tokens = tokens.slice(0, -1)
  }
  if (!postdir && !suffix && tokens.length >= 2 && DIRECTIONS[last()]) {
    postdir = DIRECTIONS[last()] as string
    tokens = tokens.slice(0, -1)
  }
  if (tokens.length >= 2 && DIRECTIONS[tokens[0] as string]) {
    predir = DIRECTIONS[tokens[0] as string] as string
    tokens = tokens.slice(1)
  }
  const name = normaliseNameTokens(tokens).join(' ')
  if (!/[A-Z0-9]/.test(name)) return null
  return { predir, name, suffix, postdir }
}

/**
 * Reads a location as a caller or a record gives it: '4300 E Lombard St Apt 2',
 * 'E LOMBARD ST & S BROADWAY', 'Lombard and Broadway', 'SIGNAL 65 - CHARLES / NORTH',
 * '101 N CLINTON ST, Baltimore City, 21224'. Never guesses: what it cannot read is `unparsed`.
 */
export function parseLocation(input: string): ParsedLocation {
  // The city and ZIP after the first comma are not part of the street.
  const text = cleanText(input.split(',')[0] ?? '')
  if (!text) return { kind: 'unparsed', text: input }

  const block = text.match(/^(\d+)\s+(?:BLOCK OF|BLK|BLOCK)\s+(.+)$/)
  if (block) {
    const street = parseStreet((block[2] as string).replace(/\s+REAR$/, ''))
    if (street) return { kind: 'block', number: Math.floor(Number(block[1]) / 100) * 100, street }
  }

  const crossing = text
    .replace(/^SIGNAL \d+ ?-? ?/, '')
    .split(/\s*(?:&|\/|\bAND\b|\bAT\b|\bAT\b|@)\s*/)
    .map((p) => p.trim())
    .filter(Boolean)
  // '25TH / GUILFORD' crosses; '4300 E LOMBARD ST' does not.
  if (
    crossing.length >= 2 &&
    (!/^\d/.test(crossing[0] as string) || /^\d+(ST|ND|RD|TH)\b/.test(crossing[0] as string))
  ) {
    const streets = crossing.map(parseStreet).filter((s): s is StreetName => s !== null)
    if (streets.length >= 2) return { kind: 'intersection', streets }
  }

  const m = text.match(/^(\d+)([A-Z]|-\d+|\s?1\/2)?\s+(.+)$/)
  if (m) {
    let rest = m[3] as string
    let unit: string | null = null
    const unitMatch = rest.match(
      /\s(?:#\s?(\S+)|(APT|APARTMENT|UNIT|STE|SUITE|FL|FLOOR|RM|ROOM|BLDG|LOT)\s+(\S+))$/,
    )
    if (unitMatch) {
      unit = unitMatch[1] ?? unitMatch[3] ?? null
      rest = rest.slice(0, unitMatch.index)
    }
    const tokens = rest.split(' ')
    if (UNIT_WORDS.has(tokens[0] as string)) return { kind: 'unparsed', text: input }
    const street = parseStreet(rest)
    if (street) {
      return {
        kind: 'address',
        number: Number(m[1]),
        numberSuffix: (m[2] ?? '').trim(),
        street,
        unit,
      }
    }
  }
  const street = parseStreet(text)
  if (street && !/\d{3,}/.test(street.name)) return { kind: 'street', street }
  return { kind: 'unparsed', text: input }
}
