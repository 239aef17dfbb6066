import { useEffect, useRef, useState } from 'react'
import { EmergencyBanner } from './emergency-banner.js'
import { RecentRequests } from './recent-requests.js'
import { ReportForm } from './report-form.js'
import { RequestLookup } from './request-lookup.js'

type Screen = { name: 'new' } | { name: 'lookup'; id: string } | { name: 'recent' }

/** #/new (the default), #/lookup, #/lookup/<number>, #/recent. */
function screenOf(hash: string): Screen {
  const path = hash.replace(/^#\/?/, '')
  if (path === 'recent') return { name: 'recent' }
  if (path === 'lookup' || path.startsWith('lookup/'))
    return { name: 'lookup', id: decodeURIComponent(path.slice('lookup/'.length)) }
  return { name: 'new' }
}

const TITLES: Record<Screen['name'], string> = {
  new: 'Report a problem',
  lookup: 'Look up a request',
  recent: 'Recent requests',
}

const NAV: Array<[Screen['name'], string, string]> = [
  ['new', '#/new', 'Report a problem'],
  ['lookup', '#/lookup', 'Look up a request'],
  ['recent', '#/recent', 'Recent requests'],
]

/**
 * The city's public 311 page, for residents on their phones: no sign-in, nothing from the staff
 * console. Three screens; moving between them moves focus to the new screen's heading.
 */
export function ReportApp() {
  const [screen, setScreen] = useState(() => screenOf(window.location.hash))
  const heading = useRef<HTMLHeadingElement>(null)
  /** Set when the resident moves to another screen (not on the first load). */
  const moved = useRef(false)

  useEffect(() => {
    // Only #/… names a screen; the skip link's #main moves focus and leaves the screen as is.
    const on = () => {
      if (!window.location.hash.startsWith('#/')) return
      moved.current = true
      setScreen(screenOf(window.location.hash))
    }
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])

  useEffect(() => {
    document.title = `${TITLES[screen.name]} · 311 non-emergency requests`
    if (!moved.current) return
    moved.current = false
    heading.current?.focus()
  }, [screen.name])

  return (
    <>
      <a className="pub-skip" href="#main">
        Skip to content
      </a>
      <header className="pub-header">
        <p className="pub-brand">
          <span className="pub-logo" aria-hidden="true">
            311
          </span>
          Non-emergency requests
        </p>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([name, href, label]) => (
              <li key={name}>
                <a href={href} aria-current={screen.name === name ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="pub-main" tabIndex={-1}>
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {TITLES[screen.name]}
        </h1>
        <EmergencyBanner />
        {screen.name === 'new' ? (
          <ReportForm />
        ) : screen.name === 'lookup' ? (
          <RequestLookup initial={screen.id} />
        ) : (
          <RecentRequests />
        )}
      </main>
      <footer className="pub-footer">
        <p>
          <strong>In an emergency, call 911.</strong> This page is for problems that are not
          emergencies.
        </p>
      </footer>
    </>
  )
}
