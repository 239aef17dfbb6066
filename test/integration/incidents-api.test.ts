import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

const HARBOR = { text: '400 E PRATT ST', lat: 39.2866, lon: -76.6106 }
const NEARBY = { text: '410 E PRATT ST', lat: 39.2867, lon: -76.6101 } // ~45 m away
const FAR = { text: '3000 GREENMOUNT AVE', lat: 39.3253, lon: -76.6094 }

const anonymousCall = (over: Record<string, unknown> = {}) => ({
  callType: 'NOISE',
  contact: { channel: 'phone_311', caller: { anonymous: true } },
  location: HARBOR,
  answers: { source: 'music' },
  ...over,
})

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: incidents API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      const clock = manualClock()

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, { clock }))
      })
      afterAll(async () => close())

      const post = (url: string, payload: unknown, headers: Record<string, string> = auth()) =>
        app.inject({ method: 'POST', url, payload: payload as object, headers })
      const get = (url: string, headers: Record<string, string> = auth()) =>
        app.inject({ method: 'GET', url, headers })

      it('refuses a request with no token (401) and a role without the right (403)', async () => {
        const none = await app.inject({
          method: 'POST',
          url: '/api/incidents',
          payload: anonymousCall(),
        })
        expect(none.statusCode).toBe(401)
        expect(none.json().error.code).toBe('unauthenticated')
        const analyst = await post('/api/incidents', anonymousCall(), auth('analyst'))
        expect(analyst.statusCode).toBe(403)
        expect(analyst.json().error).toMatchObject({
          code: 'forbidden',
          message: 'not allowed to incident:create',
        })
        expect(await deps.store.incidents.count()).toBe(0)
      })

      it('opens an anonymous call with its triage and explanation, leaving no identity', async () => {
        const res = await post('/api/incidents', anonymousCall(), auth('call_taker'))
        expect(res.statusCode).toBe(201)
        const body = res.json()
        expect(body).toMatchObject({
          callType: 'NOISE',
          family: 'NOISE',
          status: 'pending',
          mode: 'dispatch_delayed',
          priority: 4,
          channel: 'phone_311',
          createdBy: 'token:test call_taker',
          receivedAt: new Date(clock.now()).toISOString(),
        })
        expect(body.number).toMatch(/^311-\d{7}$/)
        expect(body.triage.explanation[0]).toMatch(
          /^why: the Loud music or noise protocol's default response/,
        )
        expect(body.location.h3).toMatch(/^89/)
        const detail = (await get(`/api/incidents/${body.id}`, auth('call_taker'))).json()
        expect(detail.contacts).toHaveLength(1)
        expect(detail.contacts[0]).toMatchObject({
          anonymous: true,
          takenBy: 'token:test call_taker',
        })
        expect(detail.contacts[0].caller).toBeUndefined()
        expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['received', 'triaged'])
      })

      it("keeps a known caller's identity apart, shown only to roles allowed to see it", async () => {
        const res = await post('/api/incidents', {
          ...anonymousCall({ location: FAR }),
          contact: {
            channel: 'phone_311',
            caller: {
              anonymous: false,
              name: 'Ada Caller',
              phone: '410-555-0142',
              callbackConsent: true,
              ani: '4105550142',
            },
          },
        })
        expect(res.statusCode).toBe(201)
        const id = res.json().id
        expect(JSON.stringify(res.json())).not.toContain('555-0142')
        const forCallTaker = (await get(`/api/incidents/${id}`, auth('call_taker'))).json()
        expect(forCallTaker.contacts[0].caller).toMatchObject({
          name: 'Ada Caller',
          phone: '410-555-0142',
          callbackConsent: true,
        })
        const forAnalyst = await get(`/api/incidents/${id}`, auth('analyst'))
        expect(forAnalyst.statusCode).toBe(200)
        expect(JSON.stringify(forAnalyst.json())).not.toContain('Ada Caller')
        expect(JSON.stringify(forAnalyst.json())).not.toContain('555-0142')
        expect(forAnalyst.json().incident.abilities['caller:read']).toBe(false)
      })

      it('turns a retried create with the same Idempotency-Key into the first result', async () => {
        const headers = { ...auth(), 'idempotency-key': 'retry-test-0001' }
        const first = await post('/api/incidents', anonymousCall({ location: FAR }), headers)
        const again = await post('/api/incidents', anonymousCall({ location: FAR }), headers)
        expect(first.statusCode).toBe(201)
        expect(again.statusCode).toBe(200)
        expect(again.headers['idempotent-replayed']).toBe('true')
        expect(again.json().id).toBe(first.json().id)
        const listed = (await get('/api/incidents?idempotencyKey=retry-test-0001')).json()
        expect(listed.incidents).toHaveLength(1)
        const changed = await post(
          '/api/incidents',
          anonymousCall({ answers: { source: 'party' } }),
          headers,
        )
        expect(changed.statusCode).toBe(409)
        expect(changed.json().error.code).toBe('idempotency_key_reused')
      })

      it('names the field and what is wrong for bad input, and saves nothing', async () => {
        const before = await deps.store.incidents.count()
        const unknownType = await post(
          '/api/incidents',
          anonymousCall({ callType: 'NO_SUCH_TYPE' }),
        )
        expect(unknownType.statusCode).toBe(404)
        expect(unknownType.json().error.message).toBe("call type 'NO_SUCH_TYPE' was not found")

        const badAnswer = await post(
          '/api/incidents',
          anonymousCall({ answers: { source: 'karaoke', nope: 1 } }),
        )
        expect(badAnswer.statusCode).toBe(400)
        expect(badAnswer.json().error.problems).toEqual([
          { path: 'answers.source', message: 'expected one of: music, party, construction, other' },
          { path: 'answers.nope', message: "'NOISE' has no question 'nope'" },
        ])

        const missing = await post('/api/incidents', anonymousCall({ answers: {} }))
        expect(missing.statusCode).toBe(400)
        expect(missing.json().error.problems[0]).toEqual({
          path: 'answers.source',
          message: 'required: What is making the noise?',
        })

        const badChannel = await post('/api/incidents', {
          ...anonymousCall(),
          contact: { channel: 'pigeon', caller: { anonymous: true } },
        })
        expect(badChannel.statusCode).toBe(400)
        expect(badChannel.json().error.problems[0].path).toBe('body.contact.channel')

        const future = await post('/api/incidents', {
          ...anonymousCall(),
          contact: {
            channel: 'phone_311',
            receivedAt: '2099-01-01T00:00:00Z',
            caller: { anonymous: true },
          },
        })
        expect(future.statusCode).toBe(400)
        expect(future.json().error.problems[0]).toEqual({
          path: 'contact.receivedAt',
          message: 'is in the future',
        })

        const noIdentity = await post('/api/incidents', {
          ...anonymousCall(),
          contact: { channel: 'phone_311', caller: { anonymous: false } },
        })
        expect(noIdentity.statusCode).toBe(400)
        expect(noIdentity.json().error.problems[0].path).toBe('contact.caller')
        expect(await deps.store.incidents.count()).toBe(before)
      })

      it('transfers a call with a weapon to 911 at intake, with its transfer package', async () => {
        const res = await post('/api/incidents', {
          ...anonymousCall({ answers: { weapon: true } }),
          contact: {
            channel: 'phone_311',
            caller: { anonymous: false, name: 'Bo Witness', phone: '+1 410 555 0199' },
          },
          narrative: 'caller says a man <b>waved a gun</b> at the party',
        })
        expect(res.statusCode).toBe(201)
        expect(res.json()).toMatchObject({
          status: 'transferred',
          mode: 'transfer_911',
          priority: 1,
          transferredTo911: true,
        })
        expect(res.json().triage.explanation[0]).toMatch(
          /^why: weapon reported .* → transfer_911, priority 1$/,
        )
        const detail = (await get(`/api/incidents/${res.json().id}`, auth('call_taker'))).json()
        const pkg = detail.transferPackage
        expect(pkg.$id).toBe(`urn:emergency:uid:incidentid:${res.json().id}:311.baltimore.example`)
        expect(
          pkg.agencyComponent.map(
            (a: { agencyRoleDescriptionRegistryText: string[] }) =>
              a.agencyRoleDescriptionRegistryText[0],
          ),
        ).toEqual(['CallReceiving', 'TransferredTo'])
        expect(pkg.incidentComponent[0]).toMatchObject({
          incidentTypeInternalCode: 'NOISE',
          incidentTypeCommonRegistryText: 'NOISE',
        })
        expect(pkg.callbackComponent[0].callBackInformationUri).toEqual(['tel:+14105550199'])
        expect(pkg.notesComponent[0].notesActionComments).toContain(
          '&#60;b&#62;waved a gun&#60;/b&#62;',
        )
        expect(pkg.notesComponent[0].notesActionComments).not.toContain('<b>')
        // The stored package holds no identity: an analyst sees the package without the callback.
        const forAnalyst = (await get(`/api/incidents/${res.json().id}`, auth('analyst'))).json()
        expect(forAnalyst.transferPackage.callbackComponent).toEqual([])
        expect(JSON.stringify(forAnalyst)).not.toContain('555')
        expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual([
          'received',
          'triaged',
          'escalated_911',
        ])
      })

      it('closes an information-only call at once as information given', async () => {
        clock.set(Date.parse('2026-11-23T15:00:00Z'))
        const res = await post(
          '/api/incidents',
          anonymousCall({ answers: { source: 'construction' } }),
        )
        expect(res.json()).toMatchObject({
          mode: 'information_only',
          status: 'closed',
          disposition: 'information_given',
        })
      })

      it('finds the probable duplicate nearby, and linking adds a caller instead of an incident', async () => {
        clock.set(Date.parse('2026-11-24T02:00:00Z'))
        const first = (
          await post('/api/incidents', anonymousCall({ answers: { source: 'party' } }))
        ).json()
        clock.advance(10 * 60_000)
        const q = `callType=NOISE&lat=${NEARBY.lat}&lon=${NEARBY.lon}`
        const dups = (await get(`/api/duplicates?${q}`, auth('call_taker'))).json().candidates
        expect(dups[0]).toMatchObject({ id: first.id, minutesAgo: 10, callers: 1 })
        expect(dups[0].reasons).toEqual([
          'same call type (NOISE)',
          `${dups[0].distanceMetres} m away`,
          'reported 10 min ago',
        ])
        expect(dups[0].distanceMetres).toBeGreaterThan(30)
        expect(dups[0].distanceMetres).toBeLessThan(60)
        expect(
          (await get(`/api/duplicates?callType=NOISE&lat=${FAR.lat}&lon=${FAR.lon}`))
            .json()
            .candidates.map((c: { id: string }) => c.id),
        ).not.toContain(first.id)
        expect(
          (await get(`/api/duplicates?callType=POTHOLE&lat=${NEARBY.lat}&lon=${NEARBY.lon}`)).json()
            .candidates,
        ).toEqual([])

        const count = await deps.store.incidents.count()
        const link = await post(
          `/api/incidents/${first.id}/contacts`,
          { contact: { channel: 'phone_311', caller: { anonymous: true } } },
          {
            ...auth('call_taker'),
            'idempotency-key': 'link-0000001',
          },
        )
        expect(link.statusCode).toBe(201)
        const relink = await post(
          `/api/incidents/${first.id}/contacts`,
          { contact: { channel: 'phone_311', caller: { anonymous: true } } },
          {
            ...auth('call_taker'),
            'idempotency-key': 'link-0000001',
          },
        )
        expect(relink.statusCode).toBe(200)
        expect(await deps.store.incidents.count()).toBe(count)
        const detail = (await get(`/api/incidents/${first.id}`)).json()
        expect(detail.contacts).toHaveLength(2)
        expect(detail.events.at(-1)).toMatchObject({
          kind: 'contact_linked',
          actor: 'token:test call_taker',
        })
        const again = (await get(`/api/duplicates?${q}`)).json().candidates[0]
        expect(again.callers).toBe(2)
        expect(again.reasons).toContain('2 callers already')
      })

      it('closes a second incident as a duplicate of the first', async () => {
        const a = (
          await post('/api/incidents', anonymousCall({ answers: { source: 'party' } }))
        ).json()
        const b = (
          await post(
            '/api/incidents',
            anonymousCall({ location: NEARBY, answers: { source: 'music' } }),
          )
        ).json()
        const res = await post(`/api/incidents/${b.id}/duplicate-of`, {
          parentId: a.id,
          reason: 'same party',
        })
        expect(res.statusCode).toBe(200)
        expect(res.json()).toMatchObject({
          status: 'closed',
          disposition: 'duplicate',
          duplicateOf: a.id,
        })
        const pothole = (
          await post('/api/incidents', { ...anonymousCall({ callType: 'POTHOLE', answers: {} }) })
        ).json()
        const wrongFamily = await post(`/api/incidents/${pothole.id}/duplicate-of`, {
          parentId: a.id,
        })
        expect(wrongFamily.statusCode).toBe(409)
        expect(wrongFamily.json().error.code).toBe('family_mismatch')
        const linkToDuplicate = await post(`/api/incidents/${b.id}/contacts`, {
          contact: { channel: 'phone_311', caller: { anonymous: true } },
        })
        expect(linkToDuplicate.statusCode).toBe(409)
        expect(linkToDuplicate.json().error.message).toBe(
          `link the caller to ${a.id}, the original`,
        )
      })

      it('moves through statuses by the rules, keeping every step', async () => {
        const i = (await post('/api/incidents', anonymousCall())).json()
        const noDisposition = await post(`/api/incidents/${i.id}/status`, { status: 'closed' })
        expect(noDisposition.statusCode).toBe(400)
        expect(noDisposition.json().error.problems).toEqual([
          { path: 'disposition', message: 'closing needs a disposition' },
        ])
        const toTransferred = await post(`/api/incidents/${i.id}/status`, { status: 'transferred' })
        expect(toTransferred.json().error.code).toBe('use_escalation')
        const working = await post(`/api/incidents/${i.id}/status`, {
          status: 'in_progress',
          expectedVersion: 1,
        })
        expect(working.json()).toMatchObject({ status: 'in_progress', version: 2 })
        const stale = await post(`/api/incidents/${i.id}/status`, {
          status: 'pending',
          expectedVersion: 1,
        })
        expect(stale.statusCode).toBe(409)
        expect(stale.json().error.code).toBe('stale_incident')
        const closed = await post(`/api/incidents/${i.id}/status`, {
          status: 'closed',
          disposition: 'settled_by_contact',
        })
        expect(closed.json()).toMatchObject({ status: 'closed', disposition: 'settled_by_contact' })
        const reopenNoReason = await post(`/api/incidents/${i.id}/status`, { status: 'new' })
        expect(reopenNoReason.statusCode).toBe(400)
        const invalid = await post(`/api/incidents/${i.id}/status`, { status: 'in_progress' })
        expect(invalid.statusCode).toBe(409)
        expect(invalid.json().error.message).toBe(
          'an incident that is closed cannot become in_progress (allowed: new)',
        )
        const events = (await get(`/api/incidents/${i.id}/events`)).json().events
        expect(
          events.map((e: { kind: string; data: { to?: string } }) => e.data.to ?? e.kind),
        ).toEqual(['received', 'triaged', 'in_progress', 'closed'])
      })

      it('records an override with its reason, and escalates later with a package', async () => {
        const i = (await post('/api/incidents', anonymousCall({ location: FAR }))).json()
        const noReason = await post(`/api/incidents/${i.id}/override`, {
          mode: 'telephone_report',
          reason: '',
        })
        expect(noReason.statusCode).toBe(400)
        const res = await post(`/api/incidents/${i.id}/override`, {
          mode: 'referral',
          referral: 'NSC',
          reason: 'third call this week',
        })
        expect(res.json()).toMatchObject({
          mode: 'referral',
          referral: 'NSC',
          override: { reason: 'third call this week' },
        })
        const esc = await post(
          `/api/incidents/${i.id}/escalate`,
          { reason: 'caller now reports a fight' },
          auth('call_taker'),
        )
        expect(esc.statusCode).toBe(200)
        expect(esc.json().incident).toMatchObject({ status: 'transferred', mode: 'transfer_911' })
        expect(esc.json().transferPackage.notesComponent[0].notesActionComments).toContain(
          'caller now reports a fight',
        )
        const twice = await post(`/api/incidents/${i.id}/escalate`, { reason: 'again' })
        expect(twice.statusCode).toBe(409)
        const kinds = (await get(`/api/incidents/${i.id}/events`))
          .json()
          .events.map((e: { kind: string }) => e.kind)
        expect(kinds).toEqual(['received', 'triaged', 'overridden', 'escalated_911'])
      })

      it('previews triage as answers change, without saving', async () => {
        const before = await deps.store.incidents.count()
        const res = await post('/api/triage/preview', {
          callType: 'THEFT_FROM_VEHICLE',
          answers: { loss_value: 2500 },
        })
        expect(res.json().decision).toMatchObject({ mode: 'telephone_report', emergency: false })
        expect(res.json().missingRequired).toEqual([])
        const partial = await post('/api/triage/preview', {
          callType: 'THEFT_FROM_VEHICLE',
          answers: { in_progress: true },
        })
        expect(partial.json().decision).toMatchObject({
          mode: 'dispatch_immediate',
          emergency: true,
        })
        expect(partial.json().missingRequired).toEqual(['loss_value'])
        expect(await deps.store.incidents.count()).toBe(before)
      })

      it('serves the catalogue and records every edit of a call type', async () => {
        const list = (await get('/api/call-types?q=hole', auth('call_taker'))).json().callTypes
        expect(list.map((c: { code: string }) => c.code)).toEqual(['POTHOLE'])
        const pothole = (await get('/api/call-types/POTHOLE')).json()
        const { revision, updatedAt: _u, updatedBy: _b, ...definition } = pothole
        const forbidden = await app.inject({
          method: 'PUT',
          url: '/api/call-types/POTHOLE',
          headers: auth('call_taker'),
          payload: { definition, reason: 'x', expectedRevision: revision },
        })
        expect(forbidden.statusCode).toBe(403)
        const edited = await app.inject({
          method: 'PUT',
          url: '/api/call-types/POTHOLE',
          headers: auth('supervisor'),
          payload: {
            definition: { ...definition, defaultPriority: 4 },
            reason: 'potholes on arterials hurt cyclists',
            expectedRevision: revision,
          },
        })
        expect(edited.statusCode).toBe(200)
        expect(edited.json()).toMatchObject({
          defaultPriority: 4,
          revision: revision + 1,
          updatedBy: 'token:test supervisor',
        })
        const stale = await app.inject({
          method: 'PUT',
          url: '/api/call-types/POTHOLE',
          headers: auth('supervisor'),
          payload: { definition, reason: 'late edit', expectedRevision: revision },
        })
        expect(stale.statusCode).toBe(409)
        const bad = await app.inject({
          method: 'PUT',
          url: '/api/call-types/POTHOLE',
          headers: auth('supervisor'),
          payload: {
            definition: { ...definition, defaultPriority: 9, referral: 'NOWHERE' },
            reason: 'oops',
            expectedRevision: revision + 1,
          },
        })
        expect(bad.statusCode).toBe(400)
        expect(bad.json().error.problems).toEqual([
          {
            path: 'definition.defaultPriority',
            message: 'priority 9 is not a level (1, 2, 3, 4, 5)',
          },
          { path: 'definition.referral', message: "unknown agency 'NOWHERE'" },
        ])
        const changes = (await get('/api/call-types/POTHOLE/changes')).json().changes
        expect(
          changes.map((c: { change: string; reason: string }) => [c.change, c.reason]),
        ).toEqual([
          ['created', 'catalogue test-1 imported from test fixture'],
          ['updated', 'potholes on arterials hurt cyclists'],
        ])
        expect(changes[1].before.defaultPriority).toBe(5)
        expect(changes[1].after.defaultPriority).toBe(4)
        // The engine uses the edit at once.
        const i = (
          await post('/api/incidents', anonymousCall({ callType: 'POTHOLE', answers: {} }))
        ).json()
        expect(i.priority).toBe(4)
      })

      it('searches incidents by words, call type and status, and keeps notes in the history', async () => {
        const i = (
          await post(
            '/api/incidents',
            anonymousCall({
              location: { text: '77 Searchable Lane' },
              narrative: 'Bass from a 100% loud_party',
            }),
          )
        ).json()
        const byWord = (await get('/api/incidents?q=searchable')).json().incidents
        expect(byWord.map((x: { id: string }) => x.id)).toEqual([i.id])
        expect(
          (await get('/api/incidents?q=100%25%20LOUD_PARTY'))
            .json()
            .incidents.map((x: { id: string }) => x.id),
        ).toEqual([i.id])
        expect((await get('/api/incidents?q=100x%20loud')).json().incidents).toEqual([])
        expect((await get('/api/incidents?q=searchable&status=closed')).json().incidents).toEqual(
          [],
        )
        const note = await post(
          `/api/incidents/${i.id}/notes`,
          { text: 'Caller rang again at 11:40 pm' },
          auth('call_taker'),
        )
        expect(note.statusCode).toBe(201)
        expect((await post(`/api/incidents/${i.id}/notes`, { text: '   ' })).statusCode).toBe(400)
        expect(
          (await post(`/api/incidents/${i.id}/notes`, { text: 'x' }, auth('analyst'))).statusCode,
        ).toBe(403)
        const events = (await get(`/api/incidents/${i.id}/events`)).json().events
        expect(events.at(-1)).toMatchObject({
          kind: 'note_added',
          actor: 'token:test call_taker',
          data: { text: 'Caller rang again at 11:40 pm' },
        })
      })

      it('publishes an OpenAPI document at /docs', async () => {
        const res = await app.inject({ method: 'GET', url: '/docs/json' })
        expect(res.statusCode).toBe(200)
        const doc = res.json()
        expect(doc.openapi).toMatch(/^3\./)
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining([
            '/api/incidents',
            '/api/incidents/{id}/escalate',
            '/api/call-types',
          ]),
        )
      })
    },
  )
}
