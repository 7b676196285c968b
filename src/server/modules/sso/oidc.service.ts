/**
 * OpenID Connect sign-in (issue 17, item 1): authorization code with PKCE, `private_key_jwt` or
 * client secret, through openid-client. A sign-in under way is a row in oidc_sign_in keyed by the
 * hash of its `state` (the PKCE verifier and nonce never leave the server) and bound to the
 * browser by a cookie holding the state; it is used once. The account is found by an existing
 * link, by a verified e-mail, or created just in time when the provider allows it. See
 * docs/identity.md ("Single sign-on") and ADR 0023.
 */
import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Role } from '../../../domain/authz/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { OidcProviderConfig } from '../../config.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { insertPerson } from '../people/people.service.js';
import { openSession, type ResolvedSession } from '../auth/auth.service.js';
import { checkSignInCode } from '../auth/second-factor.service.js';
import { reserveSignInAttempt } from '../auth/sign-in-limits.js';
import { enforceRateLimit, type RateLimit } from '../../http/rate-limit.js';

/** How long a sign-in may take at the provider, and then how long the local code may take. */
const START_MINUTES = 10;

/**
 * Sign-ins started per caller address: each start stores a row for ten minutes, so an unbounded
 * number of starts would be an unbounded table. Generous enough for a county office behind one
 * address signing in together in the morning.
 */
export const START_LIMIT_BY_IP: RateLimit = {
  bucket: 'oidc.start.ip',
  limit: 120,
  windowSeconds: 600,
  message: 'Too many sign-ins started from this address. Try again in ten minutes.',
};
const CODE_MINUTES = 5;

/** The cookie that binds a sign-in under way to the browser that started it (it holds the state). */
export const OIDC_COOKIE = 'cc_oidc';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

export function providerById(ctx: Ctx, id: string): OidcProviderConfig {
  const p = ctx.config.oidc.providers.find((x) => x.id === id);
  if (!p) throw new DomainError('not_found', `There is no sign-in provider called "${id}" here.`);
  return p;
}

export const redirectUri = (ctx: Ctx, p: OidcProviderConfig): string =>
  `${ctx.config.publicUrl}/api/oidc/${p.id}/callback`;

/** Where a provider sends the browser back after signing out there (register it with the provider). */
export const postLogoutUri = (ctx: Ctx): string => `${ctx.config.publicUrl}/sign-in`;

/** A same-site path to go to after sign-in; anything else is '/'. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/sign-in') || value.startsWith('/api/')) return '/';
  return value.slice(0, 500);
}

const SIGNING: Record<string, { alg: string; params: RsaHashedImportParams | EcKeyImportParams }> = {
  RSA: { alg: 'RS256', params: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
  'EC:P-256': { alg: 'ES256', params: { name: 'ECDSA', namedCurve: 'P-256' } },
  'EC:P-384': { alg: 'ES384', params: { name: 'ECDSA', namedCurve: 'P-384' } },
};

/** The client's private key (a JWK, its JSON, or a PEM) as a signing key for private_key_jwt. */
async function signingKey(p: OidcProviderConfig): Promise<oidc.PrivateKey> {
  const raw = p.privateKey;
  const jwk = (
    typeof raw === 'string'
      ? raw.trim().startsWith('{')
        ? JSON.parse(raw)
        : createPrivateKey(raw).export({ format: 'jwk' })
      : raw
  ) as webcrypto.JsonWebKey & { kid?: string };
  const kind = jwk.kty === 'EC' ? `EC:${jwk.crv}` : String(jwk.kty);
  const signing = SIGNING[kind];
  if (!signing) throw new Error(`${p.id}: the private key must be RSA or EC P-256/P-384 (found ${kind})`);
  const { kid, ...material } = jwk;
  delete material.alg;
  delete material.use;
  delete material.key_ops;
  const key = await webcrypto.subtle.importKey('jwk', material, signing.params, false, ['sign']);
  return { key: key as unknown as CryptoKey, ...(kid ? { kid } : {}) };
}

/** Discovered provider metadata, per provider, kept once it has been fetched successfully. */
const configurations = new Map<string, Promise<oidc.Configuration>>();

async function configurationOf(p: OidcProviderConfig): Promise<oidc.Configuration> {
  const cacheKey = `${p.id} ${p.issuer} ${p.clientId}`;
  let found = configurations.get(cacheKey);
  if (!found) {
    found = (async () => {
      const auth =
        p.clientAuth === 'private_key_jwt'
          ? oidc.PrivateKeyJwt(await signingKey(p))
          : oidc.ClientSecretBasic(p.clientSecret ?? '');
      // Plain http:// issuers are refused in production by the configuration; elsewhere (tests,
      // a local provider) they are allowed.
      return oidc.discovery(new URL(p.issuer), p.clientId, undefined, auth, {
        execute: p.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      });
    })();
    configurations.set(cacheKey, found);
    found.catch(() => configurations.delete(cacheKey));
  }
  return found.catch((e: unknown) => {
    throw new DomainError(
      'provider_unavailable',
      `${p.name} cannot be reached just now (${(e as Error).message}). Try again in a few minutes.`,
    );
  });
}

/** Starts a sign-in: stores the state, nonce and PKCE verifier, and answers the provider's address. */
export async function startOidcSignIn(
  ctx: Ctx,
  providerId: string,
  next: string | undefined,
): Promise<{ url: string; state: string }> {
  const p = providerById(ctx, providerId);
  await enforceRateLimit(ctx, START_LIMIT_BY_IP);
  const conf = await configurationOf(p);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const now = ctx.now();
  await ctx.db.deleteFrom('oidc_sign_in').where('expires_at', '<', now.toISOString()).execute();
  await ctx.db
    .insertInto('oidc_sign_in')
    .values({
      state_hash: sha256(state),
      provider: p.id,
      code_verifier: verifier,
      nonce,
      return_to: safeReturnTo(next),
      user_id: null,
      id_token: null,
      expires_at: new Date(now.getTime() + START_MINUTES * 60_000).toISOString(),
    })
    .execute();
  const url = oidc.buildAuthorizationUrl(conf, {
    redirect_uri: redirectUri(ctx, p),
    scope: p.scopes.join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(p.acrValues ? { acr_values: p.acrValues } : {}),
  });
  return { url: url.href, state };
}

interface Account {
  id: string;
  person_id: string;
  roles: Role[];
  email: string;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
  disabled: boolean;
  totp_secret: string | null;
}

const accountQuery = (db: Db) =>
  db
    .selectFrom('user_account as u')
    .innerJoin('person as p', 'p.id', 'u.person_id')
    .select([
      'u.id',
      'u.person_id',
      'u.roles',
      'u.disabled',
      'u.totp_secret',
      'p.email',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
    ]);

/** What the provider said about the person, from the validated ID token. */
export interface ProviderClaims {
  sub: string;
  email: string | null;
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
}

/** Did the provider assert its own two-step sign-in, as this provider's configuration counts it? */
export function providerAssertsMfa(p: OidcProviderConfig, claims: { amr?: unknown; acr?: unknown }): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((a): a is string => typeof a === 'string') : [];
  return (
    amr.some((a) => p.mfa.amr.includes(a)) ||
    (typeof claims.acr === 'string' && p.mfa.acr.includes(claims.acr))
  );
}

const refusal = (message: string) => new DomainError('forbidden', message);

/**
 * The account for these claims, in the caller's transaction: by an existing link; else by a
 * verified e-mail of a person with an account (and linked from now on); else created just in
 * time when the provider allows it for the e-mail's domain. Otherwise a 403 saying why.
 */
async function accountFor(
  tx: Db,
  ctx: Ctx,
  p: OidcProviderConfig,
  c: ProviderClaims,
): Promise<{ account: Account; linked: 'existing' | 'email' | 'jit' }> {
  const linked = await accountQuery(tx)
    .innerJoin('external_identity as ei', 'ei.user_id', 'u.id')
    .where('ei.provider', '=', p.id)
    .where('ei.subject', '=', c.sub)
    .executeTakeFirst();
  if (linked) return { account: linked, linked: 'existing' };
  const ask = `Ask an administrator to link your ${p.name} sign-in to your CivicCert account.`;
  if (!c.email)
    throw refusal(`${p.name} did not share your e-mail address, so no account here matches. ${ask}`);
  if (!c.emailVerified)
    throw refusal(
      `${p.name} has not confirmed the e-mail address ${c.email}, so it cannot be matched to an account here. ${ask}`,
    );
  const byEmail = await accountQuery(tx).where('p.email', '=', c.email).executeTakeFirst();
  if (byEmail) {
    await link(tx, ctx, p, byEmail.id, c.sub, c.email, 'email');
    return { account: byEmail, linked: 'email' };
  }
  const domain = c.email.split('@')[1] ?? '';
  if (!p.jit || !p.jit.domains.includes(domain))
    throw refusal(
      `No CivicCert account here belongs to ${c.email}, and accounts are not created on first sign-in${p.jit ? ` for ${domain}` : ''}. Ask for an account from the sign-in page, or ${ask.charAt(0).toLowerCase()}${ask.slice(1)}`,
    );
  const local = c.email.split('@')[0] ?? c.email;
  const personId = await insertPerson(
    tx,
    { ...ctx, actorLabel: `${p.name} sign-in (created on first sign-in)` },
    {
      firstName: (c.givenName?.trim() || local).slice(0, 100),
      lastName: (c.familyName?.trim() || '(not given)').slice(0, 100),
      preferredName: null,
      email: c.email,
      phone: null,
      title: null,
      jurisdictionFips: null,
      roles: [p.jit.role],
      sendInvite: false,
    },
  );
  const created = await accountQuery(tx).where('p.id', '=', personId).executeTakeFirstOrThrow();
  await link(tx, ctx, p, created.id, c.sub, c.email, 'jit');
  return { account: created, linked: 'jit' };
}

/** Stores a link (one per provider per account, one account per subject) and audits it. */
async function link(
  tx: Db,
  ctx: Ctx,
  p: OidcProviderConfig,
  userId: string,
  subject: string,
  email: string | null,
  linkedBy: 'email' | 'jit' | 'administrator',
): Promise<string> {
  const taken = await tx
    .selectFrom('external_identity')
    .select(['user_id', 'subject'])
    .where('provider', '=', p.id)
    .where((eb) => eb.or([eb('subject', '=', subject), eb('user_id', '=', userId)]))
    .executeTakeFirst();
  if (taken?.subject === subject)
    throw new DomainError('conflict', `That ${p.name} identity is already linked to an account.`, {
      issues: [{ field: 'subject', message: 'Already linked to an account.' }],
    });
  if (taken)
    throw new DomainError(
      'conflict',
      `This account is already linked to another ${p.name} identity. Unlink that one first.`,
      { issues: [{ field: 'provider', message: `Already linked to ${p.name}.` }] },
    );
  const row = await tx
    .insertInto('external_identity')
    .values({ provider: p.id, subject, user_id: userId, email, linked_by: linkedBy, last_sign_in_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: 'auth.external-identity.link',
    entityType: 'user',
    entityId: userId,
    after: { provider: p.id, subject, email, linkedBy },
  });
  return row.id;
}

const badState = () =>
  new DomainError(
    'invalid_token',
    'This sign-in is not valid in this browser, was used already or has expired. Start again from the sign-in page.',
    { issues: [{ field: 'state', message: 'Unknown, used or expired sign-in state.' }] },
  );

/** Records a refused sign-in through a provider, then throws the refusal. */
async function refuse(ctx: Ctx, p: OidcProviderConfig, e: DomainError, email: string | null): Promise<never> {
  await recordAudit(ctx.db, ctx, {
    action: 'auth.sign-in.failed',
    entityType: 'user',
    entityId: null,
    after: { provider: p.id, ...(email ? { email } : {}), ip: ctx.ip, reason: e.message },
  });
  throw e;
}

export type OidcOutcome =
  | { kind: 'signed-in'; token: string; session: ResolvedSession; returnTo: string }
  | { kind: 'code-required'; returnTo: string };

/**
 * Finishes a sign-in at the callback: the state must be the browser's and unused; the code is
 * exchanged (PKCE, client authentication) and the ID token checked by openid-client; then the
 * account is found and a session opened, unless the account has an authenticator and the
 * provider did not assert its own two-step sign-in: then the local code is asked for first.
 */
export async function finishOidcSignIn(
  ctx: Ctx,
  providerId: string,
  query: Record<string, string | undefined>,
  browserState: string | undefined,
  userAgent: string | null,
): Promise<OidcOutcome> {
  const p = providerById(ctx, providerId);
  const state = query.state;
  if (!state || !browserState || state !== browserState || state.length > 200) throw badState();
  // Claimed once: a replayed callback finds nothing.
  const started = await ctx.db
    .deleteFrom('oidc_sign_in')
    .where('state_hash', '=', sha256(state))
    .where('provider', '=', p.id)
    .where('user_id', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!started || new Date(started.expires_at) <= ctx.now()) throw badState();
  if (query.error) {
    const said = (query.error_description ?? query.error).slice(0, 200);
    return refuse(
      ctx,
      p,
      query.error === 'access_denied'
        ? refusal(`${p.name} did not sign you in (${said}). You can try again from the sign-in page.`)
        : new DomainError('validation', `${p.name} answered with an error: ${said}. Try again.`, {
            issues: [{ field: 'error', message: said }],
          }),
      null,
    );
  }
  if (!query.code)
    throw new DomainError('validation', `${p.name} sent no sign-in code back.`, {
      issues: [{ field: 'code', message: 'Missing.' }],
    });
  const conf = await configurationOf(p);
  const current = new URL(redirectUri(ctx, p));
  for (const [k, v] of Object.entries(query)) if (v !== undefined) current.searchParams.set(k, v);
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(conf, current, {
      pkceCodeVerifier: started.code_verifier,
      expectedState: state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    });
  } catch (e) {
    const network = e instanceof TypeError || (e as { name?: string }).name === 'AbortError';
    if (network)
      throw new DomainError('provider_unavailable', `${p.name} cannot be reached just now. Try again.`);
    return refuse(
      ctx,
      p,
      new DomainError(
        'invalid_token',
        `${p.name}'s answer could not be accepted (${(e as Error).message}). Start again from the sign-in page.`,
        { issues: [{ field: 'code', message: 'Refused or not verifiable.' }] },
      ),
      null,
    );
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw badState();
  // Many providers (Login.gov, oidc-provider) give the e-mail at the userinfo endpoint, not in
  // the ID token; its subject must be the ID token's.
  let profile: Record<string, unknown> = { ...idClaims };
  if (typeof idClaims.email !== 'string' && conf.serverMetadata().userinfo_endpoint && tokens.access_token) {
    const info = await oidc.fetchUserInfo(conf, tokens.access_token, idClaims.sub).catch(() => null);
    if (info) profile = { ...info, ...idClaims, email: info.email, email_verified: info.email_verified };
  }
  const claims: ProviderClaims = {
    sub: idClaims.sub,
    email: typeof profile.email === 'string' ? profile.email.trim().toLowerCase() : null,
    emailVerified: profile.email_verified === true,
    givenName: typeof profile.given_name === 'string' ? profile.given_name : null,
    familyName: typeof profile.family_name === 'string' ? profile.family_name : null,
  };
  const mfa = providerAssertsMfa(p, { amr: idClaims.amr, acr: idClaims.acr });
  const idToken = tokens.id_token ?? null;

  const found = await ctx.db
    .transaction()
    .execute((tx) => accountFor(tx, ctx, p, claims))
    .catch((e: unknown) => (e instanceof DomainError ? refuse(ctx, p, e, claims.email) : Promise.reject(e)));
  const { account } = found;
  if (account.disabled)
    return refuse(ctx, p, refusal('This account is disabled. Ask an administrator.'), claims.email);
  await ctx.db
    .updateTable('external_identity')
    .set({ last_sign_in_at: ctx.now().toISOString() })
    .where('provider', '=', p.id)
    .where('user_id', '=', account.id)
    .execute();
  if (account.totp_secret && !mfa) {
    // The same rule as for passwords: an account with an authenticator gives its code too.
    await ctx.db
      .insertInto('oidc_sign_in')
      .values({
        state_hash: sha256(state),
        provider: p.id,
        code_verifier: '',
        nonce: '',
        return_to: started.return_to,
        user_id: account.id,
        id_token: idToken,
        expires_at: new Date(ctx.now().getTime() + CODE_MINUTES * 60_000).toISOString(),
      })
      .execute();
    return { kind: 'code-required', returnTo: started.return_to };
  }
  const { token, session } = await openSession(ctx, account, {
    userAgent,
    provider: { id: p.id, idToken, mfa },
  });
  return { kind: 'signed-in', token, session, returnTo: started.return_to };
}

/**
 * The second step of a provider sign-in that did not assert two-step sign-in, for an account
 * with an authenticator: the code (or a recovery code), rate-limited like a password sign-in.
 */
export async function finishOidcWithCode(
  ctx: Ctx,
  browserState: string | undefined,
  code: string,
  userAgent: string | null,
): Promise<{ token: string; session: ResolvedSession }> {
  const expired = () =>
    new DomainError(
      'unauthenticated',
      'This sign-in has expired or was finished already. Start again from the sign-in page.',
    );
  if (!browserState || browserState.length > 200) throw expired();
  const waiting = await ctx.db
    .selectFrom('oidc_sign_in')
    .selectAll()
    .where('state_hash', '=', sha256(browserState))
    .where('user_id', 'is not', null)
    .executeTakeFirst();
  if (!waiting?.user_id || new Date(waiting.expires_at) <= ctx.now()) throw expired();
  const account = await accountQuery(ctx.db).where('u.id', '=', waiting.user_id).executeTakeFirstOrThrow();
  const reservation = await reserveSignInAttempt(ctx, account.email);
  if (account.disabled || !(await checkSignInCode(ctx, account.id, code))) {
    await recordAudit(ctx.db, ctx, {
      action: 'auth.sign-in.failed',
      entityType: 'user',
      entityId: account.id,
      after: { provider: waiting.provider, email: account.email, ip: ctx.ip, reason: 'wrong or reused code' },
    });
    throw new DomainError(
      'invalid_credentials',
      'That code is not right, or it has been used already. Codes change every 30 seconds; enter the newest one, or use one of your recovery codes.',
      { issues: [{ field: 'code', message: 'The code is not right or was already used.' }] },
    );
  }
  await reservation.release();
  const claimed = await ctx.db
    .deleteFrom('oidc_sign_in')
    .where('state_hash', '=', waiting.state_hash)
    .executeTakeFirst();
  if (Number(claimed.numDeletedRows) !== 1) throw expired();
  return openSession(ctx, account, {
    userAgent,
    provider: { id: waiting.provider, idToken: waiting.id_token, mfa: false },
  });
}

/**
 * Where to send the browser after the local session ended, to sign out at the provider too
 * (RP-initiated logout): its end_session_endpoint with the ID token and our return address, or
 * null when the session did not come from a provider or the provider has no such endpoint.
 */
export async function providerSignOutUrl(
  ctx: Ctx,
  ended: { provider: string; idToken: string | null } | null,
): Promise<string | null> {
  const p = ended && ctx.config.oidc.providers.find((x) => x.id === ended.provider);
  if (!ended || !p) return null;
  const conf = await configurationOf(p).catch(() => null);
  if (!conf?.serverMetadata().end_session_endpoint) return null;
  return oidc.buildEndSessionUrl(conf, {
    post_logout_redirect_uri: postLogoutUri(ctx),
    client_id: p.clientId,
    ...(ended.idToken ? { id_token_hint: ended.idToken } : {}),
  }).href;
}

// ------------------------------------------------------------ links kept by administrators

export interface ExternalIdentity {
  id: string;
  provider: string;
  providerName: string;
  subject: string;
  email: string | null;
  linkedBy: 'email' | 'jit' | 'administrator';
  createdAt: string;
  lastSignInAt: string | null;
}

async function userOfPerson(ctx: Ctx, personId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('user_account')
    .select('id')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'This person has no account to link.');
  return row.id;
}

export async function listExternalIdentities(ctx: Ctx, personId: string): Promise<ExternalIdentity[]> {
  const userId = await userOfPerson(ctx, personId);
  const rows = await ctx.db
    .selectFrom('external_identity')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('provider')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    providerName: ctx.config.oidc.providers.find((p) => p.id === r.provider)?.name ?? r.provider,
    subject: r.subject,
    email: r.email,
    linkedBy: r.linked_by,
    createdAt: new Date(r.created_at).toISOString(),
    lastSignInAt: r.last_sign_in_at ? new Date(r.last_sign_in_at).toISOString() : null,
  }));
}

export async function linkExternalIdentity(
  ctx: Ctx,
  personId: string,
  input: { provider: string; subject: string },
): Promise<ExternalIdentity[]> {
  const p = ctx.config.oidc.providers.find((x) => x.id === input.provider);
  if (!p)
    throw new DomainError('validation', `There is no sign-in provider called "${input.provider}" here.`, {
      issues: [{ field: 'provider', message: 'Not a configured provider.' }],
    });
  const userId = await userOfPerson(ctx, personId);
  await ctx.db.transaction().execute((tx) => link(tx, ctx, p, userId, input.subject, null, 'administrator'));
  return listExternalIdentities(ctx, personId);
}

export async function unlinkExternalIdentity(
  ctx: Ctx,
  personId: string,
  identityId: string,
): Promise<ExternalIdentity[]> {
  const userId = await userOfPerson(ctx, personId);
  await ctx.db.transaction().execute(async (tx) => {
    const gone = await tx
      .deleteFrom('external_identity')
      .where('id', '=', identityId)
      .where('user_id', '=', userId)
      .returning(['provider', 'subject'])
      .executeTakeFirst();
    if (!gone) throw new DomainError('not_found', 'This person has no such linked sign-in.');
    await recordAudit(tx, ctx, {
      action: 'auth.external-identity.unlink',
      entityType: 'user',
      entityId: userId,
      before: gone,
    });
  });
  return listExternalIdentities(ctx, personId);
}
