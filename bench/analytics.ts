/**
 * Analytics benchmark (issue #8): N 911 calls generated from the real San Diego distributions
 * (seeded), written as a San Diego CAD export, imported with the real importer into SQLite and
 * PostgreSQL (rows/s, target ≥ 50,000), then the dashboard questions (top blocks, Gi* on H3
 * cells, trend, 311/911 coincidence) timed on each store from the rollups (target ≤ 1 s) and in
 * DuckDB over the same raw rows (the reference; target: the store no slower). Answers are
 * checked to agree across the three.
 *
 * Full: 10,000,000 calls; `--quick`: 200,000; BENCH_ANALYTICS_N=… sets another N (the JSON's
 * `calls`). `--sqlite-only` skips PostgreSQL, whose import of 10,000,000 takes long: run it
 * with a smaller N. DuckDB (@duckdb/node-api) is installed without saving when missing: it is
 * not a dependency of triage311.
 */
import { execFileSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse as parseCsvSync } from 'csv-parse/sync'
import { latLngToCell } from 'h3-js'
import { type Kysely, Kysely as KyselyClass, PostgresDialect } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import {
  coincidenceOfBlocks,
  hotSpotCells,
  topBlocks,
  trend,
} from '../src/app/analytics/analytics-questions.js'
import { importCatalogueFile } from '../src/app/catalogue/import-catalogue.js'
import { createDeps } from '../src/app/create-deps.js'
import type { AppDeps } from '../src/app/deps.js'
import { csvRecords } from '../src/app/history/csv-records.js'
import { importCallHistory, readHistoryMapping } from '../src/app/history/import-call-history.js'
import { loadConfig } from '../src/config/config.js'
import { coincidence } from '../src/domain/analytics/coincidence.js'
import { confidenceBins, giStarOnCells, h3Neighbours } from '../src/domain/analytics/gi-star.js'
import { localTimeIn } from '../src/domain/analytics/trends.js'
import { type HistoryMapping, historyRowReader } from '../src/domain/history/call-for-service.js'
import { HOUR, MINUTE } from '../src/domain/shared/instant.js'
import { type BulkInsert, insertRows } from '../src/store/kysely/bulk-insert.js'
import type { Database } from '../src/store/kysely/database.js'
import { addToRollups } from '../src/store/kysely/rollup-store.js'
import { openSqliteKysely } from '../src/store/kysely/sqlite-connection.js'
import { benchPostgres, percentile, round } from './_support.js'

const SD_FILE = new URL(
  '../../shared/datasets/raw/sandiego-pd-cfs-2023/pd_calls_for_service_2023_datasd.jan1-22.csv',
  import.meta.url,
)
const TZ = 'America/Los_Angeles'
const H3_RESOLUTION = 9
const FIRST_DAY = '2021-01-01'
const DAYS = 1095 // 2021-01-01 … 2023-12-30: about three years
const PERIOD = { from: '2021-01-01', to: '2023-12-31' }
const SEED = 311_911
/** 311 call types (from the default catalogue) for the generated 311 reports. */
const TYPES_311 = ['NOISE', 'PARKING', 'ABANDONED_VEHICLE', 'GRAFFITI', 'POTHOLE']

// ---------------------------------------------------------------------------------------------
// The real distributions, and calls drawn from them
// ---------------------------------------------------------------------------------------------

/** Mulberry32: a small seeded PRNG, so every run generates the same calls. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a: a stable hash of a place, for its synthetic position. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const PLACE_COLUMNS = [
  'address_number_primary',
  'address_dir_primary',
  'address_road_primary',
  'address_sfx_primary',
  'address_dir_intersecting',
  'address_road_intersecting',
  'address_sfx_intersecting',
  'beat',
] as const
const TYPE_COLUMNS = ['call_type', 'disposition', 'priority'] as const
const HEADER = [
  'incident_num',
  'date_time',
  'day_of_week',
  ...PLACE_COLUMNS.slice(0, 7),
  'call_type',
  'disposition',
  'beat',
  'priority',
  // Not in the city's export: a position for each place (San Diego's has none, and the bench
  // has no San Diego street file), so calls also fall on H3 cells; and, for DuckDB only, the
  // block and cell the importer will compute, since DuckDB has neither our block rules nor H3.
  'lat',
  'lon',
  'h3',
  'block',
]

interface Place {
  fields: string[]
  lat: string
  lon: string
  h3: string
  block: string
}

export interface Profiles {
  /** every real call's type, disposition and priority: drawing one is drawing the real mix */
  types: string[][]
  /** every real call's place: drawing one is drawing from the real (heavy-tailed) block counts */
  places: Place[]
  /** distinct places, for 311 reports that fall off the 911 hot blocks */
  distinctPlaces: Place[]
  /** cumulative hour-of-day distribution for each weekday (0 = Sunday) */
  hoursByWeekday: number[][]
  /** relative volume of each weekday */
  weekdayWeight: number[]
}

export function loadProfiles(mapping: HistoryMapping): Profiles {
  const records: Array<Record<string, string>> = parseCsvSync(readFileSync(SD_FILE, 'utf8'), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  })
  const read = historyRowReader(mapping, new Map(), HEADER)
  const byKey = new Map<string, Place>()
  const places: Place[] = []
  const types: string[][] = []
  const how = Array.from({ length: 7 }, () => new Array<number>(24).fill(0))
  for (const r of records) {
    types.push(TYPE_COLUMNS.map((c) => r[c] ?? ''))
    const fields = PLACE_COLUMNS.map((c) => r[c] ?? '')
    const key = fields.join('|')
    let place = byKey.get(key)
    if (!place) {
      place = makePlace(fields, read)
      byKey.set(key, place)
    }
    places.push(place)
    const m = (r.date_time ?? '').match(/^(\d{4})-(\d{2})-(\d{2}) (\d{2})/)
    if (m) {
      const weekday = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).getUTCDay()
      how[weekday]![+m[4]!]! += 1
    }
  }
  const weekdayWeight = how.map((h) => h.reduce((a, b) => a + b, 0))
  const hoursByWeekday = how.map((h) => {
    const total = h.reduce((a, b) => a + b, 0)
    let acc = 0
    return h.map((x) => {
      acc += x / total
      return acc
    })
  })
  return { types, places, distinctPlaces: [...byKey.values()], hoursByWeekday, weekdayWeight }
}

function makePlace(fields: string[], read: ReturnType<typeof historyRowReader>): Place {
  const [number, dir, road, sfx, , cross, , beat] = fields
  const record: Record<string, string> = {
    incident_num: 'x',
    date_time: '2023-01-01 00:00:00',
    call_type: 'x',
    address_number_primary: number ?? '',
    address_dir_primary: dir ?? '',
    address_road_primary: road ?? '',
    address_sfx_primary: sfx ?? '',
    address_road_intersecting: cross ?? '',
  }
  const r = read(
    HEADER.map((h) => record[h]),
    0,
  )
  const block = 'call' in r ? (r.call.block ?? '') : ''
  // Log entries ("SHOPS INFO LOG", beat -1) are nowhere; blocks and intersections get a fixed
  // point: their beat's centre in the San Diego extent, and an offset of up to about 1.5 km.
  if (!beat || beat === '-1' || (!block && !cross))
    return { fields, lat: '', lon: '', h3: '', block }
  const b = hash(`beat ${beat}`)
  const p = hash(fields.join('|'))
  const lat = 32.68 + ((b % 1000) / 1000) * 0.34 + (((p % 2001) - 1000) / 1000) * 0.0135
  const lon =
    -117.22 +
    ((Math.floor(b / 1000) % 1000) / 1000) * 0.26 +
    (((Math.floor(p / 2001) % 2001) - 1000) / 1000) * 0.016
  const latText = lat.toFixed(6)
  const lonText = lon.toFixed(6)
  return {
    fields,
    lat: latText,
    lon: lonText,
    h3: latLngToCell(Number(latText), Number(lonText), H3_RESOLUTION),
    block,
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

function csvField(v: string): string {
  return `"${v.includes('"') ? v.replaceAll('"', '""') : v}"`
}

/** One generated call: its local wall-clock time (as written) and instant. */
interface Drawn {
  local: string
  at: number
  weekday: number
}

/**
 * Draws `n` calls' times over DAYS days, day by day in order (as a CAD export is sorted): each
 * day's share by its weekday's real volume, each call's hour from that weekday's real profile.
 * Each day's calls come in time order, so nothing but one day is in memory.
 */
function* drawDays(n: number, profiles: Profiles, random: () => number): Generator<Drawn[]> {
  const lt = localTimeIn(TZ)
  const start = Date.parse(`${FIRST_DAY}T00:00:00Z`)
  const weights: number[] = []
  for (let d = 0; d < DAYS; d++)
    weights.push(profiles.weekdayWeight[new Date(start + d * 24 * HOUR).getUTCDay()]!)
  const total = weights.reduce((a, b) => a + b, 0)
  let done = 0
  let acc = 0
  for (let d = 0; d < DAYS; d++) {
    acc += weights[d]!
    const upTo = Math.round((acc / total) * n)
    const count = upTo - done
    done = upTo
    const date = new Date(start + d * 24 * HOUR)
    const weekday = date.getUTCDay()
    const cum = profiles.hoursByWeekday[weekday]!
    const seconds: number[] = []
    for (let i = 0; i < count; i++) {
      const u = random()
      let hour = 0
      while (hour < 23 && cum[hour]! < u) hour++
      seconds.push(hour * 3600 + Math.floor(random() * 3600))
    }
    seconds.sort((a, b) => a - b)
    const ymd = date.toISOString().slice(0, 10)
    const day: Drawn[] = []
    for (const s of seconds) {
      // The wall clock as the CAD writes it; on the spring-forward night the missing hour is
      // the next one (the instant is what the importer will compute for the written time).
      const wallUtc = date.getTime() + s * 1000
      let at = wallUtc - lt.offsetMinutes(wallUtc) * MINUTE
      at = wallUtc - lt.offsetMinutes(at) * MINUTE
      const local = lt.localMs(at)
      const l = new Date(local)
      const text = `${l.toISOString().slice(0, 10)} ${pad2(l.getUTCHours())}:${pad2(l.getUTCMinutes())}:${pad2(l.getUTCSeconds())}`
      day.push({
        local: text,
        at,
        weekday: l.toISOString().slice(0, 10) === ymd ? weekday : l.getUTCDay(),
      })
    }
    yield day
  }
}

/**
 * Writes the 911 export (San Diego columns, plus lat/lon/h3/block) and the 311 incidents
 * (for DuckDB and the stores), streaming a day at a time.
 */
export async function generate(
  dir: string,
  n: number,
  profiles: Profiles,
): Promise<{ calls911: string; incidents311: string; n311: number; bytes: number }> {
  const random = prng(SEED)
  const calls911 = join(dir, 'calls911.csv')
  const incidents311 = join(dir, 'incidents311.csv')
  const out911 = createWriteStream(calls911)
  const out311 = createWriteStream(incidents311)
  const write = async (out: ReturnType<typeof createWriteStream>, text: string) => {
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await write(out911, `${HEADER.map(csvField).join(',')}\n`)
  await write(out311, 'id,at,local,block,lat,lon,h3,call_type,priority\n')
  const days311 = drawDays(Math.round(n / 10), profiles, prng(SEED + 1))
  let seq = 0
  const types311 = TYPES_311
  let k311 = 0
  for (const day of drawDays(n, profiles, random)) {
    const lines: string[] = []
    for (const c of day) {
      seq++
      const type = profiles.types[Math.floor(random() * profiles.types.length)]!
      const place = profiles.places[Math.floor(random() * profiles.places.length)]!
      const f = place.fields
      lines.push(
        [
          `E${c.local.slice(2, 4)}${String(seq).padStart(9, '0')}`,
          c.local,
          String(c.weekday + 1),
          f[0],
          f[1],
          f[2],
          f[3],
          f[4],
          f[5],
          f[6],
          type[0],
          type[1],
          f[7],
          type[2],
          place.lat,
          place.lon,
          place.h3,
          place.block,
        ]
          .map((v) => csvField(v ?? ''))
          .join(','),
      )
    }
    await write(out911, `${lines.join('\n')}\n`)
    const lines311: string[] = []
    for (const c of days311.next().value ?? []) {
      // 311 reports: most on the blocks 911 calls come from, the rest anywhere.
      const pool = random() < 0.6 ? profiles.places : profiles.distinctPlaces
      let place = pool[Math.floor(random() * pool.length)]!
      for (let tries = 0; !place.lat && tries < 10; tries++)
        place = pool[Math.floor(random() * pool.length)]!
      k311++
      lines311.push(
        [
          `bench-311-${k311}`,
          c.at,
          c.local,
          place.block,
          place.lat,
          place.lon,
          place.h3,
          types311[k311 % types311.length],
          3 + (k311 % 2),
        ].join(','),
      )
    }
    if (lines311.length > 0) await write(out311, `${lines311.join('\n')}\n`)
  }
  await new Promise<void>((r) => out911.end(() => r()))
  await new Promise<void>((r) => out311.end(() => r()))
  return { calls911, incidents311, n311: k311, bytes: statSync(calls911).size }
}

// ---------------------------------------------------------------------------------------------
// Loading the stores
// ---------------------------------------------------------------------------------------------

function benchMapping(): HistoryMapping {
  const m = readHistoryMapping('history/sandiego.yaml')
  return { ...m, columns: { ...m.columns, lat: 'lat', lon: 'lon' } }
}

const INCIDENT: BulkInsert = {
  table: 'incident',
  columns: [
    'id',
    'call_type',
    'family',
    'priority',
    'mode',
    'status',
    'is_open',
    'disposition',
    'location_text',
    'lat',
    'lon',
    'h3',
    'block',
    'narrative',
    'answers',
    'triage',
    'channel',
    'received_at',
    'created_at',
    'updated_at',
    'created_by',
    'version',
  ],
}

/**
 * The 311 reports go straight into the incident table (the benchmark's seeding, not intake),
 * with the rollups added in the same transaction by the store's own addToRollups, as the
 * incident store's group commit does.
 */
async function load311(db: Kysely<Database>, file: string): Promise<number> {
  const local = localTimeIn(TZ)
  let rows: unknown[][] = []
  let n = 0
  const flush = async () => {
    if (rows.length === 0) return
    const batch = rows
    rows = []
    await db.transaction().execute(async (trx) => {
      await insertRows(trx, INCIDENT, batch)
      await addToRollups(
        trx,
        batch.map((r) => ({
          source: '311' as const,
          at: r[17] as number,
          callType: r[1] as string,
          channel: 'phone_311',
          priority: r[3] as number,
          district: null,
          block: (r[12] as string | null) ?? null,
          h3: (r[11] as string | null) ?? null,
        })),
        local,
      )
    })
  }
  for await (const records of csvRecords(file))
    for (const r of records) {
      const at = Number(r.at)
      rows.push([
        r.id,
        r.call_type,
        r.call_type,
        Number(r.priority),
        'dispatch_delayed',
        'closed',
        0,
        'settled_by_phone',
        'seeded',
        r.lat ? Number(r.lat) : null,
        r.lon ? Number(r.lon) : null,
        r.h3 || null,
        r.block || null,
        '',
        '{}',
        '{"mode":"dispatch_delayed"}',
        'phone_311',
        at,
        at,
        at,
        'bench',
        1,
      ])
      n++
      if (rows.length >= 20_000) await flush()
    }
  await flush()
  return n
}

function openKysely(url: string): { db: Kysely<Database>; close: () => Promise<void> } {
  if (url.startsWith('sqlite:')) return openSqliteKysely(url.slice('sqlite:'.length), 'NORMAL')
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  const db = new KyselyClass<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, close: () => db.destroy() }
}

// ---------------------------------------------------------------------------------------------
// The questions
// ---------------------------------------------------------------------------------------------

/** The four dashboard questions, each answered in a form the three engines can be compared in. */
interface Answers {
  topBlocks: Array<[string, number]>
  total911: number
  trendTotal: number
  trendDays: number[]
  hourOfWeek: number[]
  hotCells: string[]
  cellTotal: number
  hot: number
  coincidenceRho: number
  coincident: string[]
}

const QUESTIONS = ['topBlocks', 'hotSpotCells', 'trend', 'coincidence'] as const
type Question = (typeof QUESTIONS)[number]
type Timings = Record<Question, { p50Ms: number; maxMs: number }>

async function timed<T>(reps: number, f: () => Promise<T>): Promise<{ value: T; ms: number[] }> {
  let value = await f() // warm-up: the first read of a fresh file
  const ms: number[] = []
  for (let i = 0; i < reps; i++) {
    const t = performance.now()
    value = await f()
    ms.push(performance.now() - t)
  }
  return { value, ms }
}

const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b)
  return { p50Ms: round(percentile(sorted, 50), 1), maxMs: round(sorted.at(-1) ?? Number.NaN, 1) }
}

/** The dashboard's own functions over the store's rollups. */
async function askStore(
  deps: AppDeps,
  reps: number,
): Promise<{ timings: Timings; answers: Answers }> {
  const q = { ...PERIOD, source: '911' as const }
  const top = await timed(reps, () => topBlocks(deps, { ...q, limit: 10 }))
  const hot = await timed(reps, () => hotSpotCells(deps, q))
  const tr = await timed(reps, () => trend(deps, q))
  const co = await timed(reps, () => coincidenceOfBlocks(deps, { ...PERIOD, topK: 100 }))
  return {
    timings: {
      topBlocks: summary(top.ms),
      hotSpotCells: summary(hot.ms),
      trend: summary(tr.ms),
      coincidence: summary(co.ms),
    },
    answers: {
      topBlocks: top.value.rows.map((r) => [r.block, r.count]),
      total911: top.value.total,
      trendTotal: tr.value.total,
      trendDays: tr.value.days.map((d) => d.count),
      hourOfWeek: tr.value.hourOfWeek,
      hotCells: hot.value.rows.slice(0, 10).map((r) => r.cell),
      cellTotal: hot.value.rows.reduce((a, r) => a + r.count, 0),
      hot: hot.value.hot,
      coincidenceRho: co.value.spearman.rho,
      coincident: [...co.value.coincident].sort(),
    },
  }
}

// ---------------------------------------------------------------------------------------------
// DuckDB: the same questions over the raw rows
// ---------------------------------------------------------------------------------------------

interface DuckConnection {
  runAndReadAll(sql: string): Promise<{ getRowsJS(): unknown[][] }>
  closeSync(): void
}

const DUCKDB = '@duckdb/node-api'

/**
 * Where @duckdb/node-api is, installed (without saving) when missing: it is not a triage311
 * dependency. Done before the long work, so a failed install stops the run at once; the
 * module is then imported by its file.
 */
function ensureDuckDb(): string {
  // Resolved in a child process: this one's module resolution remembers the package missing.
  const resolve = () =>
    execFileSync(process.execPath, ['-p', `require.resolve(${JSON.stringify(DUCKDB)})`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  try {
    return pathToFileURL(resolve()).href
  } catch {
    console.log(`  installing ${DUCKDB} (npm install --no-save) …`)
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', DUCKDB], {
      stdio: 'inherit',
    })
    return pathToFileURL(resolve()).href
  }
}

async function openDuckDb(
  moduleUrl: string,
): Promise<{ con: DuckConnection; close: () => void; version: string }> {
  // biome-ignore lint/suspicious/noExplicitAny: an optional module with no types at build time
  const mod: any = await import(moduleUrl)
  const instance = await mod.DuckDBInstance.create(':memory:')
  const con = (await instance.connect()) as DuckConnection
  const version = String((await con.runAndReadAll('SELECT version()')).getRowsJS()[0]?.[0])
  return {
    con,
    version,
    close: () => {
      con.closeSync()
      instance.closeSync()
    },
  }
}

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10)

async function askDuckDb(
  con: DuckConnection,
  reps: number,
): Promise<{ timings: Timings; sqlTimings: Timings; answers: Answers }> {
  const rows = async (q: string) => (await con.runAndReadAll(q)).getRowsJS()
  const inPeriod = `date_time >= TIMESTAMP '${PERIOD.from}' AND date_time < TIMESTAMP '${nextDay(PERIOD.to)}'`
  const inPeriod311 = inPeriod.replaceAll('date_time', 'local')

  const top = await timed(reps, () =>
    rows(`SELECT block, n, total FROM (
            SELECT block, count(*)::INTEGER AS n, (sum(count(*)) OVER ())::BIGINT AS total
            FROM calls911 WHERE block IS NOT NULL AND ${inPeriod} GROUP BY block)
          ORDER BY n DESC, block LIMIT 10`),
  )

  // Gi*: the counts by cell in SQL, then the same statistic as the dashboard's, in JS.
  const cellSql = async () => ({
    counts: await rows(
      `SELECT h3, count(*)::INTEGER FROM calls911 WHERE h3 IS NOT NULL AND ${inPeriod} GROUP BY h3`,
    ),
    known: await rows(
      `SELECT h3 FROM calls911 WHERE h3 IS NOT NULL UNION SELECT h3 FROM incidents311
       WHERE h3 IS NOT NULL ORDER BY h3`,
    ),
  })
  const giStar = (r: Awaited<ReturnType<typeof cellSql>>) => {
    const counts = new Map(r.counts.map(([c, n]) => [c as string, n as number]))
    const neighbours = h3Neighbours(1)
    const area = new Map<string, number>()
    for (const [cell] of r.known as Array<[string]>) {
      area.set(cell, counts.get(cell) ?? 0)
      for (const nb of neighbours(cell)) if (!area.has(nb)) area.set(nb, counts.get(nb) ?? 0)
    }
    for (const [cell, n] of counts) area.set(cell, n)
    const results = giStarOnCells(area, neighbours)
    const bins = confidenceBins(
      results.map((x) => x.z),
      results.map((x) => x.p),
      { fdr: true },
    )
    const ranked = results.map((x, i) => ({ ...x, bin: bins[i] as number }))
    ranked.sort((a, b) => (b.z || 0) - (a.z || 0) || (a.cell < b.cell ? -1 : 1))
    return ranked
  }
  const cellsSqlOnly = await timed(reps, cellSql)
  const cells = await timed(reps, async () => giStar(await cellSql()))

  const trendSql = () =>
    rows(`SELECT strftime(date_time, '%Y-%m-%d') AS day, hour(date_time)::INTEGER AS h,
                 count(*)::INTEGER AS n
          FROM calls911 WHERE ${inPeriod} GROUP BY ALL`)
  const trendJs = (r: unknown[][]) => {
    const byDay = new Map<string, number>()
    const hourOfWeek = new Array<number>(168).fill(0)
    for (const [day, h, n] of r as Array<[string, number, number]>) {
      byDay.set(day, (byDay.get(day) ?? 0) + n)
      const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7
      hourOfWeek[weekday * 24 + h]! += n
    }
    const days: number[] = []
    for (let d = PERIOD.from; d <= PERIOD.to; d = nextDay(d)) days.push(byDay.get(d) ?? 0)
    return { days, hourOfWeek, total: days.reduce((a, b) => a + b, 0) }
  }
  const trendSqlOnly = await timed(reps, trendSql)
  const tr = await timed(reps, async () => trendJs(await trendSql()))

  // 311/911 coincidence: counts on both lines by block (an outer join) in SQL, the statistic
  // in JS, over every block either line has ever had (as the dashboard's study area).
  const coSql = () =>
    rows(`WITH a AS (SELECT block, count(*) AS n FROM calls911 WHERE block IS NOT NULL AND ${inPeriod} GROUP BY block),
               b AS (SELECT block, count(*) AS n FROM incidents311 WHERE block IS NOT NULL AND ${inPeriod311} GROUP BY block),
               k AS (SELECT block FROM calls911 WHERE block IS NOT NULL UNION SELECT block FROM incidents311 WHERE block IS NOT NULL)
          SELECT k.block, coalesce(b.n, 0)::INTEGER, coalesce(a.n, 0)::INTEGER
          FROM k LEFT JOIN a USING (block) LEFT JOIN b USING (block) ORDER BY k.block`)
  const coJs = (r: unknown[][]) =>
    coincidence(
      (r as Array<[string, number, number]>).map(([block, calls311, calls911]) => ({
        block,
        calls311,
        calls911,
      })),
      { topK: 100 },
    )
  const coSqlOnly = await timed(reps, coSql)
  const co = await timed(reps, async () => coJs(await coSql()))

  const topRows = top.value as Array<[string, number, number]>
  return {
    sqlTimings: {
      topBlocks: summary(top.ms),
      hotSpotCells: summary(cellsSqlOnly.ms),
      trend: summary(trendSqlOnly.ms),
      coincidence: summary(coSqlOnly.ms),
    },
    timings: {
      topBlocks: summary(top.ms),
      hotSpotCells: summary(cells.ms),
      trend: summary(tr.ms),
      coincidence: summary(co.ms),
    },
    answers: {
      topBlocks: topRows.map(([b, n]) => [b, n]),
      total911: Number(topRows[0]?.[2] ?? 0),
      trendTotal: tr.value.total,
      trendDays: tr.value.days,
      hourOfWeek: tr.value.hourOfWeek,
      hotCells: cells.value.slice(0, 10).map((r) => r.cell),
      cellTotal: cells.value.reduce((a, r) => a + r.count, 0),
      hot: cells.value.filter((r) => r.bin > 0).length,
      coincidenceRho: co.value.spearman.rho,
      coincident: [...co.value.coincident].sort(),
    },
  }
}

async function loadDuckDb(con: DuckConnection, calls911: string, incidents311: string) {
  // The rows the importer takes: a call without a call type is refused (a problem row).
  await con.runAndReadAll(`CREATE TABLE calls911 AS
    SELECT incident_num, date_time, call_type, priority, NULLIF(block, '') AS block,
           NULLIF(h3, '') AS h3
    FROM read_csv('${calls911}', header = true, all_varchar = false,
      types = {'date_time': 'TIMESTAMP', 'call_type': 'VARCHAR', 'priority': 'VARCHAR',
               'block': 'VARCHAR', 'h3': 'VARCHAR', 'incident_num': 'VARCHAR'})
    WHERE coalesce(call_type, '') <> ''`)
  await con.runAndReadAll(`CREATE TABLE incidents311 AS
    SELECT id, local::TIMESTAMP AS local, NULLIF(block, '') AS block, NULLIF(h3, '') AS h3
    FROM read_csv('${incidents311}', header = true,
      types = {'local': 'VARCHAR', 'block': 'VARCHAR', 'h3': 'VARCHAR', 'id': 'VARCHAR'})`)
  const count = async (t: string) =>
    Number((await con.runAndReadAll(`SELECT count(*) FROM ${t}`)).getRowsJS()[0]?.[0])
  return { calls911: await count('calls911'), incidents311: await count('incidents311') }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

const ACTOR = { id: 'bench', roles: ['admin' as const] }

async function measureStore(
  url: string,
  files: { calls911: string; incidents311: string },
  mapping: HistoryMapping,
  reps: number,
  label: string,
) {
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', CITY_TIME_ZONE: TZ })
  const deps = await createDeps(config, pino({ level: 'silent' }))
  try {
    await importCatalogueFile(deps, ACTOR, 'catalogue/default-catalogue.yaml')
    const t0 = performance.now()
    let shown = 0
    const report = await importCallHistory(deps, ACTOR, files.calls911, mapping, (done, total) => {
      if (done / total >= shown + 0.1 || done === total) {
        shown = Math.floor((done / total) * 10) / 10
        const s = (performance.now() - t0) / 1000
        console.log(
          `  ${label}: ${done.toLocaleString()} / ${total.toLocaleString()} rows, ${Math.round(done / s).toLocaleString()} rows/s`,
        )
      }
    })
    const importSeconds = (performance.now() - t0) / 1000
    const t1 = performance.now()
    const k = openKysely(url)
    let n311: number
    try {
      n311 = await load311(k.db, files.incidents311)
    } finally {
      await k.close()
    }
    const seconds311 = (performance.now() - t1) / 1000
    const asked = await askStore(deps, reps)
    console.log(`  ${label}: questions ${JSON.stringify(asked.timings)}`)
    return {
      import: {
        rows: report.rows,
        imported: report.imported,
        problems: report.problemCount,
        unplaced: report.unplaced,
        seconds: round(importSeconds, 1),
        rowsPerSecond: Math.round(report.rows / importSeconds),
      },
      incidents311: { rows: n311, seconds: round(seconds311, 1) },
      questions: asked.timings,
      answers: asked.answers,
    }
  } finally {
    await deps.store.close()
  }
}

function sameAnswers(a: Answers, b: Answers): { agree: boolean; differences: string[] } {
  const differences: string[] = []
  const eq = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y)
  for (const key of Object.keys(a) as Array<keyof Answers>) {
    const same = key === 'coincidenceRho' ? Math.abs(a[key] - b[key]) < 1e-9 : eq(a[key], b[key])
    if (!same) differences.push(key)
  }
  return { agree: differences.length === 0, differences }
}

export async function run({ quick }: { quick: boolean }) {
  const sqliteOnly = process.argv.includes('--sqlite-only')
  const n = Number(process.env.BENCH_ANALYTICS_N) || (quick ? 200_000 : 10_000_000)
  const reps = quick ? 3 : 5
  const dir = mkdtempSync(join(tmpdir(), 't311-bench-analytics-'))
  const out: Record<string, unknown> = { calls: n }
  try {
    const duckModule = ensureDuckDb()
    const mapping = benchMapping()
    const t0 = performance.now()
    const profiles = loadProfiles(mapping)
    const files = await generate(dir, n, profiles)
    out.generated = {
      calls911: n,
      incidents311: files.n311,
      megabytes: round(files.bytes / 1e6, 1),
      seconds: round((performance.now() - t0) / 1000, 1),
      from: 'San Diego PD calls 2023 (28,970): call type/priority/disposition mix, hour-of-week profile, block frequencies; 3 years; seeded',
      mapping: 'history/sandiego.yaml with lat/lon columns added (synthetic point per place)',
    }
    console.log(
      `  generated ${n.toLocaleString()} calls (${round(files.bytes / 1e6, 1)} MB) and ${files.n311.toLocaleString()} 311 reports`,
    )

    const answers: Record<string, Answers> = {}
    const stores: Record<string, Awaited<ReturnType<typeof measureStore>>> = {}
    stores.sqlite = await measureStore(
      `sqlite:${join(dir, 'analytics.db')}`,
      files,
      mapping,
      reps,
      'sqlite',
    )
    answers.sqlite = stores.sqlite.answers
    if (!sqliteOnly) {
      const pgdb = await benchPostgres('analytics')
      if (pgdb) {
        try {
          stores.postgres = await measureStore(pgdb.url, files, mapping, reps, 'postgres')
          answers.postgres = stores.postgres.answers
        } finally {
          await pgdb.drop()
        }
      }
    }
    for (const [name, s] of Object.entries(stores))
      out[name] = { import: s.import, incidents311: s.incidents311, questions: s.questions }

    const duck = await openDuckDb(duckModule)
    try {
      const t = performance.now()
      const loaded = await loadDuckDb(duck.con, files.calls911, files.incidents311)
      const loadSeconds = round((performance.now() - t) / 1000, 1)
      const asked = await askDuckDb(duck.con, reps)
      answers.duckdb = asked.answers
      out.duckdb = {
        version: duck.version,
        load: { ...loaded, seconds: loadSeconds },
        questions: asked.timings,
        sqlOnly: asked.sqlTimings,
      }
      console.log(`  duckdb: questions ${JSON.stringify(asked.timings)}`)
      const ratios: Record<string, Record<string, number>> = {}
      for (const [name, s] of Object.entries(stores)) {
        ratios[name] = {}
        for (const q of QUESTIONS)
          ratios[name]![q] = round(s.questions[q].p50Ms / Math.max(0.01, asked.timings[q].p50Ms), 3)
      }
      out.ratioStoreOverDuckdb = ratios
    } finally {
      duck.close()
    }

    const checks: Record<string, string[]> = {}
    let agree = true
    for (const name of Object.keys(answers)) {
      if (name === 'duckdb') continue
      const r = sameAnswers(answers[name]!, answers.duckdb!)
      checks[`${name}-vs-duckdb`] = r.differences
      agree &&= r.agree
    }
    out.agree = agree && answers.duckdb !== undefined
    out.disagreements = checks
    out.top3Blocks = answers.duckdb?.topBlocks.slice(0, 3)
    const importRates = Object.values(stores).map((s) => s.import.rowsPerSecond)
    const worstP50 = Math.max(
      ...Object.values(stores).flatMap((s) => QUESTIONS.map((q) => s.questions[q].p50Ms)),
    )
    out.met = {
      import: importRates.every((r) => r >= 50_000),
      questionsUnder1s: worstP50 <= 1000,
      storeNoSlowerThanDuckdb: Object.values(
        (out.ratioStoreOverDuckdb ?? {}) as Record<string, Record<string, number>>,
      ).every((r) => Object.values(r).every((x) => x <= 1)),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return {
    ...out,
    targets: { importRowsPerSecond: 50_000, questionP50Ms: 1000, storeOverDuckdbRatio: 1 },
  }
}
