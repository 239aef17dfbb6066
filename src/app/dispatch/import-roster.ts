import { existsSync, readFileSync } from 'node:fs'
import { parse as parseCsv } from 'csv-parse/sync'
import type { Actor } from '../../domain/access/roles.js'
import {
  ROSTER_COLUMNS,
  type RosterEntry,
  readRosterLine,
  rosterChanges,
} from '../../domain/dispatch/roster.js'
import { type FieldProblem, ValidationError } from '../../domain/shared/errors.js'
import type { AppDeps } from '../deps.js'
import { addUnit } from './units.js'

export interface RosterImportReport {
  added: string[]
  updated: string[]
  unchanged: string[]
}

/**
 * Imports a unit roster (CSV with the ROSTER_COLUMNS header). Every line is checked before
 * anything is written, so a file with a mistake changes nothing and the report lists every
 * mistake. Units already on the roster keep their status and history; only roster fields change.
 */
export async function importRoster(
  deps: AppDeps,
  actor: Actor,
  csv: string,
): Promise<RosterImportReport> {
  let records: Array<Record<string, string>>
  try {
    records = parseCsv(csv, {
      comment: '#',
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
    })
  } catch (err) {
    throw new ValidationError([
      { path: 'csv', message: `not readable as CSV: ${(err as Error).message}` },
    ])
  }
  const header = Object.keys(records[0] ?? {})
  const missing = ['call_sign', 'type'].filter((c) => !header.includes(c))
  if (records.length === 0 || missing.length > 0)
    throw new ValidationError([
      {
        path: 'csv',
        message: `a roster needs a header line with ${ROSTER_COLUMNS.join(', ')}${missing.length ? ` (missing: ${missing.join(', ')})` : ''} and at least one unit`,
      },
    ])
  const problems: FieldProblem[] = []
  const entries: RosterEntry[] = []
  const seen = new Map<string, number>()
  for (const [i, record] of records.entries()) {
    const line = i + 2
    const read = readRosterLine(record, line)
    if ('problems' in read) {
      problems.push(...read.problems)
      continue
    }
    const first = seen.get(read.entry.callSign)
    if (first !== undefined) {
      problems.push({
        path: `line ${line}.call_sign`,
        message: `${read.entry.callSign} is already on line ${first}`,
      })
      continue
    }
    seen.set(read.entry.callSign, line)
    entries.push(read.entry)
  }
  if (problems.length > 0) throw new ValidationError(problems)

  const existing = new Map((await deps.store.units.units()).map((u) => [u.callSign, u]))
  const report: RosterImportReport = { added: [], updated: [], unchanged: [] }
  for (const entry of entries) {
    const unit = existing.get(entry.callSign)
    if (!unit) {
      await addUnit(deps, actor, entry)
      report.added.push(entry.callSign)
    } else if (rosterChanges(unit, entry)) {
      await deps.store.units.recordStatus(
        { ...unit, ...entry, updatedAt: deps.clock.now(), version: unit.version + 1 },
        unit.version,
        null,
      )
      report.updated.push(entry.callSign)
    } else report.unchanged.push(entry.callSign)
  }
  deps.log.info({ added: report.added.length, updated: report.updated.length }, 'roster imported')
  return report
}

/** On an empty roster, loads the demo units so the dispatch board works out of the box. */
export async function ensureRoster(deps: AppDeps): Promise<RosterImportReport | null> {
  const path = deps.config.DEMO_ROSTER
  if (path === 'none' || !existsSync(path)) return null
  if ((await deps.store.units.units()).length > 0) return null
  return importRoster(
    deps,
    { id: 'system', roles: ['admin'], kind: 'system' },
    readFileSync(path, 'utf8'),
  )
}
