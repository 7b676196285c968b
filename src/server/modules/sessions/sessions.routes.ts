import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  allPresentBody,
  attendanceBody,
  belowMinimumList,
  belowMinimumQuery,
  calendarFeedQuery,
  calendarFeedReplaceBody,
  calendarFeedSchema,
  cancelRegistrationBody,
  cancelSessionBody,
  checkInBody,
  checkInCodeSchema,
  checkInResult,
  createEventBody,
  createSessionBody,
  eventList,
  eventQuery,
  eventSchema,
  myRegistrationList,
  registerBody,
  registrationCancellationSchema,
  registrationSchema,
  rosterSchema,
  sessionChangeSchema,
  sessionCreatedSchema,
  sessionList,
  sessionQuery,
  sessionSchema,
  updateEventBody,
  updateSessionBody,
} from '../../../contract/sessions.js';
import { defineRoute, paged } from '../../http/route.js';
import {
  checkIn,
  checkInCode,
  getRoster,
  markAllPresent,
  recordAttendance,
  signInSheetPdf,
} from './attendance.service.js';
import { defineExport, formatQuery, sendTable } from '../../export/routes.js';
import { recordAudit } from '../audit/audit.service.js';
import { zonedDateTime } from '../../export/tabular.js';
import {
  calendarFeed,
  createCalendarFeed,
  myCalendarFeed,
  replaceCalendarFeed,
  sessionCalendar,
} from './messages.js';
import {
  cancelRegistration,
  cancelSession,
  createSession,
  getEvent,
  getSession,
  listSessions,
  myRegistrations,
  register,
  sessionsBelowMinimum,
  updateSession,
} from './sessions.service.js';
import { createEvent, listEvents, updateEvent } from './events.service.js';

export function sessionRoutes(app: FastifyInstance): void {
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
  const events = ['Events'];
  const sessions = ['Sessions'];
  const regs = ['Registration'];
  const attendance = ['Attendance'];

  defineRoute(app, {
    method: 'GET',
    url: '/api/events',
    action: 'events.list',
    schema: {
      tags: events,
      summary: 'Events',
      querystring: eventQuery,
      response: { 200: eventList, 400: problemSchema },
    },
    handler: async (req) => {
      const { items, total } = await listEvents(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/events',
    action: 'events.create',
    schema: {
      tags: events,
      summary: 'Create an event',
      body: createEventBody,
      response: { 201: eventSchema, ...errors },
    },
    handler: async (req, reply) => {
      const e = await createEvent(req.ctx, req.body);
      reply.status(201);
      return e;
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/events/:id',
    action: 'events.read',
    schema: {
      tags: events,
      summary: 'An event with its sessions',
      params: idParams,
      response: { 200: z.object({ event: eventSchema, sessions: z.array(sessionSchema) }), ...errors },
    },
    handler: async (req) => getEvent(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'PATCH',
    url: '/api/events/:id',
    action: 'events.update',
    schema: {
      tags: events,
      summary: 'Change an event',
      params: idParams,
      body: updateEventBody,
      response: { 200: eventSchema, ...errors },
    },
    handler: async (req) => updateEvent(req.ctx, req.params.id, req.body),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions',
    action: 'sessions.list',
    schema: {
      tags: sessions,
      summary: 'Sessions, soonest first (dates read in each session’s time zone)',
      querystring: sessionQuery,
      response: { 200: sessionList, 400: problemSchema },
    },
    handler: async (req) => {
      const { items, total } = await listSessions(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });
  defineExport(app, {
    url: '/api/sessions/export',
    action: 'sessions.list',
    tags: sessions,
    summary: 'Export the sessions list (CSV or XLSX)',
    listQuery: sessionQuery,
    base: 'sessions',
    columns: [
      { header: 'Starts (local)', value: (s) => zonedDateTime(s.startsAt, s.timeZone), width: 17 },
      { header: 'Ends (local)', value: (s) => zonedDateTime(s.endsAt, s.timeZone), width: 17 },
      { header: 'Time zone', value: (s) => s.timeZone, width: 18 },
      { header: 'Course code', value: (s) => s.course.code, width: 12 },
      { header: 'Course', value: (s) => s.course.title, width: 36 },
      { header: 'Event', value: (s) => s.event.title, width: 30 },
      { header: 'Format', value: (s) => s.course.format },
      { header: 'Venue', value: (s) => s.venue, width: 24 },
      { header: 'Address', value: (s) => s.address, width: 30 },
      { header: 'Webinar link', value: (s) => s.webinarUrl, width: 30 },
      { header: 'Status', value: (s) => s.status },
      { header: 'Capacity', value: (s) => s.capacity },
      { header: 'Minimum', value: (s) => s.minimum },
      { header: 'Confirmed', value: (s) => s.confirmedCount },
      { header: 'Waitlisted', value: (s) => s.waitlistCount },
      { header: 'Seats left', value: (s) => s.seatsLeft },
      { header: 'Instructors', value: (s) => s.instructors.map((i) => i.displayName).join('; '), width: 28 },
    ],
    fetchPage: listSessions,
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/sessions',
    action: 'sessions.create',
    schema: {
      tags: sessions,
      summary: 'Schedule a session, in an existing event (`eventId`) or a new one (`event`)',
      description:
        'A new event given as `event` is created in the same transaction as the session: if the session is refused, no event is left behind. `warnings` lists what did not stop the request but should be checked (a start in the past, on `startsAt`).',
      body: createSessionBody,
      response: { 201: sessionCreatedSchema, ...errors },
    },
    handler: async (req, reply) => {
      const s = await createSession(req.ctx, req.body);
      reply.status(201);
      return s;
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/below-minimum',
    action: 'sessions.below-minimum',
    schema: {
      tags: sessions,
      summary: 'Sessions still below their minimum with the registration cut-off passed or within N days',
      querystring: belowMinimumQuery,
      response: { 200: belowMinimumList, 400: problemSchema },
    },
    handler: async (req) => ({ items: await sessionsBelowMinimum(req.ctx, req.query.withinDays) }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/:id',
    action: 'sessions.read',
    schema: {
      tags: sessions,
      summary: 'One session, with seats left and the viewer’s waitlist position',
      params: idParams,
      response: { 200: sessionSchema, ...errors },
    },
    handler: async (req) => getSession(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/:id/calendar.ics',
    // Whoever may see the session may take it home as a calendar file.
    action: 'sessions.read',
    schema: {
      tags: sessions,
      summary: 'The session as an iCalendar (.ics) file',
      description:
        'One VEVENT with the same UID as the session e-mails and the current SEQUENCE (the session’s, plus the viewer’s registration revision), TZID with a VTIMEZONE; METHOD:PUBLISH, or METHOD:CANCEL once the session is cancelled.',
      params: idParams,
      response: { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const { ics, filename } = await sessionCalendar(req.ctx, req.params.id);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-cache')
        .send(ics);
    },
  });
  defineRoute(app, {
    method: 'PATCH',
    url: '/api/sessions/:id',
    action: 'sessions.update',
    schema: {
      tags: sessions,
      summary: 'Change a session',
      description:
        'Every change increases the calendar SEQUENCE. A raised capacity promotes from the waitlist at once (the answer lists who, in `promoted`); a capacity below the confirmed count is refused with 409. Changed time or place e-mails the new calendar entry to everyone confirmed.',
      params: idParams,
      body: updateSessionBody,
      response: { 200: sessionChangeSchema, ...errors },
    },
    handler: async (req) => updateSession(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/sessions/:id/cancel',
    action: 'sessions.cancel',
    schema: {
      tags: sessions,
      summary: 'Cancel a session (e-mails METHOD:CANCEL to everyone registered)',
      params: idParams,
      body: cancelSessionBody,
      response: { 200: sessionSchema, ...errors },
    },
    handler: async (req) => cancelSession(req.ctx, req.params.id, req.body.reason),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/sessions/:id/registrations',
    action: 'registrations.create',
    schema: {
      tags: regs,
      summary: 'Register yourself, or (coordinators) someone else; a full session waitlists',
      params: idParams,
      body: registerBody,
      response: { 201: registrationSchema, ...errors },
    },
    handler: async (req, reply) => {
      const r = await register(req.ctx, req.params.id, req.body.personId);
      reply.status(201);
      return r;
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/registrations/:id/cancel',
    action: 'registrations.cancel',
    schema: {
      tags: regs,
      summary:
        'Cancel a registration; the first eligible waitlisted person is promoted (listed in `promoted`)',
      params: idParams,
      body: cancelRegistrationBody,
      response: { 200: registrationCancellationSchema, ...errors },
    },
    handler: async (req) => cancelRegistration(req.ctx, req.params.id, req.body.reason),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/registrations',
    action: 'registrations.read.own',
    schema: { tags: regs, summary: 'My sessions', response: { 200: myRegistrationList } },
    handler: async (req) => ({ items: await myRegistrations(req.ctx) }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/:id/roster',
    action: 'roster.read',
    schema: {
      tags: attendance,
      summary: 'Roster (instructors of the session, coordinators, administrators)',
      params: idParams,
      response: { 200: rosterSchema, ...errors },
    },
    handler: async (req) => getRoster(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/:id/roster/export',
    action: 'roster.read',
    schema: {
      tags: attendance,
      summary: 'The roster as CSV or XLSX: confirmed, then the waitlist in order, with attendance',
      params: idParams,
      querystring: z.strictObject(formatQuery),
      response: { 400: problemSchema, 403: problemSchema, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const roster = await getRoster(req.ctx, req.params.id);
      const rows = [...roster.confirmed, ...roster.waitlisted];
      await recordAudit(req.ctx.db, req.ctx, {
        action: 'list.export',
        entityType: 'roster',
        entityId: req.params.id,
        after: { format: req.query.format, rows: rows.length },
      });
      return sendTable(reply, req.ctx, {
        format: req.query.format,
        base: `roster-${roster.session.course.code}`,
        sheet: 'roster',
        rows,
        columns: [
          { header: 'Name', value: (r) => r.displayName, width: 24 },
          { header: 'E-mail', value: (r) => r.email, width: 30 },
          { header: 'Title', value: (r) => r.title, width: 22 },
          { header: 'County', value: (r) => r.jurisdiction, width: 16 },
          { header: 'Status', value: (r) => r.status },
          { header: 'Waitlist position', value: (r) => r.waitlistPosition },
          {
            header: 'Registered at',
            value: (r) => zonedDateTime(r.joinedAt, roster.session.timeZone),
            width: 17,
          },
          {
            header: 'Checked in at',
            value: (r) => zonedDateTime(r.checkedInAt, roster.session.timeZone),
            width: 17,
          },
          { header: 'Minutes attended', value: (r) => r.minutesAttended },
          { header: 'Credits', value: (r) => r.credits },
        ],
      });
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/:id/sign-in-sheet',
    action: 'roster.read',
    schema: {
      tags: attendance,
      summary: 'Printable PDF sign-in sheet',
      params: idParams,
      response: { 403: problemSchema, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const pdf = await signInSheetPdf(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="sign-in-${req.params.id}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/sessions/:id/attendance/all-present',
    action: 'attendance.record',
    schema: {
      tags: attendance,
      summary: 'Mark everyone confirmed (and not yet recorded) present for the full course',
      params: idParams,
      body: allPresentBody,
      response: { 200: rosterSchema, ...errors },
    },
    handler: async (req) => markAllPresent(req.ctx, req.params.id, req.body.onlyCheckedIn),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/api/sessions/:id/attendance',
    action: 'attendance.record',
    schema: {
      tags: attendance,
      summary: 'Record minutes attended; credits are written (or corrected) in the same transaction',
      params: idParams,
      body: attendanceBody,
      response: { 200: rosterSchema, ...errors },
    },
    handler: async (req) => recordAttendance(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/:id/check-in-code',
    action: 'sessions.check-in-code.read',
    schema: {
      tags: attendance,
      summary: 'The QR check-in code (URL, SVG and PNG)',
      params: idParams,
      response: { 200: checkInCodeSchema, ...errors },
    },
    handler: async (req) => checkInCode(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/sessions/:id/check-in',
    action: 'sessions.check-in',
    schema: {
      tags: attendance,
      summary: 'Check in with the code from the QR (signed-in officials)',
      params: idParams,
      body: checkInBody,
      response: { 200: checkInResult, ...errors },
    },
    handler: async (req) => checkIn(req.ctx, req.params.id, req.body.code),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/me/calendar-feed',
    action: 'calendar.feed.view',
    schema: {
      tags: regs,
      summary: 'My private calendar feed address, if I have one (the same on every device)',
      response: { 200: calendarFeedSchema },
    },
    handler: async (req, reply) =>
      reply.header('cache-control', 'private, no-store').send(await myCalendarFeed(req.ctx)),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/me/calendar-feed',
    action: 'calendar.feed.create',
    schema: {
      tags: regs,
      summary: 'Get my private calendar feed address, making one if I have none (never replaces one)',
      response: { 200: calendarFeedSchema },
    },
    handler: async (req, reply) =>
      reply.header('cache-control', 'private, no-store').send(await createCalendarFeed(req.ctx)),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/me/calendar-feed/replace',
    action: 'calendar.feed.replace',
    schema: {
      tags: regs,
      summary: 'Replace my calendar feed address; the old one stops working on every device (confirmed)',
      body: calendarFeedReplaceBody,
      response: { 200: calendarFeedSchema, ...errors },
    },
    handler: async (req, reply) =>
      reply.header('cache-control', 'private, no-store').send(await replaceCalendarFeed(req.ctx)),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/calendar-feed',
    action: 'calendar.feed.read',
    schema: {
      tags: regs,
      summary: 'A private iCalendar feed of my sessions (secret token in the URL, no cookie)',
      querystring: calendarFeedQuery,
      response: { 400: problemSchema, 404: problemSchema },
    },
    handler: async (req, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(await calendarFeed(req.ctx, req.query.token)),
  });
}
