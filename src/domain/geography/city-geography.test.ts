import { describe, expect, it } from 'vitest'
import { distanceMetres } from '../shared/geo.js'
import { parseStreet } from './address.js'
import { CityGeography, type StreetSegment } from './city-geography.js'

// A made-up grid: Main St runs east (100-198 even on the left/north, 101-199 odd on the right),
// continuing as the 200 block; Oak Ave runs north across it at its east end; N/S Elm run north
// and south of the same point.
const s = (name: string) => parseStreet(name)!
const seg = (
  id: string,
  name: string,
  ranges: [number, number, number, number],
  line: Array<[number, number]>,
  roadClass = 'Local Street',
): StreetSegment => ({
  id,
  street: s(name),
  fromLeft: ranges[0],
  toLeft: ranges[1],
  fromRight: ranges[2],
  toRight: ranges[3],
  line,
  roadClass,
})
const city = new CityGeography({
  segments: [
    seg(
      'm1',
      'Main St',
      [100, 198, 101, 199],
      [
        [-76.62, 39.3],
        [-76.618, 39.3],
      ],
      'Minor Arterial Street',
    ),
    seg(
      'm2',
      'Main St',
      [200, 298, 201, 299],
      [
        [-76.618, 39.3],
        [-76.616, 39.3],
      ],
      'Minor Arterial Street',
    ),
    seg(
      'o1',
      'Oak Ave',
      [0, 0, 0, 0],
      [
        [-76.616, 39.3],
        [-76.616, 39.302],
      ],
    ),
    seg(
      'n1',
      'N Elm St',
      [1, 99, 2, 98],
      [
        [-76.618, 39.3],
        [-76.618, 39.302],
      ],
    ),
    seg(
      's1',
      'S Elm St',
      [1, 99, 2, 98],
      [
        [-76.618, 39.3],
        [-76.618, 39.298],
      ],
    ),
  ],
  areas: [
    {
      layer: 'police_district',
      id: '1',
      name: 'Central',
      polygons: [
        [
          [
            [-76.63, 39.29],
            [-76.61, 39.29],
            [-76.61, 39.31],
            [-76.63, 39.31],
            [-76.63, 39.29],
          ],
        ],
      ],
    },
  ],
  places: [
    { id: 'p1', name: 'Oak Recreation Center', kind: 'facility', lat: 39.301, lon: -76.615 },
  ],
})

describe('CityGeography', () => {
  it('interpolates a house number along its segment, on the side its parity puts it', () => {
    const north = city.geocode('150 Main St')
    const south = city.geocode('151 Main St')
    expect(north).toMatchObject({
      status: 'found',
      match: { kind: 'address', block: '100 BLOCK MAIN ST', segmentId: 'm1' },
    })
    expect(north.match!.lat).toBeGreaterThan(39.3) // even numbers on the left (north) side
    expect(south.match!.lat).toBeLessThan(39.3)
    // Half-way along the block, about 86 m from its start.
    expect(distanceMetres(north.match!, { lat: 39.3, lon: -76.62 })).toBeGreaterThan(80)
    expect(distanceMetres(north.match!, { lat: 39.3, lon: -76.62 })).toBeLessThan(95)
    expect(city.geocode('250 Main St').match?.segmentId).toBe('m2')
  })

  it('finds an intersection from the centerlines, written either way round', () => {
    const a = city.geocode('Main St & Oak Ave')
    const b = city.geocode('oak and main')
    expect(a.status).toBe('found')
    expect(a.match).toMatchObject({ kind: 'intersection', lat: 39.3, lon: -76.616 })
    expect(b.match).toMatchObject({ lat: 39.3, lon: -76.616 })
  })

  it('asks rather than guesses when the direction is missing and both exist', () => {
    const r = city.geocode('50 Elm St')
    expect(r.status).toBe('ambiguous')
    expect(r.candidates.map((c) => c.label).sort()).toEqual(['50 N ELM ST', '50 S ELM ST'])
  })

  it('corrects a misspelling, and says so', () => {
    const r = city.geocode('150 Mian St')
    expect(r.status).toBe('found')
    expect(r.match?.notes).toContain('spelled MIAN, read as MAIN')
  })

  it('never confidently places a number the street does not have, or a street that does not exist', () => {
    expect(city.geocode('9999 Main St').status).toBe('ambiguous')
    expect(city.geocode('9999 Main St').candidates[0]?.kind).toBe('street')
    expect(city.geocode('12 Nowhere Blvd')).toMatchObject({
      status: 'not_found',
      message: 'no street called NOWHERE BLVD in the city',
    })
    expect(city.geocode('Main St & Elmwood Rd').status).toBe('not_found')
  })

  it('places a named place', () => {
    expect(city.geocode('Oak Recreation Center').match).toMatchObject({
      kind: 'place',
      lat: 39.301,
    })
  })

  it('reverse geocodes a point to its block, segment and areas', () => {
    const r = city.reverse({ lat: 39.3001, lon: -76.619 })
    expect(r).toMatchObject({
      segmentId: 'm1',
      street: 'MAIN ST',
      block: '100 BLOCK MAIN ST',
      areas: { police_district: 'Central' },
    })
    expect(r.distanceMetres).toBeLessThan(15)
    expect(city.reverse({ lat: 40, lon: -75 })).toMatchObject({ segmentId: null, areas: {} })
  })

  it('suggests streets, addresses and intersections as the call-taker types', () => {
    expect(city.suggest('m')).toEqual([])
    expect(city.suggest('ma').map((x) => x.label)).toEqual(['MAIN ST'])
    expect(city.suggest('150 ma')).toMatchObject([
      { kind: 'address', label: '150 MAIN ST', block: '100 BLOCK MAIN ST' },
    ])
    expect(city.suggest('main & o').map((x) => x.label)).toEqual(['MAIN ST & OAK AVE'])
    expect(city.suggest('oak r').map((x) => x.label)).toEqual(['Oak Recreation Center'])
    expect(city.suggest('north elm').map((x) => x.label)).toEqual(['N ELM ST'])
    expect(city.suggest('n elm').map((x) => x.label)).toEqual(['N ELM ST'])
  })
})
