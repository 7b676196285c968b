/**
 * Outgoing e-mail. Every message is written to the email_message table inside
 * the caller's transaction (so a rolled-back change sends nothing). When SMTP
 * is configured, `flush` delivers queued messages through nodemailer after the
 * commit; otherwise messages are kept as "stored" for administrators to read
 * in the outbox.
 *
 * Session e-mails are not rendered in the transaction that changes a registration (that
 * transaction holds the session's row lock): it writes a small session_mail_due row, and `flush`
 * first renders due rows into email_message through the renderers registered with
 * `addDueRenderer` (render, insert, delete the due rows: one transaction, rows claimed with SKIP
 * LOCKED), then sends. The sessions module registers its renderer when it loads, so whatever can
 * write a due row has its renderer. A process that dies after a commit leaves its due rows for the
 * next flush of any instance (the server flushes every 5 seconds and at start-up).
 *
 * Every message goes out as multipart/alternative, a plain-text and an HTML part (callers build
 * both from one list of blocks with `composeEmail` in message.ts; a message given as text only
 * gets an HTML part made from its text), with `Auto-Submitted: auto-generated`. A calendar
 * attachment is also sent as the text/calendar alternative part (METHOD as in the file), so mail
 * clients offer accept and decline. A bulk notice (`notice`: renewal reminders, status notices,
 * session reminders) is not stored at all for a person who turned that kind off; otherwise it
 * carries List-Unsubscribe (a signed one-click link, RFC 8058) and a footer saying where to turn it
 * off.
 */
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Database, Db } from '../../db/database.js';
import { noticeCategoryLabels, type NoticeCategory } from '../../../contract/notifications.js';
import { appendBlocks, htmlFromText, link, paragraph } from './message.js';
import { unsubscribeUrl } from './unsubscribe-token.js';

export interface Attachment {
  filename: string;
  contentType: string;
  content: string; // UTF-8 text (e.g. text/calendar)
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** The HTML part (composeEmail); made from `text` when absent. */
  html?: string;
  kind: string;
  attachments?: Attachment[];
  /** Set on bulk notices, which the person can turn off; absent on transactional mail. */
  notice?: { personId: string; category: NoticeCategory };
}

/** The METHOD of a calendar attachment (from its content type, else from the file), upper case. */
function calendarMethod(a: Attachment): string | null {
  if (!/^text\/calendar/i.test(a.contentType)) return null;
  const m = /method=([A-Za-z-]+)/i.exec(a.contentType) ?? /^METHOD:([A-Za-z-]+)\r?$/m.exec(a.content);
  return m ? m[1]!.toUpperCase() : null;
}

/** What a stored message needs to be sent (a row of email_message). */
export interface StoredMessage {
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  list_unsubscribe: string | null;
  attachments: unknown;
}

/** The nodemailer message of a stored one: both parts, the headers, the calendar part, the files. */
export function mailOptions(config: Config, row: StoredMessage): SendMailOptions {
  const attachments = row.attachments as Attachment[];
  const invite = attachments.find((a) => calendarMethod(a));
  return {
    from: config.mailFrom,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body ?? htmlFromText(row.subject, row.text_body),
    headers: {
      'Auto-Submitted': 'auto-generated',
      ...(row.list_unsubscribe ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
    },
    ...(row.list_unsubscribe ? { list: { unsubscribe: row.list_unsubscribe } } : {}),
    ...(invite ? { icalEvent: { method: calendarMethod(invite)!, content: invite.content } } : {}),
    attachments: attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
  };
}

/**
 * Renders up to `limit` messages whose rendering was left for after a commit, claiming and deleting
 * their rows inside `tx` (SKIP LOCKED); the mailer stores the messages in the same transaction.
 */
export type DueRenderer = (tx: Db, config: Config, limit: number) => Promise<OutgoingEmail[]>;

const dueRenderers = new Map<string, DueRenderer>();

/** Registers a renderer of messages due after a commit (one per name; registering again replaces it). */
export function addDueRenderer(name: string, render: DueRenderer): void {
  dueRenderers.set(name, render);
}

export interface Mailer {
  enqueue(tx: Db, message: OutgoingEmail): Promise<string>;
  /**
   * Renders due session e-mails into the outbox, then sends queued messages; safe to call from
   * several instances at once. Resolves to the number sent.
   */
  flush(): Promise<number>;
  /**
   * A flush once no call has come for a moment (`FLUSH_QUIET_MS`), for request handlers that have
   * just committed due rows: during a rush the rendering waits until the answers are out instead of
   * competing with them (issue 14). Under steady load the server's periodic flush (every 5 seconds,
   * runtime.ts) renders meanwhile; a process that dies first leaves the committed due rows for the
   * next flush of any instance.
   */
  flushSoon(): void;
  close(): void;
}

/** How long `flushSoon` waits for calls to stop before flushing. */
export const FLUSH_QUIET_MS = 100;

export function createMailer(config: Config, db: Database, log: Logger): Mailer {
  const transport: Transporter | null = config.smtp
    ? nodemailer.createTransport({
        host: config.smtp.host,
        port: config.smtp.port,
        secure: config.smtp.secure,
        auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.password ?? '' } : undefined,
        tls: { rejectUnauthorized: config.env === 'production' },
      })
    : null;
  let flushing: Promise<number> | null = null;
  let again = false;
  let closed = false;
  let soon: NodeJS.Timeout | null = null;

  const status = () => (transport ? ('queued' as const) : ('stored' as const));
  /** Stores the messages; a notice of a kind its person turned off is left out (its id is ''). */
  async function store(tx: Db, messages: OutgoingEmail[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const noticed = [...new Set(messages.flatMap((m) => (m.notice ? [m.notice.personId] : [])))];
    const off = new Set(
      noticed.length
        ? (
            await tx
              .selectFrom('notification_opt_out')
              .select(['person_id', 'category'])
              .where('person_id', 'in', noticed)
              .execute()
          ).map((r) => `${r.person_id} ${r.category}`)
        : [],
    );
    const kept = messages.filter((m) => !m.notice || !off.has(`${m.notice.personId} ${m.notice.category}`));
    if (kept.length === 0) return messages.map(() => '');
    const rows = await tx
      .insertInto('email_message')
      .values(
        kept.map((m) => {
          let body = { text: m.text, html: m.html ?? htmlFromText(m.subject, m.text) };
          if (m.notice) {
            const what = noticeCategoryLabels[m.notice.category].label.toLowerCase();
            body = appendBlocks(body, [
              paragraph(
                `You get ${what} because you take part in a CivicCert program. `,
                link(`Turn off ${what} on your profile`, `${config.publicUrl}/profile#notifications`),
              ),
            ]);
          }
          return {
            to_address: m.to,
            subject: m.subject,
            text_body: body.text,
            html_body: body.html,
            list_unsubscribe: m.notice ? unsubscribeUrl(config, m.notice.personId, m.notice.category) : null,
            attachments: JSON.stringify(m.attachments ?? []),
            kind: m.kind,
            status: status(),
          };
        }),
      )
      .returning('id')
      .execute();
    const ids = rows.map((r) => r.id);
    return messages.map((m) => (kept.includes(m) ? ids.shift()! : ''));
  }

  const RENDER_BATCH = 50;
  async function renderDue(): Promise<number> {
    let rendered = 0;
    for (const [name, render] of dueRenderers) {
      try {
        for (;;) {
          const batch = await db.transaction().execute(async (tx) => {
            const messages = await render(tx, config, RENDER_BATCH);
            await store(tx, messages);
            return messages.length;
          });
          rendered += batch;
          if (batch < RENDER_BATCH) break;
        }
      } catch (e) {
        // The batch rolled back: its rows stay due for the next flush; what is queued is still sent.
        if (!closed) log.warn({ err: e, renderer: name }, 'rendering due e-mail failed; it stays due');
      }
    }
    return rendered;
  }

  async function flushOnce(): Promise<number> {
    await renderDue();
    if (!transport) return 0;
    let sent = 0;
    for (;;) {
      const batch = await db.transaction().execute(async (tx) => {
        const rows = await tx
          .selectFrom('email_message')
          .selectAll()
          .where('status', '=', 'queued')
          .where('attempts', '<', 5)
          .orderBy('created_at')
          .limit(20)
          .forUpdate()
          .skipLocked()
          .execute();
        for (const row of rows) {
          try {
            await transport.sendMail(mailOptions(config, row));
            await tx
              .updateTable('email_message')
              .set({
                status: 'sent',
                sent_at: new Date().toISOString(),
                attempts: sql`attempts + 1`,
                error: null,
              })
              .where('id', '=', row.id)
              .execute();
            sent++;
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            log.warn({ err: message, to: row.to_address }, 'e-mail delivery failed');
            await tx
              .updateTable('email_message')
              .set({
                attempts: sql`attempts + 1`,
                error: message.slice(0, 500),
                status: sql`case when attempts + 1 >= 5 then 'failed' else 'queued' end`,
              })
              .where('id', '=', row.id)
              .execute();
          }
        }
        return rows.length;
      });
      if (batch < 20) return sent;
    }
  }

  const mailer: Mailer = {
    async enqueue(tx, m) {
      const [id] = await store(tx, [m]);
      return id!;
    },
    flush() {
      // A flush about to start covers a pending flushSoon.
      if (soon) {
        clearTimeout(soon);
        soon = null;
      }
      // One flush at a time per process; a call during a flush makes it run once more,
      // so a message queued meanwhile is not left waiting for the next timer tick.
      if (flushing) {
        again = true;
        return flushing;
      }
      // Callers start a flush and move on (`void mailer.flush()`), so it never rejects: a failure
      // (the database gone, or the app closing under it) is logged, and the messages stay queued
      // for the next flush.
      flushing = (async () => {
        let total = 0;
        try {
          do {
            again = false;
            total += await flushOnce();
          } while (again);
        } catch (e) {
          if (!closed) log.warn({ err: e }, 'sending queued e-mail failed; it stays queued');
        }
        return total;
      })().finally(() => (flushing = null));
      return flushing;
    },
    flushSoon() {
      if (closed) return;
      if (soon) {
        soon.refresh();
        return;
      }
      soon = setTimeout(() => {
        soon = null;
        void mailer.flush();
      }, FLUSH_QUIET_MS);
      soon.unref();
    },
    close() {
      closed = true;
      if (soon) clearTimeout(soon);
      transport?.close();
    },
  };
  return mailer;
}
