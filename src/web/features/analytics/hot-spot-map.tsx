import { cellToBoundary } from 'h3-js'
import { useEffect, useRef } from 'react'
import { type maplibregl, openCityMap } from '../../lib/city-map.js'
import type { Coincidence, HotSpots, TopBlocks } from './analytics-api.js'

/** Gi* bins as ArcGIS draws them: reds hot, blues cold, by confidence. */
const BIN_COLOR: Record<string, string> = {
  '3': '#b2182b',
  '2': '#ef8a62',
  '1': '#fddbc7',
  '-1': '#d1e5f0',
  '-2': '#67a9cf',
  '-3': '#2166ac',
}

export interface Layers {
  cells: boolean
  blocks: boolean
  coincident: boolean
}

interface Feature {
  type: 'Feature'
  geometry:
    | { type: 'Polygon'; coordinates: Array<Array<[number, number]>> }
    | { type: 'Point'; coordinates: [number, number] }
  properties: Record<string, unknown>
}
type Fc = { type: 'FeatureCollection'; features: Feature[] }

function cellsOf(h: HotSpots | null): Fc {
  return {
    type: 'FeatureCollection',
    features: (h?.rows ?? [])
      .filter((r) => r.fdrBin !== 0)
      .map((r) => {
        const ring = cellToBoundary(r.cell, true) as Array<[number, number]>
        return {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] },
          properties: { color: BIN_COLOR[String(r.fdrBin)], calls: r.count },
        }
      }),
  }
}

function blocksOf(
  rows: Array<{ block: string; point: { lat: number; lon: number } | null }>,
  max: number,
  value: (i: number) => number,
): Fc {
  return {
    type: 'FeatureCollection',
    features: rows.flatMap((r, i) =>
      r.point
        ? [
            {
              type: 'Feature' as const,
              geometry: { type: 'Point' as const, coordinates: [r.point.lon, r.point.lat] },
              properties: {
                label: r.block,
                radius: 4 + 12 * Math.sqrt(value(i) / Math.max(1, max)),
              },
            },
          ]
        : [],
    ),
  }
}

/** The hot-spot layers on the city map: Gi* cells, the top blocks, the 311/911 coincident blocks. */
export default function HotSpotMap(props: {
  hotSpots: HotSpots | null
  topBlocks: TopBlocks | null
  coincidence: Coincidence | null
  layers: Layers
}) {
  const box = useRef<HTMLDivElement>(null)
  const map = useRef<maplibregl.Map | null>(null)
  const latest = useRef(props)
  const framed = useRef<HotSpots | null>(null)
  latest.current = props

  const draw = useRef((m: maplibregl.Map, p: typeof props) => {
    const blocks = p.topBlocks?.rows ?? []
    const maxBlock = Math.max(1, ...blocks.map((b) => b.count))
    const coincident = p.coincidence?.coincidentBlocks ?? []
    const maxC = Math.max(1, ...coincident.map((b) => b.calls311 + b.calls911))
    const set = (id: string, data: Fc) =>
      (m.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(data)
    set('hot-cells', cellsOf(p.hotSpots))
    set(
      'top-blocks',
      blocksOf(blocks, maxBlock, (i) => blocks[i]!.count),
    )
    set(
      'coincident',
      blocksOf(coincident, maxC, (i) => coincident[i]!.calls311 + coincident[i]!.calls911),
    )
    for (const [layer, on] of [
      ['hot-cells', p.layers.cells],
      ['top-blocks', p.layers.blocks],
      ['coincident', p.layers.coincident],
    ] as const)
      if (m.getLayer(layer)) m.setLayoutProperty(layer, 'visibility', on ? 'visible' : 'none')
    // Frame the calls each time the answer changes (not when a layer is switched): they may be
    // in another city than the street file, when the history came from another CAD.
    const points = [
      ...(p.hotSpots?.rows ?? [])
        .filter((r) => r.fdrBin !== 0 || r.count > 0)
        .map((r) => [r.lon, r.lat]),
      ...blocks.flatMap((b) => (b.point ? [[b.point.lon, b.point.lat]] : [])),
    ] as Array<[number, number]>
    if (points.length > 0 && framed.current !== p.hotSpots) {
      framed.current = p.hotSpots
      const lons = points.map((x) => x[0])
      const lats = points.map((x) => x[1])
      m.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {
        padding: 40,
        maxZoom: 15,
        duration: 0,
      })
    }
  })

  useEffect(() => {
    if (!box.current) return
    return openCityMap(box.current, (m) => {
      map.current = m
      const empty: Fc = { type: 'FeatureCollection', features: [] }
      for (const id of ['hot-cells', 'top-blocks', 'coincident'])
        m.addSource(id, { type: 'geojson', data: empty })
      m.addLayer({
        id: 'hot-cells',
        type: 'fill',
        source: 'hot-cells',
        paint: {
          'fill-color': ['get', 'color'],
          'fill-opacity': 0.7,
          'fill-outline-color': '#ffffff',
        },
      })
      m.addLayer({
        id: 'top-blocks',
        type: 'circle',
        source: 'top-blocks',
        paint: {
          'circle-color': '#1d4ed8',
          'circle-opacity': 0.75,
          'circle-radius': ['get', 'radius'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
        },
      })
      m.addLayer({
        id: 'coincident',
        type: 'circle',
        source: 'coincident',
        paint: {
          'circle-color': 'rgba(0,0,0,0)',
          'circle-radius': ['+', ['get', 'radius'], 3],
          'circle-stroke-color': '#7c2d12',
          'circle-stroke-width': 3,
        },
      })
      draw.current(m, latest.current)
    })
  }, [])

  useEffect(() => {
    if (map.current) draw.current(map.current, props)
  })

  return (
    <div
      ref={box}
      className="map analytics-map"
      role="img"
      aria-label={`Map: ${props.hotSpots?.hot ?? 0} hot and ${props.hotSpots?.cold ?? 0} cold H3 cells, ${props.topBlocks?.rows.length ?? 0} top blocks, ${props.coincidence?.coincidentBlocks.length ?? 0} blocks hot on both lines`}
    />
  )
}
