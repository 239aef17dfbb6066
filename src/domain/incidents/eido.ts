import type { CallType, PriorityLevel } from '../catalogue/catalogue-schema.js'
import type { Instant } from '../shared/instant.js'
import type { Caller, Contact, Incident } from './incident.js'

/**
 * A 311→911 transfer package shaped after NENA's Emergency Incident Data Object (EIDO,
 * NENA-STA-021) as summarised in research/police-call-management.md §3.2-3.3. These are our own
 * types built from the field names; the standard's schema is not vendored.
 *
 * The stored package never holds the caller's identity (it lives apart from the incident):
 * `withCaller` adds the person and callback components when a permitted reader asks for them.
 */
export interface EidoPackage {
  $id: string
  eidoVersion: '1.0'
  issuingElementIdentification: string
  lastUpdateTimeStamp: string
  agencyComponent: EidoComponent[]
  agentComponent: EidoComponent[]
  callComponent: EidoComponent[]
  callbackComponent: EidoComponent[]
  personComponent: EidoComponent[]
  locationComponent: EidoComponent[]
  incidentComponent: EidoComponent[]
  notesComponent: EidoComponent[]
  linkComponent: EidoComponent[]
}

/** Every EIDO component carries this prologue plus its own fields. */
export type EidoComponent = {
  $id: string
  lastUpdateTimeStamp: string
  updatedByAgencyReference: { $ref: string }
  updatedByAgentReference?: { $ref: string }
} & Record<string, unknown>

/** Who we are and whom we hand over to. */
export interface EidoParties {
  /** DNS-style domain naming this 311 system in incident tracking ids. */
  domain: string
  agencyName: string
  psapName: string
}

export interface EidoInput {
  incident: Incident
  callType: CallType
  contacts: readonly Contact[]
  callTaker: string
  reason: string
  notes?: string
  now: Instant
  parties: EidoParties
  priorityLevels: readonly PriorityLevel[]
}

const iso = (t: Instant) => new Date(t).toISOString()

/** Builds the transfer package for an incident being escalated to 911. */
export function buildEidoTransfer(input: EidoInput): EidoPackage {
  const { incident, callType, parties, now } = input
  const stamp = iso(now)
  const id = (kind: string, n: number | string = 1) =>
    `urn:triage311:${parties.domain}:${incident.id}:${kind}:${n}`
  const us = id('agency', 'callreceiving')
  const psap = id('agency', 'transferredto')
  const agent = id('agent')
  const location = id('location', 'incident')
  const caller = id('person', 'caller')
  const notes = id('notes')
  const prologue = (componentId: string) => ({
    $id: componentId,
    lastUpdateTimeStamp: stamp,
    updatedByAgencyReference: { $ref: us },
    updatedByAgentReference: { $ref: agent },
  })
  const priorityWord = commonPriorityWord(incident.priority, input.priorityLevels)
  const loc = incident.location

  const calls = input.contacts.map((c, i) => ({
    ...prologue(id('call', i + 1)),
    standardPrimaryCallType: 'NonEmergency',
    localCallType: c.channel === 'phone_311' ? '311' : c.channel,
    direction: c.channel === 'outbound' ? 'outgoing' : 'incoming',
    callStartTimestamp: iso(c.receivedAt),
    ...(c.answeredAt !== null ? { answerDate: iso(c.answeredAt) } : {}),
    callStateRegistryText: c.endedAt !== null ? 'callEnd' : 'callAnswered',
    priorityIdentifier: priorityWord,
    ...(loc ? { locationReference: [{ $ref: location }] } : {}),
    personReference: [{ $ref: `${caller}:${i + 1}` }],
  }))

  return {
    $id: `urn:emergency:uid:incidentid:${incident.id}:${parties.domain}`,
    eidoVersion: '1.0',
    issuingElementIdentification: `triage311.${parties.domain}`,
    lastUpdateTimeStamp: stamp,
    agencyComponent: [
      {
        ...prologue(us),
        agencyRoleDescriptionRegistryText: ['CallReceiving'],
        agencyType: ['police'],
        agencyName: parties.agencyName,
        incidentOwningAgencyIndicator: false,
      },
      {
        ...prologue(psap),
        agencyRoleDescriptionRegistryText: ['TransferredTo'],
        agencyType: ['police'],
        agencyName: parties.psapName,
        incidentOwningAgencyIndicator: true,
      },
    ],
    agentComponent: [
      {
        ...prologue(agent),
        agentRoleRegistryText: ['Call Taking'],
        agencyReference: { $ref: us },
        agentIdentifier: input.callTaker,
      },
    ],
    callComponent: calls,
    callbackComponent: [],
    personComponent: input.contacts.map((c, i) => ({
      ...prologue(`${caller}:${i + 1}`),
      personIncidentRoleRegistryText: ['Caller'],
      callIdentifier: [id('call', i + 1)],
      // Not in EIDO: the standard has no anonymity flag (research §3.3), so we say it here.
      anonymityRequested: c.anonymous,
      identity: c.anonymous ? 'none: anonymous caller' : 'withheld: restricted caller record',
    })),
    locationComponent: loc
      ? [
          {
            ...prologue(location),
            locationTypeDescriptionRegistryText: 'CurrentIncident',
            locationDescriptionText: loc.text,
            ...(loc.lat !== null && loc.lon !== null
              ? { geo: { latitude: loc.lat, longitude: loc.lon } }
              : {}),
            ...(loc.block ? { civicAddressText: loc.block } : {}),
            // PIDF-LO usage rules: the PSAP may not pass the location on.
            usageRules: { retransmissionAllowed: false },
          },
        ]
      : [],
    incidentComponent: [
      {
        ...prologue(id('incident')),
        internalIncidentId: incident.id,
        incidentTypeInternalCode: callType.code,
        incidentTypeInternalText: callType.name,
        incidentTypeCommonRegistryText: callType.apco ?? 'NONEMERG',
        incidentPriorityInternalText: String(incident.priority),
        incidentCommonPriorityNumber: incident.priority,
        incidentStatusCommonRegistryText: ['Active'],
        reportNumberType: 'New',
        ...(loc ? { locationReference: [{ $ref: location }] } : {}),
        notesReference: [{ $ref: notes }],
      },
    ],
    notesComponent: [
      {
        ...prologue(notes),
        // EIDO notes are HTML; ours are plain text, escaped so no markup reaches the PSAP.
        notesActionComments: escapeHtml(
          [
            `Escalated from 311: ${input.reason}`,
            ...incident.triage.explanation,
            incident.narrative ? `Narrative: ${incident.narrative}` : '',
            input.notes ? `Call-taker notes: ${input.notes}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        ),
        agentReference: { $ref: agent },
      },
    ],
    linkComponent: [
      {
        ...prologue(id('link')),
        incidentTrackingIdentifier: `urn:triage311:incident:${incident.id}`,
        linkDirectionCode: 'RELATED',
        transactionReasonText: '311 incident that produced this transfer',
      },
    ],
  }
}

/**
 * Adds the caller's person and callback components to a stored package, for a reader allowed
 * to see the caller. The PSAP needs a callback number even when 311 keeps it restricted.
 */
export function withCaller(pkg: EidoPackage, callers: ReadonlyArray<Caller | null>): EidoPackage {
  const personComponent = pkg.personComponent.map((p, i) => {
    const c = callers[i]
    if (!c) return p
    const { identity: _withheld, ...rest } = p
    return {
      ...rest,
      ...(c.name ? { personName: c.name } : {}),
      ...(c.phone || c.ani ? { callBackReference: { $ref: `${p.$id}:callback` } } : {}),
    }
  })
  const callbackComponent = pkg.personComponent.flatMap((p, i) => {
    const c = callers[i]
    const number = c?.phone ?? c?.ani
    if (!number) return []
    return [
      {
        $id: `${p.$id}:callback`,
        lastUpdateTimeStamp: p.lastUpdateTimeStamp,
        updatedByAgencyReference: p.updatedByAgencyReference,
        callBackInformationUri: [`tel:${number.replace(/[^0-9+]/g, '')}`],
      },
    ]
  })
  return { ...pkg, personComponent, callbackComponent }
}

/** EIDO's `priorityIdentifier` words, spread over the configured scheme. */
function commonPriorityWord(priority: number, levels: readonly PriorityLevel[]): string {
  const words = ['highest', 'high', 'normal', 'low', 'lowest']
  const values = levels.map((l) => l.value).sort((a, b) => a - b)
  const i = Math.max(0, values.indexOf(priority))
  const span = Math.max(1, values.length - 1)
  return words[Math.round((i / span) * (words.length - 1))] ?? 'normal'
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
