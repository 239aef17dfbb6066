import type { StaffSession, StaffUser } from '../domain/access/accounts.js'
import type { Role } from '../domain/access/roles.js'
import type {
  Agency,
  CallType,
  CatalogueFile,
  EscalationQuestion,
  PriorityLevel,
} from '../domain/catalogue/catalogue-schema.js'
import type { Unit, UnitStatusEvent } from '../domain/dispatch/unit.js'
import type {
  Area,
  NamedIntersection,
  Place,
  StreetSegment,
} from '../domain/geography/city-geography.js'
import type { DuplicateCandidateRow } from '../domain/incidents/duplicates.js'
import type {
  Caller,
  Contact,
  Incident,
  IncidentEvent,
  IncidentStatus,
} from '../domain/incidents/incident.js'
import type { OpenedIncident } from '../domain/incidents/open-incident.js'
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
