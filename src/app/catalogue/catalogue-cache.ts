import type {
  Agency,
  EscalationQuestion,
  PriorityLevel,
} from '../../domain/catalogue/catalogue-schema.js'
import { NotFoundError } from '../../domain/shared/errors.js'
import type { Store, StoredCallType } from '../../store/ports.js'

/** The catalogue as triage needs it on every call, loaded once instead of per request. */
export interface CatalogueSnapshot {
  version: string | null
  priorityLevels: PriorityLevel[]
  screening: EscalationQuestion[]
  agencies: Agency[]
  agencyCodes: ReadonlySet<string>
  callTypes: ReadonlyMap<string, StoredCallType>
}

/**
 * Keeps the catalogue in memory. Edits made through this process invalidate it at once.
 * (Several server processes on one PostgreSQL will refresh through LISTEN/NOTIFY when they
 * arrive; until then one process edits the catalogue.)
 */
export class CatalogueCache {
  readonly #store: Store
  #snapshot: Promise<CatalogueSnapshot> | null = null

  constructor(store: Store) {
    this.#store = store
  }

  snapshot(): Promise<CatalogueSnapshot> {
    if (!this.#snapshot) {
      this.#snapshot = this.#load()
      // A failed load must not be cached.
      this.#snapshot.catch(() => {
        this.#snapshot = null
      })
    }
    return this.#snapshot
  }

  invalidate(): void {
    this.#snapshot = null
  }

  /** The active or inactive call type with this code; NotFoundError if there is none. */
  async callType(code: string): Promise<StoredCallType> {
    const ct = (await this.snapshot()).callTypes.get(code)
    if (!ct) throw new NotFoundError('call type', code)
    return ct
  }

  async #load(): Promise<CatalogueSnapshot> {
    const [settings, agencies, callTypes] = await Promise.all([
      this.#store.catalogue.settings(),
      this.#store.catalogue.agencies(),
      this.#store.catalogue.listCallTypes({ includeInactive: true }),
    ])
    return {
      ...settings,
      agencies,
      agencyCodes: new Set(agencies.map((a) => a.code)),
      callTypes: new Map(callTypes.map((c) => [c.code, c])),
    }
  }
}
