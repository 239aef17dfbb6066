import { type FormEvent, type ReactNode, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import { OwnerSelect } from './owner-select.js'
import { ProblemPage } from './problem-page.js'
import {
  createProblem,
  listProblems,
  type NewProblem,
  type Owner,
  type ProblemSummary,
  problemOwners,
  STAGE_LABELS,
  STAGES,
  type Stage,
  splitList,
} from './problems-api.js'
import { readProblemStart } from './start-problem.js'
import './problems.css'

/** The problems screens by address: #/problems, #/problems/new?blocks=…, #/problems/<id>. */
export function ProblemsScreen({
  route,
  abilities,
}: {
  route: string
  abilities: Record<string, boolean>
}) {
  const canManage = Boolean(abilities['problem:manage'])
  const rest = route.slice('/problems'.length).replace(/^\//, '')
  if (rest.startsWith('new') && canManage) return <NewProblemForm route={route} />
  if (rest !== '' && !rest.startsWith('new')) return <ProblemPage id={rest.split('?')[0] ?? ''} />
  return <ProblemList canManage={canManage} />
}

function ownerText(o: Owner | null): string {
  if (!o) return 'No owner yet'
  return o.kind === 'officer' ? `Officer ${o.name}` : o.name
}

/** Problems most recently changed first, by stage, and the button to open a new one. */
function ProblemList({ canManage }: { canManage: boolean }) {
  const [rows, setRows] = useState<ProblemSummary[]>([])
  const [stage, setStage] = useState<'' | Stage | 'open'>('open')
  const [mine, setMine] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const q = new URLSearchParams({ limit: '200' })
    if (stage === 'open') q.set('stage', STAGES.filter((s) => s !== 'closed').join(','))
    else if (stage) q.set('stage', stage)
    if (mine) q.set('mine', 'true')
    listProblems(q.toString())
      .then((r) => {
        setRows(r.problems)
        setError(null)
      })
      .catch((err) => setError(err instanceof ApiError ? err.message : 'cannot reach the server'))
  }, [stage, mine])

  return (
    <section className="list problems" aria-labelledby="problems-h">
      <div className="problems-head">
        <h1 id="problems-h">Problems</h1>
        {canManage && (
          <a className="button" href="#/problems/new">
            New problem
          </a>
        )}
      </div>
      <div className="row">
        <label>
          Stage{' '}
          <select value={stage} onChange={(e) => setStage(e.target.value as typeof stage)}>
            <option value="open">Not closed</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABELS[s]}
              </option>
            ))}
            <option value="">All</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only
          problems I own
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Problem</th>
            <th scope="col">Stage</th>
            <th scope="col">Owner</th>
            <th scope="col">Where</th>
            <th scope="col">Calls linked</th>
            <th scope="col">Changed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.id}>
              <td>
                <a href={`#/problems/${p.id}`}>
                  {p.number} · {p.title}
                </a>
              </td>
              <td>
                <span className={`stage-badge ${p.stage}`}>{STAGE_LABELS[p.stage]}</span>
              </td>
              <td>{ownerText(p.owner)}</td>
              <td>{placesText(p.blocks, p.cells)}</td>
              <td>{p.incidentCount}</td>
              <td>{new Date(p.updatedAt).toLocaleDateString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !error && <p>No problems here yet.</p>}
    </section>
  )
}

export function placesText(blocks: readonly string[], cells: readonly string[]): string {
  const parts: string[] = []
  if (blocks.length > 0)
    parts.push(
      blocks.length <= 2 ? blocks.join('; ') : `${blocks[0]} and ${blocks.length - 1} more blocks`,
    )
  if (cells.length > 0) parts.push(`${cells.length} H3 cell${cells.length === 1 ? '' : 's'}`)
  return parts.join(', ') || '—'
}

/**
 * Opens a problem from a hot spot (street blocks or H3 cells) or from incidents picked by
 * number; the analyst workspace fills it through the address (start-problem.ts).
 */
function NewProblemForm({ route }: { route: string }) {
  const start = readProblemStart(route)
  const [title, setTitle] = useState(
    start.title ||
      (start.blocks.length > 0
        ? `Hot spot: ${start.blocks[0]}${start.blocks.length > 1 ? ' and nearby' : ''}`
        : ''),
  )
  const [description, setDescription] = useState('')
  const [blocks, setBlocks] = useState(start.blocks.join('\n'))
  const [cells, setCells] = useState(start.cells.join('\n'))
  const [incidents, setIncidents] = useState(start.incidents.join(', '))
  const [owners, setOwners] = useState<Owner[]>([])
  const [owner, setOwner] = useState('')
  const [problems, setProblems] = useState<Array<{ path: string; message: string }>>([])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    problemOwners()
      .then((r) => setOwners(r.owners))
      .catch(() => setOwners([]))
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const chosen = owners.find((o) => `${o.kind}:${o.id}` === owner)
    const body: NewProblem = {
      title,
      ...(description.trim() ? { description } : {}),
      ...(splitList(blocks).length ? { blocks: splitList(blocks) } : {}),
      ...(splitList(cells).length ? { cells: splitList(cells) } : {}),
      ...(splitList(incidents).length ? { incidents: splitList(incidents) } : {}),
      ...(chosen ? { owner: { kind: chosen.kind, id: chosen.id } } : {}),
    }
    try {
      const made = await createProblem(body)
      window.location.hash = `#/problems/${made.id}`
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'that did not go through')
      setProblems(err instanceof ApiError ? err.problems : [])
    } finally {
      setBusy(false)
    }
  }
  const fieldError = (name: string) =>
    problems.filter((p) => p.path.replace(/^body\./, '').split('.')[0] === name)

  return (
    <section className="list problems" aria-labelledby="new-problem-h">
      <h1 id="new-problem-h">New problem</h1>
      <p className="hint">
        A problem is a pattern of calls at a few places that is worked as one thing. Give the street
        blocks or H3 cells of the hot spot, or the numbers of calls that show it: their blocks are
        used.
      </p>
      <form className="stack problem-form" aria-label="New problem" onSubmit={submit}>
        <Field label="Title" errors={fieldError('title')}>
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              required
              maxLength={120}
            />
          )}
        </Field>
        <Field label="What is the problem" errors={fieldError('description')}>
          {(id, describedBy) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              maxLength={4000}
            />
          )}
        </Field>
        <Field
          label="Street blocks (one per line, or separated by commas)"
          errors={fieldError('blocks')}
        >
          {(id, describedBy) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={3}
              placeholder="400 BLOCK E PRATT ST"
              value={blocks}
              onChange={(e) => setBlocks(e.target.value)}
            />
          )}
        </Field>
        <Field label="H3 cells" errors={fieldError('cells')}>
          {(id, describedBy) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={2}
              value={cells}
              onChange={(e) => setCells(e.target.value)}
            />
          )}
        </Field>
        <Field label="Incident numbers" errors={fieldError('incidents')}>
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              placeholder="311-0000123, 311-0000124"
              value={incidents}
              onChange={(e) => setIncidents(e.target.value)}
            />
          )}
        </Field>
        <OwnerSelect owners={owners} value={owner} onChange={setOwner} />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" disabled={busy}>
            Open problem
          </button>
          <a href="#/problems">Cancel</a>
        </div>
      </form>
    </section>
  )
}

/** A labelled field with its errors read out with it. */
function Field({
  label,
  errors,
  children,
}: {
  label: string
  errors: Array<{ path: string; message: string }>
  children: (id: string, describedBy: string | undefined) => ReactNode
}) {
  const id = `f-${label.replace(/\W+/g, '-').toLowerCase()}`
  const errId = `${id}-err`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, errors.length > 0 ? errId : undefined)}
      {errors.length > 0 && (
        <span id={errId} className="error">
          {errors.map((e) => e.message).join('; ')}
        </span>
      )}
    </div>
  )
}
