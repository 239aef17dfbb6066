import { api } from '../../lib/api.js'

/** The emergency information API as the console uses it (emergency-info-routes.ts). */

export const MODES = ['snow', 'pandemic', 'flood', 'other'] as const
export const MODE_WORDS: Record<string, string> = {
  snow: 'Snow emergency',
  pandemic: 'Pandemic',
  flood: 'Flood',
  other: 'Emergency',
}
export const KIND_WORDS: Record<string, string> = {
  pod: 'Point of dispensing',
  shelter: 'Shelter',
  warming_centre: 'Warming centre',
}

export interface Activation {
  id: string
  mode: string
  title: string
  area: { kind: 'city' } | { kind: 'police_district' | 'neighborhood'; names: string[] }
  startsAt: string
  endsAt: string | null
  callTypes: string[]
  publicBanner: string
  activatedBy: string
  deactivatedAt: string | null
  incidentCount?: number
}

export interface Facility {
  id: string
  kind: string
  name: string
  address: string
  lat: number | null
  lon: number | null
  hours: string
  capacity: number | null
  accessibility: string
  transit: string
  parking: string
  status: 'open' | 'full' | 'closed'
  distanceMetres?: number
}

export interface Version {
  id: string
  version: number
  body: string
  author: string
  approvedBy: string | null
  approvedAt: string | null
  validFrom: string
  validTo: string | null
}

export interface Article {
  id: string
  title: string
  audience: 'call_takers' | 'public'
  callType: string | null
  activationId: string | null
  versions: Version[]
  current: Version | null
}

export interface Script {
  articleId: string
  title: string
  versionId: string
  version: number
  body: string
  approvedBy: string | null
}

export const currentActivations = () =>
  api<{ activations: Activation[] }>('GET', '/api/activations/current').then((b) => b.activations)
export const listActivations = () =>
  api<{ activations: Activation[] }>('GET', '/api/activations').then((b) => b.activations)
export const activate = (body: unknown) => api<Activation>('POST', '/api/activations', body)
export const deactivate = (id: string) =>
  api<Activation>('POST', `/api/activations/${encodeURIComponent(id)}/deactivate`)

export const listFacilities = () =>
  api<{ facilities: Facility[] }>('GET', '/api/facilities').then((b) => b.facilities)
export const saveFacility = (body: unknown, id?: string) =>
  id
    ? api<Facility>('PUT', `/api/facilities/${encodeURIComponent(id)}`, body)
    : api<Facility>('POST', '/api/facilities', body)
export const setFacilityStatus = (id: string, status: string) =>
  api<Facility>('POST', `/api/facilities/${encodeURIComponent(id)}/status`, { status })
export const nearestFacilities = (at: { lat: number; lon: number }) =>
  api<{ facilities: Facility[] }>(
    'GET',
    `/api/facilities/nearest?lat=${at.lat}&lon=${at.lon}&limit=3`,
  ).then((b) => b.facilities)
export const facilityOffered = (incidentId: string, body: unknown) =>
  api<{ callbackId: string | null }>(
    'POST',
    `/api/incidents/${encodeURIComponent(incidentId)}/facility-offered`,
    body,
  )

export const listArticles = () =>
  api<{ articles: Article[] }>('GET', '/api/knowledge').then((b) => b.articles)
export const createArticle = (body: unknown) => api<Article>('POST', '/api/knowledge', body)
export const reviseArticle = (id: string, body: unknown) =>
  api<Version>('POST', `/api/knowledge/${encodeURIComponent(id)}/versions`, body)
export const approveVersion = (id: string) =>
  api<Version>('POST', `/api/knowledge/versions/${encodeURIComponent(id)}/approve`)
export const scriptsFor = (callType: string) =>
  api<{ scripts: Script[] }>(
    'GET',
    `/api/knowledge/script?callType=${encodeURIComponent(callType)}`,
  ).then((b) => b.scripts)
export const scriptUsed = (incidentId: string, versionId: string) =>
  api<void>('POST', `/api/incidents/${encodeURIComponent(incidentId)}/script-used`, { versionId })

/** "1.2 km" or "350 m": what a caller understands on the phone. */
export function distanceWords(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m / 10) * 10} m`
}
