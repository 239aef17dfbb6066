import { describe, expect, it } from 'vitest'
import { Simulation } from './engine.js'
import { MinHeap } from './event-queue.js'
import { SeededRandom } from './random.js'

describe('the event heap', () => {
  it('gives keys back smallest first, with their payloads, growing as needed', () => {
    const r = new SeededRandom(1)
    const h = new MinHeap(4)
    const keys: number[] = []
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(r.next() * 1000)
      keys.push(k)
      h.push(k, i)
    }
    const out: number[] = []
    while (h.size > 0) {
      const v = h.pop()
      expect(keys[v]).toBe(h.lastKey)
      out.push(h.lastKey)
    }
    expect(out).toEqual([...keys].sort((a, b) => a - b))
    expect(h.pop()).toBe(-1)
    expect(h.peekKey()).toBe(Number.POSITIVE_INFINITY)
  })

  it('runs events in time order on the virtual clock, and stops at the horizon', () => {
    const sim = new Simulation()
    const seen: Array<[number, number, number]> = []
    sim.schedule(5, 1, 10)
    sim.schedule(2, 2, 20)
    sim.run(100, (kind, ref) => {
      seen.push([sim.now, kind, ref])
      if (kind === 2) sim.after(10, 3, 30)
      if (kind === 3) sim.after(1000, 4, 40)
    })
    expect(seen).toEqual([
      [2, 2, 20],
      [5, 1, 10],
      [12, 3, 30],
    ])
    expect(sim.now).toBe(100)
    expect(sim.pending).toBe(1)
    expect(sim.events).toBe(3)
  })
})

describe('the source beside the heap', () => {
  it('interleaves with heap events in time order, the heap first on a tie', () => {
    const sim = new Simulation()
    const seen: string[] = []
    sim.setSource(1, 0, 0)
    sim.schedule(3, 1, 0)
    sim.run(10, (kind, ref) => {
      seen.push(`${sim.now}:${kind}:${ref}`)
      if (kind === 0 && ref < 3) sim.setSource(sim.now + 1, 0, ref + 1)
    })
    expect(seen).toEqual(['1:0:0', '2:0:1', '3:1:0', '3:0:2', '4:0:3'])
    expect(sim.events).toBe(5)
    expect(sim.pending).toBe(0)
  })
})
