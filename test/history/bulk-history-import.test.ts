import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rollUp, rollupEventOfCall } from '../../src/domain/analytics/rollups.js'
import { localTimeIn } from '../../src/domain/analytics/trends.js'
import type { CallForService } from '../../src/domain/history/call-for-service.js'
import { BULK_IMPORT, CALL_INDEXES } from '../../src/store/kysely/history-store.js'
import { openStore } from '../../src/store/open-store.js'
import type { Store } from '../../src/store/ports.js'
import { DIALECTS, freshDatabaseUrl, postgresAvailable } from '../support/databases.js'

/**
 * A large import (HistoryStore.importCalls) is one transaction that drops the call table's
 * secondary indexes and builds them again: on both databases, the indexes are there after it,
 * and after one that fails half-way, which leaves no call and no count behind. Rollups counted
 * in memory for the whole import equal counting the calls.
 */
const T0 = Date.parse('1980-03-01T12:00:00Z')
const N = BULK_IMPORT.minCalls + 2_000

function calls(from: number, n: number, source = 'bulk-test'): CallForService[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k
    return {
      source,
      sourceId: `b${i}`,
      receivedAt: T0 + i * 7 * 60_000,
      sourceCallType: '415',
      callType: i % 5 ? 'NOISE' : null,
      priority: i % 4 ? 1 + (i % 3) : null,
      disposition: null,
      block: i % 6 ? `${(i % 40) * 100} BLOCK E PRATT ST` : null,
      lat: null,
      lon: null,
      h3: i % 3 ? '892aa8d4b63ffff' : null,
      policeDistrict: i % 7 ? 'Central' : null,
      beat: null,
    }
  })
}

async function* inBatches(all: CallForService[], size = 3_000, failAfter = Infinity) {
  for (let i = 0; i < all.length; i += size) {
    if (i / size >= failAfter) throw new Error('the export broke off')
    yield all.slice(i, i + size)
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: bulk history import`,
    () => {
      let store: Store
      let indexes: () => Promise<string[]>
      let select: (text: string) => Promise<Array<Record<string, unknown>>>
      let close: () => Promise<void>

      beforeAll(async () => {
        if (dialect === 'sqlite') {
          const dir = mkdtempSync(join(tmpdir(), 't311-bulk-'))
          const file = join(dir, 'bulk.db')
          store = openStore({ url: `sqlite:${file}`, timeZone: 'America/New_York' })
          await store.migrate()
          const raw = new SqliteDatabase(file)
          indexes = async () =>
            (
              raw
                .prepare(
                  "select name from sqlite_master where type = 'index' and tbl_name = 'call_for_service' order by name",
                )
                .all() as Array<{ name: string }>
            ).map((r) => r.name)
          select = async (text) => raw.prepare(text).all() as Array<Record<string, unknown>>
          close = async () => {
            raw.close()
            await store.close()
            rmSync(dir, { recursive: true, force: true })
          }
        } else {
          const db = await freshDatabaseUrl(dialect)
          store = openStore({ url: db.url, timeZone: 'America/New_York' })
          await store.migrate()
          const raw = new pg.Client({ connectionString: db.url })
          await raw.connect()
          indexes = async () =>
            (
              await raw.query(
                "select indexname from pg_indexes where tablename = 'call_for_service' order by indexname",
              )
            ).rows.map((r: { indexname: string }) => r.indexname)
          select = async (text) => (await raw.query(text)).rows
          close = async () => {
            await raw.end()
            await store.close()
            await db.drop()
          }
        }
      }, 60_000)
      afterAll(async () => close())

      const counts = async () => ({
        days: (await store.rollups.days('911', '1900-01-01', '2100-01-01'))
          .map((r) => `${r.day}|${r.callType}|${r.priority}|${r.district}|${r.n}`)
          .sort(),
        hours: (await store.rollups.hours('911', '1900-01-01', '2100-01-01'))
          .map((r) => `${r.day}|${r.hour}|${r.n}`)
          .sort(),
        blocks: (await store.rollups.places('block', '911', '1900-01', '2100-12'))
          .map((r) => `${r.place}|${r.n}`)
          .sort(),
        cells: (await store.rollups.places('cell', '911', '1900-01', '2100-12'))
          .map((r) => `${r.place}|${r.n}`)
          .sort(),
      })
      const expected = (all: CallForService[]) => {
        const rows = rollUp(all.map(rollupEventOfCall), localTimeIn('America/New_York'))
        return {
          days: rows.days
            .map((r) => `${r.day}|${r.callType}|${r.priority}|${r.district}|${r.n}`)
            .sort(),
          hours: rows.hours.map((r) => `${r.day}|${r.hour}|${r.n}`).sort(),
          blocks: [
            ...rows.blocks
              .reduce((m, r) => m.set(r.place, (m.get(r.place) ?? 0) + r.n), new Map())
              .entries(),
          ]
            .map(([p, n]) => `${p}|${n}`)
            .sort(),
          cells: [
            ...rows.cells
              .reduce((m, r) => m.set(r.place, (m.get(r.place) ?? 0) + r.n), new Map())
              .entries(),
          ]
            .map(([p, n]) => `${p}|${n}`)
            .sort(),
        }
      }

      it('writes a large export in one go, its indexes built again and its rollups counted once', async () => {
        const before = await indexes()
        // The store's list is every index of the table but the unique key's: an index it did
        // not know of would be kept up row by row through a bulk import.
        expect(before.filter((name) => !/source_id|autoindex|_pkey$/.test(name))).toEqual(
          CALL_INDEXES.map((i) => i.name).sort(),
        )
        const all = calls(0, N)
        // An id the export repeats is imported and counted once.
        const repeated = [...all, { ...all[5]!, block: 'ELSEWHERE' }]
        const r = await store.history.importCalls(inBatches(repeated), T0, repeated.length)
        expect(r).toEqual({ inserted: N, duplicates: 1 })
        expect(await store.history.count('bulk-test')).toBe(N)
        expect(await indexes()).toEqual(before)
        expect(await counts()).toEqual(expected(all))
        if (dialect === 'postgres') {
          // The planner knows what was loaded (autovacuum may be off): statistics on the calls
          // and the rollups the dashboards read.
          const analysed = await select(
            "select distinct tablename from pg_stats where tablename in ('call_for_service', 'rollup_cell', 'rollup_block') order by tablename",
          )
          expect(analysed.map((r) => r.tablename)).toEqual([
            'call_for_service',
            'rollup_block',
            'rollup_cell',
          ])
        }
      }, 60_000)

      it('leaves no call, no count and every index when a large import fails half-way', async () => {
        const before = { indexes: await indexes(), counts: await counts() }
        const more = calls(N, N)
        await expect(
          store.history.importCalls(inBatches(more, 3_000, 2), T0, more.length),
        ).rejects.toThrow(/broke off/)
        expect(await store.history.count('bulk-test')).toBe(N)
        expect(await indexes()).toEqual(before.indexes)
        expect(await counts()).toEqual(before.counts)
      }, 60_000)

      it('adds only the new calls when an export comes again with more', async () => {
        const all = calls(0, N + 3_000)
        const r = await store.history.importCalls(inBatches(all), T0, all.length)
        expect(r).toEqual({ inserted: 3_000, duplicates: N })
        expect(await store.history.count('bulk-test')).toBe(N + 3_000)
        expect(await counts()).toEqual(expected(all))
        // A small one, against what is stored, goes batch by batch: the same counts.
        const few = calls(N + 3_000, 500)
        expect(await store.history.importCalls(inBatches(few, 200), T0, few.length)).toEqual({
          inserted: 500,
          duplicates: 0,
        })
        expect(await counts()).toEqual(expected([...all, ...few]))
        expect(await indexes()).toEqual(
          expect.arrayContaining(['call_for_service_block_idx', 'call_for_service_received_idx']),
        )
      }, 60_000)

      it('keeps every value exactly as the export gave it, whatever its characters', async () => {
        // PostgreSQL takes a large import as a COPY, whose text format has its own escapes.
        const odd = [
          'TAB\tIN IT',
          'LINE\nBREAK',
          'BACK\\SLASH \\N',
          '\\N',
          'QUOTES "A" \'B\'',
          'ÉCOLE ST, SUITE #2',
        ]
        const all = calls(0, N, 'bulk-odd').map((c, i) => ({
          ...c,
          sourceCallType: odd[i % odd.length] as string,
          beat: i % 2 ? (odd[(i + 1) % odd.length] as string) : null,
          lat: i % 4 ? 32.71 + i / 1e9 : null,
          lon: i % 4 ? -117.161_081_234_567_89 - i / 1e10 : null,
        }))
        const r = await store.history.importCalls(inBatches(all), T0, all.length)
        expect(r).toEqual({ inserted: N, duplicates: 0 })
        const stored = await select(
          "select source_id, received_at, source_call_type, call_type, priority, block, beat, lat, lon from call_for_service where source = 'bulk-odd'",
        )
        const byId = new Map(stored.map((row) => [row.source_id, row]))
        expect(byId.size).toBe(N)
        for (const c of all) {
          const row = byId.get(c.sourceId)
          expect({
            receivedAt: Number(row?.received_at),
            sourceCallType: row?.source_call_type,
            callType: row?.call_type,
            priority: row?.priority,
            block: row?.block,
            beat: row?.beat,
            lat: row?.lat,
            lon: row?.lon,
          }).toEqual({
            receivedAt: c.receivedAt,
            sourceCallType: c.sourceCallType,
            callType: c.callType,
            priority: c.priority,
            block: c.block,
            beat: c.beat,
            lat: c.lat,
            lon: c.lon,
          })
        }
      }, 60_000)
    },
  )
}
