import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import { maplibregl, openCityMap } from '../../lib/city-map.js'
import { areaWords } from './activation-ribbon.js'
import {
  type Activation,
  activate,
  deactivate,
  type Facility,
  KIND_WORDS,
  listActivations,
  listFacilities,
  MODE_WORDS,
  MODES,
} from './emergency-api.js'
import './emergency.css'
import { WellnessSection } from './registry-sections.js'
import { SnowSection } from './snow-section.js'

const message = (e: unknown) =>
  e instanceof ApiError || e instanceof Error ? e.message : String(e)

/**
 * The emergency operations page (#/emergency), made of sections so each part of issue #10 adds
 * its own: the activation panel and the facilities map here; registrants, plow and tow queues
 * and campaigns are further sections.
 */
export function EmergencyPage({ abilities }: { abilities: Record<string, boolean> }) {
  return (
    <div className="emergency-page">
      <h1>Emergency operations</h1>
      <ActivationSection canManage={Boolean(abilities['activation:manage'])} />
      <FacilitiesMapSection />
      {abilities['registry:manage'] && (
        <p>
          <a href="#/emergency/registry">Special-needs registry</a>
        </p>
      )}
      {abilities['snow:read'] && <SnowSection canManage={Boolean(abilities['snow:manage'])} />}
      {/* Health details: only roles that may read them ever mount this section. */}
      {abilities['registry:health'] && <WellnessSection />}
    </div>
  )
}

/** Activate an emergency mode for an area and a period; end it; the list with call counts. */
export function ActivationSection({ canManage }: { canManage: boolean }) {
  const [list, setList] = useState<Activation[]>([])
  const [error, setError] = useState<string | null>(null)
  const [mode, setMode] = useState<string>('snow')
  const [title, setTitle] = useState('Snow emergency')
  const [areaKind, setAreaKind] = useState('city')
  const [names, setNames] = useState('')
  const [endsAt, setEndsAt] = useState('')
  const [callTypes, setCallTypes] = useState('')
  const [banner, setBanner] = useState('')
  const load = useCallback(() => {
    listActivations()
      .then(setList)
      .catch((e) => setError(message(e)))
  }, [])
  useEffect(load, [load])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      await activate({
        mode,
        title,
        area:
          areaKind === 'city'
            ? { kind: 'city' }
            : {
                kind: areaKind,
                names: names
                  .split(',')
                  .map((n) => n.trim())
                  .filter(Boolean),
              },
        ...(endsAt ? { endsAt: new Date(endsAt).toISOString() } : {}),
        callTypes: callTypes
          .split(/[\s,]+/)
          .map((c) => c.trim())
          .filter(Boolean),
        publicBanner: banner,
      })
      load()
    } catch (err) {
      setError(message(err))
    }
  }

  return (
    <section aria-labelledby="activations-h" className="card">
      <h2 id="activations-h">Activations</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {canManage && (
        <form onSubmit={submit} className="activate-form">
          <label className="field">
            Mode
            <select value={mode} onChange={(e) => setMode(e.target.value)}>
              {MODES.map((m) => (
                <option key={m} value={m}>
                  {MODE_WORDS[m]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Title
            <input value={title} onChange={(e) => setTitle(e.target.value)} required />
          </label>
          <label className="field">
            Area
            <select value={areaKind} onChange={(e) => setAreaKind(e.target.value)}>
              <option value="city">Whole city</option>
              <option value="police_district">Police districts</option>
              <option value="neighborhood">Neighborhoods</option>
            </select>
          </label>
          {areaKind !== 'city' && (
            <label className="field">
              Names (comma-separated)
              <input value={names} onChange={(e) => setNames(e.target.value)} required />
            </label>
          )}
          <label className="field">
            Ends (empty: until ended)
            <input
              type="datetime-local"
              value={endsAt}
              onChange={(e) => setEndsAt(e.target.value)}
            />
          </label>
          <label className="field">
            Call types switched on
            <input
              value={callTypes}
              onChange={(e) => setCallTypes(e.target.value)}
              placeholder="SNOW_UNPLOWED_STREET, SNOW_HAZARD"
            />
          </label>
          <label className="field wide">
            Banner on the public page
            <textarea value={banner} onChange={(e) => setBanner(e.target.value)} />
          </label>
          <button type="submit">Activate</button>
        </form>
      )}
      {list.length === 0 ? (
        <p>No activations yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Activation</th>
              <th scope="col">Area</th>
              <th scope="col">Period</th>
              <th scope="col">Calls</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id}>
                <td>{a.title}</td>
                <td>{areaWords(a.area)}</td>
                <td>
                  {new Date(a.startsAt).toLocaleString()} –{' '}
                  {a.endsAt ? new Date(a.endsAt).toLocaleString() : 'until ended'}
                </td>
                <td>{a.incidentCount ?? 0}</td>
                <td>
                  {a.deactivatedAt ? (
                    `ended ${new Date(a.deactivatedAt).toLocaleString()}`
                  ) : canManage ? (
                    <button
                      type="button"
                      onClick={() =>
                        deactivate(a.id)
                          .then(load)
                          .catch((e) => setError(message(e)))
                      }
                    >
                      End {a.title}
                    </button>
                  ) : (
                    'on'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

const STATUS_COLOURS = { open: '#1a7f37', full: '#b35900', closed: '#6e7781' }

/** The facilities as a layer on the city map, coloured by status, with the list beside it. */
export function FacilitiesMapSection() {
  const box = useRef<HTMLDivElement>(null)
  const [facilities, setFacilities] = useState<Facility[]>([])
  useEffect(() => {
    listFacilities()
      .then(setFacilities)
      .catch(() => undefined)
  }, [])
  useEffect(() => {
    if (!box.current || facilities.length === 0) return
    return openCityMap(box.current, (map) => {
      const features = facilities.flatMap((f) =>
        f.lat === null || f.lon === null
          ? []
          : [
              {
                type: 'Feature' as const,
                geometry: { type: 'Point' as const, coordinates: [f.lon, f.lat] },
                properties: { name: f.name, status: f.status },
              },
            ],
      )
      map.addSource('facilities', {
        type: 'geojson',
        data: { type: 'FeatureCollection', features },
      })
      map.addLayer({
        id: 'facilities',
        type: 'circle',
        source: 'facilities',
        paint: {
          'circle-radius': 7,
          'circle-stroke-width': 2,
          'circle-stroke-color': '#fff',
          'circle-color': [
            'match',
            ['get', 'status'],
            'open',
            STATUS_COLOURS.open,
            'full',
            STATUS_COLOURS.full,
            STATUS_COLOURS.closed,
          ],
        },
      })
      map.on('click', 'facilities', (e) => {
        const p = e.features?.[0]?.properties as { name: string; status: string } | undefined
        if (p)
          new maplibregl.Popup().setLngLat(e.lngLat).setText(`${p.name} (${p.status})`).addTo(map)
      })
    })
  }, [facilities])
  return (
    <section aria-labelledby="facilities-map-h" className="card">
      <h2 id="facilities-map-h">Facilities</h2>
      <div className="facility-layout">
        <div
          ref={box}
          className="facility-map"
          role="img"
          aria-label="Map of the facilities, coloured by status (listed beside it)"
        />
        <ul className="facility-list">
          {facilities.map((f) => (
            <li key={f.id}>
              <span className={`dot ${f.status}`} aria-hidden="true" /> {f.name} ·{' '}
              {KIND_WORDS[f.kind]} · {f.status}
            </li>
          ))}
        </ul>
      </div>
      <p>
        <a href="#/emergency/facilities">Manage facilities</a>
      </p>
    </section>
  )
}
