import { type FormEvent, lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react'
import { type Photo, PhotoInput } from './photo-input.js'
import {
  fetchDefinition,
  fetchRecent,
  fetchServices,
  PublicError,
  type ReportBody,
  type ReportReceipt,
  type Service,
  type ServiceDefinition,
  sendReport,
  sentence,
} from './public-api.js'
import type { MapPoint } from './public-map.js'
import {
  type AnswerValue,
  checkAnswers,
  questionId,
  ServiceQuestions,
} from './service-questions.js'

const PublicMap = lazy(() => import('./public-map.js'))

const DESCRIPTION_MAX = 4000

/** Shown until a category's own notices arrive; the server's wording replaces it. */
const EMERGENCY_FALLBACK =
  'If anyone is in danger, or a crime is happening now, do not use this form: call 911.'

/** The server's checks, said as the field each one is about (by the field's input id). */
function fieldOf(problem: { path: string; message: string }): string | null {
  const path = problem.path.replace(/^body\.?/, '')
  const m = problem.message.trim()
  const attribute = /^attribute (\S+)/.exec(m)?.[1]
  if (attribute) return questionId(attribute)
  if (path === 'photo' || path.startsWith('photo.')) return 'photo'
  if (path.startsWith('contact.email') || /^email\b/.test(m)) return 'contact-email'
  if (path.startsWith('contact.phone') || /^phone\b/.test(m)) return 'contact-phone'
  if (path.startsWith('contact.name') || /^first_name\b/.test(m)) return 'contact-name'
  if (path.startsWith('description') || /^description\b/.test(m)) return 'description'
  if (path.startsWith('address') || /^(a location|lat|long|address)/.test(m)) return 'address'
  if (path.startsWith('serviceCode') || /^service_code\b/.test(m)) return 'category'
  return null
}

const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,190}\.[^\s@<>]{2,}$/
const PHONE = /^\+?[0-9 ().-]{7,25}$/

/**
 * Report a problem: the category (grouped), its questions, where it is (an address, the
 * phone's location or a tap on the map), what it is like, a photo, and — only if the resident
 * wants to hear back — how to reach them. Nothing typed is lost when the server refuses.
 */
export function ReportForm() {
  const [services, setServices] = useState<Service[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [code, setCode] = useState('')
  const [definition, setDefinition] = useState<ServiceDefinition | null>(null)
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>({})
  const [address, setAddress] = useState('')
  const [point, setPoint] = useState<{ lat: number; lon: number } | null>(null)
  const [locating, setLocating] = useState(false)
  const [description, setDescription] = useState('')
  const [photo, setPhoto] = useState<Photo | null>(null)
  const [photoError, setPhotoError] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [phone, setPhone] = useState('')
  const [consent, setConsent] = useState(false)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [general, setGeneral] = useState<string[]>([])
  const [sending, setSending] = useState(false)
  const [receipt, setReceipt] = useState<ReportReceipt | null>(null)
  const [recent, setRecent] = useState<MapPoint[]>([])
  const honeypot = useRef<HTMLInputElement>(null)
  const summary = useRef<HTMLDivElement>(null)
  const done = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    fetchServices()
      .then(setServices)
      .catch((e: unknown) =>
        setLoadError(e instanceof PublicError ? e.message : 'The categories could not be loaded.'),
      )
    // Requests already on the map frame it; the city's street map is for staff only.
    fetchRecent()
      .then((rs) =>
        setRecent(
          rs.flatMap((r) =>
            r.lat !== null && r.long !== null
              ? [{ id: r.service_request_id, lat: r.lat, lon: r.long, open: r.status === 'open' }]
              : [],
          ),
        ),
      )
      .catch(() => undefined)
  }, [])

  useEffect(() => {
    setDefinition(null)
    setAnswers({})
    if (!code) return
    let current = true
    fetchDefinition(code)
      .then((d) => current && setDefinition(d))
      .catch((e: unknown) => {
        if (current)
          setGeneral([
            e instanceof PublicError ? sentence(e.message) : 'The questions could not be loaded.',
          ])
      })
    return () => {
      current = false
    }
  }, [code])

  useEffect(() => {
    if (receipt) done.current?.focus()
  }, [receipt])

  const [errorsShown, setErrorsShown] = useState(0)
  const groups = useMemo(() => {
    const by = new Map<string, Service[]>()
    for (const s of services ?? []) by.set(s.group, [...(by.get(s.group) ?? []), s])
    return [...by.entries()]
  }, [services])
  const service = services?.find((s) => s.service_code === code) ?? null
  const notices = definition
    ? definition.attributes.filter((a) => !a.variable).sort((a, b) => a.order - b.order)
    : []

  const showErrors = (fields: Record<string, string>, other: string[]) => {
    setErrors(fields)
    setGeneral(other)
    setErrorsShown((n) => n + 1)
  }
  // The summary is announced (role=alert) and takes focus, so the list of fixes is read first;
  // after the render that shows it, not in a frame callback that may come before it.
  useEffect(() => {
    if (errorsShown > 0) summary.current?.focus()
  }, [errorsShown])

  const locate = () => {
    if (!navigator.geolocation) return
    setLocating(true)
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false)
        setPoint({ lat: pos.coords.latitude, lon: pos.coords.longitude })
        setErrors(({ address: _, ...rest }) => rest)
      },
      () => {
        setLocating(false)
        setErrors((e) => ({
          ...e,
          address: 'Your location is not available. Type the address instead.',
        }))
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    )
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (sending) return
    const fields: Record<string, string> = {}
    if (!code) fields.category = 'Choose what the problem is'
    if (!address.trim() && !point)
      fields.address = 'Type the address, or choose the place on the map or with your location'
    const checked = definition
      ? checkAnswers(definition.attributes, answers)
      : { attributes: {}, problems: {} }
    Object.assign(fields, checked.problems)
    if (email.trim() && !EMAIL.test(email.trim()))
      fields['contact-email'] = 'Enter an email address like name@example.com'
    if (phone.trim() && !PHONE.test(phone.trim()))
      fields['contact-phone'] = 'Enter a phone number like 410-555-0100'
    if (consent && !email.trim() && !phone.trim())
      fields['contact-email'] = 'To hear back, give an email address or a phone number'
    if (photoError) fields.photo = photoError
    if (Object.keys(fields).length > 0) {
      showErrors(fields, [])
      return
    }
    const contact =
      name.trim() || email.trim() || phone.trim()
        ? {
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(email.trim() ? { email: email.trim() } : {}),
            ...(phone.trim() ? { phone: phone.trim() } : {}),
            consent,
          }
        : undefined
    // Read from the page, not from state: a robot sets the value without typing.
    const website = honeypot.current?.value ?? ''
    const body: ReportBody = {
      serviceCode: code,
      ...(point ? { lat: point.lat, lon: point.lon } : {}),
      ...(address.trim() ? { address: address.trim() } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(Object.keys(checked.attributes).length > 0 ? { attributes: checked.attributes } : {}),
      ...(photo ? { photo: { contentType: photo.contentType, base64: photo.base64 } } : {}),
      ...(contact ? { contact } : {}),
      ...(website ? { website } : {}),
    }
    setSending(true)
    try {
      const r = await sendReport(body)
      setErrors({})
      setGeneral([])
      setReceipt(r)
    } catch (err) {
      if (!(err instanceof PublicError)) {
        showErrors({}, ['The report could not be sent. Try again.'])
        return
      }
      const byField: Record<string, string> = {}
      const other: string[] = []
      for (const p of err.problems) {
        const f = fieldOf(p)
        if (f && !byField[f]) byField[f] = sentence(p.message)
        else other.push(sentence(p.message))
      }
      if (err.problems.length === 0) other.push(sentence(err.message))
      showErrors(byField, other)
    } finally {
      setSending(false)
    }
  }

  const reset = () => {
    setReceipt(null)
    setCode('')
    setAddress('')
    setPoint(null)
    setDescription('')
    setPhoto(null)
    setPhotoError(null)
    setName('')
    setEmail('')
    setPhone('')
    setConsent(false)
    if (honeypot.current) honeypot.current.value = ''
    setErrors({})
    setGeneral([])
    window.scrollTo(0, 0)
    requestAnimationFrame(() => document.getElementById('category')?.focus())
  }

  if (receipt)
    return (
      <section className="pub-card pub-success" aria-labelledby="done-title">
        <h2 id="done-title" ref={done} tabIndex={-1}>
          Thank you: your report was sent
        </h2>
        <p>Your request number is</p>
        <p className="pub-id">{receipt.serviceRequestId}</p>
        <p>{receipt.notice}</p>
        <p className="pub-hint">Keep this number to check on your request later.</p>
        <p>
          <a href={`#/lookup/${encodeURIComponent(receipt.serviceRequestId)}`}>
            Check the status of {receipt.serviceRequestId}
          </a>
        </p>
        <button type="button" className="pub-button pub-secondary" onClick={reset}>
          Report another problem
        </button>
      </section>
    )

  const fieldErrors = Object.entries(errors)
  const err = (id: string) => errors[id]
  const describe = (id: string, ...others: string[]) =>
    [...others, errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  const message = (id: string) =>
    errors[id] ? (
      <p id={`${id}-error`} className="pub-field-error">
        {errors[id]}
      </p>
    ) : null

  return (
    <>
      <div className="pub-notices">
        {(notices.length > 0 ? notices.map((n) => n.description) : [EMERGENCY_FALLBACK]).map(
          (text) => (
            <p key={text} className="pub-notice" role="note">
              <strong>{text}</strong>
            </p>
          ),
        )}
      </div>
      <form className="pub-form" aria-labelledby="page-title" noValidate onSubmit={submit}>
        <div
          ref={summary}
          className={fieldErrors.length + general.length > 0 ? 'pub-errors' : 'pub-errors-empty'}
          role="alert"
          tabIndex={-1}
          aria-labelledby={fieldErrors.length + general.length > 0 ? 'errors-title' : undefined}
        >
          {fieldErrors.length + general.length > 0 ? (
            <>
              <h2 id="errors-title">The report was not sent</h2>
              <ul className="pub-error-list">
                {general.map((g) => (
                  <li key={g}>{g}</li>
                ))}
                {fieldErrors.map(([id, text]) => (
                  <li key={id}>
                    <a
                      className="pub-error-link"
                      href={`#${id}`}
                      onClick={(e) => {
                        e.preventDefault()
                        // A question of choices is a fieldset: its first choice takes focus.
                        const el = document.getElementById(id)
                        ;(el?.tagName === 'FIELDSET'
                          ? (el.querySelector('input') ?? el)
                          : el
                        )?.focus()
                      }}
                    >
                      {text}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
        {loadError ? <p className="pub-field-error">{loadError}</p> : null}

        <div className="pub-field">
          <label className="pub-label" htmlFor="category">
            What is the problem? <span className="pub-req">(required)</span>
          </label>
          {message('category')}
          <select
            id="category"
            value={code}
            aria-required="true"
            aria-invalid={err('category') ? true : undefined}
            aria-describedby={describe('category', service?.description ? 'category-hint' : '')}
            onChange={(e) => {
              setCode(e.target.value)
              setErrors({})
            }}
          >
            <option value="">{services ? 'Choose a category' : 'Loading…'}</option>
            {groups.map(([group, list]) => (
              <optgroup key={group} label={group}>
                {list.map((s) => (
                  <option key={s.service_code} value={s.service_code}>
                    {s.service_name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {service?.description ? (
            <p id="category-hint" className="pub-hint">
              {service.description}
            </p>
          ) : null}
        </div>

        {code && !definition ? (
          <p className="pub-hint" role="status">
            Loading the questions…
          </p>
        ) : null}
        {definition ? (
          <ServiceQuestions
            attributes={definition.attributes}
            answers={answers}
            errors={errors}
            onChange={(c, v) => setAnswers((a) => ({ ...a, [c]: v }))}
          />
        ) : null}

        <fieldset className="pub-group">
          <legend className="pub-legend pub-label">
            Where is it? <span className="pub-req">(required)</span>
          </legend>
          <div className="pub-field">
            <label className="pub-label" htmlFor="address">
              Address or nearest intersection
            </label>
            <p id="address-hint" className="pub-hint">
              For example: 400 E Pratt St, or Charles St and Lombard St.
            </p>
            {message('address')}
            <input
              id="address"
              type="text"
              autoComplete="street-address"
              maxLength={200}
              value={address}
              aria-invalid={err('address') ? true : undefined}
              aria-describedby={describe('address', 'address-hint')}
              onChange={(e) => setAddress(e.target.value)}
            />
          </div>
          {typeof navigator !== 'undefined' && 'geolocation' in navigator ? (
            <button
              type="button"
              className="pub-button pub-secondary"
              onClick={locate}
              disabled={locating}
            >
              {locating ? 'Finding your location…' : 'Use my current location'}
            </button>
          ) : null}
          {recent.length > 0 ? (
            <>
              <p className="pub-hint" id="map-hint">
                Or tap the map to mark the place. Dots are problems already reported.
              </p>
              <Suspense fallback={<div className="pub-map" />}>
                <PublicMap
                  points={recent}
                  picked={point}
                  onPick={(p) => {
                    setPoint(p)
                    setErrors(({ address: _, ...rest }) => rest)
                  }}
                  label="Map of reported problems: tap to mark the place of yours"
                />
              </Suspense>
            </>
          ) : null}
          {point ? (
            <p className="pub-point" role="status">
              Place marked at {point.lat.toFixed(5)}, {point.lon.toFixed(5)}.{' '}
              <button type="button" className="pub-link-button" onClick={() => setPoint(null)}>
                Clear the place
              </button>
            </p>
          ) : null}
        </fieldset>

        <div className="pub-field">
          <label className="pub-label" htmlFor="description">
            Describe the problem (optional)
          </label>
          <p id="description-hint" className="pub-hint">
            What is wrong, and anything that helps the crew find it. Do not include personal
            details. {description.length.toLocaleString('en-US')} of{' '}
            {DESCRIPTION_MAX.toLocaleString('en-US')} characters.
          </p>
          {message('description')}
          <textarea
            id="description"
            rows={5}
            maxLength={DESCRIPTION_MAX}
            value={description}
            aria-invalid={err('description') ? true : undefined}
            aria-describedby={describe('description', 'description-hint')}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>

        <PhotoInput
          id="photo"
          photo={photo}
          error={errors.photo ?? photoError ?? undefined}
          onChange={(p) => {
            setPhoto(p)
            if (p) setErrors(({ photo: _, ...rest }) => rest)
          }}
          onError={(m) => {
            setPhotoError(m)
            if (!m) setErrors(({ photo: _, ...rest }) => rest)
          }}
        />

        <fieldset className="pub-group">
          <legend className="pub-legend pub-label">Your contact details (optional)</legend>
          <p className="pub-hint" id="contact-hint">
            Leave these empty to report without your name. We use them only about this report, and
            never show them publicly.
          </p>
          <div className="pub-field">
            <label className="pub-label" htmlFor="contact-name">
              Name
            </label>
            {message('contact-name')}
            <input
              id="contact-name"
              type="text"
              autoComplete="name"
              maxLength={100}
              value={name}
              aria-invalid={err('contact-name') ? true : undefined}
              aria-describedby={describe('contact-name')}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div className="pub-field">
            <label className="pub-label" htmlFor="contact-email">
              Email
            </label>
            {message('contact-email')}
            <input
              id="contact-email"
              type="email"
              autoComplete="email"
              inputMode="email"
              maxLength={254}
              value={email}
              aria-invalid={err('contact-email') ? true : undefined}
              aria-describedby={describe('contact-email')}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="pub-field">
            <label className="pub-label" htmlFor="contact-phone">
              Phone
            </label>
            {message('contact-phone')}
            <input
              id="contact-phone"
              type="tel"
              autoComplete="tel"
              maxLength={25}
              value={phone}
              aria-invalid={err('contact-phone') ? true : undefined}
              aria-describedby={describe('contact-phone')}
              onChange={(e) => setPhone(e.target.value)}
            />
          </div>
          <label className="pub-choice pub-consent">
            <input
              id="consent"
              type="checkbox"
              checked={consent}
              onChange={(e) => setConsent(e.target.checked)}
            />
            <span>Tell me when this is resolved</span>
          </label>
        </fieldset>

        {/* For robots only: people never see it, and a report with it filled is refused. */}
        <div className="pub-hp" aria-hidden="true">
          <label className="pub-label" htmlFor="website">
            Website
          </label>
          <input
            id="website"
            name="website"
            type="text"
            tabIndex={-1}
            autoComplete="off"
            aria-hidden="true"
            ref={honeypot}
            defaultValue=""
          />
        </div>

        <button type="submit" className="pub-button" disabled={sending}>
          {sending ? 'Sending…' : 'Send report'}
        </button>
      </form>
    </>
  )
}
