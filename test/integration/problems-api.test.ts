import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/app/accounts/manage-accounts.js'
import type { AppDeps } from '../../src/app/deps.js'
import { moveStage } from '../../src/app/problems/problems.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

const BLOCK = '400 BLOCK E PRATT ST'
const OTHER = '500 BLOCK E PRATT ST'
const DAY = 86_400_000
/** Noon in Baltimore on a date of the test (EST, UTC−5, in October and November 2026). */
const noonOn = (day: string) => Date.parse(`${day}T17:00:00Z`)

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: problems (problem-oriented policing) API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      // Sunday 22 November 2026, 10:00 in Baltimore.
      const clock = manualClock(Date.parse('2026-11-22T15:00:00Z'))

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, { clock }))
        await createUser(
          deps,
          { id: 'test', roles: ['admin'], kind: 'system' },
          {
            username: 'olly',
            displayName: 'Officer Olly',
            password: 'a long patrol passphrase',
            roles: ['officer'],
            district: 'Central',
          },
        )
      })
      afterAll(async () => close())

      const send = (
        method: 'POST' | 'PUT' | 'DELETE',
        url: string,
        payload: unknown,
        role = 'analyst',
      ) => app.inject({ method, url, payload: payload as object, headers: auth(role) })
      const post = (url: string, payload: unknown, role = 'analyst') =>
        send('POST', url, payload, role)
      const get = (url: string, role = 'analyst') => app.inject({ url, headers: auth(role) })

      /** A 311 call on a block, received at a given time. */
      const call311 = async (block: string, receivedAt: number) => {
        const res = await post(
          '/api/incidents',
          {
            callType: 'NOISE',
            contact: {
              channel: 'phone_311',
              receivedAt: new Date(receivedAt).toISOString(),
              caller: { anonymous: true },
            },
            location: { text: `${block.split(' ')[0]} E PRATT ST`, block },
            answers: { source: 'music' },
          },
          'call_taker',
        )
        expect(res.statusCode).toBe(201)
        return res.json() as { id: string; number: string }
      }

      it('opens a problem from a hot spot of blocks, numbered and in scanning', async () => {
        const res = await post('/api/problems', {
          title: 'Late-night noise on Pratt Street',
          description: 'Parties after closing time at the corner bar',
          blocks: [BLOCK, ' 500 block e pratt st '],
          owner: { kind: 'nsc', id: 'NSC' },
        })
        expect(res.statusCode).toBe(201)
        expect(res.json()).toMatchObject({
          number: 'P-2026-0001',
          stage: 'scanning',
          blocks: [BLOCK, OTHER],
          origin: { kind: 'hot_spot', places: 'block' },
          owner: { kind: 'nsc', id: 'NSC', name: 'Neighborhood Service Center' },
          incidentCount: 0,
          responseStart: null,
        })
        const audited = (await get('/api/audit?action=problem_created', 'admin')).json()
        expect(audited.events[0]).toMatchObject({ targetType: 'problem', targetId: res.json().id })
      })

      it('opens a problem from a selection of incidents, taking their blocks', async () => {
        const a = await call311(BLOCK, clock.now() - DAY)
        const b = await call311(OTHER, clock.now() - DAY)
        const res = await post('/api/problems', {
          title: 'Two noisy blocks',
          incidents: [a.number, b.id],
        })
        expect(res.statusCode).toBe(201)
        expect(res.json()).toMatchObject({
          blocks: [BLOCK, OTHER].sort(),
          incidentCount: 2,
          origin: { kind: 'selection', incidentIds: [a.id, b.id] },
        })
      })

      it('refuses bad input with a 400 naming each field, never a 500', async () => {
        const cases: Array<[unknown, string[]]> = [
          [{ title: 'No places at all' }, ['body.blocks']],
          [{ title: 'x', blocks: [BLOCK] }, ['title']],
          [{ title: 'Bad cell', cells: ['zzz', '892aa8d4b63ffff'] }, ['cells.0']],
          [{ title: 'Finer cell', cells: ['8a2aa8d4b637fff'] }, ['cells.0']],
          [
            { title: 'Unknown calls', incidents: ['311-9999999', 'nope'] },
            ['incidents.0', 'incidents.1'],
          ],
          [
            { title: 'Bad owner', blocks: [BLOCK], owner: { kind: 'agency', id: 'NSC' } },
            ['owner.id'],
          ],
          [
            { title: 'Not an officer', blocks: [BLOCK], owner: { kind: 'officer', id: 'nobody' } },
            ['owner.id'],
          ],
          [{ title: 'Extra', blocks: [BLOCK], colour: 'red' }, ['body']],
        ]
        for (const [body, paths] of cases) {
          const res = await post('/api/problems', body)
          expect(res.statusCode, JSON.stringify(body)).toBe(400)
          const problems = res.json().error.problems as Array<{ path: string }>
          for (const path of paths)
            expect(problems.map((p) => p.path).join(' '), JSON.stringify(body)).toContain(path)
        }
        expect((await get('/api/problems/no-such-problem')).statusCode).toBe(404)
        expect((await get('/api/problems?stage=done')).statusCode).toBe(400)
        expect((await get('/api/problems/x?windowDays=2')).statusCode).toBe(400)
      })

      it('takes a coarser hot-spot cell as its children at the store resolution', async () => {
        // A resolution-8 cell holds 7 cells of resolution 9 (the test store's).
        const res = await post('/api/problems', { title: 'A cell', cells: ['882aa8d4b7fffff'] })
        expect(res.statusCode).toBe(201)
        expect(res.json().cells).toHaveLength(7)
      })

      it('follows SARA: advance one stage at a time, back only with a reason', async () => {
        const p = (await post('/api/problems', { title: 'Drug corner', blocks: [BLOCK] })).json()
        const stage = (body: unknown, role = 'analyst') =>
          post(`/api/problems/${p.id}/stage`, body, role)
        expect(
          (await stage({ direction: 'advance', from: 'scanning', text: 'seen' })).json(),
        ).toMatchObject({
          stage: 'analysis',
        })
        const stale = await stage({ direction: 'advance', from: 'scanning' })
        expect(stale.statusCode).toBe(409)
        expect(stale.json().error.code).toBe('stage_changed_meanwhile')
        const toResponse = await stage({ direction: 'advance', from: 'analysis' })
        expect(toResponse.json()).toMatchObject({ stage: 'response', responseStart: '2026-11-22' })
        const noReason = await stage({ direction: 'back', from: 'response' })
        expect(noReason.statusCode).toBe(400)
        expect(noReason.json().error.problems[0].path).toBe('reason')
        const back = await stage({ direction: 'back', from: 'response', text: 'owner not ready' })
        expect(back.json()).toMatchObject({ stage: 'analysis', responseStart: null })
        const events = (await get(`/api/problems/${p.id}`)).json().events
        expect(events.map((e: { kind: string }) => e.kind)).toEqual([
          'created',
          'stage_changed',
          'stage_changed',
          'stage_changed',
        ])
        expect(events[3]).toMatchObject({ text: 'owner not ready', data: { back: true } })
      })

      it('links and unlinks incidents, and keeps notes', async () => {
        const p = (await post('/api/problems', { title: 'Graffiti wall', blocks: [BLOCK] })).json()
        const i = await call311(BLOCK, clock.now() - 2 * DAY)
        const linked = await post(`/api/problems/${p.id}/incidents`, { incidents: [i.number] })
        expect(linked.json()).toMatchObject({ incidentCount: 1 })
        const again = await post(`/api/problems/${p.id}/incidents`, { incidents: [i.id] })
        expect(again.json()).toMatchObject({ incidentCount: 1, version: linked.json().version })
        const unknown = await post(`/api/problems/${p.id}/incidents`, {
          incidents: ['311-8888888'],
        })
        expect(unknown.statusCode).toBe(400)
        const view = (await get(`/api/problems/${p.id}`)).json()
        expect(view.incidents).toEqual([
          expect.objectContaining({ id: i.id, number: i.number, callType: 'NOISE' }),
        ])
        expect(JSON.stringify(view)).not.toContain('caller')
        const note = await post(`/api/problems/${p.id}/notes`, { text: 'Met the owner' })
        expect(note.statusCode).toBe(201)
        expect((await post(`/api/problems/${p.id}/notes`, { text: '  ' })).statusCode).toBe(400)
        const unlinked = await send('DELETE', `/api/problems/${p.id}/incidents/${i.id}`, undefined)
        expect(unlinked.json()).toMatchObject({ incidentCount: 0 })
        expect(
          (await send('DELETE', `/api/problems/${p.id}/incidents/${i.id}`, undefined)).statusCode,
        ).toBe(409)
      })

      it('counts 311 and 911 calls on its blocks before and after the response start', async () => {
        const p = (
          await post('/api/problems', {
            title: 'Fights outside the club',
            blocks: ['900 BLOCK CLUB ST'],
          })
        ).json()
        // Before 1 November: 6 calls in the two weeks; after: 1. And calls elsewhere, or
        // outside the windows, that must not count.
        for (const day of ['2026-10-19', '2026-10-20', '2026-10-25', '2026-10-30', '2026-10-31'])
          await call311('900 BLOCK CLUB ST', noonOn(day))
        await call311('900 BLOCK CLUB ST', Date.parse('2026-11-01T03:30:00Z')) // 31 Oct, 22:30 local
        await call311('900 BLOCK CLUB ST', noonOn('2026-11-03'))
        await call311('900 BLOCK CLUB ST', noonOn('2026-10-17'))
        await call311('901 BLOCK CLUB ST', noonOn('2026-11-03'))
        const call911 = (sourceId: string, day: string, block = '900 BLOCK CLUB ST') => ({
          source: 'cad',
          sourceId,
          receivedAt: noonOn(day),
          sourceCallType: 'FIGHT',
          callType: null,
          priority: 1,
          disposition: null,
          block,
          lat: null,
          lon: null,
          h3: null,
          policeDistrict: null,
          beat: null,
        })
        await deps.store.history.addCalls(
          [
            call911('a', '2026-10-20'),
            call911('b', '2026-10-21'),
            call911('c', '2026-11-02'),
            call911('d', '2026-11-05'),
            call911('e', '2026-11-05', 'ELSEWHERE'),
          ],
          clock.now(),
        )
        const before = (await get(`/api/problems/${p.id}?windowDays=14`)).json()
        // No response yet: the split is today, and only the two weeks before it have days.
        expect(before.counts).toMatchObject({ provisional: true, splitDay: '2026-11-22' })
        expect(before.counts['311'].after.days).toBe(0)

        const future = await send('PUT', `/api/problems/${p.id}/response-start`, {
          day: '2026-12-01',
        })
        expect(future.statusCode).toBe(400)
        const set = await send('PUT', `/api/problems/${p.id}/response-start`, { day: '2026-11-01' })
        expect(set.json()).toMatchObject({
          responseStart: '2026-11-01',
          responseStartSetByHand: true,
        })
        const v = (await get(`/api/problems/${p.id}?windowDays=14`)).json()
        expect(v.counts.provisional).toBe(false)
        expect(v.counts['311']).toMatchObject({
          splitDay: '2026-11-01',
          before: { from: '2026-10-18', to: '2026-10-31', days: 14, count: 6 },
          after: { from: '2026-11-01', to: '2026-11-14', days: 14, count: 1 },
        })
        expect(v.counts['311'].changePct).toBeCloseTo((100 * (1 - 6)) / 6, 10)
        // 1 of 7 after, at p = 1/2: 2·(1 + 7)/128.
        expect(v.counts['311'].pValue).toBeCloseTo(16 / 128, 12)
        expect(v.counts['911']).toMatchObject({
          before: { count: 2 },
          after: { count: 2 },
          changePct: 0,
          significant: false,
        })
      })

      it('documents its routes in the OpenAPI document', async () => {
        const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining([
            '/api/problems',
            '/api/problems/{id}',
            '/api/problems/{id}/stage',
            '/api/problems/{id}/incidents/{incidentId}',
          ]),
        )
      })

      it('lists by stage and owner; an officer works only the problems they own', async () => {
        const p = (
          await post('/api/problems', {
            title: 'Open-air market',
            blocks: ['1 BLOCK MARKET PL'],
            owner: { kind: 'officer', id: 'olly' },
          })
        ).json()
        expect(p.owner).toEqual({ kind: 'officer', id: 'olly', name: 'Officer Olly' })
        const owners = (await get('/api/problems/owners')).json().owners
        expect(owners).toContainEqual({ kind: 'officer', id: 'olly', name: 'Officer Olly' })
        expect(owners).toContainEqual({ kind: 'agency', id: 'DPW', name: 'Public Works' })
        const mineFor = (await get('/api/problems?ownerKind=officer&ownerId=olly')).json()
        expect(mineFor.problems.map((x: { id: string }) => x.id)).toEqual([p.id])
        const scanning = (await get('/api/problems?stage=scanning&limit=500', 'officer')).json()
        expect(scanning.problems.length).toBeGreaterThan(1)
        expect(scanning.problems.every((x: { stage: string }) => x.stage === 'scanning')).toBe(true)
        // The officer token is not olly: it may read, not work, this problem.
        const refused = await post(
          `/api/problems/${p.id}/stage`,
          { direction: 'advance', from: 'scanning' },
          'officer',
        )
        expect(refused.statusCode).toBe(403)
        expect((await get(`/api/problems/${p.id}`, 'officer')).json().abilities).toEqual({
          'problem:manage': false,
          'problem:work': false,
        })
        // Olly may.
        const moved = await moveStage(deps, { id: 'olly', roles: ['officer'] }, p.id, {
          direction: 'advance',
          from: 'scanning',
        })
        expect(moved.stage).toBe('analysis')
        for (const role of ['call_taker', 'dispatcher', 'agency_liaison'])
          expect((await get('/api/problems', role)).statusCode, role).toBe(403)
        expect(
          (await post('/api/problems', { title: 'Not mine to open', blocks: [BLOCK] }, 'officer'))
            .statusCode,
        ).toBe(403)
        const reowned = await send('PUT', `/api/problems/${p.id}/owner`, {
          kind: 'agency',
          id: 'DPW',
        })
        expect(reowned.json().owner).toEqual({ kind: 'agency', id: 'DPW', name: 'Public Works' })
        const same = await send('PUT', `/api/problems/${p.id}/owner`, { kind: 'agency', id: 'DPW' })
        expect(same.statusCode).toBe(409)
      })
    },
  )
}
