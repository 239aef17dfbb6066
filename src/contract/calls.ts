import { z } from 'zod'

/** A ringing call announced by the telephony system (ANI/ALI screen pop). */
export const incomingCallBody = z
  .object({
    line: z.string().max(40).optional(),
    ani: z.string().max(40).optional().describe('the caller number'),
    ali: z
      .object({
        text: z.string().max(300).optional(),
        lat: z.number().min(-90).max(90).optional(),
        lon: z.number().min(-180).max(180).optional(),
      })
      .strict()
      .optional()
      .describe('the location the phone network gives'),
  })
  .strict()

export const callIdParam = z.object({ id: z.string().min(1).max(64) })
