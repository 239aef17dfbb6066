import { z } from 'zod'
import { CHANNELS, RESPONSE_MODES } from '../domain/catalogue/vocabulary.js'
import { DISPOSITION_CODES, INCIDENT_STATUSES } from '../domain/incidents/incident.js'
import { instantIn, isoOut } from './wire.js'

/** Staff API schemas for intake, triage and incidents. */

export const answersIn = z
  .record(
    z.string().max(48),
    z.union([z.string().max(4000), z.number(), z.boolean(), z.array(z.string().max(80)).max(50)]),
  )
  .refine((a) => Object.keys(a).length <= 60, 'at most 60 answers')
  .describe('answers by question code: text, number, yes/no (true/false) or a list of options')

const callerIn = z.discriminatedUnion('anonymous', [
  z.object({ anonymous: z.literal(true) }).strict(),
  z
    .object({
      anonymous: z.literal(false),
      name: z.string().max(200).optional(),
      phone: z.string().max(40).optional(),
      email: z.email().max(254).optional(),
      callbackConsent: z.boolean().optional(),
      ani: z.string().max(40).optional().describe('number from the telephony system'),
      ali: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('location record from the telephony system'),
    })
    .strict(),
])

export const contactIn = z
  .object({
    channel: z.enum(CHANNELS),
    receivedAt: instantIn.optional().describe('when the contact began; defaults to now'),
    answeredAt: instantIn.optional(),
    endedAt: instantIn.optional(),
    caller: callerIn,
  })
  .strict()

export const locationIn = z
  .object({
    text: z.string().max(300),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    block: z.string().max(120).optional(),
  })
  .strict()

export const overrideIn = z
  .object({
    mode: z.enum(RESPONSE_MODES).optional(),
    priority: z.number().int().optional(),
    referral: z.string().max(24).optional(),
    reason: z.string().max(1000),
  })
  .strict()

export const createIncidentBody = z
  .object({
    callType: z.string().min(1).max(24),
    contact: contactIn,
    location: locationIn.optional(),
    narrative: z.string().max(8000).optional(),
    answers: answersIn.optional(),
    override: overrideIn.optional(),
  })
  .strict()

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe(
      'any unique string per logical request; a retry with the same key returns the first result',
    ),
})

export const incidentIdParam = z.object({ id: z.string().min(1).max(64) })

export const triagePreviewBody = z
  .object({
    callType: z.string().min(1).max(24),
    answers: answersIn.optional(),
    channel: z.enum(CHANNELS).default('phone_311'),
    at: instantIn.optional(),
    hasLocation: z.boolean().optional(),
  })
  .strict()

export const duplicatesQuery = z.object({
  callType: z.string().min(1).max(24),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lon: z.coerce.number().min(-180).max(180).optional(),
  block: z.string().max(120).optional(),
  location: z
    .string()
    .max(300)
    .optional()
    .describe('an address or intersection, placed by the geocoder'),
  at: instantIn.optional(),
  excludeId: z.string().max(64).optional(),
})

export const incidentListQuery = z.object({
  status: z
    .string()
    .regex(
      new RegExp(`^(${INCIDENT_STATUSES.join('|')})(,(${INCIDENT_STATUSES.join('|')}))*$`),
      'comma-separated statuses',
    )
    .optional(),
  callType: z.string().max(24).optional(),
  channel: z.enum(CHANNELS).optional(),
  from: instantIn.optional(),
  to: instantIn.optional(),
  idempotencyKey: z.string().max(128).optional(),
  q: z.string().max(100).optional().describe('words in the location or the narrative'),
  block: z.string().max(120).optional(),
  district: z.string().max(60).optional(),
  neighborhood: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('incident number to page before (newest first)'),
})

export const statusChangeBody = z
  .object({
    status: z.enum(INCIDENT_STATUSES),
    disposition: z.enum(DISPOSITION_CODES).optional(),
    reason: z.string().max(1000).optional(),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict()

export const overrideBody = overrideIn
  .extend({ expectedVersion: z.number().int().min(1).optional() })
  .strict()

export const escalateBody = z
  .object({ reason: z.string().min(1).max(1000), notes: z.string().max(4000).optional() })
  .strict()

export const duplicateOfBody = z
  .object({ parentId: z.string().min(1).max(64), reason: z.string().max(1000).default('') })
  .strict()

export const linkContactBody = z.object({ contact: contactIn }).strict()

const triageView = z.object({
  callType: z.string(),
  priority: z.number(),
  mode: z.enum(RESPONSE_MODES),
  referral: z.string().nullable(),
  emergency: z.boolean(),
  signals: z.array(z.string()),
  explanation: z.array(z.string()),
  unanswered: z.array(z.string()),
  steps: z.array(
    z.object({
      source: z.string(),
      because: z.string(),
      mode: z.enum(RESPONSE_MODES).optional(),
      priority: z.number().optional(),
      referral: z.string().optional(),
    }),
  ),
})

export const incidentView = z.object({
  id: z.string(),
  number: z.string().nullable(),
  callType: z.string(),
  family: z.string(),
  priority: z.number(),
  mode: z.enum(RESPONSE_MODES),
  referral: z.string().nullable(),
  status: z.enum(INCIDENT_STATUSES),
  disposition: z.enum(DISPOSITION_CODES).nullable(),
  location: z
    .object({
      text: z.string(),
      lat: z.number().nullable(),
      lon: z.number().nullable(),
      h3: z.string().nullable(),
      block: z.string().nullable(),
      segmentId: z.string().nullable(),
      policeDistrict: z.string().nullable(),
      beat: z.string().nullable(),
      neighborhood: z.string().nullable(),
    })
    .nullable(),
  /** How the location was placed: given coordinates, geocoded text, or not placed. */
  placement: z
    .object({
      method: z.enum(['coordinates', 'geocoded', 'unplaced', 'no_geography']),
      status: z.enum(['found', 'ambiguous', 'not_found', 'unparsed']).optional(),
      message: z.string().optional(),
      candidates: z
        .array(z.object({ label: z.string(), lat: z.number(), lon: z.number(), score: z.number() }))
        .optional(),
    })
    .optional(),
  narrative: z.string(),
  answers: z.record(z.string(), z.unknown()),
  triage: triageView,
  override: z.record(z.string(), z.unknown()).nullable(),
  channel: z.enum(CHANNELS),
  receivedAt: isoOut,
  createdAt: isoOut,
  updatedAt: isoOut,
  createdBy: z.string(),
  duplicateOf: z.string().nullable(),
  transferredTo911: z.boolean(),
  reportNumber: z
    .string()
    .nullable()
    .describe('issued when a telephone report is taken on the line'),
  version: z.number(),
  abilities: z.record(z.string(), z.boolean()),
})

export { triageView }

export const noteBody = z.object({ text: z.string().min(1).max(4000) }).strict()
