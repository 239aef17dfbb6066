import { type FormEvent, useEffect, useRef, useState } from 'react'
import {
  fetchRequest,
  isRequestNumber,
  localTime,
  PublicError,
  type ServiceRequest,
  sentence,
} from './public-api.js'

/** Open or closed, in words (never by colour alone). */
export function StatusBadge({ status }: { status: ServiceRequest['status'] }) {
  return <span className={`pub-status pub-${status}`}>{status === 'open' ? 'Open' : 'Closed'}</span>
}

/**
 * Look up a request by its number (#/lookup/311-0000123 opens it directly): its status, type,
 * place and times, and the steps the public may read.
 */
export function RequestLookup({ initial }: { initial: string }) {
  const [text, setText] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  const [found, setFound] = useState<ServiceRequest | null>(null)
  const [busy, setBusy] = useState(false)
  const result = useRef<HTMLHeadingElement>(null)
  /** Only the latest look-up's answer is shown. */
  const latest = useRef(0)
  /** Whether the answer about to be shown should take focus (a look-up the person asked for). */
  const focusNext = useRef(false)

  // Focus once the answer is on the screen: a frame callback could run before React commits it.
  useEffect(() => {
    if (found && focusNext.current) {
      focusNext.current = false
      result.current?.focus()
    }
  }, [found])

  const look = async (id: string, focus: boolean) => {
    const n = ++latest.current
    setError(null)
    setFound(null)
    if (!isRequestNumber(id)) {
      setError('Enter the request number you were given, like 311-0000123.')
      return
    }
    setBusy(true)
    try {
      const r = await fetchRequest(id.trim())
      if (n !== latest.current) return
      focusNext.current = focus
      setFound(r)
    } catch (e) {
      if (n !== latest.current) return
      setError(
        e instanceof PublicError && e.status === 404
          ? `No public request has the number ${id.trim()}. Check the number. Some reports, such as crimes, are not shown publicly.`
          : e instanceof PublicError
            ? sentence(e.message)
            : 'The request could not be looked up. Try again.',
      )
    } finally {
      if (n === latest.current) setBusy(false)
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: look up once per address-bar number
  useEffect(() => {
    setText(initial)
    if (initial) void look(initial, false)
  }, [initial])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const id = text.trim()
    // The address bar names the request (to reload or share) without a second look-up.
    if (isRequestNumber(id)) history.replaceState(null, '', `#/lookup/${encodeURIComponent(id)}`)
    void look(id, true)
  }

  return (
    <>
      <form className="pub-form pub-inline-form" onSubmit={submit} noValidate aria-label="Look up">
        <div className="pub-field">
          <label className="pub-label" htmlFor="lookup-id">
            Request number
          </label>
          <p id="lookup-hint" className="pub-hint">
            The number you were given when you reported, like 311-0000123.
          </p>
          <div role="alert">
            {error ? (
              <p id="lookup-error" className="pub-field-error">
                {error}
              </p>
            ) : null}
          </div>
          <input
            id="lookup-id"
            type="text"
            inputMode="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'lookup-hint lookup-error' : 'lookup-hint'}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <button type="submit" className="pub-button" disabled={busy}>
          {busy ? 'Looking up…' : 'Look up'}
        </button>
      </form>
      {found ? (
        <section className="pub-card" aria-labelledby="request-title">
          <h2 id="request-title" ref={result} tabIndex={-1}>
            {found.service_request_id} <StatusBadge status={found.status} />
          </h2>
          <dl className="pub-facts">
            <dt>Status</dt>
            <dd>
              {found.status === 'open' ? 'Open: being worked on' : 'Closed'}
              {found.status_notes ? ` (${found.status_notes})` : ''}
            </dd>
            <dt>Type</dt>
            <dd>{found.service_name}</dd>
            <dt>Where</dt>
            <dd>{found.address ?? 'Not shown'}</dd>
            <dt>Reported</dt>
            <dd>{localTime(found.requested_datetime)}</dd>
            <dt>Last updated</dt>
            <dd>{localTime(found.updated_datetime)}</dd>
            {found.expected_datetime && found.status === 'open' ? (
              <>
                <dt>Expected by</dt>
                <dd>{localTime(found.expected_datetime)}</dd>
              </>
            ) : null}
            {found.agency_responsible ? (
              <>
                <dt>Handled by</dt>
                <dd>{found.agency_responsible}</dd>
              </>
            ) : null}
            {found.description ? (
              <>
                <dt>Description</dt>
                <dd className="pub-text">{found.description}</dd>
              </>
            ) : null}
          </dl>
          {found.notes && found.notes.length > 0 ? (
            <>
              <h3>What has happened</h3>
              <ol className="pub-steps">
                {found.notes.map((n) => (
                  <li key={`${n.datetime}-${n.summary}`}>
                    <time dateTime={n.datetime}>{localTime(n.datetime)}</time>
                    <span>
                      {n.summary}
                      {n.description ? `: ${n.description}` : ''}
                    </span>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  )
}
