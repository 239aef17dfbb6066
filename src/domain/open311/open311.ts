import type { Answers } from '../catalogue/answers.js'
import type { CallType } from '../catalogue/catalogue-schema.js'
import type { QuestionType } from '../catalogue/vocabulary.js'
import {
  DISPOSITIONS,
  formatIncidentNumber,
  type Incident,
  type IncidentEvent,
  type IncidentStatus,
} from '../incidents/incident.js'
import { HOUR, type Instant } from '../shared/instant.js'

/**
 * Open311 GeoReport v2 (research/open311-anchors.md §1): the wire shapes, and the rules that
 * decide what the public may see of an incident. Pure: the server turns these into JSON or XML.
 */

/** One Open311 error; `code` is also the HTTP status unless a more specific one is given. */
export interface Open311Problem {
  code: number
  description: string
}

/** Thrown by the Open311 edge; answered as the spec's error array, in the client's format. */
export class Open311Error extends Error {
  readonly status: number
  readonly problems: Open311Problem[]
  constructor(status: number, problems: Open311Problem[] | string) {
    const list = typeof problems === 'string' ? [{ code: status, description: problems }] : problems
    super(list.map((p) => p.description).join('; '))
    this.status = status
    this.problems = list
  }
}

/**
 * The two statuses the public sees, mapped from ours in this one place: anything not closed is
 * still open to the resident (in review, waiting, being worked). A 911 transfer is hidden anyway.
 */
export function open311Status(status: IncidentStatus): 'open' | 'closed' {
  return status === 'closed' || status === 'transferred' ? 'closed' : 'open'
}

/** Our statuses behind each Open311 status, for filtering in the store. */
export function statusesFor(open311: 'open' | 'closed'): IncidentStatus[] {
  return open311 === 'closed' ? ['closed'] : ['new', 'pending', 'in_progress']
}

/** Responses that make an incident police-sensitive, whatever its call type. */
export const POLICE_SENSITIVE_MODES = ['transfer_911', 'dispatch_immediate'] as const

/** Whether the public may see the incident at all. */
export function isListedPublicly(incident: Incident, callType: CallType): boolean {
  return (
    callType.public &&
    callType.publicListing !== 'hidden' &&
    incident.status !== 'transferred' &&
    !(POLICE_SENSITIVE_MODES as readonly string[]).includes(incident.mode)
  )
}

/** W3C date-time with a zone and no fractions, as every Open311 client parses it. */
export function w3cTime(t: Instant): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface Open311Service {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime'
  keywords: string
  group: string
}

export function serviceOf(ct: CallType): Open311Service {
  return {
    service_code: ct.code,
    service_name: ct.name,
    description: ct.description,
    metadata: true,
    type: 'realtime',
    keywords: ct.synonyms.join(','),
    group: ct.group,
  }
}

type Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist'

const DATATYPE: Record<QuestionType, Datatype> = {
  string: 'string',
  number: 'number',
  datetime: 'datetime',
  text: 'text',
  single: 'singlevaluelist',
  multi: 'multivaluelist',
  boolean: 'singlevaluelist',
}

export interface Open311Attribute {
  variable: boolean
  code: string
  datatype: Datatype
  required: boolean
  datatype_description: string
  order: number
  description: string
  values?: Array<{ key: string; name: string }>
}

/** The notice every service shows first: 311 is not for emergencies. */
export const EMERGENCY_NOTICE = 'EMERGENCY_NOTICE'

/**
 * The form a client shows for a service: a non-variable notice that emergencies go to 911, then
 * the call type's protocol questions in order (a yes/no question is a list of yes and no).
 */
export function serviceDefinitionOf(ct: CallType): {
  service_code: string
  attributes: Open311Attribute[]
} {
  const attributes: Open311Attribute[] = [
    {
      variable: false,
      code: EMERGENCY_NOTICE,
      datatype: 'text',
      required: false,
      datatype_description: '',
      order: 1,
      description:
        'If anyone is in danger, or a crime is happening now, do not use this form: call 911.',
    },
  ]
  ct.questions.forEach((q, i) => {
    const datatype = DATATYPE[q.type]
    const values =
      q.type === 'boolean'
        ? [
            { key: 'true', name: 'Yes' },
            { key: 'false', name: 'No' },
          ]
        : q.options?.map((o) => ({ key: o, name: o.replaceAll('_', ' ') }))
    attributes.push({
      variable: true,
      code: q.code,
      datatype,
      required: q.required,
      datatype_description: q.help ?? (datatype === 'datetime' ? 'ISO 8601 with a time zone' : ''),
      order: i + 2,
      description: q.prompt,
      ...(values ? { values } : {}),
    })
  })
  return { service_code: ct.code, attributes }
}

/** The largest photo a report may carry, before base64. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024

/** A submitted form: each field's values as sent (a field may repeat). */
export type FormFields = Readonly<Record<string, readonly string[]>>

/** What a POST Service Request asks for, read and checked. */
export interface Open311Submission {
  serviceCode: string
  lat: number | null
  long: number | null
  addressString: string | null
  addressId: string | null
  description: string
  email: string | null
  phone: string | null
  firstName: string | null
  lastName: string | null
  deviceId: string | null
  accountId: string | null
  mediaUrl: string | null
  /** attribute[code] and attribute[code][] values as sent. */
  attributes: Record<string, string[]>
}

const LIMITS = { description: 4000, name: 100, field: 200, url: 2000 } as const

function one(form: FormFields, key: string): string | null {
  const v = form[key]
  if (!v || v.length === 0) return null
  const text = (v[v.length - 1] ?? '').trim()
  // The spec: a parameter sent empty is the same as one not sent (G10).
  return text === '' ? null : text
}

/**
 * Reads a POST Service Request form. Every problem is reported at once, as the spec's error
 * list; a missing service code is a 400, as is a request with no location.
 */
export function readSubmission(form: FormFields): Open311Submission {
  const problems: Open311Problem[] = []
  const bad = (description: string) => problems.push({ code: 400, description })
  const serviceCode = one(form, 'service_code')
  if (!serviceCode) bad('service_code is required')
  const latText = one(form, 'lat')
  const longText = one(form, 'long')
  const lat = latText === null ? null : Number(latText)
  const long = longText === null ? null : Number(longText)
  if ((latText === null) !== (longText === null)) bad('lat and long must be sent together')
  if (lat !== null && (!Number.isFinite(lat) || lat < -90 || lat > 90))
    bad('lat must be a number from -90 to 90 (WGS84)')
  if (long !== null && (!Number.isFinite(long) || long < -180 || long > 180))
    bad('long must be a number from -180 to 180 (WGS84)')
  const addressString = one(form, 'address_string')
  const addressId = one(form, 'address_id')
  if (latText === null && longText === null && !addressString && !addressId)
    bad('a location is required: lat and long, address_string, or address_id')
  const description = one(form, 'description') ?? ''
  if ([...description].length > LIMITS.description)
    bad(`description is limited to ${LIMITS.description} characters`)
  if (/<\/?[a-z][^>]*>/i.test(description))
    bad('description must be plain text, without HTML or code')
  const email = one(form, 'email')
  if (email && !/^[^\s@<>]{1,64}@[^\s@<>]{1,190}\.[^\s@<>]{2,}$/.test(email))
    bad('email is not an email address')
  const phone = one(form, 'phone')
  if (phone && !/^\+?[0-9 ().-]{7,25}$/.test(phone)) bad('phone is not a telephone number')
  const mediaUrl = one(form, 'media_url')
  if (mediaUrl && (!/^https?:\/\/\S+$/.test(mediaUrl) || mediaUrl.length > LIMITS.url))
    bad('media_url must be an http or https address')
  const text = (key: string, max: number) => {
    const v = one(form, key)
    if (v && [...v].length > max) bad(`${key} is limited to ${max} characters`)
    return v
  }
  const attributes: Record<string, string[]> = {}
  for (const [key, values] of Object.entries(form)) {
    const m = /^attribute\[([^\]]{1,64})\](\[\])?$/.exec(key)
    if (!m?.[1]) continue
    attributes[m[1]] = [...(attributes[m[1]] ?? []), ...values.map((v) => v.trim())]
  }
  const submission: Open311Submission = {
    serviceCode: serviceCode ?? '',
    lat,
    long,
    addressString: text('address_string', LIMITS.field),
    addressId: text('address_id', LIMITS.field),
    description,
    email,
    phone,
    firstName: text('first_name', LIMITS.name),
    lastName: text('last_name', LIMITS.name),
    deviceId: text('device_id', LIMITS.field),
    accountId: text('account_id', LIMITS.field),
    mediaUrl,
    attributes,
  }
  if (problems.length > 0) throw new Open311Error(400, problems)
  return submission
}

/**
 * Turns attribute values into protocol answers, checked against the call type's questions: an
 * unknown attribute, a value outside a list, or a missing required one is a 400 naming it.
 */
export function answersFrom(ct: CallType, attributes: Record<string, string[]>): Answers {
  const problems: Open311Problem[] = []
  const answers: Record<string, string | number | boolean | string[]> = {}
  const byCode = new Map(ct.questions.map((q) => [q.code, q]))
  for (const [code, values] of Object.entries(attributes)) {
    if (code === EMERGENCY_NOTICE) continue
    const q = byCode.get(code)
    if (!q) {
      problems.push({ code: 400, description: `attribute ${code} is not part of ${ct.code}` })
      continue
    }
    const given = values.filter((v) => v !== '')
    if (given.length === 0) continue
    const first = given[0] as string
    switch (q.type) {
      case 'multi': {
        const wrong = given.filter((v) => !q.options?.includes(v))
        if (wrong.length > 0)
          problems.push({
            code: 400,
            description: `attribute ${code}: ${wrong.join(', ')} is not one of ${q.options?.join(', ')}`,
          })
        else answers[code] = [...new Set(given)]
        break
      }
      case 'single':
        if (!q.options?.includes(first))
          problems.push({
            code: 400,
            description: `attribute ${code}: ${first} is not one of ${q.options?.join(', ')}`,
          })
        else answers[code] = first
        break
      case 'boolean':
        if (first !== 'true' && first !== 'false')
          problems.push({ code: 400, description: `attribute ${code} must be true or false` })
        else answers[code] = first === 'true'
        break
      case 'number': {
        const n = Number(first)
        if (!Number.isFinite(n))
          problems.push({ code: 400, description: `attribute ${code} must be a number` })
        else answers[code] = n
        break
      }
      case 'datetime':
        if (Number.isNaN(Date.parse(first)) || !/T.*(Z|[+-]\d{2}:\d{2})$/.test(first))
          problems.push({
            code: 400,
            description: `attribute ${code} must be an ISO 8601 date-time with a time zone`,
          })
        else answers[code] = first
        break
      default:
        if ([...first].length > (q.type === 'text' ? 2000 : 200))
          problems.push({ code: 400, description: `attribute ${code} is too long` })
        else answers[code] = first
    }
  }
  for (const q of ct.questions)
    if (
      q.required &&
      answers[q.code] === undefined &&
      !problems.some((p) => p.description.includes(`attribute ${q.code}`))
    )
      problems.push({ code: 400, description: `attribute ${q.code} is required (${q.prompt})` })
  if (problems.length > 0) throw new Open311Error(400, problems)
  return answers as Answers
}

/**
 * Simple signs of junk: many links, long runs of one character, or a form field only robots
 * fill in. Real residents write short, plain descriptions.
 */
export function spamSignals(
  s: Pick<Open311Submission, 'description'>,
  honeypot: string | null,
): string[] {
  const signs: string[] = []
  if (honeypot) signs.push('a hidden field was filled in')
  if ((s.description.match(/https?:\/\//g) ?? []).length > 3) signs.push('more than three links')
  if (/(.)\1{29,}/u.test(s.description)) signs.push('one character repeated 30 times')
  return signs
}

/** A service request as the public sees it (§1.8), with the common extensions when asked. */
export interface Open311Request {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string | null
  service_name: string
  service_code: string
  description: string | null
  agency_responsible: string | null
  service_notice: string | null
  requested_datetime: string
  updated_datetime: string
  expected_datetime: string | null
  address: string | null
  address_id: string | null
  zipcode: string | null
  lat: number | null
  long: number | null
  media_url: string | null
  extended_attributes?: Record<string, string | boolean | null>
  notes?: Array<{ datetime: string; type: string; summary: string; description: string }>
}

/** Channels where the description is the reporter's own words, written for the public form. */
const SELF_WRITTEN: ReadonlySet<string> = new Set(['web', 'open311'])

/** A point rounded to about 100 m, for types listed at the block. */
const generalise = (x: number) => Math.round(x * 1000) / 1000

/**
 * The public view of an incident. Never the caller; the narrative only when the reporter wrote
 * it for the public form (a call-taker's notes may name people); for a `block` type, the street
 * block and a point rounded to about 100 m instead of the address.
 */
export function requestView(
  incident: Incident,
  ct: CallType,
  options: {
    agencyName: (code: string | null) => string | null
    extensions: boolean
    events?: readonly IncidentEvent[]
    parentNumber?: string | null
  },
): Open311Request {
  const loc = incident.location
  const block = ct.publicListing === 'block'
  const closed = incident.status === 'closed'
  const view: Open311Request = {
    service_request_id: formatIncidentNumber(incident.number) ?? incident.id,
    status: open311Status(incident.status),
    status_notes: closed && incident.disposition ? DISPOSITIONS[incident.disposition].label : null,
    service_name: ct.name,
    service_code: ct.code,
    description:
      SELF_WRITTEN.has(incident.channel) && incident.narrative ? incident.narrative : null,
    agency_responsible: options.agencyName(incident.referral),
    service_notice: null,
    requested_datetime: w3cTime(incident.receivedAt),
    updated_datetime: w3cTime(incident.updatedAt),
    expected_datetime: ct.slaHours ? w3cTime(incident.receivedAt + ct.slaHours * HOUR) : null,
    address: block ? (loc?.block ?? null) : loc?.text || loc?.block || null,
    address_id: null,
    zipcode: null,
    lat: loc?.lat == null ? null : block ? generalise(loc.lat) : loc.lat,
    long: loc?.lon == null ? null : block ? generalise(loc.lon) : loc.lon,
    media_url: null,
  }
  if (!options.extensions) return view
  view.extended_attributes = {
    channel: incident.channel,
    police_district: loc?.policeDistrict ?? null,
    neighborhood: loc?.neighborhood ?? null,
    duplicate: incident.duplicateOf !== null,
    parent_service_request_id: options.parentNumber ?? null,
  }
  view.notes = (options.events ?? []).flatMap((e) => {
    const note = publicNote(e)
    return note ? [{ datetime: w3cTime(e.at), ...note }] : []
  })
  return view
}

/** The steps of an incident's history a resident may read, in plain words; nothing else. */
function publicNote(
  e: IncidentEvent,
): { type: string; summary: string; description: string } | null {
  switch (e.kind) {
    case 'received':
      return { type: 'submitted', summary: 'Request received', description: '' }
    case 'status_changed':
      return e.data.to === 'closed'
        ? {
            type: 'closed',
            summary: 'Request closed',
            description:
              typeof e.data.disposition === 'string' && e.data.disposition in DISPOSITIONS
                ? DISPOSITIONS[e.data.disposition as keyof typeof DISPOSITIONS].label
                : '',
          }
        : e.data.to === 'pending' && e.data.from === 'new'
          ? { type: 'opened', summary: 'Request reviewed', description: '' }
          : null
    case 'referral_changed':
      return e.data.to === 'sent'
        ? { type: 'activity', summary: `Sent to ${String(e.data.agency)}`, description: '' }
        : e.data.to === 'closed'
          ? { type: 'activity', summary: `${String(e.data.agency)} finished`, description: '' }
          : null
    case 'unit_assigned':
      return { type: 'activity', summary: 'A unit was assigned', description: '' }
    default:
      return null
  }
}
