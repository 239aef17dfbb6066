import { can } from '../../domain/access/policies.js'
import type { Actor } from '../../domain/access/roles.js'
import { ConflictError, NotFoundError } from '../../domain/shared/errors.js'
import type { AppDeps } from '../deps.js'

/** A call ringing at the 311 centre, as the telephony system announced it (screen pop). */
export interface IncomingCall {
  id: string
  line: string | null
  /** Automatic number identification: the caller's number (restricted). */
  ani: string | null
  /** Automatic location identification, as sent. */
  ali: { text?: string; lat?: number; lon?: number } | null
  ringingSince: number
  takenBy: string | null
}

const mayHearCaller = (a: Actor) => can(a, 'caller:read')

/**
 * Calls waiting to be answered: telephony state, kept in memory (it lasts seconds and is
 * re-announced by the phone system after a restart). Each change goes out live, only to roles
 * that may see a caller's number.
 */
export class IncomingCalls {
  readonly #calls = new Map<string, IncomingCall>()

  async announce(
    deps: AppDeps,
    call: Omit<IncomingCall, 'id' | 'ringingSince' | 'takenBy'>,
  ): Promise<IncomingCall> {
    const c: IncomingCall = {
      ...call,
      id: deps.ids.next(),
      ringingSince: deps.clock.now(),
      takenBy: null,
    }
    // Kept for the evaluation's answer times and abandonment; the caller's number is not.
    await deps.store.evaluation.recordOffer({ id: c.id, line: c.line, offeredAt: c.ringingSince })
    this.#calls.set(c.id, c)
    deps.live.publish({ type: 'call_waiting', data: { ...c }, visibleTo: mayHearCaller })
    return c
  }

  waiting(): IncomingCall[] {
    return [...this.#calls.values()]
      .filter((c) => c.takenBy === null)
      .sort((a, b) => a.ringingSince - b.ringingSince)
  }

  /** A call-taker answers: the call leaves every other screen. */
  async take(deps: AppDeps, actor: Actor, id: string): Promise<IncomingCall> {
    const c = this.#calls.get(id)
    if (!c) throw new NotFoundError('waiting call', id)
    if (c.takenBy) throw new ConflictError('call_taken', `${c.takenBy} answered this call already`)
    c.takenBy = actor.id
    this.#calls.delete(id)
    await deps.store.evaluation.endOffer(id, { answeredAt: deps.clock.now(), answeredBy: actor.id })
    deps.live.publish({
      type: 'call_taken',
      data: { id, takenBy: actor.id },
      visibleTo: mayHearCaller,
    })
    return c
  }

  /** The caller hung up before anyone answered (the telephony system says so). */
  async abandon(deps: AppDeps, id: string): Promise<void> {
    const c = this.#calls.get(id)
    if (!c) throw new NotFoundError('waiting call', id)
    this.#calls.delete(id)
    await deps.store.evaluation.endOffer(id, { abandonedAt: deps.clock.now() })
    deps.live.publish({ type: 'call_abandoned', data: { id }, visibleTo: mayHearCaller })
  }
}
