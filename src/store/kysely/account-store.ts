import type { Kysely, Selectable } from 'kysely'
import type { StaffSession, StaffUser } from '../../domain/access/accounts.js'
import type { Role } from '../../domain/access/roles.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { AccountStore, ApiToken, AuditEvent, AuditFilter, AuditStore } from '../ports.js'
import type {
  ApiTokenTable,
  AppUserTable,
  AuditEventTable,
  Database,
  UserSessionTable,
} from './database.js'
import { type StoreDialect, writeJson } from './dialect.js'

/** Staff accounts, sessions and API tokens over Kysely. */
export class KyselyAccountStore implements AccountStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db
    this.#d = dialect
  }

  async createUser(user: StaffUser, passwordHash: string): Promise<void> {
    const exists = await this.#db
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', user.username)
      .executeTakeFirst()
    if (exists)
      throw new ConflictError('username_taken', `the user name '${user.username}' is taken`)
    await this.#db
      .insertInto('app_user')
      .values({ ...userRow(user), password_hash: passwordHash })
      .execute()
  }

  async userByName(username: string) {
    const r = await this.#db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst()
    return r ? { user: this.#toUser(r), passwordHash: r.password_hash } : null
  }

  async user(id: string) {
    const r = await this.#db
      .selectFrom('app_user')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? this.#toUser(r) : null
  }

  async users() {
    const rows = await this.#db.selectFrom('app_user').selectAll().orderBy('username').execute()
    return rows.map((r) => this.#toUser(r))
  }

  async updateUser(user: StaffUser, expectedVersion: number, passwordHash?: string): Promise<void> {
    const r = await this.#db
      .updateTable('app_user')
      .set({ ...userRow(user), ...(passwordHash ? { password_hash: passwordHash } : {}) })
      .where('id', '=', user.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1)
      throw new ConflictError('stale_user', 'the account was changed meanwhile; reload it')
  }

  async countUsers(): Promise<number> {
    const r = await this.#db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }

  async createSession(s: StaffSession): Promise<void> {
    await this.#db
      .insertInto('user_session')
      .values({
        token_hash: s.tokenHash,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        ended_at: s.endedAt,
        ended_reason: s.endedReason,
        ip: s.ip,
      })
      .execute()
  }

  async session(tokenHash: string): Promise<StaffSession | null> {
    const r = await this.#db
      .selectFrom('user_session')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return r ? toSession(r) : null
  }

  async touchSession(tokenHash: string, at: Instant): Promise<void> {
    await this.#db
      .updateTable('user_session')
      .set({ last_seen_at: at })
      .where('token_hash', '=', tokenHash)
      .execute()
  }

  async endSession(tokenHash: string, at: Instant, reason: string): Promise<void> {
    await this.#db
      .updateTable('user_session')
      .set({ ended_at: at, ended_reason: reason })
      .where('token_hash', '=', tokenHash)
      .where('ended_at', 'is', null)
      .execute()
  }

  async endUserSessions(userId: string, at: Instant, reason: string): Promise<number> {
    const r = await this.#db
      .updateTable('user_session')
      .set({ ended_at: at, ended_reason: reason })
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
    return Number(r.numUpdatedRows)
  }

  async createToken(t: ApiToken): Promise<void> {
    await this.#db
      .insertInto('api_token')
      .values({
        id: t.id,
        name: t.name,
        token_hash: t.tokenHash,
        roles: writeJson(t.roles),
        agency: t.agency,
        district: t.district,
        created_by: t.createdBy,
        created_at: t.createdAt,
        revoked_at: t.revokedAt,
        last_used_at: t.lastUsedAt,
      })
      .execute()
  }

  async tokenByHash(tokenHash: string): Promise<ApiToken | null> {
    const r = await this.#db
      .selectFrom('api_token')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return r ? this.#toToken(r) : null
  }

  async tokens(): Promise<ApiToken[]> {
    const rows = await this.#db
      .selectFrom('api_token')
      .selectAll()
      .orderBy('created_at', 'desc')
      .execute()
    return rows.map((r) => this.#toToken(r))
  }

  async revokeToken(id: string, at: Instant): Promise<boolean> {
    const r = await this.#db
      .updateTable('api_token')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1
  }

  async touchToken(id: string, at: Instant): Promise<void> {
    await this.#db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute()
  }

  #toUser(r: Selectable<AppUserTable>): StaffUser {
    return {
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      roles: this.#d.readJson<Role[]>(r.roles),
      agency: r.agency,
      district: r.district,
      active: r.active === 1,
      failedLogins: r.failed_logins,
      lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
      passwordChangedAt: Number(r.password_changed_at),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      version: r.version,
    }
  }

  #toToken(r: Selectable<ApiTokenTable>): ApiToken {
    return {
      id: r.id,
      name: r.name,
      tokenHash: r.token_hash,
      roles: this.#d.readJson<Role[]>(r.roles),
      agency: r.agency,
      district: r.district,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    }
  }
}

function userRow(u: StaffUser) {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName,
    roles: writeJson(u.roles),
    agency: u.agency,
    district: u.district,
    active: u.active ? 1 : 0,
    failed_logins: u.failedLogins,
    locked_until: u.lockedUntil,
    password_changed_at: u.passwordChangedAt,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    version: u.version,
  }
}

function toSession(r: Selectable<UserSessionTable>): StaffSession {
  return {
    tokenHash: r.token_hash,
    userId: r.user_id,
    csrfToken: r.csrf_token,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    endedReason: r.ended_reason,
    ip: r.ip,
  }
}

/** The audit log over Kysely: append and search, nothing else. */
export class KyselyAuditStore implements AuditStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db
    this.#d = dialect
  }

  async append(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return
    await this.#db
      .insertInto('audit_event')
      .values(
        events.map((e) => ({
          at: e.at,
          actor: e.actor,
          actor_kind: e.actorKind,
          action: e.action,
          outcome: e.outcome,
          target_type: e.targetType,
          target_id: e.targetId,
          ip: e.ip,
          details: writeJson(e.details),
        })),
      )
      .execute()
  }

  async search(f: AuditFilter): Promise<Array<AuditEvent & { seq: number }>> {
    let q = this.#db.selectFrom('audit_event').selectAll()
    if (f.from !== undefined) q = q.where('at', '>=', f.from)
    if (f.to !== undefined) q = q.where('at', '<', f.to)
    if (f.actor) q = q.where('actor', '=', f.actor)
    if (f.action) q = q.where('action', '=', f.action)
    if (f.outcome) q = q.where('outcome', '=', f.outcome)
    if (f.before !== undefined) q = q.where('seq', '<', f.before)
    const rows = await q.orderBy('seq', 'desc').limit(f.limit).execute()
    return rows.map((r: Selectable<AuditEventTable>) => ({
      seq: Number(r.seq),
      at: Number(r.at),
      actor: r.actor,
      actorKind: r.actor_kind as AuditEvent['actorKind'],
      action: r.action,
      outcome: r.outcome as AuditEvent['outcome'],
      targetType: r.target_type,
      targetId: r.target_id,
      ip: r.ip,
      details: this.#d.readJson<Record<string, unknown>>(r.details),
    }))
  }
}
