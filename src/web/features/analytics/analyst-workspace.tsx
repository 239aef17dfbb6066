import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { HorizontalBars, HourOfWeekGrid, LineChart } from '../../components/charts.js'
import { ApiError, api } from '../../lib/api.js'
import { problemLinkFrom } from '../problems/start-problem.js'
import {
  type Breakdown,
  type Coincidence,
  type Concentration,
  daysAgo,
  type HotSpots,
  type NearRepeat,
  num,
  pct,
  type Repeats,
  type Source,
  type TopBlocks,
  type Trend,
} from './analytics-api.js'
import { HistoryImport } from './history-import.js'
import type { Layers } from './hot-spot-map.js'
import { PeriodFields } from './period-fields.js'

const HotSpotMap = lazy(() => import('./hot-spot-map.js'))

interface Views {
  topBlocks: TopBlocks
  hotSpots: HotSpots
  trend: Trend
  coincidence: Coincidence
  concentration: Concentration
  repeats: Repeats
  nearRepeat: NearRepeat
}

const DAY_MS = 86_400_000

/** An export of one view in one format: what the view shows, as a file. */
function Export(props: { view: string; query: string; formats: Array<'csv' | 'geojson'> }) {
  return (
    <span className="exports">
      {props.formats.map((f) => (
        <a key={f} href={`/api/analytics/${props.view}?${props.query}&format=${f}`} download>
          {f === 'csv' ? 'CSV' : 'GeoJSON'}
        </a>
      ))}
    </span>
  )
}

/**
 * The analyst's workspace (issue #8): where the calls concentrate (ranked blocks, Gi* cells),
 * when (the daily trend and the week's rhythm), whether they repeat, and where 311 and 911
 * problems meet, for a period and a line; every view exports as CSV or GeoJSON, and a
 * selection of blocks becomes a problem to work.
 */
const DIMENSIONS = [
  ['call_type', 'call type'],
  ['channel', 'channel'],
  ['priority', 'priority'],
  ['district', 'district'],
] as const

/** What the calls were about (or how they came, how urgent, where): the top ten, as bars. */
function BreakdownPanel(props: { query: string }) {
  const [by, setBy] = useState<Breakdown['by']>('call_type')
  const [answer, setAnswer] = useState<Breakdown | null>(null)
  useEffect(() => {
    let live = true
    api<Breakdown>('GET', `/api/analytics/breakdown?${props.query}&by=${by}`)
      .then((a) => live && setAnswer(a))
      .catch(() => live && setAnswer(null))
    return () => {
      live = false
    }
  }, [props.query, by])
  const top = answer?.rows.slice(0, 10) ?? []
  const label = DIMENSIONS.find(([k]) => k === by)?.[1] ?? by
  return (
    <section aria-labelledby="bd-h" className="panel">
      <h2 id="bd-h">Calls by {label}</h2>
      <label>
        Count by{' '}
        <select value={by} onChange={(e) => setBy(e.target.value as Breakdown['by'])}>
          {DIMENSIONS.map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
        </select>
      </label>
      {answer && (
        <>
          <HorizontalBars
            label={`The ten largest of ${answer.rows.length} values of ${label}, of ${num(answer.total)} calls`}
            rows={top.map((r) => ({
              label: r.key || '(none)',
              value: r.calls,
              note: pct(r.share, 1),
            }))}
          />
          <a href={`/api/analytics/breakdown?${props.query}&by=${by}&format=csv`} download>
            CSV
          </a>
        </>
      )}
    </section>
  )
}

export function AnalystWorkspace(props: { canImport: boolean }) {
  const [filters, setFilters] = useState({
    from: daysAgo(365),
    to: daysAgo(0),
    source: 'both' as Source,
    topK: 20,
  })
  const [draft, setDraft] = useState(filters)
  const [views, setViews] = useState<Views | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [layers, setLayers] = useState<Layers>({ cells: true, blocks: true, coincident: true })
  const [picked, setPicked] = useState<Set<string>>(new Set())
  // A finished import asks every view again (a new filters object re-runs the fetch).
  const onImported = useCallback(() => setFilters((f) => ({ ...f })), [])

  const query = `from=${filters.from}&to=${filters.to}&source=${filters.source}`
  useEffect(() => {
    let live = true
    setLoading(true)
    const query = `from=${filters.from}&to=${filters.to}&source=${filters.source}`
    const get = <T,>(view: string, extra = '') =>
      api<T>('GET', `/api/analytics/${view}?${query}${extra}`)
    Promise.all([
      get<TopBlocks>('top-blocks', `&limit=${filters.topK}`),
      get<HotSpots>('hot-spots'),
      get<Trend>('trend'),
      api<Coincidence>(
        'GET',
        `/api/analytics/coincidence?from=${filters.from}&to=${filters.to}&topK=${filters.topK}`,
      ),
      get<Concentration>('concentration'),
      get<Repeats>('repeats', '&limit=10'),
      get<NearRepeat>('near-repeat', '&metres=200&days=14'),
    ])
      .then(([topBlocks, hotSpots, trend, coincidence, concentration, repeats, nearRepeat]) => {
        if (!live) return
        setViews({ topBlocks, hotSpots, trend, coincidence, concentration, repeats, nearRepeat })
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
  }, [filters])

  const toggle = (block: string) =>
    setPicked((s) => {
      const next = new Set(s)
      if (next.has(block)) next.delete(block)
      else next.add(block)
      return next
    })
  const v = views
  return (
    <section className="analytics" aria-labelledby="aw-h">
      <h1 id="aw-h">Hot spots and trends</h1>
      {props.canImport && <HistoryImport onImported={onImported} />}
      <form
        className="filters"
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault()
          setFilters(draft)
        }}
      >
        <PeriodFields value={draft} onChange={setDraft} />
        <label>
          Calls{' '}
          <select
            value={draft.source}
            onChange={(e) => setDraft({ ...draft, source: e.target.value as Source })}
          >
            <option value="both">311 and 911</option>
            <option value="311">311 only</option>
            <option value="911">911 only</option>
          </select>
        </label>
        <label>
          Top blocks{' '}
          <input
            type="number"
            min={1}
            max={200}
            value={draft.topK}
            onChange={(e) => setDraft({ ...draft, topK: Number(e.target.value) || 20 })}
          />
        </label>
        <button type="submit">Show</button>
      </form>
      <p role="status" className="muted">
        {loading
          ? 'Loading…'
          : v
            ? `${num(v.trend.total)} calls from ${filters.from} to ${filters.to}; places counted over ${v.topBlocks.months.fromMonth} to ${v.topBlocks.months.toMonth}`
            : ''}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="analytics-grid">
        <section aria-labelledby="map-h" className="panel">
          <h2 id="map-h">Map</h2>
          <fieldset className="layers">
            <legend>Layers</legend>
            {(
              [
                ['cells', 'Gi* hot and cold cells (FDR)'],
                ['blocks', 'Top blocks'],
                ['coincident', 'Hot on both 311 and 911'],
              ] as const
            ).map(([key, label]) => (
              <label key={key}>
                <input
                  type="checkbox"
                  checked={layers[key]}
                  onChange={(e) => setLayers({ ...layers, [key]: e.target.checked })}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <Suspense fallback={<div className="map analytics-map" />}>
            <HotSpotMap
              hotSpots={v?.hotSpots ?? null}
              topBlocks={v?.topBlocks ?? null}
              coincidence={v?.coincidence ?? null}
              layers={layers}
            />
          </Suspense>
          {v && (
            <p className="muted">
              Gi* on {num(v.hotSpots.cells)} cells: {v.hotSpots.hot} hot, {v.hotSpots.cold} cold at
              90% or more after the false-discovery correction.{' '}
              {v.hotSpots.hot > 0 && (
                <a
                  href={problemLinkFrom({
                    kind: 'cell',
                    places: v.hotSpots.rows.filter((r) => r.fdrBin > 0).map((r) => r.cell),
                    title: 'Gi* hot spot',
                  })}
                >
                  Start a problem on the hot cells
                </a>
              )}{' '}
              <Export view="hot-spots" query={query} formats={['csv', 'geojson']} />
            </p>
          )}
        </section>

        <section aria-labelledby="blocks-h" className="panel">
          <h2 id="blocks-h">Top blocks</h2>
          {v && (
            <>
              <p className="muted">
                These {v.topBlocks.rows.length} of {num(v.topBlocks.blocks)} blocks hold{' '}
                {pct(v.topBlocks.topShare, 1)} of the calls. Half the calls are on{' '}
                {pct(v.concentration.observed.share, 1)} of the blocks that ever had one (random
                placement: {pct(v.concentration.randomBaseline, 1)}).{' '}
                <Export
                  view="top-blocks"
                  query={`${query}&limit=${filters.topK}`}
                  formats={['csv', 'geojson']}
                />
              </p>
              <table className="data">
                <caption className="sr-only">Blocks by calls</caption>
                <thead>
                  <tr>
                    <th scope="col">Pick</th>
                    <th scope="col">#</th>
                    <th scope="col">Block</th>
                    <th scope="col">Calls</th>
                    <th scope="col">Share</th>
                    <th scope="col">Cumulative</th>
                  </tr>
                </thead>
                <tbody>
                  {v.topBlocks.rows.map((r) => (
                    <tr key={r.block}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Pick ${r.block}`}
                          checked={picked.has(r.block)}
                          onChange={() => toggle(r.block)}
                        />
                      </td>
                      <td>{r.rank}</td>
                      <td>{r.block}</td>
                      <td>{num(r.count)}</td>
                      <td>{pct(r.share, 1)}</td>
                      <td>{pct(r.cumulativeShare, 1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>
                {picked.size > 0 ? (
                  <a
                    className="button"
                    href={problemLinkFrom({
                      kind: 'block',
                      places: [...picked],
                      title: `Hot spot: ${[...picked][0]}${picked.size > 1 ? ` and ${picked.size - 1} more` : ''}`,
                    })}
                  >
                    Start a problem on {picked.size} {picked.size === 1 ? 'block' : 'blocks'}
                  </a>
                ) : (
                  <span className="muted">Pick blocks to start a problem on them.</span>
                )}
              </p>
            </>
          )}
        </section>

        <section aria-labelledby="trend-h" className="panel">
          <h2 id="trend-h">Trend</h2>
          {v && (
            <>
              <LineChart
                label={`Calls per day from ${filters.from} to ${filters.to}: ${num(v.trend.total)} in all`}
                labels={v.trend.days.map((d) => d.date)}
                series={[
                  {
                    name: 'Calls per day',
                    color: '#1d4ed8',
                    values: v.trend.days.map((d) => d.count),
                  },
                ]}
              />
              <HourOfWeekGrid label="Calls per hour by hour of the week" rate={v.trend.rate} />
              <Export view="trend" query={query} formats={['csv']} />
            </>
          )}
        </section>

        <BreakdownPanel query={query} />

        <section aria-labelledby="co-h" className="panel">
          <h2 id="co-h">Where 311 and 911 problems meet</h2>
          {v && (
            <>
              <dl className="facts">
                <dt>Rank correlation of 311 and 911 calls by block (Spearman ρ)</dt>
                <dd>
                  {num(v.coincidence.spearman.rho, 2)} (p {num(v.coincidence.spearman.p, 4)}) over{' '}
                  {num(v.coincidence.blocks)} blocks
                </dd>
                <dt>Share of 311 calls on the top {v.coincidence.top911.k} 911 blocks</dt>
                <dd>
                  {pct(v.coincidence.top911.share311, 1)}, {num(v.coincidence.top911.lift, 1)}×
                  their share of blocks
                </dd>
                <dt>Hot on both lines (odds ratio, Fisher p)</dt>
                <dd>
                  {v.coincidence.coincidentBlocks.length} blocks; odds ratio{' '}
                  {num(v.coincidence.hotTable.oddsRatio, 1)}, p {num(v.coincidence.hotTable.p, 4)}
                </dd>
              </dl>
              <ul className="plain">
                {v.coincidence.coincidentBlocks.slice(0, 10).map((b) => (
                  <li key={b.block}>
                    {b.block}: {b.calls311} on 311, {b.calls911} on 911
                  </li>
                ))}
              </ul>
              <Export
                view="coincidence"
                query={`from=${filters.from}&to=${filters.to}&topK=${filters.topK}`}
                formats={['csv', 'geojson']}
              />
            </>
          )}
        </section>

        <section aria-labelledby="rep-h" className="panel">
          <h2 id="rep-h">Repeat blocks</h2>
          {v && (
            <>
              <p>
                {pct(v.repeats.repeatPlaceShare, 0)} of the blocks with a call had another, and they
                drew {pct(v.repeats.repeatEventShare, 0)} of the calls. Median time to the next call
                on the same block:{' '}
                {Number.isNaN(v.repeats.timeToRepeat.medianMs) ||
                v.repeats.timeToRepeat.medianMs === null
                  ? '—'
                  : `${num(v.repeats.timeToRepeat.medianMs / DAY_MS, 1)} days`}
                ; {pct(v.repeats.timeToRepeat.shareWithin7Days, 0)} within a week.
                {v.repeats.truncated &&
                  ' (Only the first calls of a very long period were read: shorten it.)'}
              </p>
              <ol>
                {v.repeats.repeatPlaces.map((p) => (
                  <li key={p.place}>
                    {p.place}: {p.count} calls
                  </li>
                ))}
              </ol>
              <Export view="repeats" query={`${query}&limit=100`} formats={['csv', 'geojson']} />
            </>
          )}
        </section>
        <section aria-labelledby="nr-h" className="panel">
          <h2 id="nr-h">Near repeat</h2>
          {v && (
            <p>
              Of {num(v.nearRepeat.n)} calls with a point
              {v.nearRepeat.sampled ? ' (the latest of the period)' : ''},{' '}
              {num(v.nearRepeat.closeInBoth)} pairs were within {v.nearRepeat.metres} m and{' '}
              {v.nearRepeat.days} days of each other, against {num(v.nearRepeat.expected[0][0], 1)}{' '}
              expected if place and time were unrelated (Knox; permutation p{' '}
              {num(v.nearRepeat.pPermutation, 3)}).{' '}
              {v.nearRepeat.pPermutation < 0.05 &&
              v.nearRepeat.closeInBoth > v.nearRepeat.expected[0][0]
                ? 'A call raises the chance of another close by soon after: patrol and follow up nearby.'
                : 'No sign that calls bring more calls close by.'}
            </p>
          )}
        </section>
      </div>
    </section>
  )
}
