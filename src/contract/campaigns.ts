import { z } from 'zod'

/** Staff API schemas for outbound campaigns (issue #10 item 6). */

const id = z.string().min(1).max(80)
const instant = z.string().datetime({ offset: true }).describe('ISO 8601 instant')

export const campaignIdParam = z.object({ id })
export const campaignEntryParams = z.object({ id, entryId: id })

const outcome = z
  .object({
    code: z
      .string()
      .regex(/^[a-z][a-z0-9_]{1,39}$/, 'a short code in lower case, like still_a_problem'),
    label: z.string().min(1).max(80),
    action: z.enum(['done', 'try_again', 'raise_incident', 'note_incident']),
  })
  .strict()

export const newCampaignBody = z
  .object({
    title: z.string().min(1).max(200),
    script: z.string().min(1).max(4000).describe('what the call-taker says, word for word'),
    source: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('registry'),
          activationId: id.optional().describe('default: the newest activation on now'),
        })
        .strict(),
      z
        .object({
          kind: z.literal('incidents'),
          callTypes: z.array(z.string().min(1).max(60)).min(1).max(20),
          from: instant,
          to: instant,
          activationId: id.optional(),
        })
        .strict(),
    ]),
    outcomes: z.array(outcome).min(2).max(10).optional(),
    maxAttempts: z.number().int().min(1).max(10).optional(),
    retryAfterMinutes: z.number().int().min(0).max(10080).optional(),
  })
  .strict()

export const campaignListQuery = z.object({ activationId: id.optional() }).strict()

export const campaignCallBody = z
  .object({
    outcome: z.string().min(1).max(40),
    note: z.string().max(2000).optional(),
  })
  .strict()
