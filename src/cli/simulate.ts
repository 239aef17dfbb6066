/**
 * `triage311 simulate`: the policy lab on the command line (issue #9 item 7). Reads a scenario
 * file, runs it (or the policies compared from it) on every core with a progress line, and prints
 * the comparison table; writes the demo or the calibrated scenario to a file. A mistake in the
 * user's file or options is printed as a list of problems, never as a stack trace.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseCatalogueFile } from '../app/catalogue/parse-catalogue-file.js'
import { createDeps } from '../app/create-deps.js'
import { calibrateFromRecords } from '../app/simulation/calibrate.js'
import {
  compareScenarios,
  comparisonTable,
  type ScenarioToRun,
} from '../app/simulation/compare-scenarios.js'
import { loadConfig } from '../config/config.js'
import { parseScenario } from '../contract/simulation.js'
import { type FieldProblem, ValidationError } from '../domain/shared/errors.js'
import { createLogger } from '../server/logger.js'
import { demoCityScenario } from '../sim/model/demo-city.js'
import { PRESET_KEYS, PRESETS, presetScenario } from '../sim/policies.js'

export interface SimulateOptions {
  replications: string
  seed: string
  compare?: boolean
  catalogue?: string
  writeDemo?: string
  callsPerYear: string
  calibrate?: string
}

/** Runs the command; returns the exit code (1 after printing what to fix). */
export async function simulateCommand(
  file: string | undefined,
  opts: SimulateOptions,
): Promise<number> {
  try {
    return await run(file, opts)
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    console.error(
      `Nothing simulated; fix these first:\n${err.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    )
    return 1
  }
}

function wholeNumber(
  value: string,
  option: string,
  min: number,
  max: number,
  problems: FieldProblem[],
) {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    problems.push({
      path: option,
      message: `a whole number from ${min} to ${max} (got '${value}')`,
    })
  return n
}

async function run(file: string | undefined, opts: SimulateOptions): Promise<number> {
  const problems: FieldProblem[] = []
  const replications = wholeNumber(opts.replications, '--replications', 2, 1000, problems)
  const seed = wholeNumber(opts.seed, '--seed', 0, 2 ** 31 - 1, problems)
  const callsPerYear = wholeNumber(
    opts.callsPerYear,
    '--calls-per-year',
    1000,
    50_000_000,
    problems,
  )
  if (!file && !opts.writeDemo && !opts.calibrate)
    problems.push({
      path: 'scenario',
      message: 'name a scenario file, or use --write-demo FILE or --calibrate FILE',
    })
  if (problems.length) throw new ValidationError(problems)

  const config = loadConfig()
  const catalogueFile = opts.catalogue ?? config.CATALOGUE_FILE
  const catalogue = parseCatalogueFile(readText(catalogueFile, '--catalogue'))

  if (opts.writeDemo) {
    const s = demoCityScenario(catalogue, { callsPerYear, days: 28, warmUpDays: 3 })
    writeFileSync(opts.writeDemo, `${JSON.stringify(s, null, 2)}\n`)
    console.log(
      `Wrote the demo city (${callsPerYear.toLocaleString('en-US')} calls a year) to ${opts.writeDemo}.`,
    )
    return 0
  }
  if (opts.calibrate) {
    const deps = await createDeps(config, createLogger(config))
    try {
      const c = await calibrateFromRecords(deps)
      writeFileSync(opts.calibrate, `${JSON.stringify(c.scenario, null, 2)}\n`)
      console.log(
        `Calibrated from ${c.calls.toLocaleString('en-US')} calls, ${c.period.from} to ${c.period.to}; wrote ${opts.calibrate}.\n`,
      )
      const w = Math.max(...c.parameters.map((p) => p.parameter.length))
      for (const p of c.parameters)
        console.log(`  ${p.parameter.padEnd(w)}  ${p.value}\n  ${''.padEnd(w)}  ← ${p.source}`)
    } finally {
      await deps.store.close()
    }
    return 0
  }

  const text = readText(file as string, 'scenario')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ValidationError([
      { path: file as string, message: `not JSON: ${(err as Error).message}` },
    ])
  }
  const base = parseScenario(json)
  const scenarios: ScenarioToRun[] = [
    { name: base.name, description: 'as in the file', scenario: base },
  ]
  if (opts.compare)
    for (const key of PRESET_KEYS)
      scenarios.push({
        name: PRESETS[key].name,
        description: PRESETS[key].description,
        scenario: presetScenario(base, catalogue, key),
      })
  const tty = process.stderr.isTTY
  let lastScenario = ''
  const comparison = await compareScenarios({
    scenarios,
    catalogue,
    replications,
    seed,
    onProgress: (done, total, name) => {
      const pct = Math.round((done / total) * 100)
      if (tty)
        process.stderr.write(`\r  simulating ${name.padEnd(28)} ${done} / ${total}  ${pct}%   `)
      else if (name !== lastScenario || done === total)
        process.stderr.write(`  simulating ${name}: ${done} / ${total} replications (${pct}%)\n`)
      lastScenario = name
    },
  })
  if (tty) process.stderr.write('\n')
  console.log(comparisonTable(comparison))
  for (const s of comparison.scenarios)
    if (s.description) console.log(`  ${s.name}: ${s.description}`)
  return 0
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ValidationError([
      {
        path: what,
        message:
          code === 'ENOENT' ? `no file '${file}'` : `cannot read '${file}' (${code ?? 'error'})`,
      },
    ])
  }
}
