import type { Actor } from '../../domain/access/roles.js'

/** Something that happened that open consoles should see at once. */
export interface LiveEvent {
  type:
    | 'incident'
    | 'call_waiting'
    | 'call_taken'
    | 'call_abandoned'
    | 'unit'
    | 'assignment'
    | 'referral'
  data: Record<string, unknown>
  /** Who may see it: an event carrying a caller's number goes only to roles allowed to. */
  visibleTo: (actor: Actor) => boolean
}

/**
 * The in-process fan-out behind Server-Sent Events. (Several server processes on one
 * PostgreSQL will relay through LISTEN/NOTIFY; one process needs nothing more.)
 */
export class LiveBus {
  readonly #subscribers = new Set<{ actor: Actor; send: (e: LiveEvent) => void }>()

  publish(event: LiveEvent): void {
    for (const s of this.#subscribers) if (event.visibleTo(s.actor)) s.send(event)
  }

  subscribe(actor: Actor, send: (e: LiveEvent) => void): () => void {
    const s = { actor, send }
    this.#subscribers.add(s)
    return () => this.#subscribers.delete(s)
  }

  get size(): number {
    return this.#subscribers.size
  }
}
