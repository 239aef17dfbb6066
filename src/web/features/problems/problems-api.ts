import { api } from '../../lib/api.js'

/** The problems API as the console uses it (src/server/routes/problem-routes.ts). */

export const STAGES = ['scanning', 'analysis', 'response', 'assessment', 'closed'] as const
export type Stage = (typeof STAGES)[number]

export const STAGE_LABELS: Record<Stage, string> = {
  scanning: 'Scanning',
  analysis: 'Analysis',
  response: 'Response',
  assessment: 'Assessment',
  closed: 'Closed',
}

export interface Owner {
  kind: 'nsc' | 'officer' | 'agency'
  id: string
  name: string
}

export interface ProblemSummary {
  id: string
  number: string
  title: string
  stage: Stage
  owner: Owner | null
  blocks: string[]
  cells: string[]
  incidentCount: number
  responseStart: string | null
  updatedAt: string
}

export interface WindowCount {
  from: string
  to: string
  days: number
  count: number
  perDay: number | null
}

export interface BeforeAfter {
  splitDay: string
  windowDays: number
  before: WindowCount
  after: WindowCount
  changePct: number | null
  pValue: number | null
  significant: boolean
}

export interface ProblemEvent {
  at: string
  actor: string
  kind: string
  data: Record<string, unknown>
  text: string | null
}

export interface ProblemDetail extends ProblemSummary {
  description: string
  responseStartSetByHand: boolean
  createdBy: string
  version: number
  incidents: Array<{
    id: string
    number: string | null
    callType: string
    priority: number
    status: string
    location: { text: string; block: string | null } | null
    receivedAt: string
  }>
  events: ProblemEvent[]
  counts: {
    splitDay: string
    provisional: boolean
    '311': BeforeAfter
    '911': BeforeAfter
  }
  abilities: { 'problem:manage': boolean; 'problem:work': boolean }
}

export interface NewProblem {
  title: string
  description?: string
  blocks?: string[]
  cells?: string[]
  incidents?: string[]
  owner?: { kind: Owner['kind']; id: string }
}

export const listProblems = (query: string) =>
  api<{ problems: ProblemSummary[] }>('GET', `/api/problems?${query}`)
export const getProblem = (id: string, windowDays: number) =>
  api<ProblemDetail>('GET', `/api/problems/${encodeURIComponent(id)}?windowDays=${windowDays}`)
export const createProblem = (body: NewProblem) =>
  api<ProblemSummary>('POST', '/api/problems', body)
export const problemOwners = () => api<{ owners: Owner[] }>('GET', '/api/problems/owners')

const at = (id: string, rest: string) => `/api/problems/${encodeURIComponent(id)}${rest}`
export const moveStage = (
  id: string,
  body: { direction: 'advance' | 'back'; from: Stage; text?: string },
) => api('POST', at(id, '/stage'), body)
export const setOwner = (id: string, owner: { kind: Owner['kind']; id: string }) =>
  api('PUT', at(id, '/owner'), owner)
export const addNote = (id: string, text: string) => api('POST', at(id, '/notes'), { text })
export const linkIncidents = (id: string, incidents: string[]) =>
  api('POST', at(id, '/incidents'), { incidents })
export const unlinkIncident = (id: string, incidentId: string) =>
  api('DELETE', at(id, `/incidents/${encodeURIComponent(incidentId)}`))
export const setResponseStart = (id: string, day: string) =>
  api('PUT', at(id, '/response-start'), { day })

/** Splits what someone typed or pasted (commas, semicolons or new lines) into items. */
export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}
