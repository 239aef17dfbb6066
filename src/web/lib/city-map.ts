import 'maplibre-gl/dist/maplibre-gl.css'
import * as maplibregl from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { api } from './api.js'

maplibregl.setWorkerUrl(workerUrl)

interface MapSetup {
  tileUrl: string | null
  bounds: [number, number, number, number] | null
}

/**
 * A map of the city for any screen: the city's own streets (no internet needed; a tile server
 * when one is configured), fitted to the city. `onReady` runs once the style has loaded, so
 * callers can add their own layers. Returns a function that removes the map.
 */
export function openCityMap(
  container: HTMLElement,
  onReady: (map: maplibregl.Map) => void,
): () => void {
  let disposed = false
  let map: maplibregl.Map | null = null
  api<MapSetup>('GET', '/api/geography/layers').then((setup) => {
    if (disposed) return
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
    const m = new maplibregl.Map({
      container,
      style,
      attributionControl: false,
      renderWorldCopies: false,
    })
    map = m
    if (setup.bounds)
      m.fitBounds([setup.bounds[0], setup.bounds[1], setup.bounds[2], setup.bounds[3]], {
        duration: 0,
      })
    m.on('load', () => {
      m.addSource('streets', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
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
      onReady(m)
    })
  })
  return () => {
    disposed = true
    map?.remove()
  }
}

export { maplibregl }
