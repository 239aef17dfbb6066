import { useEffect, useState } from 'react'
import { AccountPage } from '../features/account/account-page.js'
import { AdminPage } from '../features/admin/admin-page.js'
import { AnalystWorkspace } from '../features/analytics/analyst-workspace.js'
import { EvaluationDashboard } from '../features/analytics/evaluation-dashboard.js'
import { CalendarPage } from '../features/appointments/calendar-page.js'
import { LoginPage } from '../features/auth/login-page.js'
import { DispatchBoard } from '../features/dispatch/dispatch-board.js'
import { OfficerView } from '../features/dispatch/officer-view.js'
import { ActivationRibbon } from '../features/emergency/activation-ribbon.js'
import { CampaignsPage } from '../features/emergency/campaigns.js'
import { EmergencyPage } from '../features/emergency/emergency-page.js'
import { FacilityAdmin } from '../features/emergency/facility-admin.js'
import { KnowledgeEditor } from '../features/emergency/knowledge-editor.js'
import { RegistryAdminPage } from '../features/emergency/registry-sections.js'
import { CallbacksPage } from '../features/follow-up/callbacks-page.js'
import { SurveyPage } from '../features/follow-up/survey-page.js'
import { IncidentList } from '../features/incidents/incident-list.js'
import { IncidentPage } from '../features/incidents/incident-page.js'
import { IntakePage } from '../features/intake/intake-page.js'
import { PolicyLab } from '../features/policy-lab/policy-lab.js'
import { ProblemsScreen } from '../features/problems/problems-page.js'
import { ReferralsPage } from '../features/referrals/referrals-page.js'
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
  return hash.replace(/^#/, '')
}

/** Where each person starts: their main screen, not a form they never use. */
function homeFor(roles: readonly string[], abilities: Record<string, boolean>): string {
  if (roles.includes('call_taker') || roles.includes('supervisor')) return '/intake'
  if (roles.includes('dispatcher')) return '/dispatch'
  if (roles.includes('officer')) return '/my-unit'
  return navFor(abilities)[0]?.[0] ?? '/account'
}

/** The screens in the top bar, for what this person may do. */
function navFor(abilities: Record<string, boolean>): Array<[string, string]> {
  const items: Array<[string, string, boolean]> = [
    ['/intake', 'Intake', Boolean(abilities['incident:create'])],
    ['/review', 'Review queue', Boolean(abilities['incident:update'])],
    ['/dispatch', 'Dispatch', Boolean(abilities['dispatch:read'])],
    ['/my-unit', 'My unit', Boolean(abilities['unit:sign_on'])],
    ['/referrals', 'Referrals', Boolean(abilities['referral:read'])],
    ['/problems', 'Problems', Boolean(abilities['problem:read'])],
    ['/callbacks', 'Callbacks', Boolean(abilities['callback:work'])],
    ['/appointments', 'Appointments', Boolean(abilities['appointment:read'])],
    ['/analytics', 'Hot spots', Boolean(abilities['analytics:read'])],
    ['/evaluation', 'Evaluation', Boolean(abilities['evaluation:read'])],
    ['/lab', 'Policy lab', Boolean(abilities['simulation:run'])],
    [
      '/emergency',
      'Emergency',
      Boolean(
        abilities['activation:manage'] || abilities['facility:manage'] || abilities['snow:read'],
      ),
    ],
    [
      '/campaigns',
      'Campaigns',
      Boolean(abilities['campaign:work'] || abilities['campaign:manage']),
    ],
    [
      '/knowledge',
      'Official information',
      Boolean(abilities['knowledge:edit'] || abilities['knowledge:approve']),
    ],
    ['/incidents', 'Incidents', true],
    ['/account', 'Account', true],
    ['/admin', 'Administration', Boolean(abilities['user:manage'])],
  ]
  return items.filter(([, , shown]) => shown).map(([path, label]) => [path, label])
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  const route = useRoute()

  const survey = route.startsWith('/survey/')
  useEffect(() => {
    if (survey) return
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
  }, [survey])

  useEffect(() => {
    if (session && route === '')
      window.location.replace(`#${homeFor(session.roles, session.abilities)}`)
  }, [session, route])

  // A caller's survey link needs no sign-in.
  if (survey) return <SurveyPage token={route.slice('/survey/'.length)} />
  if (session && route === '') return <p className="loading">Loading…</p>
  if (session === undefined) return <p className="loading">Loading…</p>
  if (session === null) return <LoginPage onSignedIn={setSession} />

  const signedOut = () => {
    setCsrfToken(null)
    setSession(null)
    window.location.hash = ''
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
          {navFor(session.abilities).map(([path, label]) => (
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
      <ActivationRibbon />
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
        ) : route === '/dispatch' && session.abilities['dispatch:read'] ? (
          <DispatchBoard canManageUnits={Boolean(session.abilities['unit:manage'])} />
        ) : route === '/my-unit' && session.abilities['unit:sign_on'] ? (
          <OfficerView />
        ) : route === '/referrals' && session.abilities['referral:read'] ? (
          <ReferralsPage />
        ) : (route === '/problems' || route.startsWith('/problems/')) &&
          session.abilities['problem:read'] ? (
          <ProblemsScreen route={route} abilities={session.abilities} />
        ) : route === '/appointments' && session.abilities['appointment:read'] ? (
          <CalendarPage />
        ) : route === '/callbacks' && session.abilities['callback:work'] ? (
          <CallbacksPage />
        ) : route === '/analytics' && session.abilities['analytics:read'] ? (
          <AnalystWorkspace canImport={Boolean(session.abilities['history:import'])} />
        ) : route === '/evaluation' && session.abilities['evaluation:read'] ? (
          <EvaluationDashboard />
        ) : route === '/lab' && session.abilities['simulation:run'] ? (
          <PolicyLab />
        ) : route === '/emergency' && session.abilities['activation:read'] ? (
          <EmergencyPage abilities={session.abilities} />
        ) : route === '/emergency/registry' && session.abilities['registry:manage'] ? (
          <RegistryAdminPage />
        ) : route === '/emergency/facilities' && session.abilities['facility:read'] ? (
          <FacilityAdmin canManage={Boolean(session.abilities['facility:manage'])} />
        ) : (route === '/campaigns' || route.startsWith('/campaigns/')) &&
          session.abilities['campaign:read'] ? (
          <CampaignsPage route={route} abilities={session.abilities} />
        ) : route === '/knowledge' && session.abilities['knowledge:read'] ? (
          <KnowledgeEditor
            username={session.username}
            canEdit={Boolean(session.abilities['knowledge:edit'])}
            canApprove={Boolean(session.abilities['knowledge:approve'])}
          />
        ) : (
          <IntakePage />
        )}
      </main>
    </div>
  )
}
