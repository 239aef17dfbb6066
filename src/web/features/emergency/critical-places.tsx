import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

interface CriticalPlace {
  id: string
  kind: 'hospital' | 'dialysis_centre' | 'other'
  name: string
  address: string
}

const KIND_WORDS: Record<CriticalPlace['kind'], string> = {
  hospital: 'Hospital',
  dialysis_centre: 'Dialysis centre',
  other: 'Other critical place',
}

/**
 * The places whose streets the plows clear first (issue #10 item 5): hospitals, dialysis
 * centres, others the city names. Registrants with a critical need are not listed here: they
 * lift their streets only during an activation and are never named on this list.
 */
export function CriticalPlaces({ canManage }: { canManage: boolean }) {
  const [places, setPlaces] = useState<CriticalPlace[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    api<{ places: CriticalPlace[] }>('GET', '/api/snow/critical-places')
      .then((r) => setPlaces(r.places))
      .catch((e: Error) => setError(e.message))
  }, [])
  useEffect(load, [load])

  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    setError(null)
    try {
      await api('POST', '/api/snow/critical-places', {
        kind: f.get('kind'),
        name: f.get('name'),
        address: f.get('address'),
      })
      form.reset()
      load()
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err))
    }
  }

  return (
    <details className="critical-places">
      <summary>Critical places: streets plowed first {places ? `(${places.length})` : ''}</summary>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {places && places.length === 0 ? (
        <p className="hint">No hospital or dialysis centre is on the list yet.</p>
      ) : (
        <ul aria-label="Critical places">
          {(places ?? []).map((p) => (
            <li key={p.id}>
              {p.name} · {KIND_WORDS[p.kind]} · {p.address}
            </li>
          ))}
        </ul>
      )}
      {canManage && (
        <form onSubmit={add} className="activate-form" aria-label="Add a critical place">
          <label className="field">
            Kind
            <select name="kind" defaultValue="dialysis_centre">
              {Object.entries(KIND_WORDS).map(([k, w]) => (
                <option key={k} value={k}>
                  {w}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Name
            <input name="name" required />
          </label>
          <label className="field">
            Street address
            <input name="address" required placeholder="1800 ORLEANS ST" />
          </label>
          <button type="submit">Add the place</button>
        </form>
      )}
    </details>
  )
}
