import { type FormEvent, useEffect, useRef, useState } from 'react'
import type { Session } from '../../app/app.js'
import { ApiError, api, setCsrfToken } from '../../lib/api.js'

interface LoginAnswer {
  user: { username: string; displayName: string; roles: string[] }
  csrfToken: string
  abilities: Record<string, boolean>
}

/** Sign in. A lockout or a wrong password is said plainly; nothing says which users exist. */
export function LoginPage({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const first = useRef<HTMLInputElement>(null)
  useEffect(() => first.current?.focus(), [])

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    setBusy(true)
    setError(null)
    try {
      const r = await api<LoginAnswer>('POST', '/api/auth/login', {
        username: form.get('username'),
        password: form.get('password'),
      })
      setCsrfToken(r.csrfToken)
      onSignedIn({
        username: r.user.username,
        displayName: r.user.displayName,
        roles: r.user.roles,
        abilities: r.abilities,
      })
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'cannot reach the server')
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <h1>triage311</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          User name
          <input ref={first} name="username" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  )
}
