import type { Logger } from 'pino'
import type { Config } from '../config/config.js'
import type { IdGenerator } from '../domain/shared/ids.js'
import type { Clock } from '../domain/shared/instant.js'
import { openStore } from '../store/open-store.js'
import { CatalogueCache } from './catalogue/catalogue-cache.js'
import { importCatalogueFile } from './catalogue/import-catalogue.js'
import type { AppDeps } from './deps.js'
import { createSenders } from './follow-up/notifier.js'
import { GeographyCache } from './geography/geography-cache.js'
import { IncomingCalls } from './live/incoming-calls.js'
import { LiveBus } from './live/live-bus.js'
import { systemClock, uuidV7Generator } from './system-clock.js'

/** The composition root: opens and migrates the store and wires what the use cases need. */
export async function createDeps(
  config: Config,
  log: Logger,
  overrides: { clock?: Clock; ids?: IdGenerator; senders?: AppDeps['senders'] } = {},
): Promise<AppDeps> {
  const store = openStore({
    url: config.DATABASE_URL,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
    maxWriteBatch: config.WRITE_BATCH_MAX,
    timeZone: config.CITY_TIME_ZONE,
  })
  try {
    const ran = await store.migrate()
    if (ran.length > 0) log.info({ migrations: ran }, 'database migrated')
  } catch (err) {
    await store.close()
    throw err
  }
  const clock = overrides.clock ?? systemClock
  return {
    config,
    store,
    clock,
    ids: overrides.ids ?? uuidV7Generator(clock),
    log,
    catalogue: new CatalogueCache(store),
    geography: new GeographyCache(store),
    live: new LiveBus(),
    incomingCalls: new IncomingCalls(),
    senders:
      overrides.senders ??
      createSenders({
        smtpUrl: config.SMTP_URL ?? null,
        smtpFrom: config.SMTP_FROM,
        smsUrl: config.SMS_URL ?? null,
        smsToken: config.SMS_TOKEN ?? null,
      }),
  }
}

/**
 * On a fresh database, loads the default catalogue so the system works out of the box.
 * Returns whether it did.
 */
export async function ensureCatalogue(deps: AppDeps): Promise<boolean> {
  const snap = await deps.catalogue.snapshot()
  if (snap.callTypes.size > 0) return false
  await importCatalogueFile(deps, { id: 'system', roles: ['admin'] }, deps.config.CATALOGUE_FILE)
  return true
}
