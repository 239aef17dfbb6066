import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import { maplibregl, openCityMap } from '../../lib/city-map.js'
import { ActivationDashboard } from './activation-dashboard.js'
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
import { CampaignsSection } from './campaigns.js'
import { NEED_WORDS, registryApi, type WellnessRow } from './registry-api.js'
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
      <FacilitiesMapSection showRegistrants={Boolean(abilities['registry:health'])} />
      {abilities['registry:manage'] && (
        <p>
          <a href="#/emergency/registry">Special-needs registry</a>
        </p>
      )}
      {abilities['snow:read'] && <SnowSection canManage={Boolean(abilities['snow:manage'])} />}
      {abilities['campaign:read'] && <CampaignsSection />}
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
  const [shown, setShown] = useState<string | null>(null)
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
                <td>
                  {a.incidentCount ?? 0}{' '}
                  <button
                    type="button"
                    className="link-button"
                    aria-expanded={shown === a.id}
                    onClick={() => setShown(shown === a.id ? null : a.id)}
                  >
                    Dashboard<span className="sr-only"> of {a.title}</span>
                  </button>
                </td>
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
      {shown && <ActivationDashboard id={shown} />}
    </section>
  )
}

const STATUS_COLOURS = { open: '#1a7f37', full: '#b35900', closed: '#6e7781' }
/** Registrants with a life-sustaining need are drawn in red, the others in purple. */
const REGISTRANT_COLOURS = { critical: '#cf222e', other: '#8250df' }
const CRITICAL = new Set(['power_dependent_equipment', 'oxygen', 'dialysis'])

type Layer = 'facilities' | 'registrants'

/**
 * The operations map (issue #10 item 7): facilities by status, and, for the roles that may
 * read the registry during an activation, the registrants of its area as a second layer. Each
 * layer can be switched off; the lists beside the map say the same in words.
 */
export function FacilitiesMapSection({ showRegistrants }: { showRegistrants: boolean }) {
  const box = useRef<HTMLDivElement>(null)
  const mapRef = useRef<maplibregl.Map | null>(null)
  const [facilities, setFacilities] = useState<Facility[]>([])
  const [registrants, setRegistrants] = useState<WellnessRow[]>([])
  const [shown, setShown] = useState<Record<Layer, boolean>>({
    facilities: true,
    registrants: true,
  })
  useEffect(() => {
    listFacilities()
      .then(setFacilities)
      .catch(() => undefined)
  }, [])
  useEffect(() => {
    if (!showRegistrants) return
    // Outside an activation the registry answers 403: the layer is simply not there.
    registryApi
      .wellness()
      .then((d) => setRegistrants(d.registrants))
      .catch(() => undefined)
  }, [showRegistrants])
  const placed = useMemo(
    () => registrants.filter((r) => r.address.lat !== null && r.address.lon !== null),
    [registrants],
  )
  const empty = facilities.length === 0 && placed.length === 0
  useEffect(() => {
    if (!box.current || empty) return
    return openCityMap(box.current, (map) => {
      mapRef.current = map
      const point = (lon: number, lat: number, properties: Record<string, string>) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [lon, lat] },
        properties,
      })
      map.addSource('facilities', {
        type: 'geojson',
        data: {
          type: 'FeatureCollection',
          features: facilities.flatMap((f) =>
            f.lat === null || f.lon === null
              ? []
              : [point(f.lon, f.lat, { label: `${f.name} (${f.status})`, status: f.status })],
          ),
        },
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
      map.addSource('registrants', {
        type: 'geojson',
        data: {
          type: 'FeatureCollection',
          features: placed.map((r) =>
            point(r.address.lon as number, r.address.lat as number, {
              label: `${r.name}: ${r.health.needs.map((n) => NEED_WORDS[n] ?? n).join(', ')}`,
              critical: r.health.needs.some((n) => CRITICAL.has(n)) ? 'yes' : 'no',
            }),
          ),
        },
      })
      map.addLayer({
        id: 'registrants',
        type: 'circle',
        source: 'registrants',
        paint: {
          'circle-radius': 6,
          'circle-stroke-width': 2,
          'circle-stroke-color': '#fff',
          'circle-color': [
            'match',
            ['get', 'critical'],
            'yes',
            REGISTRANT_COLOURS.critical,
            REGISTRANT_COLOURS.other,
          ],
        },
      })
      for (const layer of ['facilities', 'registrants'])
        map.on('click', layer, (e) => {
          const p = e.features?.[0]?.properties as { label: string } | undefined
          if (p) new maplibregl.Popup().setLngLat(e.lngLat).setText(p.label).addTo(map)
        })
    })
  }, [facilities, placed, empty])
  useEffect(() => {
    const map = mapRef.current
    if (!map?.isStyleLoaded()) return
    for (const layer of ['facilities', 'registrants'] as const)
      if (map.getLayer(layer))
        map.setLayoutProperty(layer, 'visibility', shown[layer] ? 'visible' : 'none')
  }, [shown])

  return (
    <section aria-labelledby="facilities-map-h" className="card">
      <h2 id="facilities-map-h">{showRegistrants ? 'Facilities and registrants' : 'Facilities'}</h2>
      {empty ? (
        <p className="hint">
          No facility is on the list yet: add PODs, shelters and warming centres.
        </p>
      ) : (
        <>
          <fieldset className="map-layers">
            <legend>Layers</legend>
            <label>
              <input
                type="checkbox"
                checked={shown.facilities}
                onChange={(e) => setShown({ ...shown, facilities: e.target.checked })}
              />{' '}
              Facilities ({facilities.length})
            </label>
            {placed.length > 0 && (
              <label>
                <input
                  type="checkbox"
                  checked={shown.registrants}
                  onChange={(e) => setShown({ ...shown, registrants: e.target.checked })}
                />{' '}
                Registrants ({placed.length}; red: oxygen, dialysis or power-dependent)
              </label>
            )}
          </fieldset>
          <div className="facility-layout">
            <div
              ref={box}
              className="facility-map"
              role="img"
              aria-label="Map of the facilities by status and of the registrants by need (listed beside it)"
            />
            <ul className="facility-list">
              {facilities.map((f) => (
                <li key={f.id}>
                  <span className={`dot ${f.status}`} aria-hidden="true" /> {f.name} ·{' '}
                  {KIND_WORDS[f.kind]} · {f.status}
                </li>
              ))}
              {placed.map((r) => (
                <li key={r.id}>
                  <span
                    className={`dot ${r.health.needs.some((n) => CRITICAL.has(n)) ? 'critical' : 'registrant'}`}
                    aria-hidden="true"
                  />{' '}
                  {r.name} · {r.health.needs.map((n) => NEED_WORDS[n] ?? n).join(', ')}
                </li>
              ))}
            </ul>
          </div>
        </>
      )}
      <p>
        <a href="#/emergency/facilities">Manage facilities</a>
      </p>
    </section>
  )
}
