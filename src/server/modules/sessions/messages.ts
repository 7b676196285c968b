/**
 * Session e-mails (confirmation, waitlist, promotion, cancellation, change,
 * reminder), each with an RFC 5545 .ics attachment, and the private calendar
 * feed. SEQUENCE for one person = the session's sequence (bumped on every
 * session change) + their registration's revision (bumped on every change of
 * their registration), so each update a person receives has a higher number.
 */
import { sql } from 'kysely';
import { buildCalendar, type CalendarEvent } from '../../../domain/scheduling/index.js';
import type { Config } from '../../config.js';
import type { Ctx, Deps } from '../../context.js';
import type { Db } from '../../db/database.js';
import { addDueRenderer, type OutgoingEmail } from '../mail/mailer.js';
import { composeEmail, link, list, paragraph, type Block } from '../mail/message.js';
import { displayName } from '../auth/auth.service.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { DomainError } from '../../../domain/errors.js';
import { loadSession, type SessionRow } from './sessions.repo.js';
import { openSecret, sealSecret, secretsKeyOf } from '../../secrets.js';
import { recordAudit } from '../audit/audit.service.js';
import type { z } from 'zod';
import type { calendarFeedSchema } from '../../../contract/sessions.js';

type CalendarFeed = z.infer<typeof calendarFeedSchema>;

export type SessionMailKind =
  'confirmed' | 'waitlisted' | 'promoted' | 'cancelled' | 'session-cancelled' | 'updated' | 'reminder';

export interface Recipient {
  registrationId: string;
  personId: string;
  revision: number;
  email: string;
  name: string;
}

export const sessionUid = (sessionId: string) => `session-${sessionId}@civiccert`;

function organizer(config: Config): { name: string; email: string } {
  const m = /^(.*)<([^>]+)>\s*$/.exec(config.mailFrom);
  return m
    ? { name: (m[1] ?? '').trim() || 'CivicCert', email: (m[2] ?? '').trim() }
    : { name: 'CivicCert', email: config.mailFrom.trim() };
}

export function whereText(s: Pick<SessionRow, 'venue' | 'address' | 'webinar_url'>): string {
  return [s.venue, s.address].filter(Boolean).join(', ') || s.webinar_url || 'Location to be announced';
}

/**
 * Formatters by zone and style, made once: building an Intl.DateTimeFormat costs far more than
 * formatting with one, and every session e-mail (a rush renders hundreds) formats three times.
 */
const styles = {
  /** "Tuesday, March 9, 2027" */
  day: ['en-US', { dateStyle: 'full' }],
  /** "9:00 AM CST" */
  time: ['en-US', { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }],
  /** "2027-03-09" */
  isoDay: ['en-CA', {}],
} as const satisfies Record<string, readonly [string, Intl.DateTimeFormatOptions]>;
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(style: keyof typeof styles, timeZone: string): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const [locale, options] = styles[style];
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

export function whenText(s: Pick<SessionRow, 'starts_at' | 'ends_at' | 'time_zone'>): string {
  const day = formatterFor('day', s.time_zone).format(new Date(s.starts_at));
  const t = (iso: string) => formatterFor('time', s.time_zone).format(new Date(iso));
  return `${day}, ${t(s.starts_at)} to ${t(s.ends_at)}`;
}

export function calendarEvent(
  config: Config,
  s: SessionRow,
  who: { email: string; name: string; revision: number },
  status: CalendarEvent['status'],
): CalendarEvent {
  return { ...sessionCalendarEntry(config, s, who.revision, status), attendee: attendeeOf(who, status) };
}

const attendeeOf = (
  who: { email: string; name: string },
  status: CalendarEvent['status'],
): NonNullable<CalendarEvent['attendee']> => ({
  name: who.name,
  email: who.email,
  partstat: status === 'CONFIRMED' ? 'ACCEPTED' : status === 'TENTATIVE' ? 'TENTATIVE' : 'DECLINED',
});

/** The session as a calendar entry without an attendee; `revision` is the viewer's registration revision (0 without one). */
function sessionCalendarEntry(
  config: Config,
  s: SessionRow,
  revision: number,
  status: CalendarEvent['status'],
): CalendarEvent {
  return {
    uid: sessionUid(s.id),
    sequence: s.sequence + revision,
    start: s.starts_at,
    end: s.ends_at,
    timeZone: s.time_zone,
    summary: `${s.course_code}: ${s.course_title}`,
    description: `${s.event_title}. ${s.course_title} (${s.course_code}).${s.webinar_url ? ` Join: ${s.webinar_url}` : ''}`,
    location: whereText(s),
    url: `${config.publicUrl}/sessions/${s.id}`,
    status,
    organizer: organizer(config),
  };
}

const subjects: Record<SessionMailKind, (title: string) => string> = {
  confirmed: (t) => `You are registered: ${t}`,
  waitlisted: (t) => `You are on the waitlist: ${t}`,
  promoted: (t) => `A seat opened up: you are now registered for ${t}`,
  cancelled: (t) => `Registration cancelled: ${t}`,
  'session-cancelled': (t) => `Session cancelled: ${t}`,
  updated: (t) => `Session changed: ${t}`,
  reminder: (t) => `Reminder: ${t}`,
};

export function sessionEmail(
  config: Config,
  now: Date,
  kind: SessionMailKind,
  s: SessionRow,
  who: Recipient,
  extra: { waitlistPosition?: number | null; reason?: string | null } = {},
): OutgoingEmail {
  const cancel = kind === 'cancelled' || kind === 'session-cancelled';
  const status: CalendarEvent['status'] = cancel
    ? 'CANCELLED'
    : kind === 'waitlisted'
      ? 'TENTATIVE'
      : 'CONFIRMED';
  const ics = buildCalendar([calendarEvent(config, s, who, status)], {
    method: cancel ? 'CANCEL' : 'REQUEST',
    stamp: now.toISOString(),
  });
  const title = `${s.course_title} (${s.event_title})`;
  const what: Block[] = [];
  switch (kind) {
    case 'confirmed':
      what.push(paragraph(`You have a seat at ${title}.`));
      break;
    case 'waitlisted':
      what.push(
        paragraph(
          `${title} is full, so you are on the waitlist${extra.waitlistPosition ? ` at position ${extra.waitlistPosition}` : ''}.`,
        ),
        paragraph(
          'If a seat opens up you will get it automatically, in the order people joined, and we will e-mail you.',
        ),
      );
      break;
    case 'promoted':
      what.push(paragraph(`A seat opened up at ${title} and it is yours: you are now registered.`));
      break;
    case 'cancelled':
      what.push(
        paragraph(
          `Your registration for ${title} is cancelled.${extra.reason ? ` Reason: ${extra.reason}` : ''}`,
        ),
      );
      break;
    case 'session-cancelled':
      what.push(
        paragraph(`We are sorry: ${title} is cancelled.${extra.reason ? ` Reason: ${extra.reason}` : ''}`),
      );
      break;
    case 'updated':
      what.push(
        paragraph(`The details of ${title} have changed. The attached calendar entry replaces the old one.`),
      );
      break;
    case 'reminder':
      what.push(paragraph(`This is a reminder that you are registered for ${title}.`));
      break;
  }
  const details = `${config.publicUrl}/sessions/${s.id}`;
  return {
    to: who.email,
    ...composeEmail(subjects[kind](s.course_title), [
      paragraph(`Hello ${who.name},`),
      ...what,
      list(`When: ${whenText(s)}`, `Where: ${whereText(s)}`),
      ...(s.webinar_url && !cancel ? [paragraph(link('Join the webinar', s.webinar_url))] : []),
      paragraph(link('See the session and your registration', details)),
    ]),
    ...(kind === 'reminder'
      ? { notice: { personId: who.personId, category: 'session-reminders' as const } }
      : {}),
    kind: `session.${kind}`,
    attachments: [
      {
        filename: cancel ? 'cancel.ics' : 'invite.ics',
        contentType: `text/calendar; charset=utf-8; method=${cancel ? 'CANCEL' : 'REQUEST'}`,
        content: ics,
      },
    ],
  };
}

/**
 * Queues one e-mail per registration, inside the caller's transaction: one small session_mail_due
 * row each (one statement for all of them), rendered into email_message after the commit by
 * `renderDueSessionMail`. The row keeps the SEQUENCE the person's calendar entry has now (session
 * sequence + registration revision, read in this transaction), so a later e-mail still carries a
 * higher one whenever it is rendered; subject, text and .ics are rendered from the session as it is
 * at rendering time.
 */
export async function enqueueSessionMail(
  tx: Db,
  ctx: Ctx,
  kind: SessionMailKind,
  sessionId: string,
  registrationIds: string[],
  extra: { waitlistPosition?: number | null; reason?: string | null } = {},
): Promise<void> {
  if (registrationIds.length === 0) return;
  await sql`
    insert into session_mail_due (kind, registration_id, sequence, waitlist_position, reason, stamp)
    select ${kind}, r.id, s.sequence + r.revision, ${extra.waitlistPosition ?? null}::int,
           ${extra.reason ?? null}::text, ${ctx.now().toISOString()}::timestamptz
      from unnest(${registrationIds}::uuid[]) with ordinality as want (id, n)
      join registration r on r.id = want.id
      join session s on s.id = r.session_id
     where s.id = ${sessionId}
     order by want.n
  `.execute(tx);
}

/**
 * Renders up to `limit` due session e-mails, oldest first, and deletes their rows; the caller
 * stores the messages in the same transaction (the mailer's flush does). Rows are claimed with
 * SKIP LOCKED, so renderers running at once (several instances, or a flush and the periodic one)
 * never render a row twice; a renderer that dies rolls back and leaves its rows for the next.
 */
export async function renderDueSessionMail(tx: Db, config: Config, limit: number): Promise<OutgoingEmail[]> {
  const due = await tx
    .selectFrom('session_mail_due as d')
    .innerJoin('registration as r', 'r.id', 'd.registration_id')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'd.id',
      'd.kind',
      'd.sequence',
      'd.waitlist_position',
      'd.reason',
      'd.stamp',
      'r.id as registration_id',
      'r.session_id',
      'p.id as person_id',
      'p.email',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
    ])
    .orderBy('d.id')
    .limit(limit)
    .forUpdate('d')
    .skipLocked()
    .execute();
  if (due.length === 0) return [];
  const sessions = new Map<string, SessionRow | undefined>();
  const messages: OutgoingEmail[] = [];
  for (const d of due) {
    if (!sessions.has(d.session_id)) sessions.set(d.session_id, await loadSession(tx, d.session_id));
    const s = sessions.get(d.session_id)!;
    // The SEQUENCE is the one stored with the row (revision 0 on top of it).
    messages.push(
      sessionEmail(
        config,
        new Date(d.stamp),
        d.kind,
        { ...s, sequence: d.sequence },
        {
          registrationId: d.registration_id,
          personId: d.person_id,
          revision: 0,
          email: d.email,
          name: displayName(d),
        },
        { waitlistPosition: d.waitlist_position, reason: d.reason },
      ),
    );
  }
  await tx
    .deleteFrom('session_mail_due')
    .where(
      'id',
      'in',
      due.map((d) => d.id),
    )
    .execute();
  return messages;
}

/**
 * Sends a reminder with the calendar entry to every confirmed person whose
 * session starts within `daysBefore` days and who has not had one. Safe to
 * run on several instances at once (rows are claimed with SKIP LOCKED).
 */
export async function sendDueReminders(
  deps: Deps,
  daysBefore = deps.config.reminderDaysBefore,
): Promise<number> {
  const now = deps.now();
  const until = new Date(now.getTime() + daysBefore * 86_400_000).toISOString();
  let sent = 0;
  for (;;) {
    const batch = await deps.db.transaction().execute(async (tx) => {
      const due = await tx
        .selectFrom('registration as r')
        .innerJoin('session as s', 's.id', 'r.session_id')
        .select(['r.id', 'r.session_id'])
        .where('r.status', '=', 'confirmed')
        .where('r.reminder_sent_at', 'is', null)
        .where('s.status', 'in', ['scheduled', 'full'])
        .where('s.starts_at', '>', now.toISOString())
        .where('s.starts_at', '<=', until)
        .orderBy('s.starts_at')
        .limit(100)
        .forUpdate('r')
        .skipLocked()
        .execute();
      const ctx: Ctx = { ...deps, actor: null, actorLabel: 'reminders', requestId: null, ip: '127.0.0.1' };
      const bySession = new Map<string, string[]>();
      for (const d of due) bySession.set(d.session_id, [...(bySession.get(d.session_id) ?? []), d.id]);
      for (const [sessionId, ids] of bySession) await enqueueSessionMail(tx, ctx, 'reminder', sessionId, ids);
      if (due.length) {
        await tx
          .updateTable('registration')
          .set({ reminder_sent_at: now.toISOString() })
          .where(
            'id',
            'in',
            due.map((d) => d.id),
          )
          .execute();
      }
      return due.length;
    });
    sent += batch;
    if (batch < 100) break;
  }
  if (sent) void deps.mailer.flush();
  return sent;
}

addDueRenderer('session', renderDueSessionMail);

// ---------------------------------------------------------------- private calendar feed

const feedPurpose = (personId: string): string => `calendar-feed:${personId}`;
const feedUrl = (ctx: Ctx, token: string): string =>
  `${ctx.config.publicUrl}/api/calendar-feed?token=${token}`;

function feedOwner(ctx: Ctx): string {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to get your calendar link.');
  return ctx.actor.personId;
}

/** The signed-in person's feed address, if they have one (read back on every device). */
export async function myCalendarFeed(ctx: Ctx): Promise<CalendarFeed> {
  const personId = feedOwner(ctx);
  const row = await ctx.db
    .selectFrom('calendar_feed')
    .select(['token_sealed', 'created_at'])
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!row) return { url: null, createdAt: null };
  return {
    url: row.token_sealed
      ? feedUrl(ctx, openSecret(secretsKeyOf(ctx.config), feedPurpose(personId), row.token_sealed))
      : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

async function writeFeed(ctx: Ctx, tx: Db, personId: string, replace: boolean): Promise<boolean> {
  const token = newToken();
  const values = {
    token_hash: hashToken(token),
    token_sealed: sealSecret(secretsKeyOf(ctx.config), feedPurpose(personId), token),
    created_at: ctx.now().toISOString(),
  };
  const written = await tx
    .insertInto('calendar_feed')
    .values({ person_id: personId, ...values })
    .onConflict((oc) =>
      replace ? oc.column('person_id').doUpdateSet(values) : oc.column('person_id').doNothing(),
    )
    .returning('person_id')
    .executeTakeFirst();
  return written !== undefined;
}

/**
 * Gives the signed-in person a feed address. One that exists is returned as it is, so a second
 * device subscribes to the same address; only `replaceCalendarFeed` makes a new one.
 */
export async function createCalendarFeed(ctx: Ctx): Promise<CalendarFeed> {
  const personId = feedOwner(ctx);
  await ctx.db.transaction().execute(async (tx) => {
    if (await writeFeed(ctx, tx, personId, false)) {
      await recordAudit(tx, ctx, {
        action: 'calendar.feed.create',
        entityType: 'person',
        entityId: personId,
      });
    }
  });
  return myCalendarFeed(ctx);
}

/** A new address; the old one stops working on every device (confirmed by the caller). Audited. */
export async function replaceCalendarFeed(ctx: Ctx): Promise<CalendarFeed> {
  const personId = feedOwner(ctx);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('calendar_feed')
      .select('created_at')
      .where('person_id', '=', personId)
      .forUpdate()
      .executeTakeFirst();
    await writeFeed(ctx, tx, personId, true);
    await recordAudit(tx, ctx, {
      action: 'calendar.feed.replace',
      entityType: 'person',
      entityId: personId,
      before: before ? { createdAt: new Date(before.created_at).toISOString() } : undefined,
      after: { createdAt: ctx.now().toISOString() },
    });
  });
  return myCalendarFeed(ctx);
}

/** How often a subscribed calendar should fetch the feed again (RFC 7986 REFRESH-INTERVAL). */
export const FEED_REFRESH = 'PT1H';

/** The feed: every session the token's owner is registered or waitlisted for (and cancellations). */
export async function calendarFeed(ctx: Ctx, token: string): Promise<string> {
  const feed = await ctx.db
    .selectFrom('calendar_feed as f')
    .innerJoin('person as p', 'p.id', 'f.person_id')
    .select(['p.id', 'p.email', 'p.first_name', 'p.last_name', 'p.preferred_name'])
    .where('f.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!feed)
    throw new DomainError('not_found', 'This calendar link is not valid. Get a new one from "My sessions".');
  const regs = await ctx.db
    .selectFrom('registration as r')
    .select(['r.session_id', 'r.status', 'r.revision'])
    .where('r.person_id', '=', feed.id)
    .where(sql<boolean>`r.created_at > now() - interval '2 years'`)
    .orderBy('r.created_at')
    .execute();
  // One entry per session: the latest registration wins.
  const latest = new Map(regs.map((r) => [r.session_id, r]));
  const events: CalendarEvent[] = [];
  for (const r of latest.values()) {
    const s = await loadSession(ctx.db, r.session_id);
    if (!s) continue;
    const status =
      r.status === 'cancelled' || s.status === 'cancelled'
        ? 'CANCELLED'
        : r.status === 'waitlisted'
          ? 'TENTATIVE'
          : 'CONFIRMED';
    events.push(
      calendarEvent(
        ctx.config,
        s,
        { email: feed.email, name: displayName(feed), revision: r.revision },
        status,
      ),
    );
  }
  events.sort((a, b) => (a.start < b.start ? -1 : 1));
  return buildCalendar(events, {
    method: 'PUBLISH',
    stamp: ctx.now().toISOString(),
    name: 'My CivicCert sessions',
    refreshInterval: FEED_REFRESH,
  });
}

// ---------------------------------------------------------------- one session as a download

/**
 * One session as a calendar file for anyone who can see it: the same UID as
 * the e-mails, and the SEQUENCE the viewer's latest e-mail carried (session
 * sequence + their registration's revision, or + 0 without a registration),
 * so importing it updates the entry an e-mail created instead of adding a
 * second one. METHOD:PUBLISH, or METHOD:CANCEL once the session is cancelled.
 */
export async function sessionCalendar(
  ctx: Ctx,
  sessionId: string,
): Promise<{ ics: string; filename: string }> {
  const found = await loadSession(ctx.db, sessionId);
  if (!found) throw new DomainError('not_found', 'There is no session with this id.');
  // Signed out, the calendar file carries no webinar link, as the session page shows none.
  const s = ctx.actor ? found : { ...found, webinar_url: null };
  const mine = ctx.actor
    ? await ctx.db
        .selectFrom('registration')
        .select(['status', 'revision'])
        .where('session_id', '=', sessionId)
        .where('person_id', '=', ctx.actor.personId)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const cancelled = s.status === 'cancelled';
  const status: CalendarEvent['status'] = cancelled
    ? 'CANCELLED'
    : mine?.status === 'waitlisted'
      ? 'TENTATIVE'
      : 'CONFIRMED';
  const ics = buildCalendar([sessionCalendarEntry(ctx.config, s, mine?.revision ?? 0, status)], {
    method: cancelled ? 'CANCEL' : 'PUBLISH',
    stamp: ctx.now().toISOString(),
  });
  const slug = s.course_code.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'session';
  const day = formatterFor('isoDay', s.time_zone).format(new Date(s.starts_at));
  return { ics, filename: `${slug}-${day}.ics` };
}
