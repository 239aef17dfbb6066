import { formatIncidentNumber, type Incident } from '../../domain/incidents/incident.js'
import type { AppDeps } from '../deps.js'

/** Tells open consoles an incident was opened or changed: a summary, never caller data. */
export function publishIncident(deps: AppDeps, i: Incident): void {
  deps.live.publish({
    type: 'incident',
    data: {
      id: i.id,
      number: formatIncidentNumber(i.number),
      callType: i.callType,
      status: i.status,
      mode: i.mode,
      priority: i.priority,
      channel: i.channel,
      block: i.location?.block ?? null,
      receivedAt: new Date(i.receivedAt).toISOString(),
    },
    visibleTo: () => true,
  })
}
