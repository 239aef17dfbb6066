import { describe, expect, it } from 'vitest'
import { ConflictError, ValidationError } from '../shared/errors.js'
import {
  advanceStage,
  formatProblemNumber,
  isDay,
  linkIncidents,
  noteOn,
  openProblem,
  type Problem,
  returnStage,
  setOwner,
  setResponseStart,
  unlinkIncident,
} from './problem.js'

const T0 = Date.parse('2026-03-01T15:00:00Z')
const CELL = '892aa8d4b63ffff'

function fresh(over: Partial<Parameters<typeof openProblem>[0]> = {}): Problem {
  return openProblem({
    id: 'p1',
    title: 'Late-night noise on Pratt St',
    origin: { kind: 'hot_spot', places: 'block', ids: ['400 BLOCK E PRATT ST'] },
    blocks: ['400 BLOCK E PRATT ST'],
    cells: [],
    actor: 'ana',
    now: T0,
    ...over,
  }).problem
}

function problemsOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn()
  } catch (err) {
    if (err instanceof ValidationError) return err.problems
    throw err
  }
  throw new Error('expected a ValidationError')
}

describe('openProblem', () => {
  it('opens in scanning with tidy, unique blocks and cells, and records how it began', () => {
    const { problem, event } = openProblem({
      id: 'p1',
      title: '  Drug   market ',
      description: ' corner of Pratt and Gay ',
      origin: { kind: 'selection', incidentIds: ['i1', 'i2'] },
      blocks: ['400 block e pratt st', '400 BLOCK E  PRATT ST', ' '],
      cells: [CELL.toUpperCase(), CELL],
      incidentIds: ['i1', 'i2', 'i1'],
      actor: 'ana',
      now: T0,
    })
    expect(problem).toMatchObject({
      title: 'Drug market',
      description: 'corner of Pratt and Gay',
      stage: 'scanning',
      number: null,
      blocks: ['400 BLOCK E PRATT ST'],
      cells: [CELL],
      responseStart: null,
      owner: null,
      version: 1,
    })
    expect(problem.links.map((l) => l.incidentId)).toEqual(['i1', 'i2'])
    expect(event).toMatchObject({
      kind: 'created',
      actor: 'ana',
      data: { origin: 'selection', blocks: 1, cells: 1, incidents: 2 },
    })
  })

  it('lists every problem with the input at once', () => {
    const problems = problemsOf(() =>
      openProblem({
        id: 'p',
        title: 'x',
        origin: { kind: 'hot_spot', places: 'cell', ids: [] },
        blocks: [],
        cells: ['not-a-cell'],
        actor: 'ana',
        now: T0,
      }),
    )
    expect(problems.map((p) => p.path)).toEqual(['title', 'cells.0'])
    expect(problemsOf(() => fresh({ blocks: [], cells: [] }))[0]).toMatchObject({
      path: 'blocks',
    })
    expect(
      problemsOf(() => fresh({ blocks: Array.from({ length: 201 }, (_, i) => `${i} BLOCK X`) }))[0],
    ).toMatchObject({ path: 'blocks', message: /at most 200/ })
  })
})

describe('SARA stages', () => {
  it('advances one stage at a time, and sets the before/after split on entering the response', () => {
    const a = advanceStage(fresh(), 'scanning', 'pattern seen', 'ana', T0 + 1, '2026-03-01')
    expect(a.problem).toMatchObject({ stage: 'analysis', responseStart: null, version: 2 })
    expect(a.event).toMatchObject({
      kind: 'stage_changed',
      data: { from: 'scanning', to: 'analysis' },
      text: 'pattern seen',
    })
    const r = advanceStage(a.problem, 'analysis', undefined, 'ana', T0 + 2, '2026-03-05')
    expect(r.problem).toMatchObject({ stage: 'response', responseStart: '2026-03-05' })
    expect(r.event.data).toEqual({ from: 'analysis', to: 'response', responseStart: '2026-03-05' })
  })

  it('refuses a second press of the same button instead of skipping a stage', () => {
    const a = advanceStage(fresh(), 'scanning', undefined, 'ana', T0, '2026-03-01').problem
    expect(() => advanceStage(a, 'scanning', undefined, 'ana', T0, '2026-03-01')).toThrow(
      /now in analysis/,
    )
  })

  it('goes back one stage only with a reason; calling off the response clears its start', () => {
    let p = fresh()
    for (const from of ['scanning', 'analysis'] as const)
      p = advanceStage(p, from, undefined, 'ana', T0, '2026-03-05').problem
    expect(() => returnStage(p, 'response', '  ', 'ana', T0)).toThrow(ValidationError)
    const back = returnStage(p, 'response', 'landlord did not agree', 'ana', T0)
    expect(back.problem).toMatchObject({ stage: 'analysis', responseStart: null })
    expect(back.event).toMatchObject({
      data: { from: 'response', to: 'analysis', back: true },
      text: 'landlord did not agree',
    })
    expect(() => returnStage(fresh(), 'scanning', 'why', 'ana', T0)).toThrow(ConflictError)
  })

  it('keeps a response start set by hand through stage changes', () => {
    let p = setResponseStart(fresh(), '2026-02-15', 'ana', T0, '2026-03-01').problem
    expect(p).toMatchObject({ responseStart: '2026-02-15', responseStartSetByHand: true })
    for (const from of ['scanning', 'analysis'] as const)
      p = advanceStage(p, from, undefined, 'ana', T0, '2026-03-05').problem
    expect(p.responseStart).toBe('2026-02-15')
    p = returnStage(p, 'response', 'not yet', 'ana', T0).problem
    expect(p.responseStart).toBe('2026-02-15')
  })

  it('closes after assessment, reopens to assessment, and goes no further', () => {
    let p = fresh()
    for (const from of ['scanning', 'analysis', 'response', 'assessment'] as const)
      p = advanceStage(p, from, undefined, 'ana', T0, '2026-03-05').problem
    expect(p.stage).toBe('closed')
    expect(() => advanceStage(p, 'closed', undefined, 'ana', T0, '2026-03-05')).toThrow(/closed/)
    expect(returnStage(p, 'closed', 'calls came back', 'ana', T0).problem.stage).toBe('assessment')
  })
})

describe('owner, incidents, response start and notes', () => {
  it('sets an owner, refusing the same one twice', () => {
    const owner = { kind: 'nsc' as const, id: 'NSC', name: 'Neighborhood Service Center' }
    const { problem, event } = setOwner(fresh(), owner, 'ana', T0)
    expect(problem.owner).toEqual(owner)
    expect(event).toMatchObject({ kind: 'owner_set', data: { from: null, to: owner } })
    expect(() => setOwner(problem, owner, 'ana', T0)).toThrow(ConflictError)
  })

  it('links incidents once each and unlinks only linked ones', () => {
    const a = linkIncidents(fresh(), ['i1', 'i2', 'i1'], 'ana', T0)
    expect(a.problem.links.map((l) => l.incidentId)).toEqual(['i1', 'i2'])
    expect(a.events.map((e) => e.data.incidentId)).toEqual(['i1', 'i2'])
    const again = linkIncidents(a.problem, ['i2'], 'ana', T0)
    expect(again.events).toEqual([])
    expect(again.problem.version).toBe(a.problem.version)
    const u = unlinkIncident(a.problem, 'i1', 'ana', T0)
    expect(u.problem.links.map((l) => l.incidentId)).toEqual(['i2'])
    expect(() => unlinkIncident(u.problem, 'i1', 'ana', T0)).toThrow(/not linked/)
  })

  it('takes a response start only as a real date, not in the future', () => {
    expect(isDay('2026-02-29')).toBe(false)
    expect(isDay('2024-02-29')).toBe(true)
    expect(
      problemsOf(() => setResponseStart(fresh(), '2026-02-30', 'a', T0, '2026-03-01')),
    ).toEqual([{ path: 'day', message: 'use a date such as 2026-03-01' }])
    expect(() => setResponseStart(fresh(), '2026-03-02', 'a', T0, '2026-03-01')).toThrow(/future/)
  })

  it('keeps notes, refusing empty ones', () => {
    expect(noteOn(fresh(), ' met the landlord ', 'ana', T0).event).toMatchObject({
      kind: 'note',
      text: 'met the landlord',
    })
    expect(() => noteOn(fresh(), ' ', 'ana', T0)).toThrow(ValidationError)
  })

  it('numbers problems by year', () => {
    expect(formatProblemNumber(2026, 7)).toBe('P-2026-0007')
    expect(formatProblemNumber(2026, 12345)).toBe('P-2026-12345')
  })
})
