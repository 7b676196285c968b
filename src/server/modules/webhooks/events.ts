/**
 * Webhook events, written inside the caller's transaction (the outbox, ADR 0021): `emitEvent`
 * writes one delivery per enabled endpoint subscribed to the event, with the exact body to send,
 * so a rolled-back change emits nothing and a committed one is sent by the pg-boss job
 * (webhook.jobs.ts) even if this process dies. When no endpoint listens, it costs one indexed
 * read and builds nothing.
 *
 * Every body is one envelope: `{ id, type, occurredAt, data }`; `data` names the program and the
 * person (id and name, never contact details or secrets) and the record. Times are ISO strings
 * in UTC (`Z`); days are the program's calendar days, and `program.timeZone` says which zone.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { WebhookEventType } from '../../../contract/webhooks.js';
import type { Db } from '../../db/database.js';
import { displayName } from '../auth/auth.service.js';

export interface ProgramRef {
  id: string;
  code: string;
  name: string;
  timeZone: string;
}
export interface PersonRef {
  id: string;
  name: string;
}

/** One event: its type, the program and person it concerns (looked up only when someone listens), the rest. */
export interface WebhookEvent {
  type: WebhookEventType;
  programId: string | null;
  personId: string | null;
  data: Record<string, unknown>;
}

/** The enabled endpoints subscribed to `type`. */
async function listeners(tx: Db, type: WebhookEventType): Promise<string[]> {
  const rows = await tx
    .selectFrom('webhook_endpoint')
    .select('id')
    .where('enabled', '=', true)
    .where(sql<boolean>`${type} = any(events)`)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether any enabled endpoint listens for `type` (a bulk writer can then skip collecting ids). */
export async function anyListener(tx: Db, type: WebhookEventType): Promise<boolean> {
  return (await listeners(tx, type)).length > 0;
}

async function programRefs(tx: Db, ids: string[]): Promise<Map<string, ProgramRef>> {
  if (!ids.length) return new Map();
  const rows = await tx
    .selectFrom('program')
    .select(['id', 'code', 'name', 'time_zone'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, timeZone: r.time_zone }]));
}

async function personRefs(tx: Db, ids: string[]): Promise<Map<string, PersonRef>> {
  if (!ids.length) return new Map();
  const rows = await tx
    .selectFrom('person')
    .select(['id', 'first_name', 'last_name', 'preferred_name'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: displayName(r) }]));
}

/**
 * Writes the deliveries of these events (all of one type) inside `tx`; returns how many. `at` is
 * when they happened (the caller's clock).
 */
export async function emitEvents(
  tx: Db,
  at: Date,
  type: WebhookEventType,
  events: readonly Omit<WebhookEvent, 'type'>[] | (() => Promise<Omit<WebhookEvent, 'type'>[]>),
): Promise<number> {
  const endpoints = await listeners(tx, type);
  if (!endpoints.length) return 0;
  const list = typeof events === 'function' ? await events() : events;
  if (!list.length) return 0;
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];
  const programs = await programRefs(tx, uniq(list.map((e) => e.programId)));
  const people = await personRefs(tx, uniq(list.map((e) => e.personId)));
  const occurredAt = at.toISOString();
  const rows = list.flatMap((e) => {
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      type,
      occurredAt,
      data: {
        program: e.programId ? (programs.get(e.programId) ?? null) : null,
        person: e.personId ? (people.get(e.personId) ?? null) : null,
        ...e.data,
      },
    });
    return endpoints.map((endpoint_id) => ({ endpoint_id, event_id: id, event_type: type, body }));
  });
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto('webhook_delivery')
      .values(rows.slice(i, i + 500))
      .execute();
  return rows.length;
}

/** One event, inside `tx`. */
export function emitEvent(
  tx: Db,
  at: Date,
  type: WebhookEventType,
  event: Omit<WebhookEvent, 'type'>,
): Promise<number> {
  return emitEvents(tx, at, type, [event]);
}

/**
 * `credit.recorded` for ledger rows just written (appended, reversed, or from attendance): read
 * back from the ledger, so every write path sends the same shape.
 */
export async function emitCreditsRecorded(tx: Db, at: Date, creditIds: readonly string[]): Promise<number> {
  if (!creditIds.length || !(await listeners(tx, 'credit.recorded')).length) return 0;
  let written = 0;
  // In slices: an import appends many thousands at once (a statement takes at most 65,535 values).
  for (let i = 0; i < creditIds.length; i += 1000)
    written += await emitCreditSlice(tx, at, creditIds.slice(i, i + 1000));
  return written;
}

function emitCreditSlice(tx: Db, at: Date, creditIds: readonly string[]): Promise<number> {
  return emitEvents(tx, at, 'credit.recorded', async () => {
    const rows = await tx
      .selectFrom('credit_record')
      .select([
        'id',
        'person_id',
        'program_id',
        'amount',
        'category',
        'sponsored',
        'source_type',
        'course_code',
        'title',
        'session_id',
        'registration_id',
        'earned_on',
        'status',
        'reverses_id',
        'reason',
        'recorded_at',
      ])
      .where('id', 'in', [...creditIds])
      .execute();
    return rows.map((r) => ({
      programId: r.program_id,
      personId: r.person_id,
      data: {
        credit: {
          id: r.id,
          amount: Number(r.amount),
          category: r.category,
          sponsored: r.sponsored,
          sourceType: r.source_type,
          courseCode: r.course_code,
          title: r.title,
          sessionId: r.session_id,
          registrationId: r.registration_id,
          earnedOn: r.earned_on,
          status: r.status,
          reversesId: r.reverses_id,
          reason: r.reason,
          recordedAt: r.recorded_at,
        },
      },
    }));
  });
}

/**
 * `session.changed` for a session just edited or cancelled, read back inside the transaction. The
 * webinar link is left out (it admits people to the meeting).
 */
export function emitSessionChanged(
  tx: Db,
  at: Date,
  change: { change: 'updated' | 'cancelled'; sessionId: string; reason: string | null },
): Promise<number> {
  return emitEvents(tx, at, 'session.changed', async () => {
    const s = await tx
      .selectFrom('session as s')
      .innerJoin('course as c', 'c.id', 's.course_id')
      .select([
        's.id',
        's.event_id',
        's.starts_at',
        's.ends_at',
        's.time_zone',
        's.venue',
        's.address',
        's.capacity',
        's.minimum',
        's.confirmed_count',
        's.status',
        's.sequence',
        'c.code',
        'c.title',
        'c.program_id',
      ])
      .where('s.id', '=', change.sessionId)
      .executeTakeFirstOrThrow();
    return [
      {
        programId: s.program_id,
        personId: null,
        data: {
          change: change.change,
          reason: change.reason,
          session: {
            id: s.id,
            eventId: s.event_id,
            status: s.status,
            startsAt: s.starts_at,
            endsAt: s.ends_at,
            timeZone: s.time_zone,
            venue: s.venue,
            address: s.address,
            capacity: s.capacity,
            minimum: s.minimum,
            confirmed: s.confirmed_count,
            sequence: s.sequence,
            course: { code: s.code, title: s.title },
          },
        },
      },
    ];
  });
}
