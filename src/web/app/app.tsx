import { useEffect, useState } from 'react'
import { LoginPage } from '../features/auth/login-page.js'
import { IntakePage } from '../features/intake/intake-page.js'
import { api, setCsrfToken } from '../lib/api.js'

export interface Session {
  username: string
  displayName: string
  roles: string[]
  abilities: Record<string, boolean>
}

interface Me {
  actor: { id: string; roles: string[] }
  user: { username: string; displayName: string } | null
  abilities: Record<string, boolean>
  csrfToken: string | null
}

/** The console shell: who is signed in, and the screen for their work. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined)

  useEffect(() => {
    api<Me>('GET', '/api/auth/me')
      .then((me) => {
        setCsrfToken(me.csrfToken)
        setSession({
          username: me.actor.id,
          displayName: me.user?.displayName ?? me.actor.id,
          roles: me.actor.roles,
          abilities: me.abilities,
        })
      })
      .catch(() => setSession(null))
  }, [])

  if (session === undefined) return <p className="loading">Loading…</p>
  if (session === null) return <LoginPage onSignedIn={setSession} />

  const signOut = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined)
    setCsrfToken(null)
    setSession(null)
  }
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">triage311</span>
        <nav aria-label="Main">
          <span aria-current="page">Intake</span>
        </nav>
        <span className="who">
          {session.displayName} ({session.roles.join(', ')})
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main>
        <IntakePage />
      </main>
    </div>
  )
}
