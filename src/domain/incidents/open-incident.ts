import { latLngToCell } from 'h3-js'
import { type Answers, checkAnswers } from '../catalogue/answers.js'
import type { CallType, EscalationQuestion, PriorityLevel } from '../catalogue/catalogue-schema.js'
import type { Channel } from '../catalogue/vocabulary.js'
import { dueAtFor } from '../dispatch/dispatch-queue.js'
import type { Referral } from '../referrals/referral.js'
import { type FieldProblem, ValidationError } from '../shared/errors.js'
import { type Instant, MINUTE } from '../shared/instant.js'
import { applyOverride, type TriageOverride } from '../triage/override.js'
import { triage } from '../triage/triage.js'
import type {
  Caller,
  Contact,
  Disposition,
  Incident,
  IncidentEvent,
  IncidentStatus,
} from './incident.js'

/** Who called, as the call-taker recorded it. Anonymous callers leave no identity at all. */
export type CallerInput =
  | { anonymous: true }
  | {
      anonymous: false
      name?: string
      phone?: string
      email?: string
      callbackConsent?: boolean
      ani?: string
      ali?: Record<string, unknown>
    }

/** One contact as it reaches the system. */
export interface ContactInput {
  channel: Channel
  receivedAt: Instant
  answeredAt?: Instant
  endedAt?: Instant
  caller: CallerInput
}

/** A location as given, possibly completed by the geography (block, segment, areas). */
export interface LocationInput {
  text: string
  lat?: number
  lon?: number
  block?: string
  segmentId?: string
  policeDistrict?: string
  beat?: string
  neighborhood?: string
}

/** What the call-taker (or a web form) submits to open an incident. */
export interface OpenIncidentRequest {
  contact: ContactInput
  location?: LocationInput
  narrative?: string
  answers?: Answers
  override?: TriageOverride
}

/** The rest of the world the rules need, passed in so this stays pure. */
export interface OpenIncidentSetting {
  callType: CallType
  screening: readonly EscalationQuestion[]
  priorityLevels: readonly PriorityLevel[]
  agencyCodes: ReadonlySet<string>
  timeZone: string
  h3Resolution: number
  /** How long a delayed response waits before it joins the dispatch queue. */
  delayedHoldMs: number
  now: Instant
  actor: string
  /** The staff member taking the contact, null for self-service channels. */
  takenBy: string | null
  ids: { incident: string; contact: string; caller: string }
}

/** Everything one intake writes, in one transaction. */
export interface OpenedIncident {
  incident: Incident
  contact: Contact
  caller: Caller | null
  events: IncidentEvent[]
  /** The referral sent with it, when its response is a referral (saved in the same transaction). */
  referral?: Referral | null
}

/**
 * Calls transferred from 911 and self-service submissions land in the PSA review queue
 * (Rochester: "911 to 311 transfer, reviewed by PSA") instead of going straight to a response.
 */
const REVIEWED_CHANNELS: ReadonlySet<Channel> = new Set([
  'transfer_911',
  'web',
  'open311',
  'social_media',
])

/** How far in the future a client's clock may be before we call its time stamp wrong. */
const CLOCK_SKEW = 5 * MINUTE

/**
 * Opens an incident from a contact: validates the input, triages it, applies any override and
 * builds the records to save. Throws a ValidationError listing every problem.
 */
export function openIncident(req: OpenIncidentRequest, s: OpenIncidentSetting): OpenedIncident {
  const { callType, now } = s
  const answers = req.answers ?? {}
  const problems: FieldProblem[] = []
  if (!callType.active) {
    problems.push({ path: 'callType', message: `'${callType.code}' is no longer in use` })
  }
  problems.push(...checkContact(req.contact, now, 'contact'))
  problems.push(...checkLocation(req.location))
  // Unknown or mistyped answers are refused before triage sees them.
  const answerProblems = checkAnswers(callType, s.screening, answers, { complete: false })
  problems.push(...answerProblems)
  if (problems.length > 0) throw new ValidationError(problems)

  const hasCoordinates = req.location?.lat !== undefined && req.location?.lon !== undefined
  const decision = triage(callType, s.screening, answers, {
    channel: req.contact.channel,
    at: req.contact.receivedAt,
    timeZone: s.timeZone,
    hasLocation: hasCoordinates,
  })
  // Required questions must be answered, except when an emergency is being handed on: a
  // protocol form must never hold up a 911 transfer.
  if (!decision.emergency) {
    const missing = checkAnswers(callType, s.screening, answers, { complete: true })
    if (missing.length > 0) throw new ValidationError(missing)
  }
  const overridden = req.override
    ? applyOverride(decision, req.override, s.priorityLevels, s.agencyCodes)
    : null
  const mode = overridden?.mode ?? decision.mode

  // What the call-taker completes on the line ends the incident there: information given, or
  // a telephone report taken (which gets its report number when saved).
  const completedOnCall: Disposition | null =
    mode === 'information_only'
      ? 'information_given'
      : mode === 'telephone_report'
        ? 'report_taken'
        : null
  const status: IncidentStatus = REVIEWED_CHANNELS.has(req.contact.channel)
    ? 'new'
    : completedOnCall
      ? 'closed'
      : 'pending'

  const location = req.location
    ? {
        text: req.location.text.trim(),
        lat: req.location.lat ?? null,
        lon: req.location.lon ?? null,
        h3: hasCoordinates
          ? latLngToCell(req.location.lat as number, req.location.lon as number, s.h3Resolution)
          : null,
        block: req.location.block ?? null,
        segmentId: req.location.segmentId ?? null,
        policeDistrict: req.location.policeDistrict ?? null,
        beat: req.location.beat ?? null,
        neighborhood: req.location.neighborhood ?? null,
      }
    : null

  const incident: Incident = {
    id: s.ids.incident,
    number: null,
    callType: callType.code,
    family: callType.family,
    priority: overridden?.priority ?? decision.priority,
    mode,
    referral: overridden ? overridden.referral : decision.referral,
    status,
    disposition: status === 'closed' ? completedOnCall : null,
    reportNumber: null,
    location,
    narrative: (req.narrative ?? '').trim(),
    answers,
    triage: decision,
    override: overridden?.override ?? null,
    channel: req.contact.channel,
    receivedAt: req.contact.receivedAt,
    createdAt: now,
    updatedAt: now,
    createdBy: s.actor,
    duplicateOf: null,
    eido: null,
    dueAt: status === 'closed' ? null : dueAtFor(mode, req.contact.receivedAt, s.delayedHoldMs),
    version: 1,
  }

  const { contact, caller } = buildContact(req.contact, incident.id, s)
  const event = (
    kind: IncidentEvent['kind'],
    data: Record<string, unknown>,
    reason: string | null = null,
  ) =>
    ({
      incidentId: incident.id,
      at: now,
      actor: s.actor,
      kind,
      data,
      reason,
    }) satisfies IncidentEvent
  const events: IncidentEvent[] = [
    event('received', {
      channel: contact.channel,
      contactId: contact.id,
      anonymous: contact.anonymous,
    }),
    event('triaged', {
      mode: decision.mode,
      priority: decision.priority,
      referral: decision.referral,
      emergency: decision.emergency,
      explanation: decision.explanation,
    }),
  ]
  if (overridden) events.push(event('overridden', overridden.override, overridden.override.reason))
  if (status === 'closed') {
    events.push(
      event('status_changed', { from: 'new', to: 'closed', disposition: completedOnCall }),
    )
  }
  return { incident, contact, caller, events }
}

/** Builds the contact (and the caller's restricted identity unless anonymous). */
export function buildContact(
  input: ContactInput,
  incidentId: string,
  s: Pick<OpenIncidentSetting, 'now' | 'takenBy' | 'ids'>,
): { contact: Contact; caller: Caller | null } {
  const c = input.caller
  const caller: Caller | null = c.anonymous
    ? null
    : {
        id: s.ids.caller,
        name: c.name?.trim() || null,
        phone: c.phone?.trim() || null,
        email: c.email?.trim() || null,
        callbackConsent: c.callbackConsent ?? false,
        ani: c.ani?.trim() || null,
        ali: c.ali ?? null,
      }
  const contact: Contact = {
    id: s.ids.contact,
    incidentId,
    channel: input.channel,
    receivedAt: input.receivedAt,
    answeredAt: input.answeredAt ?? null,
    endedAt: input.endedAt ?? null,
    takenBy: s.takenBy,
    anonymous: c.anonymous,
    callerId: caller?.id ?? null,
    createdAt: s.now,
  }
  return { contact, caller }
}

/** Time stamps must be in order and not in the future. */
export function checkContact(c: ContactInput, now: Instant, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = []
  if (c.receivedAt > now + CLOCK_SKEW) {
    problems.push({ path: `${prefix}.receivedAt`, message: 'is in the future' })
  }
  if (c.answeredAt !== undefined && c.answeredAt < c.receivedAt) {
    problems.push({ path: `${prefix}.answeredAt`, message: 'is before receivedAt' })
  }
  if (c.endedAt !== undefined && c.endedAt < (c.answeredAt ?? c.receivedAt)) {
    problems.push({ path: `${prefix}.endedAt`, message: 'is before the call was answered' })
  }
  if (c.caller.anonymous === false) {
    const { name, phone, email, ani } = c.caller
    if (!name?.trim() && !phone?.trim() && !email?.trim() && !ani?.trim()) {
      problems.push({
        path: `${prefix}.caller`,
        message: 'give a name, phone, email or ANI, or mark the caller anonymous',
      })
    }
  }
  return problems
}

function checkLocation(loc: OpenIncidentRequest['location']): FieldProblem[] {
  if (!loc) return []
  const problems: FieldProblem[] = []
  const hasLat = loc.lat !== undefined
  const hasLon = loc.lon !== undefined
  if (hasLat !== hasLon)
    problems.push({ path: 'location', message: 'give both lat and lon, or neither' })
  if (!loc.text.trim() && !hasLat)
    problems.push({ path: 'location.text', message: 'describe the location' })
  return problems
}
