import { describe, expect, it } from 'vitest'
import {
  type Activation,
  activate,
  activationFor,
  covers,
  deactivate,
  isActive,
} from './activation.js'

const T = Date.parse('2026-11-22T15:00:00Z')
const HOUR = 3_600_000
const snow = (over: Partial<Parameters<typeof activate>[0]> = {}): Activation =>
  activate({
    id: 'a1',
    mode: 'snow',
    title: 'Snow emergency',
    area: { kind: 'police_district', names: ['Central', ' Southeastern '] },
    startsAt: T,
    endsAt: T + 48 * HOUR,
    callTypes: ['snow_hazard'],
    publicBanner: ' Move cars off snow routes. ',
    actor: 'em',
    now: T,
    ...over,
  })

describe('activations', () => {
  it('is on from its start until its end or its deactivation', () => {
    const a = snow()
    expect(isActive(a, T - 1)).toBe(false)
    expect(isActive(a, T)).toBe(true)
    expect(isActive(a, T + 48 * HOUR)).toBe(false)
    expect(isActive(deactivate(a, 'em', T + HOUR), T + 2 * HOUR)).toBe(false)
    expect(isActive(snow({ endsAt: null }), T + 1000 * HOUR)).toBe(true)
  })

  it('tidies what was typed: codes upper case, names trimmed, banner trimmed', () => {
    const a = snow()
    expect(a.callTypes).toEqual(['SNOW_HAZARD'])
    expect(a.area).toEqual({ kind: 'police_district', names: ['Central', 'Southeastern'] })
    expect(a.publicBanner).toBe('Move cars off snow routes.')
  })

  it('refuses an end before the start, an empty area and a second deactivation', () => {
    expect(() => snow({ endsAt: T - 1 })).toThrow(/after the start/)
    expect(() => snow({ area: { kind: 'neighborhood', names: [] } })).toThrow(/at least one/)
    expect(() => deactivate(deactivate(snow(), 'em', T), 'em', T)).toThrow(/already ended/)
  })

  it('covers a place by district or neighborhood, whatever the case; the city covers all', () => {
    const a = snow()
    expect(covers(a, { policeDistrict: 'CENTRAL' })).toBe(true)
    expect(covers(a, { policeDistrict: 'Northwestern' })).toBe(false)
    expect(covers(a, null)).toBe(false)
    expect(covers(snow({ area: { kind: 'city' } }), null)).toBe(true)
  })

  it('tags a call with the newest active activation covering it', () => {
    const older = snow({ id: 'old', area: { kind: 'city' }, now: T - HOUR, startsAt: T - HOUR })
    const newer = snow({ id: 'new' })
    expect(activationFor([older, newer], { policeDistrict: 'Central' }, T)?.id).toBe('new')
    expect(activationFor([older, newer], { policeDistrict: 'Eastern' }, T)?.id).toBe('old')
    expect(activationFor([newer], { policeDistrict: 'Central' }, T - 1)).toBeNull()
  })
})
