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
 * distance and how to get there. Once the call is saved, the script version shown is recorded on
 * it (every answer traceable), and "can they get there?" can be answered for the facility.
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
  const [answered, setAnswered] = useState<Record<string, string>>({})
  const recorded = useRef<string | null>(null)

  useEffect(() => {
    setScripts([])
    if (!callType) return
    scriptsFor(callType)
      .then(setScripts)
      .catch(() => undefined)
  }, [callType])

  const lat = point?.lat
  const lon = point?.lon
  useEffect(() => {
    setNearby([])
    if (lat === undefined || lon === undefined) return
    nearestFacilities({ lat, lon })
      .then(setNearby)
      .catch(() => undefined)
  }, [lat, lon])

  // The scripts shown during the call are recorded once on the incident it opened.
  useEffect(() => {
    if (!incidentId || recorded.current === incidentId || scripts.length === 0) return
    recorded.current = incidentId
    for (const s of scripts) scriptUsed(incidentId, s.versionId).catch(() => undefined)
  }, [incidentId, scripts])

  if (scripts.length === 0 && nearby.length === 0) return null
  const reach = (f: Facility, canReach: boolean) => {
    if (!incidentId) return
    facilityOffered(incidentId, { facilityId: f.id, canReach, distanceMetres: f.distanceMetres })
      .then((r) =>
        setAnswered({
          ...answered,
          [f.id]: r.callbackId ? 'transport callback raised' : 'can get there',
        }),
      )
      .catch(() => undefined)
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
                {incidentId &&
                  (answered[f.id] ? (
                    <p>{answered[f.id]}</p>
                  ) : (
                    <p>
                      Can they get there?{' '}
                      <button type="button" onClick={() => reach(f, true)}>
                        Yes
                      </button>{' '}
                      <button type="button" onClick={() => reach(f, false)}>
                        No: transport needed
                      </button>
                    </p>
                  ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
