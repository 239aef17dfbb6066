import { api } from '../../lib/api.js'

/** The registry and snow API as the console uses it (registry-routes.ts). */

export const NEED_WORDS: Record<string, string> = {
  power_dependent_equipment: 'Power-dependent equipment',
  oxygen: 'Oxygen',
  dialysis: 'Dialysis',
  mobility: 'Mobility',
  shut_in: 'Shut-in',
  cognitive: 'Cognitive',
}
export const NEEDS = Object.keys(NEED_WORDS)

export const OUTCOME_WORDS: Record<string, string> = {
  reached_fine: 'Reached, fine',
  needs_help: 'Needs help',
  not_reached: 'Not reached',
}
export const NEXT_WORDS: Record<string, string> = {
  done: 'Done',
  raise_incident: 'Raise an incident',
  try_again: 'Try again later',
  escalate: 'Escalate: send a welfare check',
}
export const STATE_WORDS: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'Being plowed',
  plowed: 'Plowed',
}
export const PRIORITY_WORDS: Record<number, string> = {
  1: 'Priority 1 (critical need)',
  2: 'Priority 2 (arterial)',
  3: 'Priority 3 (collector)',
  4: 'Priority 4 (local street)',
}

export interface Registrant {
  id: string
  name: string
  phone: string
  language: string
  address: {
    text: string
    lat: number | null
    lon: number | null
    policeDistrict: string | null
    neighborhood: string | null
  }
  consent: { givenBy: string; givenAt: string; method: string; recordedBy: string }
  verifiedAt: string
  reverifyBy: string
  verification: 'current' | 'due_soon' | 'expired'
  version: number
}

export interface WellnessRow extends Registrant {
  health: {
    needs: string[]
    contacts: Array<{ name: string; phone: string; relationship: string }>
    notes: string
  }
  attempts: number
  lastOutcome: string | null
  next: string | null
}

export interface QueuedRequest {
  incident: {
    id: string
    number: string
    callType: string
    status: string
    location: { text: string; block: string | null } | null
    receivedAt: string
  }
  segment: {
    id: string
    name: string
    priority: number
    basePriority: number
    state: string
    center: [number, number]
  } | null
}

export interface SnowQueues {
  since: string
  plow: QueuedRequest[]
  tow: QueuedRequest[]
  hazards: Array<{
    crew: string
    lat: number
    lon: number
    incidentIds: string[]
    callTypes: string[]
  }>
}

export const registryApi = {
  registrants: () =>
    api<{ registrants: Registrant[]; expired: number }>('GET', '/api/registry/registrants'),
  enrol: (body: unknown) => api<Registrant>('POST', '/api/registry/registrants', body),
  reverify: (r: Registrant) =>
    api<Registrant>('PATCH', `/api/registry/registrants/${r.id}`, {
      expectedVersion: r.version,
      reverified: true,
    }),
  wellness: () =>
    api<{ activation: { id: string; title: string }; registrants: WellnessRow[] }>(
      'GET',
      '/api/registry/wellness',
    ),
  recordCall: (registrantId: string, activationId: string, outcome: string) =>
    api<{ next: string }>('POST', `/api/registry/registrants/${registrantId}/wellness-calls`, {
      activationId,
      outcome,
    }),
  queues: () => api<SnowQueues>('GET', '/api/snow/queues'),
  setState: (segmentId: string, state: string) =>
    api<void>('PUT', `/api/snow/segments/${encodeURIComponent(segmentId)}/state`, { state }),
}
