import type { PublicReport } from '../../../app/open311/public-report.js'
import {
  MAX_PHOTO_BYTES,
  type Open311Attribute,
  type Open311Request,
  type Open311Service,
} from '../../../domain/open311/open311.js'

/**
 * The public page's only way to the server: the Open311 reads (no sign-in) and the page's own
 * report endpoint. No session, no CSRF token: nothing here is the staff API.
 */

/** The Open311 shapes the server sends, from the one definition (src/domain/open311). */
export type Service = Open311Service
/** One field of a category's form; `variable: false` is a notice to show, not a question. */
export type Attribute = Open311Attribute
export interface ServiceDefinition {
  service_code: string
  attributes: Attribute[]
}
/** A request as the public sees it (with the extensions the page asks for). */
export type ServiceRequest = Open311Request
/** What the page sends to POST /api/public/reports. */
export type ReportBody = PublicReport

export interface ReportReceipt {
  serviceRequestId: string
  notice: string
}

/** Any refusal, in one shape: a message, and each problem with the field it is about. */
export class PublicError extends Error {
  readonly status: number
  readonly problems: Array<{ path: string; message: string }>
  constructor(status: number, message: string, problems: Array<{ path: string; message: string }>) {
    super(message)
    this.status = status
    this.problems = problems
  }
}

export { MAX_PHOTO_BYTES }

const OFFLINE = 'The 311 service cannot be reached. Check your connection and try again.'

/** Reads both error shapes: Open311's `[{ code, description }]` and the API's `{ error }`. */
function errorOf(status: number, body: unknown): PublicError {
  if (Array.isArray(body)) {
    const problems = body
      .map((p) => (p as { description?: unknown }).description)
      .filter((d): d is string => typeof d === 'string')
      .map((message) => ({ path: 'request', message }))
    return new PublicError(status, problems.map((p) => p.message).join('; ') || OFFLINE, problems)
  }
  const e = (body as { error?: { message?: string; problems?: PublicError['problems'] } }).error
  if (status === 429)
    return new PublicError(status, e?.message ?? 'Too many reports; wait a minute.', [])
  if (status >= 500)
    return new PublicError(
      status,
      'The 311 service had a problem and may not have received your report. Try again in a minute.',
      [],
    )
  if (status === 413)
    return new PublicError(status, 'The report is too large: send a smaller photo.', [])
  return new PublicError(
    status,
    e?.message ?? `The 311 service could not answer (${status}). Try again.`,
    e?.problems ?? [],
  )
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'omit',
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  } catch {
    throw new PublicError(0, OFFLINE, [])
  }
  const json: unknown = await res.json().catch(() => ({}))
  if (!res.ok) throw errorOf(res.status, json)
  return json as T
}

export const fetchServices = () => call<Service[]>('GET', '/open311/v2/services.json')

export const fetchDefinition = (code: string) =>
  call<ServiceDefinition>('GET', `/open311/v2/services/${encodeURIComponent(code)}.json`)

/** One request by its number, with its public history; a 404 is a PublicError with status 404. */
export async function fetchRequest(id: string): Promise<ServiceRequest> {
  const [r] = await call<ServiceRequest[]>(
    'GET',
    `/open311/v2/requests/${encodeURIComponent(id)}.json?extensions=true`,
  )
  if (!r) throw new PublicError(404, `${id} was not found`, [])
  return r
}

/** The newest public requests, one page of 50. */
export const fetchRecent = () =>
  call<ServiceRequest[]>('GET', '/open311/v2/requests.json?extensions=true&page=1&page_size=50')

export const sendReport = (body: ReportBody) =>
  call<ReportReceipt>('POST', '/api/public/reports', body)

/** "311-0000123", "0000123" or "123", as the server reads a request number. */
export function isRequestNumber(text: string): boolean {
  return /^(?:311-)?\d{1,12}$/i.test(text.trim())
}

/** A W3C time as the resident's own clock reads it. */
export function localTime(iso: string | null): string {
  if (!iso) return ''
  const t = new Date(iso)
  return Number.isNaN(t.getTime())
    ? iso
    : t.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })
}

/** Server messages begin in lower case ("email is not…"); a sentence begins with a capital. */
export function sentence(text: string): string {
  const s = text.trim()
  return s ? s[0]!.toUpperCase() + s.slice(1) : s
}
