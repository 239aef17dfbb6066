import { isValidCell } from 'h3-js'
import { ConflictError, type FieldProblem, ValidationError } from '../shared/errors.js'
import type { Instant } from '../shared/instant.js'

/**
 * A problem, in problem-oriented policing: a recurring pattern of calls at a few street blocks
 * (a hot spot) that the department works on as one thing rather than call by call. It moves
 * through SARA, Scanning → Analysis → Response → Assessment, has one owner who answers for it,
 * and is judged by whether calls on its blocks fell after the response began (issue #8 item 4).
 */
export const PROBLEM_STAGES = ['scanning', 'analysis', 'response', 'assessment', 'closed'] as const
export type ProblemStage = (typeof PROBLEM_STAGES)[number]

/** What each stage means, in the words of the SARA model, for the stepper's hints. */
export const STAGE_MEANINGS: Record<ProblemStage, string> = {
  scanning: 'Spot the pattern and say what the problem is',
  analysis: 'Find out why it happens here: who, when, what makes it possible',
  response: 'Act on the causes, with partners; calls are counted from the response start',
  assessment: 'Check whether it worked: calls on the blocks before and after the response',
  closed: 'Done: the assessment is recorded',
}

/** Who answers for a problem: the Neighborhood Service Center, an officer, or a city agency. */
export const OWNER_KINDS = ['nsc', 'officer', 'agency'] as const
export type OwnerKind = (typeof OWNER_KINDS)[number]

export interface ProblemOwner {
  kind: OwnerKind
  /** The agency code from the catalogue (nsc, agency) or the officer's user name. */
  id: string
  /** How people know them, kept so a list needs no look-up. */
  name: string
}

/**
 * Where a problem came from: a hot spot (ranked blocks or Gi* cells the analyst picked) or a
 * selection of incidents (its blocks are then those incidents' blocks).
 */
export type ProblemOrigin =
  | { kind: 'hot_spot'; places: 'block' | 'cell'; ids: string[] }
  | { kind: 'selection'; incidentIds: string[] }

/** An incident counted as part of the problem. */
export interface ProblemLink {
  incidentId: string
  linkedAt: Instant
  linkedBy: string
}

export interface Problem {
  id: string
  /** 'P-2026-0001', given by the store when first saved (null before). */
  number: string | null
  title: string
  description: string
  stage: ProblemStage
  owner: ProblemOwner | null
  origin: ProblemOrigin
  /** Street blocks as incidents and 911 calls name them ('400 BLOCK E PRATT ST'). */
  blocks: string[]
  /** H3 cells at the store's resolution. */
  cells: string[]
  links: ProblemLink[]
  /**
   * The local day the response began: before/after counts split here. Set by hand, or the day
   * the problem entered the response stage.
   */
  responseStart: string | null
  /** Whether `responseStart` was set by hand (then moving stages leaves it alone). */
  responseStartSetByHand: boolean
  createdAt: Instant
  createdBy: string
  updatedAt: Instant
  version: number
}

export const PROBLEM_EVENT_KINDS = [
  'created',
  'stage_changed',
  'owner_set',
  'incident_linked',
  'incident_unlinked',
  'response_start_set',
  'note',
] as const
export type ProblemEventKind = (typeof PROBLEM_EVENT_KINDS)[number]

/** One entry of a problem's history; the history is append-only. */
export interface ProblemEvent {
  problemId: string
  at: Instant
  actor: string
  kind: ProblemEventKind
  data: Record<string, unknown>
  /** A note, or the reason given for a change. */
  text: string | null
}

/** Limits that keep a problem a problem (a few blocks), not a district. */
export const MAX_BLOCKS = 200
export const MAX_CELLS = 500
export const MAX_LINKS = 2000
const MAX_TEXT = 4000

export interface NewProblem {
  id: string
  title: string
  description?: string | undefined
  origin: ProblemOrigin
  blocks: readonly string[]
  cells: readonly string[]
  /** Incidents linked from the start (a selection's incidents). */
  incidentIds?: readonly string[]
  owner?: ProblemOwner | null
  actor: string
  now: Instant
}

/** A block key as incidents store it: trimmed, single spaces, upper case. */
export function normaliseBlock(block: string): string {
  return block.trim().replace(/\s+/g, ' ').toUpperCase()
}

/** Opens a problem in the scanning stage; every problem with the input is reported at once. */
export function openProblem(input: NewProblem): { problem: Problem; event: ProblemEvent } {
  const problems: FieldProblem[] = []
  const title = input.title.trim().replace(/\s+/g, ' ')
  if (title.length < 3)
    problems.push({ path: 'title', message: 'give the problem a name of 3 characters or more' })
  if (title.length > 120) problems.push({ path: 'title', message: 'at most 120 characters' })
  const description = (input.description ?? '').trim()
  if (description.length > MAX_TEXT)
    problems.push({ path: 'description', message: `at most ${MAX_TEXT} characters` })
  const blocks = checkBlocks(input.blocks, problems)
  const cells = checkCells(input.cells, problems)
  if (blocks.length === 0 && cells.length === 0)
    problems.push({
      path: 'blocks',
      message:
        'a problem needs at least one street block or H3 cell (incidents without a known block give none)',
    })
  const incidentIds = [...new Set(input.incidentIds ?? [])]
  if (incidentIds.length > MAX_LINKS)
    problems.push({ path: 'incidents', message: `at most ${MAX_LINKS} incidents` })
  if (problems.length > 0) throw new ValidationError(problems)
  const problem: Problem = {
    id: input.id,
    number: null,
    title,
    description,
    stage: 'scanning',
    owner: input.owner ?? null,
    origin: input.origin,
    blocks,
    cells,
    links: incidentIds.map((incidentId) => ({
      incidentId,
      linkedAt: input.now,
      linkedBy: input.actor,
    })),
    responseStart: null,
    responseStartSetByHand: false,
    createdAt: input.now,
    createdBy: input.actor,
    updatedAt: input.now,
    version: 1,
  }
  return {
    problem,
    event: {
      problemId: input.id,
      at: input.now,
      actor: input.actor,
      kind: 'created',
      data: {
        origin: input.origin.kind,
        blocks: blocks.length,
        cells: cells.length,
        incidents: incidentIds.length,
        ...(problem.owner ? { owner: problem.owner } : {}),
      },
      text: null,
    },
  }
}

function checkBlocks(input: readonly string[], problems: FieldProblem[]): string[] {
  const blocks = [...new Set(input.map(normaliseBlock).filter((b) => b !== ''))]
  blocks.forEach((b, i) => {
    if (b.length > 120) problems.push({ path: `blocks.${i}`, message: 'at most 120 characters' })
  })
  if (blocks.length > MAX_BLOCKS)
    problems.push({
      path: 'blocks',
      message: `at most ${MAX_BLOCKS} blocks: split a larger area into several problems`,
    })
  return blocks
}

function checkCells(input: readonly string[], problems: FieldProblem[]): string[] {
  const cells = [...new Set(input.map((c) => c.trim().toLowerCase()).filter((c) => c !== ''))]
  cells.forEach((c, i) => {
    if (!isValidCell(c)) problems.push({ path: `cells.${i}`, message: `'${c}' is not an H3 cell` })
  })
  if (cells.length > MAX_CELLS)
    problems.push({ path: 'cells', message: `at most ${MAX_CELLS} cells` })
  return cells
}

const bump = (p: Problem, now: Instant): Problem => ({
  ...p,
  updatedAt: now,
  version: p.version + 1,
})

/**
 * Moves a problem to the next SARA stage. `from` is the stage the user saw, so a second press of
 * the same button does not skip a stage. Entering the response sets the before/after split to
 * `today` (the city's local date) unless someone set it by hand.
 */
export function advanceStage(
  p: Problem,
  from: ProblemStage,
  note: string | undefined,
  actor: string,
  now: Instant,
  today: string,
): { problem: Problem; event: ProblemEvent } {
  checkFrom(p, from)
  const at = PROBLEM_STAGES.indexOf(p.stage)
  const to = PROBLEM_STAGES[at + 1]
  if (!to) throw new ConflictError('problem_closed', 'the problem is closed; reopen it first')
  const text = optionalText(note, 'note')
  const entersResponse = to === 'response' && !p.responseStartSetByHand
  const next = bump(p, now)
  next.stage = to
  if (entersResponse) next.responseStart = today
  return {
    problem: next,
    event: {
      problemId: p.id,
      at: now,
      actor,
      kind: 'stage_changed',
      data: { from: p.stage, to, ...(entersResponse ? { responseStart: today } : {}) },
      text,
    },
  }
}

/**
 * Moves a problem back one stage (closed → assessment reopens it), with a reason, since going
 * back is a finding worth keeping (the analysis was wrong, the response did not happen).
 */
export function returnStage(
  p: Problem,
  from: ProblemStage,
  reason: string | undefined,
  actor: string,
  now: Instant,
): { problem: Problem; event: ProblemEvent } {
  checkFrom(p, from)
  const at = PROBLEM_STAGES.indexOf(p.stage)
  const to = PROBLEM_STAGES[at - 1]
  if (!to) throw new ConflictError('problem_at_start', 'scanning is the first stage')
  const text = optionalText(reason, 'reason')
  if (!text)
    throw new ValidationError([
      { path: 'reason', message: 'say why the problem goes back a stage' },
    ])
  const next = bump(p, now)
  next.stage = to
  // A response that is called off is no response: the split waits for the next one.
  const clearsStart = to === 'analysis' && !p.responseStartSetByHand
  if (clearsStart) next.responseStart = null
  return {
    problem: next,
    event: {
      problemId: p.id,
      at: now,
      actor,
      kind: 'stage_changed',
      data: { from: p.stage, to, back: true, ...(clearsStart ? { responseStart: null } : {}) },
      text,
    },
  }
}

function checkFrom(p: Problem, from: ProblemStage): void {
  if (p.stage !== from)
    throw new ConflictError(
      'stage_changed_meanwhile',
      `the problem is now in ${p.stage}, not ${from}; reload it and try again`,
    )
}

function optionalText(text: string | undefined, path: string): string | null {
  const t = text?.trim() ?? ''
  if (t.length > MAX_TEXT)
    throw new ValidationError([{ path, message: `at most ${MAX_TEXT} characters` }])
  return t === '' ? null : t
}

export function setOwner(
  p: Problem,
  owner: ProblemOwner,
  actor: string,
  now: Instant,
): { problem: Problem; event: ProblemEvent } {
  if (p.owner?.kind === owner.kind && p.owner.id === owner.id)
    throw new ConflictError('same_owner', `${owner.name} already owns the problem`)
  return {
    problem: { ...bump(p, now), owner },
    event: {
      problemId: p.id,
      at: now,
      actor,
      kind: 'owner_set',
      data: { from: p.owner, to: owner },
      text: null,
    },
  }
}

/** Links incidents; those already linked are left as they are (linking twice is harmless). */
export function linkIncidents(
  p: Problem,
  incidentIds: readonly string[],
  actor: string,
  now: Instant,
): { problem: Problem; events: ProblemEvent[] } {
  const have = new Set(p.links.map((l) => l.incidentId))
  const fresh = [...new Set(incidentIds)].filter((id) => !have.has(id))
  if (fresh.length === 0) return { problem: p, events: [] }
  if (p.links.length + fresh.length > MAX_LINKS)
    throw new ValidationError([
      { path: 'incidents', message: `a problem links at most ${MAX_LINKS} incidents` },
    ])
  return {
    problem: {
      ...bump(p, now),
      links: [
        ...p.links,
        ...fresh.map((incidentId) => ({ incidentId, linkedAt: now, linkedBy: actor })),
      ],
    },
    events: fresh.map((incidentId) => ({
      problemId: p.id,
      at: now,
      actor,
      kind: 'incident_linked' as const,
      data: { incidentId },
      text: null,
    })),
  }
}

export function unlinkIncident(
  p: Problem,
  incidentId: string,
  actor: string,
  now: Instant,
): { problem: Problem; event: ProblemEvent } {
  if (!p.links.some((l) => l.incidentId === incidentId))
    throw new ConflictError('not_linked', 'that incident is not linked to the problem')
  return {
    problem: { ...bump(p, now), links: p.links.filter((l) => l.incidentId !== incidentId) },
    event: {
      problemId: p.id,
      at: now,
      actor,
      kind: 'incident_unlinked',
      data: { incidentId },
      text: null,
    },
  }
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/

/** Whether text is a real calendar date 'YYYY-MM-DD'. */
export function isDay(text: string): boolean {
  if (!DAY_RE.test(text)) return false
  const t = Date.parse(`${text}T00:00:00Z`)
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === text
}

/**
 * Sets the day the response began by hand (it may have started before the problem was entered
 * here, or been delayed), so before/after counts split where the work really changed.
 */
export function setResponseStart(
  p: Problem,
  day: string,
  actor: string,
  now: Instant,
  today: string,
): { problem: Problem; event: ProblemEvent } {
  if (!isDay(day))
    throw new ValidationError([{ path: 'day', message: 'use a date such as 2026-03-01' }])
  if (day > today)
    throw new ValidationError([
      { path: 'day', message: 'the response start cannot be in the future' },
    ])
  return {
    problem: { ...bump(p, now), responseStart: day, responseStartSetByHand: true },
    event: {
      problemId: p.id,
      at: now,
      actor,
      kind: 'response_start_set',
      data: { from: p.responseStart, to: day },
      text: null,
    },
  }
}

/** A note on the problem's record: what was found, who was met, what was agreed. */
export function noteOn(
  p: Problem,
  text: string,
  actor: string,
  now: Instant,
): { problem: Problem; event: ProblemEvent } {
  const t = optionalText(text, 'text')
  if (!t) throw new ValidationError([{ path: 'text', message: 'write the note first' }])
  return {
    problem: bump(p, now),
    event: { problemId: p.id, at: now, actor, kind: 'note', data: {}, text: t },
  }
}

/** The number people use: P-2026-0001. */
export function formatProblemNumber(year: number, n: number): string {
  return `P-${year}-${String(n).padStart(4, '0')}`
}
