import 'maplibre-gl/dist/maplibre-gl.css'
import * as maplibregl from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { useEffect, useRef } from 'react'
import { api } from '../../lib/api.js'

maplibregl.setWorkerUrl(workerUrl)

interface MapSetup {
  tileUrl: string | null
  bounds: [number, number, number, number] | null
}

/**
 * The map beside the location box: the city's own streets (no internet needed; a tile server
 * is used when one is configured), the pin, and a click to set the point.
 */
export default function LocationMap({
  point,
  onPick,
}: {
  point: { lat: number; lon: number } | null
  onPick: (p: { lat: number; lon: number }) => void
}) {
  const box = useRef<HTMLDivElement>(null)
  const map = useRef<maplibregl.Map | null>(null)
  const marker = useRef<maplibregl.Marker | null>(null)
  const pick = useRef(onPick)
  pick.current = onPick

  useEffect(() => {
    let disposed = false
    api<MapSetup>('GET', '/api/geography/layers').then((setup) => {
      if (disposed || !box.current) return
      const style: maplibregl.StyleSpecification = {
        version: 8,
        sources: setup.tileUrl
          ? { tiles: { type: 'raster', tiles: [setup.tileUrl], tileSize: 256 } }
          : {},
        layers: [
          { id: 'ground', type: 'background', paint: { 'background-color': '#eef0e8' } },
          ...(setup.tileUrl ? [{ id: 'tiles', type: 'raster' as const, source: 'tiles' }] : []),
        ],
      }
      const m = new maplibregl.Map({ container: box.current, style, attributionControl: false })
      map.current = m
      if (setup.bounds)
        m.fitBounds([setup.bounds[0], setup.bounds[1], setup.bounds[2], setup.bounds[3]], {
          duration: 0,
        })
      m.on('load', () => {
        m.addSource('streets', {
          type: 'geojson',
          data: { type: 'FeatureCollection', features: [] },
        })
        m.addLayer({
          id: 'streets',
          type: 'line',
          source: 'streets',
          paint: { 'line-color': '#98a2b3', 'line-width': 1.2 },
        })
        const refresh = () => {
          const b = m.getBounds()
          const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
            .map((x) => x.toFixed(5))
            .join(',')
          api<Exclude<maplibregl.GeoJSONSourceSpecification['data'], string>>(
            'GET',
            `/api/map/streets?bbox=${bbox}&zoom=${Math.round(m.getZoom())}`,
          )
            .then((fc) =>
              (m.getSource('streets') as maplibregl.GeoJSONSource | undefined)?.setData(fc),
            )
            .catch(() => undefined)
        }
        m.on('moveend', refresh)
        refresh()
        placeMarker.current(m, placed.current)
      })
      m.on('click', (e) => pick.current({ lat: e.lngLat.lat, lon: e.lngLat.lng }))
    })
    return () => {
      disposed = true
      map.current?.remove()
      map.current = null
    }
  }, [])

  // The point can arrive before the map has loaded (a screen pop fills the location at once),
  // so the load handler places it too.
  const placed = useRef(point)
  placed.current = point
  const placeMarker = useRef((m: maplibregl.Map, p: typeof point) => {
    marker.current?.remove()
    marker.current = null
    if (p) {
      marker.current = new maplibregl.Marker({ color: '#1d4ed8' })
        .setLngLat([p.lon, p.lat])
        .addTo(m)
      m.easeTo({ center: [p.lon, p.lat], zoom: Math.max(m.getZoom(), 16), duration: 0 })
    }
  })

  useEffect(() => {
    if (map.current) placeMarker.current(map.current, point)
  }, [point])

  return (
    <div
      ref={box}
      className="map"
      role="img"
      aria-label="Map of the location: click to set the point"
    />
  )
}
