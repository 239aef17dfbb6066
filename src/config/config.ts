import { z } from 'zod'

/**
 * The only place that reads environment variables. Every setting is documented, with its
 * default, in .env.example; keep the two in step. Invalid settings are all reported at once.
 */
const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'start with sqlite: or postgres://')
    .default('sqlite:./data/triage311.db'),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3311),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Consecutive failed sign-ins that lock an account, and for how long. */
  LOCKOUT_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOCKOUT_MINUTES: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(10),
  /** A session unused this long is locked and must sign in again. */
  IDLE_LOCK_MINUTES: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** A session ends this long after sign-in, however active. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .min(1)
    .max(7 * 24)
    .default(12),
  /** Session cookie's Secure flag: auto = when the request came over HTTPS. */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  CITY_TIME_ZONE: z
    .string()
    .default('America/New_York')
    .refine(isTimeZone, 'use an IANA time zone such as America/New_York'),
  H3_RESOLUTION: z.coerce.number().int().min(5).max(12).default(9),
  DUPLICATE_RADIUS_M: z.coerce.number().positive().max(5000).default(150),
  DUPLICATE_WINDOW_MIN: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(120),
  CATALOGUE_FILE: z.string().default('catalogue/default-catalogue.yaml'),
  /** Geography description imported into an empty database ('none' for none). */
  DEMO_GEOGRAPHY: z.string().default('geography/baltimore.yaml'),
  /** Unit roster loaded into an empty roster on first start ('none' for none). */
  DEMO_ROSTER: z.string().default('roster/demo-units.csv'),
  /** Hospitals and other critical places loaded into an empty list on first start ('none'). */
  DEMO_CRITICAL_PLACES: z.string().default('geography/baltimore-critical-places.csv'),
  /** A raster tile server for the console's map, e.g. https://tiles.example/{z}/{x}/{y}.png. */
  MAP_TILE_URL: z.string().url().optional(),
  AGENCY_NAME: z.string().default('Baltimore Police Department 311'),
  AGENCY_DOMAIN: z.string().default('311.baltimore.example'),
  PSAP_NAME: z.string().default('Baltimore City 911'),
  /** A delayed response joins the dispatch queue this long after the call. */
  DELAYED_RESPONSE_MINUTES: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(30),
  /** How often overdue referrals are looked for and escalated. */
  REFERRAL_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Outgoing mail for caller follow-up, e.g. smtp://mail.city.example:25 (unset: no email). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'start with smtp:// or smtps://')
    .optional(),
  SMTP_FROM: z.string().email().default('311-noreply@311.baltimore.example'),
  /** An SMS provider's HTTP endpoint and bearer token (unset: no text messages). */
  SMS_URL: z.string().url().optional(),
  SMS_TOKEN: z.string().min(8).optional(),
  /** The address residents reach this server at, for links in messages (survey, lookup). */
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:3311'),
  /** Open311: this server's jurisdiction_id (a client may send it or leave it out). */
  OPEN311_JURISDICTION: z.string().min(1).max(100).default('baltimorecity.gov'),
  /** Open311 abuse limits: new requests a minute per API key and per client address. */
  OPEN311_POSTS_PER_MINUTE_PER_KEY: z.coerce.number().int().min(1).max(100_000).default(120),
  OPEN311_POSTS_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  WRITE_BATCH_MAX: z.coerce.number().int().min(1).max(1000).default(256),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
})

export type Config = Readonly<z.infer<typeof schema>>

/** Parses the environment into a frozen Config, or throws listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  )
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid configuration:\n${lines.join('\n')}`)
  }
  return Object.freeze(parsed.data)
}

/** A configuration for tests: defaults plus overrides, never the process environment. */
export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', ...overrides })
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
