import { MAX_PHOTO_BYTES, Open311Error } from '../../domain/open311/open311.js'
import { DomainError, found, ValidationError } from '../../domain/shared/errors.js'
import type { AppDeps } from '../deps.js'
import { submitRequest } from './open311-api.js'

/** What the public page sends: the Open311 fields, in JSON, with a photo and explicit consent. */
export interface PublicReport {
  serviceCode: string
  lat?: number
  lon?: number
  address?: string
  description?: string
  attributes?: Record<string, string | string[]>
  photo?: { contentType: string; base64: string }
  contact?: { name?: string; email?: string; phone?: string; consent: boolean }
  /** Hidden from people; a robot that fills every field fills this one. */
  website?: string
}

/** Photos a phone takes, recognised by their first bytes, not by what the browser claims. */
const IMAGE_SIGNATURES: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/png',
    test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  },
  {
    type: 'image/webp',
    test: (b) =>
      String.fromCharCode(...b.slice(0, 4)) === 'RIFF' &&
      String.fromCharCode(...b.slice(8, 12)) === 'WEBP',
  },
]

export { MAX_PHOTO_BYTES }

/**
 * A report from the city's own page: the same checks, triage, review queue and duplicate
 * linking as an Open311 request, through the same code, with the channel `web`. A photo is
 * checked to be an image and kept for staff. Returns the request id to show the resident.
 */
export async function submitPublicReport(
  deps: AppDeps,
  report: PublicReport,
): Promise<{ serviceRequestId: string; notice: string }> {
  const photo = report.photo ? checkPhoto(report.photo) : null
  const form: Record<string, string[]> = { service_code: [report.serviceCode] }
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') form[k] = [String(v)]
  }
  put('lat', report.lat)
  put('long', report.lon)
  put('address_string', report.address)
  put('description', report.description)
  put('email', report.contact?.email)
  put('phone', report.contact?.phone)
  put('first_name', report.contact?.name)
  put('website', report.website)
  for (const [code, v] of Object.entries(report.attributes ?? {}))
    form[Array.isArray(v) ? `attribute[${code}][]` : `attribute[${code}]`] = Array.isArray(v)
      ? v
      : [v]
  try {
    const r = await submitRequest(
      deps,
      { id: 'public web page', roles: [], kind: 'system' },
      form,
      'web',
      report.contact?.consent ?? false,
    )
    if (photo)
      await deps.store.incidents.addMedia({
        id: deps.ids.next(),
        incidentId: r.incidentId,
        contentType: photo.contentType,
        size: photo.bytes.length,
        bytes: photo.bytes,
        createdAt: deps.clock.now(),
      })
    return { serviceRequestId: r.service_request_id, notice: r.service_notice }
  } catch (err) {
    // The page speaks the staff API's error shape: each problem as a field to fix.
    if (err instanceof Open311Error)
      throw new ValidationError(
        err.problems.map((p) => ({ path: 'report', message: p.description })),
      )
    throw err
  }
}

function checkPhoto(p: { contentType: string; base64: string }) {
  if (p.base64.length > Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4)
    throw new DomainError('payload_too_large', 'the photo is larger than 2 MB; send a smaller one')
  const bytes = new Uint8Array(Buffer.from(p.base64, 'base64'))
  const kind = IMAGE_SIGNATURES.find((s) => s.test(bytes))
  if (!kind || bytes.length < 16)
    throw new ValidationError([{ path: 'photo', message: 'send a JPEG, PNG or WebP photo' }])
  if (bytes.length > MAX_PHOTO_BYTES)
    throw new DomainError('payload_too_large', 'the photo is larger than 2 MB; send a smaller one')
  return { contentType: kind.type, bytes }
}

/** The photos that came with an incident's reports, without their bytes. */
export function incidentPhotos(deps: AppDeps, incidentId: string) {
  return deps.store.incidents.mediaOf(incidentId)
}

export async function photo(deps: AppDeps, id: string) {
  return found(await deps.store.incidents.media(id), 'photo', id)
}
