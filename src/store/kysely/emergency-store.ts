import { type Kysely, type Selectable, sql } from 'kysely'
import type {
  Activation,
  ActivationArea,
  ActivationMode,
} from '../../domain/emergency/activation.js'
import type { Facility, FacilityKind, FacilityStatus } from '../../domain/emergency/facility.js'
import type {
  Audience,
  KnowledgeArticle,
  KnowledgeVersion,
} from '../../domain/emergency/knowledge.js'
import { ConflictError } from '../../domain/shared/errors.js'
import { HOUR, type Instant } from '../../domain/shared/instant.js'
import type {
  ActivationBreakdown,
  ActivationStore,
  FacilityStore,
  InformationGiven,
  KnowledgeStore,
} from '../ports.js'
import type {
  ActivationTable,
  Database,
  FacilityTable,
  KnowledgeArticleTable,
  KnowledgeVersionTable,
} from './database.js'
import { type StoreDialect, writeJson } from './dialect.js'

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v))

/** Activations over Kysely (issue #10 item 1). */
export class KyselyActivationStore implements ActivationStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, d: StoreDialect) {
    this.#db = db
    this.#d = d
  }

  async save(a: Activation): Promise<void> {
    const row = {
      id: a.id,
      mode: a.mode,
      title: a.title,
      area: writeJson(a.area),
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      call_types: writeJson(a.callTypes),
      public_banner: a.publicBanner,
      activated_by: a.activatedBy,
      activated_at: a.activatedAt,
      deactivated_by: a.deactivatedBy,
      deactivated_at: a.deactivatedAt,
    }
    await this.#db
      .insertInto('activation')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          ends_at: row.ends_at,
          public_banner: row.public_banner,
          deactivated_by: row.deactivated_by,
          deactivated_at: row.deactivated_at,
        }),
      )
      .execute()
  }

  async get(id: string): Promise<Activation | null> {
    const row = await this.#db
      .selectFrom('activation')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? this.#read(row) : null
  }

  async list(limit: number): Promise<Activation[]> {
    const rows = await this.#db
      .selectFrom('activation')
      .selectAll()
      .orderBy('activated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map((r) => this.#read(r))
  }

  async current(now: Instant): Promise<Activation[]> {
    const rows = await this.#db
      .selectFrom('activation')
      .selectAll()
      .where('deactivated_at', 'is', null)
      .where('starts_at', '<=', now)
      .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
      .orderBy('activated_at', 'desc')
      .execute()
    return rows.map((r) => this.#read(r))
  }

  async tagIncident(incidentId: string, activationId: string): Promise<void> {
    await this.#db
      .updateTable('incident')
      .set({ activation_id: activationId })
      .where('id', '=', incidentId)
      .execute()
  }

  async ofIncident(incidentId: string): Promise<Activation | null> {
    const r = await this.#db
      .selectFrom('incident as i')
      .innerJoin('activation as a', 'a.id', 'i.activation_id')
      .selectAll('a')
      .where('i.id', '=', incidentId)
      .executeTakeFirst()
    return r ? this.#read(r) : null
  }

  async incidentBreakdown(activationId: string): Promise<ActivationBreakdown> {
    const [groups, hours] = await Promise.all([
      this.#db
        .selectFrom('incident')
        .select((eb) => ['call_type', 'mode', 'is_open', eb.fn.countAll<number>().as('n')])
        .where('activation_id', '=', activationId)
        .groupBy(['call_type', 'mode', 'is_open'])
        .orderBy('call_type')
        .orderBy('mode')
        .orderBy('is_open')
        .execute(),
      // Whole hours since the epoch: integer division on both databases.
      this.#db
        .selectFrom('incident')
        .select((eb) => [
          sql<number>`received_at / ${sql.lit(HOUR)}`.as('h'),
          eb.fn.countAll<number>().as('n'),
        ])
        .where('activation_id', '=', activationId)
        .groupBy(sql`received_at / ${sql.lit(HOUR)}`)
        .orderBy('h')
        .execute(),
    ])
    return {
      groups: groups.map((g) => ({
        callType: g.call_type,
        mode: g.mode,
        open: Number(g.is_open) === 1,
        count: Number(g.n),
      })),
      byHour: hours.map((h) => ({ hour: Number(h.h) * HOUR, count: Number(h.n) })),
    }
  }

  async incidentCount(activationId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('incident')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('activation_id', '=', activationId)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  #read(r: Selectable<ActivationTable>): Activation {
    return {
      id: r.id,
      mode: r.mode as ActivationMode,
      title: r.title,
      area: this.#d.readJson<ActivationArea>(r.area),
      startsAt: Number(r.starts_at),
      endsAt: num(r.ends_at),
      callTypes: this.#d.readJson<string[]>(r.call_types),
      publicBanner: r.public_banner,
      activatedBy: r.activated_by,
      activatedAt: Number(r.activated_at),
      deactivatedBy: r.deactivated_by,
      deactivatedAt: num(r.deactivated_at),
    }
  }
}

const readArticle = (r: Selectable<KnowledgeArticleTable>): KnowledgeArticle => ({
  id: r.id,
  title: r.title,
  audience: r.audience as Audience,
  callType: r.call_type,
  activationId: r.activation_id,
  createdAt: Number(r.created_at),
  createdBy: r.created_by,
})

const readVersion = (r: Selectable<KnowledgeVersionTable>): KnowledgeVersion => ({
  id: r.id,
  articleId: r.article_id,
  version: Number(r.version),
  body: r.body,
  author: r.author,
  createdAt: Number(r.created_at),
  validFrom: Number(r.valid_from),
  validTo: num(r.valid_to),
  approvedBy: r.approved_by,
  approvedAt: num(r.approved_at),
})

const versionRow = (v: KnowledgeVersion): KnowledgeVersionTable => ({
  id: v.id,
  article_id: v.articleId,
  version: v.version,
  body: v.body,
  author: v.author,
  created_at: v.createdAt,
  valid_from: v.validFrom,
  valid_to: v.validTo,
  approved_by: v.approvedBy,
  approved_at: v.approvedAt,
})

/** The knowledge base over Kysely (issue #10 item 2). */
export class KyselyKnowledgeStore implements KnowledgeStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, d: StoreDialect) {
    this.#db = db
    this.#d = d
  }

  async createArticle(a: KnowledgeArticle, first: KnowledgeVersion): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('knowledge_article')
        .values({
          id: a.id,
          title: a.title,
          audience: a.audience,
          call_type: a.callType,
          activation_id: a.activationId,
          created_at: a.createdAt,
          created_by: a.createdBy,
        })
        .execute()
      await trx.insertInto('knowledge_version').values(versionRow(first)).execute()
    })
  }

  async article(id: string): Promise<KnowledgeArticle | null> {
    const row = await this.#db
      .selectFrom('knowledge_article')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? readArticle(row) : null
  }

  async articles(filter: {
    callType?: string
    audience?: Audience
    activationId?: string
  }): Promise<KnowledgeArticle[]> {
    let q = this.#db.selectFrom('knowledge_article').selectAll()
    if (filter.callType) q = q.where('call_type', '=', filter.callType)
    if (filter.audience) q = q.where('audience', '=', filter.audience)
    if (filter.activationId) q = q.where('activation_id', '=', filter.activationId)
    const rows = await q.orderBy('title').orderBy('id').limit(1000).execute()
    return rows.map(readArticle)
  }

  async versions(articleIds: readonly string[]): Promise<KnowledgeVersion[]> {
    if (articleIds.length === 0) return []
    const rows = await this.#db
      .selectFrom('knowledge_version')
      .selectAll()
      .where('article_id', 'in', [...articleIds])
      .orderBy('article_id')
      .orderBy('version')
      .execute()
    return rows.map(readVersion)
  }

  async version(id: string): Promise<KnowledgeVersion | null> {
    const row = await this.#db
      .selectFrom('knowledge_version')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? readVersion(row) : null
  }

  async addVersion(v: KnowledgeVersion): Promise<void> {
    try {
      await this.#db.insertInto('knowledge_version').values(versionRow(v)).execute()
    } catch (err) {
      if (this.#d.isUniqueViolation(err))
        throw new ConflictError(
          'stale_article',
          'someone added a version of this article meanwhile; reload it',
        )
      throw err
    }
  }

  async approve(v: KnowledgeVersion): Promise<boolean> {
    const res = await this.#db
      .updateTable('knowledge_version')
      .set({ approved_by: v.approvedBy, approved_at: v.approvedAt })
      .where('id', '=', v.id)
      .where('approved_at', 'is', null)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }

  async recordGiven(g: InformationGiven): Promise<void> {
    await this.#db
      .insertInto('information_given')
      .values({
        incident_id: g.incidentId,
        at: g.at,
        actor: g.actor,
        knowledge_version_id: g.knowledgeVersionId,
        facility_id: g.facilityId,
        distance_metres: g.distanceMetres,
        can_reach: g.canReach === null ? null : g.canReach ? 1 : 0,
        callback_id: g.callbackId,
      })
      .execute()
  }

  async givenOn(incidentId: string): Promise<InformationGiven[]> {
    const rows = await this.#db
      .selectFrom('information_given')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('seq')
      .execute()
    return rows.map((r) => ({
      incidentId: r.incident_id,
      at: Number(r.at),
      actor: r.actor,
      knowledgeVersionId: r.knowledge_version_id,
      facilityId: r.facility_id,
      distanceMetres: num(r.distance_metres),
      canReach: r.can_reach === null ? null : Number(r.can_reach) === 1,
      callbackId: r.callback_id,
    }))
  }
}

const readFacility = (r: Selectable<FacilityTable>): Facility => ({
  id: r.id,
  kind: r.kind as FacilityKind,
  name: r.name,
  address: r.address,
  lat: num(r.lat),
  lon: num(r.lon),
  policeDistrict: r.police_district,
  neighborhood: r.neighborhood,
  hours: r.hours,
  capacity: num(r.capacity),
  accessibility: r.accessibility,
  transit: r.transit,
  parking: r.parking,
  status: r.status as FacilityStatus,
  updatedAt: Number(r.updated_at),
  updatedBy: r.updated_by,
})

/** Facilities over Kysely (issue #10 item 3). */
export class KyselyFacilityStore implements FacilityStore {
  readonly #db: Kysely<Database>

  constructor(db: Kysely<Database>) {
    this.#db = db
  }

  async save(f: Facility): Promise<void> {
    const row = {
      id: f.id,
      kind: f.kind,
      name: f.name,
      address: f.address,
      lat: f.lat,
      lon: f.lon,
      police_district: f.policeDistrict,
      neighborhood: f.neighborhood,
      hours: f.hours,
      capacity: f.capacity,
      accessibility: f.accessibility,
      transit: f.transit,
      parking: f.parking,
      status: f.status,
      updated_at: f.updatedAt,
      updated_by: f.updatedBy,
    }
    const { id: _id, ...changes } = row
    await this.#db
      .insertInto('facility')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(changes))
      .execute()
  }

  async get(id: string): Promise<Facility | null> {
    const row = await this.#db
      .selectFrom('facility')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? readFacility(row) : null
  }

  async list(filter: { kind?: FacilityKind; status?: FacilityStatus }): Promise<Facility[]> {
    let q = this.#db.selectFrom('facility').selectAll()
    if (filter.kind) q = q.where('kind', '=', filter.kind)
    if (filter.status) q = q.where('status', '=', filter.status)
    const rows = await q.orderBy('name').orderBy('id').limit(5000).execute()
    return rows.map(readFacility)
  }
}
