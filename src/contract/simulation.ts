/**
 * The policy lab's wire shapes (issue #9): a scenario file (the CLI reads it, the lab posts it),
 * a run of scenarios compared side by side, the calibration query and the staffing plan query.
 * The scenario schema checks the SHAPE (every field, with its path); checkScenario in
 * src/sim/model/scenario.ts then checks the meaning (168 hours, call types in the catalogue).
 */
import { z } from 'zod'
import { ValidationError } from '../domain/shared/errors.js'
import type { Scenario } from '../sim/model/scenario.js'
import { CALL_SOURCES, FORCES } from '../sim/model/scenario.js'
import { PRESET_KEYS } from '../sim/policies.js'

const nonNegative = z.number().min(0)
const week = z.array(nonNegative).length(168, 'needs 168 numbers, one per hour of the week')

export const distributionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), value: nonNegative }).strict(),
  z.object({ kind: z.literal('exponential'), mean: z.number().positive() }).strict(),
  z
    .object({
      kind: z.literal('lognormal'),
      mean: z.number().positive(),
      sd: z.number().positive(),
    })
    .strict(),
  z
    .object({ kind: z.literal('gamma'), mean: z.number().positive(), sd: z.number().positive() })
    .strict(),
  z.object({ kind: z.literal('uniform'), min: nonNegative, max: nonNegative }).strict(),
  z
    .object({ kind: z.literal('empirical'), values: z.array(nonNegative).min(1).max(100_000) })
    .strict(),
])

const source = z.enum(CALL_SOURCES as [string, ...string[]])
const share = z.number().min(0).max(1)

const line = z
  .object({
    agentsByHourOfWeek: z
      .array(z.number().int().min(0).max(10_000))
      .length(168, 'needs 168 whole numbers, one per hour of the week'),
    handleSeconds: distributionSchema,
    patienceSeconds: distributionSchema.nullable(),
    targetSeconds: nonNegative,
  })
  .strict()

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(200),
    days: z.number().positive().max(3660),
    warmUpDays: nonNegative.max(366),
    arrivals: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('poisson'),
          hourOfWeek: week.optional(),
          streams: z
            .array(
              z
                .object({
                  callType: z.string().min(1).max(100),
                  source,
                  perWeek: nonNegative,
                  hourOfWeek: week.optional(),
                })
                .strict(),
            )
            .min(1)
            .max(20_000),
        })
        .strict(),
      z
        .object({
          kind: z.literal('replay'),
          records: z
            .array(
              z
                .object({ atSeconds: nonNegative, callType: z.string().min(1).max(100), source })
                .strict(),
            )
            .min(1)
            .max(5_000_000),
        })
        .strict(),
    ]),
    answers: z
      .record(
        z.string(),
        z.array(
          z.object({ share: nonNegative, answers: z.record(z.string(), z.unknown()) }).strict(),
        ),
      )
      .optional(),
    lines: z.object({ '911': line, '311': line }).strict(),
    response: z
      .object({
        policy: z.enum(['catalogue', 'dispatch_all']),
        delayedHoldMinutes: nonNegative,
      })
      .strict(),
    patrol: z
      .object({
        shifts: z
          .array(
            z
              .object({
                force: z.enum(FORCES as [string, ...string[]]),
                units: z.number().int().min(0).max(100_000),
                startHour: z.number().int().min(0).max(23),
                hours: z.number().int().min(1).max(168),
                days: z.array(z.number().int().min(0).max(6)).optional(),
              })
              .strict(),
          )
          .max(1000),
        travelMinutes: distributionSchema,
        travelMinutesByPriority: z.record(z.string(), distributionSchema).optional(),
        onSceneMinutes: distributionSchema,
        onSceneMinutesByCallType: z.record(z.string(), distributionSchema).optional(),
        civilianOnSceneMinutes: distributionSchema.optional(),
      })
      .strict(),
    duplicates: z.object({ share, linkedShare: share }).strict(),
    referrals: z.object({ returnedShare: share, returnAfterHours: nonNegative }).strict(),
  })
  .strict()

/**
 * A scenario from parsed JSON, or a ValidationError listing every problem by its path
 * ("lines.911.agentsByHourOfWeek: needs 168 whole numbers…").
 */
export function parseScenario(json: unknown, pathPrefix = ''): Scenario {
  const parsed = scenarioSchema.safeParse(json)
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => ({
        path: [pathPrefix, ...i.path.map(String)].filter(Boolean).join('.') || 'scenario',
        message: i.message,
      })),
    )
  return parsed.data as Scenario
}

/** The levers the lab edits per scenario (src/sim/policies.ts ScenarioLevers). */
export const leversSchema = z
  .object({
    line311: z.boolean().optional(),
    diversionShare: share.optional(),
    responsePolicy: z.enum(['catalogue', 'dispatch_all']).optional(),
    linkDuplicates: z.boolean().optional(),
    callResponseOfficers: z.number().min(0).max(10).optional(),
    problemSolvingOfficers: z.number().min(0).max(10).optional(),
    splitForceShare: share.optional(),
    civilianResponders: z.number().min(0).max(10).optional(),
    callTakers911: z.number().min(0).max(10).optional(),
    callTakers311: z.number().min(0).max(10).optional(),
  })
  .strict()

/** POST /api/simulation/runs: scenarios from a base, each a preset or levers of its own. */
export const simulationRunBody = z
  .object({
    base: z.enum(['demo', 'calibrated']).default('demo'),
    /** Calls a year of the demo city (ignored for a calibrated base). */
    callsPerYear: z.number().int().min(1000).max(5_000_000).default(100_000),
    days: z.number().int().min(1).max(365).default(28),
    scenarios: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(80),
            preset: z.enum(PRESET_KEYS).optional(),
            levers: leversSchema.default({}),
          })
          .strict(),
      )
      .min(1)
      .max(8),
    replications: z.number().int().min(2).max(50).default(5),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
  })
  .strict()
export type SimulationRunBody = z.infer<typeof simulationRunBody>

export const calibrationQuery = z
  .object({
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date as YYYY-MM-DD')
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date as YYYY-MM-DD')
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined))
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'give both from and to, or neither' })
    else if (q.from && q.to && q.to < q.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' })
  })

export const staffingQuery = z
  .object({
    line: z.enum(['911', '311']).default('311'),
    base: z.enum(['demo', 'calibrated']).default('demo'),
    callsPerYear: z.coerce.number().int().min(1000).max(5_000_000).default(100_000),
    /** Share of calls to answer within targetSeconds (0.8). */
    serviceLevel: z.coerce.number().gt(0).lt(1).default(0.8),
    targetSeconds: z.coerce.number().int().min(1).max(600).default(20),
    /** Share of scheduled time away from the phones (0.3). */
    shrinkage: z.coerce.number().min(0).max(0.9).default(0.3),
    /** Use callers' patience (Erlang A) rather than Erlang C. */
    model: z.enum(['erlang_c', 'erlang_a']).default('erlang_c'),
  })
  .strict()
export type StaffingQuery = z.infer<typeof staffingQuery>
