import { useEffect, useRef } from 'react'
import { type maplibregl, openCityMap } from '../../lib/city-map.js'
import type { QueueRow, UnitRow } from './dispatch-api.js'

const COLOR: Record<UnitRow['availability'], string> = {
  available: '#15803d',
  conditionally_available: '#b45309',
  not_available: '#64748b',
}

/** Units (by availability) and calls waiting, on the city map. */
export default function UnitsMap({
  units,
  queue,
  selected,
}: {
  units: UnitRow[]
  queue: QueueRow[]
  selected: string | null
}) {
  const box = useRef<HTMLDivElement>(null)
  const map = useRef<maplibregl.Map | null>(null)
  const data = useRef({ units, queue, selected })
  data.current = { units, queue, selected }

  const draw = useRef((m: maplibregl.Map, us: UnitRow[], qs: QueueRow[], sel: string | null) => {
    const features = [
      ...us
        .filter((u) => u.position)
        .map((u) => ({
          type: 'Feature' as const,
          geometry: {
            type: 'Point' as const,
            coordinates: [u.position?.lon ?? 0, u.position?.lat ?? 0],
          },
          properties: { label: u.callSign, color: COLOR[u.availability], radius: 7 },
        })),
      ...qs
        .filter((q) => q.point)
        .map((q) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [q.point?.lon ?? 0, q.point?.lat ?? 0] },
          properties: {
            label: `P${q.priority} ${q.callType}`,
            color: q.incidentId === sel ? '#1d4ed8' : '#b91c1c',
            radius: q.incidentId === sel ? 9 : 6,
          },
        })),
    ]
    const source = m.getSource('board') as maplibregl.GeoJSONSource | undefined
    source?.setData({ type: 'FeatureCollection', features })
    // Without the city's geography the map starts on the whole world: frame the board instead.
    if (m.getZoom() < 8 && features.length > 0) {
      const lons = features.map((f) => f.geometry.coordinates[0] ?? 0)
      const lats = features.map((f) => f.geometry.coordinates[1] ?? 0)
      m.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {
        padding: 60,
        maxZoom: 14,
        duration: 0,
      })
    }
  })

  useEffect(() => {
    if (!box.current) return
    return openCityMap(box.current, (m) => {
      map.current = m
      m.addSource('board', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
      m.addLayer({
        id: 'board-points',
        type: 'circle',
        source: 'board',
        paint: {
          'circle-color': ['get', 'color'],
          'circle-radius': ['get', 'radius'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      })
      draw.current(m, data.current.units, data.current.queue, data.current.selected)
    })
  }, [])

  useEffect(() => {
    if (map.current) draw.current(map.current, units, queue, selected)
  }, [units, queue, selected])

  return (
    <div
      ref={box}
      className="map board-map"
      role="img"
      aria-label={`Map: ${units.length} units on duty and ${queue.length} calls waiting`}
    />
  )
}
