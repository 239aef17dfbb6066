import { distanceMetres } from '../shared/geo.js'
import type { QueuedIncident } from './dispatch-queue.js'
import { UNIT_TYPES_FOR_MODE } from './dispatch-queue.js'
import { availabilityOf, type Unit } from './unit.js'

export interface UnitRecommendation {
  unit: Unit
  /** Metres in a straight line, when both points are known. */
  distanceM: number | null
  /** Why it ranks where it does, in the dispatcher's words. */
  reasons: string[]
}

/** Priorities at or above this urgency may pull a conditionally available unit. */
const PULL_CONDITIONAL_AT_PRIORITY = 2

/**
 * Units that could take the incident, best first: available before conditionally available,
 * call-response before problem-solving units (split force keeps the latter on their problems),
 * same beat, then same district, then nearest. A unit of the wrong type or off duty never
 * appears; a busy problem-solving unit is offered only for an urgent call.
 */
export function recommendUnits(
  incident: Pick<QueuedIncident, 'mode' | 'priority' | 'district' | 'beat' | 'point'>,
  units: readonly Unit[],
  limit = 5,
): UnitRecommendation[] {
  const types = UNIT_TYPES_FOR_MODE[incident.mode]
  if (!types) return []
  const urgent = incident.priority <= PULL_CONDITIONAL_AT_PRIORITY
  const ranked: Array<{ rec: UnitRecommendation; key: number[] }> = []
  for (const unit of units) {
    if (!types.includes(unit.type)) continue
    const availability = availabilityOf(unit)
    if (availability === 'not_available') continue
    if (availability === 'conditionally_available' && !urgent) continue
    const sameBeat = incident.beat !== null && unit.beat === incident.beat
    const sameDistrict = incident.district !== null && unit.district === incident.district
    const distanceM =
      incident.point && unit.position ? distanceMetres(incident.point, unit.position) : null
    const reserved = unit.splitForceRole === 'problem_solving'
    const reasons = [
      availability === 'available' ? 'available' : `interruptible (${unit.activity})`,
      sameBeat ? 'same beat' : sameDistrict ? 'same district' : 'outside the district',
      ...(distanceM !== null ? [`${Math.round(distanceM)} m away`] : []),
      ...(reserved ? ['problem-solving unit'] : []),
    ]
    ranked.push({
      rec: { unit, distanceM, reasons },
      key: [
        availability === 'available' ? 0 : 1,
        reserved ? 1 : 0,
        sameBeat ? 0 : sameDistrict ? 1 : 2,
        distanceM ?? Number.POSITIVE_INFINITY,
      ],
    })
  }
  ranked.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const d = (a.key[i] ?? 0) - (b.key[i] ?? 0)
      if (d !== 0) return d
    }
    return a.rec.unit.callSign.localeCompare(b.rec.unit.callSign)
  })
  return ranked.slice(0, limit).map((r) => r.rec)
}
