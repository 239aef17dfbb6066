import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { ROLES } from '../../../domain/access/roles.js'
import { ApiError, api } from '../../lib/api.js'

interface User {
  id: string
  username: string
  displayName: string
  roles: string[]
  active: boolean
  locked: boolean
}
interface Token {
  id: string
  name: string
  roles: string[]
  revokedAt: string | null
  lastUsedAt: string | null
}

/** Administrators: staff accounts (roles, deactivate, unlock) and API tokens (issue, revoke). */
export function AdminPage() {
  const [users, setUsers] = useState<User[]>([])
  const [tokens, setTokens] = useState<Token[]>([])
  const [secret, setSecret] = useState<string | null>(null)
  const [editing, setEditing] = useState<User | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(() => {
    api<{ users: User[] }>('GET', '/api/users')
      .then((r) => setUsers(r.users))
      .catch(() => undefined)
    api<{ tokens: Token[] }>('GET', '/api/tokens')
      .then((r) => setTokens(r.tokens))
      .catch(() => undefined)
  }, [])
  useEffect(load, [load])

  const act = async (f: () => Promise<unknown>) => {
    try {
      await f()
      setError(null)
      load()
    } catch (err) {
      setError(
        err instanceof ApiError
          ? [err.message, ...err.problems.slice(1).map((p) => `${p.path}: ${p.message}`)].join('; ')
          : 'cannot reach the server',
      )
    }
  }
  const createUser = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    void act(async () => {
      await api('POST', '/api/users', {
        username: f.get('username'),
        displayName: f.get('displayName'),
        password: f.get('password'),
        roles: f.getAll('roles'),
        ...(f.get('agency') ? { agency: f.get('agency') } : {}),
        ...(f.get('district') ? { district: f.get('district') } : {}),
      })
      form.reset()
    })
  }
  const createToken = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    void act(async () => {
      const t = await api<{ secret: string }>('POST', '/api/tokens', {
        name: f.get('name'),
        roles: f.getAll('roles'),
      })
      setSecret(t.secret)
      form.reset()
    })
  }
  return (
    <section className="list">
      <h1>Administration</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h2>Staff accounts</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Roles</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                {u.username} ({u.displayName})
              </td>
              <td>{u.roles.join(', ')}</td>
              <td>{!u.active ? 'inactive' : u.locked ? 'locked' : 'active'}</td>
              <td>
                {u.locked && (
                  <button
                    type="button"
                    onClick={() => act(() => api('PATCH', `/api/users/${u.id}`, { unlock: true }))}
                  >
                    Unlock {u.username}
                  </button>
                )}
                <button
                  type="button"
                  onClick={() =>
                    act(() => api('PATCH', `/api/users/${u.id}`, { active: !u.active }))
                  }
                >
                  {u.active ? 'Deactivate' : 'Reactivate'} {u.username}
                </button>
                <button type="button" onClick={() => setEditing(u)}>
                  Change roles of {u.username}
                </button>
                <button
                  type="button"
                  onClick={() => act(() => api('POST', `/api/users/${u.id}/end-sessions`))}
                >
                  End sessions of {u.username}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <form
          aria-label={`Roles of ${editing.username}`}
          className="stack"
          onSubmit={(e) => {
            e.preventDefault()
            const roles = new FormData(e.currentTarget).getAll('roles')
            const id = editing.id
            void act(async () => {
              await api('PATCH', `/api/users/${id}`, { roles })
              setEditing(null)
            })
          }}
        >
          <h3>Roles of {editing.username}</h3>
          <RoleChoices checked={editing.roles} />
          <button type="submit">Save roles</button>
        </form>
      )}
      <form onSubmit={createUser} aria-label="Create a staff account" className="stack">
        <h3>New account</h3>
        <label>
          User name
          <input name="username" required />
        </label>
        <label>
          Full name
          <input name="displayName" />
        </label>
        <label>
          Password (at least 12 characters)
          <input name="password" type="password" autoComplete="new-password" required />
        </label>
        <RoleChoices />
        <label>
          Agency (for liaisons)
          <input name="agency" />
        </label>
        <label>
          District (for officers and NSC staff)
          <input name="district" />
        </label>
        <button type="submit">Create account</button>
      </form>

      <h2>API tokens</h2>
      {secret && (
        <p role="status" className="outcome">
          New token, shown once: <code>{secret}</code>
        </p>
      )}
      <ul>
        {tokens.map((t) => (
          <li key={t.id}>
            {t.name} · {t.roles.join(', ')} ·{' '}
            {t.revokedAt ? 'revoked' : `last used ${t.lastUsedAt ?? 'never'}`}
            {!t.revokedAt && (
              <button type="button" onClick={() => act(() => api('DELETE', `/api/tokens/${t.id}`))}>
                Revoke {t.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={createToken} aria-label="Issue an API token" className="stack">
        <label>
          Token name
          <input name="name" required placeholder="telephony screen pop" />
        </label>
        <RoleChoices />
        <button type="submit">Issue token</button>
      </form>
    </section>
  )
}

function RoleChoices({ checked = [] }: { checked?: string[] }) {
  return (
    <fieldset>
      <legend>Roles</legend>
      {ROLES.map((r) => (
        <label key={r} className="inline">
          <input type="checkbox" name="roles" value={r} defaultChecked={checked.includes(r)} />{' '}
          {r.replaceAll('_', ' ')}
        </label>
      ))}
    </fieldset>
  )
}
