import type { Actor } from '../../domain/access/roles.js'
import type { CallType } from '../../domain/catalogue/catalogue-schema.js'
import { formatIncidentNumber, type Incident } from '../../domain/incidents/incident.js'
import {
  answersFrom,
  type FormFields,
  isListedPublicly,
  Open311Error,
  type Open311Request,
  type Open311Service,
  POLICE_SENSITIVE_MODES,
  readSubmission,
  requestView,
  serviceDefinitionOf,
  serviceOf,
  spamSignals,
  statusesFor,
  w3cTime,
} from '../../domain/open311/open311.js'
import { DAY, type Instant } from '../../domain/shared/instant.js'
import type { PublicRequestFilter } from '../../store/ports.js'
import { hashSecret } from '../accounts/secrets.js'
import type { AppDeps } from '../deps.js'
import { offeredNow } from '../emergency/activations.js'
import { publicServiceText } from '../emergency/knowledge.js'
import { createIncident } from '../incidents/create-incident.js'
import { linkContact } from '../incidents/incident-changes.js'
import { findDuplicates } from '../incidents/incident-queries.js'

/** The spec's window: a query may span 90 days, and lists at most 1,000 requests. */
const MAX_SPAN_MS = 90 * DAY
const MAX_REQUESTS = 1000

/** A duplicate this likely is linked instead of opened, and the reporter gets the original's id. */
const LINK_DUPLICATE_AT = 0.75

/** The call types offered to the public, by group and then name, as a form lists them. */
async function publicTypes(deps: AppDeps): Promise<CallType[]> {
  const snap = await deps.catalogue.snapshot()
  return [...snap.callTypes.values()]
    .filter((c) => c.public && c.active)
    .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name))
}

async function publicType(deps: AppDeps, code: string): Promise<CallType> {
  // What is not on the service list cannot be requested or described: an emergency's call
  // types only while it is on.
  const ct = (await offeredNow(deps, await publicTypes(deps))).find((c) => c.code === code)
  if (!ct) throw new Open311Error(404, `service_code ${code} was not found`)
  return ct
}

/** A jurisdiction_id, when sent, must be ours (the spec's 404). */
export function checkJurisdiction(deps: AppDeps, jurisdiction: string | null): void {
  if (jurisdiction && jurisdiction !== deps.config.OPEN311_JURISDICTION)
    throw new Open311Error(404, `jurisdiction_id ${jurisdiction} was not found`)
}

export async function services(deps: AppDeps): Promise<Open311Service[]> {
  // A call type with an approved public article is described in that article's words.
  const official = await publicServiceText(deps)
  // An emergency's call types are services only while it is on, as on the console.
  return (await offeredNow(deps, await publicTypes(deps))).map((ct) => {
    const s = serviceOf(ct)
    const text = official.get(ct.code)
    return text ? { ...s, description: text } : s
  })
}

export async function serviceDefinition(deps: AppDeps, code: string) {
  return serviceDefinitionOf(await publicType(deps, code))
}

/** The client behind an API key; a missing, unknown, revoked or staff key is the spec's 403. */
export async function keyHolder(deps: AppDeps, apiKey: string | null): Promise<Actor> {
  const token = apiKey ? await deps.store.accounts.tokenByHash(hashSecret(apiKey)) : null
  if (!token || token.revokedAt !== null || !token.roles.includes('open311_client'))
    throw new Open311Error(403, 'Invalid api_key received -- cannot create the request')
  await deps.store.accounts.touchToken(token.id, deps.clock.now())
  return { id: `token:${token.name}`, roles: token.roles, kind: 'token' }
}

export interface SubmissionResult {
  service_request_id: string
  service_notice: string
}

/**
 * A POST Service Request: read and checked like a call (the call type's questions are its
 * attributes), triaged, and put in the review queue with its channel. A report of something
 * already open nearby is linked to it, and the reporter gets the original's id.
 */
export async function submitRequest(
  deps: AppDeps,
  client: Actor,
  form: FormFields,
  channel: 'open311' | 'web' = 'open311',
  /** The public page asks; an Open311 client's email or phone is taken as asking to hear back. */
  consent?: boolean,
): Promise<SubmissionResult & { incidentId: string }> {
  const s = readSubmission(form)
  const signs = spamSignals(s, form.website?.[0]?.trim() || null)
  if (signs.length > 0)
    throw new Open311Error(400, `the request was not accepted: ${signs.join(', ')}`)
  const ct = await publicType(deps, s.serviceCode)
  const answers = answersFrom(ct, s.attributes)
  const text = s.addressString ?? (s.addressId ? `address id ${s.addressId}` : '')
  const location = {
    text,
    ...(s.lat !== null && s.long !== null ? { lat: s.lat, lon: s.long } : {}),
  }
  const name = [s.firstName, s.lastName].filter(Boolean).join(' ')
  const identified = Boolean(s.email || s.phone || name)
  const caller = identified
    ? {
        anonymous: false as const,
        ...(name ? { name } : {}),
        ...(s.email ? { email: s.email } : {}),
        ...(s.phone ? { phone: s.phone } : {}),
        // Leaving an email or phone on a report is asking to hear back about it.
        callbackConsent: consent ?? Boolean(s.email || s.phone),
      }
    : { anonymous: true as const }
  const contact = { channel, receivedAt: deps.clock.now(), caller }

  const dups = await findDuplicates(deps, {
    callType: ct.code,
    ...(s.lat !== null && s.long !== null ? { lat: s.lat, lon: s.long } : {}),
    ...(text && (s.lat === null || s.long === null) ? { location: text } : {}),
  })
  const parent = dups.find((d) => d.score >= LINK_DUPLICATE_AT)
  if (parent) {
    await linkContact(deps, client, parent.id, contact, null)
    return {
      service_request_id: formatIncidentNumber(parent.number) ?? parent.id,
      service_notice: 'This problem was already reported; your report was added to it.',
      incidentId: parent.id,
    }
  }
  const { incident } = await createIncident(
    deps,
    client,
    {
      callType: ct.code,
      contact,
      location,
      ...(s.description ? { narrative: s.description } : {}),
      answers,
    },
    null,
  )
  return {
    service_request_id: formatIncidentNumber(incident.number) ?? incident.id,
    service_notice: 'Received. A 311 agent reviews new requests and sends them to the right team.',
    incidentId: incident.id,
  }
}

/** GET Service Requests' parameters, as read from the query string. */
export interface RequestQuery {
  serviceRequestIds: string[] | null
  serviceCodes: string[] | null
  start: Instant | null
  end: Instant | null
  statuses: Array<'open' | 'closed'> | null
  extensions: boolean
  page: number
  pageSize: number | null
  updatedAfter: Instant | null
  updatedBefore: Instant | null
}

/** "311-0000123", "0000123" or "123" → 123; anything else matches nothing. */
function numberOf(id: string): number | null {
  const m = /^(?:311-)?0*(\d{1,12})$/.exec(id.trim())
  return m?.[1] ? Number(m[1]) : null
}

/**
 * GET Service Requests: ids override every other filter (the spec); otherwise the last 90 days
 * or the window asked for, at most 90 days wide, newest first, 1,000 at most (or one page).
 */
export async function findRequests(deps: AppDeps, q: RequestQuery): Promise<Open311Request[]> {
  const types = (await publicTypes(deps)).filter((c) => c.publicListing !== 'hidden')
  const byCode = new Map(types.map((c) => [c.code, c]))
  const filter: PublicRequestFilter = {
    callTypes: types.map((c) => c.code),
    excludeModes: POLICE_SENSITIVE_MODES,
    limit: MAX_REQUESTS,
    offset: 0,
  }
  if (q.serviceRequestIds) {
    filter.numbers = q.serviceRequestIds.flatMap((id) => {
      const n = numberOf(id)
      return n === null ? [] : [n]
    })
  } else {
    if (q.serviceCodes)
      filter.callTypes = filter.callTypes.filter((c) => q.serviceCodes?.includes(c))
    if (q.statuses) filter.statuses = q.statuses.flatMap(statusesFor)
    const now = deps.clock.now()
    const end = q.end ?? (q.start !== null ? q.start + MAX_SPAN_MS : now)
    const start = q.start ?? end - MAX_SPAN_MS
    if (end < start) throw new Open311Error(400, 'end_date is before start_date')
    if (end - start > MAX_SPAN_MS)
      throw new Open311Error(400, 'start_date to end_date may not span more than 90 days')
    filter.requestedFrom = start
    filter.requestedTo = end
    if (q.updatedAfter !== null) filter.updatedFrom = q.updatedAfter
    if (q.updatedBefore !== null) filter.updatedTo = q.updatedBefore
    if (q.pageSize !== null) {
      filter.limit = q.pageSize
      filter.offset = (q.page - 1) * q.pageSize
    }
  }
  const incidents = await deps.store.incidents.publicRequests(filter)
  return present(deps, incidents, byCode, q.extensions)
}

/** GET Service Request: an array of one, or the spec's 404. */
export async function findRequest(
  deps: AppDeps,
  id: string,
  extensions: boolean,
): Promise<Open311Request[]> {
  const n = numberOf(id)
  const incident = n === null ? null : await deps.store.incidents.byNumber(n)
  const ct = incident ? await deps.catalogue.callType(incident.callType).catch(() => null) : null
  if (!incident || !ct || !isListedPublicly(incident, ct))
    throw new Open311Error(404, `service_request_id ${id} was not found`)
  return present(deps, [incident], new Map([[ct.code, ct]]), extensions)
}

/**
 * GET token: every request is created at once ("realtime"), so a token is simply the request's
 * id; a client written for batch servers still finds its request.
 */
export async function findToken(deps: AppDeps, token: string) {
  const [r] = await findRequest(deps, token, false).catch(() => {
    throw new Open311Error(404, `token ${token} was not found`)
  })
  return [{ service_request_id: r?.service_request_id, token }]
}

/**
 * mySociety's GET Service Request Updates: one update per public request changed in the window,
 * with its current status, so FixMyStreet can follow what happened to reports it sent.
 */
export async function findUpdates(deps: AppDeps, start: Instant | null, end: Instant | null) {
  const now = deps.clock.now()
  const to = end ?? now
  const from = start ?? to - DAY
  if (to - from > MAX_SPAN_MS)
    throw new Open311Error(400, 'start_date to end_date may not span more than 90 days')
  const types = (await publicTypes(deps)).filter((c) => c.publicListing !== 'hidden')
  const incidents = await deps.store.incidents.publicRequests({
    callTypes: types.map((c) => c.code),
    excludeModes: POLICE_SENSITIVE_MODES,
    updatedFrom: from,
    updatedTo: to,
    limit: MAX_REQUESTS,
    offset: 0,
  })
  const byCode = new Map(types.map((c) => [c.code, c]))
  const views = await present(deps, incidents, byCode, false)
  return views.map((v, i) => ({
    update_id: `${v.service_request_id}-${incidents[i]?.version ?? 0}`,
    service_request_id: v.service_request_id,
    status: v.status,
    updated_datetime: v.updated_datetime,
    description: v.status_notes ?? (v.status === 'open' ? 'Open' : 'Closed'),
    media_url: '',
  }))
}

async function present(
  deps: AppDeps,
  incidents: readonly Incident[],
  byCode: ReadonlyMap<string, CallType>,
  extensions: boolean,
): Promise<Open311Request[]> {
  const snap = await deps.catalogue.snapshot()
  const agencyName = (code: string | null) =>
    (code ? snap.agencies.find((a) => a.code === code)?.name : null) ?? deps.config.AGENCY_NAME
  const out: Open311Request[] = []
  for (const incident of incidents) {
    const ct = byCode.get(incident.callType)
    if (!ct || !isListedPublicly(incident, ct)) continue
    const events = extensions ? await deps.store.incidents.events(incident.id) : undefined
    const parent =
      extensions && incident.duplicateOf
        ? await deps.store.incidents.get(incident.duplicateOf)
        : null
    out.push(
      requestView(incident, ct, {
        agencyName,
        extensions,
        ...(events ? { events } : {}),
        parentNumber: parent ? formatIncidentNumber(parent.number) : null,
      }),
    )
  }
  return out
}

/** The discovery document (Service Discovery spec: every field required). */
export function discovery(deps: AppDeps, baseUrl: string) {
  const changeset = w3cTime(Date.parse('2026-11-23T00:00:00Z'))
  return {
    changeset,
    contact: `${deps.config.AGENCY_NAME} 311, ${deps.config.PUBLIC_URL}`,
    key_service: `Ask the ${deps.config.AGENCY_NAME} 311 administrator for an Open311 API key.`,
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: baseUrl,
        changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  }
}
