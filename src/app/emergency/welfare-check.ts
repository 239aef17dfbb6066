import type { Actor } from '../../domain/access/roles.js'
import type { Need, Registrant } from '../../domain/emergency/registry.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { AppDeps } from '../deps.js'
import { createIncident } from '../incidents/create-incident.js'

/** The catalogue's call type for someone who may be unable to call for help. */
export const WELFARE_CHECK = 'WELFARE_CHECK'

/** Needs a welfare-check form calls a medical condition; the rest, a disability. */
const MEDICAL: readonly Need[] = ['oxygen', 'dialysis', 'power_dependent_equipment']

/**
 * Opens a welfare check at a registrant's address when a wellness call finds they need help,
 * or nobody answers after the last attempt (issue #10 item 4: "needs help", "not reached:
 * escalate"). It is an outbound contact in the registrant's name, so it goes through triage
 * and the dispatch queue like any welfare check and is tagged with the activation covering it.
 * The narrative points to the registry panel and never repeats health details: the incident
 * is seen by dispatchers and officers, the details only by the roles allowed to read them.
 */
export async function raiseWelfareCheck(
  deps: AppDeps,
  actor: Actor,
  registrant: Registrant,
  input: {
    reason: 'needs_help' | 'not_reached'
    needs: readonly Need[]
    /** Hours since the first unanswered call (not_reached), 0 when they were just reached. */
    hoursSinceContact: number
    note: string
    via: string
  },
): Promise<string> {
  // Checked first, so a wellness call is never recorded as having sent someone when it did not.
  const known = (await deps.catalogue.snapshot()).callTypes.has(WELFARE_CHECK)
  if (!known)
    throw new ConflictError(
      'no_welfare_check_type',
      `the catalogue has no ${WELFARE_CHECK} call type, so nobody can be sent; add it to the catalogue`,
    )
  const now = deps.clock.now()
  const { address } = registrant
  const { incident } = await createIncident(
    deps,
    actor,
    {
      callType: WELFARE_CHECK,
      contact: {
        channel: 'outbound',
        receivedAt: now,
        answeredAt: now,
        endedAt: now,
        caller: {
          anonymous: false,
          name: registrant.name,
          phone: registrant.phone,
          callbackConsent: false,
        },
      },
      location: {
        text: address.text,
        ...(address.lat !== null && address.lon !== null
          ? { lat: address.lat, lon: address.lon }
          : {}),
      },
      answers: {
        concern:
          input.reason === 'needs_help' ? 'possible_fall_or_illness' : 'no_contact_unanswered',
        hours_since_contact: Math.max(0, Math.round(input.hoursSinceContact)),
        vulnerable: input.needs.some((n) => MEDICAL.includes(n))
          ? ['medical_condition']
          : ['disabled'],
      },
      narrative: [
        input.reason === 'needs_help'
          ? `Wellness call (${input.via}): the registrant asked for help.`
          : `Wellness call (${input.via}): not reached after the last attempt.`,
        'Special-needs registrant: needs and emergency contacts are in the registry panel of this incident.',
        input.note,
      ]
        .filter(Boolean)
        .join(' '),
    },
    null,
  )
  return incident.id
}
