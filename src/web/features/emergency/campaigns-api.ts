import { api } from '../../lib/api.js'

/** Outbound campaigns as the console uses them (campaign-routes.ts). */

export interface CampaignProgress {
  total: number
  pending: number
  inProgress: number
  done: number
  escalated: number
  raised: number
  completion: number
  byOutcome: Record<string, number>
}

export interface CampaignOutcome {
  code: string
  label: string
  action: 'done' | 'try_again' | 'raise_incident' | 'note_incident'
}

export interface Campaign {
  id: string
  title: string
  source:
    | { kind: 'registry'; activationId: string }
    | { kind: 'incidents'; callTypes: string[]; from: string; to: string }
  activationId: string | null
  script: string
  outcomes: CampaignOutcome[]
  maxAttempts: number
  retryAfterMinutes: number
  status: 'open' | 'closed'
  createdBy: string
  createdAt: string
  progress: CampaignProgress
}

export type CampaignPerson =
  | {
      kind: 'registrant'
      name: string
      phone: string
      language: string
      address: string
      reverifyBy: string
      health: {
        needs: string[]
        contacts: Array<{ name: string; phone: string; relationship: string }>
        notes: string
      }
    }
  | {
      kind: 'caller'
      name: string | null
      phone: string
      incident: {
        id: string
        number: string | null
        callType: string
        location: string | null
        status: string
        receivedAt: string
      }
    }

export interface CampaignCall {
  campaign: Campaign
  entry: { id: string; attempts: number; lastOutcome: string | null; heldUntil: string | null }
  person: CampaignPerson
  attempts: Array<{ outcome: string; note: string; at: string; by: string }>
}

export interface RecordedCall {
  entry: { id: string; state: string; attempts: number; lastOutcome: string; dueAt: string }
  incidentId: string | null
  progress: CampaignProgress
}

export const campaignsApi = {
  list: () => api<{ campaigns: Campaign[] }>('GET', '/api/campaigns'),
  create: (body: unknown) => api<Campaign>('POST', '/api/campaigns', body),
  next: (id: string) => api<CampaignCall | undefined>('POST', `/api/campaigns/${id}/next`, {}),
  record: (id: string, entryId: string, outcome: string, note: string) =>
    api<RecordedCall>('POST', `/api/campaigns/${id}/entries/${entryId}/calls`, { outcome, note }),
  close: (id: string) => api<Campaign>('POST', `/api/campaigns/${id}/close`, {}),
}
