import type { Answers } from '../catalogue/answers.js'
import type { Channel, ResponseMode } from '../catalogue/vocabulary.js'
import type { Instant } from '../shared/instant.js'
import type { OverriddenDecision } from '../triage/override.js'
import type { TriageDecision } from '../triage/triage.js'

/**
 * Where an incident stands. `new` waits for a PSA's review (web, Open311, social media),
 * `pending` has its response chosen but not yet under way, `in_progress` is being worked,
 * `transferred` was handed to 911, `closed` ended with a disposition.
 */
export const INCIDENT_STATUSES = ['new', 'pending', 'in_progress', 'transferred', 'closed'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]

/** Statuses in which an incident can still attract duplicates and work. */
export const OPEN_STATUSES: ReadonlySet<IncidentStatus> = new Set(['new', 'pending', 'in_progress'])

/**
 * How an incident ended, with the APCO ANS 1.111.2 common disposition code where one exists
 * (research/police-call-management.md §3.2).
 */
export const DISPOSITIONS = {
  report_taken: { apco: '01', label: 'Report taken' },
  no_report: { apco: '02', label: 'No report' },
  arrest: { apco: '03', label: 'Arrest' },
  settled_by_phone: { apco: '05', label: 'Settled by phone contact' },
  cancelled: { apco: '10', label: 'Event cancelled' },
  information_given: { apco: '13', label: 'Information / administrative' },
  gone_on_arrival: { apco: '14', label: 'Gone on arrival / unable to locate' },
  referred: { apco: '15', label: 'Referred to partner agency' },
  settled_by_contact: { apco: '18', label: 'Settled by contact' },
  duplicate: { apco: '22', label: 'Cancelled - duplicate call' },
  transferred_911: { apco: null, label: 'Transferred to 911' },
} as const satisfies Record<string, { apco: string | null; label: string }>
export type Disposition = keyof typeof DISPOSITIONS
export const DISPOSITION_CODES = Object.keys(DISPOSITIONS) as Disposition[]

/** Where the problem is. Coordinates are optional until the geocoder places the text. */
export interface IncidentLocation {
  text: string
  lat: number | null
  lon: number | null
  /** H3 cell at the configured resolution, when coordinates are known. */
  h3: string | null
  /** Hundred-block key such as '4300 BLOCK E LOMBARD ST', when known. */
  block: string | null
  /** The street centerline segment it is on, when the geography placed it. */
  segmentId: string | null
  policeDistrict: string | null
  beat: string | null
  neighborhood: string | null
}

/** The problem being handled: a "service request" at the Open311 edge, "call for service" to police. */
export interface Incident {
  id: string
  /** Sequential number for people ("311-0000123"); assigned by the store when first saved. */
  number: number | null
  callType: string
  /** Call-type family, compared by duplicate detection. */
  family: string
  priority: number
  mode: ResponseMode
  referral: string | null
  status: IncidentStatus
  disposition: Disposition | null
  location: IncidentLocation | null
  narrative: string
  answers: Answers
  /** The engine's recommendation as it was when the incident was opened. */
  triage: TriageDecision
  override: OverriddenDecision['override'] | null
  channel: Channel
  receivedAt: Instant
  createdAt: Instant
  updatedAt: Instant
  createdBy: string
  /** The incident this one duplicates, when it was closed as a duplicate. */
  duplicateOf: string | null
  /** The 311→911 transfer package, once escalated. */
  eido: Record<string, unknown> | null
  /**
   * When a delayed response joins the dispatch queue (after the hold, or at a booked visit);
   * null for every other response, which queues at once.
   */
  dueAt: Instant | null
  /** 'R26-000123': issued by the store when a telephone report is taken. */
  reportNumber: string | null
  /** Optimistic-concurrency counter; every change increments it. */
  version: number
}

/** One interaction with a person about an incident: a call, a web submission, a post. */
export interface Contact {
  id: string
  incidentId: string
  channel: Channel
  receivedAt: Instant
  answeredAt: Instant | null
  endedAt: Instant | null
  /** The staff member who took it (user name), or null for self-service channels. */
  takenBy: string | null
  anonymous: boolean
  /** Restricted caller identity; null for anonymous contacts, which leave none. */
  callerId: string | null
  createdAt: Instant
}

/**
 * A known caller's identity. Kept apart from the incident, read only by roles allowed to, and
 * never in public output or logs.
 */
export interface Caller {
  id: string
  name: string | null
  phone: string | null
  email: string | null
  /** The caller agreed to be called back or told how it ended. */
  callbackConsent: boolean
  /** Automatic number identification from the telephony system, when supplied. */
  ani: string | null
  /** Automatic location identification, as the telephony system sent it. */
  ali: Record<string, unknown> | null
}

/** Kinds of entry in an incident's history. */
export const EVENT_KINDS = [
  'received',
  'triaged',
  'overridden',
  'contact_linked',
  'status_changed',
  'escalated_911',
  'marked_duplicate',
  'note_added',
  'unit_assigned',
  'unit_cleared',
  'referral_changed',
  'visit_scheduled',
] as const
export type EventKind = (typeof EVENT_KINDS)[number]

/** An append-only history entry: who did what, when, and why. */
export interface IncidentEvent {
  incidentId: string
  at: Instant
  actor: string
  kind: EventKind
  data: Record<string, unknown>
  reason: string | null
}

export function isOpen(status: IncidentStatus): boolean {
  return OPEN_STATUSES.has(status)
}

/** Whether saving this incident issues a report number: a report taken on the line. */
export function needsReportNumber(i: Incident): boolean {
  return i.disposition === 'report_taken' && i.reportNumber === null
}

/** "R26-000123": two-digit year and the year's sequence. */
export function formatReportNumber(year: number, n: number): string {
  return `R${String(year % 100).padStart(2, '0')}-${String(n).padStart(6, '0')}`
}

/** "311-0000123" */
export function formatIncidentNumber(n: number | null): string | null {
  return n === null ? null : `311-${String(n).padStart(7, '0')}`
}
