import { z } from 'zod';
import { optionalText, pageInfo, pageQuery, text, uuidSchema } from './common.js';
import { courseFormats } from './catalog.js';
import { eventKinds } from '../domain/ceremonies/index.js';

export const sessionStatuses = ['scheduled', 'full', 'cancelled', 'completed'] as const;
export const registrationStatuses = ['confirmed', 'waitlisted', 'cancelled'] as const;

const instant = (label: string) =>
  z.iso.datetime({
    offset: true,
    message: `${label} must be a date and time like 2027-04-12T09:00:00-05:00.`,
  });
const localDate = (label: string) => z.iso.date({ message: `${label} must be a date like 2027-01-31.` });
const timeZone = z
  .string({ message: 'Time zone must be text.' })
  .trim()
  .max(60, { message: 'Time zone must be at most 60 characters.' })
  .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, {
    message: 'Time zone must be an IANA name like America/Chicago.',
  });
const url = z
  .url({ message: 'Webinar link must be a web address (https://…).', protocol: /^https?$/ })
  .max(500, { message: 'Webinar link must be at most 500 characters.' })
  .nullish()
  .transform((v) => v ?? null);
const seats = (label: string, min: number) =>
  z
    .number({ message: `${label} must be a number.` })
    .int({ message: `${label} must be a whole number.` })
    .min(min, { message: `${label} must be at least ${min}.` })
    .max(10_000, { message: `${label} must be at most 10000.` });

// ---------------------------------------------------------------- events

const heldOn = localDate('Date');

export const eventSchema = z
  .object({
    id: z.string(),
    programId: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    /** class, conference or ceremony; only a conference or ceremony carries awards. */
    kind: z.enum(eventKinds),
    /** A ceremony's or conference's own date (local), when it has one. */
    heldOn: z.string().nullable(),
    /** The session a ceremony follows (e.g. right after a Year Three session). */
    followsSession: z
      .object({
        id: z.string(),
        courseCode: z.string(),
        courseTitle: z.string(),
        endsAt: z.string(),
        timeZone: z.string(),
      })
      .nullable(),
    /** The local day the event takes place: its own date, else the day of the session it follows, else of its first session. */
    day: z.string().nullable(),
    /** Awards made at the event (current certificates only). */
    awardCount: z.number().int(),
    sessionCount: z.number().int(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
  })
  .meta({ id: 'Event' });
export type Event = z.infer<typeof eventSchema>;

export const createEventBody = z.strictObject({
  title: text(200, 'Title'),
  description: z
    .string({ message: 'Description must be text.' })
    .trim()
    .max(4000, { message: 'Description must be at most 4000 characters.' })
    .default(''),
  programId: uuidSchema.nullish().transform((v) => v ?? null),
  kind: z.enum(eventKinds, { message: 'Kind must be class, conference or ceremony.' }).default('class'),
  heldOn: heldOn.nullish().transform((v) => v ?? null),
  followsSessionId: uuidSchema.nullish().transform((v) => v ?? null),
});
export const updateEventBody = z.strictObject({
  title: text(200, 'Title').optional(),
  description: z
    .string({ message: 'Description must be text.' })
    .trim()
    .max(4000, { message: 'Description must be at most 4000 characters.' })
    .optional(),
  kind: z.enum(eventKinds, { message: 'Kind must be class, conference or ceremony.' }).optional(),
  /** null clears the date. */
  heldOn: heldOn.nullable().optional(),
  /** null unpairs the ceremony from its session. */
  followsSessionId: uuidSchema.nullable().optional(),
});
export const eventQuery = z.strictObject({
  q: z.string().trim().max(100, { message: 'Search text must be at most 100 characters.' }).optional(),
  kind: z.enum(eventKinds, { message: 'Kind must be class, conference or ceremony.' }).optional(),
  ...pageQuery,
});
export const eventList = z.object({ items: z.array(eventSchema), page: pageInfo });

// ---------------------------------------------------------------- sessions

/** What the signed-in actor may do to a registration (src/domain/authz/policies.ts, registrationAbilities). */
export const registrationAbilitiesSchema = z
  .object({ cancel: z.boolean() })
  .meta({ id: 'RegistrationAbilities' });

/** What the signed-in actor may do to a session (src/domain/authz/policies.ts, sessionAbilities). */
export const sessionAbilitiesSchema = z
  .object({
    registerSelf: z.boolean(),
    readRoster: z.boolean(),
    recordAttendance: z.boolean(),
    readCheckInCode: z.boolean(),
    update: z.boolean(),
    updateEvent: z.boolean(),
    cancel: z.boolean(),
    registerOthers: z.boolean(),
  })
  .meta({ id: 'SessionAbilities' });

export const myRegistrationSchema = z.object({
  id: z.string(),
  status: z.enum(registrationStatuses),
  waitlistPosition: z.number().int().nullable(),
  abilities: registrationAbilitiesSchema,
});

export const sessionSchema = z
  .object({
    id: z.string(),
    abilities: sessionAbilitiesSchema,
    event: z.object({ id: z.string(), title: z.string() }),
    course: z.object({
      id: z.string(),
      code: z.string(),
      title: z.string(),
      format: z.enum(courseFormats),
      durationMinutes: z.number().int(),
      renewal: z.boolean(),
      programId: z.string().nullable(),
      programName: z.string().nullable(),
      description: z.string(),
      /** Credit per category, named as the program's definition names it ("Budgeting and finance"). */
      credits: z.array(z.object({ category: z.string(), categoryName: z.string(), amount: z.number() })),
      /**
       * The requirements a completion counts toward: for a viewer enrolled in the program, of the
       * rules version they are judged by; otherwise of the version in force.
       */
      countsToward: z.array(z.object({ id: z.string(), title: z.string(), renewal: z.boolean() })),
      /** The viewer is enrolled in the course's program (so countsToward is theirs). */
      viewerEnrolled: z.boolean(),
    }),
    startsAt: z.string(),
    endsAt: z.string(),
    timeZone: z.string(),
    venue: z.string().nullable(),
    address: z.string().nullable(),
    webinarUrl: z.string().nullable(),
    capacity: z.number().int(),
    minimum: z.number().int(),
    registrationOpensAt: z.string().nullable(),
    registrationClosesAt: z.string().nullable(),
    instructors: z.array(z.object({ personId: z.string(), displayName: z.string() })),
    status: z.enum(sessionStatuses),
    confirmedCount: z.number().int(),
    waitlistCount: z.number().int(),
    seatsLeft: z.number().int(),
    sequence: z.number().int(),
    /** The signed-in viewer's own registration, if any. */
    myRegistration: myRegistrationSchema.nullable(),
    /** The viewer has already completed this course (net approved credit with its code). */
    myCourseCompleted: z.boolean(),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof sessionSchema>;

const sessionFields = {
  startsAt: instant('Start'),
  endsAt: instant('End'),
  timeZone,
  venue: optionalText(200, 'Venue'),
  address: optionalText(300, 'Address'),
  webinarUrl: url,
  capacity: seats('Capacity', 1),
  minimum: seats('Minimum', 0),
  registrationOpensAt: instant('Registration opening')
    .nullish()
    .transform((v) => v ?? null),
  registrationClosesAt: instant('Registration closing')
    .nullish()
    .transform((v) => v ?? null),
  instructorIds: z
    .array(uuidSchema, { message: 'Instructors must be a list of person ids.' })
    .max(20, { message: 'At most 20 instructors.' }),
};

export const createSessionBody = z.strictObject({
  /** An existing event; or give `event` instead to create one with the session, in one transaction. */
  eventId: uuidSchema.optional(),
  event: createEventBody.optional(),
  courseId: uuidSchema,
  ...sessionFields,
  minimum: sessionFields.minimum.default(0),
  instructorIds: sessionFields.instructorIds.default([]),
});
/** Something to check that did not stop the change, on the field it is about. */
export const fieldWarningSchema = z
  .object({ field: z.string(), message: z.string() })
  .meta({ id: 'FieldWarning' });
/** The answer to POST /api/sessions: the new session and anything to check (a start in the past). */
export const sessionCreatedSchema = sessionSchema
  .extend({ warnings: z.array(fieldWarningSchema) })
  .meta({ id: 'SessionCreated' });
export type SessionCreated = z.infer<typeof sessionCreatedSchema>;
export const updateSessionBody = z.strictObject({
  startsAt: sessionFields.startsAt.optional(),
  endsAt: sessionFields.endsAt.optional(),
  timeZone: timeZone.optional(),
  venue: optionalText(200, 'Venue').optional(),
  address: optionalText(300, 'Address').optional(),
  webinarUrl: url.optional(),
  capacity: sessionFields.capacity.optional(),
  minimum: sessionFields.minimum.optional(),
  registrationOpensAt: instant('Registration opening').nullish(),
  registrationClosesAt: instant('Registration closing').nullish(),
  instructorIds: sessionFields.instructorIds.optional(),
});
export const cancelSessionBody = z.strictObject({ reason: text(500, 'Reason') });

/** Someone moved from the waitlist to a confirmed seat by the change just made (and e-mailed). */
export const promotedPersonSchema = z
  .object({ registrationId: z.string(), personId: z.string(), displayName: z.string() })
  .meta({ id: 'PromotedPerson' });
export type PromotedPerson = z.infer<typeof promotedPersonSchema>;
/** The answer to PATCH /api/sessions/:id: the session as it is now, and who the change promoted. */
export const sessionChangeSchema = sessionSchema
  .extend({
    /** Promoted from the waitlist by this change, in waitlist order (raised capacity). */
    promoted: z.array(promotedPersonSchema),
    /** Still waitlisted after the change although a seat was free (not eligible yet). */
    skipped: z.array(promotedPersonSchema),
  })
  .meta({ id: 'SessionChange' });
export type SessionChange = z.infer<typeof sessionChangeSchema>;

export const sessionQuery = z.strictObject({
  q: z.string().trim().max(100, { message: 'Search text must be at most 100 characters.' }).optional(),
  from: localDate('From').optional(),
  to: localDate('To').optional(),
  eventId: uuidSchema.optional(),
  courseId: uuidSchema.optional(),
  programId: uuidSchema.optional(),
  status: z
    .enum(sessionStatuses, { message: 'Status must be scheduled, full, cancelled or completed.' })
    .optional(),
  ...pageQuery,
});
export type SessionQuery = z.infer<typeof sessionQuery>;
export const sessionList = z.object({ items: z.array(sessionSchema), page: pageInfo });

export const belowMinimumQuery = z.strictObject({
  withinDays: z.coerce
    .number({ message: 'Days must be a whole number.' })
    .int({ message: 'Days must be a whole number.' })
    .min(0, { message: 'Days must be at least 0.' })
    .max(365, { message: 'Days must be at most 365.' })
    .default(7),
});
export const belowMinimumList = z.object({
  items: z.array(
    z.object({
      session: sessionSchema,
      cutoff: z.string(),
      cutoffPassed: z.boolean(),
      shortBy: z.number().int(),
    }),
  ),
});

// ---------------------------------------------------------------- registrations

export const registrationSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    person: z.object({ id: z.string(), displayName: z.string() }),
    status: z.enum(registrationStatuses),
    joinedAt: z.string(),
    confirmedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    waitlistPosition: z.number().int().nullable(),
  })
  .meta({ id: 'Registration' });
export type Registration = z.infer<typeof registrationSchema>;

export const registerBody = z.strictObject({
  /** Someone else (coordinators and administrators only); yourself when absent. */
  personId: uuidSchema.optional(),
});
export const cancelRegistrationBody = z.strictObject({
  reason: optionalText(500, 'Reason'),
});
/** The answer to POST /api/registrations/:id/cancel: the cancelled registration and who got the seat. */
export const registrationCancellationSchema = registrationSchema
  .extend({
    promoted: z.array(promotedPersonSchema),
    skipped: z.array(promotedPersonSchema),
  })
  .meta({ id: 'RegistrationCancellation' });
export type RegistrationCancellation = z.infer<typeof registrationCancellationSchema>;

export const myRegistrationItem = z.object({
  registration: registrationSchema,
  session: sessionSchema,
  /** Minutes recorded for you, and why they earned less than full credit (null when complete). */
  attendance: z.object({ minutesAttended: z.number().int().nullable(), creditNote: z.string().nullable() }),
  /**
   * For a confirmed seat in a session not started yet, where you stand on its course's
   * prerequisites (ADR 0033): provisional, resting on an earlier seat, or not yet met; else null.
   */
  prerequisite: z.string().nullable(),
});
export const myRegistrationList = z.object({ items: z.array(myRegistrationItem) });

// ---------------------------------------------------------------- roster and attendance

export const rosterEntrySchema = z
  .object({
    registrationId: z.string(),
    abilities: registrationAbilitiesSchema,
    personId: z.string(),
    displayName: z.string(),
    email: z.string(),
    title: z.string().nullable(),
    jurisdiction: z.string().nullable(),
    status: z.enum(registrationStatuses),
    waitlistPosition: z.number().int().nullable(),
    joinedAt: z.string(),
    checkedInAt: z.string().nullable(),
    minutesAttended: z.number().int().nullable(),
    /** Net credit this registration has in the ledger. */
    credits: z.number(),
    /** Why the minutes recorded earned less than full credit (the completion rule), or null. */
    creditNote: z.string().nullable(),
    /**
     * Where the person stands on the course's prerequisites (ADR 0033): "Provisional: rests on a
     * seat in …" or "Prerequisite not yet met: …"; null when they are completed or there are none.
     */
    prerequisite: z.string().nullable(),
  })
  .meta({ id: 'RosterEntry' });

export const rosterSchema = z
  .object({
    session: sessionSchema,
    confirmed: z.array(rosterEntrySchema),
    waitlisted: z.array(rosterEntrySchema),
  })
  .meta({ id: 'Roster' });

export const allPresentBody = z.strictObject({
  /** Only people who checked in with the QR code (default: everyone confirmed without a record yet). */
  onlyCheckedIn: z.boolean({ message: 'Only checked in must be true or false.' }).default(false),
});
export const attendanceBody = z.strictObject({
  entries: z
    .array(
      z.strictObject({
        registrationId: uuidSchema,
        minutesAttended: z
          .number({ message: 'Minutes attended must be a number.' })
          .int({ message: 'Minutes attended must be a whole number.' })
          .min(0, { message: 'Minutes attended cannot be negative.' })
          .max(10_080, { message: 'Minutes attended must be at most 10080.' }),
        /**
         * The minutes this device last read from the server for this registration (null: no record
         * yet). When given and the server's value has changed since, the entry is a conflict: 409
         * naming it, and nothing in the request is saved. Offline check-in sends it.
         */
        expectedMinutes: z
          .number({ message: 'Expected minutes must be a number or null.' })
          .int({ message: 'Expected minutes must be a whole number.' })
          .min(0, { message: 'Expected minutes cannot be negative.' })
          .max(10_080, { message: 'Expected minutes must be at most 10080.' })
          .nullable()
          .optional(),
      }),
      { message: 'Entries must be a list.' },
    )
    .min(1, { message: 'Send at least one entry.' })
    .max(1000, { message: 'At most 1000 entries at once.' }),
});

export const checkInBody = z.strictObject({
  code: z
    .string({ message: 'Code must be text.' })
    .trim()
    .min(1, { message: 'Code is required.' })
    .max(100, { message: 'Code must be at most 100 characters.' }),
  /**
   * When the code was scanned, for a check-in queued on a phone without a network and sent
   * later. It must fall in the check-in window, not be in the future, and be at most 7 days old;
   * without it the check-in is dated when it arrives.
   */
  scannedAt: z.iso
    .datetime({ offset: true, message: 'Scanned at must be a date and time, e.g. 2027-03-02T09:05:00Z.' })
    .optional(),
});
export const checkInResult = z.object({
  registrationId: z.string(),
  checkedInAt: z.string(),
  /** The session's zone, for showing the check-in time in it. */
  timeZone: z.string(),
});
export const checkInCodeSchema = z.object({
  url: z.string(),
  code: z.string(),
  svg: z.string(),
  pngDataUrl: z.string(),
});

// ---------------------------------------------------------------- calendar feed

/**
 * The signed-in person's private feed. `url` is null before a feed exists (createdAt null too), and
 * for a feed made before addresses could be shown again (createdAt set): replacing it makes one that can.
 */
export const calendarFeedSchema = z.object({ url: z.string().nullable(), createdAt: z.string().nullable() });
/** Replacing the address is confirmed: the old address stops working on every device. */
export const calendarFeedReplaceBody = z.strictObject({
  confirm: z.literal(true, {
    message: 'Confirm that the old calendar address should stop working on every device that uses it.',
  }),
});
export const calendarFeedQuery = z.strictObject({
  token: z
    .string({ message: 'Token is required.' })
    .regex(/^[A-Za-z0-9_-]{20,100}$/, { message: 'Token is not valid.' }),
});
