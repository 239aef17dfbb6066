import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import {
  type Campaign,
  type CampaignCall,
  type CampaignProgress,
  campaignsApi,
  type RecordedCall,
} from './campaigns-api.js'
import './emergency.css'
import './campaigns.css'
import { NEED_WORDS } from './registry-api.js'

const message = (e: unknown) =>
  e instanceof ApiError || e instanceof Error ? e.message : String(e)

/** The parts of a list, in the order they are drawn, with the words and colours of each. */
const PARTS = [
  ['done', 'Done', 'part-done'],
  ['raised', 'Sent someone', 'part-raised'],
  ['escalated', 'Not reached: escalated', 'part-escalated'],
  ['inProgress', 'On a call now', 'part-held'],
] as const

/** A stacked bar of a campaign's list, with the same figures in words beside it. */
export function CampaignProgressBar({ progress }: { progress: CampaignProgress }) {
  const share = (n: number) => (progress.total ? (100 * n) / progress.total : 0)
  const waiting = progress.pending - progress.inProgress
  return (
    <div className="campaign-progress">
      <div
        className="campaign-bar"
        role="img"
        aria-label={`${Math.round(progress.completion * 100)}% finished: ${progress.done} done, ${progress.raised} sent someone, ${progress.escalated} escalated, ${progress.inProgress} on a call, ${waiting} waiting, of ${progress.total}`}
      >
        {PARTS.map(([key, , cls]) =>
          progress[key] > 0 ? (
            <span key={key} className={cls} style={{ width: `${share(progress[key])}%` }} />
          ) : null,
        )}
      </div>
      <p className="campaign-legend" aria-hidden="true">
        {PARTS.map(([key, words, cls]) => (
          <span key={key}>
            <span className={`swatch ${cls}`} /> {words} {progress[key]}
          </span>
        ))}
        <span>
          <span className="swatch part-waiting" /> Waiting {waiting}
        </span>
        <strong>
          {Math.round(progress.completion * 100)}% of {progress.total}
        </strong>
      </p>
    </div>
  )
}

/** Campaign progress on the emergency operations page: every list and how far it has got. */
export function CampaignsSection() {
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const load = () =>
      campaignsApi
        .list()
        .then((r) => setCampaigns(r.campaigns))
        .catch((e) => setError(message(e)))
    load()
    // Call-takers work the lists while this page is open: keep the bars moving.
    const timer = window.setInterval(load, 15_000)
    return () => window.clearInterval(timer)
  }, [])
  return (
    <section aria-labelledby="campaigns-h" className="card">
      <h2 id="campaigns-h">Outbound campaigns</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!campaigns ? (
        <p className="loading">Loading…</p>
      ) : campaigns.filter((c) => c.status === 'open').length === 0 ? (
        <p className="hint">No campaign is open.</p>
      ) : (
        <ul className="campaign-list">
          {campaigns
            .filter((c) => c.status === 'open')
            .map((c) => (
              <li key={c.id}>
                <a href={`#/campaigns/${c.id}`}>{c.title}</a>
                <CampaignProgressBar progress={c.progress} />
              </li>
            ))}
        </ul>
      )}
      <p>
        <a href="#/campaigns">All campaigns</a>
      </p>
    </section>
  )
}

/**
 * The campaigns screen (#/campaigns, #/campaigns/<id>): managers build a list from the
 * registry or from the people who reported something; call-takers work the chosen one, one
 * person at a time, reading the script and pressing the outcome.
 */
export function CampaignsPage({
  route,
  abilities,
}: {
  route: string
  abilities: Record<string, boolean>
}) {
  const chosen = route.match(/^\/campaigns\/([^/]+)$/)?.[1] ?? null
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback(() => {
    campaignsApi
      .list()
      .then((r) => setCampaigns(r.campaigns))
      .catch((e) => setError(message(e)))
  }, [])
  useEffect(load, [load])
  const campaign = campaigns?.find((c) => c.id === chosen) ?? null

  return (
    <div className="campaigns-page">
      <h1>Outbound campaigns</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {abilities['campaign:manage'] && <NewCampaignForm onCreated={load} />}
      <section aria-labelledby="campaign-list-h" className="card">
        <h2 id="campaign-list-h">Campaigns</h2>
        {!campaigns ? (
          <p className="loading">Loading…</p>
        ) : campaigns.length === 0 ? (
          <p className="hint">No campaign yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">People from</th>
                <th scope="col">Progress</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id} aria-current={c.id === chosen ? 'true' : undefined}>
                  <td>
                    <a href={`#/campaigns/${c.id}`}>{c.title}</a>
                  </td>
                  <td>
                    {c.source.kind === 'registry'
                      ? 'Special-needs registry'
                      : `Reporters of ${c.source.callTypes.join(', ')}`}
                  </td>
                  <td>
                    <CampaignProgressBar progress={c.progress} />
                  </td>
                  <td>
                    {c.status}
                    {c.status === 'open' && abilities['campaign:manage'] && (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() =>
                          campaignsApi
                            .close(c.id)
                            .then(load)
                            .catch((e) => setError(message(e)))
                        }
                      >
                        Close<span className="sr-only"> {c.title}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {campaign && abilities['campaign:work'] && campaign.status === 'open' && (
        <CallDesk key={campaign.id} campaign={campaign} onRecorded={load} />
      )}
    </div>
  )
}

function NewCampaignForm({ onCreated }: { onCreated: () => void }) {
  const [kind, setKind] = useState<'registry' | 'incidents'>('registry')
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<Campaign | null>(null)
  const today = new Date()
  const day = (d: Date) => d.toISOString().slice(0, 10)

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    setError(null)
    try {
      const c = await campaignsApi.create({
        title: f.get('title'),
        script: f.get('script'),
        source:
          kind === 'registry'
            ? { kind }
            : {
                kind,
                callTypes: String(f.get('callTypes') ?? '')
                  .split(/[\s,]+/)
                  .filter(Boolean),
                from: new Date(`${f.get('from')}T00:00:00`).toISOString(),
                to: new Date(`${f.get('to')}T23:59:59`).toISOString(),
              },
      })
      setCreated(c)
      onCreated()
    } catch (err) {
      setError(message(err))
    }
  }

  return (
    <section aria-labelledby="new-campaign-h" className="card">
      <h2 id="new-campaign-h">New campaign</h2>
      <form onSubmit={submit} className="campaign-form">
        <fieldset>
          <legend>Who to call</legend>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'registry'}
              onChange={() => setKind('registry')}
            />{' '}
            Registrants in the current activation’s area (wellness calls)
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === 'incidents'}
              onChange={() => setKind('incidents')}
            />{' '}
            People who reported something and agreed to be called back
          </label>
        </fieldset>
        {kind === 'incidents' && (
          <>
            <label className="field">
              Call types
              <input name="callTypes" required placeholder="SNOW_UNPLOWED_STREET" />
            </label>
            <label className="field">
              Reported from
              <input
                type="date"
                name="from"
                required
                defaultValue={day(new Date(today.getTime() - 3 * 86_400_000))}
              />
            </label>
            <label className="field">
              to
              <input type="date" name="to" required defaultValue={day(today)} />
            </label>
          </>
        )}
        <label className="field">
          Title
          <input
            name="title"
            required
            defaultValue={kind === 'registry' ? 'Wellness calls' : 'Call-backs'}
          />
        </label>
        <label className="field wide">
          Script (what the call-taker says)
          <textarea
            name="script"
            required
            rows={3}
            defaultValue={
              kind === 'registry'
                ? 'Hello, this is the city’s 311 centre. We are calling everyone on the special-needs registry to check that you are safe, warm and have what you need.'
                : 'Hello, this is the city’s 311 centre, calling back about the problem you reported. Has it been fixed?'
            }
          />
        </label>
        <button type="submit">Build the call list</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {created && (
        <p role="status">
          <a href={`#/campaigns/${created.id}`}>{created.title}</a>: {created.progress.total}{' '}
          {created.progress.total === 1 ? 'person' : 'people'} to call.
        </p>
      )}
    </section>
  )
}

const ACTION_HINTS: Record<string, string> = {
  raise_incident: 'opens a welfare check',
  note_incident: 'notes their incident for the crew',
  try_again: 'calls again later',
}

/** One call-taker's desk: take the next person, read the script, press the outcome. */
function CallDesk({ campaign, onRecorded }: { campaign: Campaign; onRecorded: () => void }) {
  const [call, setCall] = useState<CampaignCall | null>(null)
  const [empty, setEmpty] = useState(false)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [last, setLast] = useState<RecordedCall | null>(null)
  const [error, setError] = useState<string | null>(null)

  const next = async () => {
    setBusy(true)
    setError(null)
    try {
      const c = await campaignsApi.next(campaign.id)
      setCall(c ?? null)
      setEmpty(!c)
      setNote('')
    } catch (e) {
      setError(message(e))
    } finally {
      setBusy(false)
    }
  }

  const record = async (outcome: string) => {
    if (!call) return
    setBusy(true)
    setError(null)
    try {
      setLast(await campaignsApi.record(campaign.id, call.entry.id, outcome, note))
      setCall(null)
      onRecorded()
    } catch (e) {
      setError(message(e))
    } finally {
      setBusy(false)
    }
  }

  const p = call?.person
  return (
    <section aria-labelledby="desk-h" className="card call-desk">
      <h2 id="desk-h">Calling: {campaign.title}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {last && (
        <p role="status" className="recorded">
          Recorded.{' '}
          {last.incidentId && last.entry.state === 'raised' ? (
            <>
              A welfare check was opened:{' '}
              <a href={`#/incidents/${last.incidentId}`}>open the incident</a>.
            </>
          ) : last.entry.state === 'escalated' ? (
            <>
              Not reached after {last.entry.attempts} calls
              {last.incidentId ? (
                <>
                  : a welfare check was opened (
                  <a href={`#/incidents/${last.incidentId}`}>incident</a>)
                </>
              ) : null}
              .
            </>
          ) : last.entry.state === 'pending' ? (
            `They will come back to the list at ${new Date(last.entry.dueAt).toLocaleTimeString()}.`
          ) : (
            'Done.'
          )}
        </p>
      )}
      {!call ? (
        <>
          {empty && (
            <p className="hint">Nobody is left to call now; people not reached come back later.</p>
          )}
          <button type="button" onClick={next} disabled={busy}>
            Next call
          </button>
        </>
      ) : (
        <div className="desk-layout">
          <div>
            <h3>{p?.name ?? 'Caller (no name given)'}</h3>
            <p className="phone">
              <a href={`tel:${p?.phone}`}>{p?.phone}</a>
            </p>
            {p?.kind === 'registrant' ? (
              <>
                <p>
                  {p.address} · speaks {p.language}
                </p>
                <p>
                  <strong>Needs:</strong> {p.health.needs.map((n) => NEED_WORDS[n] ?? n).join(', ')}
                </p>
                {p.health.contacts.length > 0 && (
                  <ul className="contacts">
                    {p.health.contacts.map((c) => (
                      <li key={`${c.name}-${c.phone}`}>
                        {c.name} ({c.relationship}) {c.phone}
                      </li>
                    ))}
                  </ul>
                )}
                {p.health.notes && <p className="notes">{p.health.notes}</p>}
              </>
            ) : p?.kind === 'caller' ? (
              <p>
                Reported {p.incident.callType} at {p.incident.location ?? 'no location'} on{' '}
                {new Date(p.incident.receivedAt).toLocaleString()} (
                <a href={`#/incidents/${p.incident.id}`}>{p.incident.number}</a>, now{' '}
                {p.incident.status})
              </p>
            ) : null}
            {call.attempts.length > 0 && (
              <p className="earlier">
                Earlier calls:{' '}
                {call.attempts
                  .map((a) => `${a.outcome} at ${new Date(a.at).toLocaleTimeString()}`)
                  .join('; ')}
              </p>
            )}
          </div>
          <div>
            <h3>Script</h3>
            <p className="script">{campaign.script}</p>
            <label className="field">
              Note (optional)
              <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
            </label>
            <fieldset className="outcomes">
              <legend>Outcome of the call</legend>
              {campaign.outcomes.map((o) => (
                <button
                  key={o.code}
                  type="button"
                  disabled={busy}
                  className={o.action === 'raise_incident' ? 'danger' : undefined}
                  onClick={() => record(o.code)}
                >
                  {o.label}
                  {ACTION_HINTS[o.action] ? <small> ({ACTION_HINTS[o.action]})</small> : null}
                </button>
              ))}
            </fieldset>
          </div>
        </div>
      )}
    </section>
  )
}
