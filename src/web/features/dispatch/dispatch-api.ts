import { api } from '../../lib/api.js'

/** The dispatch screens' view of the staff API (src/server/routes/dispatch-routes.ts). */

export interface UnitRow {
  id: string
  callSign: string
  type: string
  splitForceRole: string | null
  district: string | null
  beat: string | null
  activity: string | null
  availability: 'available' | 'conditionally_available' | 'not_available'
  assignmentId: string | null
  position: { lat: number; lon: number } | null
  onDuty: boolean
  crew: string | null
  version: number
}

export interface QueueRow {
  incidentId: string
  number: string | null
  callType: string
  priority: number
  mode: string
  receivedAt: string
  dueAt: string | null
  district: string | null
  beat: string | null
  point: { lat: number; lon: number } | null
  waitedMs: number
  targetMs: number | null
  late: boolean
}

export interface AssignmentRow {
  id: string
  incidentId: string
  incidentNumber: string | null
  unitId: string
  callSign: string
  role: 'primary' | 'backup'
  dualDispatch: { kind: string; reason: string } | null
  assignedAt: string
  enRouteAt: string | null
  onSceneAt: string | null
  clearedAt: string | null
  disposition: string | null
  active: boolean
}

export interface Board {
  queue: QueueRow[]
  queueTotal: number
  held: Array<Omit<QueueRow, 'waitedMs' | 'targetMs' | 'late'>>
  heldTotal: number
  units: UnitRow[]
  active: AssignmentRow[]
}

export interface Recommendation {
  unit: UnitRow
  distanceM: number | null
  reasons: string[]
}

export const loadBoard = () => api<Board>('GET', '/api/dispatch/board')

export const recommend = (incidentId: string) =>
  api<{ units: Recommendation[] }>('GET', `/api/dispatch/recommendations/${incidentId}`)

export const assignUnit = (body: {
  incidentId: string
  unitId: string
  role: 'primary' | 'backup'
  dualDispatch?: { reason: string }
}) => api<AssignmentRow>('POST', '/api/dispatch/assignments', body)

export const recallUnit = (assignmentId: string, reason: string) =>
  api<AssignmentRow>('POST', `/api/dispatch/assignments/${assignmentId}/recall`, { reason })

export const stepAssignment = (assignmentId: string, step: 'en-route' | 'on-scene') =>
  api<AssignmentRow>('POST', `/api/dispatch/assignments/${assignmentId}/${step}`)

export const clearAssignment = (assignmentId: string, disposition: string) =>
  api<AssignmentRow>('POST', `/api/dispatch/assignments/${assignmentId}/clear`, { disposition })

/** "4:05" for a wait in milliseconds; hours when long. */
export function formatWait(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}:${sec}`
}

/** Subscribes to the live feed for the given event types; returns the unsubscribe. */
export function onLive(types: readonly string[], handler: () => void): () => void {
  const source = new EventSource('/api/live')
  for (const t of types) source.addEventListener(t, handler)
  return () => source.close()
}
