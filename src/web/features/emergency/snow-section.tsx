import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../../lib/api.js'
import { type maplibregl, openCityMap } from '../../lib/city-map.js'
import { CriticalPlaces } from './critical-places.js'
import {
  PRIORITY_WORDS,
  type QueuedRequest,
  registryApi,
  type SnowQueues,
  STATE_WORDS,
} from './registry-api.js'

/** Below this zoom the layer would carry the whole city's streets: the map asks to zoom in. */
const MIN_ZOOM = 14

interface SegmentFeature {
  id: string
  properties: { name: string; priority: number; state: string; raisedBy: string[] }
}

/**
 * Snow operations on the emergency operations page (issue #10 item 5): the segment layer (colour
 * by plow priority, faded once plowed), the plow and tow queues side by side, and the hazards
 * each crew has to clear. The streets lifted for a critical need are listed in words too, for
 * those who do not read the map.
 */
export function SnowSection({ canManage }: { canManage: boolean }) {
  const mapEl = useRef<HTMLDivElement | null>(null)
  const mapRef = useRef<maplibregl.Map | null>(null)
  // A request chosen before the map finished loading: the map goes there once it is ready.
  const pending = useRef<[number, number] | null>(null)
  const [queues, setQueues] = useState<SnowQueues | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [inView, setInView] = useState<SegmentFeature[] | null>(null)

  const loadQueues = useCallback(() => {
    registryApi
      .queues()
      .then(setQueues)
      .catch((e: Error) => setError(e.message))
  }, [])

  useEffect(() => {
    loadQueues()
    const t = setInterval(loadQueues, 20_000)
    return () => clearInterval(t)
  }, [loadQueues])

  useEffect(() => {
    if (!mapEl.current) return
    return openCityMap(mapEl.current, (m) => {
      mapRef.current = m
      m.addSource('snow', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
      m.addLayer({
        id: 'snow',
        type: 'line',
        source: 'snow',
        paint: {
          'line-color': [
            'match',
            ['get', 'priority'],
            1,
            '#b42318',
            2,
            '#dc6803',
            3,
            '#2e90fa',
            '#667085',
          ],
          'line-width': ['match', ['get', 'priority'], 1, 6, 2, 4, 3, 3, 2],
          'line-opacity': ['match', ['get', 'state'], 'plowed', 0.35, 1],
        },
      })
      const refresh = () => {
        if (m.getZoom() < MIN_ZOOM) {
          setInView(null)
          ;(m.getSource('snow') as maplibregl.GeoJSONSource | undefined)?.setData({
            type: 'FeatureCollection',
            features: [],
          })
          return
        }
        const b = m.getBounds()
        const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
          .map((x) => x.toFixed(5))
          .join(',')
        api<{ type: 'FeatureCollection'; features: SegmentFeature[] }>(
          'GET',
          `/api/snow/segments?bbox=${bbox}`,
        )
          .then((fc) => {
            ;(m.getSource('snow') as maplibregl.GeoJSONSource | undefined)?.setData(
              fc as unknown as Exclude<maplibregl.GeoJSONSourceSpecification['data'], string>,
            )
            setInView(fc.features)
          })
          .catch((e: Error) => setError(e.message))
      }
      m.on('moveend', refresh)
      if (pending.current) m.jumpTo({ center: pending.current, zoom: 16.5 })
      else refresh()
    })
  }, [])

  const show = (q: QueuedRequest) => {
    if (!q.segment) return
    if (mapRef.current) mapRef.current.jumpTo({ center: q.segment.center, zoom: 16.5 })
    else pending.current = q.segment.center
  }

  const mark = async (segmentId: string, state: string) => {
    try {
      await registryApi.setState(segmentId, state)
      loadQueues()
      mapRef.current?.fire('moveend')
    } catch (e) {
      setError((e as Error).message)
    }
  }

  const raised = (inView ?? []).filter((f) => f.properties.raisedBy.length > 0)
  return (
    <section aria-labelledby="snow-h" className="panel snow-section">
      <h2 id="snow-h">Snow operations</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <div className="snow-map-wrap">
        <div
          ref={mapEl}
          className="snow-map"
          role="img"
          aria-label="Map of street segments coloured by plow priority"
        />
        <ul className="snow-legend" aria-label="Legend">
          <li>
            <span className="swatch p1" /> {PRIORITY_WORDS[1]}
          </li>
          <li>
            <span className="swatch p2" /> {PRIORITY_WORDS[2]}
          </li>
          <li>
            <span className="swatch p3" /> {PRIORITY_WORDS[3]}
          </li>
          <li>
            <span className="swatch p4" /> {PRIORITY_WORDS[4]}
          </li>
          <li>Faded: plowed</li>
        </ul>
      </div>
      <div aria-live="polite">
        {inView === null ? (
          <p className="hint">Zoom in (or choose a request below) to see each street's priority.</p>
        ) : raised.length ? (
          <>
            <h3>Streets in view lifted for a critical need</h3>
            <ul aria-label="Streets lifted for a critical need">
              {groupByStreet(raised).map((g) => (
                <li key={g.key}>
                  {g.name}: {PRIORITY_WORDS[g.priority]}, {g.blocks}{' '}
                  {g.blocks === 1 ? 'block' : 'blocks'}, {STATE_WORDS[g.state]}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="hint">No street in view is lifted for a critical need.</p>
        )}
      </div>
      <CriticalPlaces canManage={canManage} />
      <div className="snow-queues">
        <Queue
          title="Plow requests"
          rows={queues?.plow ?? null}
          onShow={show}
          onMark={canManage ? mark : null}
        />
        <Queue title="Tow requests" rows={queues?.tow ?? null} onShow={show} onMark={null} />
      </div>
      <h3>Hazards by crew</h3>
      {queues && queues.hazards.length === 0 ? (
        <p className="hint">
          No potholes, fallen limbs or wires down reported since the storm began.
        </p>
      ) : (
        <table>
          <caption className="sr-only">Hazards clustered by place, by crew</caption>
          <thead>
            <tr>
              <th scope="col">Crew</th>
              <th scope="col">Reports</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {(queues?.hazards ?? []).map((h) => (
              <tr key={`${h.crew}-${h.incidentIds[0]}`}>
                <td>{h.crew}</td>
                <td>{h.incidentIds.length}</td>
                <td>{h.callTypes.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** One line per street, priority and state: a street is many short segments on the map. */
function groupByStreet(features: SegmentFeature[]) {
  const groups = new Map<
    string,
    { key: string; name: string; priority: number; state: string; blocks: number }
  >()
  for (const f of features) {
    const key = `${f.properties.name}|${f.properties.priority}|${f.properties.state}`
    const g = groups.get(key)
    if (g) g.blocks++
    else groups.set(key, { key, ...f.properties, blocks: 1 })
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function Queue({
  title,
  rows,
  onShow,
  onMark,
}: {
  title: string
  rows: QueuedRequest[] | null
  onShow: (q: QueuedRequest) => void
  onMark: ((segmentId: string, state: string) => void) | null
}) {
  return (
    <div>
      <h3>
        {title} {rows ? `(${rows.length})` : ''}
      </h3>
      {rows === null ? (
        <p className="loading">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="hint">None waiting.</p>
      ) : (
        <table aria-label={title}>
          <thead>
            <tr>
              <th scope="col">Call</th>
              <th scope="col">Where</th>
              <th scope="col">Priority</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((q) => (
              <tr key={q.incident.id}>
                <td>
                  <a href={`#/incidents/${q.incident.id}`}>{q.incident.number}</a>
                </td>
                <td>{q.incident.location?.text ?? 'no location'}</td>
                <td>
                  {q.segment ? PRIORITY_WORDS[q.segment.priority] : 'not on a street'}
                  {q.segment && q.segment.basePriority !== q.segment.priority ? (
                    <small> raised from {PRIORITY_WORDS[q.segment.basePriority]}</small>
                  ) : null}
                </td>
                <td>{q.segment ? STATE_WORDS[q.segment.state] : ''}</td>
                <td>
                  {q.segment ? (
                    <button type="button" onClick={() => onShow(q)}>
                      Show {q.segment.name} on the map
                    </button>
                  ) : null}
                  {q.segment && onMark ? (
                    <button type="button" onClick={() => onMark(q.segment?.id as string, 'plowed')}>
                      Mark {q.segment.name} plowed
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
