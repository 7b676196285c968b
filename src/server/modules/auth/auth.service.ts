import { hash, verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import { isStaff, type Actor, type Role } from '../../../domain/authz/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Database, Db } from '../../db/database.js';
import { enforceRateLimit, type RateLimit } from '../../http/rate-limit.js';
import { realTimeFloor, withTimeFloor } from '../../http/time-floor.js';
import { recordAudit } from '../audit/audit.service.js';
import { checkSignInCode } from './second-factor.service.js';
import { reserveSignInAttempt } from './sign-in-limits.js';
import { hashToken, newToken } from './tokens.js';
import { prepared } from '../../db/prepared.js';

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes).
const ARGON2 = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

// Used to spend the same time on unknown e-mails as on wrong passwords.
let dummyHash: Promise<string> | null = null;

export interface SessionUser {
  userId: string;
  personId: string;
  email: string;
  displayName: string;
  roles: Role[];
  /** Two-step sign-in: on for this account; or required for it (staff) and not set up yet. */
  secondFactor: { enabled: boolean; setupRequired: boolean };
}

export interface ResolvedSession {
  user: SessionUser;
  actor: Actor;
  csrfToken: string;
  sessionId: string;
}

export const displayName = (p: {
  first_name: string;
  last_name: string;
  preferred_name: string | null;
}): string => `${p.preferred_name || p.first_name} ${p.last_name}`;

export async function signIn(
  ctx: Ctx,
  input: { email: string; password: string; code?: string | undefined; userAgent: string | null },
): Promise<{ token: string; session: ResolvedSession }> {
  assertLocalPasswords(ctx);
  // The attempt is counted before the slow password check, atomically (one lock per e-mail
  // and per address), so simultaneous guesses cannot all read "no failures yet".
  const reservation = await reserveSignInAttempt(ctx, input.email).catch(async (e: unknown) => {
    // Paused after too many failures: the refusal is a lockout, recorded for the account (if any).
    if (e instanceof DomainError && e.code === 'rate_limited') await auditSignIn(ctx, 'locked', input.email);
    throw e;
  });
  const row = await ctx.db
    .selectFrom('user_account as u')
    .innerJoin('person as p', 'p.id', 'u.person_id')
    .select([
      'u.id',
      'u.password_hash',
      'u.disabled',
      'u.totp_secret',
      'u.roles',
      'p.id as person_id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.email',
    ])
    .where('p.email', '=', input.email)
    .executeTakeFirst();
  const ok = row?.password_hash
    ? await verify(row.password_hash, input.password).catch(() => false)
    : await verify(await (dummyHash ??= hashPassword('not-a-real-password')), input.password).then(
        () => false,
      );
  const passwordOk = !!row && ok && !row.disabled;
  // With two-step sign-in on, a right password without a code is not yet an attempt:
  // the form asks for the code. A wrong code counts as a failure, so guessing is rate-limited.
  if (passwordOk && row.totp_secret && !input.code?.trim()) {
    await reservation.release();
    throw new DomainError('second_factor_required', 'Enter the 6-digit code from your authenticator app.', {
      issues: [{ field: 'code', message: 'Enter the 6-digit code from your authenticator app.' }],
    });
  }
  const codeOk = passwordOk && (!row.totp_secret || (await checkSignInCode(ctx, row.id, input.code ?? '')));
  const succeeded = passwordOk && codeOk;
  // Only failures stay counted against the limit.
  if (succeeded) await reservation.release();
  await ctx.db
    .insertInto('sign_in_attempt')
    .values({ email: input.email, ip: ctx.ip, at: ctx.now().toISOString(), succeeded })
    .execute();
  if (!succeeded)
    await auditSignIn(
      ctx,
      'failed',
      input.email,
      !row
        ? 'unknown e-mail address'
        : row.disabled && ok
          ? 'account disabled'
          : passwordOk
            ? 'wrong or reused code'
            : 'wrong password',
    );
  if (passwordOk && !codeOk) {
    throw new DomainError(
      'invalid_credentials',
      'That code is not right, or it has been used already. Codes change every 30 seconds; enter the newest one, or use one of your recovery codes.',
      { issues: [{ field: 'code', message: 'The code is not right or was already used.' }] },
    );
  }
  if (!succeeded || !row) {
    throw new DomainError(
      'invalid_credentials',
      'The e-mail address or password is not right. Check them and try again, or reset your password.',
    );
  }

  return openSession(ctx, row, { userAgent: input.userAgent });
}

/**
 * Opens a signed-in session for an account whose sign-in has succeeded (password and code, or an
 * OpenID provider), records the sign-in in the audit log, and returns the cookie's token.
 * `provider`: the OpenID provider that signed the person in, its ID token (for signing out
 * there), and whether it asserted its own two-step sign-in.
 */
export async function openSession(
  ctx: Ctx,
  account: {
    id: string;
    person_id: string;
    roles: Role[];
    email: string;
    first_name: string;
    last_name: string;
    preferred_name: string | null;
  },
  opts: {
    userAgent: string | null;
    provider?: { id: string; idToken: string | null; mfa: boolean };
    db?: Db;
  },
): Promise<{ token: string; session: ResolvedSession }> {
  const token = newToken();
  const csrf = newToken();
  const write = async (tx: Db) => {
    await tx
      .insertInto('auth_session')
      .values({
        id: hashToken(token),
        user_id: account.id,
        csrf_token: csrf,
        created_at: ctx.now().toISOString(),
        last_seen_at: ctx.now().toISOString(),
        expires_at: new Date(ctx.now().getTime() + ctx.config.sessionTtlHours * 3_600_000).toISOString(),
        ip: ctx.ip,
        user_agent: opts.userAgent?.slice(0, 300) ?? null,
        oidc_provider: opts.provider?.id ?? null,
        oidc_id_token: opts.provider?.idToken ?? null,
        provider_mfa: opts.provider?.mfa ?? false,
      })
      .execute();
    await tx
      .updateTable('user_account')
      .set({ last_sign_in_at: ctx.now().toISOString() })
      .where('id', '=', account.id)
      .execute();
    await recordAudit(
      tx,
      {
        ...ctx,
        actor: { userId: account.id, personId: account.person_id, roles: account.roles },
        actorLabel: `${displayName(account)} <${account.email}>`,
      },
      {
        action: 'auth.sign-in',
        entityType: 'user',
        entityId: account.id,
        after: {
          ip: ctx.ip,
          ...(opts.provider && { provider: opts.provider.id, providerMfa: opts.provider.mfa }),
        },
      },
    );
  };
  if (opts.db) await write(opts.db);
  else await ctx.db.transaction().execute(write);
  const session = await resolveSession(opts.db ?? ctx.db, token, ctx.now(), ctx.config.staffTotp);
  if (!session) throw new Error('session vanished after sign-in');
  return { token, session };
}

/**
 * Records a refused sign-in in the audit log: `auth.sign-in.failed` (with why) or
 * `auth.sign-in.locked` (refused unchecked while sign-in is paused). It names
 * the account when the e-mail address has one; the address typed is kept either way.
 */
async function auditSignIn(
  ctx: Ctx,
  outcome: 'failed' | 'locked',
  email: string,
  reason?: string,
): Promise<void> {
  const account = await ctx.db
    .selectFrom('user_account as u')
    .innerJoin('person as p', 'p.id', 'u.person_id')
    .select('u.id')
    .where('p.email', '=', email)
    .executeTakeFirst();
  await recordAudit(ctx.db, ctx, {
    action: `auth.sign-in.${outcome}`,
    entityType: 'user',
    entityId: account?.id ?? null,
    after: { email, ip: ctx.ip, ...(reason ? { reason } : {}) },
  });
}

/** A signed-in session by its stored id, with its account, person and coordinator limits. */
const sessionRow = prepared((db, sessionId: string) =>
  db
    .selectFrom('auth_session as s')
    .innerJoin('user_account as u', 'u.id', 's.user_id')
    .innerJoin('person as p', 'p.id', 'u.person_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.expires_at',
      's.provider_mfa',
      'u.id as user_id',
      'u.roles',
      'u.disabled',
      'u.totp_secret',
      'p.id as person_id',
      'p.email',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      sql<string[]>`coalesce((select array_agg(sc.jurisdiction_fips) from account_county sc
          where sc.user_id = u.id), '{}')`.as('counties'),
      sql<string[]>`coalesce((select array_agg(cp.program_id) from coordinator_program cp
          where cp.user_id = u.id), '{}')`.as('programs'),
    ])
    .where('s.id', '=', sessionId),
);

export async function resolveSession(
  db: Database,
  token: string,
  now: Date,
  staffTotp: 'required' | 'optional',
): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const [row] = await sessionRow(db, hashToken(token));
  if (!row || row.disabled || new Date(row.expires_at) <= now) return null;
  const user: SessionUser = {
    userId: row.user_id,
    personId: row.person_id,
    email: row.email,
    displayName: displayName(row),
    roles: row.roles,
    secondFactor: {
      enabled: !!row.totp_secret,
      // A provider that asserted its own two-step sign-in (amr/acr) stands in for the authenticator.
      setupRequired: !row.totp_secret && !row.provider_mfa && staffTotp === 'required' && isStaff(row.roles),
    },
  };
  return {
    user,
    actor: {
      userId: row.user_id,
      personId: row.person_id,
      roles: row.roles,
      ...(row.counties.length > 0 && { counties: row.counties }),
      ...(row.programs.length > 0 && { programs: row.programs }),
    },
    csrfToken: row.csrf_token,
    sessionId: row.session_id,
  };
}

/** Ends the session; answers the OpenID provider that opened it and its ID token, if one did. */
export async function signOut(
  db: Database,
  sessionId: string,
): Promise<{ provider: string; idToken: string | null } | null> {
  const ended = await db
    .deleteFrom('auth_session')
    .where('id', '=', sessionId)
    .returning(['oidc_provider', 'oidc_id_token'])
    .executeTakeFirst();
  return ended?.oidc_provider ? { provider: ended.oidc_provider, idToken: ended.oidc_id_token } : null;
}

/** With LOCAL_PASSWORDS=false, passwords neither sign in nor get set or reset (issue 17). */
export function assertLocalPasswords(ctx: Ctx): void {
  if (ctx.config.oidc.localPasswords) return;
  const names = ctx.config.oidc.providers.map((p) => p.name).join(' or ');
  throw new DomainError(
    'forbidden',
    `Passwords are turned off here. Sign in with ${names} from the sign-in page instead.`,
  );
}

const SET_LINK_DAYS = 7;
const RESET_LINK_HOURS = 2;

/**
 * Creates a single-use link and queues the e-mail, inside the caller's transaction. With passwords
 * turned off (LOCAL_PASSWORDS=false) nobody gets a link, which could not be used: an invitation
 * or an approved account request says which provider to sign in with instead (the public reset
 * request is refused before it gets here).
 */
export async function sendPasswordLink(
  tx: Db,
  ctx: Ctx,
  account: { userId: string; email: string; name: string },
  purpose: 'set' | 'reset',
): Promise<void> {
  if (!ctx.config.oidc.localPasswords) {
    const names = ctx.config.oidc.providers.map((p) => p.name).join(' or ');
    await ctx.mailer.enqueue(tx, {
      to: account.email,
      subject: 'Your CivicCert account is ready',
      text: `Hello ${account.name},\n\nAn account has been created for you in CivicCert for ${ctx.config.organization.name}.\n\nSign in with ${names} on the sign-in page, using ${account.email}:\n${ctx.config.publicUrl}/sign-in\n\nThis site has no passwords of its own.\n`,
      kind: 'account-ready',
    });
    return;
  }
  // Only the newest link works: an older one, perhaps still in an inbox or a forwarded mail, is void.
  await tx
    .deleteFrom('password_token')
    .where('user_id', '=', account.userId)
    .where('used_at', 'is', null)
    .execute();
  const token = newToken();
  const ttl = purpose === 'set' ? SET_LINK_DAYS * 86_400_000 : RESET_LINK_HOURS * 3_600_000;
  await tx
    .insertInto('password_token')
    .values({
      token_hash: hashToken(token),
      user_id: account.userId,
      purpose,
      created_at: ctx.now().toISOString(),
      expires_at: new Date(ctx.now().getTime() + ttl).toISOString(),
    })
    .execute();
  const link = `${ctx.config.publicUrl}/password/set?token=${encodeURIComponent(token)}`;
  const org = ctx.config.organization.name;
  const text =
    purpose === 'set'
      ? `Hello ${account.name},\n\nAn account has been created for you in CivicCert for ${org}.\n\nChoose your password here (the link works once and expires in ${SET_LINK_DAYS} days):\n${link}\n\nThen sign in with ${account.email}.\n`
      : `Hello ${account.name},\n\nSomeone asked to reset the password of your CivicCert account.\n\nChoose a new password here (the link works once and expires in ${RESET_LINK_HOURS} hours):\n${link}\n\nIf you did not ask for this, you can ignore this message; your password has not changed.\n`;
  await ctx.mailer.enqueue(tx, {
    to: account.email,
    subject: purpose === 'set' ? `Set your CivicCert password` : `Reset your CivicCert password`,
    text,
    kind: `password-${purpose}`,
  });
}

/** Reset requests per caller address, and per e-mail address asked about (known or not). */
export const RESET_LIMIT_BY_IP: RateLimit = {
  bucket: 'password.request.ip',
  limit: 10,
  windowSeconds: 3600,
  message: 'Too many password reset requests from this address. Try again in an hour.',
};
export const RESET_LIMIT_BY_EMAIL: RateLimit = {
  bucket: 'password.request.email',
  limit: 3,
  windowSeconds: 3600,
  message:
    'Too many password reset requests for this e-mail address. Use the newest link you were sent, or try again in an hour.',
};

/**
 * Every reset request answers after the same floor, whether or not the address
 * has an account (tests swap `now` and `sleep` to watch it, without timing).
 */
export const resetTiming = realTimeFloor(400);

/**
 * E-mails a reset link when the address has an active account, and answers the
 * same way, after the same time, when it has none. Rate-limited per caller
 * address and per e-mail address.
 */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  assertLocalPasswords(ctx);
  await enforceRateLimit(ctx, RESET_LIMIT_BY_IP);
  await enforceRateLimit(ctx, RESET_LIMIT_BY_EMAIL, email);
  await withTimeFloor(resetTiming, () => sendResetIfKnown(ctx, email));
  void ctx.mailer.flush();
}

async function sendResetIfKnown(ctx: Ctx, email: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('user_account as u')
      .innerJoin('person as p', 'p.id', 'u.person_id')
      .select(['u.id', 'p.email', 'p.first_name', 'p.last_name', 'p.preferred_name', 'u.disabled'])
      .where('p.email', '=', email)
      .executeTakeFirst();
    if (!row || row.disabled) return; // say nothing: the answer must not reveal who has an account
    await sendPasswordLink(tx, ctx, { userId: row.id, email: row.email, name: displayName(row) }, 'reset');
    await recordAudit(tx, ctx, {
      action: 'auth.password.reset-requested',
      entityType: 'user',
      entityId: row.id,
    });
  });
}

export async function setPassword(ctx: Ctx, input: { token: string; password: string }): Promise<void> {
  assertLocalPasswords(ctx);
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (tx) => {
    const token = await tx
      .selectFrom('password_token')
      .selectAll()
      .where('token_hash', '=', hashToken(input.token))
      .forUpdate()
      .executeTakeFirst();
    if (!token || token.used_at || new Date(token.expires_at) <= ctx.now()) {
      throw new DomainError(
        'invalid_token',
        'This link has already been used or has expired. Ask for a new one from the "Forgot your password?" page.',
        { issues: [{ field: 'token', message: 'Link used or expired.' }] },
      );
    }
    const now = ctx.now().toISOString();
    await tx
      .updateTable('password_token')
      .set({ used_at: now })
      .where('token_hash', '=', token.token_hash)
      .execute();
    // Setting the password voids every other outstanding link to this account.
    await tx
      .deleteFrom('password_token')
      .where('user_id', '=', token.user_id)
      .where('used_at', 'is', null)
      .execute();
    await tx
      .updateTable('user_account')
      .set({ password_hash: passwordHash, password_changed_at: now })
      .where('id', '=', token.user_id)
      .execute();
    // A new password ends every other signed-in session of this account.
    await tx.deleteFrom('auth_session').where('user_id', '=', token.user_id).execute();
    await recordAudit(
      tx,
      { ...ctx, actorLabel: 'account holder (e-mailed link)' },
      {
        action: 'auth.password.set',
        entityType: 'user',
        entityId: token.user_id,
        after: { purpose: token.purpose },
      },
    );
  });
}
