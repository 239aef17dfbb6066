import { z } from 'zod'
import { RESOURCE_KINDS } from '../domain/appointments/appointment.js'
import { instantIn } from './wire.js'

/**
 * Staff API schemas for appointments (issue #6 item 5). Lengths of the purpose, the place and
 * the reason are the domain's rules (with its messages); the bounds here only keep a request
 * small. No field carries caller identity: the caller is reached through the incident.
 */

const id = z.string().min(1).max(80)

export const appointmentIdParam = z.object({ id })

export const newResourceBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'name the person or desk')
      .max(100)
      .describe('as call-takers pick it from a list: "PSA Rivera", "NSC Eastern desk"'),
    kind: z.enum(RESOURCE_KINDS),
    district: z.string().trim().max(60).nullable().default(null),
    location: z
      .string()
      .trim()
      .max(200)
      .nullable()
      .default(null)
      .describe('where appointments happen; null when the resource visits'),
  })
  .strict()

export const availabilityBody = z
  .object({
    startsAt: instantIn,
    endsAt: instantIn.describe('exclusive; at most 14 days after the start'),
  })
  .strict()

/** Query strings arrive as text; an empty value is the same as none. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((s) => s || undefined)

export const slotQuery = z
  .object({
    from: instantIn,
    to: instantIn.describe('at most 62 days after from'),
    kind: z.enum(RESOURCE_KINDS).optional(),
    district: optionalText(60),
    minutes: z.coerce
      .number()
      .int('a whole number of minutes')
      .min(5)
      .max(8 * 60)
      .default(30)
      .describe('length of each slot'),
  })
  .strict()

export const calendarQuery = z
  .object({
    from: instantIn,
    to: instantIn.describe('at most 62 days after from'),
    resourceId: id.optional(),
  })
  .strict()

export const bookBody = z
  .object({
    resourceId: id,
    incidentId: id.nullable().default(null).describe('the incident the call is about, if any'),
    startsAt: instantIn,
    endsAt: instantIn,
    purpose: z.string().max(1000).describe('what it is for, 3 to 200 characters'),
    place: z
      .string()
      .max(1000)
      .nullable()
      .default(null)
      .describe("where, when not the resource's own location (a visit's address)"),
  })
  .strict()

export const cancelBody = z
  .object({ reason: z.string().max(2000).describe('why, 3 to 500 characters') })
  .strict()

export const attendanceBody = z.object({ outcome: z.enum(['kept', 'missed']) }).strict()
