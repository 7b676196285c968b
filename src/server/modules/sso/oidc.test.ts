/**
 * OpenID Connect sign-in (issue 17, item 1) against a real provider (oidc-provider on a local
 * port, private_key_jwt, PKCE required): linking by verified e-mail only, just-in-time creation
 * limited to domains, refused and replayed sign-ins, the provider's MFA standing in for the local
 * code (and not when it does not assert it), passwords turned off, links kept by administrators,
 * and signing out at the provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, createTestApp, signInAs, type TestApp } from '../../testing/harness.js';
import { startTestOidcProvider, type TestOidcProvider } from '../../testing/oidc-provider.js';
import { sealTotpSecret } from '../auth/second-factor.service.js';
import { newTotpSecret, totpAt } from '../auth/totp.js';
import { START_LIMIT_BY_IP } from './oidc.service.js';

let idp: TestOidcProvider;
let t: TestApp; // JIT off, passwords on, MFA counted from amr "mfa"
let strict: TestApp; // JIT for example.gov (officials), passwords off, STAFF_TOTP=required

beforeAll(async () => {
  idp = await startTestOidcProvider({ appUrl: 'http://localhost:3000' });
  t = await createTestApp({ env: { OIDC_PROVIDERS: JSON.stringify([idp.providerConfig()]) } });
  strict = await createTestApp({
    env: {
      OIDC_PROVIDERS: JSON.stringify([
        idp.providerConfig({ jit: { domains: ['example.gov'], role: 'official' } }),
      ]),
      LOCAL_PASSWORDS: 'false',
      STAFF_TOTP: 'required',
    },
  });
});
afterAll(async () => {
  await t?.close();
  await strict?.close();
  await idp?.close();
});

let n = 0;
/** An account at the provider; returns its e-mail. */
function atProvider(o: { email?: string; emailVerified?: boolean; amr?: string[] } = {}): string {
  n++;
  const email = o.email ?? `idp${n}.${Date.now()}@example.gov`;
  idp.accounts.set(`sub-${n}-${email}`, {
    sub: `sub-${n}-${email}`,
    email,
    emailVerified: o.emailVerified ?? true,
    givenName: 'Ida',
    familyName: `Provider${n}`,
    ...(o.amr ? { amr: o.amr } : {}),
  });
  return email;
}

/** A tiny browser for the provider's side: follows redirects, keeps its cookies, logs in. */
async function throughProvider(
  authorizeUrl: string,
  login: string | 'cancel',
): Promise<{ path: string; query: URLSearchParams }> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = (pair ?? '').split('=');
      jar.set(k!.trim(), v.join('='));
    }
    return res;
  };
  let url = authorizeUrl;
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith('http://localhost:3000/')) {
      const u = new URL(url);
      return { path: u.pathname, query: u.searchParams };
    }
    const res = await send(url);
    if (res.status === 200 && /\/interaction\//.test(url)) {
      const uid = /\/interaction\/([\w-]+)/.exec(url)![1];
      const done = await send(
        new URL(`/interaction/${uid}/${login === 'cancel' ? 'cancel' : 'login'}`, idp.issuer).href,
        {
          method: 'POST',
          body: new URLSearchParams(login === 'cancel' ? {} : { login }),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      );
      url = new URL(done.headers.get('location')!, idp.issuer).href;
      continue;
    }
    const next = res.headers.get('location');
    if (!next) throw new Error(`the provider answered ${res.status} at ${url}: ${await res.text()}`);
    url = new URL(next, url).href;
  }
  throw new Error('too many redirects at the provider');
}

/** Starts a sign-in at CivicCert, signs in at the provider, and returns to CivicCert's callback. */
async function providerSignIn(app: TestApp, login: string | 'cancel', next = '/people') {
  const start = await app.app.inject({ method: 'GET', url: `/api/oidc/test-idp/start?next=${next}` });
  expect(start.statusCode).toBe(302);
  const location = String(start.headers.location);
  const authorize = new URL(location);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  const state = /cc_oidc=([^;]+)/.exec(String(start.headers['set-cookie']))![1]!;
  const back = await throughProvider(location, login);
  const callback = (cookieState = state) =>
    app.app.inject({
      method: 'GET',
      url: `${back.path}?${back.query}`,
      cookies: { cc_oidc: cookieState },
    });
  const res = await callback();
  const session = /cc_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? null;
  return { res, session, state, callback };
}

async function sessionOf(app: TestApp, cookie: string) {
  const res = await app.app.inject({ method: 'GET', url: '/api/session', cookies: { cc_session: cookie } });
  return res.json();
}

async function giveAuthenticator(app: TestApp, userId: string): Promise<string> {
  const secret = newTotpSecret();
  await app.db
    .updateTable('user_account')
    .set({ totp_secret: sealTotpSecret(app.config.secretsKey!, userId, secret) })
    .where('id', '=', userId)
    .execute();
  return secret;
}

describe('OpenID Connect sign-in', () => {
  it('the sign-in answer lists the providers; the first sign-in links by verified e-mail, and MFA at the provider stands in for the code', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/session' });
    expect(anonymous.json().signIn).toEqual({
      passwords: true,
      providers: [{ id: 'test-idp', name: 'Test IdP' }],
    });

    const email = atProvider({ amr: ['pwd', 'mfa'] });
    const coordinator = await buildPerson(t.db, { email, roles: ['coordinator'] });
    await giveAuthenticator(t, coordinator.userId);
    const { res, session } = await providerSignIn(t, email);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/people');
    expect(session).toBeTruthy();
    const who = await sessionOf(t, session!);
    expect(who.user.email).toBe(email);
    expect(who.user.roles).toEqual(['coordinator']);
    const link = await t.db
      .selectFrom('external_identity')
      .selectAll()
      .where('user_id', '=', coordinator.userId)
      .execute();
    expect(link).toMatchObject([{ provider: 'test-idp', linked_by: 'email', email }]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', coordinator.userId)
      .where('action', '=', 'auth.sign-in')
      .execute();
    expect(audit[0]?.after).toMatchObject({ provider: 'test-idp', providerMfa: true });

    // Later sign-ins follow the link, even when the provider no longer vouches for the e-mail.
    const account = [...idp.accounts.values()].find((a) => a.email === email)!;
    account.emailVerified = false;
    const again = await providerSignIn(t, email);
    expect(again.res.statusCode).toBe(302);
    expect(again.session).toBeTruthy();
  });

  it('an unverified e-mail is not linked, and an unknown e-mail is refused clearly when just-in-time creation is off', async () => {
    const email = atProvider({ emailVerified: false });
    const person = await buildPerson(t.db, { email });
    const unverified = await providerSignIn(t, email);
    expect(unverified.res.statusCode).toBe(403);
    expect(unverified.res.json().detail).toMatch(/has not confirmed the e-mail address/);
    expect(unverified.session).toBeNull();
    const links = await t.db
      .selectFrom('external_identity')
      .select('id')
      .where('user_id', '=', person.userId)
      .execute();
    expect(links).toEqual([]);

    const stranger = atProvider({ email: `nobody.${Date.now()}@example.gov` });
    const unknown = await providerSignIn(t, stranger);
    expect(unknown.res.statusCode).toBe(403);
    expect(unknown.res.json().detail).toMatch(
      /No CivicCert account here belongs to .* not created on first sign-in/,
    );
    const created = await t.db.selectFrom('person').select('id').where('email', '=', stranger).execute();
    expect(created).toEqual([]);
    const failed = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'auth.sign-in.failed')
      .execute();
    expect(failed.map((f) => (f.after as { email?: string }).email)).toContain(stranger);
  });

  it('returns only to a page of this site after sign-in', async () => {
    const email = atProvider({ amr: ['mfa'] });
    await buildPerson(t.db, { email });
    for (const next of ['//evil.example.com/x', 'https://evil.example.com/', '/api/session'])
      expect((await providerSignIn(t, email, encodeURIComponent(next))).res.headers.location).toBe('/');
    expect(
      (await providerSignIn(t, email, encodeURIComponent('/sessions?month=2026-12'))).res.headers.location,
    ).toBe('/sessions?month=2026-12');
  });

  it('limits the sign-ins started from one address, which each keep a row for ten minutes', async () => {
    const from = (ip: string) =>
      t.app.inject({ method: 'GET', url: '/api/oidc/test-idp/start', remoteAddress: ip });
    for (let i = 0; i < START_LIMIT_BY_IP.limit; i += 1)
      expect((await from('198.51.100.7')).statusCode).toBe(302);
    const refused = await from('198.51.100.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toBe(START_LIMIT_BY_IP.message);
    expect((await from('198.51.100.8')).statusCode).toBe(302);
  });

  it('a browser reads a refusal as a page with the same 4xx status', async () => {
    const email = atProvider({ emailVerified: false });
    const start = await t.app.inject({ method: 'GET', url: '/api/oidc/test-idp/start' });
    const state = /cc_oidc=([^;]+)/.exec(String(start.headers['set-cookie']))![1]!;
    const back = await throughProvider(String(start.headers.location), email);
    const res = await t.app.inject({
      method: 'GET',
      url: `${back.path}?${back.query}`,
      cookies: { cc_oidc: state },
      headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('Sign-in not completed');
    expect(res.body).toContain('Back to the sign-in page');
  });

  it('just-in-time creation makes an official only for the allowed domains', async () => {
    const allowed = atProvider({ email: `new.${Date.now()}@example.gov` });
    const made = await providerSignIn(strict, allowed, '/');
    expect(made.res.statusCode).toBe(302);
    const who = await sessionOf(strict, made.session!);
    expect(who.user.roles).toEqual(['official']);
    expect(who.user.displayName).toMatch(/^Ida Provider/);
    const link = await strict.db
      .selectFrom('external_identity')
      .select('linked_by')
      .where('email', '=', allowed)
      .execute();
    expect(link).toEqual([{ linked_by: 'jit' }]);

    const elsewhere = atProvider({ email: `new.${Date.now()}@elsewhere.org` });
    const refused = await providerSignIn(strict, elsewhere);
    expect(refused.res.statusCode).toBe(403);
    expect(refused.res.json().detail).toMatch(/not created on first sign-in for elsewhere\.org/);
    expect(
      await strict.db.selectFrom('person').select('id').where('email', '=', elsewhere).execute(),
    ).toEqual([]);
  });

  it('a foreign state, a replayed callback and a cancelled sign-in answer 4xx, never a session', async () => {
    const email = atProvider({ amr: ['mfa'] });
    await buildPerson(t.db, { email });
    const first = await providerSignIn(t, email);
    expect(first.res.statusCode).toBe(302);
    const replay = await first.callback();
    expect(replay.statusCode).toBe(400);
    expect(replay.json().detail).toMatch(/not valid in this browser, was used already or has expired/);

    const foreign = await providerSignIn(t, email);
    // (the first callback already succeeded; a callback whose cookie names another state is refused)
    const wrongCookie = await foreign.callback('someone-elses-state');
    expect(wrongCookie.statusCode).toBe(400);
    expect(wrongCookie.json().errors).toEqual([{ field: 'state', message: expect.any(String) }]);

    const noCookie = await t.app.inject({ method: 'GET', url: '/api/oidc/test-idp/callback?code=x&state=y' });
    expect(noCookie.statusCode).toBe(400);

    const cancelled = await providerSignIn(t, 'cancel');
    expect(cancelled.res.statusCode).toBe(403);
    expect(cancelled.res.json().detail).toMatch(/did not sign you in \(The person cancelled\)/);
    expect(cancelled.session).toBeNull();

    const unknownProvider = await t.app.inject({ method: 'GET', url: '/api/oidc/nope/start' });
    expect(unknownProvider.statusCode).toBe(404);
  });

  it('without MFA at the provider, staff with an authenticator still give the local code', async () => {
    const email = atProvider({ amr: ['pwd'] });
    const reviewer = await buildPerson(t.db, { email, roles: ['reviewer'] });
    const secret = await giveAuthenticator(t, reviewer.userId);
    const { res, session, state } = await providerSignIn(t, email, '/claims');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sign-in?step=code&next=%2Fclaims');
    expect(session).toBeNull();

    const code = (value: string, cookie = state) =>
      t.app.inject({
        method: 'POST',
        url: '/api/oidc/code',
        payload: { code: value },
        cookies: { cc_oidc: cookie },
      });
    const wrong = await code('000000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().errors).toEqual([{ field: 'code', message: expect.any(String) }]);
    const elsewhere = await code(totpAt(secret, t.clock.now), 'another-browser');
    expect(elsewhere.statusCode).toBe(401);
    const right = await code(totpAt(secret, t.clock.now));
    expect(right.statusCode).toBe(200);
    expect(right.json().user.email).toBe(email);
    const again = await code(totpAt(secret, t.clock.now));
    expect(again.statusCode).toBe(401);
  });

  it('with STAFF_TOTP=required, MFA at the provider counts as two-step sign-in; without it, set-up is still required', async () => {
    const withMfa = atProvider({ amr: ['pwd', 'mfa'] });
    await buildPerson(strict.db, { email: withMfa, roles: ['coordinator'] });
    const a = await providerSignIn(strict, withMfa, '/');
    expect((await sessionOf(strict, a.session!)).user.secondFactor).toEqual({
      enabled: false,
      setupRequired: false,
    });
    const people = await strict.app.inject({
      method: 'GET',
      url: '/api/people',
      cookies: { cc_session: a.session! },
    });
    expect(people.statusCode).toBe(200);

    const withoutMfa = atProvider({ amr: ['pwd'] });
    await buildPerson(strict.db, { email: withoutMfa, roles: ['coordinator'] });
    const b = await providerSignIn(strict, withoutMfa, '/');
    expect((await sessionOf(strict, b.session!)).user.secondFactor).toEqual({
      enabled: false,
      setupRequired: true,
    });
    const blocked = await strict.app.inject({
      method: 'GET',
      url: '/api/people',
      cookies: { cc_session: b.session! },
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().type).toMatch(/second_factor_setup_required|second-factor-setup-required/);
  });

  it('with passwords turned off, password sign-in and resets are refused and the sign-in answer says so', async () => {
    const person = await buildPerson(strict.db, {});
    const signIn = await strict.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: person.email, password: 'correct horse battery staple' },
    });
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json().detail).toBe(
      'Passwords are turned off here. Sign in with Test IdP from the sign-in page instead.',
    );
    const reset = await strict.app.inject({
      method: 'POST',
      url: '/api/password/request',
      payload: { email: person.email },
    });
    expect(reset.statusCode).toBe(403);
    const answer = await strict.app.inject({ method: 'GET', url: '/api/session' });
    expect(answer.json().signIn.passwords).toBe(false);
  });

  it('with passwords turned off, a new account is e-mailed which provider to sign in with, not a password link', async () => {
    const coordinator = atProvider({ amr: ['pwd', 'mfa'] });
    await buildPerson(strict.db, { email: coordinator, roles: ['coordinator'] });
    const signedIn = await providerSignIn(strict, coordinator, '/');
    const { csrfToken } = (await sessionOf(strict, signedIn.session!)) as { csrfToken: string };
    const person = await buildPerson(strict.db, { email: `invited.${Date.now()}@example.gov` });
    const invite = await strict.app.inject({
      method: 'POST',
      url: `/api/people/${person.personId}/invite`,
      cookies: { cc_session: signedIn.session! },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(invite.statusCode, invite.body).toBeLessThan(300);
    const mail = await strict.db
      .selectFrom('email_message')
      .select(['subject', 'text_body'])
      .where('to_address', '=', person.email)
      .executeTakeFirstOrThrow();
    expect(mail.subject).toBe('Your CivicCert account is ready');
    expect(mail.text_body).toContain('Sign in with Test IdP on the sign-in page');
    expect(mail.text_body).not.toContain('password/set');
    expect(
      await strict.db
        .selectFrom('password_token as pt')
        .innerJoin('user_account as u', 'u.id', 'pt.user_id')
        .select('pt.user_id')
        .where('u.person_id', '=', person.personId)
        .execute(),
    ).toEqual([]);
  });

  it('an administrator links and unlinks by hand on the person; the link then signs in', async () => {
    const admin = await signInAs(t, await buildPerson(t.db, { roles: ['administrator'] }));
    const person = await buildPerson(t.db, { email: `hand.${Date.now()}@example.gov` });
    // The provider knows this person by another address, unverified: only a link by hand works.
    const email = atProvider({
      email: `private.${Date.now()}@mail.example`,
      emailVerified: false,
      amr: ['mfa'],
    });
    const sub = [...idp.accounts.values()].find((a) => a.email === email)!.sub;

    const bad = await admin.request('POST', `/api/people/${person.personId}/external-identities`, {
      provider: 'elsewhere',
      subject: sub,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('provider');
    const linked = await admin.request('POST', `/api/people/${person.personId}/external-identities`, {
      provider: 'test-idp',
      subject: sub,
    });
    expect(linked.status).toBe(200);
    expect(linked.json.items).toMatchObject([
      { provider: 'test-idp', providerName: 'Test IdP', subject: sub, linkedBy: 'administrator' },
    ]);
    const twice = await admin.request('POST', `/api/people/${person.personId}/external-identities`, {
      provider: 'test-idp',
      subject: 'another-subject',
    });
    expect(twice.status).toBe(409);

    const signedIn = await providerSignIn(t, email, '/');
    expect(signedIn.res.statusCode).toBe(302);
    expect((await sessionOf(t, signedIn.session!)).user.email).toBe(person.email);

    const id = linked.json.items[0].id;
    const unlinked = await admin.request(
      'DELETE',
      `/api/people/${person.personId}/external-identities/${id}`,
    );
    expect(unlinked.status).toBe(200);
    expect(unlinked.json.items).toEqual([]);
    expect(
      (await admin.request('DELETE', `/api/people/${person.personId}/external-identities/${id}`)).status,
    ).toBe(404);
    const refused = await providerSignIn(t, email, '/');
    expect(refused.res.statusCode).toBe(403);
    const actions = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', person.userId)
      .where('action', 'like', 'auth.external-identity.%')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'auth.external-identity.link',
      'auth.external-identity.unlink',
    ]);
  });

  it('signing out ends the session here and answers the provider’s end-session address', async () => {
    const email = atProvider({ amr: ['mfa'] });
    await buildPerson(t.db, { email });
    const { session } = await providerSignIn(t, email, '/');
    const csrf = (await sessionOf(t, session!)).csrfToken;
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      cookies: { cc_session: session! },
      headers: { 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(200);
    const redirect = new URL(out.json().redirectTo);
    expect(redirect.origin).toBe(idp.issuer);
    expect(redirect.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(redirect.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3000/sign-in');
    expect((await sessionOf(t, session!)).user).toBeNull();

    const passwordUser = await signInAs(t, await buildPerson(t.db, {}));
    const plain = await passwordUser.request('DELETE', '/api/session');
    expect(plain.json).toEqual({ ok: true, redirectTo: null });
  });
});
