import { useEffect, useState } from 'react'
import { api } from '../../lib/api.js'

export interface WaitingCall {
  id: string
  line: string | null
  ani: string | null
  ali: { text?: string; lat?: number; lon?: number } | null
  ringingSince: string
}

/**
 * Calls ringing now, announced by the telephony system, kept current over Server-Sent Events.
 * Answering one fills the intake form with its number and location (screen pop).
 */
export function CallsWaiting({ onAnswer }: { onAnswer: (c: WaitingCall) => void }) {
  const [calls, setCalls] = useState<WaitingCall[]>([])

  useEffect(() => {
    let closed = false
    const source = new EventSource('/api/live')
    // Listen first, then read the list, so a call announced in between is not missed.
    source.addEventListener('open', () => {
      api<{ calls: WaitingCall[] }>('GET', '/api/calls/waiting')
        .then((r) => !closed && setCalls(r.calls))
        .catch(() => undefined)
    })
    source.addEventListener('call_waiting', (e) => {
      const c = JSON.parse((e as MessageEvent<string>).data) as WaitingCall & {
        ringingSince: number | string
      }
      setCalls((list) => [
        ...list.filter((x) => x.id !== c.id),
        { ...c, ringingSince: new Date(c.ringingSince).toISOString() },
      ])
    })
    // Answered elsewhere, or the caller hung up: either way it is no longer waiting.
    const gone = (e: Event) => {
      const { id } = JSON.parse((e as MessageEvent<string>).data) as { id: string }
      setCalls((list) => list.filter((x) => x.id !== id))
    }
    source.addEventListener('call_taken', gone)
    source.addEventListener('call_abandoned', gone)
    return () => {
      closed = true
      source.close()
    }
  }, [])

  const answer = async (c: WaitingCall) => {
    const taken = await api<WaitingCall>('POST', `/api/calls/${c.id}/answer`).catch(() => null)
    setCalls((list) => list.filter((x) => x.id !== c.id))
    if (taken) onAnswer(taken)
  }
  return (
    <section aria-labelledby="waiting-h" className="waiting" aria-live="polite">
      <h2 id="waiting-h">Calls waiting ({calls.length})</h2>
      {calls.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {calls.map((c) => (
            <li key={c.id}>
              {c.line ? `${c.line} · ` : ''}
              {c.ani ?? 'number withheld'}
              {c.ali?.text ? ` · ${c.ali.text}` : ''}
              <button type="button" onClick={() => answer(c)}>
                Answer {c.ani ?? 'call'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
