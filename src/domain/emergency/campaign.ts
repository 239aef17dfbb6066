import { ConflictError, ValidationError } from '../shared/errors.js'
import { HOUR, type Instant, MINUTE } from '../shared/instant.js'
import { ESCALATE_AFTER_ATTEMPTS } from './registry.js'

/**
 * Outbound campaigns (issue #10 item 6): a list of people to call, built once from the
 * special-needs registry or from the callers of some incidents, worked by call-takers one
 * person at a time with a script and a fixed set of outcomes. The list never copies a phone
 * number: an entry points at a registrant or a caller, read only when someone works it.
 */

/** Where a campaign's people come from. */
export type CampaignSource =
  /** The registrants an activation covers (wellness calls), most urgent need first. */
  | { kind: 'registry'; activationId: string }
  /**
   * The callers who agreed to be called back on incidents of these call types received in the
   * period ("everyone who reported an unplowed street"), one entry per phone number.
   */
  | { kind: 'incidents'; callTypes: string[]; from: Instant; to: Instant }

/** What an outcome leads to. */
export type OutcomeAction =
  /** Nothing more to do for this person. */
  | 'done'
  /** Call again later; after the campaign's last attempt the entry is escalated. */
  | 'try_again'
  /** Someone must go: a welfare check is opened for the registrant. */
  | 'raise_incident'
  /** The problem they reported is not solved: a note goes on their incident for the crew. */
  | 'note_incident'

export interface CampaignOutcome {
  code: string
  label: string
  action: OutcomeAction
}

/** The wellness-call outcomes of the registry (issue #10 item 4), as campaign outcomes. */
export const REGISTRY_OUTCOMES: readonly CampaignOutcome[] = [
  { code: 'reached_fine', label: 'Reached, and fine', action: 'done' },
  { code: 'needs_help', label: 'Needs help: send someone', action: 'raise_incident' },
  { code: 'not_reached', label: 'Not reached', action: 'try_again' },
]

/** Calling back the people who reported a problem: is it fixed? */
export const INCIDENT_OUTCOMES: readonly CampaignOutcome[] = [
  { code: 'resolved', label: 'Reached: it is fixed', action: 'done' },
  { code: 'still_a_problem', label: 'Reached: still a problem', action: 'note_incident' },
  { code: 'left_message', label: 'Left a message', action: 'done' },
  { code: 'not_reached', label: 'Not reached', action: 'try_again' },
  { code: 'wrong_number', label: 'Wrong number', action: 'done' },
]

export function defaultOutcomes(source: CampaignSource['kind']): readonly CampaignOutcome[] {
  return source === 'registry' ? REGISTRY_OUTCOMES : INCIDENT_OUTCOMES
}

export interface Campaign {
  id: string
  title: string
  source: CampaignSource
  /** The activation it serves, if any: its calls are tagged with it. */
  activationId: string | null
  /** What the call-taker says, word for word. */
  script: string
  outcomes: CampaignOutcome[]
  /** Calls to one person before the entry is escalated (registry) or given up. */
  maxAttempts: number
  /** How long to wait before calling again someone who did not answer. */
  retryAfterMs: number
  status: 'open' | 'closed'
  createdBy: string
  createdAt: Instant
  closedAt: Instant | null
}

export const ENTRY_STATES = ['pending', 'done', 'escalated', 'raised'] as const
export type EntryState = (typeof ENTRY_STATES)[number]

/** One person on the list. `rank` orders the list (lower is called first). */
export interface CampaignEntry {
  id: string
  campaignId: string
  subject: { kind: 'registrant'; registrantId: string } | { kind: 'caller'; callerId: string }
  /** The incident the person reported (caller entries) or the one raised for them. */
  incidentId: string | null
  rank: number
  state: EntryState
  attempts: number
  lastOutcome: string | null
  /** Not before: a retry waits until then. */
  dueAt: Instant
  /** The call-taker working this person now, until `claimedUntil`. */
  claimedBy: string | null
  claimedUntil: Instant | null
  updatedAt: Instant
}

/** How long a call-taker holds a person before someone else may take them. */
export const CLAIM_MS = 10 * MINUTE
export const DEFAULT_RETRY_MS = 2 * HOUR

/** Opens a campaign after checking what its creator typed. */
export function openCampaign(input: {
  id: string
  title: string
  source: CampaignSource
  activationId: string | null
  script: string
  outcomes?: CampaignOutcome[]
  maxAttempts?: number
  retryAfterMinutes?: number
  actor: string
  now: Instant
}): Campaign {
  const problems: Array<{ path: string; message: string }> = []
  if (!input.title.trim()) problems.push({ path: 'title', message: 'give the campaign a title' })
  if (input.script.trim().length < 10)
    problems.push({ path: 'script', message: 'write the script the call-takers will read' })
  const outcomes = input.outcomes ?? [...defaultOutcomes(input.source.kind)]
  if (outcomes.length < 2)
    problems.push({ path: 'outcomes', message: 'a call needs at least two possible outcomes' })
  const codes = new Set(outcomes.map((o) => o.code))
  if (codes.size !== outcomes.length)
    problems.push({ path: 'outcomes', message: 'each outcome needs its own code' })
  if (input.source.kind === 'incidents') {
    if (input.source.callTypes.length === 0)
      problems.push({ path: 'source.callTypes', message: 'name at least one call type' })
    if (input.source.to <= input.source.from)
      problems.push({ path: 'source.to', message: 'the period must end after it starts' })
    if (outcomes.some((o) => o.action === 'raise_incident'))
      problems.push({
        path: 'outcomes',
        message: 'only registry campaigns raise welfare checks; use note_incident',
      })
  }
  const maxAttempts = input.maxAttempts ?? ESCALATE_AFTER_ATTEMPTS
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10)
    problems.push({ path: 'maxAttempts', message: 'between 1 and 10 calls per person' })
  const retry = input.retryAfterMinutes ?? DEFAULT_RETRY_MS / MINUTE
  if (!(retry >= 0 && retry <= 7 * 24 * 60))
    problems.push({ path: 'retryAfterMinutes', message: 'between 0 and 10,080 minutes' })
  if (problems.length) throw new ValidationError(problems)
  return {
    id: input.id,
    title: input.title.trim(),
    source: input.source,
    activationId: input.activationId,
    script: input.script.trim(),
    outcomes,
    maxAttempts,
    retryAfterMs: retry * MINUTE,
    status: 'open',
    createdBy: input.actor,
    createdAt: input.now,
    closedAt: null,
  }
}

/** Whether a call-taker may take this entry now. */
export function isWorkable(e: CampaignEntry, now: Instant): boolean {
  return (
    e.state === 'pending' &&
    e.dueAt <= now &&
    (e.claimedUntil === null || e.claimedUntil <= now || e.claimedBy === null)
  )
}

/**
 * The next person to call: the lowest rank among those due and not held by someone else, then
 * the one waiting longest, then by id. The store's claim cuts the same order in the database.
 */
export function nextEntry(entries: readonly CampaignEntry[], now: Instant): CampaignEntry | null {
  let best: CampaignEntry | null = null
  for (const e of entries) {
    if (!isWorkable(e, now)) continue
    if (
      !best ||
      e.rank < best.rank ||
      (e.rank === best.rank && (e.dueAt < best.dueAt || (e.dueAt === best.dueAt && e.id < best.id)))
    )
      best = e
  }
  return best
}

/** What recording an outcome changes, and what must happen because of it. */
export interface OutcomeResult {
  entry: CampaignEntry
  outcome: CampaignOutcome
  /** `escalate`: the last attempt went unanswered. */
  follow: OutcomeAction | 'escalate'
}

/**
 * Records one call's outcome on the entry held by `actor`. A not-reached call waits
 * `retryAfterMs` and is escalated after `maxAttempts`; needing help raises an incident.
 */
export function recordOutcome(
  campaign: Campaign,
  entry: CampaignEntry,
  code: string,
  actor: string,
  now: Instant,
): OutcomeResult {
  const outcome = campaign.outcomes.find((o) => o.code === code)
  if (!outcome)
    throw new ValidationError([
      {
        path: 'outcome',
        message: `use one of the campaign's outcomes: ${campaign.outcomes.map((o) => o.code).join(', ')}`,
      },
    ])
  if (campaign.status !== 'open')
    throw new ConflictError('campaign_closed', 'the campaign is closed; no more calls are recorded')
  if (entry.state !== 'pending')
    throw new ConflictError('entry_finished', 'this person’s calls are already finished')
  if (entry.claimedBy !== actor || entry.claimedUntil === null || entry.claimedUntil < now)
    throw new ConflictError(
      'entry_not_held',
      'take this person with “Next call” first (or your hold on them ran out)',
    )
  const attempts = entry.attempts + 1
  const base = {
    ...entry,
    attempts,
    lastOutcome: code,
    claimedBy: null,
    claimedUntil: null,
    updatedAt: now,
  }
  if (outcome.action === 'try_again') {
    if (attempts >= campaign.maxAttempts)
      return { entry: { ...base, state: 'escalated' }, outcome, follow: 'escalate' }
    return {
      entry: { ...base, state: 'pending', dueAt: now + campaign.retryAfterMs },
      outcome,
      follow: 'try_again',
    }
  }
  if (outcome.action === 'raise_incident')
    return { entry: { ...base, state: 'raised' }, outcome, follow: 'raise_incident' }
  return { entry: { ...base, state: 'done' }, outcome, follow: outcome.action }
}

export interface CampaignProgress {
  total: number
  /** Still to call (including retries not yet due). */
  pending: number
  /** Held by a call-taker right now. */
  inProgress: number
  done: number
  escalated: number
  raised: number
  /** Share finished (done, escalated or raised), 0 to 1. */
  completion: number
  byOutcome: Record<string, number>
}

/** Progress over a list of entries (the store computes the same counts in SQL). */
export function campaignProgress(
  entries: readonly Pick<
    CampaignEntry,
    'state' | 'lastOutcome' | 'claimedBy' | 'claimedUntil' | 'attempts'
  >[],
  now: Instant,
): CampaignProgress {
  const p: CampaignProgress = {
    total: entries.length,
    pending: 0,
    inProgress: 0,
    done: 0,
    escalated: 0,
    raised: 0,
    completion: 0,
    byOutcome: {},
  }
  for (const e of entries) {
    p[e.state] += 1
    if (e.state === 'pending' && e.claimedBy && e.claimedUntil !== null && e.claimedUntil > now)
      p.inProgress += 1
    if (e.lastOutcome) p.byOutcome[e.lastOutcome] = (p.byOutcome[e.lastOutcome] ?? 0) + 1
  }
  p.completion = p.total ? (p.done + p.escalated + p.raised) / p.total : 0
  return p
}

/** Digits of a phone number, so two reports from one phone make one call. */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits
}
