/**
 * Session e-mails are rendered after the commit (issue 14, item 6): the registration's
 * transaction writes a session_mail_due row with the SEQUENCE of that moment, and a flush renders
 * it. A process that dies between its commit and the rendering loses nothing (the next renderer
 * finds the row), and two renderers at once send each message once.
 */
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWithRoles, createTestApp, type TestApp } from '../../testing/harness.js';
import { buildSession, icsOf, quickClient } from '../../testing/scheduling.js';
import { displayName } from '../auth/auth.service.js';
import { createMailer, type Mailer } from '../mail/mailer.js';
import { sendDueReminders, sessionEmail, type SessionMailKind } from './messages.js';
import { loadSession } from './sessions.repo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ smtp: true });
});
afterAll(async () => {
  await t.close();
});

const seqOf = (ics: string) => Number(/\r\nSEQUENCE:(\d+)\r\n/.exec(ics)?.[1]);
const uidOf = (ics: string) => /\r\nUID:([^\r]+)\r\n/.exec(ics.replace(/\r\n /g, ''))?.[1];
const settle = () => new Promise((r) => setTimeout(r, 300));

/** Runs `work` as a process that dies after each commit: the flush it starts (now or soon) never runs. */
async function withDeadRenderer<T>(work: () => Promise<T>): Promise<T> {
  const mailer = t.deps.mailer as Pick<Mailer, 'flush' | 'flushSoon'>;
  const { flush, flushSoon } = mailer;
  mailer.flush = () => Promise.resolve(0);
  mailer.flushSoon = () => {};
  try {
    return await work();
  } finally {
    mailer.flush = flush;
    mailer.flushSoon = flushSoon;
  }
}

const freshMailer = () => createMailer(t.config, t.db, pino({ level: 'silent' }));

const mailsTo = (email: string) => t.smtp!.messages.filter((m) => m.to.includes(email));

describe('a registration whose process dies after the commit, before rendering', () => {
  it('gets exactly one e-mail from the next renderer, with the .ics SEQUENCE of its commit; later e-mails still rise', async () => {
    const session = await buildSession(t.db, { capacity: 1 });
    const [seated, waiting] = [await quickClient(t), await quickClient(t)];
    const regs = await withDeadRenderer(async () => {
      const out = [];
      for (const o of [seated, waiting]) {
        const r = await o.request('POST', `/api/sessions/${session.id}/registrations`, {});
        expect(r.status, r.body).toBe(201);
        out.push(r.json as { id: string; status: string; waitlistPosition: number | null });
      }
      return out;
    });
    expect(regs.map((r) => [r.status, r.waitlistPosition])).toEqual([
      ['confirmed', null],
      ['waitlisted', 1],
    ]);

    // Committed: the registrations, their audit rows (the API's answer) and the due rows; no message yet.
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['entity_id', 'after'])
      .where('action', '=', 'registration.create')
      .where(
        'entity_id',
        'in',
        regs.map((r) => r.id),
      )
      .execute();
    expect(new Map(audit.map((a) => [a.entity_id, a.after]))).toEqual(new Map(regs.map((r) => [r.id, r])));
    const due = await t.db
      .selectFrom('session_mail_due')
      .select(['registration_id', 'kind', 'sequence', 'waitlist_position'])
      .where(
        'registration_id',
        'in',
        regs.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    const { sequence } = await t.db
      .selectFrom('session')
      .select('sequence')
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(due).toEqual([
      { registration_id: regs[0]!.id, kind: 'confirmed', sequence, waitlist_position: null },
      { registration_id: regs[1]!.id, kind: 'waitlisted', sequence, waitlist_position: 1 },
    ]);
    const stored = () =>
      t.db
        .selectFrom('email_message')
        .select(['to_address', 'status'])
        .where('to_address', 'in', [seated.email, waiting.email])
        .execute();
    expect(await stored()).toEqual([]);

    // The session changes before anyone renders (its sequence rises): the rendered e-mails still
    // carry the SEQUENCE of their commit, as they would have when rendered inside it.
    await t.db
      .updateTable('session')
      .set({ sequence: sequence + 1 })
      .where('id', '=', session.id)
      .execute();

    // A fresh process starts and flushes: each person gets exactly one e-mail.
    const restarted = freshMailer();
    await restarted.flush();
    const confirmation = await t.smtp!.waitFor(
      (m) => m.to.includes(seated.email) && /You are registered/.test(m.subject),
    );
    const waitlisted = await t.smtp!.waitFor(
      (m) => m.to.includes(waiting.email) && /on the waitlist/.test(m.subject),
    );
    await restarted.flush();
    await settle();
    expect(mailsTo(seated.email)).toHaveLength(1);
    expect(mailsTo(waiting.email)).toHaveLength(1);
    expect(await stored()).toHaveLength(2);
    expect((await stored()).every((m) => m.status === 'sent')).toBe(true);
    expect(
      await t.db
        .selectFrom('session_mail_due')
        .select('id')
        .where(
          'registration_id',
          'in',
          regs.map((r) => r.id),
        )
        .execute(),
    ).toEqual([]);
    expect(waitlisted.text).toMatch(/on the waitlist at position 1\./);
    const confirmedIcs = icsOf(confirmation);
    const waitIcs = icsOf(waitlisted);
    expect(confirmedIcs).toContain('STATUS:CONFIRMED');
    expect(waitIcs).toContain('STATUS:TENTATIVE');
    expect(uidOf(confirmedIcs)).toBe(`session-${session.id}@civiccert`);
    expect(seqOf(confirmedIcs)).toBe(sequence);
    expect(seqOf(waitIcs)).toBe(sequence);
    restarted.close();

    // Later e-mails still rise: the seated person cancels and the waiting one is promoted.
    const cancel = await seated.request('POST', `/api/registrations/${regs[0]!.id}/cancel`, { reason: null });
    expect(cancel.status, cancel.body).toBe(200);
    const promoted = await t.smtp!.waitFor(
      (m) => m.to.includes(waiting.email) && /seat opened up/.test(m.subject),
    );
    const cancelled = await t.smtp!.waitFor(
      (m) => m.to.includes(seated.email) && /Registration cancelled/.test(m.subject),
    );
    expect(seqOf(icsOf(promoted))).toBeGreaterThan(seqOf(waitIcs));
    expect(seqOf(icsOf(cancelled))).toBeGreaterThan(seqOf(confirmedIcs));
    await settle();
    expect(mailsTo(waiting.email)).toHaveLength(2);
  });
});

describe('two renderers at once', () => {
  it('render and send each due e-mail exactly once', async () => {
    const session = await buildSession(t.db, { capacity: 30 });
    const people: Awaited<ReturnType<typeof quickClient>>[] = [];
    for (let i = 0; i < 120; i++) people.push(await quickClient(t));
    await withDeadRenderer(() =>
      Promise.all(
        people.map(async (o) => {
          const r = await o.request('POST', `/api/sessions/${session.id}/registrations`, {});
          expect(r.status, r.body).toBe(201);
        }),
      ),
    );
    const emails = people.map((p) => p.email);
    const stored = () =>
      t.db.selectFrom('email_message').select(['to_address']).where('to_address', 'in', emails).execute();
    expect(await stored()).toEqual([]);

    const [one, two] = [freshMailer(), freshMailer()];
    await Promise.all([one.flush(), two.flush(), one.flush(), two.flush()]);
    await Promise.all([one.flush(), two.flush()]);
    await settle();
    one.close();
    two.close();

    const rows = await stored();
    expect(rows).toHaveLength(120);
    expect(new Set(rows.map((r) => r.to_address)).size).toBe(120);
    const sent = t.smtp!.messages.filter((m) => m.to.some((to) => emails.includes(to)));
    expect(sent).toHaveLength(120);
    expect(new Set(sent.map((m) => m.to[0])).size).toBe(120);
    expect(sent.filter((m) => /You are registered/.test(m.subject))).toHaveLength(30);
    expect(sent.filter((m) => /on the waitlist/.test(m.subject))).toHaveLength(90);
  });
});

describe('a burst of registrations, with nobody calling flush', () => {
  it('e-mails each person exactly once, rendered by the flush that starts once the burst pauses', async () => {
    const session = await buildSession(t.db, { capacity: 30 });
    const people: Awaited<ReturnType<typeof quickClient>>[] = [];
    for (let i = 0; i < 40; i++) people.push(await quickClient(t));
    await Promise.all(
      people.map(async (o) => {
        const r = await o.request('POST', `/api/sessions/${session.id}/registrations`, {});
        expect(r.status, r.body).toBe(201);
      }),
    );
    const received = await Promise.all(people.map((p) => t.smtp!.waitFor((m) => m.to.includes(p.email))));
    await settle();
    for (const p of people) expect(mailsTo(p.email)).toHaveLength(1);
    expect(received.filter((m) => /You are registered/.test(m.subject))).toHaveLength(30);
    expect(received.filter((m) => /on the waitlist/.test(m.subject))).toHaveLength(10);
  });
});

describe('register_seat (the locked section)', () => {
  const call = async (
    sessionId: string,
    personId: string,
    now: Date,
    seen: { status: string; starts_at: string; registration_closes_at: string | null; time_zone: string },
  ) => {
    // The course's rules as stored (register_seat compares them too, migration 0042).
    const r = await sql<{
      o_changed: boolean;
      o_id: string | null;
      o_status: string | null;
      o_joined_at: string | null;
      o_position: number | null;
    }>`
      select f.* from session s join course co on co.id = s.course_id left join program pr on pr.id = co.program_id,
        register_seat(${sessionId}::uuid, ${personId}::uuid, ${now.toISOString()}::timestamptz,
          ${seen.status}::text, ${seen.starts_at}::timestamptz, null, ${seen.registration_closes_at}::timestamptz,
          ${seen.time_zone}::text, s.course_id, co.renewal, co.prerequisites, pr.time_zone,
          null, 'test', null, co.program_id, '{}'::jsonb) f
       where s.id = ${sessionId}::uuid
    `.execute(t.db);
    return r.rows[0]!;
  };
  const sessionRow = (id: string) =>
    t.db
      .selectFrom('session')
      .select(['status', 'starts_at', 'registration_closes_at', 'time_zone', 'confirmed_count'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const registrations = (sessionId: string) =>
    t.db
      .selectFrom('registration')
      .select(['id', 'status', 'joined_at'])
      .where('session_id', '=', sessionId)
      .orderBy('joined_at')
      .orderBy('seq')
      .execute();

  it('writes nothing and answers o_changed when the locked row no longer has the values the refusal check saw', async () => {
    const session = await buildSession(t.db, { capacity: 1 });
    const [a, b] = [await quickClient(t), await quickClient(t)];
    const seen = await sessionRow(session.id);
    // Registration closes between the caller's read and the lock.
    await t.db
      .updateTable('session')
      .set({ registration_closes_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', session.id)
      .execute();
    expect(await call(session.id, a.personId, new Date(), seen)).toMatchObject({
      o_changed: true,
      o_id: null,
    });
    expect(await registrations(session.id)).toEqual([]);
    const now = await sessionRow(session.id);
    expect((await call(session.id, a.personId, new Date(), now)).o_changed).toBe(false);
    // 'scheduled' and 'full' are the same to the refusal rules: a session that filled meanwhile is not a change.
    expect((await sessionRow(session.id)).status).toBe('full');
    expect(await call(session.id, b.personId, new Date(), now)).toMatchObject({
      o_changed: false,
      o_status: 'waitlisted',
      o_position: 1,
    });
    expect(
      await t.db
        .selectFrom('session_mail_due')
        .select('kind')
        .where(
          'registration_id',
          'in',
          (await registrations(session.id)).map((r) => r.id),
        )
        .orderBy('id')
        .execute(),
    ).toEqual([{ kind: 'confirmed' }, { kind: 'waitlisted' }]);
  });

  it('never stamps a join time before the latest one in the session, so the waitlist stays in lock order', async () => {
    const session = await buildSession(t.db, { capacity: 1 });
    const [seated, a, b] = [await quickClient(t), await quickClient(t), await quickClient(t)];
    expect((await call(session.id, seated.personId, new Date(), await sessionRow(session.id))).o_status).toBe(
      'confirmed',
    );
    const seen = await sessionRow(session.id);
    const first = await call(session.id, a.personId, new Date(Date.now() + 60_000), seen);
    // The second caller read its clock earlier but got the lock later.
    const second = await call(session.id, b.personId, new Date(), seen);
    expect([first.o_position, second.o_position]).toEqual([1, 2]);
    expect(second.o_joined_at).toBe(first.o_joined_at);
    expect((await registrations(session.id)).map((r) => r.id).slice(1)).toEqual([first.o_id, second.o_id]);
  });
});

/**
 * What the registration's transaction rendered before the rendering moved after the commit (as
 * enqueueSessionMail did until migration 0018): the session read in the transaction, each person's
 * calendar entry at session sequence + registration revision, DTSTAMP the request's clock, stored
 * through the mailer. Run right after the commit, before anything else changes, it sees what that
 * transaction saw; the messages are rolled back, so only their rows are kept for comparison.
 */
async function renderedInTheTransaction(due: DueRow[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const rollback = new Error('rollback');
  await t.db
    .transaction()
    .execute(async (tx) => {
      for (const d of due) {
        const r = await tx
          .selectFrom('registration as r')
          .innerJoin('person as p', 'p.id', 'r.person_id')
          .select([
            'r.session_id',
            'r.revision',
            'p.id',
            'p.email',
            'p.first_name',
            'p.last_name',
            'p.preferred_name',
          ])
          .where('r.id', '=', d.registration_id)
          .executeTakeFirstOrThrow();
        const s = (await loadSession(tx, r.session_id))!;
        const message = sessionEmail(
          t.config,
          t.deps.now(),
          d.kind,
          s,
          {
            registrationId: d.registration_id,
            personId: r.id,
            revision: r.revision,
            email: r.email,
            name: displayName(r),
          },
          { waitlistPosition: d.waitlist_position, reason: d.reason },
        );
        const id = await t.deps.mailer.enqueue(tx, message);
        rows.push(
          await tx
            .selectFrom('email_message')
            .select(messageColumns)
            .where('id', '=', id)
            .executeTakeFirstOrThrow(),
        );
      }
      throw rollback;
    })
    .catch((e: unknown) => {
      if (e !== rollback) throw e;
    });
  return rows;
}

interface DueRow {
  registration_id: string;
  kind: SessionMailKind;
  waitlist_position: number | null;
  reason: string | null;
}
/** Every column of a stored message but its id, its time and its delivery state. */
const messageColumns = [
  'to_address',
  'subject',
  'text_body',
  'html_body',
  'list_unsubscribe',
  'attachments',
  'kind',
] as const;

describe('e-mails rendered after the commit', () => {
  it('are byte-for-byte what the transaction rendered before, for every kind, .ics and SEQUENCE included', async () => {
    const coordinator = await clientWithRoles(t, ['coordinator']);
    // Starts in two days, so the reminder job picks it up; one seat, so there is a waitlist.
    const session = await buildSession(t.db, {
      capacity: 1,
      minimum: 1,
      startsAt: new Date(t.clock.now.getTime() + 2 * 86_400_000),
    });
    const [ana, ben, cy] = [await quickClient(t), await quickClient(t), await quickClient(t)];
    const nameOf = new Map<string, string>();
    const caught = () =>
      t.smtp!.messages.filter((m) => [ana.email, ben.email, cy.email].some((e) => m.to.includes(e)));

    /** Does `step` as a process that dies after its commit, then compares a fresh renderer's output with the old path's. */
    const compare = async (step: () => Promise<void>, expected: [string, SessionMailKind][]) => {
      const known = (await t.db.selectFrom('session_mail_due').select('id').execute()).map((d) => d.id);
      await withDeadRenderer(step);
      const due = await t.db
        .selectFrom('session_mail_due')
        .select(['id', 'registration_id', 'kind', 'waitlist_position', 'reason'])
        .where('id', 'not in', known.length ? known : [-1])
        .orderBy('id')
        .execute();
      // One person's e-mails in the order written; people in the order ana, ben, cy.
      const rank = (id: string) => ['ana', 'ben', 'cy'].indexOf(nameOf.get(id)!);
      due.sort((a, b) => rank(a.registration_id) - rank(b.registration_id) || a.id - b.id);
      expect(due.map((d) => [nameOf.get(d.registration_id), d.kind])).toEqual(expected);
      const before = await renderedInTheTransaction(due);
      const ours = () =>
        t.db.selectFrom('email_message').where('to_address', 'in', [ana.email, ben.email, cy.email]);
      const sent = (await ours().select('id').execute()).map((m) => m.id);
      const restarted = freshMailer();
      await restarted.flush();
      restarted.close();
      const after = await ours()
        .select(messageColumns)
        .where('id', 'not in', sent.length ? sent : ['00000000-0000-0000-0000-000000000000'])
        .execute();
      expect(after).toHaveLength(due.length);
      // Each due row's message (one per person and kind here), in the order of `due`.
      const emailOf = { ana: ana.email, ben: ben.email, cy: cy.email } as Record<string, string>;
      const inDueOrder = due.map((d) =>
        after.find(
          (m) => m.to_address === emailOf[nameOf.get(d.registration_id)!] && m.kind === `session.${d.kind}`,
        ),
      );
      expect(inDueOrder).toEqual(before);
      return inDueOrder as typeof after;
    };

    const regs: Record<string, string> = {};
    const registerAll = async () => {
      for (const [name, o] of [
        ['ana', ana],
        ['ben', ben],
        ['cy', cy],
      ] as const) {
        const r = await o.request('POST', `/api/sessions/${session.id}/registrations`, {});
        expect(r.status, r.body).toBe(201);
        regs[name] = r.json.id;
        nameOf.set(r.json.id, name);
      }
    };
    const registered = await compare(registerAll, [
      ['ana', 'confirmed'],
      ['ben', 'waitlisted'],
      ['cy', 'waitlisted'],
    ]);
    expect(registered[2]!.text_body).toMatch(/on the waitlist at position 2\./);

    // Ana cancels: her cancellation, and Ben's promotion at his registration's new revision.
    const cancelled = await compare(async () => {
      const r = await ana.request('POST', `/api/registrations/${regs.ana}/cancel`, { reason: 'A conflict' });
      expect(r.status, r.body).toBe(200);
    }, [
      ['ana', 'cancelled'],
      ['ben', 'promoted'],
    ]);
    const icsOfRow = (row: { attachments: unknown }) =>
      (row.attachments as { content: string }[])[0]!.content;
    expect(seqOf(icsOfRow(cancelled[0]!))).toBe(seqOf(icsOfRow(registered[0]!)) + 1);
    expect(seqOf(icsOfRow(cancelled[1]!))).toBe(seqOf(icsOfRow(registered[1]!)) + 1);

    // The place changes (the session's sequence rises): the seated person gets the new entry.
    await compare(async () => {
      const r = await coordinator.request('PATCH', `/api/sessions/${session.id}`, {
        venue: 'Shawnee County Annex',
      });
      expect(r.status, r.body).toBe(200);
    }, [['ben', 'updated']]);

    // The reminder job, then the session called off for everyone still registered.
    await compare(async () => {
      expect(await sendDueReminders(t.deps)).toBe(1);
    }, [['ben', 'reminder']]);
    const calledOff = await compare(async () => {
      const r = await coordinator.request('POST', `/api/sessions/${session.id}/cancel`, { reason: 'Snow' });
      expect(r.status, r.body).toBe(200);
    }, [
      ['ben', 'session-cancelled'],
      ['cy', 'session-cancelled'],
    ]);
    expect(icsOfRow(calledOff[0]!)).toMatch(/\r\nMETHOD:CANCEL\r\n/);

    // What went out over SMTP carries the same calendar file, byte for byte.
    const last = await t.smtp!.waitFor((m) => m.to.includes(cy.email) && /Session cancelled/.test(m.subject));
    expect(icsOf(last)).toBe(icsOfRow(calledOff[1]!));
    await settle();
    expect(caught()).toHaveLength(9);
  });
});
