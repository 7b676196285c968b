import type { z } from 'zod';
import type { dashboardSchema, outboxMessage, outboxQuery } from '../../../contract/admin.js';
import { can } from '../../../domain/authz/index.js';
import type { Ctx } from '../../context.js';
import { maskLinkSecrets } from '../../http/redact.js';
import { escapeLike, labelledAuditEntries } from '../audit/audit.service.js';
import { roleSections } from './role-dashboards.service.js';

type OutboxMessage = z.infer<typeof outboxMessage>;

export async function listOutbox(
  ctx: Ctx,
  q: z.infer<typeof outboxQuery>,
): Promise<{ items: OutboxMessage[]; total: number }> {
  let query = ctx.db.selectFrom('email_message');
  if (q.to) query = query.where('to_address', 'ilike', `%${escapeLike(q.to)}%`);
  const [rows, count] = await Promise.all([
    query
      .select(['id', 'created_at', 'to_address', 'subject', 'text_body', 'status', 'sent_at', 'error'])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      to: r.to_address,
      subject: r.subject,
      // Set/reset and confirmation links are the recipient's alone: administrators see them masked.
      text: maskLinkSecrets(r.text_body),
      status: r.status,
      sentAt: r.sent_at,
      error: r.error,
    })),
    total: Number(count.n),
  };
}

export async function dashboard(ctx: Ctx): Promise<z.infer<typeof dashboardSchema>> {
  const dayAgo = new Date(ctx.now().getTime() - 86_400_000).toISOString();
  const [counts, audit, sections] = await Promise.all([
    ctx.db
      .selectFrom('person as p')
      .leftJoin('user_account as u', 'u.person_id', 'p.id')
      .select((eb) => [
        eb.fn.countAll<number>().as('people'),
        eb.fn
          .count<number>('p.id')
          .filterWhere(eb.val('official'), '=', eb.fn.any('u.roles'))
          .as('officials'),
        eb.fn
          .count<number>('p.jurisdiction_fips')
          .distinct()
          .filterWhere(eb.val('official'), '=', eb.fn.any('u.roles'))
          .as('counties'),
        eb
          .selectFrom('email_message')
          .select((e2) => e2.fn.countAll<number>().as('n'))
          .where('created_at', '>', dayAgo)
          .as('emails'),
      ])
      .executeTakeFirstOrThrow(),
    // The audit log is the administrators' (audit.read): other staff get no entries.
    can(ctx.actor, 'audit.read')
      ? ctx.db
          .selectFrom('audit_log')
          .selectAll()
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(10)
          .execute()
      : [],
    roleSections(ctx),
  ]);
  return {
    counts: {
      people: Number(counts.people),
      officials: Number(counts.officials),
      countiesWithOfficials: Number(counts.counties),
      emailsToday: Number(counts.emails ?? 0),
    },
    recentAudit: await labelledAuditEntries(ctx.db, audit),
    sections,
  };
}
