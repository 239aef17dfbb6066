import { useEffect, useState } from 'react'
import './emergency-banner.css'

/** An emergency on now, as the city tells residents (GET /api/public/activations). */
interface PublicActivation {
  id: string
  mode: string
  title: string
  banner: string
  faq: Array<{ title: string; body: string }>
}

/**
 * The emergency banner at the top of the residents' page, with the activation's questions and
 * answers (its public FAQ): reading them here saves a call to the line during a storm.
 */
export function EmergencyBanner() {
  const [on, setOn] = useState<PublicActivation[]>([])
  useEffect(() => {
    fetch('/api/public/activations')
      .then((r) => (r.ok ? r.json() : { activations: [] }))
      .then((b: { activations: PublicActivation[] }) => setOn(b.activations))
      .catch(() => undefined) // no banner rather than a broken page
  }, [])
  if (on.length === 0) return null
  return (
    <>
      {on.map((a) => (
        <section key={a.id} className="pub-emergency" aria-labelledby={`emergency-${a.id}`}>
          <h2 id={`emergency-${a.id}`}>{a.title}</h2>
          {a.banner && <p>{a.banner}</p>}
          {a.faq.length > 0 && (
            <div className="pub-faq">
              <h3>Questions and answers</h3>
              {a.faq.map((q) => (
                <details key={q.title}>
                  <summary>{q.title}</summary>
                  <p>{q.body}</p>
                </details>
              ))}
            </div>
          )}
        </section>
      ))}
    </>
  )
}
