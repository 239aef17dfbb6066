import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  addAvailability,
  addResource,
  book,
  type CalendarEntry,
  calendar,
  cancel,
  findSlots,
  icsFeed,
  listResources,
  recordAttendance,
  type SlotOffer,
} from '../../app/appointments/appointments.js'
import type { AppDeps } from '../../app/deps.js'
import {
  appointmentIdParam,
  attendanceBody,
  availabilityBody,
  bookBody,
  calendarQuery,
  cancelBody,
  newResourceBody,
  slotQuery,
} from '../../contract/appointments.js'
import type { Appointment, AvailabilityWindow } from '../../domain/appointments/appointment.js'
import type { StoredResource } from '../../store/ports.js'

const tags = ['appointments']
const iso = (t: number) => new Date(t).toISOString()
const isoOrNull = (t: number | null) => (t === null ? null : iso(t))

function presentResource(r: StoredResource) {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    district: r.district,
    location: r.location,
    active: r.active,
  }
}

function presentWindow(w: AvailabilityWindow & { id: string }) {
  return { id: w.id, resourceId: w.resourceId, startsAt: iso(w.startsAt), endsAt: iso(w.endsAt) }
}

/** Fields listed one by one, so nothing added to an appointment later is sent unseen. */
function presentAppointment(a: Appointment) {
  return {
    id: a.id,
    resourceId: a.resourceId,
    incidentId: a.incidentId,
    startsAt: iso(a.startsAt),
    endsAt: iso(a.endsAt),
    purpose: a.purpose,
    place: a.place,
    status: a.status,
    bookedBy: a.bookedBy,
    bookedAt: iso(a.bookedAt),
    cancelledReason: a.cancelledReason,
    cancelledBy: a.cancelledBy,
    cancelledAt: isoOrNull(a.cancelledAt),
    version: a.version,
  }
}

function presentSlot(o: SlotOffer) {
  return {
    resourceId: o.slot.resourceId,
    startsAt: iso(o.slot.startsAt),
    endsAt: iso(o.slot.endsAt),
    resource: presentResource(o.resource),
  }
}

function presentEntry(e: CalendarEntry) {
  return {
    ...presentAppointment(e.appointment),
    incidentNumber: e.incidentNumber,
    resource: presentResource(e.resource),
  }
}

/** Appointments with PSAs, officers and NSC staff (issue #6 item 5). */
export function appointmentRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>()

  r.get(
    '/api/appointments/resources',
    {
      config: { action: 'appointment:read' },
      schema: { tags, summary: 'The PSAs, officers and NSC staff on the schedule' },
    },
    async (req) => ({ resources: (await listResources(deps, req.actor)).map(presentResource) }),
  )

  r.post(
    '/api/appointments/resources',
    {
      config: { action: 'appointment:manage' },
      schema: {
        tags,
        summary: 'Put a PSA, an officer or NSC staff on the schedule',
        body: newResourceBody,
      },
    },
    async (req, reply) =>
      reply.code(201).send(presentResource(await addResource(deps, req.actor, req.body))),
  )

  r.post(
    '/api/appointments/resources/:id/availability',
    {
      config: { action: 'appointment:manage' },
      schema: {
        tags,
        summary: "Open a block of the resource's time for booking (at most 14 days)",
        params: appointmentIdParam,
        body: availabilityBody,
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(presentWindow(await addAvailability(deps, req.actor, req.params.id, req.body))),
  )

  r.get(
    '/api/appointments/slots',
    {
      config: { action: 'appointment:read' },
      schema: {
        tags,
        summary: 'Free slots in a period (at most 62 days), soonest first, up to 200',
        querystring: slotQuery,
      },
    },
    async (req) => {
      const { from, to, kind, district, minutes } = req.query
      const found = await findSlots(deps, req.actor, {
        from,
        to,
        minutes,
        ...(kind ? { kind } : {}),
        ...(district ? { district } : {}),
      })
      return { slots: found.slots.map(presentSlot), more: found.more }
    },
  )

  r.get(
    '/api/appointments',
    {
      config: { action: 'appointment:read' },
      schema: {
        tags,
        summary: 'The calendar: appointments in a period (at most 62 days), by start',
        querystring: calendarQuery,
      },
    },
    async (req) => {
      const { from, to, resourceId } = req.query
      const entries = await calendar(deps, req.actor, {
        from,
        to,
        ...(resourceId ? { resourceId } : {}),
      })
      return { appointments: entries.map(presentEntry) }
    },
  )

  r.get(
    '/api/appointments/calendar.ics',
    {
      config: { action: 'appointment:read' },
      schema: {
        tags,
        summary: 'The calendar as iCalendar (RFC 5545), for a calendar application',
        querystring: calendarQuery,
      },
    },
    async (req, reply) => {
      const { from, to, resourceId } = req.query
      const text = await icsFeed(deps, req.actor, {
        from,
        to,
        ...(resourceId ? { resourceId } : {}),
      })
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="appointments.ics"')
        .send(text)
    },
  )

  r.post(
    '/api/appointments',
    {
      config: { action: 'appointment:book' },
      schema: {
        tags,
        summary: 'Book a slot, usually during the call; a slot already taken is a 409',
        body: bookBody,
      },
    },
    async (req, reply) =>
      reply.code(201).send(presentAppointment(await book(deps, req.actor, req.body))),
  )

  r.post(
    '/api/appointments/:id/cancel',
    {
      config: { action: 'appointment:book' },
      schema: {
        tags,
        summary: 'Cancel before it starts; the time is free again',
        params: appointmentIdParam,
        body: cancelBody,
      },
    },
    async (req) =>
      presentAppointment(await cancel(deps, req.actor, req.params.id, req.body.reason)),
  )

  r.post(
    '/api/appointments/:id/attendance',
    {
      config: { action: 'appointment:book' },
      schema: {
        tags,
        summary: 'Record that it was kept or missed, once it has started',
        params: appointmentIdParam,
        body: attendanceBody,
      },
    },
    async (req) =>
      presentAppointment(await recordAttendance(deps, req.actor, req.params.id, req.body.outcome)),
  )
}
