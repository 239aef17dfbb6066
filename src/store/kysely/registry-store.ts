import type { Kysely, Selectable } from 'kysely'
import type {
  ConsentMethod,
  HealthDetails,
  Need,
  Registrant,
  WellnessOutcome,
} from '../../domain/emergency/registry.js'
import { isCriticalNeed } from '../../domain/emergency/registry.js'
import type { CriticalPlaceKind, PlowState } from '../../domain/emergency/snow.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type { CriticalPlace, RegistryStore, SnowStore, WellnessCall } from '../ports.js'
import type { Database, Json } from './database.js'
import { type StoreDialect, writeJson } from './dialect.js'

/** The tables of migration 0015, kept beside their only reader. */
export interface RegistryTables {
  registrant: RegistrantTable
  registrant_health: { registrant_id: string; needs: Json; critical: number; notes: string }
  registrant_contact: {
    registrant_id: string
    position: number
    name: string
    phone: string
    relationship: string
  }
  wellness_call: {
    id: string
    registrant_id: string
    activation_id: string
    outcome: string
    next: string
    at: Instant
    by: string
    incident_id: string | null
  }
  plow_segment_state: { segment_id: string; state: string; updated_at: Instant; updated_by: string }
  critical_place: {
    id: string
    kind: string
    name: string
    address: string
    lat: number
    lon: number
  }
}

interface RegistrantTable {
  id: string
  name: string
  phone: string
  language: string
  address_text: string
  lat: number | null
  lon: number | null
  block: string | null
  segment_id: string | null
  police_district: string | null
  neighborhood: string | null
  consent_given_by: string
  consent_given_at: Instant
  consent_method: string
  consent_recorded_by: string
  verified_at: Instant
  reverify_by: Instant
  created_at: Instant
  updated_at: Instant
  version: number
}

type Db = Kysely<Database & RegistryTables>

function registrantRow(r: Registrant): RegistrantTable {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    language: r.language,
    address_text: r.address.text,
    lat: r.address.lat,
    lon: r.address.lon,
    block: r.address.block,
    segment_id: r.address.segmentId,
    police_district: r.address.policeDistrict,
    neighborhood: r.address.neighborhood,
    consent_given_by: r.consent.givenBy,
    consent_given_at: r.consent.givenAt,
    consent_method: r.consent.method,
    consent_recorded_by: r.consent.recordedBy,
    verified_at: r.verifiedAt,
    reverify_by: r.reverifyBy,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    version: r.version,
  }
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

function toRegistrant(r: Selectable<RegistrantTable>): Registrant {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    language: r.language,
    address: {
      text: r.address_text,
      lat: num(r.lat),
      lon: num(r.lon),
      block: r.block,
      segmentId: r.segment_id,
      policeDistrict: r.police_district,
      neighborhood: r.neighborhood,
    },
    consent: {
      givenBy: r.consent_given_by,
      givenAt: Number(r.consent_given_at),
      method: r.consent_method as ConsentMethod,
      recordedBy: r.consent_recorded_by,
    },
    verifiedAt: Number(r.verified_at),
    reverifyBy: Number(r.reverify_by),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    version: Number(r.version),
  }
}

/** The special-needs registry over Kysely: identity and health in their own tables. */
export class KyselyRegistryStore implements RegistryStore {
  readonly #db: Db
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, d: StoreDialect) {
    this.#db = db as unknown as Db
    this.#d = d
  }

  async create(registrant: Registrant, health: HealthDetails): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto('registrant').values(registrantRow(registrant)).execute()
      await writeHealth(trx, registrant.id, health)
    })
  }

  async update(
    registrant: Registrant,
    expectedVersion: number,
    health: HealthDetails | null,
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const { id: _id, created_at: _c, ...row } = registrantRow(registrant)
      const r = await trx
        .updateTable('registrant')
        .set(row)
        .where('id', '=', registrant.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1)
        throw new ConflictError(
          'stale_registrant',
          'the registrant was changed meanwhile; reload and try again',
        )
      if (health) {
        await trx
          .deleteFrom('registrant_contact')
          .where('registrant_id', '=', registrant.id)
          .execute()
        await trx
          .deleteFrom('registrant_health')
          .where('registrant_id', '=', registrant.id)
          .execute()
        await writeHealth(trx, registrant.id, health)
      }
    })
  }

  async registrant(id: string): Promise<Registrant | null> {
    const r = await this.#db
      .selectFrom('registrant')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? toRegistrant(r) : null
  }

  async list(filter: { limit: number }): Promise<Registrant[]> {
    const rows = await this.#db
      .selectFrom('registrant')
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .limit(filter.limit)
      .execute()
    return rows.map(toRegistrant)
  }

  async inBox(
    box: readonly [number, number, number, number],
    limit: number,
  ): Promise<Registrant[]> {
    const rows = await this.#db
      .selectFrom('registrant')
      .selectAll()
      .where('lat', '>=', box[1])
      .where('lat', '<=', box[3])
      .where('lon', '>=', box[0])
      .where('lon', '<=', box[2])
      .orderBy('name')
      .limit(limit)
      .execute()
    return rows.map(toRegistrant)
  }

  async health(ids: readonly string[]): Promise<Map<string, HealthDetails>> {
    const out = new Map<string, HealthDetails>()
    if (ids.length === 0) return out
    const [rows, contacts] = await Promise.all([
      this.#db
        .selectFrom('registrant_health')
        .selectAll()
        .where('registrant_id', 'in', ids)
        .execute(),
      this.#db
        .selectFrom('registrant_contact')
        .selectAll()
        .where('registrant_id', 'in', ids)
        .orderBy('registrant_id')
        .orderBy('position')
        .execute(),
    ])
    for (const r of rows)
      out.set(r.registrant_id, {
        needs: this.#d.readJson<Need[]>(r.needs),
        notes: r.notes,
        contacts: [],
      })
    for (const c of contacts)
      out.get(c.registrant_id)?.contacts.push({
        name: c.name,
        phone: c.phone,
        relationship: c.relationship,
      })
    return out
  }

  async criticalPoints(
    box: readonly [number, number, number, number],
  ): Promise<
    Array<{ lat: number; lon: number; policeDistrict: string | null; neighborhood: string | null }>
  > {
    const rows = await this.#db
      .selectFrom('registrant as r')
      .innerJoin('registrant_health as h', 'h.registrant_id', 'r.id')
      .select(['r.lat', 'r.lon', 'r.police_district', 'r.neighborhood'])
      .where('h.critical', '=', 1)
      .where('r.lat', '>=', box[1])
      .where('r.lat', '<=', box[3])
      .where('r.lon', '>=', box[0])
      .where('r.lon', '<=', box[2])
      .execute()
    return rows.map((r) => ({
      lat: Number(r.lat),
      lon: Number(r.lon),
      policeDistrict: r.police_district,
      neighborhood: r.neighborhood,
    }))
  }

  async addWellnessCall(call: WellnessCall): Promise<void> {
    await this.#db
      .insertInto('wellness_call')
      .values({
        id: call.id,
        registrant_id: call.registrantId,
        activation_id: call.activationId,
        outcome: call.outcome,
        next: call.next,
        at: call.at,
        by: call.by,
        incident_id: call.incidentId,
      })
      .execute()
  }

  async wellnessCalls(activationId: string): Promise<WellnessCall[]> {
    const rows = await this.#db
      .selectFrom('wellness_call')
      .selectAll()
      .where('activation_id', '=', activationId)
      .orderBy('at')
      .orderBy('id')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      registrantId: r.registrant_id,
      activationId: r.activation_id,
      outcome: r.outcome as WellnessOutcome,
      next: r.next as WellnessCall['next'],
      at: Number(r.at),
      by: r.by,
      incidentId: r.incident_id,
    }))
  }
}

async function writeHealth(trx: Db, id: string, health: HealthDetails): Promise<void> {
  await trx
    .insertInto('registrant_health')
    .values({
      registrant_id: id,
      needs: writeJson(health.needs),
      critical: isCriticalNeed(health.needs) ? 1 : 0,
      notes: health.notes,
    })
    .execute()
  if (health.contacts.length)
    await trx
      .insertInto('registrant_contact')
      .values(
        health.contacts.map((c, position) => ({
          registrant_id: id,
          position,
          name: c.name,
          phone: c.phone,
          relationship: c.relationship,
        })),
      )
      .execute()
}

/** Snow operations over Kysely. */
export class KyselySnowStore implements SnowStore {
  readonly #db: Db

  constructor(db: Kysely<Database>) {
    this.#db = db as unknown as Db
  }

  async setPlowState(segmentId: string, state: PlowState, at: Instant, by: string): Promise<void> {
    await this.#db
      .insertInto('plow_segment_state')
      .values({ segment_id: segmentId, state, updated_at: at, updated_by: by })
      .onConflict((oc) =>
        oc.column('segment_id').doUpdateSet({ state, updated_at: at, updated_by: by }),
      )
      .execute()
  }

  async plowStates(segmentIds: readonly string[]): Promise<Map<string, PlowState>> {
    const out = new Map<string, PlowState>()
    // Bounded chunks: a map view can hold thousands of segments (SQLite's variable limit).
    for (let i = 0; i < segmentIds.length; i += 500) {
      const rows = await this.#db
        .selectFrom('plow_segment_state')
        .select(['segment_id', 'state'])
        .where('segment_id', 'in', segmentIds.slice(i, i + 500))
        .execute()
      for (const r of rows) out.set(r.segment_id, r.state as PlowState)
    }
    return out
  }

  async addCriticalPlace(place: CriticalPlace): Promise<void> {
    await this.#db.insertInto('critical_place').values(place).execute()
  }

  async criticalPlaces(box: readonly [number, number, number, number]): Promise<CriticalPlace[]> {
    const rows = await this.#db
      .selectFrom('critical_place')
      .selectAll()
      .where('lat', '>=', box[1])
      .where('lat', '<=', box[3])
      .where('lon', '>=', box[0])
      .where('lon', '<=', box[2])
      .orderBy('name')
      .execute()
    return rows.map((r) => ({
      ...r,
      kind: r.kind as Exclude<CriticalPlaceKind, 'critical_need'>,
      lat: Number(r.lat),
      lon: Number(r.lon),
    }))
  }
}
