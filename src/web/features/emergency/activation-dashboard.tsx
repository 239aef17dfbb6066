import { useEffect, useState } from 'react'
import { BarChart, HorizontalBars } from '../../components/charts.js'
import { api } from '../../lib/api.js'

interface Dashboard {
  activation: { id: string; title: string }
  calls: { total: number; open: number }
  byCallType: Array<{ callType: string; name: string; count: number; open: number }>
  byMode: Array<{ mode: string; count: number }>
  byHour: Array<{ hour: string; count: number }>
}

const MODE_WORDS: Record<string, string> = {
  transfer_911: '911 transfer',
  dispatch_immediate: 'Officer sent now',
  dispatch_delayed: 'Officer sent later',
  civilian_response: 'Civilian response',
  telephone_report: 'Telephone report',
  online_report: 'Online report',
  referral: 'Referral to an agency',
  scheduled_appointment: 'Appointment',
  information_only: 'Information given',
}

/**
 * An activation's dashboard (issue #10 item 1): its calls by call type and by response, how
 * many are still open, and the hourly load since it began. Refreshed while it is on screen.
 */
export function ActivationDashboard({ id }: { id: string }) {
  const [d, setD] = useState<Dashboard | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const load = () =>
      api<Dashboard>('GET', `/api/activations/${encodeURIComponent(id)}/dashboard`)
        .then(setD)
        .catch((e: Error) => setError(e.message))
    load()
    const t = window.setInterval(load, 30_000)
    return () => window.clearInterval(t)
  }, [id])
  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    )
  if (!d) return <p className="loading">Loading…</p>
  const hourWords = (iso: string) =>
    new Date(iso).toLocaleString(undefined, {
      weekday: 'short',
      hour: 'numeric',
    })
  return (
    <section className="activation-dashboard" aria-label={`Dashboard of ${d.activation.title}`}>
      <p className="dashboard-totals">
        <strong>{d.calls.total}</strong> {d.calls.total === 1 ? 'call' : 'calls'} during{' '}
        {d.activation.title}, <strong>{d.calls.open}</strong> still open
      </p>
      {d.calls.total === 0 ? (
        <p className="hint">No call has been taken in its area since it began.</p>
      ) : (
        <div className="dashboard-grid">
          <div>
            <h3>Calls per hour</h3>
            <BarChart
              label={`Calls per hour during ${d.activation.title}: ${d.byHour
                .filter((h) => h.count > 0)
                .map((h) => `${hourWords(h.hour)} ${h.count}`)
                .join(', ')}`}
              categories={d.byHour.map((h) => hourWords(h.hour))}
              series={[{ name: 'Calls', color: '#1d4ed8', values: d.byHour.map((h) => h.count) }]}
              height={180}
            />
          </div>
          <div>
            <h3>What the calls are about</h3>
            <HorizontalBars
              label="Calls by call type"
              rows={d.byCallType.map((t) => ({
                label: t.name,
                value: t.count,
                note: `${t.open} open`,
              }))}
            />
            <h3>How they were answered</h3>
            <HorizontalBars
              label="Calls by response"
              rows={d.byMode.map((m) => ({ label: MODE_WORDS[m.mode] ?? m.mode, value: m.count }))}
            />
          </div>
        </div>
      )}
    </section>
  )
}
