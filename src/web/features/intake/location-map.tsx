import { useEffect, useRef } from 'react'
import { maplibregl, openCityMap } from '../../lib/city-map.js'

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
    if (!box.current) return
    const close = openCityMap(box.current, (m) => {
      map.current = m
      placeMarker.current(m, placed.current)
      m.on('click', (e) => pick.current({ lat: e.lngLat.lat, lon: e.lngLat.lng }))
    })
    return () => {
      close()
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
