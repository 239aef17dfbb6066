import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCatalogueFile } from '../../app/catalogue/parse-catalogue-file.js'
import { type DayRow, type HourRow, rollUp, rollupEventOf } from '../../domain/analytics/rollups.js'
import { localTimeIn } from '../../domain/analytics/trends.js'
import type { CallType, CatalogueFile } from '../../domain/catalogue/catalogue-schema.js'
import { dispatchQueue, dueAtFor, needsUnit } from '../../domain/dispatch/dispatch-queue.js'
import { changeUnitActivity, type Unit } from '../../domain/dispatch/unit.js'
import type { Incident } from '../../domain/incidents/incident.js'
import type { OpenedIncident } from '../../domain/incidents/open-incident.js'
import {
  advanceStage,
  linkIncidents,
  openProblem,
  unlinkIncident,
} from '../../domain/problems/problem.js'
import type { Store } from '../ports.js'

/**
 * The behaviour every store implementation must have, run against real SQLite and real
 * PostgreSQL by test/integration/store-contract.test.ts (kysely's per-dialect test loop).
 * `open` gives a fresh, migrated, empty store; `rawExec` runs SQL directly, to prove what the
 * database itself refuses.
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<{
    store: Store
    rawExec: (sql: string) => Promise<unknown>
    close: () => Promise<void>
  }>,
  catalogueText: string,
): void {
  describe(`${name}: store contract`, () => {
    let store: Store
    let rawExec: (sql: string) => Promise<unknown>
    let close: () => Promise<void>
    let file: CatalogueFile
    let seq = 0
    const T0 = Date.parse('2026-11-22T15:00:00Z')

    beforeAll(async () => {
      ;({ store, rawExec, close } = await open())
      file = parseCatalogueFile(catalogueText)
    })
    afterAll(async () => close())

    const ct = (code: string): CallType => file.callTypes.find((c) => c.code === code) as CallType

    /** A complete opened incident with every optional part filled in, unique per call. */
    function opened(over: Partial<Incident> = {}, withCaller = false): OpenedIncident {
      seq++
      const id = `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`
      const incident: Incident = {
        id,
        number: null,
        callType: 'NOISE',
        family: 'NOISE',
        priority: 4,
        mode: 'dispatch_delayed',
        referral: null,
        status: 'pending',
        disposition: null,
        location: {
          text: `${seq} E PRATT ST`,
          lat: 39.2866,
          lon: -76.6106,
          h3: '892aa8d4b63ffff',
          block: '400 BLOCK E PRATT ST',
          segmentId: 's42',
          policeDistrict: 'Central',
          beat: null,
          neighborhood: 'Inner Harbor',
        },
        narrative: 'music since 10 — "très fort"',
        answers: { source: 'music', repeat_location: false, items: ['a', 'b'], n: 2.5 },
        triage: {
          callType: 'NOISE',
          priority: 4,
          mode: 'dispatch_delayed',
          referral: null,
          emergency: false,
          signals: [],
          steps: [{ source: 'default', because: 'x', mode: 'dispatch_delayed', priority: 4 }],
          explanation: ['why: x → dispatch_delayed, priority 4'],
          unanswered: [],
        },
        override: null,
        channel: 'phone_311',
        receivedAt: T0 + seq,
        createdAt: T0 + seq,
        updatedAt: T0 + seq,
        createdBy: 'tester',
        duplicateOf: null,
        eido: null,
        dueAt: null,
        reportNumber: null,
        version: 1,
        ...over,
      }
      const callerId = withCaller ? `caller-${seq}` : null
      return {
        incident,
        contact: {
          id: `contact-${seq}`,
          incidentId: id,
          channel: incident.channel,
          receivedAt: incident.receivedAt,
          answeredAt: incident.receivedAt + 5000,
          endedAt: null,
          takenBy: 'tester',
          anonymous: !withCaller,
          callerId,
          createdAt: incident.createdAt,
        },
        caller: callerId
          ? {
              id: callerId,
              name: 'Ann Caller',
              phone: '410-555-0100',
              email: null,
              callbackConsent: true,
              ani: null,
              ali: { cos: 'RESD' },
            }
          : null,
        events: [
          {
            incidentId: id,
            at: incident.createdAt,
            actor: 'tester',
            kind: 'received',
            data: { channel: 'phone_311' },
            reason: null,
          },
          {
            incidentId: id,
            at: incident.createdAt,
            actor: 'tester',
            kind: 'triaged',
            data: { mode: 'dispatch_delayed' },
            reason: null,
          },
        ],
      }
    }

    it('migrates idempotently', async () => {
      expect(await store.migrate()).toEqual([])
    })

    it('imports a catalogue once, records each call type, and changes nothing on re-import', async () => {
      const first = await store.catalogue.importCatalogue(file, {
        actor: 'a',
        at: T0,
        source: 'test',
      })
      expect(first.created.sort()).toEqual(file.callTypes.map((c) => c.code).sort())
      const again = await store.catalogue.importCatalogue(file, {
        actor: 'a',
        at: T0 + 1,
        source: 'test',
      })
      expect(again.created).toEqual([])
      expect(again.updated).toEqual([])
      expect(again.unchanged).toHaveLength(file.callTypes.length)
      expect(await store.catalogue.callTypeChanges('NOISE')).toHaveLength(1)
      const settings = await store.catalogue.settings()
      expect(settings.version).toBe(file.version)
      expect(settings.priorityLevels).toEqual(file.priorityScheme.levels)
      expect((await store.catalogue.agencies()).map((a) => a.code)).toEqual(
        file.agencies.map((a) => a.code).sort(),
      )
      // Round trip: what comes back is exactly what went in.
      const {
        revision: _r,
        updatedAt: _u,
        updatedBy: _b,
        ...noise
      } = (await store.catalogue.getCallType('NOISE'))!
      expect(noise).toEqual(ct('NOISE'))
    })

    it('saves a call type only from the revision it was edited at, recording before and after', async () => {
      const edited = { ...ct('POTHOLE'), defaultPriority: 3 }
      const saved = await store.catalogue.saveCallType(edited, {
        actor: 'sup',
        at: T0 + 2,
        reason: 'more urgent',
        expectedRevision: 1,
      })
      expect(saved.revision).toBe(2)
      await expect(
        store.catalogue.saveCallType(edited, {
          actor: 'sup',
          at: T0 + 3,
          reason: 'again',
          expectedRevision: 1,
        }),
      ).rejects.toThrow(/revision 2, not 1/)
      const changes = await store.catalogue.callTypeChanges('POTHOLE')
      expect(
        changes.map((c) => [
          c.change,
          c.revision,
          c.before?.defaultPriority,
          c.after.defaultPriority,
        ]),
      ).toEqual([
        ['created', 1, undefined, 5],
        ['updated', 2, 5, 3],
      ])
    })

    it('keeps the call-type change history append-only in the database itself', async () => {
      await expect(rawExec("UPDATE call_type_change SET reason = 'rewritten'")).rejects.toThrow(
        /append-only/,
      )
      await expect(rawExec('DELETE FROM call_type_change')).rejects.toThrow(/append-only/)
    })

    it('replaces a mapping table and refuses codes of unknown call types', async () => {
      await store.catalogue.replaceMapping('sd', [
        { sourceCode: '415', sourceDescription: 'DISTURBANCE', callType: 'NOISE', note: '' },
      ])
      expect(
        await store.catalogue.replaceMapping('sd', [
          { sourceCode: '1186', sourceDescription: 'x', callType: 'POTHOLE', note: 'n' },
        ]),
      ).toBe(1)
      expect((await store.catalogue.mapping('sd')).map((m) => m.sourceCode)).toEqual(['1186'])
      await expect(
        store.catalogue.replaceMapping('sd', [
          { sourceCode: '1', sourceDescription: 'x', callType: 'NOT_A_TYPE', note: '' },
        ]),
      ).rejects.toThrow()
      expect((await store.catalogue.mapping('sd')).map((m) => m.sourceCode)).toEqual(['1186'])
    })

    it('round-trips an incident with its contact, caller and history exactly', async () => {
      const o = opened({}, true)
      const created = await store.incidents.create(o, null)
      expect(created.replayed).toBe(false)
      expect(created.value.number).toBeGreaterThan(0)
      expect(await store.incidents.get(o.incident.id)).toEqual({
        ...o.incident,
        number: created.value.number,
      })
      expect(await store.incidents.contacts(o.incident.id)).toEqual([o.contact])
      expect(await store.incidents.callers([o.contact.callerId, null])).toEqual([o.caller, null])
      expect(await store.incidents.events(o.incident.id)).toEqual(o.events)
    })

    it('commits many concurrent creates together, each exactly once with its own number', async () => {
      const batch = Array.from({ length: 300 }, () => opened())
      const results = await Promise.all(
        batch.map((o) => store.incidents.create(o, { key: `k-${o.incident.id}`, hash: 'h' })),
      )
      const numbers = results.map((r) => r.value.number)
      expect(new Set(numbers).size).toBe(300)
      for (const o of batch)
        expect((await store.incidents.get(o.incident.id))?.id).toBe(o.incident.id)
    })

    it('answers a repeated idempotency key with the first incident, even inside one batch', async () => {
      const a = opened()
      const b = opened()
      const [ra, rb] = await Promise.all([
        store.incidents.create(a, { key: 'same-key', hash: 'h1' }),
        store.incidents.create(b, { key: 'same-key', hash: 'h1' }),
      ])
      expect(ra.replayed).toBe(false)
      expect(rb).toMatchObject({ replayed: true, value: { id: a.incident.id } })
      expect(await store.incidents.get(b.incident.id)).toBeNull()
      expect(await store.incidents.contacts(b.incident.id)).toEqual([])
      await expect(
        store.incidents.create(opened(), { key: 'same-key', hash: 'other' }),
      ).rejects.toThrow(/already used/)
    })

    it('fails one bad write alone, leaving the rest of its batch and nothing half-written', async () => {
      const good = [opened(), opened()]
      const bad = opened({ callType: 'NOT_IN_CATALOGUE' })
      const settled = await Promise.allSettled(
        [good[0], bad, good[1]].map((o) => store.incidents.create(o!, null)),
      )
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(await store.incidents.get(bad.incident.id)).toBeNull()
      expect(await store.incidents.events(bad.incident.id)).toEqual([])
      expect(await store.incidents.contacts(bad.incident.id)).toEqual([])
    })

    it('issues report numbers in sequence to reports taken on the line, and to nothing else', async () => {
      const reports = [1, 2, 3].map(() =>
        opened({ status: 'closed', disposition: 'report_taken', mode: 'telephone_report' }),
      )
      const other = opened()
      const results = await Promise.all(
        [...reports, other].map((o) => store.incidents.create(o, null)),
      )
      const numbers = results.slice(0, 3).map((r) => r.value.reportNumber as string)
      expect(numbers.every((n) => /^R26-\d{6}$/.test(n))).toBe(true)
      expect(new Set(numbers).size).toBe(3)
      expect(numbers.map((n) => Number(n.slice(4))).sort((a, b) => a - b)).toEqual([1, 2, 3])
      expect(results[3]?.value.reportNumber).toBeNull()
      expect((await store.incidents.get(reports[0]!.incident.id))?.reportNumber).toBe(
        results[0]?.value.reportNumber,
      )
    })

    it('updates only from the expected version, appending the history entry in the same transaction', async () => {
      const o = opened()
      await store.incidents.create(o, null)
      const next = {
        ...o.incident,
        status: 'closed' as const,
        disposition: 'settled_by_phone' as const,
        version: 2,
      }
      const event = {
        incidentId: o.incident.id,
        at: T0,
        actor: 'x',
        kind: 'status_changed' as const,
        data: { to: 'closed' },
        reason: null,
      }
      await store.incidents.update(next, 1, event)
      await expect(store.incidents.update({ ...next, version: 3 }, 1, event)).rejects.toThrow(
        /changed by someone else/,
      )
      expect((await store.incidents.get(o.incident.id))?.status).toBe('closed')
      expect(await store.incidents.events(o.incident.id)).toHaveLength(3)
    })

    it('cuts the dispatch queue in the database exactly as the domain orders it', async () => {
      const modes = [
        'dispatch_immediate',
        'dispatch_delayed',
        'civilian_response',
        'referral',
      ] as const
      const statuses = ['pending', 'pending', 'pending', 'in_progress'] as const
      const hold = 30 * 60_000
      const mine = new Set<string>()
      for (let i = 0; i < 40; i++) {
        const mode = modes[i % modes.length] ?? 'dispatch_immediate'
        // Repeated times, so the tie-breaks are exercised too.
        const receivedAt = T0 - 2 * 3_600_000 + ((i * 37) % 12) * 10 * 60_000
        const o = opened({
          priority: 1 + ((i * 7) % 5),
          mode,
          status: statuses[(i * 3) % statuses.length],
          receivedAt,
          dueAt: dueAtFor(mode, receivedAt, hold),
        })
        mine.add(o.incident.id)
        await store.incidents.create(o, null)
      }
      const now = T0 + 3_600_000
      const all = await store.dispatch.queue(now, { due: 10_000, held: 10_000 })
      expect(all.dueTotal).toBe(all.due.length)
      expect(all.heldTotal).toBe(all.held.length)
      const waiting = [...all.due, ...all.held]
      expect(waiting.length).toBeGreaterThan(20)
      for (const q of waiting) {
        expect(needsUnit(q.mode)).toBe(true)
        if (mine.has(q.incidentId)) expect(q.dueAt).toEqual(dueAtFor(q.mode, q.receivedAt, hold))
      }
      const expected = dispatchQueue(waiting, now).map((l) => l.incident.incidentId)
      expect(all.due.map((q) => q.incidentId)).toEqual(expected)
      expect(all.held.every((q) => (q.dueAt ?? 0) > now)).toBe(true)
      const cut = await store.dispatch.queue(now, { due: 5, held: 2 })
      expect(cut.due.map((q) => q.incidentId)).toEqual(expected.slice(0, 5))
      expect(cut.held.map((q) => q.incidentId)).toEqual(
        all.held.slice(0, 2).map((q) => q.incidentId),
      )
      expect(cut.dueTotal).toBe(all.dueTotal)
    })

    it('keeps the rollups equal to counting every incident at once, batch after batch', async () => {
      // Created concurrently, so they arrive in several group-commit batches.
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store.incidents.create(
            opened({ receivedAt: T0 + i * 47 * 60_000, priority: 1 + (i % 3) }),
            null,
          ),
        ),
      )
      const all = await store.incidents.list({ limit: 100_000 })
      const expected = rollUp(all.map(rollupEventOf), localTimeIn('America/New_York'))
      const byKey = <T extends { n: number }>(rows: T[], key: (r: T) => string) =>
        Object.fromEntries(
          [...rows].map((r) => [key(r), r.n] as const).sort(([a], [b]) => a.localeCompare(b)),
        )
      const dayKey = (r: DayRow) => [r.day, r.callType, r.channel, r.priority, r.district].join('|')
      expect(byKey(await store.rollups.days('311', '2000-01-01', '2100-01-01'), dayKey)).toEqual(
        byKey(expected.days, dayKey),
      )
      const hourKey = (r: HourRow) => `${r.day}|${r.hour}`
      expect(byKey(await store.rollups.hours('311', '2000-01-01', '2100-01-01'), hourKey)).toEqual(
        byKey(expected.hours, hourKey),
      )
      const blocks = await store.rollups.places('block', '311', '2000-01', '2100-01')
      expect(blocks.reduce((s, b) => s + b.n, 0)).toBe(all.filter((i) => i.location?.block).length)
    })

    it('reads the calibration facts of a period: handle times, duplicates, declined referrals', async () => {
      const from = T0 + 400 * 86_400_000
      const a = opened({ receivedAt: from + 1000, createdAt: from + 1000 })
      a.contact = {
        ...a.contact,
        receivedAt: from + 1000,
        answeredAt: from + 2000,
        endedAt: from + 182_000,
      }
      const b = opened({
        receivedAt: from + 5000,
        createdAt: from + 5000,
        duplicateOf: a.incident.id,
      })
      // A web report has no call to time, and a call outside the period is not read.
      const web = opened({ receivedAt: from + 9000, createdAt: from + 9000, channel: 'web' })
      web.contact = { ...web.contact, channel: 'web', endedAt: from + 99_000 }
      const late = opened({ receivedAt: from + 10 * 86_400_000 })
      for (const o of [a, b, web, late]) await store.incidents.create(o, null)
      const facts = await store.evaluation.calibrationFacts(from, from + 86_400_000)
      expect(facts.handleSeconds311).toEqual([180])
      expect(facts.incidents).toEqual({ total: 3, duplicates: 1 })
      expect(facts.referrals).toMatchObject({ closed: 0, returned: 0 })
    })

    it('cuts the busiest places in the database, keeping every place tied at the cut', async () => {
      // 100 blocks with one call each and one with three, in a month nothing else uses.
      const at = Date.parse('1999-06-15T12:00:00Z')
      await store.history.addCalls(
        Array.from({ length: 103 }, (_, i) => ({
          source: 'contract-ties',
          sourceId: `t${i}`,
          receivedAt: at + i,
          sourceCallType: '415',
          callType: 'NOISE',
          priority: 3,
          disposition: null,
          block: i < 3 ? '1 BLOCK BUSY ST' : `${i} BLOCK QUIET ST`,
          lat: null,
          lon: null,
          h3: null,
          policeDistrict: null,
          beat: null,
        })),
        at,
      )
      const top = await store.rollups.topPlaces('block', ['911'], '1999-06', '1999-06', 2)
      expect(top).toMatchObject({ places: 101, total: 103 })
      expect(top.rows[0]).toEqual({ place: '1 BLOCK BUSY ST', n: 3 })
      // All hundred tied at one call come back, so the caller can break the tie its own way.
      expect(top.rows).toHaveLength(101)
      expect(await store.rollups.topPlaces('block', ['311'], '1999-06', '1999-06', 2)).toEqual({
        rows: [],
        places: 0,
        total: 0,
      })
    })

    it('counts whole years and the months at their edges as the months alone would, ties and all', async () => {
      // 1995-1997, years no other case uses: seven blocks, a call on one of them most months,
      // and two blocks that tie only when a year's count and an edge month's are added up.
      const mid = (year: number, month: number) =>
        Date.parse(`${year}-${String(month).padStart(2, '0')}-15T12:00:00Z`)
      const placed: Array<{ at: number; block: string }> = []
      for (let i = 0; i < 36 * 4; i++)
        placed.push({
          at: mid(1995 + Math.floor((i % 36) / 12), (i % 12) + 1) + i,
          block: `${i % 7} BLOCK YEAR ST`,
        })
      for (const m of [3, 8]) placed.push({ at: mid(1996, m), block: 'A BLOCK TIE ST' })
      placed.push({ at: mid(1997, 1), block: 'A BLOCK TIE ST' })
      for (const m of [2, 5, 11]) placed.push({ at: mid(1996, m), block: 'B BLOCK TIE ST' })
      await store.history.addCalls(
        placed.map((p, i) => ({
          source: 'contract-years',
          sourceId: `y${i}`,
          receivedAt: p.at,
          sourceCallType: '415',
          callType: 'NOISE',
          priority: 3,
          disposition: null,
          block: p.block,
          lat: null,
          lon: null,
          h3: null,
          policeDistrict: null,
          beat: null,
        })),
        T0,
      )
      const counted = (from: string, to: string) => {
        const counts = new Map<string, number>()
        for (const p of placed) {
          const month = new Date(p.at).toISOString().slice(0, 7)
          if (month >= from && month <= to) counts.set(p.block, (counts.get(p.block) ?? 0) + 1)
        }
        return counts
      }
      for (const [from, to] of [
        ['1995-01', '1997-12'],
        ['1995-03', '1997-10'],
        ['1995-03', '1995-09'],
        ['1995-12', '1996-12'],
        ['1996-01', '1996-12'],
        ['1996-01', '1997-01'],
        ['1995-06', '1996-01'],
        ['1994-01', '1998-12'],
        ['1997-05', '1995-05'],
      ] as const) {
        const expected = counted(from, to)
        const places = await store.rollups.places('block', '911', from, to)
        expect(new Map(places.map((p) => [p.place, p.n])), `${from} to ${to}`).toEqual(expected)
        const top = await store.rollups.topPlaces('block', ['311', '911'], from, to, 1)
        const counts = [...expected.values()].sort((a, b) => b - a)
        expect(top.total).toBe(counts.reduce((a, b) => a + b, 0))
        expect(top.places).toBe(expected.size)
        // The busiest first, at least every place tied with the busiest.
        expect(top.rows.map((r) => r.n)).toEqual(counts.slice(0, top.rows.length))
        expect(top.rows.length).toBeGreaterThanOrEqual(counts.filter((n) => n === counts[0]).length)
        for (const r of top.rows) expect(r.n).toBe(expected.get(r.place))
      }
      // A: two calls in 1996 (its year row) and one in January 1997 (a month row); B: three in
      // 1996. Cut just past the busier blocks, both come back.
      const busier = [...counted('1996-01', '1997-01').values()].filter((n) => n > 3).length
      const tied = await store.rollups.topPlaces('block', ['911'], '1996-01', '1997-01', busier + 1)
      expect(tied.rows.map((r) => r.place)).toEqual(
        expect.arrayContaining(['A BLOCK TIE ST', 'B BLOCK TIE ST']),
      )
    })

    it('rebuilds the rollups from the calls to the same counts they were kept at', async () => {
      await store.history.addCalls(
        Array.from({ length: 12 }, (_, i) => ({
          source: 'contract-cad',
          sourceId: `r${i}`,
          receivedAt: T0 + i * 5 * 3_600_000,
          sourceCallType: '415',
          callType: i % 2 ? 'NOISE' : null,
          priority: i % 4 === 0 ? null : 3,
          disposition: null,
          block: i % 3 ? `${i}00 BLOCK E PRATT ST` : null,
          lat: null,
          lon: null,
          h3: i % 3 ? '892aa8d4b63ffff' : null,
          policeDistrict: i % 5 ? 'Central' : null,
          beat: null,
        })),
        T0,
      )
      const snapshot = async () => ({
        days: (await store.rollups.days('311', '2000-01-01', '2100-01-01')).concat(
          await store.rollups.days('911', '2000-01-01', '2100-01-01'),
        ),
        hours: (await store.rollups.hours('311', '2000-01-01', '2100-01-01')).concat(
          await store.rollups.hours('911', '2000-01-01', '2100-01-01'),
        ),
        blocks: await store.rollups.places('block', '911', '2000-01', '2100-01'),
        // Whole years: read from the year rollup.
        years: (await store.rollups.topPlaces('block', ['311', '911'], '1990-01', '2100-12', 1e6))
          .rows,
        cells: await store.rollups.places('cell', '311', '2000-01', '2100-01'),
      })
      const sorted = (x: Awaited<ReturnType<typeof snapshot>>) =>
        Object.fromEntries(
          Object.entries(x).map(([k, rows]) => [
            k,
            rows.map((r) => JSON.stringify(r)).sort((a, b) => a.localeCompare(b)),
          ]),
        )
      const kept = sorted(await snapshot())
      expect(kept.days!.length).toBeGreaterThan(0)
      const progress: number[] = []
      const counted = await store.rollups.rebuild((done) => progress.push(done))
      expect(counted).toBe(progress.at(-1))
      expect(sorted(await snapshot())).toEqual(kept)
    })

    it('keeps the unit roster and each status change, saved only from the expected version', async () => {
      const unit: Unit = {
        id: 'u-2a31',
        callSign: '2A31',
        type: 'patrol',
        splitForceRole: 'call_response',
        shift: 'B',
        district: 'Central',
        beat: '111',
        activity: null,
        assignmentId: null,
        position: { lat: 39.290385, lon: -76.612189 },
        onDuty: true,
        crew: null,
        updatedAt: T0,
        version: 1,
      }
      await store.units.addUnit(unit)
      expect(await store.units.unit('u-2a31')).toEqual(unit)
      await expect(store.units.addUnit({ ...unit, id: 'u-other' })).rejects.toThrow(
        /call sign '2A31' is already on the roster/,
      )
      const enRoute = changeUnitActivity(
        { ...unit, assignmentId: 'a1' },
        'en_route',
        'disp',
        T0 + 1,
      )
      await store.units.recordStatus(enRoute.unit, 1, enRoute.event)
      // A second dispatcher working from the old version is refused, and writes nothing.
      const stale = changeUnitActivity(unit, 'out_of_service', 'other', T0 + 2)
      await expect(store.units.recordStatus(stale.unit, 1, stale.event)).rejects.toThrow(
        /2A31 was changed meanwhile/,
      )
      const onScene = changeUnitActivity(enRoute.unit, 'on_scene', 'disp', T0 + 3)
      await store.units.recordStatus(onScene.unit, 2, onScene.event)
      expect((await store.units.unit('u-2a31'))?.activity).toBe('on_scene')
      expect((await store.units.history('u-2a31')).map((e) => [e.from, e.to, e.at])).toEqual([
        [null, 'en_route', T0 + 1],
        ['en_route', 'on_scene', T0 + 3],
      ])
      expect((await store.units.units()).map((u) => u.callSign)).toContain('2A31')
      // Nobody rewrites where a unit was: the database itself refuses.
      await expect(rawExec("UPDATE unit_status_event SET by = 'someone else'")).rejects.toThrow(
        /append-only/,
      )
      await expect(rawExec('DELETE FROM unit_status_event')).rejects.toThrow(/append-only/)
    })

    it('keeps the audit log append-only in the database itself', async () => {
      await store.audit.append([
        {
          at: T0,
          actor: 'a',
          actorKind: 'user',
          action: 'login',
          outcome: 'success',
          targetType: null,
          targetId: null,
          ip: '127.0.0.1',
          details: { x: 1 },
        },
      ])
      expect((await store.audit.search({ limit: 5, action: 'login' }))[0]).toMatchObject({
        actor: 'a',
        details: { x: 1 },
        ip: '127.0.0.1',
      })
      await expect(rawExec("UPDATE audit_event SET actor = 'someone else'")).rejects.toThrow(
        /append-only/,
      )
      await expect(rawExec('DELETE FROM audit_event')).rejects.toThrow(/append-only/)
    })

    it('keeps incident history append-only in the database itself', async () => {
      await expect(rawExec("UPDATE incident_event SET actor = 'someone else'")).rejects.toThrow(
        /append-only/,
      )
      await expect(rawExec('DELETE FROM incident_event')).rejects.toThrow(/append-only/)
    })

    it('finds duplicate candidates: open, same family, in the cells, since the time', async () => {
      const cell = '892aa8d4b6bffff'
      const base = {
        location: {
          text: 'x',
          lat: 39.29,
          lon: -76.61,
          h3: cell,
          block: null,
          segmentId: null,
          policeDistrict: null,
          beat: null,
          neighborhood: null,
        },
      }
      const hit = opened({ ...base, family: 'DUPTEST', receivedAt: T0 + 10_000 })
      const closed = opened({
        ...base,
        family: 'DUPTEST',
        status: 'closed',
        disposition: 'cancelled',
        receivedAt: T0 + 10_000,
      })
      const otherFamily = opened({ ...base, family: 'OTHER', receivedAt: T0 + 10_000 })
      const old = opened({ ...base, family: 'DUPTEST', receivedAt: T0 - 10_000_000 })
      const elsewhere = opened({
        ...base,
        family: 'DUPTEST',
        location: { ...base.location, h3: '892aa8d4b2bffff' },
      })
      for (const o of [hit, closed, otherFamily, old, elsewhere])
        await store.incidents.create(o, null)
      await store.incidents.linkContact(
        { ...hit.contact, id: `${hit.contact.id}-2` },
        null,
        { ...hit.events[0]!, kind: 'contact_linked' },
        { key: 'link-key', hash: 'h' },
      )
      const rows = await store.incidents.duplicateCandidates(
        'DUPTEST',
        [cell, '89ffffffffffff'],
        T0,
      )
      expect(rows.map((r) => r.id)).toEqual([hit.incident.id])
      expect(rows[0]).toMatchObject({
        family: 'DUPTEST',
        contactCount: 2,
        lat: 39.29,
        lon: -76.61,
        receivedAt: T0 + 10_000,
      })
      const replay = await store.incidents.linkContact(
        { ...hit.contact, id: 'another-id' },
        null,
        { ...hit.events[0]!, kind: 'contact_linked' },
        { key: 'link-key', hash: 'h' },
      )
      expect(replay).toMatchObject({ replayed: true, value: { id: `${hit.contact.id}-2` } })
    })

    it('lists incidents newest first with filters and keyset paging', async () => {
      const page1 = await store.incidents.list({ limit: 3 })
      expect(page1).toHaveLength(3)
      const numbers = page1.map((i) => i.number as number)
      expect([...numbers].sort((a, b) => b - a)).toEqual(numbers)
      const page2 = await store.incidents.list({ limit: 3, beforeNumber: numbers[2] })
      expect(page2[0]!.number).toBeLessThan(numbers[2]!)
      const closed = await store.incidents.list({ limit: 50, status: ['closed'] })
      expect(closed.length).toBeGreaterThan(0)
      expect(closed.every((i) => i.status === 'closed')).toBe(true)
    })

    it('keeps problems with their places, links and append-only history, numbered by year', async () => {
      const place = (block: string | null, h3: string | null, receivedAt: number) =>
        opened({
          receivedAt,
          location: {
            text: 'x',
            lat: 39.3,
            lon: -76.6,
            h3,
            block,
            segmentId: null,
            policeDistrict: null,
            beat: null,
            neighborhood: null,
          },
        })
      const a = place('10 BLOCK PROBLEM ST', null, T0)
      const b = place('10 BLOCK PROBLEM ST', null, T0)
      for (const o of [a, b]) await store.incidents.create(o, null)
      const made = openProblem({
        id: 'problem-1',
        title: 'Noise at the corner store',
        origin: { kind: 'selection', incidentIds: [a.incident.id] },
        blocks: ['10 BLOCK PROBLEM ST'],
        cells: ['892aa8c290bffff'],
        incidentIds: [a.incident.id],
        actor: 'ana',
        now: T0,
      })
      const first = await store.problems.create(made.problem, [made.event])
      const second = await store.problems.create(
        { ...made.problem, id: 'problem-2', links: [] },
        [],
      )
      expect([first.number, second.number]).toEqual(['P-2026-0001', 'P-2026-0002'])
      expect(await store.problems.problem('problem-1')).toEqual(first)

      const linked = linkIncidents(first, [b.incident.id], 'ana', T0 + 1)
      const moved = advanceStage(linked.problem, 'scanning', 'seen', 'ana', T0 + 2, '2026-11-22')
      const owned = { ...moved.problem, owner: { kind: 'nsc' as const, id: 'NSC', name: 'NSC' } }
      await store.problems.update(owned, first.version, [...linked.events, moved.event])
      await expect(store.problems.update(owned, first.version, [])).rejects.toThrow(/meanwhile/)
      const unlinked = unlinkIncident(owned, a.incident.id, 'ana', T0 + 3)
      await store.problems.update(unlinked.problem, owned.version, [unlinked.event])
      const back = await store.problems.problem('problem-1')
      expect(back).toEqual(unlinked.problem)
      expect(back?.links.map((l) => l.incidentId)).toEqual([b.incident.id])
      expect((await store.problems.events('problem-1')).map((e) => e.kind)).toEqual([
        'created',
        'incident_linked',
        'stage_changed',
        'incident_unlinked',
      ])
      expect(
        (await store.problems.list({ limit: 10, stage: ['analysis'] })).map((p) => p.id),
      ).toEqual(['problem-1'])
      expect(
        (await store.problems.list({ limit: 10, ownerKind: 'nsc', ownerId: 'NSC' })).map(
          (p) => p.id,
        ),
      ).toEqual(['problem-1'])
      expect((await store.problems.list({ limit: 10 })).map((p) => p.id)).toEqual([
        'problem-1',
        'problem-2',
      ])
      await expect(rawExec("UPDATE problem_event SET actor = 'someone else'")).rejects.toThrow(
        /append-only/,
      )
      await expect(rawExec('DELETE FROM problem_event')).rejects.toThrow(/append-only/)
    })

    it("counts a problem's 311 and 911 calls per local day, on its blocks or cells, once each", async () => {
      const BLOCK = '20 BLOCK COUNTED AVE'
      const CELL = '892aa8c286fffff'
      // The store's zone is America/New_York: 03:00 UTC on 2 March is 22:00 on 1 March there.
      const lateEvening = Date.parse('2026-03-02T03:00:00Z')
      const noon = Date.parse('2026-03-02T17:00:00Z')
      const make = (block: string | null, h3: string | null, receivedAt: number, dup?: string) =>
        opened({
          receivedAt,
          duplicateOf: dup ?? null,
          location: {
            text: 'x',
            lat: null,
            lon: null,
            h3,
            block,
            segmentId: null,
            policeDistrict: null,
            beat: null,
            neighborhood: null,
          },
        })
      const original = make(BLOCK, null, lateEvening)
      for (const o of [
        original,
        make(BLOCK, CELL, noon), // on the block and in the cell: one call
        make(null, CELL, noon),
        make(BLOCK, null, noon, original.incident.id), // the same trouble reported again
        make('21 BLOCK ELSEWHERE AVE', null, noon),
        make(BLOCK, null, Date.parse('2026-04-02T17:00:00Z')), // after the days asked for
      ])
        await store.incidents.create(o, null)
      const call = (sourceId: string, block: string | null, h3: string | null, at: number) => ({
        source: 'contract',
        sourceId,
        receivedAt: at,
        sourceCallType: 'DIST',
        callType: null,
        priority: 2,
        disposition: null,
        block,
        lat: null,
        lon: null,
        h3,
        policeDistrict: null,
        beat: null,
      })
      await store.history.addCalls(
        [
          call('c1', BLOCK, null, lateEvening),
          call('c2', null, CELL, lateEvening),
          call('c3', '21 BLOCK ELSEWHERE AVE', null, noon),
        ],
        noon,
      )
      const counts = await store.problems.dailyCounts(
        { blocks: [BLOCK], cells: [CELL] },
        '2026-03-01',
        '2026-03-31',
      )
      expect(counts).toEqual({
        '311': [
          { date: '2026-03-01', count: 1 },
          { date: '2026-03-02', count: 2 },
        ],
        '911': [{ date: '2026-03-01', count: 2 }],
      })
      const blockOnly = await store.problems.dailyCounts(
        { blocks: [BLOCK], cells: [] },
        '2026-03-02',
        '2026-03-02',
      )
      expect(blockOnly).toEqual({ '311': [{ date: '2026-03-02', count: 1 }], '911': [] })
    })

    it('keeps registrants and their health details apart; versions, boxes, critical points', async () => {
      const r = {
        id: 'reg-1',
        name: 'Dora Dialysis',
        phone: '410-555-0101',
        language: 'en',
        address: {
          text: '500 S ANN ST',
          lat: 39.2857,
          lon: -76.5915,
          block: '500 BLOCK S ANN ST',
          segmentId: 'seg-1',
          policeDistrict: 'Central',
          neighborhood: 'Upper Fells Point',
        },
        consent: {
          givenBy: 'Dora Dialysis',
          givenAt: T0,
          method: 'signed_form' as const,
          recordedBy: 'em',
        },
        verifiedAt: T0,
        reverifyBy: T0 + 365 * 86_400_000,
        createdAt: T0,
        updatedAt: T0,
        version: 1,
      }
      await store.registry.create(r, {
        needs: ['dialysis'],
        contacts: [
          { name: 'Sam', phone: '410-555-0199', relationship: 'son' },
          { name: 'Ria', phone: '410-555-0198', relationship: 'neighbour' },
        ],
        notes: 'Mon/Wed/Fri',
      })
      await store.registry.create(
        { ...r, id: 'reg-2', name: 'Mo', address: { ...r.address, lat: 39.32, lon: -76.61 } },
        { needs: ['mobility'], contacts: [], notes: '' },
      )
      expect(await store.registry.registrant('reg-1')).toEqual(r)
      expect((await store.registry.list({ limit: 10 })).map((x) => x.id)).toEqual([
        'reg-1',
        'reg-2',
      ])
      const box = [-76.6, 39.28, -76.58, 39.29] as const
      expect((await store.registry.inBox(box, 10)).map((x) => x.id)).toEqual(['reg-1'])
      const health = await store.registry.health(['reg-1', 'reg-2'])
      expect(health.get('reg-1')).toEqual({
        needs: ['dialysis'],
        contacts: [
          { name: 'Sam', phone: '410-555-0199', relationship: 'son' },
          { name: 'Ria', phone: '410-555-0198', relationship: 'neighbour' },
        ],
        notes: 'Mon/Wed/Fri',
      })
      // Only the critical need (dialysis) is a plow point, and only its place is given.
      expect(await store.registry.criticalPoints([-77, 39, -76, 40])).toEqual([
        {
          lat: 39.2857,
          lon: -76.5915,
          policeDistrict: 'Central',
          neighborhood: 'Upper Fells Point',
        },
      ])
      await store.registry.update({ ...r, name: 'Dora D.', version: 2 }, 1, {
        needs: ['oxygen', 'dialysis'],
        contacts: [],
        notes: '',
      })
      await expect(store.registry.update({ ...r, version: 2 }, 1, null)).rejects.toThrow(
        /changed meanwhile/,
      )
      expect((await store.registry.health(['reg-1'])).get('reg-1')).toEqual({
        needs: ['oxygen', 'dialysis'],
        contacts: [],
        notes: '',
      })
      await store.registry.addWellnessCall({
        id: 'w1',
        registrantId: 'reg-1',
        activationId: 'act-1',
        outcome: 'not_reached',
        next: 'try_again',
        at: T0,
        by: 'ct',
        incidentId: null,
      })
      expect(await store.registry.wellnessCalls('act-1')).toMatchObject([{ id: 'w1', at: T0 }])
    })

    it('keeps a plow state per segment (upsert) and critical places by box', async () => {
      await store.snow.setPlowState('seg-1', 'in_progress', T0, 'em')
      await store.snow.setPlowState('seg-1', 'plowed', T0 + 1, 'em')
      await store.snow.setPlowState('seg-2', 'in_progress', T0, 'em')
      const states = await store.snow.plowStates(['seg-1', 'seg-2', 'seg-3'])
      expect([...states.entries()].sort()).toEqual([
        ['seg-1', 'plowed'],
        ['seg-2', 'in_progress'],
      ])
      await store.snow.addCriticalPlace({
        id: 'cp-1',
        kind: 'hospital',
        name: 'Johns Hopkins Hospital',
        address: '1800 ORLEANS ST',
        lat: 39.2963,
        lon: -76.5929,
      })
      expect(await store.snow.criticalPlaces([-76.6, 39.29, -76.59, 39.3])).toMatchObject([
        { id: 'cp-1', kind: 'hospital', lat: 39.2963 },
      ])
      expect(await store.snow.criticalPlaces([-76.7, 39.1, -76.69, 39.2])).toEqual([])
    })

    it('keeps activations: current ones by period, deactivation, incident tags and counts', async () => {
      const base = {
        mode: 'snow' as const,
        title: 'Snow emergency',
        area: { kind: 'police_district' as const, names: ['Central'] },
        callTypes: ['SNOW_HAZARD'],
        publicBanner: 'Move cars off snow routes.',
        activatedBy: 'em',
        activatedAt: T0,
        deactivatedBy: null,
        deactivatedAt: null,
      }
      await store.activations.save({ ...base, id: 'act-open', startsAt: T0, endsAt: null })
      await store.activations.save({ ...base, id: 'act-ends', startsAt: T0, endsAt: T0 + 10 })
      await store.activations.save({ ...base, id: 'act-later', startsAt: T0 + 100, endsAt: null })
      const ids = async (t: number) => (await store.activations.current(t)).map((a) => a.id).sort()
      expect(await ids(T0 + 5)).toEqual(['act-ends', 'act-open'])
      expect(await ids(T0 + 10)).toEqual(['act-open'])
      expect(await ids(T0 + 100)).toEqual(['act-later', 'act-open'])
      const open = (await store.activations.get('act-open'))!
      expect(open).toMatchObject({ area: base.area, callTypes: ['SNOW_HAZARD'], endsAt: null })
      await store.activations.save({ ...open, deactivatedBy: 'em', deactivatedAt: T0 + 50 })
      expect(await ids(T0 + 100)).toEqual(['act-later'])
      expect((await store.activations.get('act-open'))?.deactivatedAt).toBe(T0 + 50)

      const o = opened()
      await store.incidents.create(o, null)
      await store.activations.tagIncident(o.incident.id, 'act-open')
      expect(await store.activations.incidentCount('act-open')).toBe(1)
      expect(await store.activations.incidentCount('act-later')).toBe(0)
    })

    it('keeps knowledge versions (one number each, approval once) and what a caller was told', async () => {
      const article = {
        id: 'art-1',
        title: 'Unplowed streets',
        audience: 'call_takers' as const,
        callType: 'SNOW_UNPLOWED_STREET',
        activationId: null,
        createdAt: T0,
        createdBy: 'em',
      }
      const v1 = {
        id: 'kv-1',
        articleId: 'art-1',
        version: 1,
        body: 'Main roads first.',
        author: 'em',
        createdAt: T0,
        validFrom: T0,
        validTo: null,
        approvedBy: null,
        approvedAt: null,
      }
      await store.knowledge.createArticle(article, v1)
      await expect(store.knowledge.addVersion({ ...v1, id: 'kv-dup' })).rejects.toMatchObject({
        code: 'stale_article',
      })
      await store.knowledge.addVersion({ ...v1, id: 'kv-2', version: 2, validTo: T0 + 99 })
      expect(await store.knowledge.approve({ ...v1, approvedBy: 'sup', approvedAt: T0 + 1 })).toBe(
        true,
      )
      expect(await store.knowledge.approve({ ...v1, approvedBy: 'x', approvedAt: T0 + 2 })).toBe(
        false,
      )
      expect(await store.knowledge.versions(['art-1'])).toMatchObject([
        { id: 'kv-1', approvedBy: 'sup', approvedAt: T0 + 1, validTo: null },
        { id: 'kv-2', approvedBy: null, validTo: T0 + 99 },
      ])
      expect(await store.knowledge.articles({ callType: 'SNOW_UNPLOWED_STREET' })).toMatchObject([
        { id: 'art-1', audience: 'call_takers' },
      ])
      expect(await store.knowledge.articles({ audience: 'public' })).toEqual([])

      const o = opened()
      await store.incidents.create(o, null)
      await store.knowledge.recordGiven({
        incidentId: o.incident.id,
        at: T0,
        actor: 'ct',
        knowledgeVersionId: 'kv-1',
        facilityId: null,
        distanceMetres: null,
        canReach: null,
        callbackId: null,
      })
      expect(await store.knowledge.givenOn(o.incident.id)).toEqual([
        {
          incidentId: o.incident.id,
          at: T0,
          actor: 'ct',
          knowledgeVersionId: 'kv-1',
          facilityId: null,
          distanceMetres: null,
          canReach: null,
          callbackId: null,
        },
      ])
    })

    it('keeps facilities (upsert) and lists them by kind and status', async () => {
      const f = {
        id: 'fac-1',
        kind: 'warming_centre' as const,
        name: 'City Hall warming centre',
        address: '100 N Holliday St',
        lat: 39.2909,
        lon: -76.6108,
        policeDistrict: 'Central',
        neighborhood: 'Downtown',
        hours: '24 hours',
        capacity: 80,
        accessibility: 'step-free',
        transit: 'Circulator',
        parking: 'garage',
        status: 'open' as const,
        updatedAt: T0,
        updatedBy: 'em',
      }
      await store.facilities.save(f)
      await store.facilities.save({ ...f, id: 'fac-2', kind: 'shelter', name: 'A shelter' })
      await store.facilities.save({ ...f, status: 'full', updatedAt: T0 + 1 })
      expect(await store.facilities.get('fac-1')).toEqual({
        ...f,
        status: 'full',
        updatedAt: T0 + 1,
      })
      expect((await store.facilities.list({ status: 'open' })).map((x) => x.id)).toEqual(['fac-2'])
      expect((await store.facilities.list({ kind: 'warming_centre' })).map((x) => x.id)).toEqual([
        'fac-1',
      ])
    })
  })
}
