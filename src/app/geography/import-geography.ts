import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Actor } from '../../domain/access/roles.js'
import type { LayerRows } from '../../store/ports.js'
import { audit } from '../accounts/audit.js'
import type { AppDeps } from '../deps.js'
import {
  readAreas,
  readGeographySource,
  readIntersections,
  readPlaces,
  readStreets,
  readText,
} from './read-geography-files.js'

/** What happened to one layer. */
export interface LayerReport {
  layer: string
  status: 'imported' | 'unchanged'
  features: number
  skipped: number
  seconds: number
}

/** Progress of a long import, for the CLI's progress line or the API's log. */
export type ImportProgress = (layer: string, done: number, total: number) => void

/**
 * Imports every layer a geography description names. Idempotent: a layer whose file has not
 * changed since its last import is left alone; a changed one is replaced whole.
 */
export async function importGeography(
  deps: AppDeps,
  actor: Actor,
  path: string,
  onProgress?: ImportProgress,
): Promise<LayerReport[]> {
  const { source, dir } = await readGeographySource(path)
  const known = new Map((await deps.store.geography.layers()).map((l) => [l.layer, l.checksum]))
  const reports: LayerReport[] = []
  const run = async (
    layer: string,
    file: string,
    toRows: (text: string) => { rows: LayerRows; skipped: number },
  ) => {
    const started = performance.now()
    const text = await readText(dir, file)
    const checksum = createHash('sha256').update(text).digest('hex')
    if (known.get(layer) === checksum) {
      reports.push({ layer, status: 'unchanged', features: 0, skipped: 0, seconds: 0 })
      return
    }
    const { rows, skipped } = toRows(text)
    await deps.store.geography.replaceLayer(
      rows,
      { source: resolve(dir, file), checksum, at: deps.clock.now(), actor: actor.id },
      (done, total) => onProgress?.(layer, done, total),
    )
    const seconds = (performance.now() - started) / 1000
    reports.push({
      layer,
      status: 'imported',
      features: rows.items.length,
      skipped,
      seconds: Math.round(seconds * 100) / 100,
    })
    deps.log.info({ layer, features: rows.items.length, skipped }, 'geography layer imported')
  }
  if (source.streets) {
    const s = source.streets
    await run('streets', s.file, (text) => {
      const { segments, skipped } = readStreets(text, s)
      return { rows: { kind: 'streets', items: segments }, skipped }
    })
  }
  if (source.intersections) {
    const s = source.intersections
    await run('intersections', s.file, (text) => ({
      rows: { kind: 'intersections', items: readIntersections(text, s) },
      skipped: 0,
    }))
  }
  for (const a of source.areas) {
    await run(`area:${a.layer}`, a.file, (text) => ({
      rows: { kind: 'areas', layer: a.layer, items: readAreas(text, a) },
      skipped: 0,
    }))
  }
  if (source.places) {
    const s = source.places
    await run('places', s.file, (text) => ({
      rows: { kind: 'places', items: readPlaces(text, s) },
      skipped: 0,
    }))
  }
  deps.geography.invalidate()
  await audit(
    deps,
    actor,
    'configuration_changed',
    'success',
    { type: 'geography', id: source.city },
    {
      layers: reports.filter((r) => r.status === 'imported').map((r) => r.layer),
    },
  )
  return reports
}

/**
 * On a database with no geography, imports the demo city so `npm start` shows a working map
 * and geocoder. Returns the reports, or null when there was nothing to do or no files.
 */
export async function ensureGeography(
  deps: AppDeps,
  onProgress?: ImportProgress,
): Promise<LayerReport[] | null> {
  if ((await deps.store.geography.layers()).length > 0) return null
  const path = deps.config.DEMO_GEOGRAPHY
  if (path === 'none' || !existsSync(path)) return null
  const { source, dir } = await readGeographySource(path)
  if (source.streets && !existsSync(resolve(dir, source.streets.file))) {
    deps.log.warn({ path }, 'demo geography files not found; starting without a map')
    return null
  }
  return importGeography(deps, { id: 'system', roles: ['admin'] }, path, onProgress)
}
