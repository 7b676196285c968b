import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  createTestApp,
  signInAs,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../../testing/harness.js';
import { SecretsKeyError } from '../../secrets.js';
import { sealStoredTotpSecrets } from './second-factor.service.js';
import { newTotpSecret, totpAt } from './totp.js';

let t: TestApp; // STAFF_TOTP=optional (the default outside production)
let strict: TestApp; // STAFF_TOTP=required
beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { SIGN_IN_MAX_FAILURES: '4' } });
  strict = await createTestApp({ env: { STAFF_TOTP: 'required' } });
});
afterAll(async () => {
  await t.close();
  await strict.close();
});

const signIn = (app: TestApp, email: string, code?: string, ip = '10.1.0.1') =>
  app.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email, password: TEST_PASSWORD, ...(code === undefined ? {} : { code }) },
    remoteAddress: ip,
  });

/** Sets up two-step sign-in for a signed-in client; returns the secret and recovery codes. */
async function enroll(app: TestApp, c: Client): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await c.request('POST', '/api/profile/second-factor/setup');
  expect(setup.status).toBe(200);
  const { secret, otpauthUri, qrCodeSvg } = setup.json;
  expect(otpauthUri).toContain(`secret=${secret}`);
  expect(qrCodeSvg).toMatch(/^<svg/);
  const confirm = await c.request('POST', '/api/profile/second-factor/confirm', {
    code: totpAt(secret, app.clock.now),
  });
  expect(confirm.status).toBe(200);
  return { secret, recoveryCodes: confirm.json.recoveryCodes };
}

/** Moves the test clock to the next 30-second step, so a fresh code exists. */
const nextStep = (app: TestApp) => {
  app.clock.now = new Date(app.clock.now.getTime() + 30_000);
};

describe('two-step sign-in (TOTP)', () => {
  it('sets up with a first code, then asks for a code at sign-in and refuses a reused one', async () => {
    const p = await buildPerson(t.db, { email: 'totp.clerk@example.gov' });
    const c = await signInAs(t, p);
    const before = await c.request('GET', '/api/profile/second-factor');
    expect(before.json).toMatchObject({ enabled: false, recoveryCodesLeft: 0, required: false });

    // A wrong first code leaves it off, naming the field.
    await c.request('POST', '/api/profile/second-factor/setup');
    const wrong = await c.request('POST', '/api/profile/second-factor/confirm', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors[0].field).toBe('code');
    expect((await c.request('GET', '/api/profile/second-factor')).json.enabled).toBe(false);

    const { secret, recoveryCodes } = await enroll(t, c);
    expect(recoveryCodes).toHaveLength(10);
    // Stored sealed with SECRETS_KEY: the column does not hold the secret.
    const stored = await t.db
      .selectFrom('user_account')
      .select('totp_secret')
      .where('id', '=', p.userId)
      .executeTakeFirstOrThrow();
    expect(stored.totp_secret).toMatch(/^v1:/);
    expect(stored.totp_secret).not.toContain(secret);
    expect(Buffer.from(stored.totp_secret!.slice(3), 'base64').toString('latin1')).not.toContain(secret);
    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes('totp.clerk@example.gov') && /Two-step sign-in is on/.test(m.subject),
    );
    expect(mail.text).toMatch(/If you did not do this/);
    expect((await c.request('GET', '/api/profile/second-factor')).json).toMatchObject({
      enabled: true,
      recoveryCodesLeft: 10,
    });
    expect((await c.request('GET', '/api/session')).json.user.secondFactor).toEqual({
      enabled: true,
      setupRequired: false,
    });

    // The password alone is no longer enough: 401 naming the code field, no cookie.
    const noCode = await signIn(t, p.email);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().type).toMatch(/second-factor-required$/);
    expect(noCode.json().errors[0].field).toBe('code');
    expect(noCode.headers['set-cookie']).toBeUndefined();

    // The code used at set-up cannot be replayed in the same 30 seconds.
    const replay = await signIn(t, p.email, totpAt(secret, t.clock.now));
    expect(replay.statusCode).toBe(401);
    expect(replay.json().errors[0].field).toBe('code');

    nextStep(t);
    const ok = await signIn(t, p.email, totpAt(secret, t.clock.now));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.secondFactor.enabled).toBe(true);
    // ... and that code is spent too.
    expect((await signIn(t, p.email, totpAt(secret, t.clock.now))).statusCode).toBe(401);
    t.clock.now = new Date();
  });

  it('accepts each recovery code once', async () => {
    const p = await buildPerson(t.db);
    const c = await signInAs(t, p);
    const { recoveryCodes } = await enroll(t, c);
    const code = recoveryCodes[3]!;
    expect((await signIn(t, p.email, ` ${code.toUpperCase()} `, '10.1.0.2')).statusCode).toBe(200);
    expect((await signIn(t, p.email, code, '10.1.0.2')).statusCode).toBe(401);
    expect((await c.request('GET', '/api/profile/second-factor')).json.recoveryCodesLeft).toBe(9);
  });

  it('counts wrong codes as failed sign-ins, so guessing is paused', async () => {
    const p = await buildPerson(t.db);
    await enroll(t, await signInAs(t, p));
    for (let i = 0; i < 4; i++) expect((await signIn(t, p.email, '123456', '10.1.0.3')).statusCode).toBe(401);
    expect((await signIn(t, p.email, '654321', '10.1.0.3')).statusCode).toBe(429);
  });

  it('checks at most the limit of codes when 40 wrong codes arrive at once (authenticator and recovery codes)', async () => {
    const limit = t.config.signIn.maxFailures;
    const p = await buildPerson(t.db);
    await enroll(t, await signInAs(t, p));
    const totp = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(t, p.email, String(100000 + i), '10.1.4.1')),
    );
    expect(totp.filter((r) => r.statusCode !== 429).length).toBeLessThanOrEqual(limit);

    const q = await buildPerson(t.db);
    await enroll(t, await signInAs(t, q));
    const recovery = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn(t, q.email, `zzzz-zzzz-${String(i).padStart(4, 'z')}`, '10.1.5.1'),
      ),
    );
    expect(recovery.filter((r) => r.statusCode !== 429).length).toBeLessThanOrEqual(limit);
  });

  it('limits code guesses when turning two-step sign-in off, even all at once', async () => {
    const limit = t.config.signIn.maxFailures;
    const p = await buildPerson(t.db);
    const c = await signInAs(t, p);
    await enroll(t, c);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        c.request('POST', '/api/profile/second-factor/disable', { code: String(200000 + i) }),
      ),
    );
    expect(answers.filter((r) => r.status !== 429).length).toBeLessThanOrEqual(limit);
    expect((await c.request('GET', '/api/profile/second-factor')).json.enabled).toBe(true);
  });

  it('seals secrets stored in plaintext (from before encryption) at start-up; sign-in keeps working', async () => {
    const p = await buildPerson(t.db);
    const secret = newTotpSecret();
    await t.db
      .updateTable('user_account')
      .set({ totp_secret: secret, totp_enabled_at: t.clock.now.toISOString() })
      .where('id', '=', p.userId)
      .execute();
    nextStep(t);
    expect((await signIn(t, p.email, totpAt(secret, t.clock.now), '10.1.6.1')).statusCode).toBe(200);

    expect((await sealStoredTotpSecrets(t.db, t.config.secretsKey!)).sealed).toBeGreaterThanOrEqual(1);
    const stored = await t.db
      .selectFrom('user_account')
      .select('totp_secret')
      .where('id', '=', p.userId)
      .executeTakeFirstOrThrow();
    expect(stored.totp_secret).toMatch(/^v1:/);
    expect(stored.totp_secret).not.toContain(secret);
    nextStep(t);
    expect((await signIn(t, p.email, totpAt(secret, t.clock.now), '10.1.6.1')).statusCode).toBe(200);
    // Running it again changes nothing; a different key is refused rather than used.
    expect((await sealStoredTotpSecrets(t.db, t.config.secretsKey!)).sealed).toBe(0);
    await expect(sealStoredTotpSecrets(t.db, Buffer.alloc(32, 1))).rejects.toThrow(SecretsKeyError);
    t.clock.now = new Date();
  });

  it('lets an official turn it off with a code; an administrator resets a lost phone', async () => {
    const p = await buildPerson(t.db, { email: 'totp.off@example.gov' });
    const c = await signInAs(t, p);
    const { secret } = await enroll(t, c);
    const bad = await c.request('POST', '/api/profile/second-factor/disable', { code: '' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('code');
    nextStep(t);
    const off = await c.request('POST', '/api/profile/second-factor/disable', {
      code: totpAt(secret, t.clock.now),
    });
    expect(off.status).toBe(200);
    expect((await signIn(t, p.email)).statusCode).toBe(200);
    t.clock.now = new Date();

    // Lost phone: the administrator resets it; the person's sessions end; it is audited.
    const q = await buildPerson(t.db);
    const qc = await signInAs(t, q);
    await enroll(t, qc);
    const admin = await signInAs(t, await buildPerson(t.db, { roles: ['administrator'] }));
    expect((await admin.request('GET', `/api/people/${q.personId}/second-factor`)).json.enabled).toBe(true);
    expect((await admin.request('POST', `/api/people/${q.personId}/second-factor/reset`)).status).toBe(200);
    expect((await qc.request('GET', '/api/profile')).status).toBe(401);
    expect((await signIn(t, q.email)).statusCode).toBe(200);
    expect((await admin.request('POST', `/api/people/${q.personId}/second-factor/reset`)).status).toBe(409);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', q.userId)
      .where('action', 'like', 'auth.second-factor.%')
      // Both happen at the test clock's same instant: the log's own sequence orders them.
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['auth.second-factor.enabled', 'auth.second-factor.reset']);
  });
});

describe('STAFF_TOTP=required', () => {
  it('keeps a staff account to the set-up page until an authenticator is confirmed', async () => {
    const coordinator = await buildPerson(strict.db, { roles: ['coordinator'] });
    const c = await signInAs(strict, coordinator);
    expect((await c.request('GET', '/api/session')).json.user.secondFactor).toEqual({
      enabled: false,
      setupRequired: true,
    });
    const blocked = await c.request('GET', '/api/people');
    expect(blocked.status).toBe(403);
    expect(blocked.json.type).toMatch(/second-factor-setup-required$/);
    expect((await c.request('GET', '/api/profile')).status).toBe(200);
    expect((await c.request('GET', '/api/profile/second-factor')).json.required).toBe(true);

    const { secret } = await enroll(strict, c);
    expect((await c.request('GET', '/api/people')).status).toBe(200);

    // Staff must keep it on.
    nextStep(strict);
    const off = await c.request('POST', '/api/profile/second-factor/disable', {
      code: totpAt(secret, strict.clock.now),
    });
    expect(off.status).toBe(403);
    strict.clock.now = new Date();
  });

  it('does not apply to officials', async () => {
    const official = await signInAs(strict, await buildPerson(strict.db));
    expect((await official.request('GET', '/api/session')).json.user.secondFactor.setupRequired).toBe(false);
    expect((await official.request('GET', '/api/profile')).status).toBe(200);
  });
});
