#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import { createFirstAdmin } from '../app/accounts/manage-accounts.js'
import { startBackgroundWork } from '../app/background-work.js'
import { importCatalogueFile } from '../app/catalogue/import-catalogue.js'
import { createDeps, ensureCatalogue } from '../app/create-deps.js'
import { ensureRoster, importRoster } from '../app/dispatch/import-roster.js'
import { ensureCriticalPlaces } from '../app/emergency/snow.js'
import {
  ensureGeography,
  importGeography,
  type LayerReport,
} from '../app/geography/import-geography.js'
import { importCallHistory, readHistoryMapping } from '../app/history/import-call-history.js'
import { loadConfig } from '../config/config.js'
import { ROSTER_COLUMNS } from '../domain/dispatch/roster.js'
import { ValidationError } from '../domain/shared/errors.js'
import { buildApp } from '../server/app.js'
import { createLogger } from '../server/logger.js'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string
}

const program = new Command()
  .name('triage311')
  .description(
    'triage311: non-emergency (311) call system. Settings come from the environment (see .env.example).',
  )
  .version(pkg.version, '-v, --version', 'print the version')

program
  .command('serve')
  .description(
    'migrate the database, load the default catalogue on first run, and serve the staff API',
  )
  .action(async () => {
    const config = loadConfig()
    const log = createLogger(config)
    const deps = await createDeps(config, log)
    if (await ensureCatalogue(deps))
      console.log(`Loaded the default call-type catalogue (${config.CATALOGUE_FILE}).`)
    const city = await ensureGeography(deps, progressLine)
    if (city) {
      endProgress()
      console.log(`Loaded the demo city's geography (${config.DEMO_GEOGRAPHY}):`)
      printLayers(city)
    }
    const roster = await ensureRoster(deps)
    if (roster)
      console.log(
        `Loaded the demo unit roster (${config.DEMO_ROSTER}): ${roster.added.length} units.`,
      )
    const places = await ensureCriticalPlaces(deps)
    if (places)
      console.log(
        `Loaded the demo city's critical places (${config.DEMO_CRITICAL_PLACES}): ${places.added} places${places.skipped.length ? `; not placed: ${places.skipped.join(', ')}` : ''}.`,
      )
    // Load the catalogue and the city into memory now, not on the first call-taker's request.
    await Promise.all([deps.catalogue.snapshot(), deps.geography.get()])
    const app = await buildApp(deps)
    const address = await app.listen({ host: config.HOST, port: config.PORT })
    const stopSweeps = startBackgroundWork(deps)
    const url = address.replace('[::1]', 'localhost')
    const noUsers = (await deps.store.accounts.countUsers()) === 0
    console.log(
      [
        '',
        `triage311 ${pkg.version} is running on ${deps.store.dialect} at ${url}`,
        `  API documentation: ${url}/docs`,
        '',
        ...(noUsers
          ? [
              'No staff account exists yet. Create the first administrator (the password is printed once):',
              '  npm run triage311 -- users create-admin --username admin',
              `then sign in: curl -c cookies -H 'content-type: application/json' -d '{"username":"admin","password":"…"}' ${url}/api/auth/login`,
            ]
          : [`Sign in: POST ${url}/api/auth/login with your user name and password.`]),
      ].join('\n'),
    )
    const stop = async (signal: string) => {
      log.info({ signal }, 'shutting down')
      stopSweeps()
      await app.close()
      await deps.store.close()
      log.flush()
      process.exit(0)
    }
    process.once('SIGINT', () => void stop('SIGINT'))
    process.once('SIGTERM', () => void stop('SIGTERM'))
  })

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const config = loadConfig()
    const deps = await createDeps(config, createLogger(config))
    console.log(`Database (${deps.store.dialect}) is up to date.`)
    await deps.store.close()
  })

const catalogue = program.command('catalogue').description('the call-type catalogue')
catalogue
  .command('import')
  .argument('[file]', 'catalogue YAML or JSON file (default: CATALOGUE_FILE)')
  .description(
    'import a catalogue file and the mapping tables beside it; re-running changes nothing',
  )
  .action(async (file?: string) => {
    const config = loadConfig()
    const deps = await createDeps(config, createLogger(config))
    try {
      const path = file ?? config.CATALOGUE_FILE
      const r = await importCatalogueFile(deps, { id: 'cli', roles: ['admin'] }, path)
      console.log(`Catalogue ${r.version} from ${path}:`)
      console.log(
        `  created ${r.created.length}, updated ${r.updated.length}, unchanged ${r.unchanged.length}`,
      )
      if (r.notInFile.length) console.log(`  kept, not in the file: ${r.notInFile.join(', ')}`)
      for (const [source, n] of Object.entries(r.mappings))
        console.log(`  mapping ${source}: ${n} codes`)
    } finally {
      await deps.store.close()
    }
  })

const units = program.command('units').description('the unit roster')
units
  .command('import')
  .argument('<file>', `roster CSV with the header ${ROSTER_COLUMNS.join(',')}`)
  .description('add and update units from a roster file; a file with any mistake changes nothing')
  .action(async (file: string) => {
    const config = loadConfig()
    const deps = await createDeps(config, createLogger(config))
    try {
      const r = await importRoster(
        deps,
        { id: 'cli', roles: ['admin'] },
        readFileSync(file, 'utf8'),
      )
      console.log(
        `Roster from ${file}: added ${r.added.length}, updated ${r.updated.length}, unchanged ${r.unchanged.length}`,
      )
    } catch (err) {
      reportNothingImported(err, `fix these lines of ${file}`)
    } finally {
      await deps.store.close()
    }
  })

const history = program.command('history').description('911 history: calls for service from a CAD')
history
  .command('import')
  .argument('<file>', 'the CAD export (CSV)')
  .requiredOption(
    '--mapping <file>',
    'which column holds what (history/sandiego.yaml, history/generic.yaml)',
  )
  .description('import calls for service; importing the same file again adds nothing')
  .action(async (file: string, options: { mapping: string }) => {
    const config = loadConfig()
    const deps = await createDeps(config, createLogger(config))
    try {
      // A fresh database gets the default catalogue, whose mapping tables the import needs.
      await ensureCatalogue(deps)
      const r = await importCallHistory(
        deps,
        { id: 'cli', roles: ['admin'] },
        file,
        readHistoryMapping(options.mapping),
        (done, total) => progressLine('calls', done, total),
      )
      endProgress()
      console.log(
        `${r.source}: ${r.rows.toLocaleString()} rows in ${r.seconds} s: ${r.imported.toLocaleString()} imported, ${r.alreadyImported.toLocaleString()} already there`,
      )
      if (r.unplaced)
        console.log(
          `  ${r.unplaced.toLocaleString()} calls with no block or point (intersections, log entries)`,
        )
      if (r.unmappedCallTypes.length)
        console.log(
          `  call types the mapping table does not know: ${r.unmappedCallTypes.map((u) => `${u.code || '(blank)'} ×${u.calls}`).join(', ')}`,
        )
      if (r.problemCount) {
        console.log(`  ${r.problemCount} rows could not be read:`)
        for (const p of r.problems.slice(0, 10)) console.log(`    ${p.path}: ${p.message}`)
      }
    } catch (err) {
      reportNothingImported(err, 'fix these first')
    } finally {
      await deps.store.close()
    }
  })

const rollups = program
  .command('rollups')
  .description('the counts behind the dashboards (kept as calls arrive)')
rollups
  .command('rebuild')
  .description(
    'count every stored call again: after CITY_TIME_ZONE changes, or to check the dashboards',
  )
  .action(async () => {
    const config = loadConfig()
    const deps = await createDeps(config, createLogger(config))
    try {
      const counted = await deps.store.rollups.rebuild((done, total) =>
        progressLine('calls', done, total),
      )
      endProgress()
      console.log(
        `rollups rebuilt from ${counted.toLocaleString()} calls (${config.CITY_TIME_ZONE})`,
      )
    } finally {
      await deps.store.close()
    }
  })

const geography = program
  .command('geography')
  .description("the city's streets, intersections and areas")
geography
  .command('import')
  .argument('[file]', 'geography description (default: DEMO_GEOGRAPHY, the Baltimore demo city)')
  .description(
    'import the layers a geography description names; unchanged layers are skipped, changed ones replaced',
  )
  .action(async (file?: string) => {
    const config = loadConfig()
    const deps = await createDeps(config, createLogger(config))
    try {
      const reports = await importGeography(
        deps,
        { id: 'cli', roles: ['admin'] },
        file ?? config.DEMO_GEOGRAPHY,
        progressLine,
      )
      endProgress()
      printLayers(reports)
    } finally {
      await deps.store.close()
    }
  })

const users = program.command('users').description('staff accounts')
users
  .command('create-admin')
  .requiredOption('--username <name>', 'user name of the first administrator')
  .option(
    '--password-env <VAR>',
    'read the password from this environment variable instead of generating one',
  )
  .description(
    'create the first administrator on a database with no users (the password is printed once)',
  )
  .action(async (opts: { username: string; passwordEnv?: string }) => {
    const config = loadConfig()
    const deps = await createDeps(config, createLogger(config))
    try {
      const given = opts.passwordEnv ? process.env[opts.passwordEnv] : undefined
      if (opts.passwordEnv && !given)
        throw new Error(`the environment variable ${opts.passwordEnv} is empty`)
      const { user, password } = await createFirstAdmin(deps, opts.username, given)
      console.log(`Administrator '${user.username}' created.`)
      if (!given)
        console.log(
          `  password: ${password}\n  (shown once: keep it safe, and change it after signing in)`,
        )
    } finally {
      await deps.store.close()
    }
  })

program
  .command('simulate')
  .argument('[scenario]', 'a scenario file (JSON), e.g. scenarios/demo-city.json')
  .description(
    'the policy lab: simulate a scenario (or, with --compare, the policies side by side) and print a table',
  )
  .option('--replications <n>', 'replications of each scenario', '10')
  .option('--seed <s>', 'random seed; every scenario uses the same one', '1')
  .option('--compare', 'compare the policies (no 311, 311 as Baltimore ran it, …) from this base')
  .option('--catalogue <file>', 'catalogue to triage with (default: CATALOGUE_FILE)')
  .option('--write-demo <file>', 'write the demo city scenario to a file, and stop')
  .option('--calls-per-year <n>', 'size of the demo city for --write-demo', '100000')
  .option(
    '--calibrate <file>',
    "write the scenario calibrated from this database's records to a file (and print the report), and stop",
  )
  .action(
    async (
      file: string | undefined,
      opts: {
        replications: string
        seed: string
        compare?: boolean
        catalogue?: string
        writeDemo?: string
        callsPerYear: string
        calibrate?: string
      },
    ) => {
      const lab = await import('./simulate.js')
      process.exitCode = await lab.simulateCommand(file, opts)
    },
  )

let progressShown = false
/** One line that rewrites itself on a terminal: 'streets  46,791 / 46,791  100%'. */
function progressLine(layer: string, done: number, total: number): void {
  if (!process.stdout.isTTY) return
  progressShown = true
  const pct = total ? Math.round((done / total) * 100) : 100
  process.stdout.write(
    `\r  importing ${layer.padEnd(22)} ${done.toLocaleString().padStart(7)} / ${total.toLocaleString()}  ${pct}%   `,
  )
}
/** A refused import changed nothing: say what to fix, and fail the command. */
function reportNothingImported(err: unknown, what: string): void {
  if (!(err instanceof ValidationError)) throw err
  console.error(`Nothing imported; ${what}:`)
  for (const p of err.problems) console.error(`  ${p.path}: ${p.message}`)
  process.exitCode = 1
}
function endProgress(): void {
  if (progressShown) process.stdout.write('\n')
  progressShown = false
}
function printLayers(reports: LayerReport[]): void {
  for (const r of reports) {
    const what =
      r.status === 'unchanged'
        ? 'unchanged, skipped'
        : `${r.features.toLocaleString()} features${r.skipped ? ` (${r.skipped} without a usable name or line)` : ''} in ${r.seconds} s`
    console.log(`  ${r.layer.padEnd(24)} ${what}`)
  }
}

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ValidationError) {
    console.error(
      `${err.message}\n${err.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    )
  } else {
    console.error(err instanceof Error ? err.message : err)
  }
  process.exit(1)
})
