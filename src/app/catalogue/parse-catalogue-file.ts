import { parse as parseCsv } from 'csv-parse/sync'
import { parse as parseYaml } from 'yaml'
import { type CatalogueFile, catalogueFileSchema } from '../../domain/catalogue/catalogue-schema.js'
import { checkCallType } from '../../domain/catalogue/check-call-type.js'
import { type FieldProblem, ValidationError } from '../../domain/shared/errors.js'
import type { CallTypeMappingRow } from '../../store/ports.js'

/**
 * Reads a catalogue file (YAML or JSON) and checks it whole: its shape, then every call type
 * against the rest of the catalogue. Throws a ValidationError listing every problem with its
 * path, so a supervisor can fix the file in one pass.
 */
export function parseCatalogueFile(text: string): CatalogueFile {
  let raw: unknown
  try {
    raw = parseYaml(text, { maxAliasCount: 100 })
  } catch (err) {
    throw new ValidationError([
      { path: 'file', message: `not valid YAML or JSON: ${(err as Error).message}` },
    ])
  }
  const parsed = catalogueFileSchema.safeParse(raw)
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues
        .slice(0, 50)
        .map((i) => ({ path: i.path.join('.') || 'file', message: i.message })),
    )
  }
  const file = parsed.data
  const problems: FieldProblem[] = []
  const ctx = {
    agencyCodes: new Set(file.agencies.map((a) => a.code)),
    priorityLevels: file.priorityScheme.levels,
    screening: file.screening,
  }
  const codes = new Set<string>()
  file.callTypes.forEach((ct, i) => {
    if (codes.has(ct.code))
      problems.push({ path: `callTypes.${i}.code`, message: `'${ct.code}' appears twice` })
    codes.add(ct.code)
    problems.push(...checkCallType(ct, ctx, `callTypes.${i}(${ct.code}).`))
  })
  const agencies = new Set<string>()
  file.agencies.forEach((a, i) => {
    if (agencies.has(a.code))
      problems.push({ path: `agencies.${i}.code`, message: `'${a.code}' appears twice` })
    agencies.add(a.code)
  })
  const screening = new Set<string>()
  file.screening.forEach((q, i) => {
    if (screening.has(q.code))
      problems.push({ path: `screening.${i}.code`, message: `'${q.code}' appears twice` })
    screening.add(q.code)
    if (!ctx.priorityLevels.some((l) => l.value === q.priority)) {
      problems.push({
        path: `screening.${i}.priority`,
        message: `priority ${q.priority} is not a level`,
      })
    }
  })
  if (problems.length > 0) throw new ValidationError(problems)
  return file
}

/**
 * Reads a mapping table (`source_code,source_description,call_type,note`) and checks that
 * every row names a call type that exists.
 */
export function parseMappingCsv(
  text: string,
  knownCallTypes: ReadonlySet<string>,
): CallTypeMappingRow[] {
  let records: Array<Record<string, string>>
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true })
  } catch (err) {
    throw new ValidationError([
      { path: 'file', message: `not valid CSV: ${(err as Error).message}` },
    ])
  }
  const problems: FieldProblem[] = []
  const rows = records.map((r, i) => {
    const callType = r.call_type ?? ''
    if (!knownCallTypes.has(callType)) {
      problems.push({ path: `row ${i + 2}.call_type`, message: `unknown call type '${callType}'` })
    }
    return {
      sourceCode: r.source_code ?? '',
      sourceDescription: r.source_description ?? '',
      callType,
      note: r.note ?? '',
    }
  })
  const seen = new Set<string>()
  rows.forEach((r, i) => {
    if (seen.has(r.sourceCode))
      problems.push({
        path: `row ${i + 2}.source_code`,
        message: `'${r.sourceCode}' appears twice`,
      })
    seen.add(r.sourceCode)
  })
  if (problems.length > 0) throw new ValidationError(problems.slice(0, 50))
  return rows
}
