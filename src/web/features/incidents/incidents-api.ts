import { api } from '../../lib/api.js'

export interface IncidentRow {
  id: string
  number: string
  callType: string
  priority: number
  mode: string
  status: string
  disposition: string | null
  channel: string
  receivedAt: string
  narrative: string
  reportNumber: string | null
  duplicateOf: string | null
  location: {
    text: string
    block: string | null
    policeDistrict: string | null
    neighborhood: string | null
  } | null
  triage: { explanation: string[] }
  version: number
  abilities: Record<string, boolean>
}
export interface ContactRow {
  id: string
  channel: string
  receivedAt: string
  takenBy: string | null
  anonymous: boolean
  caller?: { name: string | null; phone: string | null; email: string | null } | null
}
export interface EventRow {
  at: string
  actor: string
  kind: string
  data: Record<string, unknown>
  reason: string | null
}
export interface IncidentDetail {
  incident: IncidentRow
  contacts: ContactRow[]
  events: EventRow[]
}

export function searchIncidents(f: {
  q?: string
  status?: string
  callType?: string
  district?: string
  from?: string
  to?: string
}) {
  const params = new URLSearchParams({ limit: '50' })
  for (const [k, v] of Object.entries(f)) if (v) params.set(k, v)
  return api<{ incidents: IncidentRow[] }>('GET', `/api/incidents?${params}`).then(
    (r) => r.incidents,
  )
}
export const getIncident = (id: string) =>
  api<IncidentDetail>('GET', `/api/incidents/${encodeURIComponent(id)}`)
export const addNote = (id: string, text: string) =>
  api<IncidentRow>('POST', `/api/incidents/${id}/notes`, { text })
export const changeStatus = (
  id: string,
  body: { status: string; disposition?: string; reason?: string; expectedVersion: number },
) => api<IncidentRow>('POST', `/api/incidents/${id}/status`, body)
export const override = (
  id: string,
  body: { mode: string; reason: string; expectedVersion: number },
) => api<IncidentRow>('POST', `/api/incidents/${id}/override`, body)
