import { useEffect, useRef, useState } from 'react'
import {
  distanceWords,
  type Facility,
  facilityOffered,
  KIND_WORDS,
  nearestFacilities,
  type Script,
  scriptsFor,
  scriptUsed,
} from '../emergency/emergency-api.js'

/**
 * Official information beside the protocol questions: the current approved script for the call
 * type (word for word, with its version), and the nearest open facilities to the caller with
 * distance and how to get there, with "can they get there?". Once the call is saved, the script
 * versions shown and those answers are recorded on the incident it opened.
 */
export function KnowledgePanel({
  callType,
  point,
  incidentId,
}: {
  callType: string | null
  point: { lat: number; lon: number } | null
  incidentId: string | null
}) {
  const [scripts, setScripts] = useState<Script[]>([])
  const [nearby, setNearby] = useState<Facility[]>([])
  /** "Can they get there?" as answered during the call, by facility id. */
  const [answers, setAnswers] = useState<Record<string, boolean>>({})
  // What was shown and answered, kept past the form's reset so it is recorded on the incident.
  const shown = useRef<{
    scripts: Script[]
    reach: Map<string, { canReach: boolean; m?: number }>
  }>({ scripts: [], reach: new Map() })
  const recorded = useRef<string | null>(null)

  // Declared first, so it runs before the resets below when the saved call clears the form.
  // Once the call is saved: the script versions shown and the facility answers go on the
  // incident it opened (every answer traceable; a "no" raises the transport callback).
  useEffect(() => {
    if (!incidentId || recorded.current === incidentId) return
    recorded.current = incidentId
    const { scripts: read, reach } = shown.current
    for (const s of read) scriptUsed(incidentId, s.versionId).catch(() => undefined)
    for (const [facilityId, r] of reach)
      facilityOffered(incidentId, {
        facilityId,
        canReach: r.canReach,
        ...(r.m !== undefined ? { distanceMetres: r.m } : {}),
      }).catch(() => undefined)
    shown.current = { scripts: [], reach: new Map() }
  }, [incidentId])

  useEffect(() => {
    setScripts([])
    shown.current.scripts = []
    if (!callType) return
    scriptsFor(callType)
      .then((s) => {
        setScripts(s)
        shown.current.scripts = s
      })
      .catch(() => undefined)
  }, [callType])

  const lat = point?.lat
  const lon = point?.lon
  useEffect(() => {
    setNearby([])
    setAnswers({})
    shown.current.reach = new Map()
    if (lat === undefined || lon === undefined) return
    nearestFacilities({ lat, lon })
      .then(setNearby)
      .catch(() => undefined)
  }, [lat, lon])

  if (scripts.length === 0 && nearby.length === 0) return null
  const reach = (f: Facility, canReach: boolean) => {
    shown.current.reach.set(f.id, {
      canReach,
      ...(f.distanceMetres !== undefined ? { m: f.distanceMetres } : {}),
    })
    setAnswers({ ...answers, [f.id]: canReach })
  }
  return (
    <section aria-labelledby="official-h" className="knowledge knowledge-panel">
      <h2 id="official-h">Official information</h2>
      {scripts.map((s) => (
        <div key={s.versionId}>
          <h3>{s.title}</h3>
          <p className="script">{s.body}</p>
          <p className="hint">
            Version {s.version}, approved by {s.approvedBy}
          </p>
        </div>
      ))}
      {nearby.length > 0 && (
        <>
          <h3>Nearest open facilities</h3>
          <ul className="nearby">
            {nearby.map((f) => (
              <li key={f.id}>
                <strong>{f.name}</strong> ({KIND_WORDS[f.kind]}) ·{' '}
                {distanceWords(f.distanceMetres ?? 0)}
                <br />
                {f.address} · {f.hours}
                {f.transit && <br />}
                {f.transit && `Transit: ${f.transit}`}
                {f.parking && <br />}
                {f.parking && `Parking: ${f.parking}`}
                {f.accessibility && <br />}
                {f.accessibility && `Access: ${f.accessibility}`}
                <fieldset className="reach">
                  <legend>Can they get to {f.name}?</legend>
                  <label>
                    <input
                      type="radio"
                      name={`reach-${f.id}`}
                      checked={answers[f.id] === true}
                      onChange={() => reach(f, true)}
                    />{' '}
                    Yes
                  </label>{' '}
                  <label>
                    <input
                      type="radio"
                      name={`reach-${f.id}`}
                      checked={answers[f.id] === false}
                      onChange={() => reach(f, false)}
                    />{' '}
                    No: transport needed
                  </label>
                </fieldset>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
