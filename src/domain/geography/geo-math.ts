import type { LatLon } from '../shared/geo.js'

/** A [lon, lat] position, as GeoJSON writes them. */
export type Position = [number, number]

const M_PER_DEG_LAT = 111_320

/** Metres per degree of longitude at a latitude. */
export function metresPerDegLon(lat: number): number {
  return M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)
}

/**
 * Distance in metres from a point to a polyline, where on it (fraction of its length from the
 * start), and which side the point lies on (+1 left, -1 right, looking from start to end).
 * Uses a local flat projection: exact enough within a city block.
 */
export function projectOnLine(
  p: LatLon,
  line: readonly Position[],
): { distance: number; t: number; side: 1 | -1 } {
  const kx = metresPerDegLon(p.lat)
  let total = 0
  let bestDistance = Number.POSITIVE_INFINITY
  let bestAlong = 0
  let bestSide: 1 | -1 = 1
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1] as Position
    const b = line[i] as Position
    const ax = (a[0] - p.lon) * kx
    const ay = (a[1] - p.lat) * M_PER_DEG_LAT
    const dx = (b[0] - a[0]) * kx
    const dy = (b[1] - a[1]) * M_PER_DEG_LAT
    const len2 = dx * dx + dy * dy
    const len = Math.sqrt(len2)
    const u = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2))
    const d = Math.hypot(ax + u * dx, ay + u * dy)
    if (d < bestDistance) {
      bestDistance = d
      bestAlong = total + u * len
      // The point is at the origin: the sign of the cross product of the segment with it.
      bestSide = dx * -ay - dy * -ax >= 0 ? 1 : -1
    }
    total += len
  }
  return { distance: bestDistance, t: total === 0 ? 0.5 : bestAlong / total, side: bestSide }
}

/**
 * The point at fraction `t` of a polyline's length, moved `offset` metres to its left
 * (positive) or right (negative): where a house number sits beside the street.
 */
export function pointAlong(line: readonly Position[], t: number, offset = 0): LatLon {
  const first = line[0] as Position
  const kx = metresPerDegLon(first[1])
  const segs: number[] = []
  let total = 0
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1] as Position
    const b = line[i] as Position
    const len = Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * M_PER_DEG_LAT)
    segs.push(len)
    total += len
  }
  if (line.length < 2 || total === 0) return { lat: first[1], lon: first[0] }
  let target = Math.max(0, Math.min(1, t)) * total
  for (let i = 1; i < line.length; i++) {
    const len = segs[i - 1] as number
    if (target <= len || i === line.length - 1) {
      const a = line[i - 1] as Position
      const b = line[i] as Position
      const u = len === 0 ? 0 : Math.min(1, target / len)
      const x = a[0] + (b[0] - a[0]) * u
      const y = a[1] + (b[1] - a[1]) * u
      if (offset === 0 || len === 0) return { lat: y, lon: x }
      // Unit normal to the left of the direction a → b, in metres, back to degrees.
      const dx = ((b[0] - a[0]) * kx) / len
      const dy = ((b[1] - a[1]) * M_PER_DEG_LAT) / len
      return { lat: y + (dx * offset) / M_PER_DEG_LAT, lon: x + (-dy * offset) / kx }
    }
    target -= len
  }
  const last = line[line.length - 1] as Position
  return { lat: last[1], lon: last[0] }
}

/** Ray casting over a polygon with holes ([outer, ...holes], each a ring of [lon, lat]). */
export function pointInPolygon(p: LatLon, rings: readonly (readonly Position[])[]): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i] as Position
      const b = ring[j] as Position
      if (
        a[1] > p.lat !== b[1] > p.lat &&
        p.lon < ((b[0] - a[0]) * (p.lat - a[1])) / (b[1] - a[1]) + a[0]
      ) {
        inside = !inside
      }
    }
  }
  return inside
}

/** [minLon, minLat, maxLon, maxLat] of some positions. */
export function bbox(points: Iterable<Position>): [number, number, number, number] {
  let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of points)
    b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)]
  return b
}
