/**
 * Policy-lab simulator benchmark (issue #9): events per second, and the wall time of one
 * simulated year of a city with 1,000,000 calls (target ≤ 1 s a replication), replications
 * running in parallel on worker threads (one per core).
 *
 * The city is the demo city (src/sim/model/demo-city.ts) on the default catalogue: every call
 * triaged by the production rules, 911 and 311 call-takers with impatient callers, patrol,
 * problem-solving and civilian shifts, delayed responses, duplicates and returned referrals.
 * Figures:
 * - `secondsPerReplication`: wall time of the whole run divided by the replications (what a
 *   user waits per replication with every core busy);
 * - `replicationSeconds`: each replication's own time inside its thread (the first in each
 *   thread includes the compiler warming up);
 * - `eventsPerSecond`: events handled by all threads over the wall time; `perThread` the same
 *   for one thread's own time;
 * - `engineOnly`: the bare engine (heap + clock) on an M/M/14 queue, one thread, as a baseline.
 */
import { availableParallelism } from 'node:os'
import { runReplications } from '../src/app/simulation/run-replications.js'
import { Simulation } from '../src/sim/engine.js'
import { demoCityScenario } from '../src/sim/model/demo-city.js'
import { Sampler, SeededRandom } from '../src/sim/random.js'
import { loadDefaultCatalogue } from '../test/support/sandiego.js'
import { round } from './_support.js'

export async function run({ quick }: { quick: boolean }) {
  const catalogue = loadDefaultCatalogue()
  const callsPerYear = 1_000_000
  const scenario = demoCityScenario(catalogue, { callsPerYear, days: 365, warmUpDays: 7 })
  const threads = availableParallelism()
  // Sixteen on two cores: a usual count for confidence intervals, and enough that starting the
  // threads (loading the code, compiling the model) is a small part of the wall time.
  const replications = quick ? 2 * threads : 8 * threads

  const engineOnly = bareEngine(quick ? 5_000_000 : 20_000_000)
  console.log(
    `engine alone (M/M/14, one thread): ${Math.round(engineOnly).toLocaleString('en-US')} events/s`,
  )

  const runs = await runReplications({
    scenario,
    catalogue,
    seed: 20261123,
    replications,
    threads,
    onReplication: (d, finished, total) =>
      console.log(
        `replication ${d.replication} (${finished}/${total}): ${d.report.calls.received.toLocaleString('en-US')} calls, ${d.report.events.toLocaleString('en-US')} events, ${d.seconds.toFixed(3)} s`,
      ),
  })
  const events = runs.reports.reduce((s, r) => s + r.events, 0)
  const calls = runs.reports.reduce((s, r) => s + r.calls.received, 0)
  const threadSeconds = runs.seconds.reduce((s, x) => s + x, 0)
  const sorted = [...runs.seconds].sort((a, b) => a - b)
  const s = runs.summary
  const out = {
    callsPerYear,
    meanCallsSimulated: Math.round(calls / replications),
    replications,
    threads: runs.threads,
    wallSeconds: round(runs.wallSeconds, 3),
    secondsPerReplication: round(runs.wallSeconds / replications, 3),
    replicationSeconds: {
      min: round(sorted[0] as number, 3),
      median: round(sorted[Math.floor(sorted.length / 2)] as number, 3),
      max: round(sorted[sorted.length - 1] as number, 3),
    },
    eventsPerReplication: Math.round(events / replications),
    eventsPerSecond: Math.round(events / runs.wallSeconds),
    eventsPerSecondPerThread: Math.round(events / threadSeconds),
    engineOnlyEventsPerSecond: Math.round(engineOnly),
    city: {
      answered911WithinTarget: round(s.lines['911'].serviceLevel.mean, 4),
      abandoned311: round(s.lines['311'].abandonedShare.mean, 4),
      priority1ResponseMinutes: round(s.dispatch.priority1ResponseMinutes.mean.mean, 2),
      patrolSaturation: round(s.officerTime.patrolSaturation.mean, 4),
      dispatches: Math.round(s.dispatch.dispatches.mean),
    },
    targets: { eventsPerSecond: 5_000_000, secondsPerReplication: 1 },
  }
  console.log(
    `${replications} replications of one year (${out.meanCallsSimulated.toLocaleString('en-US')} calls each) on ${runs.threads} threads: ${out.wallSeconds} s wall, ${out.secondsPerReplication} s a replication (in-thread median ${out.replicationSeconds.median} s); ${out.eventsPerSecond.toLocaleString('en-US')} events/s (${out.eventsPerSecondPerThread.toLocaleString('en-US')} per thread)`,
  )
  return out
}

/** The engine with the least possible model: M/M/14, 200 calls an hour, 180 s. */
function bareEngine(events: number): number {
  const sim = new Simulation()
  const r = new SeededRandom(1)
  const gap = new Sampler({ kind: 'exponential', mean: 18 }, r)
  const service = new Sampler({ kind: 'exponential', mean: 180 }, r)
  let busy = 0
  let waiting = 0
  sim.schedule(0, 0, 0)
  const t0 = performance.now()
  sim.run((events / 2) * 18, (kind) => {
    if (kind === 0) {
      sim.after(gap.sample(), 0, 0)
      if (busy < 14) {
        busy++
        sim.after(service.sample(), 1, 0)
      } else waiting++
    } else if (waiting > 0) {
      waiting--
      sim.after(service.sample(), 1, 0)
    } else busy--
  })
  return sim.events / ((performance.now() - t0) / 1000)
}
