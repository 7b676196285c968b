import { z } from 'zod';
import { pageInfo, pageQuery, uuidSchema } from './common.js';

export const auditQuery = z.strictObject({
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(100).optional(),
  from: z.iso.date({ message: 'From must be a date like 2026-01-31.' }).optional(),
  to: z.iso.date({ message: 'To must be a date like 2026-01-31.' }).optional(),
  ...pageQuery,
});

export const auditEntry = z
  .object({
    id: z.string(),
    at: z.string(),
    actorUserId: z.string().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    /** Whom or what the entry is about, by name ("Dana Kessler" for a person or their account); null when unknown. */
    entityLabel: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export const auditList = z.object({ items: z.array(auditEntry), page: pageInfo });

export const outboxQuery = z.strictObject({
  to: z.string().trim().max(254).optional(),
  ...pageQuery,
});
export const outboxMessage = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    /** The HTML part is read from GET /api/outbox/{id}/html (sandboxed, links' secrets hidden). */
    hasHtml: z.boolean(),
    /** Each file the message carried, downloaded from GET /api/outbox/{id}/attachments/{index}. */
    attachments: z.array(
      z.object({
        index: z.number().int(),
        filename: z.string(),
        contentType: z.string(),
        size: z.number().int(),
      }),
    ),
    status: z.enum(['queued', 'sent', 'stored', 'failed']),
    sentAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'OutboxMessage' });
export const outboxAttachmentParams = z.strictObject({
  id: uuidSchema,
  index: z.coerce.number().int().min(0).max(99),
});
export const outboxList = z.object({ items: z.array(outboxMessage), page: pageInfo });

const named = z.object({ id: z.string(), displayName: z.string() });

/** A session as the dashboard lists it (the session page has the rest). */
export const dashboardSession = z.object({
  id: z.string(),
  course: z.object({ code: z.string(), title: z.string() }),
  event: z.object({ title: z.string() }),
  startsAt: z.string(),
  timeZone: z.string(),
  venue: z.string().nullable(),
  capacity: z.number().int(),
  minimum: z.number().int(),
  confirmedCount: z.number().int(),
  waitlistCount: z.number().int(),
  instructors: z.array(z.object({ personId: z.string(), displayName: z.string() })),
});
const programRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

/** A reviewer's section: claims waiting for review in the programs they review, the oldest first. */
export const reviewerDashboard = z.object({
  waiting: z.number().int(),
  oldest: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      typeLabel: z.string(),
      person: named,
      program: programRef,
      submittedAt: z.string().nullable(),
      waitingDays: z.number().int().nullable(),
    }),
  ),
});

/** An instructor's section: the next sessions they teach, each with its roster. */
export const instructorDashboard = z.object({
  sessions: z.array(
    z.object({
      session: dashboardSession,
      roster: z.array(
        z.object({
          personId: z.string(),
          displayName: z.string(),
          county: z.string().nullable(),
          status: z.enum(['confirmed', 'waitlisted']),
        }),
      ),
    }),
  ),
});

/** A coordinator's section: sessions below their minimum, enrollment requests and waitlists. */
export const coordinatorDashboard = z.object({
  belowMinimum: z.array(
    z.object({ session: dashboardSession, cutoff: z.string(), shortBy: z.number().int() }),
  ),
  enrollmentRequests: z.array(
    z.object({ id: z.string(), person: named, program: programRef, requestedAt: z.string().nullable() }),
  ),
  enrollmentRequestsTotal: z.number().int(),
  waitlists: z.array(dashboardSession),
});

/** An administrator's section: awards due (people eligible and not yet awarded) and e-mails that failed. */
export const administratorDashboard = z.object({
  awardsDue: z.array(
    z.object({
      person: named.extend({ county: z.string().nullable() }),
      program: programRef.extend({ designation: z.string() }),
      eligibleOn: z.string().nullable(),
      applyBy: z.string().nullable(),
    }),
  ),
  awardsDueTotal: z.number().int(),
  failedEmails: z.array(
    z.object({
      id: z.string(),
      createdAt: z.string(),
      to: z.string(),
      subject: z.string(),
      error: z.string().nullable(),
    }),
  ),
  failedEmailsTotal: z.number().int(),
});

export const dashboardSchema = z
  .object({
    counts: z.object({
      people: z.number().int(),
      officials: z.number().int(),
      countiesWithOfficials: z.number().int(),
      emailsToday: z.number().int(),
    }),
    recentAudit: z.array(auditEntry),
    /** One section per staff role the viewer holds; null for the roles they do not. */
    sections: z.object({
      reviewer: reviewerDashboard.nullable(),
      instructor: instructorDashboard.nullable(),
      coordinator: coordinatorDashboard.nullable(),
      administrator: administratorDashboard.nullable(),
    }),
  })
  .meta({ id: 'Dashboard' });
