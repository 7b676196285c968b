/**
 * Webhooks (issue 17, item 6): a receiver that answers 500 twice, then 200, gets the event signed
 * (HMAC and timestamp checked here), three times with one delivery id, so it acts on it once; the
 * delivery log shows the three attempts and a resend adds a fourth; each of the six events comes
 * from its real service path (a rolled-back change: certification/webhook-outbox.test.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEventTypes } from '../../../contract/webhooks.js';
import { startWebhookJobs } from '../../jobs/webhook.jobs.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildClaim } from '../../testing/claims.js';
import {
  buildCredit,
  buildEnrollment,
  buildSession,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let ks: string;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real local receiver: answers each request with the next status of `answers` (then the last one). */
async function receiver(answers: number[]): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = answers[Math.min(got.length - 1, answers.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, got, server };
}

/** What a receiver does: the signature must match the body and be recent. */
function verify(secret: string, r: Received, nowSeconds: number): boolean {
  const header = String(r.headers['civiccert-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t0 = Number(parts.t);
  if (!Number.isInteger(t0) || Math.abs(nowSeconds - t0) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${r.body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until<T>(what: () => Promise<T | null | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v) return v;
    if (Date.now() > end) throw new Error('gave up waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const deliveriesOf = (endpointId: string) =>
  t.db
    .selectFrom('webhook_delivery')
    .select(['id', 'event_type', 'body', 'status'])
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at')
    .execute();

beforeAll(async () => {
  t = await createTestApp({ env: { WEBHOOK_RETRY_DELAY_SECONDS: '1', WEBHOOK_MAX_ATTEMPTS: '4' } });
  admin = await quickClient(t, ['administrator']);
  ks = await programId(t.db);
});
afterAll(async () => t?.close());

describe('endpoints', () => {
  it('registers an endpoint, shows its secret once, and refuses what is not an http(s) URL or event', async () => {
    const made = await admin.request('POST', '/api/webhooks/endpoints', {
      url: 'https://example.gov/hooks',
      events: ['award.issued'],
      description: 'Agency HR system',
    });
    expect(made.status, made.body).toBe(201);
    expect(made.json.secret).toMatch(/^whsec_/);
    const list = await admin.request('GET', '/api/webhooks/endpoints');
    const listed = list.json.items.find((e: { id: string }) => e.id === made.json.id);
    expect(listed).toMatchObject({
      url: 'https://example.gov/hooks',
      enabled: true,
      events: ['award.issued'],
    });
    expect(list.body).not.toContain(made.json.secret);
    const stored = await t.db
      .selectFrom('webhook_endpoint')
      .select('secret')
      .where('id', '=', made.json.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(made.json.secret);

    const ftp = await admin.request('POST', '/api/webhooks/endpoints', {
      url: 'ftp://example.gov/x',
      events: ['award.issued'],
    });
    expect(ftp.status).toBe(400);
    expect(ftp.json.errors?.[0]?.field ?? ftp.json.issues?.[0]?.field).toBe('url');
    const odd = await admin.request('POST', '/api/webhooks/endpoints', {
      url: 'https://example.gov/x',
      events: ['award.granted'],
    });
    expect(odd.status).toBe(400);
    expect(JSON.stringify(odd.json)).toContain('events');

    const off = await admin.request('PATCH', `/api/webhooks/endpoints/${made.json.id}`, { enabled: false });
    expect(off.json.enabled).toBe(false);
    expect((await admin.request('DELETE', `/api/webhooks/endpoints/${made.json.id}`)).status).toBe(200);
  });

  it('refuses loopback and private addresses where the deployment does not allow them', async () => {
    const strict = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false' } });
    try {
      const a = await quickClient(strict, ['administrator']);
      for (const url of ['http://127.0.0.1:8080/hooks', 'http://10.1.2.3/hooks', 'http://[::1]/hooks']) {
        const r = await a.request('POST', '/api/webhooks/endpoints', { url, events: ['award.issued'] });
        expect(r.status, url).toBe(400);
        expect(r.body).toContain('private or loopback');
      }
    } finally {
      await strict.close();
    }
  });
});

describe('delivery', () => {
  it('retries after 500, 500 and is delivered on the third attempt: signed, one delivery id, three attempts logged', async () => {
    const rx = await receiver([500, 500, 200]);
    const jobs = await startWebhookJobs(t.deps, t.dbUrl, pino({ level: 'silent' }), {
      dispatchEveryMs: 200,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const made = await admin.request('POST', '/api/webhooks/endpoints', {
        url: rx.url,
        events: ['credit.recorded'],
      });
      expect(made.status, made.body).toBe(201);
      const secret: string = made.json.secret;
      const official = await quickClient(t, ['official'], { firstName: 'Rosa', lastName: 'Lindqvist' });
      await buildEnrollment(t.db, official.personId);
      const credit = await admin.request('POST', `/api/people/${official.personId}/credits`, {
        programId: ks,
        amount: 3,
        category: 'year-one',
        sourceType: 'sos-course',
        earnedOn: '2026-04-01',
        title: 'Voter registration basics (paper record)',
        reason: 'Paper sign-in sheet from the April workshop',
      });
      expect(credit.status, credit.body).toBe(201);

      const [delivery] = await deliveriesOf(made.json.id);
      expect(delivery).toBeDefined();
      await until(async () =>
        (await deliveriesOf(made.json.id)).find((d) => d.status === 'delivered' && d.id === delivery!.id),
      );

      // The receiver saw three requests, all for one delivery, each signed with a fresh timestamp.
      expect(rx.got).toHaveLength(3);
      const now = Math.floor(Date.now() / 1000);
      for (const r of rx.got) {
        expect(r.headers['civiccert-delivery']).toBe(delivery!.id);
        expect(r.headers['civiccert-event']).toBe('credit.recorded');
        expect(r.headers['content-type']).toBe('application/json');
        expect(verify(secret, r, now)).toBe(true);
        expect(verify('whsec_someone-else', r, now)).toBe(false);
      }
      // Acting only on a 2xx answer and deduping on the delivery id, it acted exactly once.
      const acted = new Set(rx.got.slice(2).map((r) => r.headers['civiccert-delivery']));
      expect(acted.size).toBe(1);
      const event = JSON.parse(rx.got[2]!.body);
      expect(event).toMatchObject({
        type: 'credit.recorded',
        data: {
          person: { id: official.personId, name: 'Rosa Lindqvist' },
          program: { id: ks, code: 'ks-county-election-official', timeZone: 'America/Chicago' },
          credit: { id: credit.json.id, amount: 3, category: 'year-one', earnedOn: '2026-04-01' },
        },
      });
      expect(event.occurredAt).toMatch(/Z$/);
      expect(rx.got[2]!.body).not.toContain(official.email);

      // The delivery log: three attempts with their codes.
      const log = await admin.request('GET', `/api/webhooks/deliveries?endpointId=${made.json.id}`);
      expect(log.status).toBe(200);
      const logged = log.json.items.find((d: { id: string }) => d.id === delivery!.id);
      expect(logged.status).toBe('delivered');
      expect(logged.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);

      // A resend: a fourth attempt with the same delivery id, which the receiver recognises.
      const again = await admin.request('POST', `/api/webhooks/deliveries/${delivery!.id}/resend`);
      expect(again.status, again.body).toBe(200);
      expect(again.json.attempts).toHaveLength(4);
      expect(again.json.attempts[3]).toMatchObject({ trigger: 'resend', statusCode: 200, ok: true });
      expect(rx.got).toHaveLength(4);
      expect(rx.got[3]!.headers['civiccert-delivery']).toBe(delivery!.id);
      expect(verify(secret, rx.got[3]!, Math.floor(Date.now() / 1000))).toBe(true);
      await admin.request('DELETE', `/api/webhooks/endpoints/${made.json.id}`);
    } finally {
      await jobs.stop();
      rx.server.close();
    }
  }, 90_000);

  it('marks a delivery failed after the last attempt, keeping every attempt', async () => {
    const rx = await receiver([503]);
    const jobs = await startWebhookJobs(t.deps, t.dbUrl, pino({ level: 'silent' }), {
      dispatchEveryMs: 200,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const made = await admin.request('POST', '/api/webhooks/endpoints', {
        url: rx.url,
        events: ['session.changed'],
      });
      const s = await buildSession(t.db);
      expect((await admin.request('PATCH', `/api/sessions/${s.id}`, { capacity: 40 })).status).toBe(200);
      const failed = await until(async () =>
        (await deliveriesOf(made.json.id)).find((d) => d.status === 'failed'),
      );
      const attempts = await t.db
        .selectFrom('webhook_attempt')
        .select(['status_code', 'ok'])
        .where('delivery_id', '=', failed.id)
        .execute();
      // WEBHOOK_MAX_ATTEMPTS=4 in this file.
      expect(attempts.map((a) => a.status_code)).toEqual([503, 503, 503, 503]);
      await admin.request('DELETE', `/api/webhooks/endpoints/${made.json.id}`);
    } finally {
      await jobs.stop();
      rx.server.close();
    }
  }, 90_000);
});

describe('events', () => {
  let endpointId: string;
  beforeAll(async () => {
    const made = await admin.request('POST', '/api/webhooks/endpoints', {
      url: 'https://example.gov/all-events',
      events: [...webhookEventTypes],
    });
    endpointId = made.json.id;
  });
  const emitted = async (type: string) =>
    (await deliveriesOf(endpointId)).filter((d) => d.event_type === type).map((d) => JSON.parse(d.body));

  it('a turned-off endpoint gets nothing new', async () => {
    const made = await admin.request('POST', '/api/webhooks/endpoints', {
      url: 'https://example.gov/off',
      events: ['session.changed'],
    });
    await admin.request('PATCH', `/api/webhooks/endpoints/${made.json.id}`, { enabled: false });
    const s = await buildSession(t.db);
    await admin.request('PATCH', `/api/sessions/${s.id}`, { capacity: 35 });
    expect(await deliveriesOf(made.json.id)).toHaveLength(0);
  });

  it('credit.recorded from a reversal, claim.decided from a review', async () => {
    const p = await quickClient(t, ['official']);
    const igo = await programId(t.db, 'igo-cpo');
    await buildEnrollment(t.db, p.personId, 'igo-cpo');
    const claimId = await buildClaim(t.db, p.personId);
    const decided = await admin.request('POST', `/api/claims/${claimId}/decision`, { decision: 'approve' });
    expect(decided.status, decided.body).toBe(200);
    const [claim] = (await emitted('claim.decided')).filter((e) => e.data.claim.id === claimId);
    expect(claim.data).toMatchObject({
      program: { id: igo },
      person: { id: p.personId },
      claim: { decision: 'approve', status: 'approved', amount: 2, category: 'records-management' },
    });
    const creditId = claim.data.claim.creditRecordId;
    expect((await emitted('credit.recorded')).some((e) => e.data.credit.id === creditId)).toBe(true);
    const rev = await admin.request('POST', `/api/credits/${creditId}/reverse`, { reason: 'Entered twice' });
    expect(rev.status, rev.body).toBe(201);
    const reversal = (await emitted('credit.recorded')).find((e) => e.data.credit.reversesId === creditId);
    expect(reversal.data.credit).toMatchObject({ amount: -2, reason: 'Entered twice' });
  });

  it('status.changed, award.issued and award.revoked from the certification and award paths', async () => {
    const p = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
    await buildEnrollment(t.db, p.personId, undefined, '2026-01-15');
    await factsChanged(t, p.personId);
    for (const [i, y] of [1, 2, 3].entries())
      for (const n of [1, 2, 3])
        await buildCredit(t.db, p.personId, {
          category: `year-${['one', 'two', 'three'][i]}`,
          courseCode: `KS-Y${y}-0${n}`,
          earnedOn: ['2026-04-10', '2026-09-10', '2027-03-10'][i]!,
        });
    t.clock.now = new Date('2027-03-11T15:00:00Z');
    await factsChanged(t, p.personId);
    const status = (await emitted('status.changed')).find((e) => e.data.person.id === p.personId);
    expect(status.data.status).toMatchObject({ current: 'eligible' });
    expect(status.data.status.previous).not.toBe('eligible');

    const award = await admin.request('POST', '/api/awards', { personId: p.personId, programId: ks });
    expect(award.status, award.body).toBe(201);
    const issued = (await emitted('award.issued')).find((e) => e.data.award.id === award.json.id);
    expect(issued.data).toMatchObject({
      person: { id: p.personId, name: 'Dana Kessler' },
      award: { number: award.json.certificateNumber, designation: 'Certified County Election Official' },
    });
    const revoked = await admin.request('POST', `/api/awards/${award.json.id}/revoke`, {
      reason: 'Awarded in error',
    });
    expect(revoked.status, revoked.body).toBe(200);
    const gone = (await emitted('award.revoked')).find((e) => e.data.award.id === award.json.id);
    expect(gone.data.award).toMatchObject({ reason: 'Awarded in error' });
    t.clock.now = new Date();
  });

  it('session.changed from an edit and a cancellation', async () => {
    const s = await buildSession(t.db, { timeZone: 'America/Chicago' });
    expect((await admin.request('PATCH', `/api/sessions/${s.id}`, { capacity: 45 })).status).toBe(200);
    const cancel = await admin.request('POST', `/api/sessions/${s.id}/cancel`, { reason: 'Room flooded' });
    expect(cancel.status, cancel.body).toBe(200);
    const events = (await emitted('session.changed')).filter((e) => e.data.session.id === s.id);
    expect(events.map((e) => e.data.change)).toEqual(['updated', 'cancelled']);
    expect(events[0].data.session).toMatchObject({ capacity: 45, timeZone: 'America/Chicago' });
    expect(events[1]).toMatchObject({ data: { reason: 'Room flooded', session: { status: 'cancelled' } } });
  });
});
