import { z } from 'zod';
import { uuidSchema } from './common.js';

const localDate = (label: string) => z.iso.date({ message: `${label} must be a date like 2027-06-30.` });

export const planQuery = z.strictObject({
  programId: uuidSchema.optional(),
  /** Plan only sessions on or before this day (program time zone). */
  by: localDate('By').optional(),
});

export const missingReasons = ['no_session', 'no_seats', 'registration_closed', 'after_deadline'] as const;

export const planSessionSchema = z.object({
  id: z.string(),
  courseCode: z.string(),
  courseTitle: z.string(),
  eventTitle: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  /** The program-local date its credit will be recorded on. */
  date: z.string(),
  venue: z.string().nullable(),
  address: z.string().nullable(),
  online: z.boolean(),
  credits: z.number(),
  seatsFree: z.number().int(),
  /** The official already holds a seat. */
  registered: z.boolean(),
  /** Why registering now would be refused (a prerequisite the plan completes first), if it would. */
  registerAfter: z.string().nullable(),
  /** In the official's county, online, or at a venue they already go to. */
  near: z.boolean(),
});

export const programPlanSchema = z.object({
  program: z.object({ id: z.string(), code: z.string(), name: z.string(), timeZone: z.string() }),
  status: z.string(),
  outcome: z.enum(['done', 'planned', 'none']),
  by: z.string().nullable(),
  finishesOn: z.string().nullable(),
  /** False when the search stopped at its budget: a plan, but perhaps not the best one. */
  exact: z.boolean(),
  sessions: z.array(planSessionSchema),
  missing: z.array(
    z.object({
      courseCode: z.string(),
      courseTitle: z.string(),
      reason: z.enum(missingReasons),
      message: z.string(),
    }),
  ),
});

export const planSchema = z.object({
  asOf: z.string(),
  personId: z.string(),
  programs: z.array(programPlanSchema),
});
export type Plan = z.infer<typeof planSchema>;

export const planRegistrationsBody = z.strictObject({
  sessionIds: z
    .array(uuidSchema, { message: 'Session ids must be a list.' })
    .min(1, { message: 'Give at least one session.' })
    .max(30, { message: 'Give at most 30 sessions at a time.' }),
});

export const planRegistrationsResult = z.object({
  results: z.array(
    z.object({
      sessionId: z.string(),
      outcome: z.enum(['confirmed', 'waitlisted', 'refused']),
      waitlistPosition: z.number().int().nullable(),
      message: z.string(),
    }),
  ),
});
export type PlanRegistrations = z.infer<typeof planRegistrationsResult>;

export const shortfallQuery = z.strictObject({
  programId: uuidSchema,
  /** The last day (program time zone) whose sessions count; default 90 days from today. */
  by: localDate('By').optional(),
});

export const shortfallSchema = z.object({
  program: z.object({ id: z.string(), name: z.string() }),
  by: z.string(),
  officials: z.number().int(),
  courses: z.array(
    z.object({
      /** The course in the catalog (null for a code the rules name but the catalog lacks). */
      courseId: z.string().nullable(),
      courseCode: z.string(),
      courseTitle: z.string(),
      /** Officials whose unmet requirements name this course and who hold no seat in it. */
      need: z.number().int(),
      freeSeats: z.number().int(),
      sessions: z.number().int(),
      short: z.number().int(),
      /** The seats of the course's latest session, the size a new one would likely have; null with none. */
      sessionSize: z.number().int().nullable(),
      /** "12 officials still need KS-Y2-01 and 4 seats remain by June 30, 2027: schedule at least 1 more session of 30." */
      message: z.string(),
    }),
  ),
});
export type Shortfall = z.infer<typeof shortfallSchema>;
