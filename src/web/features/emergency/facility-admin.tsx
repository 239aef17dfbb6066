import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import {
  type Facility,
  KIND_WORDS,
  listFacilities,
  saveFacility,
  setFacilityStatus,
} from './emergency-api.js'
import './emergency.css'

const EMPTY = {
  kind: 'warming_centre',
  name: '',
  address: '',
  hours: '',
  capacity: '',
  accessibility: '',
  transit: '',
  parking: '',
}

/** Facility admin (#/emergency/facilities): add PODs, shelters, warming centres; open or close. */
export function FacilityAdmin({ canManage }: { canManage: boolean }) {
  const [list, setList] = useState<Facility[]>([])
  const [form, setForm] = useState(EMPTY)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    listFacilities()
      .then(setList)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)))
  }, [])
  useEffect(load, [load])
  const field = (k: keyof typeof EMPTY) => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }),
  })
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      await saveFacility({
        ...form,
        capacity: form.capacity ? Number(form.capacity) : null,
      })
      setForm(EMPTY)
      load()
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err))
    }
  }
  const status = (f: Facility, s: string) =>
    setFacilityStatus(f.id, s)
      .then(load)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)))

  return (
    <div className="facility-admin">
      <h1>Facilities</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {canManage && (
        <section aria-labelledby="add-facility-h" className="card">
          <h2 id="add-facility-h">Add a facility</h2>
          <form onSubmit={submit} className="facility-form">
            <label className="field">
              Kind
              <select {...field('kind')}>
                {Object.entries(KIND_WORDS).map(([k, w]) => (
                  <option key={k} value={k}>
                    {w}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Name
              <input {...field('name')} required />
            </label>
            <label className="field">
              Street address
              <input {...field('address')} required />
            </label>
            <label className="field">
              Hours
              <input {...field('hours')} />
            </label>
            <label className="field">
              Capacity (people)
              <input {...field('capacity')} inputMode="numeric" pattern="[0-9]*" />
            </label>
            <label className="field">
              Accessibility
              <input {...field('accessibility')} />
            </label>
            <label className="field">
              Transit
              <input {...field('transit')} />
            </label>
            <label className="field">
              Parking
              <input {...field('parking')} />
            </label>
            <button type="submit">Add facility</button>
          </form>
        </section>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Facility</th>
            <th scope="col">Address</th>
            <th scope="col">Hours</th>
            <th scope="col">Capacity</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {list.map((f) => (
            <tr key={f.id}>
              <td>
                {f.name}
                <br />
                <small>{KIND_WORDS[f.kind]}</small>
              </td>
              <td>
                {f.address}
                {f.lat === null && <small> (not on the map)</small>}
              </td>
              <td>{f.hours}</td>
              <td>{f.capacity ?? '—'}</td>
              <td>
                {canManage ? (
                  <select
                    aria-label={`Status of ${f.name}`}
                    value={f.status}
                    onChange={(e) => status(f, e.target.value)}
                  >
                    <option value="open">open</option>
                    <option value="full">full</option>
                    <option value="closed">closed</option>
                  </select>
                ) : (
                  f.status
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
