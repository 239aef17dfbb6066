/**
 * The fixed words of triage311: response modes, channels and emergency signals. They are code,
 * not catalogue data, because the rest of the system (dispatch, evaluation, Open311) acts on them.
 */

/** What kind of response a call gets; separate from priority, which says how urgent it is. */
export const RESPONSE_MODES = [
  'transfer_911',
  'dispatch_immediate',
  'dispatch_delayed',
  'scheduled_appointment',
  'telephone_report',
  'online_report',
  'referral',
  'civilian_response',
  'information_only',
] as const
export type ResponseMode = (typeof RESPONSE_MODES)[number]

/** Modes that put a patrol unit on the road (what Baltimore's 311 failed to reduce). */
export const PATROL_MODES: ReadonlySet<ResponseMode> = new Set([
  'dispatch_immediate',
  'dispatch_delayed',
])

/** The only modes an emergency signal may lead to. */
export const EMERGENCY_MODES = ['transfer_911', 'dispatch_immediate'] as const
export type EmergencyMode = (typeof EMERGENCY_MODES)[number]

/** How a contact reached us. */
export const CHANNELS = [
  'phone_311',
  'transfer_911',
  'web',
  'open311',
  'social_media',
  'walk_in',
  'officer_initiated',
  'outbound',
] as const
export type Channel = (typeof CHANNELS)[number]

/** What an escalation question detects. */
export const EMERGENCY_SIGNALS = [
  'danger_to_life',
  'weapon',
  'injury',
  'in_progress',
  'violence',
  'medical',
  'fire',
  'other',
] as const
export type EmergencySignal = (typeof EMERGENCY_SIGNALS)[number]

/** Kinds of referral target. */
export const AGENCY_KINDS = ['agency', 'nsc', 'community_policing'] as const
export type AgencyKind = (typeof AGENCY_KINDS)[number]

/** Types of the answers a call-taker codes. */
export const QUESTION_TYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'single',
  'multi',
  'boolean',
] as const
export type QuestionType = (typeof QUESTION_TYPES)[number]
