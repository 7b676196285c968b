import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { z } from 'zod';
import type { dashboardSchema, outboxMessage, outboxQuery } from '../../../contract/admin.js';
import { can, countyScoped } from '../../../domain/authz/index.js';
import type { Ctx } from '../../context.js';
import { maskLinkSecrets } from '../../http/redact.js';
import { DomainError } from '../../../domain/errors.js';
import { mailOptions, type Attachment } from '../mail/mailer.js';
import { htmlFromText } from '../mail/message.js';
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
      .select([
        'id',
        'created_at',
        'to_address',
        'subject',
        'text_body',
        'status',
        'sent_at',
        'error',
        'attachments',
      ])
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
      // Every message has an HTML part when sent (made from its text when it was stored without one).
      hasHtml: true,
      attachments: (r.attachments as Attachment[]).map((a, index) => ({
        index,
        filename: a.filename,
        contentType: a.contentType,
        size: Buffer.byteLength(a.content, 'utf8'),
      })),
      status: r.status,
      sentAt: r.sent_at,
      error: r.error,
    })),
    total: Number(count.n),
  };
}

async function outboxRow(ctx: Ctx, id: string) {
  const row = await ctx.db.selectFrom('email_message').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'There is no e-mail with this id in the outbox.');
  return row;
}

/**
 * The HTML part of an outbox message as administrators see it: the links' secrets hidden (as in
 * the text), served by the route under a CSP that runs nothing and loads nothing.
 */
export async function outboxHtml(ctx: Ctx, id: string): Promise<string> {
  const row = await outboxRow(ctx, id);
  return maskLinkSecrets(row.html_body ?? htmlFromText(row.subject, row.text_body));
}

/** One file an outbox message carried, as it was sent. */
export async function outboxAttachment(ctx: Ctx, id: string, index: number): Promise<Attachment> {
  const row = await outboxRow(ctx, id);
  const file = (row.attachments as Attachment[])[index];
  if (!file)
    throw new DomainError('not_found', 'This e-mail has no attachment with this number.', {
      issues: [{ field: 'index', message: 'This e-mail has no attachment with this number.' }],
    });
  return file;
}

/** The whole message as an .eml file (RFC 5322), as it is sent, with the links' secrets hidden. */
export async function outboxEml(ctx: Ctx, id: string): Promise<Buffer> {
  const row = await outboxRow(ctx, id);
  const masked = {
    ...row,
    text_body: maskLinkSecrets(row.text_body),
    html_body: maskLinkSecrets(row.html_body ?? htmlFromText(row.subject, row.text_body)),
    list_unsubscribe: row.list_unsubscribe ? maskLinkSecrets(row.list_unsubscribe) : null,
  };
  return new MailComposer(mailOptions(ctx.config, masked)).compile().build();
}

export async function dashboard(ctx: Ctx): Promise<z.infer<typeof dashboardSchema>> {
  const dayAgo = new Date(ctx.now().getTime() - 86_400_000).toISOString();
  // A county supervisor's figures are those of their counties.
  const scoped = countyScoped(ctx.actor);
  const counties = [...(ctx.actor?.counties ?? []), '-'];
  // Each count over the table that holds it (issue 14): the people, an index-only count of
  // person; the officials (people whose account has the role) from the few user accounts; the
  // e-mails of the last day from their date index. Not one join of every person to their account.
  const [counts, audit, sections] = await Promise.all([
    ctx.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('person as p')
          .select((e2) => e2.fn.countAll<number>().as('n'))
          .$if(scoped, (q) => q.where('p.jurisdiction_fips', 'in', counties))
          .as('people'),
        eb
          .selectFrom('user_account as u')
          .innerJoin('person as p', 'p.id', 'u.person_id')
          .select((e2) => e2.fn.countAll<number>().as('n'))
          .where((e2) => e2(e2.val('official'), '=', e2.fn.any('u.roles')))
          .$if(scoped, (q) => q.where('p.jurisdiction_fips', 'in', counties))
          .as('officials'),
        eb
          .selectFrom('user_account as u')
          .innerJoin('person as p', 'p.id', 'u.person_id')
          .select((e2) => e2.fn.count<number>('p.jurisdiction_fips').distinct().as('n'))
          .where((e2) => e2(e2.val('official'), '=', e2.fn.any('u.roles')))
          .$if(scoped, (q) => q.where('p.jurisdiction_fips', 'in', counties))
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
      people: Number(counts.people ?? 0),
      officials: Number(counts.officials ?? 0),
      countiesWithOfficials: Number(counts.counties ?? 0),
      emailsToday: Number(counts.emails ?? 0),
    },
    recentAudit: await labelledAuditEntries(ctx.db, audit),
    sections,
  };
}
