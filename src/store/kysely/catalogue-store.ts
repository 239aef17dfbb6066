import type { Kysely, Selectable, Transaction } from 'kysely'
import type {
  Agency,
  CallType,
  CatalogueFile,
  EscalationQuestion,
  PriorityLevel,
} from '../../domain/catalogue/catalogue-schema.js'
import { ConflictError } from '../../domain/shared/errors.js'
import type { Instant } from '../../domain/shared/instant.js'
import type {
  CallTypeChange,
  CallTypeMappingRow,
  CatalogueImportReport,
  CatalogueSettings,
  CatalogueStore,
  StoredCallType,
} from '../ports.js'
import type { CallTypeTable, Database } from './database.js'
import { type StoreDialect, writeJson, writeJsonOrNull } from './dialect.js'

/** The call-type catalogue over Kysely. Every change to a call type leaves a change record. */
export class KyselyCatalogueStore implements CatalogueStore {
  readonly #db: Kysely<Database>
  readonly #d: StoreDialect

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db
    this.#d = dialect
  }

  async settings(): Promise<CatalogueSettings> {
    const rows = await this.#db.selectFrom('catalogue_setting').selectAll().execute()
    const get = <T>(key: string, fallback: T): T => {
      const row = rows.find((r) => r.key === key)
      return row ? this.#d.readJson<T>(row.value) : fallback
    }
    return {
      version: get<string | null>('version', null),
      priorityLevels: get<PriorityLevel[]>('priority_levels', []),
      screening: get<EscalationQuestion[]>('screening', []),
    }
  }

  async agencies(): Promise<Agency[]> {
    const rows = await this.#db
      .selectFrom('agency')
      .selectAll()
      .where('active', '=', 1)
      .orderBy('code')
      .execute()
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      kind: r.kind as Agency['kind'],
      ...(r.email ? { email: r.email } : {}),
      ...(r.phone ? { phone: r.phone } : {}),
    }))
  }

  async listCallTypes(options: { includeInactive?: boolean } = {}): Promise<StoredCallType[]> {
    let q = this.#db.selectFrom('call_type').selectAll()
    if (!options.includeInactive) q = q.where('active', '=', 1)
    const rows = await q.orderBy('group_name').orderBy('name').execute()
    return rows.map((r) => rowToCallType(r, this.#d))
  }

  async getCallType(code: string): Promise<StoredCallType | null> {
    const row = await this.#db
      .selectFrom('call_type')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst()
    return row ? rowToCallType(row, this.#d) : null
  }

  async importCatalogue(
    file: CatalogueFile,
    meta: { actor: string; at: Instant; source: string },
  ): Promise<CatalogueImportReport> {
    return this.#db.transaction().execute(async (trx) => {
      const settings: Array<[string, unknown]> = [
        ['version', file.version],
        ['priority_levels', file.priorityScheme.levels],
        ['screening', file.screening],
      ]
      for (const [key, value] of settings) {
        await trx
          .insertInto('catalogue_setting')
          .values({ key, value: writeJson(value) })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: writeJson(value) }))
          .execute()
      }
      for (const a of file.agencies) {
        const row = {
          name: a.name,
          kind: a.kind,
          email: a.email ?? null,
          phone: a.phone ?? null,
          active: 1,
        }
        await trx
          .insertInto('agency')
          .values({ code: a.code, ...row })
          .onConflict((oc) => oc.column('code').doUpdateSet(row))
          .execute()
      }

      const existing = new Map(
        (await trx.selectFrom('call_type').selectAll().execute()).map((r) => [
          r.code,
          rowToCallType(r, this.#d),
        ]),
      )
      const report: CatalogueImportReport = {
        version: file.version,
        created: [],
        updated: [],
        unchanged: [],
        notInFile: [],
        agencies: file.agencies.length,
      }
      const reason = `catalogue ${file.version} imported from ${meta.source}`
      for (const ct of file.callTypes) {
        const prior = existing.get(ct.code)
        if (prior && sameDefinition(definitionOf(prior), ct)) {
          report.unchanged.push(ct.code)
          continue
        }
        await writeCallType(trx, ct, prior ?? null, {
          ...meta,
          reason,
          catalogueVersion: file.version,
        })
        ;(prior ? report.updated : report.created).push(ct.code)
      }
      const inFile = new Set(file.callTypes.map((c) => c.code))
      report.notInFile = [...existing.keys()].filter((c) => !inFile.has(c)).sort()

      await trx
        .insertInto('catalogue_version')
        .values({
          version: file.version,
          source: meta.source,
          imported_at: meta.at,
          imported_by: meta.actor,
          created: report.created.length,
          updated: report.updated.length,
          unchanged: report.unchanged.length,
        })
        .execute()
      return report
    })
  }

  async saveCallType(
    callType: CallType,
    meta: { actor: string; at: Instant; reason: string; expectedRevision: number | null },
  ): Promise<StoredCallType> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('call_type')
        .selectAll()
        .where('code', '=', callType.code)
        .executeTakeFirst()
      const prior = row ? rowToCallType(row, this.#d) : null
      const actual = prior?.revision ?? null
      if (actual !== meta.expectedRevision) {
        throw new ConflictError(
          'stale_call_type',
          prior
            ? `call type ${callType.code} is at revision ${actual}, not ${meta.expectedRevision}; reload it`
            : `call type ${callType.code} does not exist yet`,
        )
      }
      const settings = await trx
        .selectFrom('catalogue_setting')
        .select('value')
        .where('key', '=', 'version')
        .executeTakeFirst()
      return writeCallType(trx, callType, prior, {
        ...meta,
        catalogueVersion: settings ? this.#d.readJson<string>(settings.value) : null,
      })
    })
  }

  async callTypeChanges(code: string): Promise<CallTypeChange[]> {
    const rows = await this.#db
      .selectFrom('call_type_change')
      .selectAll()
      .where('call_type_code', '=', code)
      .orderBy('seq')
      .execute()
    return rows.map((r) => ({
      callType: r.call_type_code,
      revision: r.revision,
      change: r.change as CallTypeChange['change'],
      before: r.before === null ? null : this.#d.readJson<CallType>(r.before),
      after: this.#d.readJson<CallType>(r.after),
      reason: r.reason,
      actor: r.actor,
      at: Number(r.at),
      catalogueVersion: r.catalogue_version,
    }))
  }

  async replaceMapping(source: string, rows: readonly CallTypeMappingRow[]): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('call_type_mapping').where('source', '=', source).execute()
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('call_type_mapping')
          .values(
            rows.slice(i, i + 500).map((r) => ({
              source,
              source_code: r.sourceCode,
              source_description: r.sourceDescription,
              call_type_code: r.callType,
              note: r.note,
            })),
          )
          .execute()
      }
      return rows.length
    })
  }

  async mapping(source: string): Promise<CallTypeMappingRow[]> {
    const rows = await this.#db
      .selectFrom('call_type_mapping')
      .selectAll()
      .where('source', '=', source)
      .orderBy('source_code')
      .execute()
    return rows.map((r) => ({
      sourceCode: r.source_code,
      sourceDescription: r.source_description,
      callType: r.call_type_code,
      note: r.note,
    }))
  }
}

async function writeCallType(
  trx: Transaction<Database>,
  ct: CallType,
  prior: StoredCallType | null,
  meta: { actor: string; at: Instant; reason: string; catalogueVersion: string | null },
): Promise<StoredCallType> {
  const revision = (prior?.revision ?? 0) + 1
  const row = {
    name: ct.name,
    group_name: ct.group,
    family: ct.family,
    public: ct.public ? 1 : 0,
    active: ct.active ? 1 : 0,
    definition: writeJson(ct),
    revision,
    updated_at: meta.at,
    updated_by: meta.actor,
  }
  if (prior) await trx.updateTable('call_type').set(row).where('code', '=', ct.code).execute()
  else
    await trx
      .insertInto('call_type')
      .values({ code: ct.code, ...row })
      .execute()
  await trx
    .insertInto('call_type_change')
    .values({
      call_type_code: ct.code,
      revision,
      change: prior ? 'updated' : 'created',
      before: writeJsonOrNull(prior ? definitionOf(prior) : null),
      after: writeJson(ct),
      reason: meta.reason,
      actor: meta.actor,
      at: meta.at,
      catalogue_version: meta.catalogueVersion,
    })
    .execute()
  return { ...ct, revision, updatedAt: meta.at, updatedBy: meta.actor }
}

function rowToCallType(r: Selectable<CallTypeTable>, d: StoreDialect): StoredCallType {
  return {
    ...d.readJson<CallType>(r.definition),
    revision: r.revision,
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  }
}

function definitionOf(s: StoredCallType): CallType {
  const { revision: _r, updatedAt: _u, updatedBy: _b, ...ct } = s
  return ct
}

/** Compares definitions regardless of key order (jsonb reorders keys on PostgreSQL). */
function sameDefinition(a: CallType, b: CallType): boolean {
  return canonical(a) === canonical(b)
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`
  }
  return JSON.stringify(v)
}
