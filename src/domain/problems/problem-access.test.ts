import { describe, expect, it } from 'vitest'
import { authorizeScope, can, SCOPES } from '../access/policies.js'
import { type Actor, ROLES, type Role } from '../access/roles.js'
import { ForbiddenError } from '../shared/errors.js'

const as = (role: Role, id = 'someone'): Actor => ({ id, roles: [role] })

describe('who may do what with problems', () => {
  it('lets problem solvers manage, officers only read and work, and refuses everyone else', () => {
    const solvers = ['analyst', 'community_policing', 'supervisor', 'command', 'admin']
    for (const role of ROLES) {
      expect(can(as(role), 'problem:manage'), role).toBe(solvers.includes(role))
      expect(can(as(role), 'problem:read'), role).toBe([...solvers, 'officer'].includes(role))
      expect(can(as(role), 'problem:work'), role).toBe([...solvers, 'officer'].includes(role))
    }
  })

  it('lets an officer work only a problem they own', () => {
    const mine = { owner: { kind: 'officer', id: 'olly' } }
    const theirs = { owner: { kind: 'officer', id: 'pat' } }
    const nscs = { owner: { kind: 'nsc', id: 'olly' } }
    expect(SCOPES.problem(as('officer', 'olly'), mine)).toBe(true)
    expect(SCOPES.problem(as('officer', 'olly'), theirs)).toBe(false)
    // An agency code that happens to equal a user name is not that officer.
    expect(SCOPES.problem(as('officer', 'olly'), nscs)).toBe(false)
    expect(SCOPES.problem(as('officer', 'olly'), { owner: null })).toBe(false)
    expect(SCOPES.problem(as('analyst'), theirs)).toBe(true)
    expect(() => authorizeScope(as('officer', 'olly'), 'problem', theirs)).toThrow(ForbiddenError)
  })
})
