import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFirstAdmin } from '../../src/app/accounts/manage-accounts.js'
import type { AppDeps } from '../../src/app/deps.js'
import { DIALECTS, postgresAvailable } from '../support/databases.js'
import { auth, manualClock, openTestApp } from '../support/test-app.js'

const PASSWORD = 'correct horse battery staple'

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: accounts, sessions and the audit log`,
    () => {
      let app: FastifyInstance
      let deps: AppDeps
      let close: () => Promise<void>
      const clock = manualClock()

      beforeAll(async () => {
        ;({ app, deps, close } = await openTestApp(dialect, { clock }))
      })
      afterAll(async () => close())

      const cookieOf = (res: LightMyRequestResponse) => {
        const c = res.cookies.find((x) => x.name === 't311_session')
        return c ? `t311_session=${c.value}` : ''
      }
      const login = (username: string, password = PASSWORD) =>
        app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      const signedIn = async (username: string, password = PASSWORD) => {
        const res = await login(username, password)
        expect(res.statusCode, res.body).toBe(200)
        return { cookie: cookieOf(res), csrf: res.json().csrfToken as string }
      }
      const auditOf = async (action: string) =>
        (
          await app.inject({
            method: 'GET',
            url: `/api/audit?action=${action}&limit=50`,
            headers: auth(),
          })
        ).json().events as Array<Record<string, unknown>>

      it('creates the first administrator from the command line only once', async () => {
        const first = await createFirstAdmin(deps, 'chief', PASSWORD)
        expect(first.user.roles).toEqual(['admin'])
        await expect(createFirstAdmin(deps, 'second')).rejects.toThrow(/there are users already/)
        expect((await auditOf('user_created'))[0]).toMatchObject({
          actor: 'cli',
          targetId: first.user.id,
        })
      })

      it('signs in with an HTTP-only, SameSite=Strict cookie and a CSRF token, and audits it', async () => {
        const res = await login('chief')
        expect(res.statusCode).toBe(200)
        const cookie = res.cookies.find((c) => c.name === 't311_session')
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
        expect(res.json()).toMatchObject({
          user: { username: 'chief', roles: ['admin'] },
          abilities: { 'user:manage': true },
        })
        expect(res.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/)
        expect(JSON.stringify(res.json())).not.toContain('$argon2')
        expect(JSON.stringify(res.json())).not.toContain(PASSWORD)
        const me = await app.inject({
          method: 'GET',
          url: '/api/auth/me',
          headers: { cookie: cookieOf(res) },
        })
        expect(me.json()).toMatchObject({
          actor: { id: 'chief', kind: 'user' },
          user: { username: 'chief' },
        })
        expect((await auditOf('login'))[0]).toMatchObject({ actor: 'chief', outcome: 'success' })
      })

      it('refuses a change sent with the session cookie but without the CSRF token', async () => {
        const s = await signedIn('chief')
        const payload = {
          username: 'pat',
          displayName: 'Pat Aide',
          password: PASSWORD,
          roles: ['call_taker'],
        }
        const noToken = await app.inject({
          method: 'POST',
          url: '/api/users',
          headers: { cookie: s.cookie },
          payload,
        })
        expect(noToken.statusCode).toBe(403)
        expect(noToken.json().error.code).toBe('csrf_failed')
        const wrong = await app.inject({
          method: 'POST',
          url: '/api/users',
          headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) },
          payload,
        })
        expect(wrong.statusCode).toBe(403)
        const ok = await app.inject({
          method: 'POST',
          url: '/api/users',
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
          payload,
        })
        expect(ok.statusCode).toBe(201)
        expect(ok.json()).toMatchObject({ username: 'pat', roles: ['call_taker'], active: true })
        expect(
          (await auditOf('access_denied')).some(
            (e) => (e.details as { reason?: string }).reason === 'csrf',
          ),
        ).toBe(true)
        expect((await auditOf('user_created'))[0]).toMatchObject({
          actor: 'chief',
          outcome: 'success',
        })
      })

      it('checks passwords and scopes when an account is created', async () => {
        const bad = await app.inject({
          method: 'POST',
          url: '/api/users',
          headers: auth(),
          payload: { username: 'lee', password: 'short', roles: ['agency_liaison', 'officer'] },
        })
        expect(bad.statusCode).toBe(400)
        expect(
          bad
            .json()
            .error.problems.map((p: { path: string }) => p.path)
            .sort(),
        ).toEqual(['agency', 'district', 'password'])
      })

      it('locks an account after 5 wrong passwords for 10 minutes, auditing each step', async () => {
        for (let i = 0; i < 4; i++)
          expect((await login('pat', 'wrong password!!')).statusCode).toBe(401)
        const fifth = await login('pat', 'wrong password!!')
        expect(fifth.statusCode).toBe(401)
        const locked = await login('pat')
        expect(locked.statusCode).toBe(423)
        expect(locked.json().error.code).toBe('account_locked')
        const failures = (await auditOf('login')).filter(
          (e) => e.outcome === 'failure' && e.actor === 'pat',
        )
        expect(failures.length).toBe(6)
        expect((await auditOf('account_locked'))[0]).toMatchObject({ outcome: 'success' })
        clock.advance(10 * 60_000 + 1)
        expect((await login('pat')).statusCode).toBe(200)
        // Unknown users get the same answer as wrong passwords.
        const unknown = await login('nobody-here')
        expect(unknown.statusCode).toBe(401)
        expect(unknown.json().error.message).toBe(
          (await login('pat', 'wrong password!!')).json().error.message,
        )
      })

      it('locks a session idle for 30 minutes', async () => {
        const s = await signedIn('pat')
        const readCatalogue = () =>
          app.inject({ method: 'GET', url: '/api/call-types', headers: { cookie: s.cookie } })
        clock.advance(29 * 60_000)
        expect((await readCatalogue()).statusCode).toBe(200)
        clock.advance(29 * 60_000)
        expect((await readCatalogue()).statusCode).toBe(200)
        clock.advance(31 * 60_000)
        const idle = await readCatalogue()
        expect(idle.statusCode).toBe(401)
        expect(idle.json().error).toMatchObject({
          code: 'session_ended',
          message: 'the session was locked after a period of inactivity; sign in again',
        })
        expect((await auditOf('session_ended'))[0]).toMatchObject({ details: { reason: 'idle' } })
      })

      it('ends every session of a user who changes their password, and after an administrator does', async () => {
        const a = await signedIn('pat')
        const b = await signedIn('pat')
        const weak = await app.inject({
          method: 'POST',
          url: '/api/auth/password',
          headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
          payload: { current: PASSWORD, next: 'pat' },
        })
        expect(weak.statusCode).toBe(400)
        const next = 'a much longer passphrase 2026'
        const changed = await app.inject({
          method: 'POST',
          url: '/api/auth/password',
          headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
          payload: { current: PASSWORD, next },
        })
        expect(changed.statusCode).toBe(204)
        for (const s of [a, b])
          expect(
            (
              await app.inject({
                method: 'GET',
                url: '/api/auth/me',
                headers: { cookie: s.cookie },
              })
            ).statusCode,
          ).toBe(401)
        expect((await login('pat')).statusCode).toBe(401)
        const c = await signedIn('pat', next)
        const pat = (await app.inject({ method: 'GET', url: '/api/users', headers: auth() }))
          .json()
          .users.find((u: { username: string }) => u.username === 'pat')
        const ended = await app.inject({
          method: 'POST',
          url: `/api/users/${pat.id}/end-sessions`,
          headers: auth(),
        })
        expect(ended.json()).toEqual({ ended: 1 })
        expect(
          (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: c.cookie } }))
            .statusCode,
        ).toBe(401)
        const change = (await auditOf('password_changed'))[0] as {
          actor: string
          outcome: string
          details: { sessionsEnded: number }
        }
        expect(change).toMatchObject({ actor: 'pat', outcome: 'success' })
        // Both sessions opened here, and the one left open by the lockout test.
        expect(change.details.sessionsEnded).toBe(3)
        expect((await auditOf('sessions_ended'))[0]).toMatchObject({
          targetId: pat.id,
          details: { sessionsEnded: 1 },
        })
      })

      it('records role changes and refuses them to everyone but an administrator', async () => {
        const users = (
          await app.inject({ method: 'GET', url: '/api/users', headers: auth() })
        ).json().users
        const pat = users.find((u: { username: string }) => u.username === 'pat')
        const refused = await app.inject({
          method: 'PATCH',
          url: `/api/users/${pat.id}`,
          headers: auth('supervisor'),
          payload: { roles: ['admin'] },
        })
        expect(refused.statusCode).toBe(403)
        const changed = await app.inject({
          method: 'PATCH',
          url: `/api/users/${pat.id}`,
          headers: auth(),
          payload: { roles: ['call_taker', 'supervisor'] },
        })
        expect(changed.json().roles).toEqual(['call_taker', 'supervisor'])
        expect((await auditOf('user_updated'))[0]).toMatchObject({
          details: {
            before: { roles: ['call_taker'] },
            after: { roles: ['call_taker', 'supervisor'] },
          },
        })
        expect(
          (await auditOf('access_denied')).some((e) => e.actor === 'token:test supervisor'),
        ).toBe(true)
      })

      it('issues API tokens shown once, hashed at rest, scoped and revocable', async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/tokens',
          headers: auth(),
          payload: { name: 'telephony screen pop', roles: ['call_taker'] },
        })
        expect(res.statusCode).toBe(201)
        const { id, secret } = res.json()
        expect(secret).toMatch(/^t_/)
        const list = (
          await app.inject({ method: 'GET', url: '/api/tokens', headers: auth() })
        ).json().tokens
        expect(JSON.stringify(list)).not.toContain(secret)
        expect(list.find((t: { id: string }) => t.id === id)).toMatchObject({
          name: 'telephony screen pop',
          roles: ['call_taker'],
          revokedAt: null,
        })
        const use = await app.inject({
          method: 'GET',
          url: '/api/call-types',
          headers: { authorization: `Bearer ${secret}` },
        })
        expect(use.statusCode).toBe(200)
        const beyond = await app.inject({
          method: 'GET',
          url: '/api/users',
          headers: { authorization: `Bearer ${secret}` },
        })
        expect(beyond.statusCode).toBe(403)
        expect(
          (await app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: auth() }))
            .statusCode,
        ).toBe(204)
        expect(
          (
            await app.inject({
              method: 'GET',
              url: '/api/call-types',
              headers: { authorization: `Bearer ${secret}` },
            })
          ).statusCode,
        ).toBe(401)
        expect((await auditOf('token_created'))[0]).toMatchObject({ targetId: id })
        expect((await auditOf('token_revoked'))[0]).toMatchObject({ targetId: id })
        expect((await auditOf('token_rejected')).length).toBeGreaterThan(0)
      })

      it('audits configuration changes: a call type edited, a geography layer replaced', async () => {
        const ct = (
          await app.inject({ method: 'GET', url: '/api/call-types/POTHOLE', headers: auth() })
        ).json()
        const { revision, updatedAt: _u, updatedBy: _b, ...definition } = ct
        const put = await app.inject({
          method: 'PUT',
          url: '/api/call-types/POTHOLE',
          headers: auth('supervisor'),
          payload: {
            definition: { ...definition, slaHours: 48 },
            reason: 'faster repairs promised',
            expectedRevision: revision,
          },
        })
        expect(put.statusCode).toBe(200)
        expect((await auditOf('configuration_changed'))[0]).toMatchObject({
          actor: 'token:test supervisor',
          targetType: 'call_type',
          targetId: 'POTHOLE',
          details: { reason: 'faster repairs promised' },
        })
      })

      it('lets administrators and command search and export the audit log, and audits the export', async () => {
        const s = await signedIn('chief')
        await app.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        })
        expect((await auditOf('logout'))[0]).toMatchObject({ actor: 'chief' })
        expect(
          (await app.inject({ method: 'GET', url: '/api/audit', headers: auth('analyst') }))
            .statusCode,
        ).toBe(403)
        expect(
          (await app.inject({ method: 'GET', url: '/api/audit', headers: auth('command') }))
            .statusCode,
        ).toBe(200)
        const csv = await app.inject({
          method: 'GET',
          url: '/api/audit.csv',
          headers: auth('command'),
        })
        expect(csv.statusCode).toBe(200)
        expect(csv.headers['content-type']).toMatch(/^text\/csv/)
        const lines = csv.body.trim().split('\n')
        expect(lines[0]).toBe(
          'seq,at,actor,actor_kind,action,outcome,target_type,target_id,ip,details',
        )
        expect(lines.length).toBeGreaterThan(20)
        expect(csv.body).not.toContain(PASSWORD)
        expect((await auditOf('audit_exported'))[0]).toMatchObject({ actor: 'token:test command' })
      })
    },
  )
}
