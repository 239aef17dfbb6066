import { api } from '../../lib/api.js'

/** What the intake screen reads and writes, in one place. */

export interface Question {
  code: string
  prompt: string
  type: 'string' | 'number' | 'datetime' | 'text' | 'single' | 'multi' | 'boolean'
  options?: string[]
  required?: boolean
}
export interface EscalationQuestion {
  code: string
  prompt: string
  escalatesTo: string
}
export interface CallTypeSummary {
  code: string
  name: string
  group: string
  synonyms: string[]
  defaultMode: string
}
export interface CallType extends CallTypeSummary {
  questions: Question[]
  escalation: EscalationQuestion[]
  description: string
  referral?: string
  slaHours?: number
}
export interface Agency {
  code: string
  name: string
  kind: string
  phone?: string
  email?: string
}
export const listAgencies = () =>
  api<{ agencies: Agency[] }>('GET', '/api/agencies').then((r) => r.agencies)
export interface Decision {
  mode: string
  priority: number
  referral: string | null
  emergency: boolean
  explanation: string[]
}
export interface Suggestion {
  kind: string
  label: string
  lat: number
  lon: number
  block: string | null
}
export interface Duplicate {
  id: string
  number: string
  callType: string
  locationText: string
  block: string | null
  distanceMetres: number | null
  minutesAgo: number
  callers: number
  reasons: string[]
}
export type Answers = Record<string, string | number | boolean | string[]>

export const listCallTypes = () =>
  api<{ callTypes: CallTypeSummary[] }>('GET', '/api/call-types').then((r) => r.callTypes)
export const getCallType = (code: string) =>
  api<CallType>('GET', `/api/call-types/${encodeURIComponent(code)}`)
export const getScreening = () =>
  api<{ screening: EscalationQuestion[] }>('GET', '/api/catalogue').then((r) => r.screening)
export const previewTriage = (callType: string, answers: Answers, hasLocation: boolean) =>
  api<{ decision: Decision; missingRequired: string[] }>('POST', '/api/triage/preview', {
    callType,
    answers,
    hasLocation,
  })
export const suggest = (q: string) =>
  api<{ suggestions: Suggestion[] }>(
    'GET',
    `/api/geography/suggest?q=${encodeURIComponent(q)}&limit=6`,
  ).then((r) => r.suggestions)
export const findDuplicates = (
  callType: string,
  at: { lat: number; lon: number } | null,
  text: string,
) =>
  api<{ candidates: Duplicate[] }>(
    'GET',
    `/api/duplicates?callType=${encodeURIComponent(callType)}${at ? `&lat=${at.lat}&lon=${at.lon}` : `&location=${encodeURIComponent(text)}`}`,
  ).then((r) => r.candidates)

export interface Opened {
  id: string
  number: string
  mode: string
  status: string
  disposition: string | null
  priority: number
  reportNumber: string | null
}
export const openIncident = (body: unknown, key: string) =>
  api<Opened>('POST', '/api/incidents', body, { 'idempotency-key': key })
export const linkCaller = (incidentId: string, contact: unknown, key: string) =>
  api<unknown>(
    'POST',
    `/api/incidents/${incidentId}/contacts`,
    { contact },
    { 'idempotency-key': key },
  )

export const MODE_WORDS: Record<string, string> = {
  transfer_911: 'Transfer to 911',
  dispatch_immediate: 'Dispatch now',
  dispatch_delayed: 'Dispatch when a unit is free',
  scheduled_appointment: 'Schedule an appointment',
  telephone_report: 'Take a telephone report',
  online_report: 'Online report',
  referral: 'Refer',
  civilian_response: 'Civilian responder',
  information_only: 'Give information',
}
