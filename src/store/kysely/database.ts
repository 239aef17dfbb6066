import type { Generated } from 'kysely'

/**
 * Row types of every table, snake_case as the SQL reads. Instants are epoch milliseconds
 * (bigint on PostgreSQL, integer on SQLite); booleans are 0/1 integers on both; JSON columns
 * are jsonb on PostgreSQL and text on SQLite (see StoreDialect.json).
 */
export interface Database {
  catalogue_version: CatalogueVersionTable
  catalogue_setting: CatalogueSettingTable
  agency: AgencyTable
  call_type: CallTypeTable
  call_type_change: CallTypeChangeTable
  call_type_mapping: CallTypeMappingTable
  caller: CallerTable
  incident: IncidentTable
  contact: ContactTable
  incident_event: IncidentEventTable
  geo_layer: GeoLayerTable
  geo_segment: GeoSegmentTable
  geo_intersection: GeoIntersectionTable
  geo_area: GeoAreaTable
  geo_place: GeoPlaceTable
  app_user: AppUserTable
  user_session: UserSessionTable
  api_token: ApiTokenTable
  audit_event: AuditEventTable
  number_sequence: NumberSequenceTable
  unit: UnitTable
  unit_status_event: UnitStatusEventTable
  assignment: AssignmentTable
  dispatch_refusal: DispatchRefusalTable
  referral: ReferralTable
  problem: ProblemTable
  problem_place: ProblemPlaceTable
  problem_incident: ProblemIncidentTable
  problem_event: ProblemEventTable
  callback_task: CallbackTaskTable
  notification: NotificationTable
  survey: SurveyTable
  schedulable_resource: SchedulableResourceTable
  availability_window: AvailabilityWindowTable
  appointment: AppointmentTable
  media: MediaTable
  call_for_service: CallForServiceTable
  rollup_day: {
    source: string
    day: string
    call_type: string
    channel: string
    priority: number
    district: string
    n: number
  }
  rollup_hour: { source: string; day: string; hour: number; n: number }
  rollup_block: { source: string; month: string; place: string; n: number }
  rollup_cell: { source: string; month: string; place: string; n: number }
  rollup_block_year: { source: string; year: string; place: string; n: number }
  call_offer: CallOfferTable
  rollup_place: { kind: string; place: string }
  activation: ActivationTable
  knowledge_article: KnowledgeArticleTable
  knowledge_version: KnowledgeVersionTable
  facility: FacilityTable
  information_given: InformationGivenTable
}

/** A call offered to the 311 line by the telephony system: answered, abandoned or ringing. */
export interface CallOfferTable {
  id: string
  line: string | null
  offered_at: number
  answered_at: number | null
  answered_by: string | null
  abandoned_at: number | null
}

export interface CallForServiceTable {
  seq: Generated<number>
  source: string
  source_id: string
  received_at: number
  source_call_type: string
  call_type: string | null
  priority: number | null
  disposition: string | null
  block: string | null
  lat: number | null
  lon: number | null
  h3: string | null
  police_district: string | null
  beat: string | null
  imported_at: number
}

export interface MediaTable {
  id: string
  incident_id: string
  content_type: string
  size: number
  bytes: Uint8Array
  created_at: number
}

export interface CallbackTaskTable {
  id: string
  incident_id: string
  due_at: number
  reason: string
  status: string
  outcome: string | null
  note: string | null
  created_at: number
  created_by: string
  done_at: number | null
  done_by: string | null
  version: number
}

export interface NotificationTable {
  id: string
  incident_id: string
  caller_id: string
  channel: string
  subject: string
  body: string
  status: string
  attempts: number
  last_error: string | null
  provider_id: string | null
  created_at: number
  next_attempt_at: number | null
  sent_at: number | null
}

export interface SurveyTable {
  id: string
  token_hash: string
  incident_id: string
  sent_at: number
  answered_at: number | null
  score: number | null
  resolved: number | null
  comment: string | null
}

export interface SchedulableResourceTable {
  id: string
  name: string
  kind: string
  district: string | null
  location: string | null
  active: number
}

export interface AvailabilityWindowTable {
  id: string
  resource_id: string
  starts_at: number
  ends_at: number
}

export interface AppointmentTable {
  id: string
  resource_id: string
  incident_id: string | null
  starts_at: number
  ends_at: number
  purpose: string
  place: string | null
  status: string
  booked_by: string
  booked_at: number
  cancelled_reason: string | null
  cancelled_by: string | null
  cancelled_at: number | null
  version: number
}

export interface AssignmentTable {
  id: string
  incident_id: string
  incident_number: number | null
  unit_id: string
  call_sign: string
  role: string
  dual_dispatch_kind: string | null
  dual_dispatch_reason: string | null
  assigned_at: number
  assigned_by: string
  en_route_at: number | null
  on_scene_at: number | null
  cleared_at: number | null
  cleared_by: string | null
  disposition: string | null
  recall_reason: string | null
  active: number
  version: number
}

export interface DispatchRefusalTable {
  seq: Generated<number>
  incident_id: string
  unit_id: string
  code: string
  at: number
  by: string
}

export interface ReferralTable {
  id: string
  incident_id: string
  agency: string
  status: string
  sent_at: number
  sent_by: string
  due_at: number
  acknowledged_at: number | null
  acknowledged_by: string | null
  escalations: number
  last_escalated_at: number | null
  closed_at: number | null
  closed_by: string | null
  outcome: string | null
  outcome_note: string | null
  version: number
}

/** A problem (problem-oriented policing); its places, incidents and history are apart. */
export interface ProblemTable {
  id: string
  number: string
  title: string
  description: string
  stage: string
  owner_kind: string | null
  owner_id: string | null
  owner_name: string | null
  origin: Json
  response_start: string | null
  response_start_by_hand: number
  created_at: number
  created_by: string
  updated_at: number
  version: number
}

export interface ProblemPlaceTable {
  problem_id: string
  kind: 'block' | 'cell'
  place: string
}

export interface ProblemIncidentTable {
  problem_id: string
  incident_id: string
  linked_at: number
  linked_by: string
}

export interface ProblemEventTable {
  seq: Generated<number>
  problem_id: string
  at: number
  actor: string
  kind: string
  data: Json
  text: string | null
}

export interface UnitTable {
  crew: string | null
  id: string
  call_sign: string
  type: string
  split_force_role: string | null
  shift: string | null
  district: string | null
  beat: string | null
  activity: string | null
  assignment_id: string | null
  lat: number | null
  lon: number | null
  on_duty: number
  updated_at: number
  version: number
}

export interface UnitStatusEventTable {
  seq: Generated<number>
  unit_id: string
  from_activity: string | null
  to_activity: string | null
  assignment_id: string | null
  at: number
  by: string
}

export interface NumberSequenceTable {
  name: string
  value: number
}

export interface AppUserTable {
  id: string
  username: string
  display_name: string
  password_hash: string
  roles: Json
  agency: string | null
  district: string | null
  active: number
  failed_logins: number
  locked_until: number | null
  password_changed_at: number
  created_at: number
  updated_at: number
  version: number
}

export interface UserSessionTable {
  token_hash: string
  user_id: string
  csrf_token: string
  created_at: number
  last_seen_at: number
  ended_at: number | null
  ended_reason: string | null
  ip: string | null
}

export interface ApiTokenTable {
  id: string
  name: string
  token_hash: string
  roles: Json
  agency: string | null
  district: string | null
  created_by: string
  created_at: number
  revoked_at: number | null
  last_used_at: number | null
}

export interface AuditEventTable {
  seq: Generated<number>
  at: number
  actor: string
  actor_kind: string
  action: string
  outcome: string
  target_type: string | null
  target_id: string | null
  ip: string | null
  details: Json
}

export interface GeoLayerTable {
  layer: string
  source: string
  checksum: string
  features: number
  imported_at: number
  imported_by: string
}

export interface GeoSegmentTable {
  id: string
  predir: string
  name: string
  suffix: string
  postdir: string
  from_left: number
  to_left: number
  from_right: number
  to_right: number
  road_class: string | null
  line: Json
}

export interface GeoIntersectionTable {
  id: string
  streets: Json
  lat: number
  lon: number
}

export interface GeoAreaTable {
  layer: string
  id: string
  name: string
  polygons: Json
}

export interface GeoPlaceTable {
  id: string
  name: string
  kind: string
  lat: number
  lon: number
}

/** A JSON value as read back: a string on SQLite, already parsed on PostgreSQL. */
export type Json = unknown

export interface CatalogueVersionTable {
  seq: Generated<number>
  version: string
  source: string
  imported_at: number
  imported_by: string
  created: number
  updated: number
  unchanged: number
}

export interface CatalogueSettingTable {
  key: string
  value: Json
}

export interface AgencyTable {
  code: string
  name: string
  kind: string
  email: string | null
  phone: string | null
  active: number
}

export interface CallTypeTable {
  code: string
  name: string
  group_name: string
  family: string
  public: number
  active: number
  definition: Json
  revision: number
  updated_at: number
  updated_by: string
}

export interface CallTypeChangeTable {
  seq: Generated<number>
  call_type_code: string
  revision: number
  change: string
  before: Json | null
  after: Json
  reason: string
  actor: string
  at: number
  catalogue_version: string | null
}

export interface CallTypeMappingTable {
  source: string
  source_code: string
  source_description: string
  call_type_code: string
  note: string
}

export interface CallerTable {
  id: string
  name: string | null
  phone: string | null
  email: string | null
  callback_consent: number
  ani: string | null
  ali: Json | null
  created_at: number
}

export interface IncidentTable {
  seq: Generated<number>
  /** The emergency activation that covered the call when it was taken (0014). */
  activation_id?: string | null
  id: string
  call_type: string
  family: string
  priority: number
  mode: string
  referral: string | null
  status: string
  is_open: number
  disposition: string | null
  location_text: string | null
  lat: number | null
  lon: number | null
  h3: string | null
  block: string | null
  narrative: string
  answers: Json
  triage: Json
  override: Json | null
  channel: string
  received_at: number
  created_at: number
  updated_at: number
  created_by: string
  duplicate_of: string | null
  eido: Json | null
  version: number
  idempotency_key: string | null
  request_hash: string | null
  segment_id: string | null
  police_district: string | null
  beat: string | null
  neighborhood: string | null
  report_number: string | null
  due_at: number | null
  queue_at: number
  awaits_unit: number
}

export interface ContactTable {
  id: string
  incident_id: string
  channel: string
  received_at: number
  answered_at: number | null
  ended_at: number | null
  taken_by: string | null
  anonymous: number
  caller_id: string | null
  created_at: number
  idempotency_key: string | null
  request_hash: string | null
}

export interface IncidentEventTable {
  seq: Generated<number>
  incident_id: string
  at: number
  actor: string
  kind: string
  data: Json
  reason: string | null
}

/** An emergency activation (0014). */
export interface ActivationTable {
  id: string
  mode: string
  title: string
  area: Json
  starts_at: number
  ends_at: number | null
  call_types: Json
  public_banner: string
  activated_by: string
  activated_at: number
  deactivated_by: string | null
  deactivated_at: number | null
}

export interface KnowledgeArticleTable {
  id: string
  title: string
  audience: string
  call_type: string | null
  activation_id: string | null
  created_at: number
  created_by: string
}

export interface KnowledgeVersionTable {
  id: string
  article_id: string
  version: number
  body: string
  author: string
  created_at: number
  valid_from: number
  valid_to: number | null
  approved_by: string | null
  approved_at: number | null
}

export interface FacilityTable {
  id: string
  kind: string
  name: string
  address: string
  lat: number | null
  lon: number | null
  police_district: string | null
  neighborhood: string | null
  hours: string
  capacity: number | null
  accessibility: string
  transit: string
  parking: string
  status: string
  updated_at: number
  updated_by: string
}

/** What a caller was told: an article version, a facility offered (append-only). */
export interface InformationGivenTable {
  seq: Generated<number>
  incident_id: string
  at: number
  actor: string
  knowledge_version_id: string | null
  facility_id: string | null
  distance_metres: number | null
  can_reach: number | null
  callback_id: string | null
}
