import { distanceMetres, type LatLon } from '../shared/geo.js'
import {
  blockKey,
  cleanText,
  type ParsedLocation,
  parseLocation,
  parseStreet,
  type StreetName,
  streetKey,
  streetLabel,
} from './address.js'
import { bbox, type Position, pointAlong, projectOnLine } from './geo-math.js'
import { DIRECTIONS } from './street-words.js'

/** A centerline piece between intersections, with its address ranges. 0–0 means no addresses. */
export interface StreetSegment {
  id: string
  street: StreetName
  fromLeft: number
  toLeft: number
  fromRight: number
  toRight: number
  /** The line, start to end: address ranges run from its start to its end. */
  line: Position[]
  roadClass: string | null
}

/** A named intersection from the city's list (in addition to those the centerlines imply). */
export interface NamedIntersection {
  id: string
  streets: StreetName[]
  lat: number
  lon: number
}

/** A polygon of a layer: police district, beat/post, neighborhood, council district. */
export interface Area {
  layer: string
  id: string
  name: string
  /** MultiPolygon coordinates: polygons of rings of [lon, lat]. */
  polygons: Position[][][]
}

/** A named place people call from: a facility, a landmark. */
export interface Place {
  id: string
  name: string
  kind: string
  lat: number
  lon: number
}

/** One way a text can be read as a place on the map. */
export interface LocationMatch {
  kind: 'address' | 'intersection' | 'street' | 'place'
  label: string
  lat: number
  lon: number
  /** '4300 BLOCK E LOMBARD ST', when the match is an address. */
  block: string | null
  segmentId: string | null
  /** 0..1: how well the text matched. */
  score: number
  /** What was assumed or corrected, for the call-taker to confirm. */
  notes: string[]
}

/**
 * `found`: one confident match. `ambiguous`: several plausible ones, ranked, for the
 * call-taker to choose. `not_found`: nothing close. `unparsed`: not readable as a location.
 */
export interface GeocodeResult {
  status: 'found' | 'ambiguous' | 'not_found' | 'unparsed'
  match: LocationMatch | null
  candidates: LocationMatch[]
  message: string
}

/** What a point is near: its street block and the areas it falls in. */
export interface PointContext {
  segmentId: string | null
  street: string | null
  block: string | null
  distanceMetres: number | null
  /** Layer → area name (police_district, beat, neighborhood, council_district …). */
  areas: Record<string, string>
}

/** An autocomplete suggestion for the call-taker's location box. */
export interface Suggestion {
  kind: 'address' | 'intersection' | 'street' | 'place'
  label: string
  lat: number
  lon: number
  block: string | null
}

/** A segment as the spatial grid holds it: with its box and ranking penalty worked out once. */
interface GridEntry {
  seg: StreetSegment
  minLon: number
  minLat: number
  maxLon: number
  maxLat: number
  penalty: number
  /** The last search that measured it (segments reach into several cells). */
  stamp: number
}

interface Street {
  key: string
  street: StreetName
  label: string
  segments: StreetSegment[]
  rank: number
  /** Lowest and highest house numbers on the street, to skip it fast. */
  minNumber: number
  maxNumber: number
}

const GRID = 0.001 // degrees: about 110 m × 85 m cells in mid latitudes
const HOUSE_OFFSET_M = 8

/** Road classes that matter most to call-takers rank first in suggestions. */
const CLASS_RANK: Record<string, number> = {
  Interstate: 0,
  'Other Freeway or Expressway': 1,
  'Other Principal Arterial Street': 2,
  'Minor Arterial Street': 3,
  'Major Collector Street': 4,
  'Minor Collector Street': 5,
  'Local Street': 6,
}

/**
 * The city's geography in memory: streets with address ranges, intersections, areas and
 * places, indexed for geocoding, reverse geocoding and autocomplete. Pure: built from data the
 * store loads, so tests and the policy lab use the very same code.
 */
export class CityGeography {
  readonly #streets = new Map<string, Street>()
  readonly #byName = new Map<string, Street[]>()
  readonly #segments = new Map<string, StreetSegment>()
  readonly #grid = new Map<number, GridEntry[]>()
  readonly #crossings = new Map<string, LatLon>()
  readonly #crossingsByName = new Map<string, LatLon[]>()
  #searches = 0
  /** Street key → the streets crossing it and where. */
  readonly #crossingsOf = new Map<string, Array<{ other: string; at: LatLon }>>()
  readonly #areas: Array<Area & { box: [number, number, number, number]; index: PolygonIndex[] }> =
    []
  readonly #places: Place[] = []
  /** Sorted (text, target) pairs for prefix search. */
  readonly #prefix: Array<{ text: string; street?: Street; place?: Place }> = []
  readonly #names: string[]

  constructor(data: {
    segments: readonly StreetSegment[]
    intersections?: readonly NamedIntersection[]
    areas?: readonly Area[]
    places?: readonly Place[]
  }) {
    const nodes = new Map<string, { at: LatLon; streets: Set<Street> }>()
    for (const seg of data.segments) {
      if (seg.line.length < 2) continue
      this.#segments.set(seg.id, seg)
      const key = streetKey(seg.street)
      let st = this.#streets.get(key)
      if (!st) {
        st = {
          key,
          street: seg.street,
          label: streetLabel(seg.street),
          segments: [],
          rank: 9,
          minNumber: Infinity,
          maxNumber: -Infinity,
        }
        this.#streets.set(key, st)
        const list = this.#byName.get(seg.street.name) ?? []
        list.push(st)
        this.#byName.set(seg.street.name, list)
      }
      st.segments.push(seg)
      for (const n of [seg.fromLeft, seg.toLeft, seg.fromRight, seg.toRight]) {
        if (n > 0) {
          st.minNumber = Math.min(st.minNumber, n)
          st.maxNumber = Math.max(st.maxNumber, n)
        }
      }
      st.rank = Math.min(st.rank, CLASS_RANK[seg.roadClass ?? ''] ?? 7)
      const box = bbox(seg.line)
      const entry: GridEntry = {
        seg,
        minLon: box[0],
        minLat: box[1],
        maxLon: box[2],
        maxLat: box[3],
        // A house is on the addressed street in front of it, not the alley behind it: pieces
        // without addresses, and alleys, count as a little farther than they are.
        penalty:
          (!seg.fromLeft && !seg.toLeft && !seg.fromRight && !seg.toRight ? 25 : 0) +
          (isAlleyName(seg.street.name) ? 15 : 0),
        stamp: 0,
      }
      for (const cell of cellsOf(seg.line)) {
        const list = this.#grid.get(cell) ?? []
        list.push(entry)
        this.#grid.set(cell, list)
      }
      for (const end of [seg.line[0], seg.line[seg.line.length - 1]] as Position[]) {
        const nodeKey = `${end[0].toFixed(5)},${end[1].toFixed(5)}`
        const node = nodes.get(nodeKey) ?? {
          at: { lon: end[0], lat: end[1] },
          streets: new Set<Street>(),
        }
        node.streets.add(st)
        nodes.set(nodeKey, node)
      }
    }
    // Where two differently named streets share a node, they cross.
    for (const node of nodes.values()) {
      const streets = [...node.streets]
      for (let i = 0; i < streets.length; i++) {
        for (let j = i + 1; j < streets.length; j++)
          this.#addCrossing(streets[i]!.street, streets[j]!.street, node.at)
      }
    }
    for (const x of data.intersections ?? []) {
      for (let i = 0; i < x.streets.length; i++) {
        for (let j = i + 1; j < x.streets.length; j++)
          this.#addCrossing(x.streets[i]!, x.streets[j]!, { lat: x.lat, lon: x.lon })
      }
    }
    for (const a of data.areas ?? []) {
      const box = bbox(a.polygons.flatMap((p) => p[0] ?? []))
      this.#areas.push({ ...a, box, index: a.polygons.map(indexPolygon) })
    }
    this.#places.push(...(data.places ?? []))

    for (const st of this.#streets.values()) {
      if (isAlleyName(st.street.name)) continue
      this.#prefix.push({ text: st.label, street: st })
      const bare = streetLabel({ ...st.street, predir: '' })
      if (bare !== st.label) this.#prefix.push({ text: bare, street: st })
    }
    for (const p of this.#places) this.#prefix.push({ text: cleanText(p.name), place: p })
    this.#prefix.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    this.#names = [...this.#byName.keys()].filter((n) => !isAlleyName(n))
  }

  /** [minLon, minLat, maxLon, maxLat] of the city's streets, for a map's first view. */
  bounds(): [number, number, number, number] | null {
    let b: [number, number, number, number] | null = null
    for (const seg of this.#segments.values()) {
      for (const [x, y] of seg.line) {
        b = b
          ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)]
          : [x, y, x, y]
      }
    }
    return b
  }

  get size(): {
    segments: number
    streets: number
    crossings: number
    areas: number
    places: number
  } {
    return {
      segments: this.#segments.size,
      streets: this.#streets.size,
      crossings: this.#crossings.size,
      areas: this.#areas.length,
      places: this.#places.length,
    }
  }

  segment(id: string): StreetSegment | undefined {
    return this.#segments.get(id)
  }

  /** Segments with a vertex or crossing in the box [minLon, minLat, maxLon, maxLat]. */
  segmentsIn(box: readonly [number, number, number, number], max: number): StreetSegment[] {
    const [x0, y0] = cellOf(box[0], box[1])
    const [x1, y1] = cellOf(box[2], box[3])
    const out = new Set<StreetSegment>()
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 40_000) return []
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        for (const e of this.#grid.get(cellId(x, y)) ?? []) {
          out.add(e.seg)
          if (out.size >= max) return [...out]
        }
      }
    }
    return [...out]
  }

  /** The polygons of one area layer. */
  areasOf(layer: string): Area[] {
    return this.#areas.filter((a) => a.layer === layer).map(({ box: _b, index: _i, ...a }) => a)
  }

  /** The area layers present, with their area counts. */
  areaLayers(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const a of this.#areas) out[a.layer] = (out[a.layer] ?? 0) + 1
    return out
  }

  /** Reads a location text and places it, with ranked alternatives when it is not sure. */
  geocode(text: string): GeocodeResult {
    const parsed = parseLocation(text)
    switch (parsed.kind) {
      case 'address':
        return this.#geocodeAddress(parsed)
      case 'block':
        return this.#geocodeBlock(parsed.number, parsed.street)
      case 'intersection':
        return this.#geocodeIntersection(parsed.streets)
      case 'street':
        return this.#geocodeStreetOrPlace(parsed.street, text)
      default:
        return (
          this.#geocodePlace(text) ?? {
            status: 'unparsed',
            match: null,
            candidates: [],
            message:
              'not readable as an address, an intersection or a street; try "4300 E Lombard St" or "Lombard & Broadway"',
          }
        )
    }
  }

  /** The nearest street block and the areas a point falls in. */
  reverse(p: LatLon, maxMetres = 250): PointContext {
    const areas = this.areasAt(p)
    let best: {
      seg: StreetSegment
      distance: number
      t: number
      side: 1 | -1
      effective: number
    } | null = null
    const [cx, cy] = cellOf(p.lon, p.lat)
    // The smaller side of a cell in metres: anything in ring r is at least (r - 1) cells away,
    // so the search stops as soon as no farther ring can hold anything nearer.
    const kx = 111_320 * Math.cos((p.lat * Math.PI) / 180)
    const cellMetres = GRID * Math.min(kx, 111_320)
    // Segments reach into several cells; a stamp per search marks those already measured.
    const stamp = ++this.#searches
    const maxRing = Math.ceil(maxMetres / cellMetres) + 1
    for (let ring = 0; ring <= maxRing; ring++) {
      if (best && best.effective < (ring - 1) * cellMetres) break
      for (let dx = -ring; dx <= ring; dx++) {
        for (let dy = -ring; dy <= ring; dy++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue
          for (const e of this.#grid.get(cellId(cx + dx, cy + dy)) ?? []) {
            if (e.stamp === stamp) continue
            e.stamp = stamp
            if (best) {
              const ox = Math.max(e.minLon - p.lon, 0, p.lon - e.maxLon) * kx
              const oy = Math.max(e.minLat - p.lat, 0, p.lat - e.maxLat) * 111_320
              if (Math.sqrt(ox * ox + oy * oy) + e.penalty >= best.effective) continue
            }
            const pr = projectOnLine(p, e.seg.line)
            const effective = pr.distance + e.penalty
            if (!best || effective < best.effective) best = { seg: e.seg, ...pr, effective }
          }
        }
      }
    }
    if (!best || best.distance > maxMetres)
      return { segmentId: null, street: null, block: null, distanceMetres: null, areas }
    const { seg, t, side } = best
    const [from, to] = side === 1 ? [seg.fromLeft, seg.toLeft] : [seg.fromRight, seg.toRight]
    const [ofrom, oto] = side === 1 ? [seg.fromRight, seg.toRight] : [seg.fromLeft, seg.toLeft]
    const range = from || to ? [from, to] : [ofrom, oto]
    const number =
      range[0]! || range[1]!
        ? Math.round((range[0] as number) + t * ((range[1] as number) - (range[0] as number)))
        : null
    return {
      segmentId: seg.id,
      street: streetLabel(seg.street),
      block: number !== null ? blockKey(number, seg.street) : null,
      distanceMetres: Math.round(best.distance * 10) / 10,
      areas,
    }
  }

  /** Layer → area name for every layer whose polygons hold the point. */
  areasAt(p: LatLon): Record<string, string> {
    const out: Record<string, string> = {}
    for (const a of this.#areas) {
      if (
        out[a.layer] ||
        p.lon < a.box[0] ||
        p.lon > a.box[2] ||
        p.lat < a.box[1] ||
        p.lat > a.box[3]
      )
        continue
      if (a.index.some((ix) => insideIndexed(p, ix))) out[a.layer] = a.name
    }
    return out
  }

  /** Suggestions from the second character: addresses, intersections, streets and places. */
  suggest(query: string, limit = 8): Suggestion[] {
    const q = cleanText(query)
    if (q.length < 2) return []
    const crossing = q.split(/\s*(?:&|\/|\bAND\b|@)\s*/)
    if (crossing.length === 2 && crossing[0] && !/^\d/.test(q))
      return this.#suggestCrossing(crossing[0], crossing[1] ?? '', limit)
    const m = q.match(/^(\d+)\s+(.+)$/)
    if (m) return this.#suggestAddress(Number(m[1]), m[2] as string, limit)
    const out: Suggestion[] = []
    const seen = new Set<string>()
    for (const e of this.#prefixMatches(directionWord(q), limit * 6)) {
      if (e.place) {
        if (!seen.has(`p${e.place.id}`))
          out.push({
            kind: 'place',
            label: e.place.name,
            lat: e.place.lat,
            lon: e.place.lon,
            block: null,
          })
        seen.add(`p${e.place.id}`)
      } else if (e.street && !seen.has(e.street.key)) {
        seen.add(e.street.key)
        const mid = streetMiddle(e.street)
        out.push({ kind: 'street', label: e.street.label, lat: mid.lat, lon: mid.lon, block: null })
      }
    }
    return out.slice(0, limit)
  }

  #addCrossing(a: StreetName, b: StreetName, at: LatLon): void {
    if (a.name === b.name) return
    const ka = streetKey(a)
    const kb = streetKey(b)
    const key = pairKey(ka, kb)
    if (!this.#crossings.has(key)) {
      this.#crossings.set(key, at)
      for (const [x, y] of [
        [ka, kb],
        [kb, ka],
      ] as const) {
        const list = this.#crossingsOf.get(x) ?? []
        list.push({ other: y, at })
        this.#crossingsOf.set(x, list)
      }
    }
    const byName = pairKey(a.name, b.name)
    const list = this.#crossingsByName.get(byName) ?? []
    if (!list.some((x) => distanceMetres(x, at) < 60)) list.push(at)
    this.#crossingsByName.set(byName, list)
  }

  /**
   * The streets a parsed name may mean, best first, with what had to be assumed. Exact wins;
   * then a missing direction or suffix filled in; then a near spelling.
   */
  #resolveStreet(s: StreetName): Array<{ street: Street; score: number; notes: string[] }> {
    const exact = this.#streets.get(streetKey(s))
    if (exact) return [{ street: exact, score: 1, notes: [] }]
    const sameName = this.#byName.get(s.name) ?? []
    const fits = sameName
      .map((st) => {
        const notes: string[] = []
        let score = 1
        if (s.predir !== st.street.predir) {
          if (s.predir) return null
          notes.push(`direction ${st.street.predir} assumed`)
          score -= 0.1
        }
        if (s.suffix !== st.street.suffix) {
          if (s.suffix && st.street.suffix) {
            notes.push(`${s.suffix} read as ${st.street.suffix}`)
            score -= 0.25
          } else {
            notes.push(
              s.suffix ? `${s.suffix} dropped` : `${st.street.suffix || 'no suffix'} assumed`,
            )
            score -= 0.1
          }
        }
        if (s.postdir !== st.street.postdir) {
          notes.push(`post-direction ${st.street.postdir || 'none'} assumed`)
          score -= 0.1
        }
        return { street: st, score, notes }
      })
      .filter((x): x is { street: Street; score: number; notes: string[] } => x !== null)
    if (fits.length > 0)
      return fits.sort((a, b) => b.score - a.score || a.street.rank - b.street.rank)
    // A near spelling: edit distance within 1 for short names, 2 for longer ones.
    const max = s.name.length > 7 ? 2 : 1
    const near: Array<{ street: Street; score: number; notes: string[] }> = []
    for (const name of this.#names) {
      if (Math.abs(name.length - s.name.length) > max || name[0] !== s.name[0]) continue
      const d = editDistance(name, s.name, max)
      if (d > max) continue
      for (const st of this.#byName.get(name) ?? []) {
        if (s.predir && st.street.predir && s.predir !== st.street.predir) continue
        const suffixPenalty = s.suffix && st.street.suffix !== s.suffix ? 0.1 : 0
        near.push({
          street: st,
          score: 0.8 - 0.1 * d - suffixPenalty,
          notes: [`spelled ${s.name}, read as ${name}`],
        })
      }
    }
    return near.sort((a, b) => b.score - a.score || a.street.rank - b.street.rank).slice(0, 8)
  }

  #geocodeAddress(p: Extract<ParsedLocation, { kind: 'address' }>): GeocodeResult {
    const streets = this.#resolveStreet(p.street)
    const label = `${p.number} ${streetLabel(p.street)}`
    if (streets.length === 0) {
      return {
        status: 'not_found',
        match: null,
        candidates: [],
        message: `no street called ${streetLabel(p.street)} in the city`,
      }
    }
    const matches: LocationMatch[] = []
    for (const { street, score, notes } of streets) {
      const hit = interpolate(street, p.number)
      if (hit) {
        matches.push({
          kind: 'address',
          label: `${p.number}${p.numberSuffix} ${street.label}`,
          lat: hit.at.lat,
          lon: hit.at.lon,
          block: blockKey(p.number, street.street),
          segmentId: hit.segment.id,
          score: round(score - (hit.parityMatched ? 0 : 0.05)),
          notes: hit.parityMatched ? notes : [...notes, 'number on the other side of the street'],
        })
      } else {
        const mid = streetMiddle(street)
        matches.push({
          kind: 'street',
          label: street.label,
          lat: mid.lat,
          lon: mid.lon,
          block: null,
          segmentId: null,
          score: round(score * 0.5),
          notes: [
            ...notes,
            `no ${p.number} on ${street.label}: the street is shown, not the address`,
          ],
        })
      }
    }
    return decide(matches, label)
  }

  /** '1100 BLK CLOVERDALE RD': the middle of the segment holding that hundred-block. */
  #geocodeBlock(n: number, s: StreetName): GeocodeResult {
    const label = blockKey(n, s)
    const matches: LocationMatch[] = []
    for (const { street, score, notes } of this.#resolveStreet(s)) {
      const seg = street.segments.find((g) =>
        [
          [g.fromLeft, g.toLeft],
          [g.fromRight, g.toRight],
        ].some(
          ([a, b]) =>
            (a || b) &&
            Math.max(a as number, b as number) >= n &&
            Math.min(a as number, b as number) < n + 100,
        ),
      )
      if (!seg) continue
      const at = pointAlong(seg.line, 0.5)
      matches.push({
        kind: 'address',
        label: blockKey(n, street.street),
        lat: at.lat,
        lon: at.lon,
        block: blockKey(n, street.street),
        segmentId: seg.id,
        score,
        notes: [...notes, 'the middle of the block'],
      })
    }
    if (matches.length === 0)
      return { status: 'not_found', match: null, candidates: [], message: `${label} was not found` }
    return decide(matches, label)
  }

  #geocodeIntersection(names: StreetName[]): GeocodeResult {
    const [a, b] = names as [StreetName, StreetName]
    const label = `${streetLabel(a)} & ${streetLabel(b)}`
    const as = this.#resolveStreet(a)
    const bs = this.#resolveStreet(b)
    const matches: LocationMatch[] = []
    for (const x of as) {
      for (const y of bs) {
        const at = this.#crossings.get(pairKey(x.street.key, y.street.key))
        if (!at) continue
        matches.push({
          kind: 'intersection',
          label: `${x.street.label} & ${y.street.label}`,
          lat: at.lat,
          lon: at.lon,
          block: null,
          segmentId: null,
          score: round(Math.min(x.score, y.score)),
          notes: [...x.notes, ...y.notes],
        })
      }
    }
    if (matches.length === 0) {
      // Streets known only by name ('Lombard and Broadway'): any crossing of the two names.
      for (const at of this.#crossingsByName.get(pairKey(a.name, b.name)) ?? []) {
        matches.push({
          kind: 'intersection',
          label,
          lat: at.lat,
          lon: at.lon,
          block: null,
          segmentId: null,
          score: 0.7,
          notes: ['matched by street names only'],
        })
      }
    }
    if (matches.length === 0) {
      const why = as.length === 0 ? streetLabel(a) : bs.length === 0 ? streetLabel(b) : null
      return {
        status: 'not_found',
        match: null,
        candidates: [],
        message: why
          ? `no street called ${why} in the city`
          : `${label}: these streets do not cross`,
      }
    }
    return decide(dedupe(matches), label)
  }

  #geocodeStreetOrPlace(s: StreetName, text: string): GeocodeResult {
    const place = this.#geocodePlace(text)
    if (place && place.status === 'found') return place
    const streets = this.#resolveStreet(s).filter((x) => x.score >= 0.6)
    if (streets.length === 0) {
      return (
        place ?? {
          status: 'not_found',
          match: null,
          candidates: [],
          message: `no street or place called ${cleanText(text)}`,
        }
      )
    }
    const matches = streets.map(({ street, score, notes }) => {
      const mid = streetMiddle(street)
      return {
        kind: 'street' as const,
        label: street.label,
        lat: mid.lat,
        lon: mid.lon,
        block: null,
        segmentId: null,
        score: round(score * 0.8),
        notes: [...notes, 'a whole street: ask for a number or a cross street'],
      }
    })
    return decide(matches, streetLabel(s))
  }

  #geocodePlace(text: string): GeocodeResult | null {
    const q = cleanText(text.split(',')[0] ?? '')
    const hits = this.#places.filter((p) => cleanText(p.name) === q)
    if (hits.length === 0) return null
    const matches = hits.map((p) => ({
      kind: 'place' as const,
      label: p.name,
      lat: p.lat,
      lon: p.lon,
      block: null,
      segmentId: null,
      score: 1,
      notes: [],
    }))
    return decide(matches, q)
  }

  #prefixMatches(
    prefix: string,
    limit: number,
  ): Array<{ text: string; street?: Street; place?: Place }> {
    let lo = 0
    let hi = this.#prefix.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((this.#prefix[mid] as { text: string }).text < prefix) lo = mid + 1
      else hi = mid
    }
    const out: Array<{ text: string; street?: Street; place?: Place }> = []
    for (let i = lo; i < this.#prefix.length && out.length < limit; i++) {
      const e = this.#prefix[i] as { text: string; street?: Street; place?: Place }
      if (!e.text.startsWith(prefix)) break
      out.push(e)
    }
    // Major streets first, then shorter names.
    return out.sort(
      (a, b) => (a.street?.rank ?? 5) - (b.street?.rank ?? 5) || a.text.length - b.text.length,
    )
  }

  #suggestAddress(n: number, rest: string, limit: number): Suggestion[] {
    const out: Suggestion[] = []
    const seen = new Set<string>()
    for (const e of this.#prefixMatches(directionWord(rest), 400)) {
      if (!e.street || seen.has(e.street.key)) continue
      seen.add(e.street.key)
      if (n < e.street.minNumber || n > e.street.maxNumber) continue
      const hit = interpolate(e.street, n)
      if (!hit) continue
      out.push({
        kind: 'address',
        label: `${n} ${e.street.label}`,
        lat: hit.at.lat,
        lon: hit.at.lon,
        block: blockKey(n, e.street.street),
      })
      if (out.length >= limit) break
    }
    return out
  }

  #suggestCrossing(first: string, second: string, limit: number): Suggestion[] {
    const a = parseStreet(first)
    if (!a) return []
    const out: Suggestion[] = []
    const prefix = directionWord(second)
    const seen = new Set<string>()
    for (const { street } of this.#resolveStreet(a).slice(0, 3)) {
      for (const { other, at } of this.#crossingsOf.get(street.key) ?? []) {
        const st = this.#streets.get(other)
        if (!st || isAlleyName(st.street.name) || seen.has(other)) continue
        const bare = streetLabel({ ...st.street, predir: '' })
        if (prefix && !st.label.startsWith(prefix) && !bare.startsWith(prefix)) continue
        seen.add(other)
        out.push({
          kind: 'intersection',
          label: `${street.label} & ${st.label}`,
          lat: at.lat,
          lon: at.lon,
          block: null,
        })
      }
    }
    return out.sort((x, y) => x.label.length - y.label.length).slice(0, limit)
  }
}

/**
 * A polygon's edges sorted into horizontal bands, so a point-in-polygon test looks only at the
 * edges that cross its latitude: district boundaries have thousands of vertices.
 */
interface PolygonIndex {
  minLat: number
  bandHeight: number
  /** Per band, the edges [x1, y1, x2, y2] that span any latitude in it. */
  bands: number[][]
}

const BANDS = 128

function indexPolygon(rings: Position[][]): PolygonIndex {
  const all = rings.flat()
  const [, minLat, , maxLat] = bbox(all)
  const bandHeight = (maxLat - minLat) / BANDS || 1e-9
  const bands: number[][] = Array.from({ length: BANDS }, () => [])
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i] as Position
      const b = ring[j] as Position
      const lo = Math.max(0, Math.floor((Math.min(a[1], b[1]) - minLat) / bandHeight))
      const hi = Math.min(BANDS - 1, Math.floor((Math.max(a[1], b[1]) - minLat) / bandHeight))
      for (let k = lo; k <= hi; k++) (bands[k] as number[]).push(a[0], a[1], b[0], b[1])
    }
  }
  return { minLat, bandHeight, bands }
}

/** Ray casting over the edges of the point's band only (holes included, as in pointInPolygon). */
function insideIndexed(p: LatLon, ix: PolygonIndex): boolean {
  const k = Math.floor((p.lat - ix.minLat) / ix.bandHeight)
  const edges = ix.bands[k]
  if (!edges) return false
  let inside = false
  for (let e = 0; e < edges.length; e += 4) {
    const ax = edges[e] as number
    const ay = edges[e + 1] as number
    const bx = edges[e + 2] as number
    const by = edges[e + 3] as number
    if (ay > p.lat !== by > p.lat && p.lon < ((bx - ax) * (p.lat - ay)) / (by - ay) + ax)
      inside = !inside
  }
  return inside
}

/** Where a house number falls on a street: the segment whose range holds it, on its side. */
function interpolate(
  street: Street,
  n: number,
): { at: LatLon; segment: StreetSegment; parityMatched: boolean } | null {
  let fallback: { at: LatLon; segment: StreetSegment; parityMatched: boolean } | null = null
  for (const seg of street.segments) {
    for (const side of [1, -1] as const) {
      const [from, to] = side === 1 ? [seg.fromLeft, seg.toLeft] : [seg.fromRight, seg.toRight]
      if (from === 0 && to === 0) continue
      if (n < Math.min(from, to) || n > Math.max(from, to)) continue
      const t = to === from ? 0.5 : (n - from) / (to - from)
      const hit = {
        at: pointAlong(seg.line, t, side * HOUSE_OFFSET_M),
        segment: seg,
        parityMatched: from % 2 === n % 2,
      }
      if (hit.parityMatched) return hit
      fallback ??= hit
    }
  }
  return fallback
}

/** One confident match, or ranked candidates when the best is not clearly better. */
function decide(matches: LocationMatch[], label: string): GeocodeResult {
  const ranked = matches.sort((a, b) => b.score - a.score)
  const [best, second] = ranked
  if (!best)
    return { status: 'not_found', match: null, candidates: [], message: `${label} was not found` }
  const clear =
    best.kind !== 'street' &&
    best.score >= 0.7 &&
    (!second || best.score - second.score >= 0.1 || sameSpot(best, second))
  if (clear)
    return {
      status: 'found',
      match: best,
      candidates: ranked.slice(0, 5),
      message: best.notes.length ? best.notes.join('; ') : 'exact match',
    }
  return {
    status: 'ambiguous',
    match: null,
    candidates: ranked.slice(0, 5),
    message: `${label}: choose one of ${Math.min(5, ranked.length)} candidates`,
  }
}

function sameSpot(a: LocationMatch, b: LocationMatch): boolean {
  return distanceMetres(a, b) < 40
}

function dedupe(matches: LocationMatch[]): LocationMatch[] {
  const out: LocationMatch[] = []
  for (const m of matches.sort((a, b) => b.score - a.score))
    if (!out.some((o) => o.label === m.label && sameSpot(o, m))) out.push(m)
  return out
}

function streetMiddle(st: Street): LatLon {
  const seg = st.segments[Math.floor(st.segments.length / 2)] as StreetSegment
  return pointAlong(seg.line, 0.5)
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}#${b}` : `${b}#${a}`
}

function cellOf(lon: number, lat: number): [number, number] {
  return [Math.floor(lon / GRID), Math.floor(lat / GRID)]
}

/** One number per grid cell (cheaper map keys than strings): exact for |x|, |y| < 2^20. */
function cellId(x: number, y: number): number {
  return (x + 0x100000) * 0x200000 + (y + 0x100000)
}

/** Every grid cell a line passes through (its vertices' cells and those between them). */
function cellsOf(line: readonly Position[]): Set<number> {
  const cells = new Set<number>()
  for (let i = 0; i < line.length; i++) {
    const p = line[i] as Position
    const [x, y] = cellOf(p[0], p[1])
    cells.add(cellId(x, y))
    const q = line[i + 1]
    if (q) {
      const steps = Math.ceil(Math.max(Math.abs(q[0] - p[0]), Math.abs(q[1] - p[1])) / (GRID / 2))
      for (let s = 1; s < steps; s++) {
        const [sx, sy] = cellOf(
          p[0] + ((q[0] - p[0]) * s) / steps,
          p[1] + ((q[1] - p[1]) * s) / steps,
        )
        cells.add(cellId(sx, sy))
      }
    }
  }
  return cells
}

/** Alley pieces are named after their neighbours ('ALLEY-LOMBARD-PRATT'); nobody asks for them. */
function isAlleyName(name: string): boolean {
  return name.includes('-') || name.startsWith('ALLEY')
}

/** 'EAST LOMB' → 'E LOMB', so typed-out directions find the abbreviated labels. */
function directionWord(q: string): string {
  const [first, ...rest] = q.split(' ')
  const d = first ? DIRECTIONS[first] : undefined
  return d && rest.length > 0 ? [d, ...rest].join(' ') : q
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
 * alignment), giving up past `max`: 'MIAN' is one slip from 'MAIN'.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0
  let prev2: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] as number) + 1)
      cur.push(v)
      rowMin = Math.min(rowMin, v)
    }
    if (rowMin > max) return max + 1
    prev2 = prev
    prev = cur
  }
  return prev[b.length] as number
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}
