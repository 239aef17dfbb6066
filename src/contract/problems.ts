import { z } from 'zod'
import { OWNER_KINDS, PROBLEM_STAGES } from '../domain/problems/problem.js'

/** Staff API schemas for problems, problem-oriented policing (issue #8 item 4). */

const id = z.string().min(1).max(80)
const text = z.string().max(4000)

export const problemIdParam = z.object({ id })
export const problemIncidentParam = z.object({ id, incidentId: id })

const owner = z
  .object({
    kind: z.enum(OWNER_KINDS).describe('nsc, officer or agency'),
    id: z
      .string()
      .min(1)
      .max(80)
      .describe("the agency code (nsc, agency) or the officer's user name"),
  })
  .strict()

export const newProblemBody = z
  .object({
    title: z.string().max(200),
    description: text.optional(),
    blocks: z
      .array(z.string().max(200))
      .max(1000)
      .optional()
      .describe("a hot spot's street blocks, e.g. '400 BLOCK E PRATT ST'"),
    cells: z.array(z.string().max(20)).max(1000).optional().describe("a hot spot's H3 cells"),
    incidents: z
      .array(z.string().max(80))
      .max(2000)
      .optional()
      .describe('a selection of incidents by number (311-0000123) or id; their blocks are used'),
    owner: owner.optional(),
  })
  .strict()
  .refine((b) => b.blocks?.length || b.cells?.length || b.incidents?.length, {
    message: 'give the blocks, the cells or the incidents the problem is about',
    path: ['blocks'],
  })

export const problemQuery = z
  .object({
    stage: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (!s) return undefined
        const list = s.split(',')
        const bad = list.filter((x) => !(PROBLEM_STAGES as readonly string[]).includes(x))
        if (bad.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown stage ${bad.join(', ')} (use ${PROBLEM_STAGES.join(', ')})`,
          })
          return z.NEVER
        }
        return list as Array<(typeof PROBLEM_STAGES)[number]>
      }),
    ownerKind: z.enum(OWNER_KINDS).optional(),
    ownerId: z.string().min(1).max(80).optional(),
    mine: z.enum(['true', 'false']).optional().describe('only problems I own as an officer'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()

export const problemViewQuery = z
  .object({
    windowDays: z.coerce
      .number()
      .int()
      .min(7)
      .max(365)
      .default(28)
      .describe('days counted before and after the response start'),
  })
  .strict()

export const stageBody = z
  .object({
    direction: z.enum(['advance', 'back']),
    from: z.enum(PROBLEM_STAGES).describe('the stage the problem is in as you saw it'),
    text: text.optional().describe('a note when advancing; the reason, required, when going back'),
  })
  .strict()

export const ownerBody = owner

export const noteBody = z.object({ text }).strict()

export const linkBody = z
  .object({
    incidents: z
      .array(z.string().min(1).max(80))
      .min(1)
      .max(500)
      .describe('incident numbers (311-0000123) or ids'),
  })
  .strict()

export const responseStartBody = z
  .object({ day: z.string().describe('local date the response began, YYYY-MM-DD') })
  .strict()
