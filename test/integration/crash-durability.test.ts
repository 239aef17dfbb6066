import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DIALECTS, freshDatabaseUrl, postgresAvailable } from '../support/databases.js'
import { seedDatabase } from '../support/seed-database.js'
import { startServer } from '../support/server-process.js'
import { tokenFor } from '../support/test-app.js'

const TOKEN = tokenFor('call_taker')
const headers = (key: string) => ({
  authorization: `Bearer ${TOKEN}`,
  'content-type': 'application/json',
  'idempotency-key': key,
})
const body = (i: number) =>
  JSON.stringify({
    callType: 'NOISE',
    contact: { channel: 'phone_311', caller: { anonymous: true } },
    location: { text: `${i} E PRATT ST`, lat: 39.2866 + (i % 50) * 1e-4, lon: -76.6106 },
    answers: { source: 'music' },
  })

/**
 * A server under create load is killed with SIGKILL and restarted: every create that got a
 * 2xx must be there exactly once, and retrying the unanswered ones with their idempotency keys
 * must give exactly one incident each.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: crash during create load`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 't311-crash-'))
      let drop = async () => {}
      afterAll(async () => {
        await drop()
        rmSync(dir, { recursive: true, force: true })
      })

      it('keeps every acknowledged incident exactly once after SIGKILL', async () => {
        let url = `sqlite:${join(dir, 'crash.db')}`
        if (dialect === 'postgres') {
          const db = await freshDatabaseUrl('postgres')
          url = db.url
          drop = db.drop
        }
        await seedDatabase(url)
        const env = {
          DATABASE_URL: url,
          CATALOGUE_FILE: 'test/fixtures/mini-catalogue.yaml',
          DEMO_GEOGRAPHY: 'none',
        }
        const first = await startServer(env)
        const acked = new Set<number>()
        const sent = new Set<number>()
        let next = 0
        let stop = false
        const worker = async () => {
          while (!stop) {
            const i = next++
            sent.add(i)
            try {
              const res = await fetch(`${first.url}/api/incidents`, {
                method: 'POST',
                headers: headers(`crash-key-${i}`),
                body: body(i),
              })
              if (res.status === 201) acked.add(i)
              else if (!stop) throw new Error(`create ${i}: ${res.status} ${await res.text()}`)
            } catch (err) {
              if (!stop) throw err
              return
            }
          }
        }
        let failure: unknown = null
        const workers = Array.from({ length: 24 }, () =>
          worker().catch((err) => {
            failure = err
          }),
        )
        // Kill once a fair number of creates have been acknowledged, in the middle of the load.
        while (acked.size < 400 && failure === null) await new Promise((r) => setTimeout(r, 20))
        if (failure) throw failure
        stop = true
        first.child.kill('SIGKILL')
        await Promise.allSettled(workers)
        expect(acked.size).toBeGreaterThanOrEqual(400)

        const second = await startServer(env)
        try {
          const list = async (key: string) => {
            const res = await fetch(`${second.url}/api/incidents?idempotencyKey=${key}`, {
              headers: { authorization: `Bearer ${TOKEN}` },
            })
            return ((await res.json()) as { incidents: Array<{ id: string }> }).incidents
          }
          for (const i of acked)
            expect((await list(`crash-key-${i}`)).length, `acknowledged create ${i}`).toBe(1)

          // The unanswered ones, retried with their keys, end up exactly once too.
          for (const i of sent) {
            if (acked.has(i)) continue
            const res = await fetch(`${second.url}/api/incidents`, {
              method: 'POST',
              headers: headers(`crash-key-${i}`),
              body: body(i),
            })
            expect([200, 201]).toContain(res.status)
          }
          for (const i of sent)
            expect((await list(`crash-key-${i}`)).length, `create ${i} after retry`).toBe(1)
        } finally {
          second.child.kill('SIGTERM')
        }
      }, 120_000)
    },
  )
}
