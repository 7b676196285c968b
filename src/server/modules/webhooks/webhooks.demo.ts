/**
 * The demo's webhook endpoint (docs/webhooks.md), loaded once (app_meta key) after the demo awards:
 * https://example.gov/hooks for award and status events, turned off so it is never called, with a
 * few deliveries in its log built by the real event code from demo records: one delivered at once,
 * one after a retry, one failed after every attempt.
 */
import type { Deps } from '../../context.js';
import { newWebhookSecret, sealWebhookSecret } from './delivery.js';
import { emitEvent } from './events.js';

export async function loadDemoWebhooks(deps: Deps): Promise<{ loaded: boolean; deliveries: number }> {
  return deps.db.transaction().execute(async (tx) => {
    const first = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.webhooks.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!first) return { loaded: false, deliveries: 0 };
    const awards = await tx
      .selectFrom('award')
      .select(['id', 'person_id', 'program_id', 'number', 'certificate_number', 'designation', 'awarded_on'])
      .where('revoked_on', 'is', null)
      .orderBy('awarded_on', 'desc')
      .orderBy('id')
      .limit(2)
      .execute();
    const status = await tx
      .selectFrom('certification_status')
      .select(['person_id', 'program_id', 'status'])
      .where('status', 'in', ['eligible', 'certified', 'in_grace', 'lapsed'])
      .orderBy('person_id')
      .limit(1)
      .executeTakeFirst();
    // Enabled while its demo events are written (only enabled endpoints receive), then turned off.
    const endpoint = await tx
      .insertInto('webhook_endpoint')
      .values({
        url: 'https://example.gov/hooks',
        description: 'Example: the agency HR system (turned off in the demo, so it is never called)',
        events: ['award.issued', 'award.revoked', 'status.changed'],
        secret: sealWebhookSecret(deps.config, newWebhookSecret()),
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const now = deps.now().getTime();
    const minutesAgo = (m: number) => new Date(now - m * 60_000);
    const outcomes: { id: string; at: Date; answers: (number | null)[]; status: 'delivered' | 'failed' }[] =
      [];
    /** The delivery the event just emitted wrote (one endpoint listens). */
    const written = async () => {
      const seen = outcomes.map((o) => o.id);
      const row = await tx
        .selectFrom('webhook_delivery')
        .select('id')
        .where('endpoint_id', '=', endpoint.id)
        .$if(seen.length > 0, (q) => q.where('id', 'not in', seen))
        .executeTakeFirstOrThrow();
      return row.id;
    };
    for (const [i, a] of awards.entries()) {
      const at = minutesAgo(i === 0 ? 180 : 95);
      await emitEvent(tx, at, 'award.issued', {
        programId: a.program_id,
        personId: a.person_id,
        data: {
          award: {
            id: a.id,
            number: a.certificate_number ?? a.number,
            designation: a.designation,
            awardedOn: a.awarded_on,
          },
        },
      });
      outcomes.push({ id: await written(), at, answers: i === 0 ? [200] : [503, 200], status: 'delivered' });
    }
    if (status) {
      const at = minutesAgo(20);
      await emitEvent(tx, at, 'status.changed', {
        programId: status.program_id,
        personId: status.person_id,
        data: { status: { previous: 'in_progress', current: status.status } },
      });
      outcomes.push({ id: await written(), at, answers: [500, 500, null, 500], status: 'failed' });
    }
    for (const o of outcomes) {
      const attempts = o.answers.map((code, n) => ({
        delivery_id: o.id,
        // The first attempt within seconds, then the backoff's growing waits.
        attempted_at: new Date(o.at.getTime() + (n === 0 ? 2_000 : 30_000 * 2 ** n)).toISOString(),
        trigger: 'automatic' as const,
        status_code: code,
        error: code === null ? 'ECONNREFUSED' : code >= 300 ? `HTTP ${code}` : null,
        duration_ms: code === null ? 3 : 120 + 40 * n,
        ok: code !== null && code < 300,
      }));
      await tx.insertInto('webhook_attempt').values(attempts).execute();
      const last = attempts[attempts.length - 1]!.attempted_at;
      await tx
        .updateTable('webhook_delivery')
        .set({
          created_at: o.at.toISOString(),
          status: o.status,
          attempts: attempts.length,
          queued_at: o.at.toISOString(),
          last_attempt_at: last,
          delivered_at: o.status === 'delivered' ? last : null,
        })
        .where('id', '=', o.id)
        .execute();
    }
    await tx.updateTable('webhook_endpoint').set({ enabled: false }).where('id', '=', endpoint.id).execute();
    return { loaded: true, deliveries: outcomes.length };
  });
}
