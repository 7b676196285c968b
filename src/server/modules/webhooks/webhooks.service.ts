/**
 * Webhook endpoints and the delivery log (issue 17, item 6; docs/webhooks.md). Administrators
 * register endpoints (URL, events, description); the signing secret is made here, sealed with
 * SECRETS_KEY, and shown once (on creation and on rotation). Every change is audited without the
 * secret. The log lists deliveries with each attempt; a resend makes one more attempt of the same
 * delivery (same CivicCert-Delivery id) now.
 */
import { sql } from 'kysely';
import type { z } from 'zod';
import type {
  webhookDeliveryQuery,
  webhookDeliverySchema,
  webhookEndpointCreateBody,
  webhookEndpointSchema,
  webhookEndpointUpdateBody,
  WebhookEventType,
} from '../../../contract/webhooks.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { addressRefusal, attemptDelivery, newWebhookSecret, sealWebhookSecret } from './delivery.js';

type Endpoint = z.infer<typeof webhookEndpointSchema>;
type Delivery = z.infer<typeof webhookDeliverySchema>;

const endpointNotFound = () => new DomainError('not_found', 'There is no webhook endpoint with this id.');

async function endpointsWhere(db: Db, id?: string): Promise<Endpoint[]> {
  let q = db
    .selectFrom('webhook_endpoint as e')
    .select([
      'e.id',
      'e.url',
      'e.description',
      'e.events',
      'e.enabled',
      'e.created_at',
      sql<number>`(select count(*) from webhook_delivery d where d.endpoint_id = e.id and d.status = 'pending')`.as(
        'pending',
      ),
      sql<number>`(select count(*) from webhook_delivery d where d.endpoint_id = e.id and d.status = 'delivered')`.as(
        'delivered',
      ),
      sql<number>`(select count(*) from webhook_delivery d where d.endpoint_id = e.id and d.status = 'failed')`.as(
        'failed',
      ),
    ])
    .orderBy('e.created_at')
    .orderBy('e.id');
  if (id) q = q.where('e.id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events as WebhookEventType[],
    enabled: r.enabled,
    createdAt: r.created_at,
    counts: { pending: Number(r.pending), delivered: Number(r.delivered), failed: Number(r.failed) },
  }));
}

export async function listEndpoints(ctx: Ctx): Promise<Endpoint[]> {
  return endpointsWhere(ctx.db);
}

async function checkUrl(ctx: Ctx, url: string): Promise<void> {
  const refusal = await addressRefusal(ctx.config, url);
  if (refusal) throw fieldError('url', refusal);
}

export async function createEndpoint(
  ctx: Ctx,
  b: z.infer<typeof webhookEndpointCreateBody>,
): Promise<Endpoint & { secret: string }> {
  await checkUrl(ctx, b.url);
  const secret = newWebhookSecret();
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('webhook_endpoint')
      .values({
        url: b.url,
        events: b.events,
        description: b.description ?? '',
        secret: sealWebhookSecret(ctx.config, secret),
        created_by: ctx.actor?.userId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: 'webhook.endpoint.create',
      entityType: 'webhook_endpoint',
      entityId: row.id,
      after: { url: b.url, events: b.events, description: b.description ?? '' },
    });
    return row.id;
  });
  const [endpoint] = await endpointsWhere(ctx.db, id);
  return { ...endpoint!, secret };
}

export async function updateEndpoint(
  ctx: Ctx,
  id: string,
  b: z.infer<typeof webhookEndpointUpdateBody>,
): Promise<Endpoint> {
  if (b.url !== undefined) await checkUrl(ctx, b.url);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('webhook_endpoint')
      .select(['url', 'events', 'description', 'enabled'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw endpointNotFound();
    const set = {
      ...(b.url !== undefined && { url: b.url }),
      ...(b.events !== undefined && { events: b.events }),
      ...(b.description !== undefined && { description: b.description ?? '' }),
      ...(b.enabled !== undefined && { enabled: b.enabled }),
    };
    if (Object.keys(set).length === 0) return;
    await tx
      .updateTable('webhook_endpoint')
      .set({ ...set, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'webhook.endpoint.update',
      entityType: 'webhook_endpoint',
      entityId: id,
      before,
      after: set,
    });
  });
  const [endpoint] = await endpointsWhere(ctx.db, id);
  return endpoint!;
}

/** A new signing secret, shown this once; the old one stops signing at once. */
export async function rotateSecret(ctx: Ctx, id: string): Promise<Endpoint & { secret: string }> {
  const secret = newWebhookSecret();
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('webhook_endpoint')
      .set({ secret: sealWebhookSecret(ctx.config, secret), updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw endpointNotFound();
    await recordAudit(tx, ctx, {
      action: 'webhook.endpoint.rotate-secret',
      entityType: 'webhook_endpoint',
      entityId: id,
    });
  });
  const [endpoint] = await endpointsWhere(ctx.db, id);
  return { ...endpoint!, secret };
}

/** Deletes the endpoint and its delivery log. */
export async function deleteEndpoint(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom('webhook_endpoint')
      .where('id', '=', id)
      .returning(['url', 'events'])
      .executeTakeFirst();
    if (!row) throw endpointNotFound();
    await recordAudit(tx, ctx, {
      action: 'webhook.endpoint.delete',
      entityType: 'webhook_endpoint',
      entityId: id,
      before: row,
    });
  });
}

async function deliveriesWhere(
  db: Db,
  where: { id?: string; endpointId?: string | undefined; status?: Delivery['status'] | undefined },
  page?: { page: number; pageSize: number },
): Promise<{ items: Delivery[]; total: number }> {
  let q = db.selectFrom('webhook_delivery as d').innerJoin('webhook_endpoint as e', 'e.id', 'd.endpoint_id');
  if (where.id) q = q.where('d.id', '=', where.id);
  if (where.endpointId) q = q.where('d.endpoint_id', '=', where.endpointId);
  if (where.status) q = q.where('d.status', '=', where.status);
  const [rows, count] = await Promise.all([
    q
      .select([
        'd.id',
        'd.event_id',
        'd.event_type',
        'd.endpoint_id',
        'e.url',
        'd.status',
        'd.created_at',
        'd.delivered_at',
        'd.body',
      ])
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id')
      .$if(!!page, (qb) => qb.limit(page!.pageSize).offset((page!.page - 1) * page!.pageSize))
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((r) => r.id);
  const attempts = ids.length
    ? await db
        .selectFrom('webhook_attempt')
        .selectAll()
        .where('delivery_id', 'in', ids)
        .orderBy('delivery_id')
        .orderBy('id')
        .execute()
    : [];
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type as WebhookEventType,
      endpoint: { id: r.endpoint_id, url: r.url },
      status: r.status,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      body: r.body,
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          at: a.attempted_at,
          trigger: a.trigger,
          statusCode: a.status_code,
          error: a.error,
          durationMs: a.duration_ms,
          ok: a.ok,
        })),
    })),
  };
}

export async function listDeliveries(
  ctx: Ctx,
  q: z.infer<typeof webhookDeliveryQuery>,
): Promise<{ items: Delivery[]; total: number }> {
  return deliveriesWhere(ctx.db, { endpointId: q.endpointId, status: q.status }, q);
}

export async function getDelivery(ctx: Ctx, id: string): Promise<Delivery> {
  const { items } = await deliveriesWhere(ctx.db, { id });
  if (!items[0]) throw new DomainError('not_found', 'There is no webhook delivery with this id.');
  return items[0];
}

/**
 * Sends the delivery once more, now, with the same id and body (a fresh signature); the attempt
 * is logged as a resend. Automatic retries still waiting carry on unless this one succeeds.
 */
export async function resendDelivery(ctx: Ctx, id: string): Promise<Delivery> {
  await getDelivery(ctx, id);
  await attemptDelivery(ctx, id, { trigger: 'resend', final: false });
  await ctx.db.transaction().execute((tx) =>
    recordAudit(tx, ctx, {
      action: 'webhook.delivery.resend',
      entityType: 'webhook_delivery',
      entityId: id,
    }),
  );
  return getDelivery(ctx, id);
}
