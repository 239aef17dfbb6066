import { useEffect, useState } from 'react'
import { type Activation, currentActivations } from './emergency-api.js'

/**
 * The ribbon under the console's top bar while an emergency is on: every screen says so, so a
 * call-taker never answers as on an ordinary day. Checked every minute.
 */
export function ActivationRibbon() {
  const [on, setOn] = useState<Activation[]>([])
  useEffect(() => {
    let live = true
    const load = () =>
      currentActivations()
        .then((a) => live && setOn(a))
        .catch(() => undefined)
    load()
    const timer = setInterval(load, 60_000)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [])
  if (on.length === 0) return null
  return (
    <div className="activation-ribbon" role="status">
      {on.map((a) => (
        <span key={a.id}>
          <strong>{a.title}</strong> · {areaWords(a.area)}
          {a.endsAt ? ` · until ${new Date(a.endsAt).toLocaleString()}` : ''}
        </span>
      ))}
    </div>
  )
}

export function areaWords(area: Activation['area']): string {
  if (area.kind === 'city') return 'whole city'
  const what = area.kind === 'police_district' ? 'district' : 'neighborhood'
  return `${area.names.length === 1 ? what : `${what}s`} ${area.names.join(', ')}`
}
