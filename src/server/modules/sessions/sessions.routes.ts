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
import { defineRoute, fileResponse, mediaTypes, paged } from '../../http/route.js';
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
      operationId: 'listEvents',
      description:
        'Returns one page of events (classes, conferences, ceremonies) that hold sessions and awards.',
      tags: events,
      summary: 'List events',
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
      operationId: 'createEvent',
      description:
        'Creates an event (a class, conference or ceremony) to hold sessions or awards. Returns the event (201).',
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
      operationId: 'getEvent',
      description: 'Returns the event and its sessions.',
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
      operationId: 'updateEvent',
      description: 'Changes the event and returns it.',
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
      operationId: 'listSessions',
      description:
        "Returns one page of scheduled sessions, soonest first, with seats left; dates are read in each session's own time zone.",
      tags: sessions,
      summary: 'List sessions',
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
    operationId: 'exportSessions',
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
      operationId: 'createSession',
      tags: sessions,
      summary: 'Schedule a session',
      description:
        'Schedules the session in an existing event (`eventId`) or a new one (`event`). A new event given as `event` is created in the same transaction as the session: if the session is refused, no event is left behind. `warnings` lists what did not stop the request but should be checked (a start in the past, on `startsAt`).',
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
      operationId: 'listSessionsBelowMinimum',
      description:
        'Sessions still below their minimum enrollment whose registration cut-off has passed or falls within the next N days, so coordinators can decide to cancel.',
      tags: sessions,
      summary: 'Sessions below their minimum',
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
      operationId: 'getSession',
      description:
        "Returns the session with its course and event, seats left and the caller's waitlist position, if any.",
      tags: sessions,
      summary: 'One session',
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
      operationId: 'getSessionCalendar',
      tags: sessions,
      summary: 'The session as an iCalendar file',
      description:
        'One VEVENT with the same UID as the session e-mails and the current SEQUENCE (the session’s, plus the viewer’s registration revision), TZID with a VTIMEZONE; METHOD:PUBLISH, or METHOD:CANCEL once the session is cancelled.',
      params: idParams,
      response: {
        200: fileResponse('The session as an iCalendar file', mediaTypes.ics),
        400: problemSchema,
        401: problemSchema,
        403: problemSchema,
        404: problemSchema,
      },
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
      operationId: 'updateSession',
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
      operationId: 'cancelSession',
      description:
        'Cancels the session: everyone registered is e-mailed a calendar cancellation (METHOD:CANCEL). Returns the session.',
      tags: sessions,
      summary: 'Cancel a session',
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
      operationId: 'registerForSession',
      description:
        'Registers the signed-in official, or (coordinators) someone else, checking eligibility and cut-off. A full session puts the person on the waitlist. Returns the registration (201).',
      tags: regs,
      summary: 'Register for a session',
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
      operationId: 'cancelRegistration',
      description:
        'Cancels the registration. The first eligible person on the waitlist takes the seat; they are listed in `promoted`.',
      tags: regs,
      summary: 'Cancel a registration',
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
    schema: {
      operationId: 'listMyRegistrations',
      description: "Returns the signed-in person's registrations with their sessions.",
      tags: regs,
      summary: 'My sessions',
      response: { 200: myRegistrationList },
    },
    handler: async (req) => ({ items: await myRegistrations(req.ctx) }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/sessions/:id/roster',
    action: 'roster.read',
    schema: {
      operationId: 'getRoster',
      description:
        "Returns the confirmed registrations, then the waitlist in order, with attendance recorded so far. For the session's instructors, coordinators and administrators.",
      tags: attendance,
      summary: "A session's roster",
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
      operationId: 'exportRoster',
      description:
        'The roster as an attachment, CSV (`format=csv`) or XLSX (`format=xlsx`): confirmed registrations, then the waitlist in order, with attendance.',
      tags: attendance,
      summary: "Export a session's roster",
      params: idParams,
      querystring: z.strictObject(formatQuery),
      response: {
        200: fileResponse('The roster as a file', mediaTypes.csv, mediaTypes.xlsx),
        400: problemSchema,
        403: problemSchema,
        404: problemSchema,
      },
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
      operationId: 'getSignInSheet',
      description: "A printable PDF sign-in sheet of the session's confirmed registrations.",
      tags: attendance,
      summary: 'Printable PDF sign-in sheet',
      params: idParams,
      response: {
        200: fileResponse('The sign-in sheet', mediaTypes.pdf),
        403: problemSchema,
        404: problemSchema,
      },
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
      operationId: 'markAllPresent',
      description:
        'Marks every confirmed registration without attendance present for the full course length; credits are written in the same transaction. Returns the roster.',
      tags: attendance,
      summary: 'Mark everyone present',
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
      operationId: 'recordAttendance',
      description:
        'Records minutes attended per registration; credits are written, or corrected, in the same transaction. Returns the roster.',
      tags: attendance,
      summary: 'Record attendance',
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
      operationId: 'getCheckInCode',
      description:
        "Returns the session's check-in URL and code, as an SVG and a PNG QR code to show in the room.",
      tags: attendance,
      summary: "The session's QR check-in code",
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
      operationId: 'checkIn',
      description:
        'The signed-in official checks in to a session with the code from the QR shown in the room. Returns the registration and the check-in time.',
      tags: attendance,
      summary: 'Check in to a session',
      params: idParams,
      body: checkInBody,
      response: { 200: checkInResult, ...errors },
    },
    handler: async (req) => checkIn(req.ctx, req.params.id, req.body.code, req.body.scannedAt),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/me/calendar-feed',
    action: 'calendar.feed.view',
    schema: {
      operationId: 'getMyCalendarFeed',
      description:
        "The signed-in person's private calendar feed address, the same on every device; url and createdAt are null before one is made.",
      tags: regs,
      summary: 'Read my calendar feed address',
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
      operationId: 'createMyCalendarFeed',
      description:
        "Returns the signed-in person's private iCalendar feed address, making one if they have none. It never replaces an existing address (see replaceMyCalendarFeed); url is null for a feed made before addresses could be shown again.",
      tags: regs,
      summary: 'Get my calendar feed address',
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
      operationId: 'replaceMyCalendarFeed',
      description:
        'Makes a new private calendar feed address; the old one stops working on every device. The body must confirm it ({"confirm": true}). Audited.',
      tags: regs,
      summary: 'Replace my calendar feed address',
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
      operationId: 'getCalendarFeed',
      description:
        'An iCalendar feed of the sessions of the person the secret `token` belongs to, for calendar apps: the token in the URL is the only credential, no cookie.',
      tags: regs,
      summary: 'A private calendar feed',
      querystring: calendarFeedQuery,
      response: {
        200: fileResponse('The calendar feed', mediaTypes.ics),
        400: problemSchema,
        404: problemSchema,
      },
    },
    handler: async (req, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(await calendarFeed(req.ctx, req.query.token)),
  });
}
