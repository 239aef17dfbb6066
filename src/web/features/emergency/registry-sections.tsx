import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import './snow.css'
import {
  NEED_WORDS,
  NEEDS,
  NEXT_WORDS,
  OUTCOME_WORDS,
  type Registrant,
  registryApi,
  type WellnessRow,
} from './registry-api.js'

const VERIFICATION_WORDS = {
  current: 'Current',
  due_soon: 'Re-verify soon',
  expired: 'Expired: re-verify',
} as const

/**
 * Wellness calls on the emergency operations page (issue #10 item 4): the registrants in the
 * activation's area, life-sustaining needs first, with a button per outcome. Rendered only for
 * roles with 'registry:health'; outside an activation the server refuses and the section says
 * why instead of showing anything.
 */
export function WellnessSection() {
  const [data, setData] = useState<{
    activation: { id: string; title: string }
    registrants: WellnessRow[]
  } | null>(null)
  const [refused, setRefused] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    registryApi
      .wellness()
      .then((d) => {
        setData(d)
        setRefused(null)
      })
      .catch((e: Error) =>
        e instanceof ApiError && e.status === 403 ? setRefused(e.message) : setError(e.message),
      )
  }, [])
  useEffect(load, [load])

  const record = async (r: WellnessRow, outcome: string) => {
    if (!data) return
    try {
      await registryApi.recordCall(r.id, data.activation.id, outcome)
      load()
    } catch (e) {
      setError((e as Error).message)
    }
  }

  return (
    <section aria-labelledby="wellness-h" className="panel">
      <h2 id="wellness-h">Wellness calls</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {refused ? (
        <p className="hint">{refused}</p>
      ) : !data ? (
        <p className="loading">Loading…</p>
      ) : data.registrants.length === 0 ? (
        <p className="hint">No registrant lives in the area of {data.activation.title}.</p>
      ) : (
        <table aria-label="Registrants to call, most urgent need first">
          <thead>
            <tr>
              <th scope="col">Registrant</th>
              <th scope="col">Needs</th>
              <th scope="col">Phone and contacts</th>
              <th scope="col">Calls</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {data.registrants.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.name}
                  <br />
                  <small>{r.address.text}</small>
                </td>
                <td>{r.health.needs.map((n) => NEED_WORDS[n] ?? n).join(', ')}</td>
                <td>
                  {r.phone}
                  {r.health.contacts.map((c) => (
                    <div key={`${c.name}-${c.phone}`}>
                      <small>
                        {c.name} ({c.relationship}) {c.phone}
                      </small>
                    </div>
                  ))}
                </td>
                <td>
                  {r.attempts}
                  {r.next ? ` · ${NEXT_WORDS[r.next]}` : ''}
                </td>
                <td>
                  {Object.entries(OUTCOME_WORDS).map(([code, words]) => (
                    <button key={code} type="button" onClick={() => record(r, code)}>
                      {words}
                      <span className="sr-only"> for {r.name}</span>
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/**
 * The registry's admin screen (#/emergency/registry): enrol a resident with their consent,
 * see who is due for re-verification and record it. It never shows health details: those are
 * for an activation or the registrant's own call.
 */
export function RegistryAdminPage() {
  const [list, setList] = useState<{ registrants: Registrant[]; expired: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const load = useCallback(() => {
    registryApi
      .registrants()
      .then(setList)
      .catch((e: Error) => setError(e.message))
  }, [])
  useEffect(load, [load])

  const enrol = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    const contactName = String(f.get('contactName') ?? '').trim()
    try {
      const r = await registryApi.enrol({
        name: f.get('name'),
        phone: f.get('phone'),
        language: f.get('language') || 'en',
        address: f.get('address'),
        consent: {
          givenBy: f.get('givenBy') || f.get('name'),
          givenAt: new Date().toISOString(),
          method: f.get('method'),
        },
        health: {
          needs: f.getAll('needs'),
          contacts: contactName
            ? [
                {
                  name: contactName,
                  phone: f.get('contactPhone'),
                  relationship: f.get('relationship') ?? '',
                },
              ]
            : [],
          notes: f.get('notes') ?? '',
        },
      })
      setSaved(
        `${r.name} is enrolled; re-verify by ${new Date(r.reverifyBy).toLocaleDateString()}.`,
      )
      setError(null)
      form.reset()
      load()
    } catch (err) {
      const p = err instanceof ApiError ? err.problems.map((x) => x.message).join('; ') : ''
      setError(`${(err as Error).message}${p ? `: ${p}` : ''}`)
    }
  }

  const reverify = async (r: Registrant) => {
    try {
      await registryApi.reverify(r)
      load()
    } catch (err) {
      setError((err as Error).message)
    }
  }

  return (
    <div className="registry">
      <h1>Special-needs registry</h1>
      <p className="hint">
        Voluntary: residents enrol with their consent. Needs and contacts are shown only during an
        activation covering the registrant, or on their own call.
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {saved ? <output>{saved}</output> : null}
      <form aria-label="Enrol a registrant" onSubmit={enrol} className="problem-form">
        <h2>Enrol a registrant</h2>
        <label className="field">
          Name <input name="name" required maxLength={200} />
        </label>
        <label className="field">
          Phone <input name="phone" required inputMode="tel" />
        </label>
        <label className="field">
          Address <input name="address" required />
        </label>
        <label className="field">
          Language <input name="language" defaultValue="en" />
        </label>
        <fieldset>
          <legend>Needs</legend>
          {NEEDS.map((n) => (
            <label key={n}>
              <input type="checkbox" name="needs" value={n} /> {NEED_WORDS[n]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Consent</legend>
          <label className="field">
            Given by (leave empty if the resident) <input name="givenBy" />
          </label>
          <label className="field">
            How
            <select name="method" defaultValue="signed_form">
              <option value="signed_form">Signed form</option>
              <option value="phone">On the phone</option>
              <option value="online">Online</option>
              <option value="in_person">In person</option>
            </select>
          </label>
        </fieldset>
        <fieldset>
          <legend>Emergency contact</legend>
          <label className="field">
            Contact name <input name="contactName" />
          </label>
          <label className="field">
            Contact phone <input name="contactPhone" inputMode="tel" />
          </label>
          <label className="field">
            Relationship <input name="relationship" />
          </label>
        </fieldset>
        <label className="field">
          Notes (e.g. dialysis days) <textarea name="notes" maxLength={2000} />
        </label>
        <button type="submit">Enrol</button>
      </form>
      <h2>Registrants {list ? `(${list.registrants.length}, ${list.expired} expired)` : ''}</h2>
      {!list ? (
        <p className="loading">Loading…</p>
      ) : (
        <table aria-label="Registrants">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Consent</th>
              <th scope="col">Re-verify by</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.registrants.map((r) => (
              <tr key={r.id} className={r.verification === 'expired' ? 'expired' : undefined}>
                <td>{r.name}</td>
                <td>
                  {r.address.text}
                  <br />
                  <small>{r.address.policeDistrict ?? ''}</small>
                </td>
                <td>
                  {r.consent.method.replace('_', ' ')} from {r.consent.givenBy},{' '}
                  {new Date(r.consent.givenAt).toLocaleDateString()}
                </td>
                <td>
                  {new Date(r.reverifyBy).toLocaleDateString()} ·{' '}
                  <strong>{VERIFICATION_WORDS[r.verification]}</strong>
                </td>
                <td>
                  <button type="button" onClick={() => reverify(r)}>
                    Confirmed today<span className="sr-only">: {r.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
