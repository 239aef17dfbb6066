/**
 * The policy lab's simulator (issue #9): a discrete-event model of the call system that runs
 * the production triage and dispatch rules, for comparing policies before a city spends on them.
 * Pure: no I/O, no wall clock, no Math.random; the same scenario, catalogue and seed always give
 * the same report.
 *
 * How to use it (what calibration, scenarios, the CLI and the lab page build on):
 *
 *   const catalogue = parseCatalogueFile(text)           // src/app/catalogue, outside src/sim
 *   const scenario: Scenario = demoCityScenario(catalogue) // or calibrated from history
 *   const model = compileModel(scenario, catalogue)        // checks it (ValidationError), builds tables
 *   const report = simulateCity(model, seed, replication)  // one run → Report
 *   const { reports, summary } = simulateReplications(model, { seed, replications: 10 })
 *   // summary: every number of the Report as { mean, low, high, halfWidth, n } (95 % t)
 *
 * On all cores: runReplications({ scenario, catalogue, seed, replications }) in
 * src/app/simulation/run-replications.ts gives the same reports from worker threads.
 *
 * A policy is a scenario change or a catalogue change:
 * - no 311: every stream's source '911', the 311 line with no agents;
 * - 311 as Baltimore first ran it: response.policy 'dispatch_all', duplicates.linkedShare 0;
 * - differential response: the catalogue's modes (policy 'catalogue'), delayed hold, civilians;
 * - split force: 'problem_solving' shifts (pulled only for priority 1–2, by the production rule);
 * - more officers / fewer call-takers: patrol.shifts, lines.*.agentsByHourOfWeek
 *   (staffingPlan in src/domain/staffing sizes a line for a service-level target).
 * Scenarios compared with the same seed see the same calls (common random numbers).
 *
 * Parts: engine.ts (clock + event heap), event-queue.ts (typed-array heap), random.ts (seeded
 * streams, samplers, alias tables), model/scenario.ts (the JSON scenario), model/compile.ts
 * (tables), model/triage-table.ts (production triage, cached), model/dispatch-rules.ts
 * (production dispatch order and unit preference), model/city.ts (one run), model/report.ts
 * (Report, summaries, confidence intervals, control variates), model/demo-city.ts.
 */
export { Simulation } from './engine.js'
export { MinHeap } from './event-queue.js'
export { simulateCity } from './model/city.js'
export { type CompiledModel, compileModel } from './model/compile.js'
export { type DemoCityOptions, demoCityScenario, usualWeek } from './model/demo-city.js'
export {
  type Estimate,
  estimate,
  estimateWithControl,
  type ForceTime,
  type LineReport,
  type PriorityReport,
  type Report,
  type Summary,
  summarise,
} from './model/report.js'
export {
  type AnswerProfile,
  type ArrivalRecord,
  type ArrivalStream,
  CALL_SOURCES,
  type CallSource,
  type CallTakerLine,
  checkScenario,
  everyHour,
  FORCES,
  type Force,
  type LineName,
  type Patrol,
  type PoissonArrivals,
  type ReplayArrivals,
  type ResponsePolicy,
  type Scenario,
  type Shift,
  unitsByHourOfWeek,
} from './model/scenario.js'
export type { SimCatalogue } from './model/triage-table.js'
export { type Distribution, meanOf, Sampler, SeededRandom } from './random.js'
export { type ReplicationsResult, simulateReplications } from './replications.js'
