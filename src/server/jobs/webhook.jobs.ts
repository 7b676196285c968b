/**
 * pg-boss wiring for webhook deliveries (ADR 0021). Changes write deliveries into the outbox
 * (webhook_delivery) inside their own transactions; the dispatcher, every couple of seconds,
 * claims the ones without a job (SKIP LOCKED, so several instances share the work) and makes one
 * pg-boss job each in the same transaction that marks them queued. A job makes one attempt; a
 * failure throws, and pg-boss retries it with exponential backoff (WEBHOOK_RETRY_DELAY_SECONDS,
 * doubling) until WEBHOOK_MAX_ATTEMPTS attempts, after which the delivery is marked failed.
 */
import PgBoss from 'pg-boss';
import { CompiledQuery } from 'kysely';
import type { Logger } from 'pino';
import type { Deps } from '../context.js';
import type { Tx } from '../db/database.js';
import { attemptDelivery } from '../modules/webhooks/delivery.js';

export const WEBHOOK_QUEUE = 'webhook-delivery';
const DISPATCH_BATCH = 100;

export interface WebhookJobs {
  /** Makes jobs for the deliveries waiting for one now (the timer does it every couple of seconds). */
  dispatchNow: () => Promise<number>;
  stop: () => Promise<void>;
}

/** pg-boss's statements run on the caller's transaction (its `db` option). */
const onTransaction = (tx: Tx) => ({
  executeSql: async (text: string, values: unknown[]) => {
    const r = await tx.executeQuery(CompiledQuery.raw(text, values));
    return { rows: r.rows as unknown[] };
  },
});

export async function startWebhookJobs(
  deps: Deps,
  connectionString: string,
  log: Logger,
  opts: { dispatchEveryMs?: number; pollingIntervalSeconds?: number } = {},
): Promise<WebhookJobs> {
  const { maxAttempts, retryDelaySeconds } = deps.config.webhooks;
  const boss = new PgBoss({ connectionString, max: 2, application_name: 'civiccert-webhooks' });
  boss.on('error', (err: unknown) => {
    const e = err as { message?: string; code?: string };
    log.warn({ err: { message: e?.message ?? String(err), code: e?.code } }, 'pg-boss error (webhooks)');
  });
  await boss.start();
  await boss.createQueue(WEBHOOK_QUEUE, { name: WEBHOOK_QUEUE });
  await boss.work<{ deliveryId: string }>(
    WEBHOOK_QUEUE,
    { includeMetadata: true, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 },
    async ([job]) => {
      if (!job) return;
      const final = job.retryCount >= job.retryLimit;
      const outcome = await attemptDelivery(deps, job.data.deliveryId, { trigger: 'automatic', final });
      // Thrown: pg-boss retries after its backoff. Not thrown on the last attempt (marked failed).
      if (outcome && !outcome.ok && !final)
        throw new Error(`webhook delivery ${job.data.deliveryId}: ${outcome.error ?? 'failed'}`);
    },
  );

  let stopped = false;
  let running: Promise<number> | null = null;
  const dispatchOnce = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await deps.db.transaction().execute(async (tx) => {
        const rows = await tx
          .selectFrom('webhook_delivery')
          .select('id')
          .where('queued_at', 'is', null)
          .where('status', '=', 'pending')
          .orderBy('created_at')
          .limit(DISPATCH_BATCH)
          .forUpdate()
          .skipLocked()
          .execute();
        if (!rows.length) return 0;
        await boss.insert(
          rows.map((r) => ({
            name: WEBHOOK_QUEUE,
            data: { deliveryId: r.id },
            retryLimit: maxAttempts - 1,
            retryDelay: retryDelaySeconds,
            retryBackoff: true,
          })),
          { db: onTransaction(tx) },
        );
        await tx
          .updateTable('webhook_delivery')
          .set({ queued_at: deps.now().toISOString() })
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        return rows.length;
      });
      total += n;
      if (n < DISPATCH_BATCH) return total;
    }
  };
  const dispatchNow = () => {
    // One dispatch at a time per process; a failure is logged and the rows wait for the next tick.
    running ??= dispatchOnce()
      .catch((err: unknown) => {
        if (!stopped) log.warn({ err }, 'dispatching webhook deliveries failed; they stay waiting');
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void dispatchNow(), opts.dispatchEveryMs ?? 2_000);
  timer.unref();
  void dispatchNow();
  return {
    dispatchNow,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await boss.stop({ graceful: true, close: true, wait: true, timeout: 2_500 });
    },
  };
}
