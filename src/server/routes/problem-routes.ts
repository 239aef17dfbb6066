import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { AppDeps } from '../../app/deps.js'
import {
  addNote,
  assignOwner,
  createProblem,
  linkToProblem,
  listProblems,
  moveStage,
  problemOwners,
  problemView,
  setProblemResponseStart,
  unlinkFromProblem,
} from '../../app/problems/problems.js'
import {
  linkBody,
  newProblemBody,
  noteBody,
  ownerBody,
  problemIdParam,
  problemIncidentParam,
  problemQuery,
  problemViewQuery,
  responseStartBody,
  stageBody,
} from '../../contract/problems.js'
import { abilitiesFor } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import { formatIncidentNumber, type Incident } from '../../domain/incidents/incident.js'
import type { Problem, ProblemEvent } from '../../domain/problems/problem.js'

const tags = ['problems']
const iso = (t: number) => new Date(t).toISOString()

function presentProblem(p: Problem) {
  const { links, ...rest } = p
  return {
    ...rest,
    incidentCount: links.length,
    links: links.map((l) => ({ ...l, linkedAt: iso(l.linkedAt) })),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  }
}

/** The list shows what a problem is and where it stands, not every linked call. */
function presentSummary(p: Problem) {
  const { links, origin: _o, description: _d, ...rest } = p
  return {
    ...rest,
    incidentCount: links.length,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  }
}

/** What a problem page needs of a call: what, where, when, how it ended; never the caller. */
function presentIncident(i: Incident) {
  return {
    id: i.id,
    number: formatIncidentNumber(i.number),
    callType: i.callType,
    priority: i.priority,
    status: i.status,
    disposition: i.disposition,
    location: i.location ? { text: i.location.text, block: i.location.block } : null,
    receivedAt: iso(i.receivedAt),
  }
}

const presentEvent = (e: ProblemEvent) => ({ ...e, at: iso(e.at) })

/** The buttons the console may show on a problem page for this person. */
function problemAbilities(actor: Actor, p: Problem) {
  const base = abilitiesFor(actor, ['problem:manage', 'problem:work'])
  // An officer sees the stage and note buttons only on a problem they own (SCOPES).
  const owns = p.owner?.kind === 'officer' && p.owner.id === actor.id
  return {
    'problem:manage': Boolean(base['problem:manage']),
    'problem:work': Boolean(base['problem:manage']) || (Boolean(base['problem:work']) && owns),
  }
}

/** Problems for problem-oriented policing (issue #8 item 4): SARA, owners, before/after. */
export function problemRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/problems',
    {
      config: { action: 'problem:read' },
      schema: {
        tags,
        summary: 'Problems, most recently changed first (filter by stage and owner)',
        querystring: problemQuery,
      },
    },
    async (req) => {
      const { stage, ownerKind, ownerId, mine, limit } = req.query
      const problems = await listProblems(deps, req.actor, {
        stage,
        ownerKind,
        ownerId,
        mine: mine === 'true',
        limit,
      })
      return { problems: problems.map(presentSummary) }
    },
  )

  r.get(
    '/api/problems/owners',
    {
      config: { action: 'problem:manage' },
      schema: {
        tags,
        summary: 'Who can own a problem: the NSC, agencies and active officers',
      },
    },
    async () => ({ owners: await problemOwners(deps) }),
  )

  r.post(
    '/api/problems',
    {
      config: { action: 'problem:manage' },
      schema: {
        tags,
        summary: 'Open a problem from a hot spot (blocks or cells) or a selection of incidents',
        body: newProblemBody,
      },
    },
    async (req, reply) =>
      reply.code(201).send(presentProblem(await createProblem(deps, req.actor, req.body))),
  )

  r.get(
    '/api/problems/:id',
    {
      config: { action: 'problem:read' },
      schema: {
        tags,
        summary: 'A problem with its incidents, history and before/after counts (311 and 911)',
        params: problemIdParam,
        querystring: problemViewQuery,
      },
    },
    async (req) => {
      const v = await problemView(deps, req.actor, req.params.id, req.query.windowDays)
      return {
        ...presentProblem(v.problem),
        incidents: v.incidents.map(presentIncident),
        events: v.events.map(presentEvent),
        counts: v.counts,
        abilities: problemAbilities(req.actor, v.problem),
      }
    },
  )

  r.post(
    '/api/problems/:id/stage',
    {
      config: { action: 'problem:work' },
      schema: {
        tags,
        summary: 'Advance to the next SARA stage, or go back one with a reason',
        params: problemIdParam,
        body: stageBody,
      },
    },
    async (req) => {
      const { direction, from, text } = req.body
      return presentProblem(
        await moveStage(deps, req.actor, req.params.id, {
          direction,
          from,
          ...(text !== undefined ? { text } : {}),
        }),
      )
    },
  )

  r.put(
    '/api/problems/:id/owner',
    {
      config: { action: 'problem:manage' },
      schema: {
        tags,
        summary: 'Name who owns the problem',
        params: problemIdParam,
        body: ownerBody,
      },
    },
    async (req) => presentProblem(await assignOwner(deps, req.actor, req.params.id, req.body)),
  )

  r.post(
    '/api/problems/:id/notes',
    {
      config: { action: 'problem:work' },
      schema: { tags, summary: 'Add a note', params: problemIdParam, body: noteBody },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(presentEvent(await addNote(deps, req.actor, req.params.id, req.body.text))),
  )

  r.post(
    '/api/problems/:id/incidents',
    {
      config: { action: 'problem:manage' },
      schema: {
        tags,
        summary: 'Link incidents (by number or id) to the problem',
        params: problemIdParam,
        body: linkBody,
      },
    },
    async (req) =>
      presentProblem(await linkToProblem(deps, req.actor, req.params.id, req.body.incidents)),
  )

  r.delete(
    '/api/problems/:id/incidents/:incidentId',
    {
      config: { action: 'problem:manage' },
      schema: { tags, summary: 'Unlink an incident', params: problemIncidentParam },
    },
    async (req) =>
      presentProblem(
        await unlinkFromProblem(deps, req.actor, req.params.id, req.params.incidentId),
      ),
  )

  r.put(
    '/api/problems/:id/response-start',
    {
      config: { action: 'problem:manage' },
      schema: {
        tags,
        summary: 'Set the day the response began (where before/after counts split)',
        params: problemIdParam,
        body: responseStartBody,
      },
    },
    async (req) =>
      presentProblem(await setProblemResponseStart(deps, req.actor, req.params.id, req.body.day)),
  )
}
