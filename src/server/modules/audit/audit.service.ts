import type { z } from 'zod';
import type { auditEntry, auditQuery } from '../../../contract/admin.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { jsonb } from '../../db/json.js';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Records one state change. Call it inside the same transaction as the change. */
export async function recordAudit(tx: Db, ctx: Ctx, entry: AuditInput): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      at: ctx.now().toISOString(),
      actor_user_id: ctx.actor?.userId ?? null,
      actor_label: ctx.actorLabel,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before: entry.before === undefined ? null : jsonb(entry.before),
      after: entry.after === undefined ? null : jsonb(entry.after),
      request_id: ctx.requestId,
    })
    .execute();
}

type AuditEntry = z.infer<typeof auditEntry>;
type AuditQuery = z.infer<typeof auditQuery>;

export async function listAudit(ctx: Ctx, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  let query = ctx.db.selectFrom('audit_log');
  if (q.action) query = query.where('action', 'ilike', `${escapeLike(q.action)}%`);
  if (q.entityType) query = query.where('entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.actor) query = query.where('actor_label', 'ilike', `%${escapeLike(q.actor)}%`);
  if (q.from) query = query.where('at', '>=', `${q.from}T00:00:00Z`);
  if (q.to) query = query.where('at', '<', nextDay(q.to));
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await labelledAuditEntries(ctx.db, rows), total: Number(count.n) };
}

type AuditRow = {
  id: number;
  at: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Audit rows as entries, each naming whom it is about: a person, or the person
 * whose account (`user`) it is, by their name, looked up in two queries for
 * the whole page. People since deleted stay unnamed (null).
 */
export async function labelledAuditEntries(db: Db, rows: AuditRow[]): Promise<AuditEntry[]> {
  const ids = (type: string) => [
    ...new Set(
      rows
        .filter((r) => r.entity_type === type && r.entity_id && UUID.test(r.entity_id))
        .map((r) => r.entity_id!),
    ),
  ];
  const personIds = ids('person');
  const userIds = ids('user');
  const [people, users] = await Promise.all([
    personIds.length
      ? db
          .selectFrom('person')
          .select(['id', 'first_name', 'last_name', 'preferred_name'])
          .where('id', 'in', personIds)
          .execute()
      : [],
    userIds.length
      ? db
          .selectFrom('user_account as u')
          .innerJoin('person as p', 'p.id', 'u.person_id')
          .select(['u.id', 'p.first_name', 'p.last_name', 'p.preferred_name'])
          .where('u.id', 'in', userIds)
          .execute()
      : [],
  ]);
  // As auth's displayName (the auth module records audits, so this one cannot import it).
  const name = (p: { first_name: string; last_name: string; preferred_name: string | null }) =>
    `${p.preferred_name || p.first_name} ${p.last_name}`;
  const labels = new Map<string, string>([
    ...people.map((p) => [`person:${p.id}`, name(p)] as const),
    ...users.map((u) => [`user:${u.id}`, name(u)] as const),
  ]);
  return rows.map((r) => ({
    ...toAuditEntry(r),
    entityLabel: labels.get(`${r.entity_type}:${r.entity_id}`) ?? null,
  }));
}

function toAuditEntry(r: AuditRow): Omit<AuditEntry, 'entityLabel'> {
  return {
    id: String(r.id),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorLabel: r.actor_label,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
    requestId: r.request_id,
  };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}
