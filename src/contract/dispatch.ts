import { z } from 'zod'
import { DISPOSITION_CODES } from '../domain/incidents/incident.js'
import { REFERRAL_OUTCOME_CODES, REFERRAL_STATUSES } from '../domain/referrals/referral.js'
import { instantIn } from './wire.js'

/** Staff API schemas for dispatch, assignments and referrals (issue #6). */

const id = z.string().min(1).max(80)

export const assignBody = z
  .object({
    incidentId: id,
    unitId: id,
    role: z.enum(['primary', 'backup']).default('primary'),
    dualDispatch: z
      .object({
        reason: z
          .string()
          .max(500)
          .describe('why the unit goes despite the duplicate or the referral'),
      })
      .strict()
      .optional(),
  })
  .strict()

export const idParam = z.object({ id })

export const boardQuery = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(2000)
      .default(200)
      .describe('how many of the most urgent queue lines to send'),
  })
  .strict()

export const clearBody = z.object({ disposition: z.enum(DISPOSITION_CODES) }).strict()
export const recallBody = z.object({ reason: z.string().max(500) }).strict()
export const signOnBody = z
  .object({
    crew: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .nullable()
      .default(null)
      .describe('the officer to sign on (default: yourself)'),
  })
  .strict()

export const periodQuery = z
  .object({ from: instantIn, to: instantIn })
  .strict()
  .refine((p) => p.from < p.to, { message: 'from must be before to', path: ['from'] })

export const referBody = z
  .object({
    agency: z
      .string()
      .trim()
      .regex(/^[A-Z0-9_]{1,24}$/, 'an agency code such as DPW or NSC'),
  })
  .strict()

export const closeReferralBody = z
  .object({
    outcome: z.enum(REFERRAL_OUTCOME_CODES),
    note: z.string().max(2000).optional(),
  })
  .strict()

export const referralQuery = z
  .object({
    agency: z
      .string()
      .regex(/^[A-Z0-9_]{1,24}$/)
      .optional(),
    status: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (!s) return undefined
        const list = s.split(',')
        const bad = list.filter((x) => !(REFERRAL_STATUSES as readonly string[]).includes(x))
        if (bad.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown status ${bad.join(', ')} (use ${REFERRAL_STATUSES.join(', ')})`,
          })
          return z.NEVER
        }
        return list as Array<(typeof REFERRAL_STATUSES)[number]>
      }),
    overdue: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
