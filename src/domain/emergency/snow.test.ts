import { describe, expect, it } from 'vitest'
import { basePriority, clusterHazards, metresToLine, plowPriorities, snowQueue } from './snow.js'

// Two blocks of a local street running east, and an arterial two blocks north.
const local1 = {
  id: 'L1',
  roadClass: 'Local Street',
  line: [
    [-76.61, 39.29],
    [-76.609, 39.29],
  ],
}
const local2 = {
  id: 'L2',
  roadClass: 'Local Street',
  line: [
    [-76.609, 39.29],
    [-76.608, 39.29],
  ],
}
const farLocal = {
  id: 'L9',
  roadClass: 'Local Street',
  line: [
    [-76.6, 39.3],
    [-76.599, 39.3],
  ],
}
const arterial = {
  id: 'A1',
  roadClass: 'Principal Arterial',
  line: [
    [-76.61, 39.2918],
    [-76.608, 39.2918],
  ],
}
const segments = [local1, local2, farLocal, arterial]

describe('snow operations', () => {
  it('plows arterials before collectors before local streets', () => {
    expect(basePriority('Principal Arterial')).toBe(2)
    expect(basePriority('Minor Collector')).toBe(3)
    expect(basePriority('Local Street')).toBe(4)
    expect(basePriority(null)).toBe(4)
  })

  it('measures a point to a street line in metres', () => {
    // 0.0002° of latitude is about 22 m.
    expect(metresToLine({ lat: 39.2902, lon: -76.6095 }, local1.line)).toBeCloseTo(22.2, 0)
  })

  it('without a critical-need location, every street keeps its road-class priority', () => {
    const p = plowPriorities(segments, [])
    expect(p.map((s) => [s.segmentId, s.priority])).toEqual([
      ['L1', 4],
      ['L2', 4],
      ['L9', 4],
      ['A1', 2],
    ])
  })

  it('a dialysis patient at home lifts their street and its neighbours to first, not far ones', () => {
    const home = { lat: 39.2902, lon: -76.6091, kind: 'critical_need' as const, name: null }
    const p = new Map(plowPriorities(segments, [home]).map((s) => [s.segmentId, s]))
    expect(p.get('L1')).toMatchObject({ priority: 1, base: 4, raisedBy: ['critical_need'] })
    expect(p.get('L2')?.priority).toBe(1) // the neighbouring block, 10 m from its end
    expect(p.get('L9')?.priority).toBe(4)
    expect(p.get('A1')?.priority).toBe(2) // 180 m north: beyond the 100 m reach
  })

  it('routes a car blocking a plow to the tow queue, an unplowed street to the plow queue', () => {
    expect(snowQueue('SNOW_CAR_BLOCKING_PLOW')).toBe('tow')
    expect(snowQueue('SNOW_UNPLOWED_STREET')).toBe('plow')
    expect(snowQueue('WIRES_DOWN')).toBe('hazard')
    expect(snowQueue('NOISE')).toBeNull()
  })

  it('clusters hazards by place for each crew', () => {
    const clusters = clusterHazards([
      { incidentId: '1', callType: 'POTHOLE', crew: 'DOT', lat: 39.29, lon: -76.61 },
      { incidentId: '2', callType: 'WIRES_DOWN', crew: 'DOT', lat: 39.2905, lon: -76.61 },
      { incidentId: '3', callType: 'TREE', crew: 'RECPARKS', lat: 39.29, lon: -76.61 },
      { incidentId: '4', callType: 'POTHOLE', crew: 'DOT', lat: 39.3, lon: -76.6 },
    ])
    expect(clusters.map((c) => [c.crew, c.incidentIds])).toEqual([
      ['DOT', ['1', '2']],
      ['DOT', ['4']],
      ['RECPARKS', ['3']],
    ])
  })
})
