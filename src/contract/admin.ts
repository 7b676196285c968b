import { z } from 'zod';
import { pageInfo, pageQuery } from './common.js';

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
    status: z.enum(['queued', 'sent', 'stored', 'failed']),
    sentAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'OutboxMessage' });
export const outboxList = z.object({ items: z.array(outboxMessage), page: pageInfo });

export const dashboardSchema = z
  .object({
    counts: z.object({
      people: z.number().int(),
      officials: z.number().int(),
      countiesWithOfficials: z.number().int(),
      emailsToday: z.number().int(),
    }),
    recentAudit: z.array(auditEntry),
  })
  .meta({ id: 'Dashboard' });
