import { lazy, Suspense, useEffect, useMemo, useState } from 'react'
import { fetchRecent, localTime, PublicError, type ServiceRequest } from './public-api.js'
import type { MapPoint } from './public-map.js'
import { StatusBadge } from './request-lookup.js'

const PublicMap = lazy(() => import('./public-map.js'))

/** The newest public requests: a list (the whole story) and their points on a map. */
export function RecentRequests() {
  const [requests, setRequests] = useState<ServiceRequest[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    fetchRecent()
      .then(setRequests)
      .catch((e: unknown) =>
        setError(e instanceof PublicError ? e.message : 'The recent requests could not be loaded.'),
      )
  }, [])

  const points = useMemo<MapPoint[]>(
    () =>
      (requests ?? []).flatMap((r) =>
        r.lat !== null && r.long !== null
          ? [{ id: r.service_request_id, lat: r.lat, lon: r.long, open: r.status === 'open' }]
          : [],
      ),
    [requests],
  )

  if (error)
    return (
      <div role="alert" className="pub-errors">
        <p>{error}</p>
      </div>
    )
  if (!requests)
    return (
      <p role="status" className="pub-hint">
        Loading the recent requests…
      </p>
    )
  return (
    <>
      <p role="status">
        {requests.length === 0
          ? 'No requests in the last 90 days.'
          : `The ${requests.length === 1 ? 'newest request' : `${requests.length} newest requests`}, newest first.`}
      </p>
      {points.length > 0 ? (
        <>
          <Suspense fallback={<div className="pub-map" />}>
            <PublicMap
              points={points}
              label={`Map of ${points.length} recent request${points.length === 1 ? '' : 's'}; each is also in the list below`}
            />
          </Suspense>
          <p className="pub-hint pub-key">
            <span className="pub-dot pub-open" aria-hidden="true" /> Open{' '}
            <span className="pub-dot pub-closed" aria-hidden="true" /> Closed. Places of some types
            are shown only to the nearest block.
          </p>
        </>
      ) : null}
      <ul className="pub-list" aria-label="Recent requests">
        {requests.map((r) => (
          <li key={r.service_request_id} className="pub-card">
            <h2>
              <a href={`#/lookup/${encodeURIComponent(r.service_request_id)}`}>{r.service_name}</a>{' '}
              <StatusBadge status={r.status} />
            </h2>
            <p className="pub-where">{r.address ?? 'Place not shown'}</p>
            <p className="pub-hint">
              {r.service_request_id} · reported {localTime(r.requested_datetime)}
              {r.status_notes ? ` · ${r.status_notes}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}
