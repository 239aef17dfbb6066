import { type FormEvent, useState } from 'react'
import { ApiError, api } from '../../lib/api.js'

/** Change one's own password; every session of the person ends, so they sign in again. */
export function AccountPage({ onSignedOut }: { onSignedOut: () => void }) {
  const [error, setError] = useState<string | null>(null)
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    if (f.get('next') !== f.get('again')) return setError('the new passwords differ')
    try {
      await api('POST', '/api/auth/password', { current: f.get('current'), next: f.get('next') })
      onSignedOut()
    } catch (err) {
      setError(
        err instanceof ApiError
          ? [err.message, ...err.problems.slice(1).map((p) => p.message)].join('; ')
          : 'cannot reach the server',
      )
    }
  }
  return (
    <section className="list">
      <h1>Your account</h1>
      <form onSubmit={submit} aria-label="Change password" className="stack">
        <label>
          Current password
          <input name="current" type="password" autoComplete="current-password" required />
        </label>
        <label>
          New password (at least 12 characters)
          <input name="next" type="password" autoComplete="new-password" required minLength={12} />
        </label>
        <label>
          New password again
          <input name="again" type="password" autoComplete="new-password" required minLength={12} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit">Change password and sign out everywhere</button>
      </form>
    </section>
  )
}
