import { z } from 'zod'

/** Wire building blocks shared by the staff API's schemas. */

/** An ISO 8601 time stamp with a zone, read as epoch milliseconds. */
export const instantIn = z.iso
  .datetime({
    offset: true,
    message: 'use an ISO 8601 time with a zone, e.g. 2026-11-22T14:30:00-05:00',
  })
  .transform((s) => Date.parse(s))

/** Epoch milliseconds written as ISO 8601 UTC. */
export const isoOut = z.string().describe('ISO 8601 time stamp (UTC)')

export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .describe('An error: a stable code, a message, and for bad input each field with what is wrong')

/** Responses every authenticated route can give besides its own. */
export const commonErrors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
}
