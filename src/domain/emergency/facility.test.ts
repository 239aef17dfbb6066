import { describe, expect, it } from 'vitest'
import { checkFacility, type Facility, nearestOpen, transportReason } from './facility.js'

const f = (
  id: string,
  lat: number | null,
  lon: number | null,
  over: Partial<Facility> = {},
): Facility => ({
  id,
  kind: 'warming_centre',
  name: id,
  address: `${id} St`,
  lat,
  lon,
  policeDistrict: null,
  neighborhood: null,
  hours: '',
  capacity: null,
  accessibility: '',
  transit: '',
  parking: '',
  status: 'open',
  updatedAt: 0,
  updatedBy: 'em',
  ...over,
})

// Baltimore City Hall and a caller at Fayette and Gay.
const caller = { lat: 39.2904, lon: -76.6086 }

describe('nearest open facilities', () => {
  it('ranks open ones by distance in whole metres, leaving out full, closed and unplaced ones', () => {
    const list = [
      f('far', 39.33, -76.65),
      f('near', 39.2911, -76.6105),
      f('full', 39.2905, -76.6087, { status: 'full' }),
      f('closed', 39.2905, -76.6087, { status: 'closed' }),
      f('unplaced', null, null),
      f('shelter', 39.2906, -76.6088, { kind: 'shelter' }),
    ]
    const ranked = nearestOpen(list, caller, { kind: 'warming_centre' })
    expect(ranked.map((r) => r.facility.id)).toEqual(['near', 'far'])
    expect(ranked[0]?.distanceMetres).toBeGreaterThan(100)
    expect(ranked[0]?.distanceMetres).toBeLessThan(250)
    expect(Number.isInteger(ranked[1]?.distanceMetres)).toBe(true)
    expect(nearestOpen(list, caller, { limit: 1 }).map((r) => r.facility.id)).toEqual(['shelter'])
  })

  it('checks a facility and words the transport callback in the queue', () => {
    expect(() => checkFacility(f(' ', 1, 1, { name: ' ' }))).toThrow(/name/)
    expect(() => checkFacility(f('x', 1, 1, { capacity: -1 }))).toThrow(/capacity/)
    expect(transportReason(f('Hall', 1, 1))).toBe('transport needed to Hall')
  })
})
