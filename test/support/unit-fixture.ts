import type { Unit } from '../../src/domain/dispatch/unit.js'

/** A patrol unit in service in Central district, for tests; `over` changes what a test is about. */
export function aUnit(over: Partial<Unit> = {}, at = Date.UTC(2026, 10, 22, 20, 0)): Unit {
  return {
    id: over.callSign ?? 'u1',
    callSign: '1A1',
    type: 'patrol',
    splitForceRole: 'call_response',
    shift: 'B',
    district: 'Central',
    beat: '111',
    activity: null,
    assignmentId: null,
    position: null,
    onDuty: true,
    crew: null,
    updatedAt: at,
    version: 1,
    ...over,
  }
}
