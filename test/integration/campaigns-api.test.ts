import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { activateEmergency } from '../../src/app/emergency/activations.js'
import { importGeography } from '../../src/app/geography/import-geography.js'
import { BALTIMORE } from '../support/baltimore.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { SNOW_CATALOGUE } from '../support/snow-catalogue.js'
import { auth, capturedLog, manualClock, openTestApp } from '../support/test-app.js'

const MINUTE = 60_000

/**
 * Outbound campaigns (issue #10 item 6) over HTTP: a wellness list from the registry during a
 * snow emergency, worked by two call-takers at once, and a call-back list of the people who
 * reported unplowed streets. Addresses are real Baltimore streets on the demo city's file.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: outbound campaigns API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      const clock = manualClock(Date.parse('2026-11-22T15:00:00Z'))
      const { log, lines } = capturedLog()
      const central: Record<string, string> = {}
      let activationId = ''
      let wellnessId = ''

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, {
          clock,
          catalogue: SNOW_CATALOGUE,
          log,
        }))
        await importGeography(deps, { id: 'test', roles: ['admin'] }, BALTIMORE)
      }, 120_000)
      afterAll(async () => close())

      const send = (url: string, payload: unknown, role: string) =>
        app.inject({ method: 'POST', url, payload: payload as object, headers: auth(role) })
      const get = (url: string, role: string) => app.inject({ url, headers: auth(role) })

      const enrol = async (name: string, address: string, needs: string[], phone: string) => {
        const res = await send(
          '/api/registry/registrants',
          {
            name,
            phone,
            address,
            consent: { givenBy: name, givenAt: '2026-11-01T14:00:00Z', method: 'phone' },
            health: { needs, contacts: [], notes: '' },
          },
          'emergency_manager',
        )
        expect(res.statusCode, res.body).toBe(201)
        const body = res.json()
        if (body.address.policeDistrict === 'Central') central[name] = body.id
        return body.id as string
      }

      const wellnessBody = {
        title: 'Blizzard wellness calls',
        script: 'Hello, this is Baltimore 311 checking that you are safe, warm and have power.',
        source: { kind: 'registry' },
        retryAfterMinutes: 30,
      }

      it('refuses a registry list when no emergency is on, and to roles that may not build one', async () => {
        await enrol('Olive Oxygen', '400 E PRATT ST', ['oxygen'], '410-555-0111')
        await enrol('Dora Dialysis', '500 S ANN ST', ['dialysis'], '410-555-0112')
        await enrol('Milo Mobility', '100 N HOWARD ST', ['mobility'], '410-555-0113')
        await enrol('Gus Greenmount', '3000 GREENMOUNT AVE', ['oxygen'], '410-555-0114')
        expect(Object.keys(central)).toEqual(
          expect.arrayContaining(['Olive Oxygen', 'Dora Dialysis']),
        )
        expect(central['Gus Greenmount']).toBeUndefined()

        const off = await send('/api/campaigns', wellnessBody, 'emergency_manager')
        expect(off.statusCode).toBe(403)
        expect(off.json().error.code).toBe('outside_activation')
        for (const role of ['call_taker', 'dispatcher', 'analyst', 'officer']) {
          const res = await send('/api/campaigns', wellnessBody, role)
          expect(res.statusCode, role).toBe(403)
        }
      })

      it('builds the wellness list of the activation area, most urgent need first', async () => {
        activationId = (
          await activateEmergency(
            deps,
            { id: 'em', roles: ['emergency_manager'] },
            {
              mode: 'snow',
              title: 'Snow emergency: Central',
              area: { kind: 'police_district', names: ['Central'] },
            },
          )
        ).id
        const res = await send('/api/campaigns', wellnessBody, 'emergency_manager')
        expect(res.statusCode, res.body).toBe(201)
        const c = res.json()
        wellnessId = c.id
        expect(c).toMatchObject({
          activationId,
          source: { kind: 'registry', activationId },
          status: 'open',
          outcomes: [{ code: 'reached_fine' }, { code: 'needs_help' }, { code: 'not_reached' }],
          progress: { total: Object.keys(central).length, pending: Object.keys(central).length },
        })
        // The list says how many and in what state, never who.
        const detail = await get(`/api/campaigns/${wellnessId}`, 'command')
        expect(detail.statusCode).toBe(200)
        expect(detail.body).not.toMatch(/Olive|Dora|410-555|oxygen|dialysis/)
      })

      it('gives two call-takers working at once two different people, oxygen first', async () => {
        const [a, b] = await Promise.all([
          send(`/api/campaigns/${wellnessId}/next`, {}, 'call_taker'),
          send(`/api/campaigns/${wellnessId}/next`, {}, 'supervisor'),
        ])
        expect(a.statusCode, a.body).toBe(200)
        expect(b.statusCode, b.body).toBe(200)
        const names = [a.json().person.name, b.json().person.name]
        expect(new Set(names).size).toBe(2)
        expect(names).toContain('Olive Oxygen')
        const olive = [a, b].find((r) => r.json().person.name === 'Olive Oxygen')?.json()
        expect(olive.person).toMatchObject({
          kind: 'registrant',
          phone: '410-555-0111',
          health: { needs: ['oxygen'] },
        })
        expect(olive.campaign.script).toMatch(/checking that you are safe/)
        // Asking again returns the person already held, not a third one.
        const again = await send(`/api/campaigns/${wellnessId}/next`, {}, 'call_taker')
        expect(again.json().person.name).toBe(a.json().person.name)
        // Every take is audited, without the number or the needs.
        const takes = await deps.store.audit.search({ action: 'campaign_take', limit: 10 })
        expect(takes.length).toBeGreaterThanOrEqual(3)
        expect(JSON.stringify(takes)).not.toMatch(/410-555|oxygen|Olive/)
      })

      it('needs help opens a welfare check; not reached comes back after the retry wait', async () => {
        const mine = (await send(`/api/campaigns/${wellnessId}/next`, {}, 'call_taker')).json()
        const theirs = (await send(`/api/campaigns/${wellnessId}/next`, {}, 'supervisor')).json()

        const wrong = await send(
          `/api/campaigns/${wellnessId}/entries/${theirs.entry.id}/calls`,
          { outcome: 'reached_fine' },
          'call_taker',
        )
        expect(wrong.statusCode).toBe(409)
        expect(wrong.json().error.code).toBe('entry_not_held')
        const unknown = await send(
          `/api/campaigns/${wellnessId}/entries/${mine.entry.id}/calls`,
          { outcome: 'resolved' },
          'call_taker',
        )
        expect(unknown.statusCode).toBe(400)
        expect(unknown.json().error.message).toMatch(/reached_fine, needs_help, not_reached/)

        const help = await send(
          `/api/campaigns/${wellnessId}/entries/${mine.entry.id}/calls`,
          { outcome: 'needs_help', note: 'Heating is out, oxygen concentrator on battery.' },
          'call_taker',
        )
        expect(help.statusCode, help.body).toBe(201)
        expect(help.json().entry).toMatchObject({ state: 'raised', attempts: 1 })
        const incident = await get(`/api/incidents/${help.json().incidentId}`, 'dispatcher')
        expect(incident.json()).toMatchObject({
          incident: { callType: 'WELFARE_CHECK', channel: 'outbound', status: expect.any(String) },
          activation: { id: activationId },
        })

        const miss = await send(
          `/api/campaigns/${wellnessId}/entries/${theirs.entry.id}/calls`,
          { outcome: 'not_reached' },
          'supervisor',
        )
        expect(miss.json().entry).toMatchObject({ state: 'pending', attempts: 1 })
        // The wellness list agrees with the campaign.
        const list = (await get('/api/registry/wellness', 'emergency_manager')).json()
        const attempts = Object.fromEntries(
          list.registrants.map((r: { name: string; attempts: number }) => [r.name, r.attempts]),
        )
        expect(attempts[mine.person.name]).toBe(1)
        expect(attempts[theirs.person.name]).toBe(1)

        // Drain whoever else is due; the unanswered person is not offered again until later.
        for (;;) {
          const next = await send(`/api/campaigns/${wellnessId}/next`, {}, 'supervisor')
          if (next.statusCode === 204) break
          expect(next.json().person.name).not.toBe(theirs.person.name)
          await send(
            `/api/campaigns/${wellnessId}/entries/${next.json().entry.id}/calls`,
            { outcome: 'reached_fine' },
            'supervisor',
          )
        }
        clock.advance(31 * MINUTE)
        const back = await send(`/api/campaigns/${wellnessId}/next`, {}, 'supervisor')
        expect(back.json().person.name).toBe(theirs.person.name)
        expect(back.json().attempts).toHaveLength(1)

        const progress = (await get('/api/campaigns', 'dispatcher')).json().campaigns[0].progress
        expect(progress).toMatchObject({
          raised: 1,
          inProgress: 1,
          byOutcome: { needs_help: 1, not_reached: 1 },
        })
        expect(progress.completion).toBeCloseTo((progress.total - 1) / progress.total)
      })

      it('never lets a role without the registry health rule take a registrant', async () => {
        for (const role of ['dispatcher', 'officer', 'analyst', 'command', 'admin']) {
          const res = await send(`/api/campaigns/${wellnessId}/next`, {}, role)
          expect(res.statusCode, role).toBe(403)
          expect(res.body).not.toMatch(/Olive|Dora|410-555|oxygen|dialysis/)
        }
        expect((await get('/api/campaigns', 'analyst')).statusCode).toBe(403)
      })

      it('calls back the consenting reporters of unplowed streets, once per phone', async () => {
        const report = async (caller: object) => {
          const res = await send(
            '/api/incidents',
            {
              callType: 'SNOW_UNPLOWED_STREET',
              contact: { channel: 'phone_311', caller },
              location: { text: '500 S ANN ST' },
            },
            'call_taker',
          )
          expect(res.statusCode, res.body).toBe(201)
          return res.json()
        }
        const first = await report({
          anonymous: false,
          name: 'Rita Reporter',
          phone: '(410) 555-0190',
          callbackConsent: true,
        })
        await report({
          anonymous: false,
          name: 'Rita Reporter',
          phone: '410.555.0190',
          callbackConsent: true,
        })
        await report({ anonymous: false, name: 'No Consent', phone: '410-555-0191' })
        await report({ anonymous: true })

        const body = {
          title: 'Unplowed streets: did the plow come?',
          script: 'Hello, this is Baltimore 311 about the unplowed street you reported.',
          source: {
            kind: 'incidents',
            callTypes: ['SNOW_UNPLOWED_STREET'],
            from: '2026-11-22T00:00:00Z',
            to: '2026-11-23T00:00:00Z',
            activationId,
          },
        }
        const res = await send('/api/campaigns', body, 'supervisor')
        expect(res.statusCode, res.body).toBe(201)
        const c = res.json()
        expect(c.progress.total).toBe(1)

        // The emergency manager may build it but may not read callers' numbers.
        const em = await send(`/api/campaigns/${c.id}/next`, {}, 'emergency_manager')
        expect(em.statusCode).toBe(403)
        expect(em.body).not.toMatch(/555-0190|Rita/)

        const call = await send(`/api/campaigns/${c.id}/next`, {}, 'call_taker')
        expect(call.json().person).toMatchObject({
          kind: 'caller',
          name: 'Rita Reporter',
          phone: '(410) 555-0190',
          incident: { id: first.id, callType: 'SNOW_UNPLOWED_STREET' },
        })
        const still = await send(
          `/api/campaigns/${c.id}/entries/${call.json().entry.id}/calls`,
          { outcome: 'still_a_problem', note: 'Plow passed the end of the block only.' },
          'call_taker',
        )
        expect(still.statusCode, still.body).toBe(201)
        const events = (await get(`/api/incidents/${first.id}/events`, 'dispatcher')).json().events
        expect(JSON.stringify(events)).toMatch(/still a problem.*Plow passed the end/)

        const empty = await send(
          '/api/campaigns',
          { ...body, source: { ...body.source, callTypes: ['POTHOLE'] } },
          'supervisor',
        )
        expect(empty.statusCode).toBe(400)
        expect(empty.json().error.message).toMatch(/no caller who agreed to be called back/)
        const badType = await send(
          '/api/campaigns',
          { ...body, source: { ...body.source, callTypes: ['NO_SUCH_TYPE'] } },
          'supervisor',
        )
        expect(badType.statusCode).toBe(404)
      })

      it('a closed campaign takes no more calls', async () => {
        expect(
          (await send(`/api/campaigns/${wellnessId}/close`, {}, 'call_taker')).statusCode,
        ).toBe(403)
        const closed = await send(`/api/campaigns/${wellnessId}/close`, {}, 'emergency_manager')
        expect(closed.json()).toMatchObject({ status: 'closed' })
        const next = await send(`/api/campaigns/${wellnessId}/next`, {}, 'call_taker')
        expect(next.statusCode).toBe(409)
        expect(next.json().error.code).toBe('campaign_closed')
      })

      it('never writes a number, a name or a need to the log', () => {
        const log = lines.join('')
        expect(log).toContain('campaign')
        expect(log).not.toMatch(/555-01|Olive Oxygen|Rita Reporter|concentrator/)
      })
    },
  )
}
