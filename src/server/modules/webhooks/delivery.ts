/**
 * Sending one webhook delivery (ADR 0021, docs/webhooks.md): the body stored with the delivery,
 * signed with the endpoint's secret and the current time, POSTed with a timeout and no redirects.
 * Every attempt is recorded (status code or error, duration, time) in its own transaction; the
 * delivery is delivered on a 2xx, failed after the last automatic attempt, pending otherwise.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Config } from '../../config.js';
import type { Deps } from '../../context.js';
import { openSecret, sealSecret, secretsKeyOf } from '../../secrets.js';

export const SIGNATURE_HEADER = 'civiccert-signature';
export const DELIVERY_HEADER = 'civiccert-delivery';
export const EVENT_HEADER = 'civiccert-event';
const SECRET_PURPOSE = 'webhook_endpoint.secret';

/** A new signing secret: 32 random bytes, written `whsec_` + base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
export const sealWebhookSecret = (config: Config, secret: string): string =>
  sealSecret(secretsKeyOf(config), SECRET_PURPOSE, secret);
const openWebhookSecret = (config: Config, stored: string): string =>
  openSecret(secretsKeyOf(config), SECRET_PURPOSE, stored);

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the CivicCert-Signature header. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

// Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES is on: loopback,
// private, link-local (cloud metadata), carrier-grade NAT, unspecified, and their IPv6 kin.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? blocked.check(mapped[1]!, 'ipv4') : blocked.check(address, 'ipv6');
}

/**
 * Why this URL may not be called, or null. Private and loopback addresses (the host's own, or
 * what its name resolves to) are refused unless the deployment allows them.
 */
export async function addressRefusal(config: Config, url: string): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'The URL is not valid.';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Only http:// and https:// URLs are called.';
  if (config.webhooks.allowPrivateAddresses) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `The host name ${host} does not resolve.`;
  }
  const bad = addresses.find(isBlockedAddress);
  return bad
    ? `${host} is a private or loopback address (${bad}); this deployment does not call those (WEBHOOK_ALLOW_PRIVATE_ADDRESSES).`
    : null;
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The delivery's status after the attempt. */
  status: 'pending' | 'delivered' | 'failed';
}

/**
 * Makes one attempt at a delivery and records it. `final`: an automatic attempt after which no
 * retry follows, so a failure marks the delivery failed. A delivery already delivered or failed
 * is not sent again automatically (a resend is always sent).
 */
export async function attemptDelivery(
  deps: Deps,
  deliveryId: string,
  opts: { trigger: 'automatic' | 'resend'; final: boolean },
): Promise<AttemptOutcome | null> {
  const d = await deps.db
    .selectFrom('webhook_delivery as d')
    .innerJoin('webhook_endpoint as e', 'e.id', 'd.endpoint_id')
    .select(['d.id', 'd.status', 'd.body', 'd.event_type', 'e.url', 'e.secret', 'e.enabled'])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (!d) return null;
  if (opts.trigger === 'automatic' && d.status !== 'pending') return null;
  const started = deps.now();
  const t0 = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  const refusal = d.enabled ? await addressRefusal(deps.config, d.url) : 'The endpoint is disabled.';
  if (refusal) error = refusal;
  else {
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.config.webhooks.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'CivicCert-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(openWebhookSecret(deps.config, d.secret), d.body, deps.now()),
          [DELIVERY_HEADER]: d.id,
          [EVENT_HEADER]: d.event_type,
        },
        body: d.body,
      });
      statusCode = res.status;
      // The answer's body is not kept; read a little so the connection can be reused.
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status > 299)
        error = res.status >= 300 && res.status < 400 ? 'Redirects are not followed.' : `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      error =
        err.name === 'TimeoutError'
          ? `No answer within ${deps.config.webhooks.timeoutMs / 1000} s.`
          : (err.cause?.code ?? err.cause?.message ?? err.message ?? String(e)).slice(0, 500);
    }
  }
  const ok = error === null;
  const durationMs = Math.round(performance.now() - t0);
  const status = await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('webhook_attempt')
      .values({
        delivery_id: d.id,
        attempted_at: started.toISOString(),
        trigger: opts.trigger,
        status_code: statusCode,
        error,
        duration_ms: durationMs,
        ok,
      })
      .execute();
    const row = await tx
      .updateTable('webhook_delivery')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_attempt_at: started.toISOString(),
        ...(ok
          ? { status: 'delivered' as const, delivered_at: deps.now().toISOString() }
          : opts.final
            ? {
                // A failed resend leaves a delivered delivery delivered.
                status: eb
                  .case()
                  .when('status', '=', 'delivered')
                  .then('delivered' as const)
                  .else('failed' as const)
                  .end(),
              }
            : {}),
      }))
      .where('id', '=', d.id)
      .returning('status')
      .executeTakeFirstOrThrow();
    return row.status;
  });
  return { ok, statusCode, error, status };
}
