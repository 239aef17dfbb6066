import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppDeps } from '../../src/app/deps.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { bodyOf, headersOf, type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

const HARBOR = { text: '400 E PRATT ST', lat: 39.2866, lon: -76.6106 }
const HOUR = 3_600_000
const CALLER = {
  anonymous: false,
  name: 'Ada Caller',
  phone: '+14105550100',
  email: 'ada.caller@example.org',
  callbackConsent: true,
}

const pothole = (caller: Record<string, unknown> = { anonymous: true }) => ({
  callType: 'POTHOLE',
  contact: { channel: 'phone_311', caller },
  location: HARBOR,
  answers: { size: 'large' },
})
/** A noise complaint at a chronic location: referred to the Neighborhood Service Center. */
const chronicNoise = {
  callType: 'NOISE',
  contact: { channel: 'phone_311', caller: { anonymous: true } },
  location: HARBOR,
  answers: { source: 'music', repeat_location: true },
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v) || Date.now() > until) return v
    await new Promise((r) => setTimeout(r, 50))
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: referrals and follow-up API`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      let smtp: SmtpCapture
      const clock = manualClock()

      beforeAll(async () => {
        smtp = await startSmtpCapture()
        ;({ app, deps, close } = await openTestApp(dialect, {
          clock,
          config: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://311.city.example' },
        }))
      })
      afterAll(async () => {
        await close()
        await smtp.stop()
      })

      const post = (url: string, payload: unknown, role = 'call_taker') =>
        app.inject({ method: 'POST', url, payload: payload as object, headers: auth(role) })
      const get = (url: string, role = 'call_taker') => app.inject({ url, headers: auth(role) })
      const open = async (body: unknown) => {
        const res = await post('/api/incidents', body)
        expect(res.statusCode).toBe(201)
        return res.json() as { id: string; number: string; mode: string; referral: string }
      }
      const referralOf = async (incidentId: string, role = 'supervisor') => {
        const list = (await get('/api/referrals?limit=500', role)).json()
        return list.referrals.find((r: { incidentId: string }) => r.incidentId === incidentId)
      }

      it('sends a referral with the call, due by the call type service level', async () => {
        const i = await open(pothole())
        expect(i).toMatchObject({ mode: 'referral', referral: 'DPW' })
        const r = await referralOf(i.id)
        expect(r).toMatchObject({ agency: 'DPW', status: 'sent', escalations: 0, overdue: false })
        expect(Date.parse(r.dueAt) - Date.parse(r.sentAt)).toBe(72 * HOUR)
        expect(r.incident).toMatchObject({ number: i.number, callType: 'POTHOLE' })
        const events = (await get(`/api/incidents/${i.id}/events`)).json().events
        expect(events.map((e: { kind: string }) => e.kind)).toContain('referral_changed')
      })

      it('shows a partner only its own agency referrals', async () => {
        const dpw = await open(pothole())
        const nsc = await open(chronicNoise)
        expect(nsc).toMatchObject({ mode: 'referral', referral: 'NSC' })
        const liaison = (await get('/api/referrals?limit=500', 'agency_liaison')).json()
        const agencies = new Set(liaison.referrals.map((r: { agency: string }) => r.agency))
        expect([...agencies]).toEqual(['DPW'])
        const nscReferral = await referralOf(nsc.id)
        expect((await get(`/api/referrals/${nscReferral.id}`, 'agency_liaison')).statusCode).toBe(
          403,
        )
        const ack = await post(`/api/referrals/${nscReferral.id}/acknowledge`, {}, 'agency_liaison')
        expect(ack.statusCode).toBe(403)
        // Community policing works the NSC's referrals, not Public Works'.
        const cp = (await get('/api/referrals?limit=500', 'community_policing')).json()
        expect(cp.referrals.map((r: { incidentId: string }) => r.incidentId)).toContain(nsc.id)
        expect(cp.referrals.map((r: { incidentId: string }) => r.incidentId)).not.toContain(dpw.id)
        expect((await get('/api/referrals', 'officer')).statusCode).toBe(403)
      })

      it('closes with an outcome that reaches the incident and, by email, the caller who asked', async () => {
        const i = await open(pothole(CALLER))
        const r = await referralOf(i.id)
        expect(
          (await post(`/api/referrals/${r.id}/acknowledge`, {}, 'agency_liaison')).statusCode,
        ).toBe(200)
        const again = await post(`/api/referrals/${r.id}/acknowledge`, {}, 'agency_liaison')
        expect(again.statusCode).toBe(409)
        const declinedWithoutWhy = await post(
          `/api/referrals/${r.id}/close`,
          { outcome: 'declined' },
          'agency_liaison',
        )
        expect(declinedWithoutWhy.statusCode).toBe(400)
        const closed = await post(
          `/api/referrals/${r.id}/close`,
          { outcome: 'resolved', note: 'patched 2 ft by 3 ft' },
          'agency_liaison',
        )
        expect(closed.statusCode).toBe(200)
        expect(closed.json()).toMatchObject({ status: 'closed', outcome: 'resolved' })
        const { incident } = (await get(`/api/incidents/${i.id}`)).json()
        expect(incident).toMatchObject({ status: 'closed', disposition: 'referred' })

        const messages = await waitFor(
          () => smtp.messages(),
          (m) => m.some((x) => x.raw.includes(i.number)),
        )
        const mail = messages.find((x) => x.raw.includes(i.number))
        expect(mail?.to).toEqual([CALLER.email])
        const headers = headersOf(mail?.raw ?? '')
        expect(headers.get('subject')).toBe(`${i.number}: Pothole is closed`)
        const body = bodyOf(mail?.raw ?? '').replace(/=\r?\n/g, '')
        expect(body).toContain('The problem was fixed (patched 2 ft by 3 ft)')
        const link = body.match(/https:\/\/311\.city\.example\/#\/survey\/([A-Za-z0-9_-]+)/)
        expect(link).not.toBeNull()
        const token = link?.[1] ?? ''

        const sent = await waitFor(
          async () => (await get(`/api/incidents/${i.id}/notifications`)).json().notifications,
          (n: Array<{ status: string }>) => n[0]?.status === 'sent',
        )
        expect(sent[0]).toMatchObject({ channel: 'email', status: 'sent', attempts: 1 })
        expect(JSON.stringify(sent)).not.toContain(CALLER.email)

        // The survey behind the link: no sign-in, the incident number only, answered once.
        const q = await app.inject({ url: `/api/public/surveys/${token}` })
        expect(q.json()).toEqual({ incidentNumber: i.number, callType: 'Pothole', answered: false })
        expect(JSON.stringify(q.json())).not.toContain('Ada')
        const bad = await app.inject({
          method: 'POST',
          url: `/api/public/surveys/${token}`,
          payload: { score: 9, resolved: true },
        })
        expect(bad.statusCode).toBe(400)
        const answer = await app.inject({
          method: 'POST',
          url: `/api/public/surveys/${token}`,
          payload: { score: 4, resolved: true, comment: 'quick' },
        })
        expect(answer.statusCode).toBe(204)
        const twice = await app.inject({
          method: 'POST',
          url: `/api/public/surveys/${token}`,
          payload: { score: 1, resolved: false },
        })
        expect(twice.statusCode).toBe(409)
        const wrong = await app.inject({ url: `/api/public/surveys/${'x'.repeat(43)}` })
        expect(wrong.statusCode).toBe(404)

        const from = new Date(clock.now() - HOUR).toISOString()
        const to = new Date(clock.now() + HOUR).toISOString()
        const results = (await get(`/api/surveys/results?from=${from}&to=${to}`, 'analyst')).json()
        expect(results).toMatchObject({ sent: 1, answered: 1, meanScore: 4, resolvedShare: 1 })
        expect(
          (await get(`/api/surveys/results?from=${from}&to=${to}`, 'call_taker')).statusCode,
        ).toBe(403)
      })

      it('sends nothing to an anonymous caller or one who did not consent', async () => {
        const quiet = await open(
          pothole({ ...CALLER, email: 'quiet@example.org', callbackConsent: false }),
        )
        const r = await referralOf(quiet.id)
        await post(`/api/referrals/${r.id}/close`, { outcome: 'resolved' }, 'supervisor')
        expect(
          (await get(`/api/incidents/${quiet.id}/notifications`)).json().notifications,
        ).toEqual([])
        await new Promise((res) => setTimeout(res, 200))
        expect((await smtp.messages()).some((m) => m.to.includes('quiet@example.org'))).toBe(false)
      })

      it('escalates an overdue referral, and again each day it stays open', async () => {
        const i = await open(pothole())
        const r = await referralOf(i.id)
        const escalate = async () =>
          (await post('/api/referrals/escalations', {}, 'supervisor')).json().escalated as Array<{
            id: string
            escalations: number
          }>
        expect((await escalate()).map((x) => x.id)).not.toContain(r.id)
        clock.advance(72 * HOUR + 60_000)
        const first = (await escalate()).find((x) => x.id === r.id)
        expect(first).toMatchObject({ escalations: 1 })
        expect((await escalate()).map((x) => x.id)).not.toContain(r.id)
        const overdue = (await get('/api/referrals?overdue=true&limit=500', 'supervisor')).json()
        expect(overdue.referrals.map((x: { id: string }) => x.id)).toContain(r.id)
        clock.advance(24 * HOUR)
        expect((await escalate()).find((x) => x.id === r.id)).toMatchObject({ escalations: 2 })
        expect((await post('/api/referrals/escalations', {}, 'agency_liaison')).statusCode).toBe(
          403,
        )
      })

      it('keeps callback tasks, soonest first, until the call is made', async () => {
        const i = await open(pothole())
        const due = new Date(clock.now() + 2 * HOUR).toISOString()
        const past = await post(`/api/incidents/${i.id}/callbacks`, {
          dueAt: new Date(clock.now() - 2 * HOUR).toISOString(),
          reason: 'tell them the crew date',
        })
        expect(past.statusCode).toBe(400)
        const created = await post(`/api/incidents/${i.id}/callbacks`, {
          dueAt: due,
          reason: 'tell them the crew date',
        })
        expect(created.statusCode).toBe(201)
        const list = (await get('/api/callbacks?status=open')).json().callbacks
        expect(list.find((c: { id: string }) => c.id === created.json().id)).toMatchObject({
          incidentNumber: i.number,
          overdue: false,
        })
        const done = await post(`/api/callbacks/${created.json().id}/complete`, {
          outcome: 'left_message',
        })
        expect(done.json()).toMatchObject({ status: 'done', outcome: 'left_message' })
        expect((await get('/api/callbacks', 'analyst')).statusCode).toBe(403)
      })

      it('refers an open incident by hand to a known agency only, once at a time', async () => {
        const i = await open({ ...chronicNoise, answers: { source: 'music' } })
        const unknown = await post(`/api/incidents/${i.id}/referrals`, { agency: 'NASA' })
        expect(unknown.statusCode).toBe(400)
        const ok = await post(`/api/incidents/${i.id}/referrals`, { agency: 'NSC' })
        expect(ok.statusCode).toBe(201)
        const twice = await post(`/api/incidents/${i.id}/referrals`, { agency: 'DPW' })
        expect(twice.statusCode).toBe(409)
        expect(deps.store.dialect).toBe(dialect)
      })
    },
  )
}
