import { useEffect, useState } from 'react'
import { BarChart } from '../../components/charts.js'
import { ApiError, api } from '../../lib/api.js'

/** What the simulation routes answer, as this screen uses it. */
interface Estimate {
  mean: number | null
  low: number | null
  high: number | null
  halfWidth: number | null
  n: number
}
interface Measure {
  key: string
  label: string
  unit: string
  better: 'lower' | 'higher' | null
  guideline?: number
  values: Estimate[]
}
interface Comparison {
  scenarios: Array<{ name: string; description: string }>
  replications: number
  seed: number
  days: number
  measures: Measure[]
  wallSeconds: number
}
interface Job {
  id: string
  status: 'running' | 'done' | 'failed'
  done: number
  total: number
  running: string | null
  result: Comparison | null
  error: string | null
}
interface Levers {
  line311?: boolean
  diversionShare?: number
  responsePolicy?: 'catalogue' | 'dispatch_all'
  linkDuplicates?: boolean
  callResponseOfficers?: number
  problemSolvingOfficers?: number
  splitForceShare?: number
  callTakers911?: number
  callTakers311?: number
}
interface Preset {
  key: string
  name: string
  description: string
  levers: Levers
}
interface Draft {
  id: number
  name: string
  preset: string
  levers: Levers
}
interface CalibrationReport {
  period: { from: string; to: string }
  calls: number
  perWeek: number
  parameters: Array<{
    parameter: string
    value: string
    fitted: boolean
    source: string
    records: number
  }>
}
interface StaffingPlan {
  line: '911' | '311'
  handleSeconds: number
  hours: Array<{ hourOfWeek: number; callsPerHour: number; agents: number; positions: number }>
  positionHours: number
  agentHours: number
}

const COLORS = ['#1f5f8b', '#b42318', '#2e7d32', '#8a5a00', '#6a3d9a', '#00695c', '#555', '#c2185b']
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
/** The hours of a day, as their own keys. */
const HOURS = Array.from({ length: 24 }, (_, h) => `${h}`)
const CHARTED = [
  'p1Response',
  'saturation',
  'dispatches',
  'freeHours',
  'problemSolvingHours',
  'answer911',
]

const message = (err: unknown) =>
  err instanceof ApiError
    ? [err.message, ...err.problems.map((p) => `${p.path}: ${p.message}`)].join(' · ')
    : 'cannot reach the server'

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–'
  const a = Math.abs(x)
  return x.toLocaleString('en-US', { maximumFractionDigits: a >= 100 ? 0 : a >= 10 ? 1 : 2 })
}
const withCi = (e: Estimate) =>
  e.mean === null
    ? '–'
    : e.halfWidth === null
      ? fmt(e.mean)
      : `${fmt(e.mean)} ± ${fmt(e.halfWidth)}`

let nextId = 1
const draftOf = (p: Preset): Draft => ({
  id: nextId++,
  name: p.name,
  preset: p.key,
  levers: { ...p.levers },
})

/**
 * The policy lab (issue #9): command staff and policymakers compare ways of running the call
 * system before spending on one. Pick a base (the demo city, or the city calibrated from its own
 * records), set the levers of each scenario, run them with the same random numbers, and read the
 * comparison with its confidence intervals; size the call-takers for a service target.
 */
export function PolicyLab() {
  const [presets, setPresets] = useState<Preset[]>([])
  const [base, setBase] = useState<'demo' | 'calibrated'>('demo')
  const [callsPerYear, setCallsPerYear] = useState(100_000)
  const [days, setDays] = useState(28)
  const [replications, setReplications] = useState(5)
  const [seed, setSeed] = useState(1)
  const [drafts, setDrafts] = useState<Draft[]>([])
  const [job, setJob] = useState<Job | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)

  useEffect(() => {
    api<{ presets: Preset[] }>('GET', '/api/simulation/presets')
      .then((r) => {
        setPresets(r.presets)
        const pick = (k: string) => r.presets.find((p) => p.key === k)
        setDrafts(
          ['baltimore_311', 'differential_response']
            .map(pick)
            .filter((p): p is Preset => Boolean(p))
            .map(draftOf),
        )
      })
      .catch((err) => setError(message(err)))
  }, [])

  useEffect(() => {
    if (job?.status !== 'running') return
    const t = setTimeout(() => {
      api<Job>('GET', `/api/simulation/runs/${job.id}`)
        .then(setJob)
        .catch((err) => setError(message(err)))
    }, 300)
    return () => clearTimeout(t)
  }, [job])

  const update = (id: number, change: Partial<Draft>) =>
    setDrafts((ds) => ds.map((d) => (d.id === id ? { ...d, ...change } : d)))
  const setLever = (d: Draft, lever: keyof Levers, value: Levers[keyof Levers]) =>
    update(d.id, { preset: '', levers: { ...d.levers, [lever]: value } })

  const run = async () => {
    setError(null)
    setSending(true)
    try {
      setJob(
        await api<Job>('POST', '/api/simulation/runs', {
          base,
          callsPerYear,
          days,
          replications,
          seed,
          scenarios: drafts.map((d) => ({ name: d.name, levers: d.levers })),
        }),
      )
    } catch (err) {
      setError(message(err))
    } finally {
      setSending(false)
    }
  }

  const running = job?.status === 'running'
  const result = job?.result ?? null
  return (
    <section className="analytics policy-lab" aria-labelledby="lab-title">
      <h1 id="lab-title">Policy lab</h1>
      <p>
        Compare ways of running the call system on a simulated city before spending on one. Every
        scenario sees the same calls (the same random numbers), so a difference is the policy’s.
      </p>
      <form
        aria-label="Scenarios to compare"
        onSubmit={(e) => {
          e.preventDefault()
          void run()
        }}
      >
        <fieldset className="filters">
          <legend>Base city</legend>
          <label>
            Start from
            <select value={base} onChange={(e) => setBase(e.target.value as 'demo' | 'calibrated')}>
              <option value="demo">The demo city</option>
              <option value="calibrated">Our city, calibrated from our records</option>
            </select>
          </label>
          {base === 'demo' && (
            <label>
              Calls a year
              <input
                type="number"
                min={1000}
                step={1000}
                value={callsPerYear}
                onChange={(e) => setCallsPerYear(Number(e.target.value))}
              />
            </label>
          )}
          <label>
            Days simulated
            <input
              type="number"
              min={1}
              max={365}
              value={days}
              onChange={(e) => setDays(Number(e.target.value))}
            />
          </label>
          <label>
            Replications
            <input
              type="number"
              min={2}
              max={50}
              value={replications}
              onChange={(e) => setReplications(Number(e.target.value))}
            />
          </label>
          <label>
            Seed
            <input
              type="number"
              min={0}
              value={seed}
              onChange={(e) => setSeed(Number(e.target.value))}
            />
          </label>
        </fieldset>

        {drafts.map((d, i) => (
          <fieldset key={d.id} className="panel lab-scenario">
            <legend>Scenario {i + 1}</legend>
            <div className="filters">
              <label>
                Name
                <input value={d.name} onChange={(e) => update(d.id, { name: e.target.value })} />
              </label>
              <label>
                Start from the policy
                <select
                  value={d.preset}
                  onChange={(e) => {
                    const p = presets.find((x) => x.key === e.target.value)
                    if (p) update(d.id, { preset: p.key, name: p.name, levers: { ...p.levers } })
                  }}
                >
                  <option value="">(my own levers)</option>
                  {presets.map((p) => (
                    <option key={p.key} value={p.key}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                How calls are answered
                <select
                  value={d.levers.responsePolicy ?? 'catalogue'}
                  onChange={(e) =>
                    setLever(d, 'responsePolicy', e.target.value as Levers['responsePolicy'])
                  }
                >
                  <option value="catalogue">Differential response (the catalogue)</option>
                  <option value="dispatch_all">Dispatch every call</option>
                </select>
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={d.levers.line311 !== false}
                  onChange={(e) => setLever(d, 'line311', e.target.checked)}
                />{' '}
                A 311 line
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={d.levers.linkDuplicates !== false}
                  onChange={(e) => setLever(d, 'linkDuplicates', e.target.checked)}
                />{' '}
                Call-takers link duplicates
              </label>
              <Share
                label="Non-emergency 911 calls moved to 311"
                value={d.levers.diversionShare ?? 0}
                onChange={(v) => setLever(d, 'diversionShare', v)}
              />
              <Times
                label="Call-response officers"
                value={d.levers.callResponseOfficers ?? 1}
                onChange={(v) => setLever(d, 'callResponseOfficers', v)}
              />
              <Times
                label="Problem-solving officers"
                value={d.levers.problemSolvingOfficers ?? 1}
                onChange={(v) => setLever(d, 'problemSolvingOfficers', v)}
              />
              <Share
                label="Call-response officers moved to problem solving"
                value={d.levers.splitForceShare ?? 0}
                onChange={(v) => setLever(d, 'splitForceShare', v)}
              />
              <Times
                label="911 call-takers"
                value={d.levers.callTakers911 ?? 1}
                onChange={(v) => setLever(d, 'callTakers911', v)}
              />
              <Times
                label="311 call-takers"
                value={d.levers.callTakers311 ?? 1}
                onChange={(v) => setLever(d, 'callTakers311', v)}
              />
              <button
                type="button"
                onClick={() => setDrafts((ds) => ds.filter((x) => x.id !== d.id))}
                disabled={drafts.length <= 1}
              >
                Remove {d.name || `scenario ${i + 1}`}
              </button>
            </div>
            {d.preset && (
              <p className="muted">{presets.find((p) => p.key === d.preset)?.description}</p>
            )}
          </fieldset>
        ))}
        <div className="filters">
          <button
            type="button"
            disabled={drafts.length >= 8 || presets.length === 0}
            onClick={() => {
              const used = new Set(drafts.map((d) => d.preset))
              const p = presets.find((x) => !used.has(x.key)) ?? presets[0]
              if (p) setDrafts((ds) => [...ds, draftOf(p)])
            }}
          >
            Add a scenario
          </button>
          <button type="submit" disabled={sending || running || drafts.length === 0}>
            {sending ? 'Starting…' : 'Run the comparison'}
          </button>
        </div>
      </form>

      {job && (
        <div className="lab-progress">
          <label>
            {running
              ? `Simulating ${job.running ?? ''}`
              : job.status === 'done'
                ? 'Done'
                : 'Stopped'}{' '}
            <progress
              max={Math.max(1, job.total)}
              value={job.done}
              aria-label="Replications finished"
            />{' '}
            {job.done} of {job.total} replications
          </label>
        </div>
      )}
      {(error || job?.error) && (
        <p role="alert" className="error">
          {error ?? job?.error}
        </p>
      )}
      {result && <ComparisonView c={result} />}
      <CalibrationPanel />
      <StaffingCalculator />
    </section>
  )
}

function Share(props: { label: string; value: number; onChange: (v: number) => void }) {
  return (
    <label>
      {props.label} (%)
      <input
        type="number"
        min={0}
        max={100}
        step={5}
        value={Math.round(props.value * 100)}
        onChange={(e) => props.onChange(Math.min(1, Math.max(0, Number(e.target.value) / 100)))}
      />
    </label>
  )
}

function Times(props: { label: string; value: number; onChange: (v: number) => void }) {
  return (
    <label>
      {props.label} (% of now)
      <input
        type="number"
        min={0}
        max={1000}
        step={5}
        value={Math.round(props.value * 100)}
        onChange={(e) => props.onChange(Math.max(0, Number(e.target.value) / 100))}
      />
    </label>
  )
}

/** The comparison: a chart per key measure (the interval written under it), then every measure. */
function ComparisonView(props: { c: Comparison }) {
  const { c } = props
  const names = c.scenarios.map((s) => s.name)
  return (
    <section aria-labelledby="lab-results">
      <h2 id="lab-results">Comparison</h2>
      <p role="status">
        {c.scenarios.length} scenarios, {c.replications} replications of {c.days} days each, seed{' '}
        {c.seed}, in {fmt(c.wallSeconds)} s. ± is the 95 % confidence interval’s half-width.
      </p>
      <div className="lab-charts">
        {CHARTED.map((key) => {
          const m = c.measures.find((x) => x.key === key)
          if (!m) return null
          const label = `${m.label} (${m.unit}) by scenario${m.guideline !== undefined ? `; guideline at most ${m.guideline}` : ''}: ${names.map((n, i) => `${n} ${withCi(m.values[i] as Estimate)}`).join('; ')}`
          return (
            <div key={key} className="panel">
              <h3>
                {m.label} ({m.unit})
                {m.guideline !== undefined && (
                  <span className="muted"> · guideline ≤ {m.guideline}</span>
                )}
              </h3>
              <BarChart
                label={label}
                categories={names.map((_, i) => `${i + 1}`)}
                series={[
                  {
                    name: m.label,
                    color: COLORS[0] as string,
                    values: m.values.map((v) => v.mean ?? 0),
                  },
                ]}
                unit={` ${m.unit}`}
                height={160}
              />
              <ol className="plain lab-ci">
                {names.map((n, i) => (
                  <li key={n}>
                    {i + 1}. {n}: <strong>{withCi(m.values[i] as Estimate)}</strong>
                  </li>
                ))}
              </ol>
            </div>
          )
        })}
      </div>
      <table className="data">
        <caption>Every measure, mean ± 95 % interval</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            {names.map((n) => (
              <th key={n} scope="col">
                {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {c.measures.map((m) => (
            <tr key={m.key}>
              <th scope="row">
                {m.label} ({m.unit})
              </th>
              {m.values.map((v, i) => (
                <td key={names[i]} className="num">
                  {withCi(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** What calibration fitted from the records, and what it took as a default (and why). */
function CalibrationPanel() {
  const [open, setOpen] = useState(false)
  const [report, setReport] = useState<CalibrationReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!open || report) return
    api<CalibrationReport>('GET', '/api/simulation/calibration')
      .then(setReport)
      .catch((err) => setError(message(err)))
  }, [open, report])
  return (
    <details className="panel" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Calibration from our records</summary>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {report && (
        <table className="data">
          <caption>
            {report.calls.toLocaleString()} calls from {report.period.from} to {report.period.to} (
            {fmt(report.perWeek)} a week)
          </caption>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Value</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {report.parameters.map((p) => (
              <tr key={p.parameter}>
                <th scope="row">{p.parameter}</th>
                <td>{p.value}</td>
                <td>{p.fitted ? p.source : <em>{p.source}</em>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  )
}

/** Call-takers to schedule by hour of the week for a service target (Erlang C or A), with shrinkage. */
function StaffingCalculator() {
  const [q, setQ] = useState({
    line: '311',
    base: 'demo',
    serviceLevel: 80,
    targetSeconds: 20,
    shrinkage: 30,
    model: 'erlang_c',
  })
  const [plan, setPlan] = useState<StaffingPlan | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = () => {
    const qs = new URLSearchParams({
      line: q.line,
      base: q.base,
      serviceLevel: String(q.serviceLevel / 100),
      targetSeconds: String(q.targetSeconds),
      shrinkage: String(q.shrinkage / 100),
      model: q.model,
    })
    setError(null)
    api<StaffingPlan>('GET', `/api/simulation/staffing?${qs}`)
      .then(setPlan)
      .catch((err) => setError(message(err)))
  }
  const max = plan ? Math.max(1, ...plan.hours.map((h) => h.positions)) : 1
  return (
    <section className="panel" aria-labelledby="staffing-title">
      <h2 id="staffing-title">Staffing calculator</h2>
      <form
        aria-label="Staffing target"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault()
          load()
        }}
      >
        <label>
          Line
          <select value={q.line} onChange={(e) => setQ({ ...q, line: e.target.value })}>
            <option value="311">311</option>
            <option value="911">911</option>
          </select>
        </label>
        <label>
          Calls from
          <select value={q.base} onChange={(e) => setQ({ ...q, base: e.target.value })}>
            <option value="demo">The demo city</option>
            <option value="calibrated">Our records</option>
          </select>
        </label>
        <label>
          Answered within target (%)
          <input
            type="number"
            min={1}
            max={99}
            value={q.serviceLevel}
            onChange={(e) => setQ({ ...q, serviceLevel: Number(e.target.value) })}
          />
        </label>
        <label>
          Target (seconds)
          <input
            type="number"
            min={1}
            max={600}
            value={q.targetSeconds}
            onChange={(e) => setQ({ ...q, targetSeconds: Number(e.target.value) })}
          />
        </label>
        <label>
          Shrinkage (%)
          <input
            type="number"
            min={0}
            max={90}
            value={q.shrinkage}
            onChange={(e) => setQ({ ...q, shrinkage: Number(e.target.value) })}
          />
        </label>
        <label>
          Model
          <select value={q.model} onChange={(e) => setQ({ ...q, model: e.target.value })}>
            <option value="erlang_c">Erlang C (callers wait)</option>
            <option value="erlang_a">Erlang A (callers hang up)</option>
          </select>
        </label>
        <button type="submit">Plan the staffing</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {plan && (
        <>
          <p role="status">
            {plan.positionHours.toLocaleString()} position-hours a week to schedule (
            {plan.agentHours.toLocaleString()} on the phones), handle time {fmt(plan.handleSeconds)}{' '}
            s.
          </p>
          <table className="data heat" aria-label="Positions to schedule by day and hour">
            <thead>
              <tr>
                <th scope="col">Day</th>
                {HOURS.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {DAYS.map((d, di) => (
                <tr key={d}>
                  <th scope="row">{d}</th>
                  {HOURS.map((h) => {
                    const p = plan.hours[di * 24 + Number(h)]?.positions ?? 0
                    return (
                      <td
                        key={h}
                        className="num"
                        style={{ background: `rgba(31, 95, 139, ${0.08 + 0.6 * (p / max)})` }}
                      >
                        {p}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
