import { Kysely, Migrator, PostgresDialect } from 'kysely'
import pg from 'pg'
import { localTimeIn } from '../domain/analytics/trends.js'
import { KyselyAccountStore, KyselyAuditStore } from './kysely/account-store.js'
import { KyselyAppointmentStore } from './kysely/appointment-store.js'
import { KyselyCampaignStore } from './kysely/campaign-store.js'
import { KyselyCatalogueStore } from './kysely/catalogue-store.js'
import type { Database } from './kysely/database.js'
import { postgresDialect, type StoreDialect, sqliteDialect } from './kysely/dialect.js'
import { KyselyDispatchStore } from './kysely/dispatch-store.js'
import {
  KyselyActivationStore,
  KyselyFacilityStore,
  KyselyKnowledgeStore,
} from './kysely/emergency-store.js'
import { KyselyEvaluationStore } from './kysely/evaluation-store.js'
import { KyselyFollowUpStore } from './kysely/follow-up-store.js'
import { KyselyGeographyStore } from './kysely/geography-store.js'
import { KyselyHistoryStore } from './kysely/history-store.js'
import { KyselyIncidentStore } from './kysely/incident-store.js'
import { enableCopyIn } from './kysely/postgres-copy.js'
import { KyselyProblemStore } from './kysely/problem-store.js'
import { KyselyReferralStore } from './kysely/referral-store.js'
import { KyselyRegistryStore, KyselySnowStore } from './kysely/registry-store.js'
import { KyselyRollupStore } from './kysely/rollup-store.js'
import { openSqliteKysely } from './kysely/sqlite-connection.js'
import { KyselyUnitStore } from './kysely/unit-store.js'
import { migrationProvider } from './migrations/migrations.js'
import type {
  AccountStore,
  ActivationStore,
  AppointmentStore,
  AuditStore,
  CampaignStore,
  CatalogueStore,
  DispatchStore,
  EvaluationStore,
  FacilityStore,
  FollowUpStore,
  GeographyStore,
  HistoryStore,
  IncidentStore,
  KnowledgeStore,
  ProblemStore,
  ReferralStore,
  RegistryStore,
  RollupStore,
  SnowStore,
  Store,
  UnitStore,
} from './ports.js'

export interface StoreOptions {
  /** `sqlite:./data/triage311.db`, `sqlite::memory:` or `postgres://…`. */
  url: string
  /** SQLite durability: FULL fsyncs every commit (the default), NORMAL only at checkpoints. */
  sqliteSynchronous?: 'FULL' | 'NORMAL'
  /** Most incidents committed in one group commit. */
  maxWriteBatch?: number
  /** PostgreSQL pool size. */
  poolSize?: number
  /** The city's zone: rollups count calls by local day and hour. */
  timeZone?: string
}

// PostgreSQL returns int8 (our instants, counts and sequence numbers) as strings to protect
// values past 2^53; ours are far below that, so read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v))

/** Opens the store the URL names. Call `migrate()` before use. */
export function openStore(options: StoreOptions): Store {
  const { url } = options
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 })
    // An idle connection can be cut by the server (a restart, an administrator): the pool
    // replaces it and the next query reports any real outage. Unheard, the event would end
    // the process.
    pool.on('error', () => undefined)
    enableCopyIn(pool)
    return new KyselyStore(
      new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      postgresDialect,
      options,
    )
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length)
    const sqlite = openSqliteKysely(file, options.sqliteSynchronous ?? 'FULL')
    return new KyselyStore(sqlite.db, sqliteDialect, options, sqlite.close)
  }
  throw new Error(
    `DATABASE_URL must start with sqlite: or postgres:// (got '${url.split(':')[0]}:…')`,
  )
}

class KyselyStore implements Store {
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
  readonly activations: ActivationStore
  readonly knowledge: KnowledgeStore
  readonly facilities: FacilityStore
  readonly registry: RegistryStore
  readonly snow: SnowStore
  readonly campaigns: CampaignStore
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect
  readonly #close: () => Promise<void>

  constructor(
    db: Kysely<Database>,
    d: StoreDialect,
    options: StoreOptions,
    close?: () => Promise<void>,
  ) {
    this.#db = db
    this.#d = d
    this.#close = close ?? (() => db.destroy())
    this.dialect = d.name
    this.catalogue = new KyselyCatalogueStore(db, d)
    const local = localTimeIn(options.timeZone ?? 'America/New_York')
    this.incidents = new KyselyIncidentStore(db, d, {
      maxBatch: options.maxWriteBatch ?? 256,
      local,
    })
    this.geography = new KyselyGeographyStore(db, d)
    this.accounts = new KyselyAccountStore(db, d)
    this.audit = new KyselyAuditStore(db, d)
    this.units = new KyselyUnitStore(db)
    this.dispatch = new KyselyDispatchStore(db, d)
    this.referrals = new KyselyReferralStore(db, d)
    this.problems = new KyselyProblemStore(db, d, local)
    this.appointments = new KyselyAppointmentStore(db, d)
    this.followUp = new KyselyFollowUpStore(db)
    this.history = new KyselyHistoryStore(db, d, local)
    this.rollups = new KyselyRollupStore(db, local)
    this.evaluation = new KyselyEvaluationStore(db)
    this.registry = new KyselyRegistryStore(db, d)
    this.snow = new KyselySnowStore(db)
    this.campaigns = new KyselyCampaignStore(db, d)
    this.activations = new KyselyActivationStore(db, d)
    this.knowledge = new KyselyKnowledgeStore(db, d)
    this.facilities = new KyselyFacilityStore(db)
  }

  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.#db, provider: migrationProvider(this.#d) })
    const { error, results } = await migrator.migrateToLatest()
    if (error) throw error
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
  }

  async close(): Promise<void> {
    await this.#close()
  }
}
