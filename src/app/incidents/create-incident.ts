import type { Actor } from '../../domain/access/roles.js'
import type { Channel } from '../../domain/catalogue/vocabulary.js'
import { buildEidoTransfer } from '../../domain/incidents/eido.js'
import type { Incident } from '../../domain/incidents/incident.js'
import { escalateTo911 } from '../../domain/incidents/incident-commands.js'
import { type OpenIncidentRequest, openIncident } from '../../domain/incidents/open-incident.js'
import { referralEvent, sendReferral } from '../../domain/referrals/referral.js'
import { MINUTE } from '../../domain/shared/instant.js'
import type { Idempotency } from '../../store/ports.js'
import type { AppDeps } from '../deps.js'
import { tagWithActivation } from '../emergency/activations.js'
import { locate, type Placement } from '../geography/locate.js'
import { publishIncident } from '../live/publish-incident.js'

export interface CreateIncidentInput extends OpenIncidentRequest {
  callType: string
}

/** Channels where nobody on staff takes the contact. */
const SELF_SERVICE: ReadonlySet<Channel> = new Set(['web', 'open311', 'social_media'])

/**
 * Opens an incident from a contact: triage, any override, and, when the response is a 911
 * transfer, the transfer package, all saved in one transaction. A retried request with the
 * same idempotency key returns the first result and writes nothing.
 */
export async function createIncident(
  deps: AppDeps,
  actor: Actor,
  input: CreateIncidentInput,
  idempotency: Idempotency | null,
): Promise<{ incident: Incident; replayed: boolean; placement: Placement | null }> {
  const snap = await deps.catalogue.snapshot()
  const callType = await deps.catalogue.callType(input.callType)
  const now = deps.clock.now()
  const { location, placement } = await locate(deps, input.location)
  const opened = openIncident(
    { ...input, ...(location ? { location } : {}) },
    {
      callType,
      screening: snap.screening,
      priorityLevels: snap.priorityLevels,
      agencyCodes: snap.agencyCodes,
      timeZone: deps.config.CITY_TIME_ZONE,
      h3Resolution: deps.config.H3_RESOLUTION,
      delayedHoldMs: deps.config.DELAYED_RESPONSE_MINUTES * MINUTE,
      now,
      actor: actor.id,
      takenBy: SELF_SERVICE.has(input.contact.channel) ? null : actor.id,
      ids: { incident: deps.ids.next(), contact: deps.ids.next(), caller: deps.ids.next() },
    },
  )

  // The chosen response happens at once: a 911 transfer leaves with its package.
  if (opened.incident.mode === 'transfer_911' && opened.incident.status === 'pending') {
    const eido = buildEidoTransfer({
      incident: opened.incident,
      callType,
      contacts: [opened.contact],
      callTaker: actor.id,
      reason: opened.incident.triage.emergency
        ? opened.incident.triage.explanation.join('; ')
        : (opened.incident.override?.reason ?? 'call type is handled by 911'),
      now,
      parties: eidoParties(deps),
      priorityLevels: snap.priorityLevels,
    })
    const escalated = escalateTo911(
      opened.incident,
      { ...eido },
      'transferred at intake',
      actor.id,
      now,
    )
    opened.incident = { ...escalated.incident, version: 1 }
    opened.events.push(escalated.event)
  }

  // A referral leaves with the incident, in the same transaction, so the agency's clock starts
  // when the call ends and no referral is ever lost between two writes.
  const { incident } = opened
  if (incident.mode === 'referral' && incident.status === 'pending' && incident.referral) {
    const referral = sendReferral({
      id: deps.ids.next(),
      incident,
      agency: incident.referral,
      slaHours: callType.slaHours,
      actor: actor.id,
      now,
    })
    opened.referral = referral
    opened.events.push(referralEvent(referral, 'sent', actor.id, now))
  }

  const created = await deps.store.incidents.create(opened, idempotency)
  if (!created.replayed) {
    // Everything handled during an emergency is tagged with it (issue #10 item 1).
    await tagWithActivation(deps, created.value, location ?? null)
    publishIncident(deps, created.value)
    deps.log.info(
      {
        incidentId: created.value.id,
        callType: callType.code,
        mode: created.value.mode,
        priority: created.value.priority,
        channel: created.value.channel,
      },
      'incident opened',
    )
  }
  return { incident: created.value, replayed: created.replayed, placement }
}

export function eidoParties(deps: AppDeps) {
  return {
    domain: deps.config.AGENCY_DOMAIN,
    agencyName: deps.config.AGENCY_NAME,
    psapName: deps.config.PSAP_NAME,
  }
}
