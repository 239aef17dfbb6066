/**
 * Triage report on real calls (issue #2): every San Diego PD call of January 2023 through the
 * mapping table and the triage engine, once with no answers and once with the answers an
 * emergency would bring for the calls the police rated priority 0 or 1. Prints the tables of
 * police priority against our response mode, the share of priority 3/4/9 calls we would send to
 * immediate dispatch (lower is better, while safe), and the under-triage count (must be 0).
 */
import { formatModeTable, triageReport } from '../src/analytics/triage-report.js'
import {
  loadDefaultCatalogue,
  loadSanDiegoCalls,
  loadSanDiegoMapping,
} from '../test/support/sandiego.js'
import { round } from './_support.js'

export async function run({ quick }: { quick: boolean }) {
  const file = loadDefaultCatalogue()
  const all = loadSanDiegoCalls()
  const calls = quick ? all.filter((_, i) => i % 4 === 0) : all
  const t0 = performance.now()
  const r = triageReport({
    calls,
    callTypes: new Map(file.callTypes.map((c) => [c.code, c])),
    screening: file.screening,
    mapping: loadSanDiegoMapping(file),
    timeZone: 'America/Los_Angeles',
  })
  const seconds = (performance.now() - t0) / 1000
  console.log(
    `triage: ${r.calls} San Diego calls (catalogue ${file.version}), ${Math.round((2 * r.calls) / seconds)} decisions/s`,
  )
  console.log(
    '\nRun 1, before any question is answered (rows: SD priority; columns: our response mode)',
  )
  console.log(formatModeTable(r.noAnswers))
  console.log(
    '\nRun 2, with the emergency answers for priority 0 (danger to life) and 1 (in progress)',
  )
  console.log(formatModeTable(r.emergencyAnswered))
  console.log(
    `\npriority 3/4/9 calls sent to immediate dispatch: ${(r.lowPriorityImmediateShare * 100).toFixed(2)}% (citizen calls only: ${(r.lowPriorityImmediateShareCitizen * 100).toFixed(2)}%)`,
  )
  console.log(
    `priority 0/1 calls without a patrol or 911 response after the emergency answers: ${r.underTriaged}`,
  )
  console.log(
    `SD codes mostly rated 0/1 whose type gives no patrol/911 response unasked: ${r.urgentTypesWithoutPatrol.length ? r.urgentTypesWithoutPatrol.join(', ') : 'none'}`,
  )
  console.log(
    `call types with 0/1 calls whose escalation questions do not all escalate: ${r.typesWithoutWorkingEscalation.length ? r.typesWithoutWorkingEscalation.join(', ') : 'none'}`,
  )
  if (Object.keys(r.unmapped).length)
    console.log(`unmapped SD codes: ${JSON.stringify(r.unmapped)}`)
  return {
    calls: r.calls,
    unmapped: Object.values(r.unmapped).reduce((a, b) => a + b, 0),
    decisionsPerSec: Math.round((2 * r.calls) / seconds),
    lowPriorityImmediateSharePct: round(r.lowPriorityImmediateShare * 100, 3),
    lowPriorityImmediateShareCitizenPct: round(r.lowPriorityImmediateShareCitizen * 100, 3),
    underTriaged: r.underTriaged,
    urgentTypesWithoutPatrol: r.urgentTypesWithoutPatrol.length,
    typesWithoutWorkingEscalation: r.typesWithoutWorkingEscalation.length,
    noAnswers: r.noAnswers,
    emergencyAnswered: r.emergencyAnswered,
    targets: {
      underTriaged: 0,
      urgentTypesWithoutPatrol: 0,
      typesWithoutWorkingEscalation: 0,
      lowPriorityImmediateSharePct: 'lower is better',
    },
  }
}
