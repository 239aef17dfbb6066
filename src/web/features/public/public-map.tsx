import { useEffect, useRef } from 'react'
import { maplibregl } from '../../lib/city-map.js'

/** A request drawn on the map. */
export interface MapPoint {
  id: string
  lat: number
  lon: number
  open: boolean
}

type LatLon = { lat: number; lon: number }

const EMPTY = { type: 'FeatureCollection' as const, features: [] }

/**
 * The public map. The city's street layers are for staff (they need a sign-in), so this map
 * draws only what the public may see — the requests' own points — on a plain background, fitted
 * to them. With `onPick`, a tap sets the report's point.
 */
export default function PublicMap({
  points,
  picked = null,
  onPick,
  label,
}: {
  points: MapPoint[]
  picked?: LatLon | null
  onPick?: (p: LatLon) => void
  label: string
}) {
  const box = useRef<HTMLDivElement>(null)
  const map = useRef<maplibregl.Map | null>(null)
  const marker = useRef<maplibregl.Marker | null>(null)
  const latest = useRef({ points, picked, onPick })
  latest.current = { points, picked, onPick }

  const draw = useRef((m: maplibregl.Map, ps: MapPoint[], frame: boolean) => {
    const features = ps.map((p) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      properties: { id: p.id, color: p.open ? '#b42318' : '#475467' },
    }))
    ;(m.getSource('requests') as maplibregl.GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features,
    })
    if (!frame || ps.length === 0) return
    const lons = ps.map((p) => p.lon)
    const lats = ps.map((p) => p.lat)
    m.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {
      padding: 40,
      maxZoom: 15,
      duration: 0,
    })
  })

  const pin = useRef((m: maplibregl.Map, p: LatLon | null) => {
    marker.current?.remove()
    marker.current = null
    if (!p) return
    marker.current = new maplibregl.Marker({ color: '#1d4ed8' }).setLngLat([p.lon, p.lat]).addTo(m)
    if (!m.getBounds().contains([p.lon, p.lat])) m.easeTo({ center: [p.lon, p.lat], duration: 0 })
  })

  useEffect(() => {
    if (!box.current) return
    const m = new maplibregl.Map({
      container: box.current,
      style: {
        version: 8,
        sources: { requests: { type: 'geojson', data: EMPTY } },
        layers: [
          { id: 'ground', type: 'background', paint: { 'background-color': '#eef0e8' } },
          {
            id: 'requests',
            type: 'circle',
            source: 'requests',
            paint: {
              'circle-radius': 6,
              'circle-color': ['get', 'color'],
              'circle-stroke-color': '#ffffff',
              'circle-stroke-width': 1.5,
            },
          },
        ],
      },
      attributionControl: false,
      renderWorldCopies: false,
      dragRotate: false,
      pitchWithRotate: false,
    })
    m.touchZoomRotate.disableRotation()
    m.on('load', () => {
      map.current = m
      draw.current(m, latest.current.points, true)
      pin.current(m, latest.current.picked)
    })
    m.on('click', (e) => latest.current.onPick?.({ lat: e.lngLat.lat, lon: e.lngLat.lng }))
    return () => {
      map.current = null
      m.remove()
    }
  }, [])

  useEffect(() => {
    if (map.current) draw.current(map.current, points, false)
  }, [points])

  useEffect(() => {
    if (map.current) pin.current(map.current, picked)
  }, [picked])

  return <div ref={box} className="pub-map" role="img" aria-label={label} />
}
