import { z } from 'zod'
import { CONSENT_METHODS, NEEDS, WELLNESS_OUTCOMES } from '../domain/emergency/registry.js'
import { CRITICAL_PLACE_KINDS, PLOW_STATES } from '../domain/emergency/snow.js'

/** Staff API schemas for the special-needs registry and snow operations (issue #10 items 4, 5). */

const id = z.string().min(1).max(80)
const phone = z.string().max(40).regex(/\d{3}/, 'a phone number with its digits')
const instant = z.string().datetime({ offset: true }).describe('ISO 8601 instant')

export const registrantIdParam = z.object({ id })
export const segmentIdParam = z.object({ segmentId: z.string().min(1).max(120) })

const health = z
  .object({
    needs: z.array(z.enum(NEEDS)).min(1).max(NEEDS.length),
    contacts: z
      .array(
        z
          .object({
            name: z.string().min(1).max(200),
            phone,
            relationship: z.string().max(80).default(''),
          })
          .strict(),
      )
      .max(5)
      .default([]),
    notes: z.string().max(2000).default(''),
  })
  .strict()

export const enrolBody = z
  .object({
    name: z.string().min(1).max(200),
    phone,
    language: z.string().max(40).default('en'),
    address: z.string().min(3).max(300).describe('a street address in the city, geocoded'),
    consent: z
      .object({
        givenBy: z.string().min(1).max(200).describe('the resident, or who spoke for them'),
        givenAt: instant,
        method: z.enum(CONSENT_METHODS),
      })
      .strict(),
    health,
    reverifyMonths: z.number().int().min(1).max(36).optional(),
  })
  .strict()

export const updateRegistrantBody = z
  .object({
    expectedVersion: z.number().int().min(1),
    name: z.string().min(1).max(200).optional(),
    phone: phone.optional(),
    language: z.string().max(40).optional(),
    address: z.string().min(3).max(300).optional(),
    health: health.optional(),
    reverified: z.boolean().optional(),
    reverifyMonths: z.number().int().min(1).max(36).optional(),
  })
  .strict()

export const wellnessQuery = z.object({ activationId: id.optional() })

export const wellnessCallBody = z
  .object({
    activationId: id,
    outcome: z.enum(WELLNESS_OUTCOMES),
    incidentId: id.optional(),
  })
  .strict()

export const snowSegmentsQuery = z.object({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'minLon,minLat,maxLon,maxLat')
    .describe('minLon,minLat,maxLon,maxLat'),
})

export const plowStateBody = z.object({ state: z.enum(PLOW_STATES) }).strict()

export const criticalPlaceBody = z
  .object({
    kind: z.enum(
      CRITICAL_PLACE_KINDS.filter((k) => k !== 'critical_need') as [
        'hospital',
        'dialysis_centre',
        'other',
      ],
    ),
    name: z.string().min(1).max(200),
    address: z.string().min(3).max(300),
  })
  .strict()
