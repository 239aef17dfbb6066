import { z } from 'zod'
import { ROLES } from '../domain/access/roles.js'
import { instantIn } from './wire.js'

/** Staff API schemas for sign-in, accounts, API tokens and the audit log. */

export const loginBody = z
  .object({ username: z.string().min(1).max(80), password: z.string().min(1).max(256) })
  .strict()

export const passwordChangeBody = z
  .object({ current: z.string().min(1).max(256), next: z.string().min(1).max(256) })
  .strict()

const scope = {
  agency: z.string().max(24).nullable().optional().describe('for agency liaisons: the agency code'),
  district: z
    .string()
    .max(60)
    .nullable()
    .optional()
    .describe('for officers and NSC staff: their district'),
}

export const newUserBody = z
  .object({
    username: z.string().min(1).max(40),
    displayName: z.string().max(120).default(''),
    password: z.string().min(1).max(256),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    ...scope,
  })
  .strict()

export const userChangeBody = z
  .object({
    displayName: z.string().max(120).optional(),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
    active: z.boolean().optional(),
    unlock: z.literal(true).optional(),
    ...scope,
  })
  .strict()

export const passwordResetBody = z.object({ password: z.string().min(1).max(256) }).strict()

export const newTokenBody = z
  .object({
    name: z.string().min(1).max(60),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    ...scope,
  })
  .strict()

export const idParam = z.object({ id: z.string().min(1).max(64) })

export const auditQuery = z.object({
  from: instantIn.optional(),
  to: instantIn.optional(),
  actor: z.string().max(120).optional(),
  action: z.string().max(60).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
})
