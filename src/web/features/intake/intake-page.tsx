import { type FormEvent, lazy, Suspense, useEffect, useRef, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'
import { CallTypePicker } from './call-type-picker.js'
import { CallsWaiting, type WaitingCall } from './calls-waiting.js'
import {
  type Agency,
  type Answers,
  type CallType,
  type CallTypeSummary,
  type Decision,
  type Duplicate,
  type EscalationQuestion,
  findDuplicates,
  getCallType,
  getScreening,
  linkCaller,
  listAgencies,
  listCallTypes,
  MODE_WORDS,
  type Opened,
  openIncident,
  previewTriage,
  type Suggestion,
} from './intake-api.js'
import { KnowledgePanel } from './knowledge-panel.js'
import { LocationBox } from './location-box.js'
import { ProtocolForm } from './protocol-form.js'

interface Caller {
  anonymous: boolean
  name: string
  phone: string
  callbackConsent: boolean
}

const EMPTY_CALLER: Caller = { anonymous: false, name: '', phone: '', callbackConsent: false }

// The map (MapLibre) is loaded after the form, so the intake screen is usable at once.
const LocationMap = lazy(() => import('./location-map.js'))

interface PlaceContext {
  block: string | null
  street: string | null
  areas: Record<string, string>
}

/**
 * Taking a call: who is calling, where, what kind of call, the protocol questions, the engine's
 * recommendation with its reasons (overridable with a reason), probable duplicates, and the
 * finish that makes the response happen. Keyboard first: Alt+A makes the caller anonymous.
 */
export function IntakePage() {
  const [callTypes, setCallTypes] = useState<CallTypeSummary[]>([])
  const [screening, setScreening] = useState<EscalationQuestion[]>([])
  const [agencies, setAgencies] = useState<Agency[]>([])
  const [caller, setCaller] = useState<Caller>(EMPTY_CALLER)
  // The map is a help, not the form: it starts loading once the form is idle, so the first
  // keystroke never waits for MapLibre.
  const [mapWanted, setMapWanted] = useState(false)
  useEffect(() => {
    const id = requestIdleCallback(() => setMapWanted(true), { timeout: 1000 })
    return () => cancelIdleCallback(id)
  }, [])
  const [locationText, setLocationText] = useState('')
  const [place, setPlace] = useState<Suggestion | null>(null)
  const [context, setContext] = useState<PlaceContext | null>(null)
  const [callType, setCallType] = useState<CallType | null>(null)
  const [answers, setAnswers] = useState<Answers>({})
  const [narrative, setNarrative] = useState('')
  const [decision, setDecision] = useState<Decision | null>(null)
  const [missing, setMissing] = useState<string[]>([])
  const [override, setOverride] = useState<{ mode: string; reason: string } | null>(null)
  const [duplicates, setDuplicates] = useState<Duplicate[]>([])
  const [outcome, setOutcome] = useState<string | null>(null)
  // The incident just opened, to book an appointment or a callback while the caller is on the line.
  const [lastOpened, setLastOpened] = useState<{ id: string; number: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const key = useRef(crypto.randomUUID())
  const first = useRef<HTMLInputElement>(null)

  useEffect(() => {
    listCallTypes()
      .then(setCallTypes)
      .catch(() => setError('cannot load the call types'))
    getScreening()
      .then(setScreening)
      .catch(() => undefined)
    listAgencies()
      .then(setAgencies)
      .catch(() => undefined)
    first.current?.focus()
  }, [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.key.toLowerCase() === 'a') {
        e.preventDefault()
        setCaller((c) => ({ ...c, anonymous: !c.anonymous }))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // The recommendation follows every answer.
  useEffect(() => {
    if (!callType) return
    const t = setTimeout(() => {
      previewTriage(callType.code, answers, place !== null)
        .then((r) => {
          setDecision(r.decision)
          setMissing(r.missingRequired)
        })
        .catch(() => undefined)
    }, 120)
    return () => clearTimeout(t)
  }, [callType, answers, place])

  // Where the point is: block, district, beat, neighborhood.
  useEffect(() => {
    if (!place) {
      setContext(null)
      return
    }
    api<PlaceContext>('GET', `/api/geography/reverse?lat=${place.lat}&lon=${place.lon}`)
      .then(setContext)
      .catch(() => setContext(null))
  }, [place])

  // Probable duplicates once the call type and the place are known.
  useEffect(() => {
    if (!callType || (!place && locationText.trim().length < 6)) {
      setDuplicates([])
      return
    }
    const t = setTimeout(() => {
      findDuplicates(callType.code, place, locationText)
        .then(setDuplicates)
        .catch(() => setDuplicates([]))
    }, 200)
    return () => clearTimeout(t)
  }, [callType, place, locationText])

  const pickCallType = async (c: CallTypeSummary) => {
    setCallType(await getCallType(c.code))
    setAnswers({})
    setOverride(null)
  }

  const reset = (message: string) => {
    setOutcome(message)
    setCaller(EMPTY_CALLER)
    setLocationText('')
    setPlace(null)
    setContext(null)
    setCallType(null)
    setAnswers({})
    setNarrative('')
    setDecision(null)
    setOverride(null)
    setDuplicates([])
    setError(null)
    key.current = crypto.randomUUID()
    first.current?.focus()
  }

  const contact = () => ({
    channel: 'phone_311',
    caller: caller.anonymous
      ? { anonymous: true }
      : {
          anonymous: false,
          ...(caller.name ? { name: caller.name } : {}),
          ...(caller.phone ? { phone: caller.phone } : {}),
          callbackConsent: caller.callbackConsent,
        },
  })

  const finish = async (e: FormEvent) => {
    e.preventDefault()
    if (!callType) return setError('choose the call type')
    setError(null)
    try {
      const body = {
        callType: callType.code,
        contact: contact(),
        ...(locationText.trim()
          ? {
              location: {
                text: locationText.trim(),
                ...(place
                  ? {
                      lat: place.lat,
                      lon: place.lon,
                      ...(place.block ? { block: place.block } : {}),
                    }
                  : {}),
              },
            }
          : {}),
        ...(narrative.trim() ? { narrative: narrative.trim() } : {}),
        answers,
        ...(override ? { override: { mode: override.mode, reason: override.reason } } : {}),
      }
      const opened = await openIncident(body, key.current)
      reset(describe(opened))
      setLastOpened({ id: opened.id, number: opened.number })
    } catch (err) {
      setError(
        err instanceof ApiError
          ? [err.message, ...err.problems.slice(1).map((p) => `${p.path}: ${p.message}`)].join('; ')
          : 'cannot reach the server',
      )
    }
  }

  const link = async (d: Duplicate) => {
    try {
      await linkCaller(d.id, contact(), key.current)
      reset(`Caller linked to ${d.number} (${d.locationText}): no new incident, no new dispatch.`)
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'cannot reach the server')
    }
  }

  // A call answered from the waiting list arrives with the network's number and location.
  const screenPop = (c: WaitingCall) => {
    setOutcome(null)
    setCaller({ ...EMPTY_CALLER, anonymous: false, phone: c.ani ?? '' })
    if (c.ali?.text) setLocationText(c.ali.text)
    if (c.ali?.lat !== undefined && c.ali?.lon !== undefined) {
      setPlace({
        kind: 'address',
        label: c.ali.text ?? '',
        lat: c.ali.lat,
        lon: c.ali.lon,
        block: null,
      })
    }
    key.current = crypto.randomUUID()
  }

  const mode = override?.mode ?? decision?.mode
  return (
    <>
      <div className="status-line" role="status">
        {outcome && <p className="outcome">{outcome}</p>}
      </div>
      {lastOpened && (
        <p className="next-steps">
          <a href={`#/incidents/${lastOpened.id}`}>
            Open {lastOpened.number} to book an appointment or send a unit
          </a>
        </p>
      )}
      <form className="intake" onSubmit={finish} aria-label="Take a call">
        <section aria-labelledby="caller-h">
          <h2 id="caller-h">Caller</h2>
          <label className="inline">
            <input
              ref={first}
              type="checkbox"
              checked={caller.anonymous}
              onChange={(e) => setCaller({ ...caller, anonymous: e.target.checked })}
            />{' '}
            Anonymous (Alt+A)
          </label>
          {!caller.anonymous && (
            <div className="row">
              <label>
                Name
                <input
                  value={caller.name}
                  onChange={(e) => setCaller({ ...caller, name: e.target.value })}
                />
              </label>
              <label>
                Phone
                <input
                  type="tel"
                  value={caller.phone}
                  onChange={(e) => setCaller({ ...caller, phone: e.target.value })}
                />
              </label>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={caller.callbackConsent}
                  onChange={(e) => setCaller({ ...caller, callbackConsent: e.target.checked })}
                />{' '}
                Wants to hear back
              </label>
            </div>
          )}
        </section>

        <section aria-labelledby="where-h">
          <h2 id="where-h">Where</h2>
          <LocationBox
            value={locationText}
            onText={(t) => {
              setLocationText(t)
              setPlace(null)
            }}
            onPick={(s) => {
              setLocationText(s.label)
              setPlace(s)
            }}
          />
          {context && (
            <p className="hint" aria-live="polite">
              {[
                place?.block ?? context.block,
                context.areas.police_district && `${context.areas.police_district} district`,
                context.areas.beat && `beat ${context.areas.beat}`,
                context.areas.neighborhood,
              ]
                .filter(Boolean)
                .join(' · ')}
            </p>
          )}
          <Suspense fallback={<div className="map" />}>
            {mapWanted ? (
              <LocationMap
                point={place}
                onPick={(p) => {
                  api<PlaceContext>('GET', `/api/geography/reverse?lat=${p.lat}&lon=${p.lon}`)
                    .then((c) => {
                      const label =
                        c.block ?? c.street ?? `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`
                      setLocationText(label)
                      setPlace({ kind: 'point', label, lat: p.lat, lon: p.lon, block: c.block })
                    })
                    .catch(() => undefined)
                }}
              />
            ) : (
              <div className="map" />
            )}
          </Suspense>
        </section>

        <section aria-labelledby="what-h">
          <h2 id="what-h">What</h2>
          <CallTypePicker all={callTypes} selected={callType} onPick={pickCallType} />
          {callType && (
            <ProtocolForm
              callType={callType}
              screening={screening}
              answers={answers}
              onChange={setAnswers}
              missing={missing}
            />
          )}
          <label className="field">
            Narrative
            <textarea value={narrative} onChange={(e) => setNarrative(e.target.value)} />
          </label>
        </section>

        <aside className="panels">
          <CallsWaiting onAnswer={screenPop} />
          <section
            aria-labelledby="triage-h"
            aria-live="polite"
            className={decision?.emergency ? 'triage emergency' : 'triage'}
          >
            <h2 id="triage-h">Recommended response</h2>
            {decision ? (
              <>
                <p className="mode">
                  {MODE_WORDS[decision.mode]}
                  {decision.referral ? ` to ${decision.referral}` : ''} · priority{' '}
                  {decision.priority}
                </p>
                <ul className="why">
                  {decision.explanation.map((x) => (
                    <li key={x}>{x}</li>
                  ))}
                </ul>
                <details open={override !== null}>
                  <summary>Override</summary>
                  <label htmlFor="override-mode">Response</label>
                  <select
                    id="override-mode"
                    value={override?.mode ?? ''}
                    onChange={(e) =>
                      setOverride(
                        e.target.value
                          ? { mode: e.target.value, reason: override?.reason ?? '' }
                          : null,
                      )
                    }
                  >
                    <option value="">as recommended</option>
                    {Object.entries(MODE_WORDS).map(([m, w]) => (
                      <option key={m} value={m}>
                        {w}
                      </option>
                    ))}
                  </select>
                  {override && (
                    <>
                      <label htmlFor="override-reason">Reason (required)</label>
                      <input
                        id="override-reason"
                        value={override.reason}
                        onChange={(e) => setOverride({ ...override, reason: e.target.value })}
                        required
                        minLength={3}
                      />
                    </>
                  )}
                </details>
              </>
            ) : (
              <p>Choose the call type.</p>
            )}
          </section>

          {callType && (
            <section aria-labelledby="know-h" className="knowledge">
              <h2 id="know-h">Guidance</h2>
              <p>{callType.description}</p>
              {decision?.referral && (
                <ReferralTarget
                  agency={agencies.find((a) => a.code === decision.referral)}
                  code={decision.referral}
                />
              )}
              {callType.slaHours !== undefined && (
                <p className="hint">Target: resolved within {callType.slaHours} hours.</p>
              )}
            </section>
          )}

          <KnowledgePanel
            callType={callType?.code ?? null}
            point={place ? { lat: place.lat, lon: place.lon } : null}
            incidentId={lastOpened?.id ?? null}
          />

          <section aria-labelledby="dups-h" className="dups">
            <h2 id="dups-h">Probable duplicates</h2>
            {duplicates.length === 0 ? (
              <p>None nearby.</p>
            ) : (
              <ul>
                {duplicates.slice(0, 3).map((d) => (
                  <li key={d.id}>
                    <strong>{d.number}</strong> {d.locationText} — {d.reasons.join(', ')}
                    <button type="button" onClick={() => link(d)}>
                      Link caller to {d.number}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>

        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="finish" disabled={!callType}>
          {mode ? `Finish: ${MODE_WORDS[mode]}` : 'Finish'}
        </button>
      </form>
    </>
  )
}

function ReferralTarget({ agency, code }: { agency: Agency | undefined; code: string }) {
  return (
    <p>
      Refer to <strong>{agency?.name ?? code}</strong>
      {agency?.phone ? ` · ${agency.phone}` : ''}
      {agency?.email ? ` · ${agency.email}` : ''}
    </p>
  )
}

function describe(o: Opened): string {
  const what =
    o.status === 'transferred'
      ? 'transferred to 911 with its package'
      : o.status === 'closed'
        ? `closed: ${o.disposition?.replaceAll('_', ' ')}${o.reportNumber ? `, report number ${o.reportNumber}` : ''}`
        : `${MODE_WORDS[o.mode]?.toLowerCase()} (priority ${o.priority})`
  return `Incident ${o.number} opened: ${what}.`
}
