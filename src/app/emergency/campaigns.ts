import { can } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import { type Activation, covers } from '../../domain/emergency/activation.js'
import {
  type Campaign,
  type CampaignEntry,
  type CampaignOutcome,
  type CampaignProgress,
  type CampaignSource,
  CLAIM_MS,
  openCampaign,
  phoneKey,
  recordOutcome,
} from '../../domain/emergency/campaign.js'
import {
  byNeed,
  type HealthDetails,
  mayReadHealth,
  type Registrant,
  WELLNESS_OUTCOMES,
  type WellnessOutcome,
} from '../../domain/emergency/registry.js'
import type { Incident } from '../../domain/incidents/incident.js'
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  found,
  NotFoundError,
  ValidationError,
} from '../../domain/shared/errors.js'
import { HOUR } from '../../domain/shared/instant.js'
import type { CampaignAttempt } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'
import { addIncidentNote } from '../incidents/incident-changes.js'
import { currentActivation } from './registry.js'
import { raiseWelfareCheck } from './welfare-check.js'

/**
 * Outbound campaigns' use cases (issue #10 item 6). Building a list from the registry reads
 * health details (to order it by need) and is checked and audited like the wellness list;
 * taking the next person reads their number, and is allowed only to a role that may read it:
 * registry health roles during the activation, `caller:read` for callers. Every take is audited.
 */

export interface NewCampaignInput {
  title: string
  script: string
  source:
    | { kind: 'registry'; activationId?: string }
    | { kind: 'incidents'; callTypes: string[]; from: number; to: number; activationId?: string }
  outcomes?: CampaignOutcome[]
  maxAttempts?: number
  retryAfterMinutes?: number
}

/** The biggest list one campaign holds: a city-wide registry or a storm's reporters. */
const MAX_ENTRIES = 5000

export async function createCampaign(
  deps: AppDeps,
  actor: Actor,
  input: NewCampaignInput,
): Promise<{ campaign: Campaign; progress: CampaignProgress }> {
  const now = deps.clock.now()
  const id = deps.ids.next()
  let source: CampaignSource
  let entries: CampaignEntry[]
  let activationId: string | null = null
  if (input.source.kind === 'registry') {
    const activation = await currentActivation(deps, input.source.activationId)
    // A registry list exists only for an activation on now (research §5.1: door lists only
    // during a declared event); ordering it by need is a read of health details.
    const reason = activation ? { kind: 'activation' as const, activationId: activation.id } : null
    try {
      mayReadHealth(actor, reason)
    } catch (e) {
      await audit(deps, actor, 'registry_health_read', 'denied', null, { purpose: 'campaign' })
      throw e
    }
    const on = activation as Activation
    activationId = on.id
    source = { kind: 'registry', activationId: on.id }
    const covered = (await deps.store.registry.list({ limit: MAX_ENTRIES })).filter((r) =>
      covers(on, r.address),
    )
    const health = await deps.store.registry.health(covered.map((r) => r.id))
    await audit(
      deps,
      actor,
      'registry_health_read',
      'success',
      { type: 'activation', id: on.id },
      { purpose: 'campaign', registrants: covered.length },
    )
    const ordered = byNeed(
      covered.map((r) => ({ r, name: r.name, needs: health.get(r.id)?.needs ?? [] })),
    )
    entries = ordered.map(({ r }, rank) =>
      newEntry(deps, id, { kind: 'registrant', registrantId: r.id }, null, rank, now),
    )
  } else {
    const { callTypes, from, to } = input.source
    const codes = [...new Set(callTypes.map((c) => c.trim().toUpperCase()).filter(Boolean))]
    for (const code of codes) await deps.catalogue.callType(code)
    source = { kind: 'incidents', callTypes: codes, from, to }
    const activation = input.source.activationId
      ? found(
          await currentActivation(deps, input.source.activationId),
          'activation',
          input.source.activationId,
        )
      : null
    activationId = activation?.id ?? null
    entries = await reporterEntries(deps, id, source, now)
  }
  const campaign = openCampaign({
    id,
    title: input.title,
    source,
    activationId,
    script: input.script,
    ...(input.outcomes ? { outcomes: input.outcomes } : {}),
    ...(input.maxAttempts !== undefined ? { maxAttempts: input.maxAttempts } : {}),
    ...(input.retryAfterMinutes !== undefined
      ? { retryAfterMinutes: input.retryAfterMinutes }
      : {}),
    actor: actor.id,
    now,
  })
  if (entries.length === 0)
    throw new ValidationError([
      {
        path: 'source',
        message:
          source.kind === 'registry'
            ? 'no registrant lives in the activation’s area, so there is nobody to call'
            : 'no caller who agreed to be called back reported these call types in the period',
      },
    ])
  await deps.store.campaigns.create(campaign, entries)
  await audit(
    deps,
    actor,
    'campaign_create',
    'success',
    { type: 'campaign', id },
    {
      source: source.kind,
      entries: entries.length,
    },
  )
  const progress = (await deps.store.campaigns.progress([id], now)).get(id) as CampaignProgress
  return { campaign, progress }
}

function newEntry(
  deps: AppDeps,
  campaignId: string,
  subject: CampaignEntry['subject'],
  incidentId: string | null,
  rank: number,
  now: number,
): CampaignEntry {
  return {
    id: deps.ids.next(),
    campaignId,
    subject,
    incidentId,
    rank,
    state: 'pending',
    attempts: 0,
    lastOutcome: null,
    dueAt: now,
    claimedBy: null,
    claimedUntil: null,
    updatedAt: now,
  }
}

/**
 * The callers to call back about incidents of the source's call types: only those who agreed
 * to be called back and left a phone number, one entry per number (the first report), earliest
 * reporter first. Their numbers are read here to de-duplicate and are not kept.
 */
async function reporterEntries(
  deps: AppDeps,
  campaignId: string,
  source: Extract<CampaignSource, { kind: 'incidents' }>,
  now: number,
): Promise<CampaignEntry[]> {
  const incidents: Incident[] = []
  for (const callType of source.callTypes)
    incidents.push(
      ...(await deps.store.incidents.list({
        callType,
        receivedFrom: source.from,
        receivedTo: source.to,
        limit: MAX_ENTRIES,
      })),
    )
  incidents.sort((a, b) => a.receivedAt - b.receivedAt || (a.number ?? 0) - (b.number ?? 0))
  const seen = new Set<string>()
  const entries: CampaignEntry[] = []
  for (const incident of incidents) {
    const contacts = await deps.store.incidents.contacts(incident.id)
    const callers = await deps.store.incidents.callers(contacts.map((c) => c.callerId))
    for (const caller of callers) {
      if (!caller?.callbackConsent || !caller.phone) continue
      const key = phoneKey(caller.phone)
      if (!key || seen.has(key)) continue
      seen.add(key)
      entries.push(
        newEntry(
          deps,
          campaignId,
          { kind: 'caller', callerId: caller.id },
          incident.id,
          entries.length,
          now,
        ),
      )
      if (entries.length >= MAX_ENTRIES) return entries
    }
  }
  return entries
}

export async function listCampaigns(
  deps: AppDeps,
  filter: { activationId?: string },
): Promise<Array<{ campaign: Campaign; progress: CampaignProgress }>> {
  const campaigns = await deps.store.campaigns.list({ ...filter, limit: 100 })
  const progress = await deps.store.campaigns.progress(
    campaigns.map((c) => c.id),
    deps.clock.now(),
  )
  return campaigns.map((c) => ({ campaign: c, progress: progress.get(c.id) as CampaignProgress }))
}

/** A campaign with its list's states: no names, numbers or needs (anyone on staff may see it). */
export async function campaignDetail(deps: AppDeps, id: string) {
  const campaign = found(await deps.store.campaigns.get(id), 'campaign', id)
  const now = deps.clock.now()
  const [entries, progress] = await Promise.all([
    deps.store.campaigns.entries(id),
    deps.store.campaigns.progress([id], now),
  ])
  return {
    campaign,
    progress: progress.get(id) as CampaignProgress,
    entries: entries.map((e) => ({
      id: e.id,
      rank: e.rank,
      state: e.state,
      attempts: e.attempts,
      lastOutcome: e.lastOutcome,
      dueAt: e.dueAt,
      held: Boolean(e.claimedBy && e.claimedUntil !== null && e.claimedUntil > now),
      incidentId: e.incidentId,
    })),
  }
}

/** Who the call-taker is calling: what they need to dial and to say, nothing more. */
export type CampaignPerson =
  | {
      kind: 'registrant'
      name: string
      phone: string
      language: string
      address: string
      verification: { reverifyBy: number }
      health: HealthDetails
    }
  | {
      kind: 'caller'
      name: string | null
      phone: string
      incident: {
        id: string
        number: number | null
        callType: string
        location: string | null
        status: string
        receivedAt: number
      }
    }

export interface CampaignCall {
  campaign: Campaign
  entry: CampaignEntry
  person: CampaignPerson
  attempts: CampaignAttempt[]
  progress: CampaignProgress
}

/** Checks the actor may see this campaign's people now; throws the reason otherwise. */
async function checkMayCall(deps: AppDeps, actor: Actor, campaign: Campaign): Promise<void> {
  if (campaign.status !== 'open')
    throw new ConflictError('campaign_closed', 'the campaign is closed; no more calls are made')
  if (campaign.source.kind === 'registry') {
    const activation = await currentActivation(deps, campaign.source.activationId)
    mayReadHealth(actor, activation ? { kind: 'activation', activationId: activation.id } : null)
  } else if (!can(actor, 'caller:read')) {
    throw new ForbiddenError('read callers’ phone numbers (this campaign calls reporters back)')
  }
}

/**
 * Takes the next person to call (or the one this call-taker already holds) and shows who they
 * are. Null when nobody is left to call now (retries may come due later).
 */
export async function takeNextCall(
  deps: AppDeps,
  actor: Actor,
  campaignId: string,
): Promise<CampaignCall | null> {
  const campaign = found(await deps.store.campaigns.get(campaignId), 'campaign', campaignId)
  try {
    await checkMayCall(deps, actor, campaign)
  } catch (e) {
    if (e instanceof DomainError && e.code !== 'campaign_closed')
      await audit(deps, actor, 'campaign_take', 'denied', { type: 'campaign', id: campaignId })
    throw e
  }
  const now = deps.clock.now()
  const entry = await deps.store.campaigns.claimNext(campaignId, actor.id, now, now + CLAIM_MS)
  if (!entry) return null
  const person = await personOf(deps, entry)
  await audit(
    deps,
    actor,
    'campaign_take',
    'success',
    { type: 'campaign_entry', id: entry.id },
    { campaignId, subject: entry.subject.kind },
  )
  const [attempts, progress] = await Promise.all([
    deps.store.campaigns.attempts(entry.id),
    deps.store.campaigns.progress([campaignId], now),
  ])
  return {
    campaign,
    entry,
    person,
    attempts,
    progress: progress.get(campaignId) as CampaignProgress,
  }
}

async function personOf(deps: AppDeps, entry: CampaignEntry): Promise<CampaignPerson> {
  if (entry.subject.kind === 'registrant') {
    const id = entry.subject.registrantId
    const r = found(await deps.store.registry.registrant(id), 'registrant', id)
    const health = (await deps.store.registry.health([id])).get(id) ?? {
      needs: [],
      contacts: [],
      notes: '',
    }
    return {
      kind: 'registrant',
      name: r.name,
      phone: r.phone,
      language: r.language,
      address: r.address.text,
      verification: { reverifyBy: r.reverifyBy },
      health,
    }
  }
  const [caller] = await deps.store.incidents.callers([entry.subject.callerId])
  const incident = entry.incidentId ? await deps.store.incidents.get(entry.incidentId) : null
  if (!caller?.phone || !incident) throw new NotFoundError('caller', entry.subject.callerId)
  return {
    kind: 'caller',
    name: caller.name,
    phone: caller.phone,
    incident: {
      id: incident.id,
      number: incident.number,
      callType: incident.callType,
      location: incident.location?.text ?? null,
      status: incident.status,
      receivedAt: incident.receivedAt,
    },
  }
}

/**
 * Records a call's outcome on the person the call-taker holds. Needing help, or no answer after
 * the last attempt on a registry list, opens a welfare check at the registrant's address;
 * "still a problem" notes the reporter's incident for its crew. A registry call is also kept
 * as a wellness call, so the wellness list and the campaign agree.
 */
export async function recordCampaignCall(
  deps: AppDeps,
  actor: Actor,
  campaignId: string,
  entryId: string,
  input: { outcome: string; note?: string },
): Promise<{ entry: CampaignEntry; incidentId: string | null; progress: CampaignProgress }> {
  const campaign = found(await deps.store.campaigns.get(campaignId), 'campaign', campaignId)
  await checkMayCall(deps, actor, campaign)
  const entry = await deps.store.campaigns.entry(entryId)
  if (!entry || entry.campaignId !== campaignId) throw new NotFoundError('campaign entry', entryId)
  const now = deps.clock.now()
  const result = recordOutcome(campaign, entry, input.outcome, actor.id, now)
  const note = (input.note ?? '').trim().slice(0, 2000)
  let incidentId: string | null = null

  if (entry.subject.kind === 'registrant') {
    const registrant = found(
      await deps.store.registry.registrant(entry.subject.registrantId),
      'registrant',
      entry.subject.registrantId,
    )
    if (result.follow === 'raise_incident' || result.follow === 'escalate') {
      const [health, earlier] = await Promise.all([
        deps.store.registry.health([registrant.id]),
        deps.store.campaigns.attempts(entryId),
      ])
      incidentId = await raiseWelfareCheck(deps, actor, registrant, {
        reason: result.follow === 'raise_incident' ? 'needs_help' : 'not_reached',
        needs: health.get(registrant.id)?.needs ?? [],
        hoursSinceContact:
          result.follow === 'escalate' && earlier[0] ? (now - earlier[0].at) / HOUR : 0,
        note,
        via: campaign.title,
      })
    }
    await keepAsWellnessCall(deps, actor, campaign, registrant, result, incidentId)
  } else if (result.follow === 'note_incident' && entry.incidentId) {
    await addIncidentNote(
      deps,
      actor,
      entry.incidentId,
      `Call-back (${campaign.title}): the caller says it is still a problem.${note ? ` ${note}` : ''}`,
    )
    incidentId = entry.incidentId
  }

  const saved: CampaignEntry = {
    ...result.entry,
    incidentId: incidentId ?? result.entry.incidentId,
  }
  await deps.store.campaigns.recordAttempt(saved, actor.id, {
    id: deps.ids.next(),
    campaignId,
    entryId,
    outcome: result.outcome.code,
    note,
    at: now,
    by: actor.id,
    incidentId,
  })
  await audit(
    deps,
    actor,
    'campaign_call',
    'success',
    { type: 'campaign_entry', id: entryId },
    { campaignId, outcome: result.outcome.code, follow: result.follow },
  )
  const progress = await deps.store.campaigns.progress([campaignId], now)
  return { entry: saved, incidentId, progress: progress.get(campaignId) as CampaignProgress }
}

async function keepAsWellnessCall(
  deps: AppDeps,
  actor: Actor,
  campaign: Campaign,
  registrant: Registrant,
  result: ReturnType<typeof recordOutcome>,
  incidentId: string | null,
): Promise<void> {
  if (!campaign.activationId) return
  if (!(WELLNESS_OUTCOMES as readonly string[]).includes(result.outcome.code)) return
  await deps.store.registry.addWellnessCall({
    id: deps.ids.next(),
    registrantId: registrant.id,
    activationId: campaign.activationId,
    outcome: result.outcome.code as WellnessOutcome,
    next:
      result.follow === 'escalate'
        ? 'escalate'
        : result.follow === 'raise_incident'
          ? 'raise_incident'
          : result.follow === 'try_again'
            ? 'try_again'
            : 'done',
    at: deps.clock.now(),
    by: actor.id,
    incidentId,
  })
}

/** Closes a campaign: no more calls are taken or recorded; its list and calls are kept. */
export async function closeCampaign(deps: AppDeps, actor: Actor, id: string): Promise<Campaign> {
  found(await deps.store.campaigns.get(id), 'campaign', id)
  await deps.store.campaigns.close(id, deps.clock.now())
  await audit(deps, actor, 'campaign_close', 'success', { type: 'campaign', id })
  return found(await deps.store.campaigns.get(id), 'campaign', id)
}
