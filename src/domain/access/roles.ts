/** Staff roles (DESIGN.md §2). Accounts and scoping arrive with the accounts issue (#4). */
export const ROLES = [
  'call_taker',
  'supervisor',
  'dispatcher',
  'officer',
  'community_policing',
  'agency_liaison',
  'analyst',
  'emergency_manager',
  'command',
  'admin',
  /** A machine client of the Open311 API (an app, FixMyStreet): its API key may post requests. */
  'open311_client',
] as const
export type Role = (typeof ROLES)[number]

/** Whoever is acting: a person with roles, or a machine client with a scoped token. */
export interface Actor {
  /** Stable name written into every history entry (a user name, or `token:<name>`). */
  id: string
  roles: readonly Role[]
  kind?: 'user' | 'token' | 'system'
  /** Where the request came from, for the audit log. */
  ip?: string | null
  agency?: string | null
  district?: string | null
}
