/**
 * Events (issue 15 item 1): a kind (class, conference, ceremony), a ceremony's or conference's own
 * date, the session a ceremony follows, and the day the event takes place. The rule about which
 * events carry awards is the domain's (src/domain/ceremonies); awards read `eventFacts` here.
 */
import type { z } from 'zod';
import { DomainError, fieldError } from '../../../domain/errors.js';
import { eventDay, type EventKind } from '../../../domain/ceremonies/index.js';
import { localDateOf } from '../../../domain/time/index.js';
import type { createEventBody, Event, updateEventBody } from '../../../contract/sessions.js';
import type { Ctx } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import { escapeLike, recordAudit } from '../audit/audit.service.js';

/** What the award rules need to know about an event. */
export interface EventFacts {
  id: string;
  title: string;
  kind: EventKind;
  programId: string | null;
  /** The local day it takes place (its own date, the day of the session it follows, or of its first session). */
  day: string | null;
}

async function loadEvents(db: Db, ids: string[]) {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('event as e')
    .leftJoin('session as f', 'f.id', 'e.follows_session_id')
    .leftJoin('course as fc', 'fc.id', 'f.course_id')
    .select([
      'e.id',
      'e.program_id',
      'e.title',
      'e.description',
      'e.kind',
      'e.held_on',
      'f.id as f_id',
      'f.ends_at as f_ends_at',
      'f.time_zone as f_zone',
      'fc.code as f_code',
      'fc.title as f_title',
    ])
    .select((eb) => [
      eb
        .selectFrom('session as s')
        .whereRef('s.event_id', '=', 'e.id')
        .where('s.status', '<>', 'cancelled')
        .select((x) => x.fn.countAll<string>().as('n'))
        .as('n'),
      eb
        .selectFrom('session as s')
        .whereRef('s.event_id', '=', 'e.id')
        .where('s.status', '<>', 'cancelled')
        .select((x) => x.fn.min('s.starts_at').as('m'))
        .as('first'),
      eb
        .selectFrom('session as s')
        .whereRef('s.event_id', '=', 'e.id')
        .where('s.status', '<>', 'cancelled')
        .select((x) => x.fn.max('s.ends_at').as('m'))
        .as('last'),
      eb
        .selectFrom('session as s')
        .whereRef('s.event_id', '=', 'e.id')
        .where('s.status', '<>', 'cancelled')
        .orderBy('s.starts_at')
        .limit(1)
        .select('s.time_zone')
        .as('first_zone'),
      eb
        .selectFrom('award as a')
        .whereRef('a.event_id', '=', 'e.id')
        .where('a.revoked_on', 'is', null)
        .where((w) =>
          w.not(w.exists(w.selectFrom('award as n').whereRef('n.supersedes_id', '=', 'a.id').select('n.id'))),
        )
        .select((x) => x.fn.countAll<string>().as('n'))
        .as('awards'),
    ])
    .where('e.id', 'in', ids)
    .execute();
  return rows.map((r) => {
    const first = (r.first as string | null) ?? null;
    const followsSessionDay = r.f_ends_at && r.f_zone ? localDateOf(Date.parse(r.f_ends_at), r.f_zone) : null;
    const firstSessionDay = first && r.first_zone ? localDateOf(Date.parse(first), r.first_zone) : null;
    const dto: Event = {
      id: r.id,
      programId: r.program_id,
      title: r.title,
      description: r.description,
      kind: r.kind,
      heldOn: r.held_on,
      followsSession:
        r.f_id && r.f_ends_at && r.f_zone
          ? {
              id: r.f_id,
              courseCode: r.f_code ?? '',
              courseTitle: r.f_title ?? '',
              endsAt: new Date(r.f_ends_at).toISOString(),
              timeZone: r.f_zone,
            }
          : null,
      day: eventDay({ heldOn: r.held_on, followsSessionDay, firstSessionDay }),
      awardCount: Number(r.awards ?? 0),
      sessionCount: Number(r.n ?? 0),
      startsAt: first,
      endsAt: (r.last as string | null) ?? null,
    };
    return dto;
  });
}

/** Every ceremony and conference, with its day. */
export async function awardingEvents(db: Db): Promise<Event[]> {
  const rows = await db
    .selectFrom('event')
    .select('id')
    .where('kind', 'in', ['ceremony', 'conference'])
    .execute();
  return loadEvents(
    db,
    rows.map((r) => r.id),
  );
}

export async function getEventById(db: Db, id: string): Promise<Event> {
  const [e] = await loadEvents(db, [id]);
  if (!e) throw new DomainError('not_found', 'There is no event with this id.');
  return e;
}

/** The facts the award rules need, or a 404 on `eventId`. */
export async function eventFacts(db: Db, id: string): Promise<EventFacts> {
  const [e] = await loadEvents(db, [id]);
  if (!e)
    throw new DomainError('not_found', 'There is no event with this id.', {
      issues: [{ field: 'eventId', message: 'There is no event with this id.' }],
    });
  return { id: e.id, title: e.title, kind: e.kind, programId: e.programId, day: e.day };
}

export async function listEvents(
  ctx: Ctx,
  q: { q?: string | undefined; kind?: EventKind | undefined; page: number; pageSize: number },
) {
  let query = ctx.db.selectFrom('event').select('id');
  if (q.q) query = query.where('title', 'ilike', `%${escapeLike(q.q)}%`);
  if (q.kind) query = query.where('kind', '=', q.kind);
  const [rows, count] = await Promise.all([
    query
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const items = await loadEvents(
    ctx.db,
    rows.map((r) => r.id),
  );
  const key = (e: Event) => e.startsAt ?? e.day ?? '9';
  items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { items, total: Number(count.n) };
}

/**
 * The rules for an event's kind, date and paired session, checked on the merged result (stored
 * values with the change laid over them); each failure names its field, nothing is written.
 */
async function checkEventShape(
  tx: Tx,
  id: string | null,
  e: { kind: EventKind; heldOn: string | null; followsSessionId: string | null },
  prefix: string,
  previousKind: EventKind | null = null,
): Promise<void> {
  if (e.kind === 'class' && e.heldOn)
    throw fieldError(
      `${prefix}heldOn`,
      'A class takes place on its sessions’ days; only a ceremony or conference has a date of its own.',
    );
  if (e.followsSessionId) {
    if (e.kind !== 'ceremony')
      throw fieldError(`${prefix}followsSessionId`, 'Only a recognition ceremony can follow a session.');
    if (e.heldOn)
      throw fieldError(
        `${prefix}heldOn`,
        'A ceremony that follows a session takes place that day; give a date or the session, not both.',
      );
    const s = await tx
      .selectFrom('session')
      .select(['id', 'event_id', 'status'])
      .where('id', '=', e.followsSessionId)
      .executeTakeFirst();
    if (!s) throw fieldError(`${prefix}followsSessionId`, 'There is no session with this id.');
    if (s.status === 'cancelled')
      throw fieldError(`${prefix}followsSessionId`, 'This session was cancelled; choose another.');
    if (id && s.event_id === id)
      throw fieldError(`${prefix}followsSessionId`, 'A ceremony cannot follow one of its own sessions.');
  }
  if (id && e.kind === 'class' && previousKind !== 'class') {
    const awarded = await tx
      .selectFrom('award')
      .select('id')
      .where('event_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    if (awarded)
      throw new DomainError('conflict', 'Awards were made at this event, so it cannot become a class.', {
        issues: [
          { field: `${prefix}kind`, message: 'Awards were made at this event; it cannot become a class.' },
        ],
      });
  }
}

/** Writes a new event and its audit row in the caller's transaction; `prefix` names nested fields. */
export async function insertEvent(
  tx: Tx,
  ctx: Ctx,
  input: z.infer<typeof createEventBody>,
  prefix = '',
): Promise<string> {
  if (input.programId) {
    const p = await tx
      .selectFrom('program')
      .select('id')
      .where('id', '=', input.programId)
      .executeTakeFirst();
    if (!p) throw fieldError(`${prefix}programId`, 'There is no program with this id.');
  }
  await checkEventShape(tx, null, input, prefix);
  const row = await tx
    .insertInto('event')
    .values({
      title: input.title,
      description: input.description,
      program_id: input.programId,
      kind: input.kind,
      held_on: input.heldOn,
      follows_session_id: input.followsSessionId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: 'event.create',
    entityType: 'event',
    entityId: row.id,
    after: input,
  });
  return row.id;
}

export async function createEvent(ctx: Ctx, input: z.infer<typeof createEventBody>): Promise<Event> {
  const id = await ctx.db.transaction().execute((tx) => insertEvent(tx, ctx, input));
  return getEventById(ctx.db, id);
}

export async function updateEvent(
  ctx: Ctx,
  id: string,
  input: z.infer<typeof updateEventBody>,
): Promise<Event> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('event')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new DomainError('not_found', 'There is no event with this id.');
    const merged = {
      kind: input.kind ?? before.kind,
      heldOn: input.heldOn !== undefined ? input.heldOn : before.held_on,
      followsSessionId:
        input.followsSessionId !== undefined ? input.followsSessionId : before.follows_session_id,
    };
    // A class has neither a date of its own nor a session it follows: turning an event into a
    // class clears both unless the change sets them (which the check then refuses).
    if (input.kind === 'class') {
      if (input.heldOn === undefined) merged.heldOn = null;
      if (input.followsSessionId === undefined) merged.followsSessionId = null;
    }
    await checkEventShape(tx, id, merged, '', before.kind);
    const set = {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(merged.kind !== before.kind && { kind: merged.kind }),
      ...(merged.heldOn !== before.held_on && { held_on: merged.heldOn }),
      ...(merged.followsSessionId !== before.follows_session_id && {
        follows_session_id: merged.followsSessionId,
      }),
    };
    if (Object.keys(set).length === 0) return;
    await tx
      .updateTable('event')
      .set({ ...set, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'event.update',
      entityType: 'event',
      entityId: id,
      before: {
        title: before.title,
        description: before.description,
        kind: before.kind,
        heldOn: before.held_on,
        followsSessionId: before.follows_session_id,
      },
      after: set,
    });
  });
  return getEventById(ctx.db, id);
}
