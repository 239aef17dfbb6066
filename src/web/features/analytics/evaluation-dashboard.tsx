import { useEffect, useState } from 'react'
import { BarChart, LineChart } from '../../components/charts.js'
import { ApiError, api } from '../../lib/api.js'
import { type BeforeAfter, daysAgo, type Evaluation, num, pct } from './analytics-api.js'
import { PeriodFields } from './period-fields.js'

const HOUR_MS = 3_600_000

function Tile(props: { label: string; value: string; note?: string }) {
  return (
    <div className="tile">
      <span className="tile-value">{props.value}</span>
      <span className="tile-label">{props.label}</span>
      {props.note && <span className="tile-note">{props.note}</span>}
    </div>
  )
}

function fmt(measure: string, v: number | null): string {
  if (v === null) return '—'
  if (/share|abandoned|dispatched|diverted|time committed|problem solving/.test(measure) && v <= 1)
    return pct(v, 1)
  return num(v, Number.isInteger(v) ? 0 : 1)
}

/**
 * Did the 311 line work? (issue #8 item 5.) Every measure for a period, and the same measures
 * before and after a chosen date, with the change and its test.
 */
export function EvaluationDashboard() {
  const [period, setPeriod] = useState({ from: daysAgo(90), to: daysAgo(0) })
  const [draft, setDraft] = useState(period)
  const [split, setSplit] = useState({ date: daysAgo(30), days: 30 })
  const [splitDraft, setSplitDraft] = useState(split)
  const [e, setE] = useState<Evaluation | null>(null)
  const [ba, setBa] = useState<BeforeAfter | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)

  useEffect(() => {
    let live = true
    setLoading(true)
    Promise.all([
      api<Evaluation>('GET', `/api/evaluation?from=${period.from}&to=${period.to}`),
      api<BeforeAfter>('GET', `/api/evaluation/before-after?date=${split.date}&days=${split.days}`),
    ])
      .then(([ev, b]) => {
        if (!live) return
        setE(ev)
        setBa(b)
        setError(null)
      })
      .catch(
        (err) =>
          live && setError(err instanceof ApiError ? err.message : 'cannot reach the server'),
      )
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
  }, [period, split])

  const channels = e ? [...new Set(e.priorityMix.map((m) => m.channel))] : []
  const priorities = e
    ? [...new Set(e.priorityMix.map((m) => m.priority))].sort((a, b) => a - b)
    : []
  const palette = ['#b42318', '#dc6803', '#1d4ed8', '#0e9384', '#667085', '#7a5af8']
  return (
    <section className="analytics" aria-labelledby="ev-h">
      <h1 id="ev-h">Evaluation</h1>
      <form
        className="filters"
        aria-label="Period"
        onSubmit={(ev) => {
          ev.preventDefault()
          setPeriod(draft)
        }}
      >
        <PeriodFields value={draft} onChange={setDraft} />
        <button type="submit">Show</button>
        <a href={`/api/evaluation?from=${period.from}&to=${period.to}&format=csv`} download>
          CSV
        </a>
      </form>
      <p role="status" className="muted">
        {loading ? 'Loading…' : e ? `Measures from ${period.from} to ${period.to}` : ''}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {e && (
        <>
          <div className="tiles">
            <Tile label="311 calls" value={num(e.volume.calls311)} />
            <Tile label="911 calls" value={num(e.volume.calls911)} />
            <Tile
              label="non-emergency calls that came to 311"
              value={pct(e.diversion.share, 1)}
              note={`${num(e.diversion.nonEmergency311)} of ${num(e.diversion.nonEmergency311 + e.diversion.nonEmergency911)}`}
            />
            <Tile
              label="311 calls dispatched"
              value={pct(e.dispatch.rate, 1)}
              note={`patrol response chosen for ${pct(e.dispatch.patrolResponseShare, 1)}`}
            />
            <Tile
              label="dual dispatches"
              value={num(e.doubleDispatch.dualDispatches)}
              note={`${num(e.doubleDispatch.refusals)} second dispatches refused`}
            />
            <Tile
              label="311 calls abandoned"
              value={pct(e.queue.abandonmentRate, 1)}
              note={
                e.queue.offered === 0
                  ? 'no calls reported by the telephony system'
                  : `${num(e.queue.offered)} offered; answered in ${num((e.queue.answerTime.medianMinutes ?? Number.NaN) * 60)} s (median); ${pct(e.queue.serviceLevel)} within 20 s`
              }
            />
            <Tile
              label="caller satisfaction (1–5)"
              value={num(e.satisfaction.meanScore, 1)}
              note={`${num(e.satisfaction.answered)} of ${num(e.satisfaction.sent)} surveys; ${pct(e.satisfaction.resolvedShare)} resolved`}
            />
            <Tile
              label="referrals closed"
              value={`${num(e.referrals.closed)} / ${num(e.referrals.sent)}`}
              note={`median ${num((e.referrals.toClose.medianMinutes ?? Number.NaN) / 60, 1)} h; ${num(e.referrals.overdue)} overdue`}
            />
          </div>
          <div className="analytics-grid">
            <section className="panel" aria-labelledby="vol-h">
              <h2 id="vol-h">311 and 911 calls per day</h2>
              <LineChart
                label={`311 and 911 calls per day: ${num(e.volume.calls311)} on 311, ${num(e.volume.calls911)} on 911`}
                labels={e.volume.byDay.map((d) => d.day)}
                series={[
                  { name: '311', color: '#1d4ed8', values: e.volume.byDay.map((d) => d.calls311) },
                  { name: '911', color: '#b42318', values: e.volume.byDay.map((d) => d.calls911) },
                ]}
              />
            </section>
            <section className="panel" aria-labelledby="mix-h">
              <h2 id="mix-h">Priority mix by channel</h2>
              <BarChart
                label="Calls by channel and priority"
                categories={channels}
                series={priorities.map((p, i) => ({
                  name: `priority ${p}`,
                  color: palette[i % palette.length]!,
                  values: channels.map(
                    (c) => e.priorityMix.find((m) => m.channel === c && m.priority === p)?.n ?? 0,
                  ),
                }))}
              />
            </section>
            <section className="panel" aria-labelledby="resp-h">
              <h2 id="resp-h">Response times by priority (median minutes)</h2>
              {e.responseByPriority.length === 0 ? (
                <p className="muted">
                  No unit was assigned to an incident received in this period.
                </p>
              ) : (
                <>
                  <BarChart
                    label="Median minutes to assign and to arrive, by priority"
                    categories={e.responseByPriority.map((r) => `P${r.priority}`)}
                    unit=" min"
                    series={[
                      {
                        name: 'to assign',
                        color: '#667085',
                        values: e.responseByPriority.map((r) => r.toAssign.medianMinutes ?? 0),
                      },
                      {
                        name: 'to on scene',
                        color: '#1d4ed8',
                        values: e.responseByPriority.map((r) => r.toOnScene.medianMinutes ?? 0),
                      },
                    ]}
                  />
                  <table className="data">
                    <caption className="sr-only">Response times by priority</caption>
                    <thead>
                      <tr>
                        <th scope="col">Priority</th>
                        <th scope="col">Incidents</th>
                        <th scope="col">To assign (median / 90th)</th>
                        <th scope="col">To on scene (median / 90th)</th>
                      </tr>
                    </thead>
                    <tbody>
                      {e.responseByPriority.map((r) => (
                        <tr key={r.priority}>
                          <td>{r.priority}</td>
                          <td>{r.toAssign.n}</td>
                          <td>
                            {num(r.toAssign.medianMinutes, 1)} / {num(r.toAssign.p90Minutes, 1)}
                          </td>
                          <td>
                            {num(r.toOnScene.medianMinutes, 1)} / {num(r.toOnScene.p90Minutes, 1)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </section>
            <section className="panel" aria-labelledby="time-h">
              <h2 id="time-h">Officer time</h2>
              {e.officerTime.units === 0 ? (
                <p className="muted">No unit changed status in this period.</p>
              ) : (
                <>
                  <BarChart
                    label={`Unit hours: ${pct(e.officerTime.committedShare)} committed to calls, ${pct(e.officerTime.problemSolvingShare)} on problem solving`}
                    categories={['committed', 'free', 'problem solving', 'out of service']}
                    unit=" h"
                    series={[
                      {
                        name: 'hours',
                        color: '#0e9384',
                        values: [
                          e.officerTime.committedMs,
                          e.officerTime.freeMs,
                          e.officerTime.problemSolvingMs,
                          e.officerTime.outOfServiceMs,
                        ].map((ms) => Math.round(ms / HOUR_MS)),
                      },
                    ]}
                  />
                  <p className="muted">
                    {e.officerTime.units} {e.officerTime.units === 1 ? 'unit' : 'units'};{' '}
                    {pct(e.officerTime.committedShare)} of in-service time committed to calls (the
                    patrol guideline is at most 60%), {pct(e.officerTime.problemSolvingShare)} on
                    problem solving.
                  </p>
                </>
              )}
            </section>
          </div>
        </>
      )}
      <section className="panel" aria-labelledby="ba-h">
        <h2 id="ba-h">Before and after</h2>
        <form
          className="filters"
          aria-label="Before and after"
          onSubmit={(ev) => {
            ev.preventDefault()
            setSplit(splitDraft)
          }}
        >
          <label>
            Change on{' '}
            <input
              type="date"
              value={splitDraft.date}
              onChange={(x) => setSplitDraft({ ...splitDraft, date: x.target.value })}
            />
          </label>
          <label>
            Days each side{' '}
            <input
              type="number"
              min={7}
              max={366}
              value={splitDraft.days}
              onChange={(x) => setSplitDraft({ ...splitDraft, days: Number(x.target.value) || 30 })}
            />
          </label>
          <button type="submit">Compare</button>
          <a
            href={`/api/evaluation/before-after?date=${split.date}&days=${split.days}&format=csv`}
            download
          >
            CSV
          </a>
        </form>
        {ba && (
          <table className="data">
            <caption>
              {ba.days} days before {ba.date} against {ba.days} days from it
            </caption>
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                <th scope="col">Change</th>
                <th scope="col">p</th>
              </tr>
            </thead>
            <tbody>
              {ba.changes.map((c) => (
                <tr
                  key={c.measure}
                  className={c.p !== null && c.p < 0.05 ? 'significant' : undefined}
                >
                  <th scope="row">{c.measure}</th>
                  <td>{fmt(c.measure, c.before)}</td>
                  <td>{fmt(c.measure, c.after)}</td>
                  <td>
                    {c.relative === null
                      ? fmt(c.measure, c.change)
                      : `${c.relative > 0 ? '+' : ''}${pct(c.relative, 0)}`}
                  </td>
                  <td>{c.p === null ? '' : c.p < 0.001 ? '< 0.001' : num(c.p, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  )
}
