import type { StaffSession, StaffUser } from '../domain/access/accounts.js'
import type { Role } from '../domain/access/roles.js'
import type {
  AssignmentFact,
  CallOfferFact,
  IncidentCount,
  ReferralFact,
} from '../domain/analytics/evaluation.js'
import type { PlacedEvent } from '../domain/analytics/repeats.js'
import type { DayRow, HourRow, RollupSource } from '../domain/analytics/rollups.js'
import type {
  Appointment,
  AvailabilityWindow,
  SchedulableResource,
} from '../domain/appointments/appointment.js'
import type {
  Agency,
  CallType,
  CatalogueFile,
  EscalationQuestion,
  PriorityLevel,
} from '../domain/catalogue/catalogue-schema.js'
import type { Assignment, DispatchChange } from '../domain/dispatch/assignment.js'
import type { DualDispatchKind } from '../domain/dispatch/dispatch-guard.js'
import type { QueuedIncident } from '../domain/dispatch/dispatch-queue.js'
import type { Unit, UnitStatusEvent } from '../domain/dispatch/unit.js'
import type { Activation } from '../domain/emergency/activation.js'
import type { Campaign, CampaignEntry, CampaignProgress } from '../domain/emergency/campaign.js'
import type { Facility, FacilityKind, FacilityStatus } from '../domain/emergency/facility.js'
import type { Audience, KnowledgeArticle, KnowledgeVersion } from '../domain/emergency/knowledge.js'
import type { HealthDetails, Registrant, WellnessOutcome } from '../domain/emergency/registry.js'
import type { CriticalPlaceKind, PlowState } from '../domain/emergency/snow.js'
import type { CallbackTask, Notification, Survey } from '../domain/follow-up/follow-up.js'
import type {
  Area,
  NamedIntersection,
  Place,
  StreetSegment,
} from '../domain/geography/city-geography.js'
import type { CallForService } from '../domain/history/call-for-service.js'
import type { DuplicateCandidateRow } from '../domain/incidents/duplicates.js'
import type {
  Caller,
  Contact,
  Incident,
  IncidentEvent,
  IncidentStatus,
} from '../domain/incidents/incident.js'
import type { OpenedIncident } from '../domain/incidents/open-incident.js'
import type { OwnerKind, Problem, ProblemEvent, ProblemStage } from '../domain/problems/problem.js'
import type { Referral, ReferralStatus } from '../domain/referrals/referral.js'
import type { Instant } from '../domain/shared/instant.js'

/**
 * The ports the use cases see. They are task-shaped and speak domain types; the one Kysely
 * implementation (src/store/kysely) serves SQLite and PostgreSQL alike.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  readonly catalogue: CatalogueStore
  readonly incidents: IncidentStore
  readonly geography: GeographyStore
  readonly accounts: AccountStore
  readonly audit: AuditStore
  readonly units: UnitStore
  readonly dispatch: DispatchStore
  readonly referrals: ReferralStore
  readonly problems: ProblemStore
  readonly appointments: AppointmentStore
  readonly followUp: FollowUpStore
  readonly history: HistoryStore
  readonly rollups: RollupStore
  readonly evaluation: EvaluationStore
  readonly registry: RegistryStore
  readonly snow: SnowStore
  readonly campaigns: CampaignStore
  readonly activations: ActivationStore
  readonly knowledge: KnowledgeStore
  readonly facilities: FacilityStore
  /** Brings the schema up to date; returns the names of the migrations it ran. */
  migrate(): Promise<string[]>
  close(): Promise<void>
}

/** A call type as stored, with its edit counter. */
export interface StoredCallType extends CallType {
  revision: number
  updatedAt: Instant
  updatedBy: string
}

/** Catalogue-wide settings that come with a catalogue file. */
export interface CatalogueSettings {
  version: string | null
  priorityLevels: PriorityLevel[]
  screening: EscalationQuestion[]
}

/** One recorded change to a call type. */
export interface CallTypeChange {
  callType: string
  revision: number
  change: 'created' | 'updated'
  before: CallType | null
  after: CallType
  reason: string
  actor: string
  at: Instant
  catalogueVersion: string | null
}

/** What an import did, call type by call type. */
export interface CatalogueImportReport {
  version: string
  created: string[]
  updated: string[]
  unchanged: string[]
  /** In the database but not in the file: left as they are (they may be local additions). */
  notInFile: string[]
  agencies: number
}

/** A row of a mapping table from an outside system's codes to ours. */
export interface CallTypeMappingRow {
  sourceCode: string
  sourceDescription: string
  callType: string
  note: string
}

export interface CatalogueStore {
  settings(): Promise<CatalogueSettings>
  agencies(): Promise<Agency[]>
  listCallTypes(options?: { includeInactive?: boolean }): Promise<StoredCallType[]>
  getCallType(code: string): Promise<StoredCallType | null>
  /** Loads a whole catalogue file in one transaction, recording each change. */
  importCatalogue(
    file: CatalogueFile,
    meta: { actor: string; at: Instant; source: string },
  ): Promise<CatalogueImportReport>
  /**
   * Creates or replaces one call type and records the change. `expectedRevision` guards
   * against overwriting someone else's edit (null: it must not exist yet).
   */
  saveCallType(
    callType: CallType,
    meta: { actor: string; at: Instant; reason: string; expectedRevision: number | null },
  ): Promise<StoredCallType>
  callTypeChanges(code: string): Promise<CallTypeChange[]>
  /** Replaces the mapping table of one source. */
  replaceMapping(source: string, rows: readonly CallTypeMappingRow[]): Promise<number>
  mapping(source: string): Promise<CallTypeMappingRow[]>
}

/** Makes a retried request safe: the same key and the same request give the same result. */
export interface Idempotency {
  key: string
  /** Hash of the request body; the same key with a different body is refused. */
  hash: string
}

/** Result of a create that may have been a replay of an earlier one. */
export interface Created<T> {
  value: T
  /** True when the idempotency key had already been used and nothing new was written. */
  replayed: boolean
}

export interface IncidentFilter {
  status?: IncidentStatus[]
  callType?: string
  channel?: string
  receivedFrom?: Instant
  receivedTo?: Instant
  idempotencyKey?: string
  /** Words found in the location or the narrative (case-insensitive). */
  text?: string
  block?: string
  policeDistrict?: string
  neighborhood?: string
  limit: number
  /** Return incidents received before this sequence number (keyset paging, newest first). */
  beforeNumber?: number
}

export interface IncidentStore {
  /**
   * Saves a newly opened incident with its contact, caller and history. Concurrent calls are
   * committed together (group commit); each resolves only once its data is durable.
   */
  create(opened: OpenedIncident, idempotency: Idempotency | null): Promise<Created<Incident>>
  get(id: string): Promise<Incident | null>
  list(filter: IncidentFilter): Promise<Incident[]>
  /** Saves a changed incident and its history entry, if nobody changed it meanwhile. */
  update(incident: Incident, expectedVersion: number, event: IncidentEvent): Promise<void>
  /** Adds another caller's contact to an existing incident. */
  linkContact(
    contact: Contact,
    caller: Caller | null,
    event: IncidentEvent,
    idempotency: Idempotency | null,
  ): Promise<Created<Contact>>
  contacts(incidentId: string): Promise<Contact[]>
  /** The restricted identities behind the given contacts, in the same order (null if anonymous). */
  callers(callerIds: ReadonlyArray<string | null>): Promise<Array<Caller | null>>
  events(incidentId: string): Promise<IncidentEvent[]>
  /** Open incidents of a family in the given H3 cells received since `since`. */
  duplicateCandidates(
    family: string,
    cells: readonly string[],
    since: Instant,
  ): Promise<DuplicateCandidateRow[]>
  count(): Promise<number>
  /** The incident with this number ("311-0000123" is number 123). */
  byNumber(number: number): Promise<Incident | null>
  /** Keeps a photo sent with a report. */
  addMedia(media: StoredMedia): Promise<void>
  /** The photos of an incident, without their bytes. */
  mediaOf(incidentId: string): Promise<Array<Omit<StoredMedia, 'bytes'>>>
  media(id: string): Promise<StoredMedia | null>
  /** Incidents the public may see, newest first, cut by the filter (Open311 GET requests). */
  publicRequests(filter: PublicRequestFilter): Promise<Incident[]>
}

/** A photo sent with a report: checked image bytes, shown to staff only. */
export interface StoredMedia {
  id: string
  incidentId: string
  contentType: string
  size: number
  bytes: Uint8Array
  createdAt: Instant
}

export interface PublicRequestFilter {
  /** The call types whose incidents are listed (public, not police-sensitive). */
  callTypes: readonly string[]
  /** Responses that make any incident police-sensitive. */
  excludeModes: readonly string[]
  numbers?: readonly number[]
  statuses?: readonly IncidentStatus[]
  requestedFrom?: Instant
  requestedTo?: Instant
  updatedFrom?: Instant
  updatedTo?: Instant
  limit: number
  offset: number
}

/** One imported layer of the city's geography. */
export interface GeographyLayer {
  /** 'streets', 'intersections', 'places' or 'area:<layer>'. */
  layer: string
  source: string
  /** SHA-256 of the file it came from: re-importing an unchanged file is skipped. */
  checksum: string
  features: number
  importedAt: Instant
  importedBy: string
}

/** The rows of one layer, as an import replaces them. */
export type LayerRows =
  | { kind: 'streets'; items: StreetSegment[] }
  | { kind: 'intersections'; items: NamedIntersection[] }
  | { kind: 'areas'; layer: string; items: Area[] }
  | { kind: 'places'; items: Place[] }

/** Everything the in-memory geocoder is built from. */
export interface CityGeographyData {
  segments: StreetSegment[]
  intersections: NamedIntersection[]
  areas: Area[]
  places: Place[]
}

export interface GeographyStore {
  layers(): Promise<GeographyLayer[]>
  /** Replaces a layer whole, in one transaction, reporting progress as it goes. */
  replaceLayer(
    rows: LayerRows,
    meta: { source: string; checksum: string; at: Instant; actor: string },
    onProgress?: (done: number, total: number) => void,
  ): Promise<void>
  load(): Promise<CityGeographyData>
}

/** A machine client's token. The token itself is shown once and stored only as a hash. */
export interface ApiToken {
  id: string
  name: string
  tokenHash: string
  roles: Role[]
  agency: string | null
  district: string | null
  createdBy: string
  createdAt: Instant
  revokedAt: Instant | null
  lastUsedAt: Instant | null
}

export interface AccountStore {
  createUser(user: StaffUser, passwordHash: string): Promise<void>
  userByName(username: string): Promise<{ user: StaffUser; passwordHash: string } | null>
  user(id: string): Promise<StaffUser | null>
  users(): Promise<StaffUser[]>
  /** Saves a changed account if nobody changed it meanwhile; a new hash replaces the password. */
  updateUser(user: StaffUser, expectedVersion: number, passwordHash?: string): Promise<void>
  countUsers(): Promise<number>
  createSession(session: StaffSession): Promise<void>
  session(tokenHash: string): Promise<StaffSession | null>
  touchSession(tokenHash: string, at: Instant): Promise<void>
  endSession(tokenHash: string, at: Instant, reason: string): Promise<void>
  /** Ends every open session of a user; returns how many. */
  endUserSessions(userId: string, at: Instant, reason: string): Promise<number>
  createToken(token: ApiToken): Promise<void>
  tokenByHash(tokenHash: string): Promise<ApiToken | null>
  tokens(): Promise<ApiToken[]>
  revokeToken(id: string, at: Instant): Promise<boolean>
  touchToken(id: string, at: Instant): Promise<void>
}

/** One entry of the audit log: who did what to what, when, from where, and how it went. */
export interface AuditEvent {
  at: Instant
  actor: string
  actorKind: 'user' | 'token' | 'system' | 'anonymous'
  action: string
  outcome: 'success' | 'failure' | 'denied'
  targetType: string | null
  targetId: string | null
  ip: string | null
  details: Record<string, unknown>
}

export interface AuditFilter {
  from?: Instant
  to?: Instant
  actor?: string
  action?: string
  outcome?: AuditEvent['outcome']
  limit: number
  /** Keyset paging: entries before this sequence number, newest first. */
  before?: number
}

/** Append-only: there is no method to change or remove an entry, and the database refuses too. */
export interface AuditStore {
  append(events: readonly AuditEvent[]): Promise<void>
  search(filter: AuditFilter): Promise<Array<AuditEvent & { seq: number }>>
}

/** The unit roster and each unit's status history (issue #6). */
export interface UnitStore {
  /** Adds a unit; a call sign already on the roster is a ConflictError. */
  addUnit(unit: Unit): Promise<void>
  unit(id: string): Promise<Unit | null>
  /** The whole roster, by call sign. */
  units(): Promise<Unit[]>
  /**
   * Saves a unit's new state and the status change that made it, together, if nobody changed
   * the unit since `expectedVersion` (a ConflictError otherwise, and nothing is written).
   */
  recordStatus(unit: Unit, expectedVersion: number, event: UnitStatusEvent | null): Promise<void>
  /** A unit's status changes, oldest first. */
  history(unitId: string): Promise<UnitStatusEvent[]>
}

/** A dispatch the double-dispatch guard (or the unit's state) refused, kept for counting. */
export interface DispatchRefusal {
  incidentId: string
  unitId: string
  code: string
  at: Instant
  by: string
}

/** Dispatch figures over a period, for the evaluation. */
export interface DispatchCounts {
  assignments: number
  primary: number
  backup: number
  /** Units sent despite a duplicate or a referral, with a recorded reason. */
  dualDispatches: Record<DualDispatchKind, number>
  /** Refused dispatches by reason code (already_dispatched, duplicate_of_dispatched, …). */
  refused: Record<string, number>
}

/** A cut of the dispatch queue, with the full counts. */
export interface QueueSlice {
  due: QueuedIncident[]
  dueTotal: number
  held: QueuedIncident[]
  heldTotal: number
}

/** Units sent to incidents and the queue of incidents waiting for one (issue #6). */
export interface DispatchStore {
  /**
   * The dispatch queue, cut in the database: incidents waiting for a unit (pending, with a
   * response that needs one). `due`: those due now, in dispatchQueue's order (priority, then
   * queued since, then number); `held`: delayed ones not yet due, soonest first.
   */
  queue(now: Instant, limits: { due: number; held: number }): Promise<QueueSlice>
  assignment(id: string): Promise<Assignment | null>
  /** Every assignment of an incident, oldest first. */
  assignmentsOf(incidentId: string): Promise<Assignment[]>
  /** Assignments still being worked, oldest first. */
  activeAssignments(): Promise<Assignment[]>
  /**
   * Saves a dispatch step in one transaction: the assignment (new when `expected.assignment`
   * is null), the unit's status change and the incident's change, each checked against the
   * version it was read at. A second active primary for an incident is a ConflictError.
   */
  saveDispatch(
    change: DispatchChange,
    expected: { assignment: number | null; unit: number; incident: number | null },
  ): Promise<void>
  recordRefusal(refusal: DispatchRefusal): Promise<void>
  counts(from: Instant, to: Instant): Promise<DispatchCounts>
}

export interface ReferralFilter {
  agency?: string
  status?: ReferralStatus[]
  /** Only referrals still open and past their due time at this instant. */
  overdueAt?: Instant
  limit: number
}

/** Referrals to agencies and Neighborhood Service Centers (issue #6). */
export interface ReferralStore {
  /**
   * Saves a referral (new when `expectedVersion` is null) with the incident's history entry and,
   * when given, the incident's change, in one transaction. A second open referral for an
   * incident is a ConflictError.
   */
  save(
    referral: Referral,
    expectedVersion: number | null,
    event: IncidentEvent,
    incident: { incident: Incident; expectedVersion: number } | null,
  ): Promise<void>
  referral(id: string): Promise<Referral | null>
  /** The incident's open referral, if it has one. */
  openFor(incidentId: string): Promise<Referral | null>
  /** Every referral of an incident, oldest first. */
  of(incidentId: string): Promise<Referral[]>
  /** Referrals by due time, soonest first. */
  list(filter: ReferralFilter): Promise<Referral[]>
  /** Open referrals past their due time. */
  pastDue(now: Instant): Promise<Referral[]>
}

export interface ProblemFilter {
  stage?: ProblemStage[]
  ownerKind?: OwnerKind
  ownerId?: string
  limit: number
}

/** Calls per local day on a problem's places, 311 incidents and 911 calls apart. */
export interface PlaceDayCounts {
  '311': Array<{ date: string; count: number }>
  '911': Array<{ date: string; count: number }>
}

/** Problems for problem-oriented policing (issue #8 item 4). */
export interface ProblemStore {
  /**
   * Saves a new problem with its places, linked incidents and first history entries in one
   * transaction, numbering it (P-<year>-<n>, the city's year); returns it numbered.
   */
  create(problem: Problem, events: readonly ProblemEvent[]): Promise<Problem>
  /**
   * Saves a changed problem (its owner, stage, links) with its history entries, in one
   * transaction, if nobody changed it since `expectedVersion` (a ConflictError otherwise).
   */
  update(problem: Problem, expectedVersion: number, events: readonly ProblemEvent[]): Promise<void>
  problem(id: string): Promise<Problem | null>
  /** Problems most recently changed first. */
  list(filter: ProblemFilter): Promise<Problem[]>
  /** A problem's history, oldest first. */
  events(problemId: string): Promise<ProblemEvent[]>
  /**
   * Calls per local day between two local days (inclusive) on the given blocks or cells (a call
   * on both counts once). 311 incidents marked as duplicates are left out: the same problem
   * reported twice is one call's worth of trouble.
   */
  dailyCounts(
    places: { blocks: readonly string[]; cells: readonly string[] },
    fromDay: string,
    toDay: string,
  ): Promise<PlaceDayCounts>
}

/** A resource on the schedule, with whether it still takes bookings. */
export interface StoredResource extends SchedulableResource {
  active: boolean
}

/** Appointments with PSAs, officers and NSC staff (issue #6 item 5). */
export interface AppointmentStore {
  /** Adds a resource; a name already on the schedule is a ConflictError. */
  addResource(resource: StoredResource): Promise<void>
  resources(): Promise<StoredResource[]>
  resource(id: string): Promise<StoredResource | null>
  /** Adds a block of bookable time; an overlap with the resource's own windows is a ConflictError. */
  addWindow(window: AvailabilityWindow & { id: string }): Promise<void>
  /** Windows overlapping [from, to), of one resource or all. */
  windows(
    from: Instant,
    to: Instant,
    resourceId?: string,
  ): Promise<Array<AvailabilityWindow & { id: string }>>
  /** Appointments overlapping [from, to), of one resource or all, by start. */
  appointments(from: Instant, to: Instant, resourceId?: string): Promise<Appointment[]>
  appointment(id: string): Promise<Appointment | null>
  /** Booked appointments of these incidents (to set a delayed response's due time). */
  bookedFor(incidentIds: readonly string[]): Promise<Appointment[]>
  /**
   * Books an appointment in one transaction that re-reads the resource's windows and bookings
   * and calls `decide` with them, so two call-takers cannot book the same slot; `decide`
   * throws to refuse (ConflictError 'slot_taken').
   */
  book(
    resourceId: string,
    decide: (windows: AvailabilityWindow[], existing: Appointment[]) => Appointment,
  ): Promise<Appointment>
  /** Saves a changed appointment if nobody changed it since `expectedVersion`. */
  update(appointment: Appointment, expectedVersion: number): Promise<void>
}

export interface CallbackFilter {
  status?: Array<CallbackTask['status']>
  incidentId?: string
  limit: number
}

/** Callback tasks, the notification outbox and satisfaction surveys (issue #6 item 6). */
export interface FollowUpStore {
  addCallback(task: CallbackTask): Promise<void>
  callback(id: string): Promise<CallbackTask | null>
  /** Callbacks soonest due first. */
  callbacks(filter: CallbackFilter): Promise<CallbackTask[]>
  /** Saves a changed callback if nobody changed it since `expectedVersion`. */
  updateCallback(task: CallbackTask, expectedVersion: number): Promise<void>
  /** Queues messages and opens their surveys in one transaction. */
  queue(
    notifications: readonly Notification[],
    surveys: ReadonlyArray<Survey & { tokenHash: string }>,
  ): Promise<void>
  /** Queued messages whose next attempt is due. */
  dueNotifications(now: Instant, limit: number): Promise<Notification[]>
  updateNotification(n: Notification): Promise<void>
  notificationsOf(incidentId: string): Promise<Notification[]>
  surveyByTokenHash(tokenHash: string): Promise<Survey | null>
  /** Saves an answer unless the survey was answered meanwhile (then false). */
  answerSurvey(survey: Survey): Promise<boolean>
  /** Surveys sent in [from, to). */
  surveys(from: Instant, to: Instant): Promise<Survey[]>
}

/** 911 calls for service imported from CAD exports (issue #8). */
export interface HistoryStore {
  /** Adds calls in one transaction; a call already imported (same source and id) is skipped. */
  addCalls(
    calls: readonly CallForService[],
    importedAt: Instant,
  ): Promise<{ inserted: number; duplicates: number }>
  /**
   * Imports a whole export, its calls coming in batches, of about `expectedCalls` (the export's
   * lines). A large one (against the calls already stored) is written in one transaction, all
   * or nothing, with the call table's indexes built again and its rollups counted in memory and
   * added once; otherwise each batch is a transaction of its own, as with `addCalls`. A call
   * already imported (same source and id), or repeated in the export, is skipped.
   */
  importCalls(
    batches: AsyncIterable<readonly CallForService[]>,
    importedAt: Instant,
    expectedCalls: number,
  ): Promise<{ inserted: number; duplicates: number }>
  count(source?: string): Promise<number>
}

/** Counts kept as calls arrive (311 incidents and imported 911 calls), for the dashboards. */
export interface RollupStore {
  /** Day rows (by call type, channel, priority, district) between two local dates, inclusive. */
  days(source: RollupSource, fromDay: string, toDay: string): Promise<DayRow[]>
  /** Calls between two local dates, inclusive, counted by one of the day rollup's dimensions. */
  breakdown(
    source: RollupSource,
    fromDay: string,
    toDay: string,
    by: 'call_type' | 'channel' | 'priority' | 'district',
  ): Promise<Array<{ key: string; n: number }>>
  /** Counts by local day and hour, for hour-of-week seasonality. */
  hours(source: RollupSource, fromDay: string, toDay: string): Promise<HourRow[]>
  /** Counts by street block or H3 cell over whole months ('YYYY-MM'), inclusive. */
  places(
    kind: 'block' | 'cell',
    source: RollupSource,
    fromMonth: string,
    toMonth: string,
  ): Promise<Array<{ place: string; n: number }>>
  /**
   * Counts every stored call again, in one transaction: after the city's time zone changes, or
   * to check the rollups. Returns the calls counted.
   */
  rebuild(onProgress?: (done: number, total: number) => void): Promise<number>
  /**
   * The busiest places over whole months, cut in the database: at least the `limit` busiest
   * (more when counts tie at the cut, so the caller can order ties its own way), with the
   * number of places that had a call and the calls over all of them.
   */
  topPlaces(
    kind: 'block' | 'cell',
    sources: readonly RollupSource[],
    fromMonth: string,
    toMonth: string,
    limit: number,
  ): Promise<{ rows: Array<{ place: string; n: number }>; places: number; total: number }>
  /** Every block or cell that has had a call on either line, at any time: the study area. */
  knownPlaces(kind: 'block' | 'cell'): Promise<string[]>
  /** Calls placed on a block in [from, to), oldest first, at most `limit` (repeat analysis). */
  placedEvents(
    source: RollupSource,
    window: { from: Instant; to: Instant },
    limit: number,
  ): Promise<PlacedEvent[]>
  /** The latest calls with a point in [from, to), newest first, at most `limit` (near repeat). */
  pointEvents(
    source: RollupSource,
    window: { from: Instant; to: Instant },
    limit: number,
  ): Promise<Array<{ at: Instant; lat: number; lon: number }>>
  /** Where each block is on a map: the mean position of its placed calls on both lines. */
  blockPoints(blocks: readonly string[]): Promise<Map<string, { lat: number; lon: number }>>
}

/** The calibration's facts beyond the rollups and the evaluation's (EvaluationStore.calibrationFacts). */
export interface CalibrationFacts {
  /** Seconds from answer to end of each answered and ended phone_311 contact. */
  handleSeconds311: number[]
  incidents: { total: number; duplicates: number }
  /** Referrals closed, those declined, and the hours each declined one took. */
  referrals: { closed: number; returned: number; returnHours: number[] }
}

/** What the evaluation dashboard reads for a period, and the 311 line's offered calls. */
export interface EvaluationStore {
  /** 311 incidents received in [from, to) by channel, priority, mode and whether dispatched. */
  incidentCounts(from: Instant, to: Instant): Promise<IncidentCount[]>
  /** Assignments of the incidents received in [from, to), with their incident's times. */
  assignments(from: Instant, to: Instant): Promise<AssignmentFact[]>
  /**
   * Each unit's status changes in [from, to), preceded by its last change before `from` (so the
   * activity at the start is known); units with no change before `to` are left out.
   */
  unitHistories(from: Instant, to: Instant): Promise<UnitStatusEvent[][]>
  referrals(from: Instant, to: Instant): Promise<ReferralFact[]>
  callOffers(from: Instant, to: Instant): Promise<CallOfferFact[]>
  /**
   * What the policy lab's calibration reads beside the rollups, for incidents received (and
   * referrals closed) in [from, to): the 311 phone contacts' handle times, how many 311
   * incidents were linked as duplicates, and the referrals the agency declined (sent back).
   */
  calibrationFacts(from: Instant, to: Instant): Promise<CalibrationFacts>
  recordOffer(offer: { id: string; line: string | null; offeredAt: Instant }): Promise<void>
  /** Marks an offered call answered or abandoned; false when it was already one or the other. */
  endOffer(
    id: string,
    end: { answeredAt: Instant; answeredBy: string } | { abandonedAt: Instant },
  ): Promise<boolean>
}

/** Emergency activations (issue #10 item 1). */
export interface ActivationStore {
  /** Inserts a new activation or saves a changed one (deactivation). */
  save(a: Activation): Promise<void>
  get(id: string): Promise<Activation | null>
  /** Newest first. */
  list(limit: number): Promise<Activation[]>
  /** Activations on at this instant: started, not ended, not deactivated. */
  current(now: Instant): Promise<Activation[]>
  /** Tags an incident with the activation that covered it when it was taken. */
  tagIncident(incidentId: string, activationId: string): Promise<void>
  /** How many incidents are tagged with the activation (its dashboard). */
  incidentCount(activationId: string): Promise<number>
  /** The activation an incident was tagged with, if any. */
  ofIncident(incidentId: string): Promise<Activation | null>
  /** Its calls grouped in the database: by call type, response and open/closed; by hour. */
  incidentBreakdown(activationId: string): Promise<ActivationBreakdown>
}

/** An activation's dashboard figures (issue #10 item 1), counted over its tagged incidents. */
export interface ActivationBreakdown {
  groups: Array<{ callType: string; mode: string; open: boolean; count: number }>
  /** Calls per hour, by the hour's start (epoch ms), oldest first; hours without calls absent. */
  byHour: Array<{ hour: Instant; count: number }>
}

/** What a call-taker told a caller: an article version, or a facility offered. */
export interface InformationGiven {
  incidentId: string
  at: Instant
  actor: string
  knowledgeVersionId: string | null
  facilityId: string | null
  distanceMetres: number | null
  /** Whether the caller can get to the facility; null when not asked. */
  canReach: boolean | null
  /** The transport callback raised when they cannot. */
  callbackId: string | null
}

/** Official information (issue #10 item 2). */
export interface KnowledgeStore {
  createArticle(article: KnowledgeArticle, first: KnowledgeVersion): Promise<void>
  article(id: string): Promise<KnowledgeArticle | null>
  articles(filter: {
    callType?: string
    audience?: Audience
    activationId?: string
  }): Promise<KnowledgeArticle[]>
  /** Every version of the given articles, oldest first. */
  versions(articleIds: readonly string[]): Promise<KnowledgeVersion[]>
  version(id: string): Promise<KnowledgeVersion | null>
  /** Adds the next version; ConflictError when another editor took its number meanwhile. */
  addVersion(v: KnowledgeVersion): Promise<void>
  /** Records an approval; false when the version was approved meanwhile. */
  approve(v: KnowledgeVersion): Promise<boolean>
  recordGiven(given: InformationGiven): Promise<void>
  givenOn(incidentId: string): Promise<InformationGiven[]>
}

/** PODs, shelters and warming centres (issue #10 item 3). */
export interface FacilityStore {
  save(f: Facility): Promise<void>
  get(id: string): Promise<Facility | null>
  list(filter: { kind?: FacilityKind; status?: FacilityStatus }): Promise<Facility[]>
}

/** One wellness call to a registrant during an activation, and what it led to. */
export interface WellnessCall {
  id: string
  registrantId: string
  activationId: string
  outcome: WellnessOutcome
  next: 'done' | 'raise_incident' | 'try_again' | 'escalate'
  at: Instant
  by: string
  incidentId: string | null
}

/**
 * The special-needs registry (issue #10 item 4). Health details are read only through
 * `health()`: the use case checks the rule and audits before it calls it.
 */
export interface RegistryStore {
  /** Saves a new registrant with their health details and contacts in one transaction. */
  create(registrant: Registrant, health: HealthDetails): Promise<void>
  /**
   * Saves changed details if nobody changed them since `expectedVersion` (ConflictError
   * otherwise); health details are replaced only when given.
   */
  update(
    registrant: Registrant,
    expectedVersion: number,
    health: HealthDetails | null,
  ): Promise<void>
  registrant(id: string): Promise<Registrant | null>
  /** Registrants by name (the managers' list; never health details). */
  list(filter: { limit: number }): Promise<Registrant[]>
  /** Registrants with a point in the box [minLon, minLat, maxLon, maxLat]. */
  inBox(box: readonly [number, number, number, number], limit: number): Promise<Registrant[]>
  /** Needs, contacts and notes of the given registrants (the explicit, audited read). */
  health(ids: readonly string[]): Promise<Map<string, HealthDetails>>
  /**
   * Points of registrants with a critical need (oxygen, dialysis, power-dependent equipment) in
   * the box: the plows' critical-need locations, with nothing that says who lives there.
   */
  criticalPoints(
    box: readonly [number, number, number, number],
  ): Promise<
    Array<{ lat: number; lon: number; policeDistrict: string | null; neighborhood: string | null }>
  >
  addWellnessCall(call: WellnessCall): Promise<void>
  wellnessCalls(activationId: string): Promise<WellnessCall[]>
}

export interface CriticalPlace {
  id: string
  kind: Exclude<CriticalPlaceKind, 'critical_need'>
  name: string
  address: string
  lat: number
  lon: number
}

/** Snow operations (issue #10 item 5): plow state per street segment, critical places. */
export interface SnowStore {
  setPlowState(segmentId: string, state: PlowState, at: Instant, by: string): Promise<void>
  /** The recorded state of the given segments; a segment not in the map is not_started. */
  plowStates(segmentIds: readonly string[]): Promise<Map<string, PlowState>>
  addCriticalPlace(place: CriticalPlace): Promise<void>
  criticalPlaces(box: readonly [number, number, number, number]): Promise<CriticalPlace[]>
}

/** One call made on a campaign: who called, what came of it, what it raised. */
export interface CampaignAttempt {
  id: string
  campaignId: string
  entryId: string
  outcome: string
  /** What the call-taker noted (kept with the campaign, never published or exported). */
  note: string
  at: Instant
  by: string
  incidentId: string | null
}

/** Outbound campaigns (issue #10 item 6). */
export interface CampaignStore {
  /** Saves a campaign with its whole list in one transaction. */
  create(campaign: Campaign, entries: readonly CampaignEntry[]): Promise<void>
  get(id: string): Promise<Campaign | null>
  /** Newest first. */
  list(filter: { activationId?: string; limit: number }): Promise<Campaign[]>
  /** Counts per campaign, computed in the database (the same as `campaignProgress`). */
  progress(campaignIds: readonly string[], now: Instant): Promise<Map<string, CampaignProgress>>
  entries(campaignId: string): Promise<CampaignEntry[]>
  entry(id: string): Promise<CampaignEntry | null>
  /**
   * Holds for `actor` until `until` the person they already hold on this campaign, or else the
   * next workable one in `nextEntry` order; two call-takers never get the same person. Null
   * when nobody is left to call now.
   */
  claimNext(
    campaignId: string,
    actor: string,
    now: Instant,
    until: Instant,
  ): Promise<CampaignEntry | null>
  /**
   * Saves an entry after a call and the call itself, in one transaction, only if the entry is
   * still held by `heldBy` (ConflictError otherwise: the hold ran out and someone took it).
   */
  recordAttempt(entry: CampaignEntry, heldBy: string, attempt: CampaignAttempt): Promise<void>
  attempts(entryId: string): Promise<CampaignAttempt[]>
  close(id: string, at: Instant): Promise<void>
}
