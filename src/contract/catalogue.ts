import { z } from 'zod'
import { RESPONSE_MODES } from '../domain/catalogue/vocabulary.js'

/** Staff API schemas for the call-type catalogue. */

export const callTypeCodeParam = z.object({ code: z.string().min(1).max(24) })

export const callTypeListQuery = z.object({
  group: z.string().max(80).optional(),
  q: z.string().max(80).optional().describe('matches code, name or a synonym'),
  includeInactive: z.enum(['true', 'false']).optional(),
})

export const callTypeSummary = z.object({
  code: z.string(),
  name: z.string(),
  group: z.string(),
  family: z.string(),
  apco: z.string().nullable(),
  defaultPriority: z.number(),
  defaultMode: z.enum(RESPONSE_MODES),
  referral: z.string().nullable(),
  public: z.boolean(),
  active: z.boolean(),
  revision: z.number(),
  synonyms: z.array(z.string()),
})

/** The whole definition; its shape is checked by the catalogue schema in the use case. */
export const callTypeDefinition = z
  .record(z.string(), z.unknown())
  .describe('a call type as in docs/catalogue-format.md')

export const saveCallTypeBody = z.object({
  definition: callTypeDefinition,
  reason: z.string().min(1).max(500),
  expectedRevision: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('the revision you edited; required to update'),
})
