import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../lib/api.js'
import {
  type Activation,
  type Article,
  approveVersion,
  createArticle,
  listActivations,
  listArticles,
  reviseArticle,
} from './emergency-api.js'
import './emergency.css'

const AUDIENCE_WORDS = { call_takers: 'Call-takers (script)', public: 'Public' }

/**
 * The knowledge base (#/knowledge): write an article or a new version, and approve someone
 * else's version. Drafts are marked; only approved versions reach call-takers and the public.
 */
export function KnowledgeEditor({
  username,
  canEdit,
  canApprove,
}: {
  username: string
  canEdit: boolean
  canApprove: boolean
}) {
  const [articles, setArticles] = useState<Article[]>([])
  const [activations, setActivations] = useState<Activation[]>([])
  const [error, setError] = useState<string | null>(null)
  const [draft, setDraft] = useState({
    title: '',
    audience: 'call_takers',
    callType: '',
    activationId: '',
    body: '',
  })
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.message : String(e))
  const load = useCallback(() => {
    listArticles()
      .then(setArticles)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)))
    listActivations()
      .then((a) => setActivations(a.filter((x) => !x.deactivatedAt)))
      .catch(() => undefined)
  }, [])
  useEffect(load, [load])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      await createArticle({
        title: draft.title,
        audience: draft.audience,
        body: draft.body,
        ...(draft.callType ? { callType: draft.callType } : {}),
        ...(draft.activationId ? { activationId: draft.activationId } : {}),
      })
      setDraft({ ...draft, title: '', body: '' })
      load()
    } catch (err) {
      fail(err)
    }
  }

  return (
    <div className="knowledge-page">
      <h1>Official information</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {canEdit && (
        <section aria-labelledby="new-article-h" className="card">
          <h2 id="new-article-h">New article</h2>
          <form onSubmit={submit} className="facility-form">
            <label className="field">
              Title
              <input
                value={draft.title}
                onChange={(e) => setDraft({ ...draft, title: e.target.value })}
                required
              />
            </label>
            <label className="field">
              Audience
              <select
                value={draft.audience}
                onChange={(e) => setDraft({ ...draft, audience: e.target.value })}
              >
                {Object.entries(AUDIENCE_WORDS).map(([k, w]) => (
                  <option key={k} value={k}>
                    {w}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              Call type (for a script)
              <input
                value={draft.callType}
                onChange={(e) => setDraft({ ...draft, callType: e.target.value })}
              />
            </label>
            <label className="field">
              Activation (for its FAQ)
              <select
                value={draft.activationId}
                onChange={(e) => setDraft({ ...draft, activationId: e.target.value })}
              >
                <option value="">none</option>
                {activations.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.title}
                  </option>
                ))}
              </select>
            </label>
            <label className="field wide">
              Text
              <textarea
                value={draft.body}
                onChange={(e) => setDraft({ ...draft, body: e.target.value })}
                required
              />
            </label>
            <button type="submit">Save draft</button>
          </form>
        </section>
      )}
      {articles.map((a) => (
        <ArticleCard
          key={a.id}
          article={a}
          username={username}
          canEdit={canEdit}
          canApprove={canApprove}
          onChange={load}
          onError={fail}
        />
      ))}
    </div>
  )
}

function ArticleCard({
  article: a,
  username,
  canEdit,
  canApprove,
  onChange,
  onError,
}: {
  article: Article
  username: string
  canEdit: boolean
  canApprove: boolean
  onChange: () => void
  onError: (e: unknown) => void
}) {
  const [text, setText] = useState('')
  const latest = a.versions[a.versions.length - 1]
  return (
    <section className="card" aria-labelledby={`article-${a.id}`}>
      <h2 id={`article-${a.id}`}>{a.title}</h2>
      <p>
        {AUDIENCE_WORDS[a.audience]}
        {a.callType ? ` · ${a.callType}` : ''} · current:{' '}
        {a.current
          ? `version ${a.current.version}, approved by ${a.current.approvedBy}`
          : 'none approved'}
      </p>
      <ol>
        {a.versions.map((v) => (
          <li key={v.id}>
            <p>{v.body}</p>
            <small>
              version {v.version} by {v.author} ·{' '}
              {v.approvedAt ? (
                `approved by ${v.approvedBy} ${new Date(v.approvedAt).toLocaleString()}`
              ) : (
                <span className="draft">draft</span>
              )}
            </small>{' '}
            {!v.approvedAt && canApprove && v.author !== username && (
              <button
                type="button"
                onClick={() => approveVersion(v.id).then(onChange).catch(onError)}
              >
                Approve version {v.version} of {a.title}
              </button>
            )}
          </li>
        ))}
      </ol>
      {canEdit && latest && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            reviseArticle(a.id, { body: text })
              .then(() => {
                setText('')
                onChange()
              })
              .catch(onError)
          }}
        >
          <label className="field">
            New version of {a.title}
            <textarea value={text} onChange={(e) => setText(e.target.value)} required />
          </label>
          <button type="submit">Save new version</button>
        </form>
      )}
    </section>
  )
}
