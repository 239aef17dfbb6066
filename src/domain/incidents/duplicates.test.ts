import { latLngToCell } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { distanceMetres } from '../shared/geo.js'
import {
  type DuplicateCandidateRow,
  type DuplicateQuery,
  duplicateSearchCells,
  rankDuplicates,
} from './duplicates.js'

// A seeded generator, so a failure can be replayed.
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('duplicateSearchCells', () => {
  it.each([50, 150, 400, 1000])(
    'covers every point within %i m, wherever the centre is',
    (radius) => {
      const rand = rng(radius)
      for (let i = 0; i < 300; i++) {
        const centre = { lat: 39.2 + rand() * 0.17, lon: -76.71 + rand() * 0.18 }
        const cells = new Set(duplicateSearchCells(centre, radius, 9))
        // A point at a random bearing just inside the radius.
        const bearing = rand() * 2 * Math.PI
        const d = radius * 0.999
        const p = {
          lat: centre.lat + (d * Math.cos(bearing)) / 111_320,
          lon:
            centre.lon +
            (d * Math.sin(bearing)) / (111_320 * Math.cos((centre.lat * Math.PI) / 180)),
        }
        expect(distanceMetres(centre, p)).toBeLessThanOrEqual(radius)
        expect(cells.has(latLngToCell(p.lat, p.lon, 9))).toBe(true)
      }
    },
  )
})

describe('rankDuplicates', () => {
  const now = Date.parse('2026-11-22T15:00:00Z')
  const q: DuplicateQuery = {
    family: 'NOISE',
    callType: 'NOISE',
    at: now,
    location: { lat: 39.2866, lon: -76.6106 },
    block: '400 BLOCK E PRATT ST',
    radiusMetres: 150,
    windowMs: 2 * 3600_000,
  }
  const row = (over: Partial<DuplicateCandidateRow>): DuplicateCandidateRow => ({
    id: 'x',
    number: 1,
    callType: 'NOISE',
    family: 'NOISE',
    status: 'pending',
    priority: 4,
    mode: 'dispatch_delayed',
    receivedAt: now - 10 * 60_000,
    lat: 39.2866,
    lon: -76.6106,
    block: null,
    locationText: '',
    contactCount: 1,
    ...over,
  })

  it('keeps near, recent, same-family incidents and ranks nearer and newer first', () => {
    // A same-block report 10 minutes old outranks one at the exact spot 100 minutes old.
    const ranked = rankDuplicates(q, [
      row({ id: 'far', lat: 39.2966 }),
      row({ id: 'old', receivedAt: now - 3 * 3600_000 }),
      row({ id: 'other-family', family: 'THEFT' }),
      row({ id: 'close-old', receivedAt: now - 100 * 60_000 }),
      row({ id: 'close-new', receivedAt: now - 5 * 60_000, lat: 39.2867 }),
      row({ id: 'same-block-no-coords', lat: null, lon: null, block: '400 BLOCK E PRATT ST' }),
    ])
    expect(ranked.map((r) => r.id)).toEqual(['close-new', 'same-block-no-coords', 'close-old'])
    expect(ranked[0]?.reasons).toEqual([
      'same call type (NOISE)',
      '11 m away',
      'reported 5 min ago',
    ])
    expect(ranked[1]?.reasons).toContain('same block (400 BLOCK E PRATT ST)')
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score)
  })

  it('leaves out the incident being checked', () => {
    expect(rankDuplicates({ ...q, excludeId: 'x' }, [row({})])).toEqual([])
  })
})
