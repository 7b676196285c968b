/**
 * Issue 11, secrets in sight: the tokens in e-mailed links and calendar-feed
 * URLs are the recipient's alone. Before the fix an administrator read working
 * set/reset links in the outbox (UI, API, export), and request logs carried
 * `?token=` values in full; both tests failed then.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  signInAs,
  type Client,
  type TestApp,
} from '../testing/harness.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  admin = await clientWithRoles(t, ['administrator']);
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

describe('the outbox', () => {
  it('shows set, reset and e-mail confirmation links with the token masked; the real mail has the real link', async () => {
    const res = await admin.request('POST', '/api/people', {
      firstName: 'Tess',
      lastName: 'Token',
      email: 'tess.token@example.gov',
    });
    expect(res.status).toBe(201);
    const mail = await t.smtp!.waitFor((m) => m.to.includes('tess.token@example.gov'));
    const token = /password\/set\?token=([\w-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    expect(
      (await admin.request('PATCH', `/api/people/${res.json.id}`, { email: 'tess.new@example.gov' })).status,
    ).toBe(200);
    const confirm = await t.smtp!.waitFor((m) => m.to.includes('tess.new@example.gov'));
    const confirmToken = /email\/confirm\?token=([\w-]+)/.exec(confirm.text)?.[1];
    expect(confirmToken).toBeTruthy();
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/password/request',
      payload: { email: 'tess.token@example.gov' },
    });
    expect(reset.statusCode).toBe(202);
    const resetMail = await t.smtp!.waitFor(
      (m) => m.to.includes('tess.token@example.gov') && m.subject === 'Reset your CivicCert password',
    );
    const resetToken = /password\/set\?token=([\w-]+)/.exec(resetMail.text)?.[1];
    await t.deps.mailer.flush();

    const outbox = await admin.request('GET', '/api/outbox?to=tess');
    expect(outbox.status).toBe(200);
    const texts: string[] = outbox.json.items.map((i: { text: string }) => i.text);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    expect(texts.join('\n')).toContain('/password/set?token=[hidden]');
    expect(texts.join('\n')).toContain('/email/confirm?token=[hidden]');
    const csv = await admin.request('GET', '/api/outbox/export?to=tess&format=csv');
    expect(csv.status).toBe(200);
    for (const secret of [token!, confirmToken!, resetToken!]) {
      expect(texts.join('\n')).not.toContain(secret);
      expect(csv.body).not.toContain(secret);
    }
  });
});

describe('request logs', () => {
  it('hide token= query values, calendar-feed secrets and wallet code tokens', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = await buildApp(t.deps, { logger: { level: 'info', stream }, webRoot: '/nonexistent' });
    await logged.ready();
    try {
      const official = await buildPerson(t.db);
      const c = await signInAs(t, official);
      const feed = await c.request('POST', '/api/me/calendar-feed');
      const feedToken = new URL(feed.json.url).searchParams.get('token')!;
      expect(feedToken).toBeTruthy();
      const got = await logged.inject({ method: 'GET', url: `/api/calendar-feed?token=${feedToken}` });
      expect(got.statusCode).toBe(200);
      const passwordToken = 'a-password-link-token-0123456789abcdef';
      await logged.inject({ method: 'GET', url: `/password/set?token=${passwordToken}&x=1` });
      await logged.inject({ method: 'GET', url: `/api/calendar-feed/${feedToken}` });
      // A wallet code's address (ADR 0034): logged before it is used, it would still work.
      const walletToken = 'Wallet-code-token_0123456789abcdefghijklmno';
      await logged.inject({ method: 'GET', url: `/api/credential-offers/${walletToken}` });

      const log = lines.join('');
      expect(log).toContain('/api/calendar-feed?token=[hidden]');
      expect(log).toContain('/password/set?token=[hidden]&x=1');
      expect(log).toContain('/api/calendar-feed/[hidden]');
      expect(log).toContain('/api/credential-offers/[hidden]');
      expect(log).not.toContain(walletToken);
      expect(log).not.toContain(feedToken);
      expect(log).not.toContain(passwordToken);
    } finally {
      await logged.close();
    }
  });
});
