/**
 * Small SVG charts for the analytics screens: no chart library, so they render the same in
 * every browser and print. Each is an image with a text summary for screen readers; the data
 * behind it is always one click away as CSV.
 */

const W = 640
const PAD = { left: 44, right: 12, top: 12, bottom: 28 }

export interface Series {
  name: string
  color: string
  values: number[]
}

function niceMax(v: number): number {
  if (v <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p
  return 10 * p
}

/** Lines over a shared x axis (days), with a legend. */
export function LineChart(props: {
  label: string
  labels: string[]
  series: Series[]
  height?: number
}) {
  const h = props.height ?? 200
  const n = props.labels.length
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.values)))
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (n - 1))
  const y = (v: number) => h - PAD.bottom - (v / max) * (h - PAD.top - PAD.bottom)
  const ticks = [0, max / 2, max]
  const every = Math.max(1, Math.ceil(n / 8))
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${h}`} role="img" aria-label={props.label}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {Math.round(t)}
            </text>
          </g>
        ))}
        {props.labels.map((l, i) =>
          i % every === 0 ? (
            <text key={l} x={x(i)} y={h - 8} textAnchor="middle" className="tick">
              {l.slice(5)}
            </text>
          ) : null,
        )}
        {props.series.map((s) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {props.series.map((s) => (
          <span key={s.name} className="legend">
            <span className="swatch" style={{ background: s.color }} /> {s.name} (
            {s.values.reduce((a, b) => a + b, 0).toLocaleString()})
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

/** Grouped bars: one group per category, one bar per series. */
export function BarChart(props: {
  label: string
  categories: string[]
  series: Series[]
  unit?: string
  height?: number
}) {
  const h = props.height ?? 200
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.values)))
  const groupW = (W - PAD.left - PAD.right) / Math.max(1, props.categories.length)
  // A lone category would draw one bar across the chart: bars stay at most 48 units wide.
  const barW = Math.min(48, Math.max(2, (groupW * 0.8) / Math.max(1, props.series.length)))
  const inset = (groupW - barW * props.series.length) / 2
  // Many categories (the hours of a week) are labelled every so often, never on top of each other.
  const labelEvery = Math.max(1, Math.ceil(props.categories.length / 12))
  const y = (v: number) => h - PAD.bottom - (v / max) * (h - PAD.top - PAD.bottom)
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${h}`} role="img" aria-label={props.label}>
        {[0, max / 2, max].map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {Number.isInteger(t) ? t : t.toFixed(1)}
            </text>
          </g>
        ))}
        {props.categories.map((c, ci) => (
          <g key={c}>
            {props.series.map((s, si) => {
              const v = s.values[ci] ?? 0
              return (
                <rect
                  key={s.name}
                  x={PAD.left + ci * groupW + inset + si * barW}
                  y={y(v)}
                  width={barW - 1}
                  height={Math.max(0, h - PAD.bottom - y(v))}
                  fill={s.color}
                >
                  <title>{`${c}, ${s.name}: ${v.toLocaleString()}${props.unit ?? ''}`}</title>
                </rect>
              )
            })}
            {ci % labelEvery === 0 && (
              <text
                x={PAD.left + ci * groupW + groupW / 2}
                y={h - 8}
                textAnchor="middle"
                className="tick"
              >
                {c}
              </text>
            )}
          </g>
        ))}
      </svg>
      {props.series.length > 1 && (
        <figcaption>
          {props.series.map((s) => (
            <span key={s.name} className="legend">
              <span className="swatch" style={{ background: s.color }} /> {s.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  )
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const HOURS = Array.from({ length: 24 }, (_, h) => h)

/** The week's rhythm: 7 rows of 24 hours, darker where calls per hour are higher. */
export function HourOfWeekGrid(props: { label: string; rate: number[] }) {
  const max = Math.max(0, ...props.rate)
  const cw = (W - PAD.left - PAD.right) / 24
  const ch = 18
  const h = 7 * ch + 24
  const busiest = props.rate.indexOf(max)
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${h}`}
        role="img"
        aria-label={`${props.label}. Busiest hour: ${DAYS[Math.floor(busiest / 24)] ?? ''} ${busiest % 24}:00, ${max.toFixed(2)} calls an hour.`}
      >
        {DAYS.map((d, di) => (
          <g key={d}>
            <text x={PAD.left - 6} y={di * ch + ch - 5} textAnchor="end" className="tick">
              {d}
            </text>
            {HOURS.map((hr) => {
              const v = props.rate[di * 24 + hr] ?? 0
              const t = max > 0 ? v / max : 0
              return (
                <rect
                  key={hr}
                  x={PAD.left + hr * cw}
                  y={di * ch}
                  width={cw - 1}
                  height={ch - 1}
                  fill={`rgba(180, 35, 24, ${0.06 + 0.94 * t})`}
                >
                  <title>{`${d} ${hr}:00 – ${v.toFixed(2)} calls an hour`}</title>
                </rect>
              )
            })}
          </g>
        ))}
        {[0, 6, 12, 18].map((hr) => (
          <text key={hr} x={PAD.left + hr * cw} y={h - 6} className="tick">
            {hr}:00
          </text>
        ))}
      </svg>
    </figure>
  )
}

/** Ranked values as horizontal bars with their labels beside them: long names stay readable. */
export function HorizontalBars(props: {
  label: string
  rows: Array<{ label: string; value: number; note?: string }>
}) {
  const max = Math.max(1, ...props.rows.map((r) => r.value))
  return (
    <table className="hbars">
      <caption className="sr-only">{props.label}</caption>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td className="hbar-cell">
              <span className="hbar" style={{ width: `${(100 * r.value) / max}%` }} />
            </td>
            <td className="hbar-value">
              {r.value.toLocaleString()}
              {r.note ? ` (${r.note})` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
