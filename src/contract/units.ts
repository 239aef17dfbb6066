import { z } from 'zod'
import { SPLIT_FORCE_ROLES, UNIT_ACTIVITIES, UNIT_TYPES } from '../domain/dispatch/unit.js'

/** Staff API schemas for the unit roster and unit status (issue #6). */

export const newUnitBody = z
  .object({
    callSign: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,16}$/, 'a call sign is 1 to 16 letters, digits or dashes'),
    type: z.enum(UNIT_TYPES),
    splitForceRole: z.enum(SPLIT_FORCE_ROLES).nullable().default(null),
    shift: z.string().trim().max(20).nullable().default(null),
    district: z.string().trim().max(60).nullable().default(null),
    beat: z.string().trim().max(20).nullable().default(null),
    onDuty: z.boolean().default(false),
  })
  .strict()

export const unitStatusBody = z
  .object({
    activity: z
      .enum(UNIT_ACTIVITIES)
      .nullable()
      .describe('what the unit is doing now; null is back in service'),
    version: z.number().int().positive().describe('the version the change was made from'),
    position: z
      .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
      .optional(),
  })
  .strict()

export const unitIdParam = z.object({ id: z.string().min(1).max(80) })

export const rosterBody = z
  .object({ csv: z.string().min(1).max(2_000_000).describe('the roster file, CSV with a header') })
  .strict()
