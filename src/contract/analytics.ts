import { z } from 'zod'

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date')

const period = {
  from: localDate,
  to: localDate,
}

const checkPeriod = <T extends { from: string; to: string }>(q: T, ctx: z.RefinementCtx) => {
  if (q.to < q.from)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' })
}

const source = z.enum(['311', '911', 'both']).default('both')
const format = z.enum(['json', 'csv', 'geojson']).default('json')

export const placeQuery = z
  .object({
    ...period,
    source,
    format,
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict()
  .superRefine(checkPeriod)

export const trendQuery = z
  .object({ ...period, source, format: z.enum(['json', 'csv']).default('json') })
  .strict()
  .superRefine(checkPeriod)

export const coincidenceQuery = z
  .object({ ...period, format, topK: z.coerce.number().int().min(1).max(5000).default(50) })
  .strict()
  .superRefine(checkPeriod)

export const concentrationQuery = z
  .object({ ...period, source, fraction: z.coerce.number().gt(0).lt(1).default(0.5) })
  .strict()
  .superRefine(checkPeriod)

const evaluationOptions = {
  nonEmergencyFrom: z.coerce.number().int().min(1).max(10).default(3),
  serviceLevelSeconds: z.coerce.number().int().min(1).max(600).default(20),
  format: z.enum(['json', 'csv']).default('json'),
}

export const evaluationQuery = z
  .object({ ...period, ...evaluationOptions })
  .strict()
  .superRefine(checkPeriod)

export const beforeAfterQuery = z
  .object({
    date: localDate,
    days: z.coerce.number().int().min(7).max(366).default(90),
    ...evaluationOptions,
  })
  .strict()

export const nearRepeatQuery = z
  .object({
    ...period,
    source,
    metres: z.coerce.number().int().min(10).max(5000).default(200),
    days: z.coerce.number().int().min(1).max(365).default(14),
  })
  .strict()
  .superRefine(checkPeriod)

export const breakdownQuery = z
  .object({
    ...period,
    source,
    by: z.enum(['call_type', 'channel', 'priority', 'district']).default('call_type'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .superRefine(checkPeriod)
