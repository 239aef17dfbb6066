import type { Logger } from 'pino'
import type { Config } from '../config/config.js'
import type { IdGenerator } from '../domain/shared/ids.js'
import type { Clock } from '../domain/shared/instant.js'
import type { Store } from '../store/ports.js'
import type { CatalogueCache } from './catalogue/catalogue-cache.js'
import type { MessageSender } from './follow-up/notifier.js'
import type { GeographyCache } from './geography/geography-cache.js'
import type { IncomingCalls } from './live/incoming-calls.js'
import type { LiveBus } from './live/live-bus.js'

/** What every use case may use; built once in main (or in a test) and passed down. */
export interface AppDeps {
  config: Config
  store: Store
  clock: Clock
  ids: IdGenerator
  log: Logger
  catalogue: CatalogueCache
  geography: GeographyCache
  live: LiveBus
  incomingCalls: IncomingCalls
  /** Caller notifications by channel; null where the channel is not configured. */
  senders: { email: MessageSender | null; sms: MessageSender | null }
}
