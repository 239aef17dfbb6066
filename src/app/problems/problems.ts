import { cellToChildren, getResolution, isValidCell } from 'h3-js'
import { authorizeScope } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import { localDate } from '../../domain/analytics/trends.js'
import type { Incident } from '../../domain/incidents/incident.js'
import { addDays, type BeforeAfter, beforeAfter } from '../../domain/problems/before-after.js'
import {
  advanceStage,
  linkIncidents,
  MAX_CELLS,
  noteOn,
  type OwnerKind,
  openProblem,
  type Problem,
  type ProblemEvent,
  type ProblemOwner,
  type ProblemStage,
  returnStage,
  setOwner,
  setResponseStart,
  unlinkIncident,
} from '../../domain/problems/problem.js'
import { type FieldProblem, found, ValidationError } from '../../domain/shared/errors.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'

/** How far back and forward before/after counts look when nobody says (four weeks each). */
export const DEFAULT_WINDOW_DAYS = 28
/** The linked incidents a problem page lists (most recently linked first). */
const LISTED_INCIDENTS = 100

/** Before/after counts for 311 and 911 on a problem's places. */
export interface ProblemCounts {
  splitDay: string
  /** True until the response starts: the split is today, so only "before" has days. */
  provisional: boolean
  '311': BeforeAfter
  '911': BeforeAfter
}

export interface ProblemView {
  problem: Problem
  /** The most recently linked incidents (at most 100; `problem.links` has them all). */
  incidents: Incident[]
  events: ProblemEvent[]
  counts: ProblemCounts
}

export interface NewProblemInput {
  title: string
  description?: string | undefined
  /** Street blocks of a hot spot, as incidents name them. */
  blocks?: string[] | undefined
  /** H3 cells of a hot spot (coarser cells are taken as their children at the store's resolution). */
  cells?: string[] | undefined
  /** A selection of incidents, by number (311-0000123) or id; their blocks become the problem's. */
  incidents?: string[] | undefined
  owner?: { kind: OwnerKind; id: string } | undefined
}

/**
 * Opens a problem from a hot spot (blocks or cells) or from a selection of incidents, whose
 * blocks (or, for an incident placed without a block, its cell) become the problem's places.
 */
export async function createProblem(
  deps: AppDeps,
  actor: Actor,
  input: NewProblemInput,
): Promise<Problem> {
  const selected = input.incidents?.length
    ? await resolveIncidents(deps, input.incidents, 'incidents')
    : []
  const blocks = [...(input.blocks ?? [])]
  const givenCells = [...(input.cells ?? [])]
  for (const i of selected) {
    if (i.location?.block) blocks.push(i.location.block)
    else if (i.location?.h3) givenCells.push(i.location.h3)
  }
  const cells = cellsAtStoreResolution(givenCells, deps.config.H3_RESOLUTION)
  const owner = input.owner ? await resolveOwner(deps, input.owner) : null
  const now = deps.clock.now()
  const { problem, event } = openProblem({
    id: deps.ids.next(),
    title: input.title,
    description: input.description,
    origin:
      selected.length > 0
        ? { kind: 'selection', incidentIds: selected.map((i) => i.id) }
        : input.blocks?.length
          ? { kind: 'hot_spot', places: 'block', ids: input.blocks }
          : { kind: 'hot_spot', places: 'cell', ids: input.cells ?? [] },
    blocks,
    cells,
    incidentIds: selected.map((i) => i.id),
    owner,
    actor: actor.id,
    now,
  })
  const saved = await deps.store.problems.create(problem, [event])
  await audit(
    deps,
    actor,
    'problem_created',
    'success',
    { type: 'problem', id: saved.id },
    { number: saved.number, blocks: saved.blocks.length, cells: saved.cells.length },
  )
  deps.log.info({ problem: saved.number, actor: actor.id }, 'problem opened')
  return saved
}

export interface ProblemQuery {
  stage?: ProblemStage[] | undefined
  ownerKind?: OwnerKind | undefined
  ownerId?: string | undefined
  /** Only problems the actor owns as an officer. */
  mine?: boolean | undefined
  limit: number
}

export async function listProblems(
  deps: AppDeps,
  actor: Actor,
  q: ProblemQuery,
): Promise<Problem[]> {
  return deps.store.problems.list({
    ...(q.stage?.length ? { stage: q.stage } : {}),
    ...(q.mine
      ? { ownerKind: 'officer' as const, ownerId: actor.id }
      : {
          ...(q.ownerKind ? { ownerKind: q.ownerKind } : {}),
          ...(q.ownerId ? { ownerId: q.ownerId } : {}),
        }),
    limit: q.limit,
  })
}

/** A problem with its incidents, history and before/after counts for 311 and 911. */
export async function problemView(
  deps: AppDeps,
  _actor: Actor,
  id: string,
  windowDays = DEFAULT_WINDOW_DAYS,
): Promise<ProblemView> {
  const problem = found(await deps.store.problems.problem(id), 'problem', id)
  const newest = [...problem.links]
    .sort((a, b) => b.linkedAt - a.linkedAt)
    .slice(0, LISTED_INCIDENTS)
  const [incidents, events, counts] = await Promise.all([
    Promise.all(newest.map((l) => deps.store.incidents.get(l.incidentId))),
    deps.store.problems.events(id),
    countsFor(deps, problem, windowDays),
  ])
  return {
    problem,
    incidents: incidents.filter((i): i is Incident => i !== null),
    events,
    counts,
  }
}

async function countsFor(
  deps: AppDeps,
  problem: Problem,
  windowDays: number,
): Promise<ProblemCounts> {
  const today = todayOf(deps)
  const splitDay = problem.responseStart ?? today
  // Only whole days: the one under way would make the after rate look low.
  const lastAfter = addDays(splitDay, windowDays - 1)
  const yesterday = addDays(today, -1)
  const daily = await deps.store.problems.dailyCounts(
    problem,
    addDays(splitDay, -windowDays),
    [lastAfter, yesterday].sort()[0] as string,
  )
  return {
    splitDay,
    provisional: problem.responseStart === null,
    '311': beforeAfter(daily['311'], splitDay, windowDays, today),
    '911': beforeAfter(daily['911'], splitDay, windowDays, today),
  }
}

export type StageMove = { direction: 'advance' | 'back'; from: ProblemStage; text?: string }

/** Moves a problem along SARA (or back one stage with a reason). Its owner may, as an officer. */
export async function moveStage(
  deps: AppDeps,
  actor: Actor,
  id: string,
  move: StageMove,
): Promise<Problem> {
  const p = await mustGet(deps, id)
  authorizeScope(actor, 'problem', p)
  const now = deps.clock.now()
  const { problem, event } =
    move.direction === 'advance'
      ? advanceStage(p, move.from, move.text, actor.id, now, todayOf(deps))
      : returnStage(p, move.from, move.text, actor.id, now)
  return save(deps, actor, p, problem, [event], {
    change: 'stage',
    from: p.stage,
    to: problem.stage,
  })
}

export async function assignOwner(
  deps: AppDeps,
  actor: Actor,
  id: string,
  owner: { kind: OwnerKind; id: string },
): Promise<Problem> {
  const p = await mustGet(deps, id)
  const resolved = await resolveOwner(deps, owner)
  const { problem, event } = setOwner(p, resolved, actor.id, deps.clock.now())
  return save(deps, actor, p, problem, [event], { change: 'owner', owner: resolved })
}

export async function addNote(
  deps: AppDeps,
  actor: Actor,
  id: string,
  text: string,
): Promise<ProblemEvent> {
  const p = await mustGet(deps, id)
  authorizeScope(actor, 'problem', p)
  const { problem, event } = noteOn(p, text, actor.id, deps.clock.now())
  await save(deps, actor, p, problem, [event], { change: 'note' })
  return event
}

/** Links incidents by number or id; unknown ones are refused together, each named. */
export async function linkToProblem(
  deps: AppDeps,
  actor: Actor,
  id: string,
  refs: readonly string[],
): Promise<Problem> {
  const p = await mustGet(deps, id)
  const incidents = await resolveIncidents(deps, refs, 'incidents')
  const { problem, events } = linkIncidents(
    p,
    incidents.map((i) => i.id),
    actor.id,
    deps.clock.now(),
  )
  if (events.length === 0) return p
  return save(deps, actor, p, problem, events, { change: 'linked', incidents: events.length })
}

export async function unlinkFromProblem(
  deps: AppDeps,
  actor: Actor,
  id: string,
  incidentId: string,
): Promise<Problem> {
  const p = await mustGet(deps, id)
  const { problem, event } = unlinkIncident(p, incidentId, actor.id, deps.clock.now())
  return save(deps, actor, p, problem, [event], { change: 'unlinked', incidentId })
}

/** Sets by hand the day the response began, where before/after counts split. */
export async function setProblemResponseStart(
  deps: AppDeps,
  actor: Actor,
  id: string,
  day: string,
): Promise<Problem> {
  const p = await mustGet(deps, id)
  const { problem, event } = setResponseStart(p, day, actor.id, deps.clock.now(), todayOf(deps))
  return save(deps, actor, p, problem, [event], { change: 'response_start', day })
}

/** Who can own a problem: the catalogue's NSC and agencies, and active officers. */
export async function problemOwners(deps: AppDeps): Promise<ProblemOwner[]> {
  const snap = await deps.catalogue.snapshot()
  const users = await deps.store.accounts.users()
  return [
    ...snap.agencies.map((a) => ({
      kind: ownerKindOfAgency(a.kind),
      id: a.code,
      name: a.name,
    })),
    ...users
      .filter((u) => u.active && u.roles.some((r) => OFFICER_ROLES.includes(r)))
      .map((u) => ({ kind: 'officer' as const, id: u.username, name: u.displayName }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  ]
}

/** Officers, patrol or community policing, can own a problem. */
const OFFICER_ROLES: readonly string[] = ['officer', 'community_policing']

/** The Neighborhood Service Center and the community policing unit count as 'nsc'. */
function ownerKindOfAgency(kind: string): 'nsc' | 'agency' {
  return kind === 'agency' ? 'agency' : 'nsc'
}

async function resolveOwner(
  deps: AppDeps,
  owner: { kind: OwnerKind; id: string },
): Promise<ProblemOwner> {
  if (owner.kind === 'officer') {
    const found = await deps.store.accounts.userByName(owner.id)
    const u = found?.user
    if (!u?.active || !u.roles.some((r) => OFFICER_ROLES.includes(r)))
      throw new ValidationError([
        { path: 'owner.id', message: `'${owner.id}' is not the user name of an active officer` },
      ])
    return { kind: 'officer', id: u.username, name: u.displayName }
  }
  const snap = await deps.catalogue.snapshot()
  const agency = snap.agencies.find((a) => a.code === owner.id)
  if (!agency || ownerKindOfAgency(agency.kind) !== owner.kind)
    throw new ValidationError([
      {
        path: 'owner.id',
        message:
          owner.kind === 'nsc'
            ? `'${owner.id}' is not a Neighborhood Service Center in the catalogue`
            : `'${owner.id}' is not an agency in the catalogue`,
      },
    ])
  return { kind: owner.kind, id: agency.code, name: agency.name }
}

/** Incidents by number ('311-0000123', '123') or id, every unknown one named at once. */
async function resolveIncidents(
  deps: AppDeps,
  refs: readonly string[],
  path: string,
): Promise<Incident[]> {
  const problems: FieldProblem[] = []
  const found: Incident[] = []
  for (const [i, raw] of refs.entries()) {
    const ref = raw.trim()
    // "311-0000123", "0000123" or "123" is a number people read out; anything else an id.
    const m = /^(?:311-)?0*(\d{1,12})$/.exec(ref)
    const n = m?.[1] ? Number(m[1]) : null
    const incident =
      n !== null ? await deps.store.incidents.byNumber(n) : await deps.store.incidents.get(ref)
    if (incident) found.push(incident)
    else problems.push({ path: `${path}.${i}`, message: `no incident '${ref}'` })
  }
  if (problems.length > 0) throw new ValidationError(problems)
  return found
}

/**
 * Cells at the store's H3 resolution, which is the one incidents and 911 calls carry: a coarser
 * hot-spot cell stands for its children; a finer one cannot be counted and is refused. Invalid
 * text is left for the domain to name.
 */
function cellsAtStoreResolution(cells: readonly string[], resolution: number): string[] {
  const out: string[] = []
  const problems: FieldProblem[] = []
  for (const [i, raw] of cells.entries()) {
    const c = raw.trim().toLowerCase()
    if (!isValidCell(c)) {
      out.push(c)
      continue
    }
    const r = getResolution(c)
    if (r === resolution) out.push(c)
    else if (r > resolution)
      problems.push({
        path: `cells.${i}`,
        message: `calls are placed in H3 cells of resolution ${resolution}; '${c}' is finer (${r})`,
      })
    else if (7 ** (resolution - r) > MAX_CELLS)
      problems.push({ path: `cells.${i}`, message: `'${c}' covers too large an area` })
    else out.push(...cellToChildren(c, resolution))
  }
  if (problems.length > 0) throw new ValidationError(problems)
  return out
}

function todayOf(deps: AppDeps): string {
  return localDate(deps.clock.now(), deps.config.CITY_TIME_ZONE)
}

async function mustGet(deps: AppDeps, id: string): Promise<Problem> {
  return found(await deps.store.problems.problem(id), 'problem', id)
}

async function save(
  deps: AppDeps,
  actor: Actor,
  before: Problem,
  after: Problem,
  events: ProblemEvent[],
  details: Record<string, unknown>,
): Promise<Problem> {
  await deps.store.problems.update(after, before.version, events)
  await audit(deps, actor, 'problem_changed', 'success', { type: 'problem', id: after.id }, details)
  return after
}
