import { useEffect, useState } from 'react'
import { AccountPage } from '../features/account/account-page.js'
import { AdminPage } from '../features/admin/admin-page.js'
import { LoginPage } from '../features/auth/login-page.js'
import { IncidentList } from '../features/incidents/incident-list.js'
import { IncidentPage } from '../features/incidents/incident-page.js'
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
/** The screen the address bar names: #/intake, #/incidents, #/incidents/<id>, #/review. */
function useRoute(): string {
  const [hash, setHash] = useState(window.location.hash)
  useEffect(() => {
    const on = () => setHash(window.location.hash)
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  return hash.replace(/^#/, '') || '/intake'
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const route = useRoute()

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

  const signedOut = () => {
    setCsrfToken(null)
    setSession(null)
    window.location.hash = '#/intake'
  }
  const signOut = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined)
    signedOut()
  }
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">triage311</span>
        <nav aria-label="Main">
          {[
            ['/intake', 'Intake'],
            ['/review', 'Review queue'],
            ['/incidents', 'Incidents'],
            ['/account', 'Account'],
            ...(session.abilities['user:manage'] ? [['/admin', 'Administration']] : []),
          ].map(([path, label]) => (
            <a key={path} href={`#${path}`} aria-current={route === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span className="who">
          {session.displayName} ({session.roles.join(', ')})
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main>
        {route.startsWith('/incidents/') ? (
          <IncidentPage id={route.slice('/incidents/'.length)} />
        ) : route === '/incidents' ? (
          <IncidentList />
        ) : route === '/review' ? (
          <IncidentList review />
        ) : route === '/account' ? (
          <AccountPage onSignedOut={signedOut} />
        ) : route === '/admin' && session.abilities['user:manage'] ? (
          <AdminPage />
        ) : (
          <IntakePage />
        )}
      </main>
    </div>
  )
}
