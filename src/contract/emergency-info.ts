import { z } from 'zod'
import { ACTIVATION_MODES } from '../domain/emergency/activation.js'
import { FACILITY_KINDS, FACILITY_STATUSES } from '../domain/emergency/facility.js'
import { AUDIENCES } from '../domain/emergency/knowledge.js'

/** Staff API schemas for activations, official information and facilities (issue #10 1–3). */

const id = z.string().min(1).max(80)
const instant = z.string().datetime({ offset: true }).describe('ISO 8601 date and time')
const name = z.string().trim().min(1).max(200)
const note = z.string().max(2000)

export const idParam = z.object({ id })
export const incidentParam = z.object({ id })

export const activateBody = z
  .object({
    mode: z.enum(ACTIVATION_MODES).describe('snow, pandemic, flood or other'),
    title: name.describe("what the centre calls it, e.g. 'Snow emergency'"),
    area: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('city') }).strict(),
      z
        .object({
          kind: z.enum(['police_district', 'neighborhood']),
          names: z.array(name).min(1).max(300),
        })
        .strict(),
    ]),
    startsAt: instant.optional().describe('now when omitted'),
    endsAt: instant.nullable().optional().describe('open-ended when omitted'),
    callTypes: z
      .array(z.string().trim().min(1).max(40))
      .max(100)
      .optional()
      .describe('catalogue call types offered only while it is on'),
    publicBanner: note.optional().describe("the residents' page banner; never caller data"),
  })
  .strict()

export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) })

export const articleBody = z
  .object({
    title: name,
    audience: z.enum(AUDIENCES).describe('call_takers (a script) or public'),
    callType: z.string().trim().min(1).max(40).nullable().optional(),
    activationId: id.nullable().optional().describe('the activation whose FAQ lists it'),
    body: z.string().trim().min(1).max(20_000),
    validFrom: instant.nullable().optional(),
    validTo: instant.nullable().optional(),
  })
  .strict()

export const versionBody = z
  .object({
    body: z.string().trim().min(1).max(20_000),
    validFrom: instant.nullable().optional(),
    validTo: instant.nullable().optional(),
  })
  .strict()

export const articleQuery = z.object({
  callType: z.string().trim().max(40).optional(),
  audience: z.enum(AUDIENCES).optional(),
  activationId: id.optional(),
})

export const scriptQuery = z.object({ callType: z.string().trim().min(1).max(40) })

export const scriptUsedBody = z.object({ versionId: id }).strict()

export const facilityBody = z
  .object({
    kind: z.enum(FACILITY_KINDS).describe('pod, shelter or warming_centre'),
    name,
    address: z.string().trim().min(1).max(300).describe('a street address in the city'),
    hours: note.optional(),
    capacity: z.number().int().min(0).max(1_000_000).nullable().optional(),
    accessibility: note.optional(),
    transit: note.optional(),
    parking: note.optional(),
    status: z.enum(FACILITY_STATUSES).optional(),
  })
  .strict()

export const statusBody = z.object({ status: z.enum(FACILITY_STATUSES) }).strict()

export const facilityQuery = z.object({
  kind: z.enum(FACILITY_KINDS).optional(),
  status: z.enum(FACILITY_STATUSES).optional(),
})

export const nearestQuery = z
  .object({
    address: z.string().trim().min(1).max(300).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    kind: z.enum(FACILITY_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(20).default(5),
  })
  .refine((q) => q.address || (q.lat !== undefined && q.lon !== undefined), {
    message: "give the caller's address, or lat and lon",
    path: ['address'],
  })

export const facilityOfferedBody = z
  .object({
    facilityId: id,
    canReach: z.boolean().describe('can the caller get there on their own?'),
    distanceMetres: z.number().int().min(0).max(1_000_000).nullable().optional(),
  })
  .strict()
