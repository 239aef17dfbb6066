import type { BeforeAfter } from './problems-api.js'

const W = 420
const H = 190
const TOP = 24
const BOTTOM = 40
const BAR = 48

/** "−83 %", "+12 %", or "—" when there was nothing before. */
export function changeText(r: BeforeAfter): string {
  if (r.changePct === null) return r.after.days === 0 ? 'not yet' : '—'
  const rounded = Math.round(r.changePct)
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : ''}${Math.abs(rounded)} %`
}

export function pText(p: number | null): string {
  if (p === null) return 'no test yet'
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`
}

/**
 * Calls per day before and after the response start, 311 and 911 side by side, as bars on one
 * scale (rates, not counts, since the after window can be shorter). The numbers are written on
 * the bars and in the label, so the chart reads without colour and to a screen reader.
 */
export function BeforeAfterChart({
  counts,
}: {
  counts: { '311': BeforeAfter; '911': BeforeAfter }
}) {
  const sources = ['311', '911'] as const
  const max = Math.max(
    0.0001,
    ...sources.flatMap((s) => [counts[s].before.perDay ?? 0, counts[s].after.perDay ?? 0]),
  )
  const plotH = H - TOP - BOTTOM
  const y = (v: number) => TOP + plotH - (v / max) * plotH
  const summary = sources
    .map((s) => {
      const r = counts[s]
      return `${s}: ${r.before.count} calls before (${rate(r.before.perDay)} a day), ${r.after.count} after (${rate(r.after.perDay)} a day), change ${changeText(r)}, ${pText(r.pValue)}`
    })
    .join('. ')
  return (
    <svg
      className="before-after"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={`Calls per day before and after the response start. ${summary}`}
    >
      <line x1={16} x2={W - 16} y1={TOP + plotH} y2={TOP + plotH} className="axis" />
      {sources.map((s, i) => {
        const r = counts[s]
        const x0 = 40 + i * 200
        return (
          <g key={s}>
            {(['before', 'after'] as const).map((side, j) => {
              const v = r[side].perDay
              const x = x0 + j * (BAR + 12)
              return (
                <g key={side}>
                  {v !== null && (
                    <rect
                      className={`bar ${side}`}
                      x={x}
                      y={y(v)}
                      width={BAR}
                      height={Math.max(1, TOP + plotH - y(v))}
                    />
                  )}
                  <text x={x + BAR / 2} y={(v !== null ? y(v) : TOP + plotH) - 5} className="value">
                    {v === null ? '—' : rate(v)}
                  </text>
                  <text x={x + BAR / 2} y={TOP + plotH + 15} className="tick">
                    {side}
                  </text>
                </g>
              )
            })}
            <text x={x0 + BAR + 6} y={H - 6} className="source">
              {s} · {changeText(r)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

function rate(v: number | null): string {
  if (v === null) return '—'
  return v >= 10 ? v.toFixed(0) : v.toFixed(2)
}
