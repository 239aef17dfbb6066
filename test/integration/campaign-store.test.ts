import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Campaign,
  type CampaignEntry,
  campaignProgress,
  nextEntry,
  openCampaign,
} from '../../src/domain/emergency/campaign.js'
import { seededRandom } from '../../src/domain/shared/seeded-random.js'
import { openStore } from '../../src/store/open-store.js'
import type { Store } from '../../src/store/ports.js'
import { DIALECTS, freshDatabaseUrl, postgresAvailable } from '../support/databases.js'

const T0 = Date.parse('2026-11-22T15:00:00Z')
const MINUTE = 60_000

/**
 * The campaign store against the pure rules, on both databases: the claim takes people in
 * `nextEntry` order, and the progress grouped in SQL equals `campaignProgress` over the rows.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !postgresAvailable())(
    `${dialect}: campaign store`,
    () => {
      let store: Store
      let drop: () => Promise<void>
      let campaign: Campaign
      const entries: CampaignEntry[] = []

      beforeAll(async () => {
        const db = await freshDatabaseUrl(dialect)
        store = openStore({ url: db.url })
        await store.migrate()
        drop = db.drop
        campaign = openCampaign({
          id: 'c1',
          title: 'Wellness calls',
          source: { kind: 'registry', activationId: 'a1' },
          activationId: 'a1',
          script: 'Checking that you are safe and warm.',
          actor: 'em',
          now: T0,
        })
        // Ranks with ties, due times in the past and future, some held, some finished.
        const random = seededRandom(11)
        for (let i = 0; i < 60; i++) {
          const held = random() < 0.2
          entries.push({
            id: `e${String(i).padStart(3, '0')}`,
            campaignId: 'c1',
            subject: { kind: 'registrant', registrantId: `r${i}` },
            incidentId: null,
            rank: Math.floor(random() * 5),
            state: random() < 0.25 ? 'done' : 'pending',
            attempts: 0,
            lastOutcome: null,
            dueAt: T0 + Math.floor((random() - 0.7) * 60) * MINUTE,
            claimedBy: held ? 'someone' : null,
            claimedUntil: held ? T0 + Math.floor((random() - 0.5) * 20) * MINUTE : null,
            updatedAt: T0,
          })
        }
        await store.campaigns.create(campaign, entries)
      }, 60_000)
      afterAll(async () => {
        await store.close()
        await drop()
      })

      it('takes people in the order of the rules, never one held by someone else', async () => {
        const local = entries.map((e) => ({ ...e }))
        let taken = 0
        for (;;) {
          const expected = nextEntry(local, T0)
          // A new call-taker each time, so nobody is handed back the person they hold.
          const got = await store.campaigns.claimNext('c1', `ct-${taken++}`, T0, T0 + MINUTE)
          expect(got?.id ?? null).toBe(expected?.id ?? null)
          if (!expected || !got) break
          const mine = local.find((e) => e.id === got.id) as CampaignEntry
          mine.claimedBy = got.claimedBy
          mine.claimedUntil = got.claimedUntil
        }
      })

      it('counts progress in the database as the rules count it over the rows', async () => {
        const stored = await store.campaigns.entries('c1')
        for (const at of [T0 - 10 * MINUTE, T0, T0 + 30 * MINUTE]) {
          const sql = (await store.campaigns.progress(['c1', 'none'], at)).get('c1')
          expect(sql).toEqual(campaignProgress(stored, at))
        }
        expect((await store.campaigns.progress(['none'], T0)).get('none')?.total).toBe(0)
      })

      it('saves a call only while the entry is held by the caller of it', async () => {
        const held = (await store.campaigns.entries('c1')).find(
          (e) => e.state === 'pending' && e.claimedBy?.startsWith('ct-'),
        ) as CampaignEntry
        const after = { ...held, state: 'done' as const, attempts: 1, lastOutcome: 'reached_fine' }
        const attempt = {
          id: 'a1',
          campaignId: 'c1',
          entryId: held.id,
          outcome: 'reached_fine',
          note: '',
          at: T0,
          by: held.claimedBy as string,
          incidentId: null,
        }
        await expect(
          store.campaigns.recordAttempt(after, 'not-the-holder', attempt),
        ).rejects.toMatchObject({ code: 'entry_not_held' })
        expect(await store.campaigns.attempts(held.id)).toEqual([])
        await store.campaigns.recordAttempt(after, held.claimedBy as string, attempt)
        expect(await store.campaigns.attempts(held.id)).toEqual([attempt])
        expect(await store.campaigns.entry(held.id)).toMatchObject({ state: 'done', attempts: 1 })
      })
    },
  )
}
