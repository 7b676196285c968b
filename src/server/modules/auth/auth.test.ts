import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, createTestApp, signInAs, TEST_PASSWORD, type TestApp } from '../../testing/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { SIGN_IN_MAX_FAILURES: '3' } });
});
afterAll(() => t.close());

const signIn = (email: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password }, remoteAddress: ip });

describe('sign-in', () => {
  it('signs in with the right password and sets an httpOnly SameSite cookie', async () => {
    const p = await buildPerson(t.db, { email: 'clerk@douglas.example.gov' });
    const res = await signIn('Clerk@Douglas.example.gov', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(res.json().user.personId).toBe(p.personId);
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(session.json().user.email).toBe('clerk@douglas.example.gov');
  });

  it('refuses a wrong password with a clear message and no cookie', async () => {
    await buildPerson(t.db, { email: 'wrong@example.gov' });
    const res = await signIn('wrong@example.gov', 'not the password', '10.0.0.2');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail).toMatch(/e-mail address or password is not right/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('pauses sign-in after repeated failures, even with the right password, and says for how long', async () => {
    await buildPerson(t.db, { email: 'target@example.gov' });
    for (let i = 0; i < 3; i++)
      expect((await signIn('target@example.gov', 'guess' + i, '10.0.0.3')).statusCode).toBe(401);
    const res = await signIn('target@example.gov', TEST_PASSWORD, '10.0.0.3');
    expect(res.statusCode).toBe(429);
    expect(res.json().detail).toMatch(/Too many failed sign-in attempts.*paused for 15 minutes/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // After the window has passed, the right password works again.
    t.clock.now = new Date(Date.now() + 16 * 60_000);
    expect((await signIn('target@example.gov', TEST_PASSWORD, '10.0.0.3')).statusCode).toBe(200);
    t.clock.now = new Date();
  });

  it('checks at most the limit of passwords when 40 wrong sign-ins for one account arrive at once', async () => {
    // The attack: the failures were counted before the slow password hash and recorded after it,
    // so simultaneous guesses all read "no failures yet" and all had their password checked.
    const limit = t.config.signIn.maxFailures;
    await buildPerson(t.db, { email: 'race@example.gov' });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn('race@example.gov', `guess number ${i}`, '10.0.4.1')),
    );
    const checked = answers.filter((r) => r.statusCode !== 429);
    expect(checked.length).toBeLessThanOrEqual(limit);
    expect(checked.every((r) => r.statusCode === 401)).toBe(true);
    expect(answers.filter((r) => r.statusCode === 429).length).toBeGreaterThanOrEqual(40 - limit);
    // From 40 different addresses too: the per-account count holds.
    await buildPerson(t.db, { email: 'race2@example.gov' });
    const spread = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn('race2@example.gov', `guess ${i}`, `10.0.5.${i + 1}`)),
    );
    expect(spread.filter((r) => r.statusCode !== 429).length).toBeLessThanOrEqual(limit);
  });

  it('does not count a successful sign-in as a failure', async () => {
    const p = await buildPerson(t.db);
    for (let i = 0; i < 6; i++)
      expect((await signIn(p.email, TEST_PASSWORD, '10.0.6.1')).statusCode).toBe(200);
    expect((await signIn(p.email, 'wrong once', '10.0.6.1')).statusCode).toBe(401);
    expect((await signIn(p.email, TEST_PASSWORD, '10.0.6.1')).statusCode).toBe(200);
  });

  it('signs out: the old cookie no longer works', async () => {
    const p = await buildPerson(t.db);
    const c = await signInAs(t, p);
    expect((await c.request('DELETE', '/api/session')).status).toBe(200);
    expect((await c.request('GET', '/api/profile')).status).toBe(401);
  });

  it('rejects a cookie-authenticated change without the CSRF token', async () => {
    const p = await buildPerson(t.db);
    const c = await signInAs(t, p);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/profile',
      headers: { cookie: c.cookie },
      payload: { phone: '785 555 0100' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0].field).toBe('x-csrf-token');
    const ok = await c.request('PATCH', '/api/profile', { phone: '785 555 0100' });
    expect(ok.status).toBe(200);
    expect(ok.json.phone).toBe('785 555 0100');
  });
});

describe('password reset by e-mail', () => {
  it('e-mails a single-use link over SMTP; the link sets the password once', async () => {
    const p = await buildPerson(t.db, { email: 'forgetful@example.gov' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/password/request',
      payload: { email: 'forgetful@example.gov' },
    });
    expect(res.statusCode).toBe(202);
    const mail = await t.smtp!.waitFor((m) => m.to.includes('forgetful@example.gov'));
    expect(mail.subject).toBe('Reset your CivicCert password');
    const token = /password\/set\?token=([\w-]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();

    const set = await t.app.inject({
      method: 'POST',
      url: '/api/password/set',
      payload: { token, password: 'a brand new passphrase' },
    });
    expect(set.statusCode).toBe(200);
    expect((await signIn(p.email, 'a brand new passphrase', '10.0.0.9')).statusCode).toBe(200);
    expect((await signIn(p.email, TEST_PASSWORD, '10.0.0.9')).statusCode).toBe(401);

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/password/set',
      payload: { token, password: 'another passphrase!' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().detail).toMatch(/already been used or has expired/);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const before = t.smtp!.messages.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/password/request',
      payload: { email: 'nobody@example.gov' },
    });
    expect(res.statusCode).toBe(202);
    await t.deps.mailer.flush();
    expect(t.smtp!.messages.length).toBe(before);
  });

  it('refuses a short password and names the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/password/set',
      payload: { token: 'x'.repeat(43), password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ field: 'password', message: 'Use at least 12 characters.' });
  });
});
