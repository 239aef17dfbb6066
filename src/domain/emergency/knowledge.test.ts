import { describe, expect, it } from 'vitest'
import { approveVersion, currentVersion, draftVersion, type KnowledgeVersion } from './knowledge.js'

const T = Date.parse('2026-11-22T15:00:00Z')
const v = (n: number, over: Partial<KnowledgeVersion> = {}): KnowledgeVersion => ({
  ...draftVersion({
    id: `v${n}`,
    articleId: 'a',
    version: n,
    body: `text ${n}`,
    author: 'ann',
    now: T,
  }),
  ...over,
})

describe('official information', () => {
  it('shows only an approved version, the newest whose validity covers now', () => {
    const v1 = approveVersion(v(1), 'sam', T)
    const v2 = v(2)
    expect(currentVersion([v1, v2], T)?.id).toBe('v1')
    const v2ok = approveVersion(v2, 'sam', T)
    expect(currentVersion([v1, v2ok], T)?.id).toBe('v2')
    // A version that expired gives way to the one before it; one not yet valid is not shown.
    const expired = { ...v2ok, validTo: T + 10 }
    expect(currentVersion([v1, expired], T + 10)?.id).toBe('v1')
    const later = { ...v2ok, validFrom: T + 10 }
    expect(currentVersion([v1, later], T)?.id).toBe('v1')
    expect(currentVersion([v(1)], T)).toBeNull()
  })

  it('needs a second person: the author may not approve their own version, nor twice', () => {
    expect(() => approveVersion(v(1), 'ann', T)).toThrow(/wrote yourself/)
    const ok = approveVersion(v(1), 'sam', T)
    expect(ok).toMatchObject({ approvedBy: 'sam', approvedAt: T })
    expect(() => approveVersion(ok, 'pat', T)).toThrow(/already approved/)
  })

  it('refuses an empty text and a validity that ends before it starts', () => {
    expect(() =>
      draftVersion({ id: 'x', articleId: 'a', version: 1, body: ' ', author: 'a', now: T }),
    ).toThrow(/text/)
    expect(() =>
      draftVersion({
        id: 'x',
        articleId: 'a',
        version: 1,
        body: 'b',
        author: 'a',
        now: T,
        validTo: T,
      }),
    ).toThrow(/end of validity/)
  })
})
