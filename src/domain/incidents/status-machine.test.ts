import { describe, expect, it } from 'vitest'
import type { Incident, IncidentStatus } from './incident.js'
import { changeStatus } from './status-machine.js'

const base = { id: 'i1', status: 'pending', version: 3, disposition: null } as unknown as Incident
const at = (status: IncidentStatus) => ({ ...base, status })

describe('changeStatus', () => {
  const allowed: Array<[IncidentStatus, IncidentStatus]> = [
    ['new', 'pending'],
    ['new', 'in_progress'],
    ['pending', 'new'],
    ['pending', 'in_progress'],
    ['in_progress', 'pending'],
    ['transferred', 'pending'],
  ]
  it.each(allowed)('%s → %s', (from, to) => {
    const { incident, event } = changeStatus(at(from), { to }, 'u', 1000)
    expect(incident).toMatchObject({ status: to, version: 4, updatedAt: 1000 })
    expect(event).toMatchObject({ kind: 'status_changed', data: { from, to }, actor: 'u' })
  })

  const refused: Array<[IncidentStatus, IncidentStatus]> = [
    ['in_progress', 'new'],
    ['closed', 'pending'],
    ['closed', 'in_progress'],
    ['transferred', 'in_progress'],
  ]
  it.each(refused)('%s → %s is refused', (from, to) => {
    expect(() => changeStatus(at(from), { to }, 'u', 1)).toThrow(/cannot become/)
  })

  it('closes only with a disposition, and only closing takes one', () => {
    expect(() => changeStatus(at('pending'), { to: 'closed' }, 'u', 1)).toThrow(
      'disposition: closing needs a disposition',
    )
    expect(
      changeStatus(at('pending'), { to: 'closed', disposition: 'referred' }, 'u', 1).incident
        .disposition,
    ).toBe('referred')
    expect(() =>
      changeStatus(at('new'), { to: 'pending', disposition: 'referred' }, 'u', 1),
    ).toThrow(/only closing/)
  })

  it('reopens a closed incident only with a reason, clearing its disposition', () => {
    const closed = { ...at('closed'), disposition: 'cancelled' } as Incident
    expect(() => changeStatus(closed, { to: 'new' }, 'u', 1)).toThrow(/reason for reopening/)
    const { incident, event } = changeStatus(
      closed,
      { to: 'new', reason: 'caller rang back: still going on' },
      'u',
      1,
    )
    expect(incident.disposition).toBeNull()
    expect(event.reason).toBe('caller rang back: still going on')
  })

  it('sends transfers and duplicates to their own commands', () => {
    expect(() => changeStatus(at('pending'), { to: 'transferred' }, 'u', 1)).toThrow(
      /escalate command/,
    )
    expect(() =>
      changeStatus(at('pending'), { to: 'closed', disposition: 'duplicate' }, 'u', 1),
    ).toThrow(/duplicate command/)
  })
})
