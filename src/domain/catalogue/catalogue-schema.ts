import { z } from 'zod'
import { ACTIVATION_MODES } from '../emergency/activation.js'
import {
  AGENCY_KINDS,
  CHANNELS,
  EMERGENCY_MODES,
  EMERGENCY_SIGNALS,
  QUESTION_TYPES,
  RESPONSE_MODES,
} from './vocabulary.js'

/**
 * The shape of the catalogue: the versioned file, and each call type as it is stored and
 * edited. Described for users in docs/catalogue-format.md; keep the two in step.
 */

const questionCode = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,47}$/, 'use lower_snake_case, at most 48 characters')

export const callTypeCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9_]{1,23}$/, 'use A-Z, 0-9 and _, 2 to 24 characters')

export const agencyCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9_]{0,23}$/, 'use A-Z, 0-9 and _, at most 24 characters')

const answerValue = z.union([z.string(), z.number(), z.boolean()])

export const questionSchema = z
  .object({
    code: questionCode,
    prompt: z.string().min(1).max(300),
    type: z.enum(QUESTION_TYPES),
    options: z.array(z.string().min(1).max(80)).min(1).max(50).optional(),
    required: z.boolean().default(false),
    help: z.string().max(500).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const needsOptions = q.type === 'single' || q.type === 'multi'
    if (needsOptions && !q.options) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `a ${q.type} question needs options`,
      })
    }
    if (!needsOptions && q.options) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `a ${q.type} question has no options`,
      })
    }
  })
export type Question = z.infer<typeof questionSchema>

export const escalationQuestionSchema = z
  .object({
    code: questionCode,
    prompt: z.string().min(1).max(300),
    signal: z.enum(EMERGENCY_SIGNALS),
    escalatesTo: z.enum(EMERGENCY_MODES),
    priority: z.number().int().default(1),
  })
  .strict()
export type EscalationQuestion = z.infer<typeof escalationQuestionSchema>

/** A condition over answers and context; see docs/catalogue-format.md "Conditions". */
export type Condition =
  | { answer: string; equals: string | number | boolean }
  | { answer: string; in: Array<string | number | boolean> }
  | { answer: string; includes: string }
  | { answer: string; gte?: number; lte?: number }
  | { answered: string }
  | { channel: Array<(typeof CHANNELS)[number]> }
  | { hours: [number, number] }
  | { hasLocation: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }

const hour = z.number().int().min(0).max(24)

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ answer: questionCode, equals: answerValue }).strict(),
    z.object({ answer: questionCode, in: z.array(answerValue).min(1) }).strict(),
    z.object({ answer: questionCode, includes: z.string() }).strict(),
    z
      .object({ answer: questionCode, gte: z.number().optional(), lte: z.number().optional() })
      .strict()
      .refine((c) => c.gte !== undefined || c.lte !== undefined, 'give gte, lte or both'),
    z.object({ answered: questionCode }).strict(),
    z.object({ channel: z.array(z.enum(CHANNELS)).min(1) }).strict(),
    z.object({ hours: z.tuple([hour, hour]) }).strict(),
    z.object({ hasLocation: z.boolean() }).strict(),
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
)

export const ruleSchema = z
  .object({
    when: conditionSchema,
    mode: z.enum(RESPONSE_MODES).optional(),
    priority: z.number().int().optional(),
    referral: agencyCode.optional(),
    because: z.string().min(1).max(300),
  })
  .strict()
  .refine((r) => r.mode || r.priority !== undefined || r.referral, {
    message: 'a rule must set a mode, a priority or a referral',
  })
export type Rule = z.infer<typeof ruleSchema>

export const callTypeSchema = z
  .object({
    code: callTypeCode,
    name: z.string().min(1).max(120),
    group: z.string().min(1).max(80),
    family: callTypeCode,
    synonyms: z.array(z.string().min(1).max(60)).max(40).default([]),
    apco: z
      .string()
      .regex(/^[A-Z0-9]{2,12}$/)
      .optional(),
    defaultPriority: z.number().int(),
    defaultMode: z.enum(RESPONSE_MODES),
    referral: agencyCode.optional(),
    public: z.boolean().default(false),
    /**
     * How incidents of a public type appear in public lists (Open311 GET requests, the public
     * map): `exact`, generalised to the street `block`, or `hidden` (police-sensitive: the
     * type can be reported by the public, but its incidents are never listed).
     */
    publicListing: z.enum(['exact', 'block', 'hidden']).default('exact'),
    officerInitiated: z.boolean().default(false),
    slaHours: z
      .number()
      .positive()
      .max(24 * 365)
      .optional(),
    description: z.string().max(1000).default(''),
    basis: z.string().max(500).optional(),
    questions: z.array(questionSchema).max(40).default([]),
    escalation: z.array(escalationQuestionSchema).max(20).default([]),
    rules: z.array(ruleSchema).max(40).default([]),
    active: z.boolean().default(true),
    /**
     * Offered only while an activation of this mode is on (snow, pandemic, flood, other), or
     * one that lists the code (issue #10). Absent: offered every day.
     */
    activation: z.enum(ACTIVATION_MODES).optional(),
  })
  .strict()
export type CallType = z.infer<typeof callTypeSchema>
export type CallTypeInput = z.input<typeof callTypeSchema>

export const priorityLevelSchema = z
  .object({
    value: z.number().int().min(0).max(99),
    label: z.string().min(1).max(40),
    description: z.string().max(300).default(''),
  })
  .strict()

export const priorityLevelsSchema = z
  .array(priorityLevelSchema)
  .min(2)
  .max(10)
  .refine(
    (ls) => new Set(ls.map((l) => l.value)).size === ls.length,
    'priority values must be unique',
  )

export const priorityLevelsRange = (levels: Array<{ value: number }>) => ({
  mostUrgent: Math.min(...levels.map((l) => l.value)),
  leastUrgent: Math.max(...levels.map((l) => l.value)),
})

export const agencySchema = z
  .object({
    code: agencyCode,
    name: z.string().min(1).max(120),
    kind: z.enum(AGENCY_KINDS),
    email: z.string().email().optional(),
    phone: z.string().max(40).optional(),
  })
  .strict()
export type Agency = z.infer<typeof agencySchema>

export const catalogueFileSchema = z
  .object({
    version: z.string().min(1).max(40),
    priorityScheme: z.object({ levels: priorityLevelsSchema }).strict(),
    screening: z.array(escalationQuestionSchema).max(20),
    agencies: z.array(agencySchema).max(500),
    callTypes: z.array(callTypeSchema).min(1).max(2000),
  })
  .strict()
export type CatalogueFile = z.infer<typeof catalogueFileSchema>
export type PriorityLevel = z.infer<typeof priorityLevelSchema>
