/**
 * Two-step sign-in with an authenticator app (TOTP): setting it up, proving it
 * with a first code, recovery codes, turning it off, an administrator's reset,
 * and the code check at sign-in. Secrets never leave the server after set-up,
 * and are stored sealed with SECRETS_KEY (src/server/secrets.ts).
 */
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { isStaff, personChangeRefusal } from '../../../domain/authz/index.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Database, Db } from '../../db/database.js';
import { isSealed, openSecret, sealSecret, secretsKeyOf } from '../../secrets.js';
import { reserveRateLimit } from '../../http/rate-limit.js';
import { recordAudit } from '../audit/audit.service.js';
import { signInLimits } from './sign-in-limits.js';
import { newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, otpauthUri, verifyTotp } from './totp.js';

const hashCode = (code: string): string =>
  createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');

/** What a sealed secret is bound to: its account (a sealed value copied to another row does not open). */
const purposeOf = (userId: string) => `user_account.totp:${userId}`;
const seal = (ctx: Ctx, userId: string, secret: string) =>
  sealSecret(secretsKeyOf(ctx.config), purposeOf(userId), secret);
const open = (ctx: Ctx, userId: string, stored: string) =>
  openSecret(secretsKeyOf(ctx.config), purposeOf(userId), stored);

/** The stored form of an authenticator secret (for tests and tools that set one directly). */
export const sealTotpSecret = (key: Buffer, userId: string, secret: string): string =>
  sealSecret(key, purposeOf(userId), secret);

/**
 * At start-up: seals the secrets stored in plaintext before sealing existed
 * (or restored from such a backup), and checks that the key opens the sealed
 * ones, so a wrong SECRETS_KEY stops the server instead of failing sign-ins.
 */
export async function sealStoredTotpSecrets(db: Database, key: Buffer): Promise<{ sealed: number }> {
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('user_account')
      .select(['id', 'totp_secret', 'totp_pending_secret'])
      .where((eb) => eb.or([eb('totp_secret', 'is not', null), eb('totp_pending_secret', 'is not', null)]))
      .forUpdate()
      .execute();
    let sealed = 0;
    for (const row of rows) {
      const values = { totp_secret: row.totp_secret, totp_pending_secret: row.totp_pending_secret };
      let changed = false;
      for (const column of ['totp_secret', 'totp_pending_secret'] as const) {
        const stored = values[column];
        if (stored === null) continue;
        if (isSealed(stored)) {
          openSecret(key, purposeOf(row.id), stored); // throws SecretsKeyError for a wrong key
        } else {
          values[column] = sealSecret(key, purposeOf(row.id), stored);
          changed = true;
        }
      }
      if (changed) {
        await tx.updateTable('user_account').set(values).where('id', '=', row.id).execute();
        sealed++;
      }
    }
    return { sealed };
  });
}

export interface SecondFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  /** Staff accounts under STAFF_TOTP=required may not turn it off. */
  required: boolean;
}

function signedIn(ctx: Ctx): string {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return ctx.actor.userId;
}

async function account(db: Db, userId: string) {
  const row = await db
    .selectFrom('user_account as u')
    .innerJoin('person as p', 'p.id', 'u.person_id')
    .select([
      'u.id',
      'u.roles',
      'u.totp_secret',
      'u.totp_pending_secret',
      'u.totp_enabled_at',
      'u.totp_last_counter',
      'p.email',
      'p.first_name',
      'p.last_name',
    ])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'There is no such account.');
  return row;
}

export async function secondFactorStatus(ctx: Ctx, userId: string): Promise<SecondFactorStatus> {
  const row = await account(ctx.db, userId);
  const left = await ctx.db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    enabled: !!row.totp_secret,
    enabledAt: row.totp_enabled_at ? new Date(row.totp_enabled_at).toISOString() : null,
    recoveryCodesLeft: row.totp_secret ? Number(left.n) : 0,
    required: ctx.config.staffTotp === 'required' && isStaff(row.roles),
  };
}

export const ownSecondFactorStatus = (ctx: Ctx) => secondFactorStatus(ctx, signedIn(ctx));

/** Starts (or restarts) set-up: a new secret waits for its first code. */
export async function startSecondFactorSetup(
  ctx: Ctx,
): Promise<{ secret: string; otpauthUri: string; qrCodeSvg: string }> {
  const userId = signedIn(ctx);
  const row = await account(ctx.db, userId);
  const secret = newTotpSecret();
  await ctx.db
    .updateTable('user_account')
    .set({ totp_pending_secret: seal(ctx, userId, secret) })
    .where('id', '=', userId)
    .execute();
  const uri = otpauthUri(secret, row.email, 'CivicCert');
  const qrCodeSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { secret, otpauthUri: uri, qrCodeSvg };
}

/** The first code proves the app holds the secret; then it is on, with fresh recovery codes. */
export async function confirmSecondFactor(ctx: Ctx, code: string): Promise<{ recoveryCodes: string[] }> {
  const userId = signedIn(ctx);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('user_account as u')
      .innerJoin('person as p', 'p.id', 'u.person_id')
      .select(['u.totp_pending_secret', 'u.totp_secret', 'p.email', 'p.first_name'])
      .where('u.id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!row.totp_pending_secret) {
      throw fieldError(
        'code',
        'Start the set-up first: the page shows a QR code to scan, then asks for a code.',
      );
    }
    const counter = verifyTotp(open(ctx, userId, row.totp_pending_secret), code, ctx.now(), null);
    if (counter === null) {
      throw fieldError(
        'code',
        'That code does not match. Check that the app shows CivicCert, and enter the newest 6-digit code.',
      );
    }
    const now = ctx.now().toISOString();
    await tx
      .updateTable('user_account')
      .set({
        totp_secret: row.totp_pending_secret,
        totp_pending_secret: null,
        totp_enabled_at: now,
        totp_last_counter: counter,
      })
      .where('id', '=', userId)
      .execute();
    const recoveryCodes = await replaceRecoveryCodes(tx, userId);
    await recordAudit(tx, ctx, {
      action: row.totp_secret ? 'auth.second-factor.replaced' : 'auth.second-factor.enabled',
      entityType: 'user',
      entityId: userId,
    });
    await ctx.mailer.enqueue(tx, {
      to: row.email,
      subject: 'Two-step sign-in is on for your CivicCert account',
      text: `Hello ${row.first_name},\n\nTwo-step sign-in was turned on for your CivicCert account${row.totp_secret ? ' with a new authenticator' : ''}. From now on, signing in asks for a code from your authenticator app.\n\nIf you did not do this, contact your program administrator at once.\n`,
      kind: 'second-factor-enabled',
    });
    return { recoveryCodes };
  });
  void ctx.mailer.flush();
  return result;
}

async function replaceRecoveryCodes(tx: Db, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  await tx
    .insertInto('recovery_code')
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashCode(c), used_at: null })))
    .execute();
  return codes;
}

/**
 * At sign-in, after the password: a current authenticator code (each time step
 * works once) or an unused recovery code (used up by this sign-in).
 */
export async function checkSignInCode(ctx: Ctx, userId: string, code: string): Promise<boolean> {
  const trimmed = code.trim();
  if (!trimmed || trimmed.length > 40) return false;
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('user_account')
      .select(['totp_secret', 'totp_last_counter'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!row.totp_secret) return false;
    const last = row.totp_last_counter === null ? null : Number(row.totp_last_counter);
    const counter = verifyTotp(open(ctx, userId, row.totp_secret), trimmed, ctx.now(), last);
    if (counter !== null) {
      await tx
        .updateTable('user_account')
        .set({ totp_last_counter: counter })
        .where('id', '=', userId)
        .execute();
      return true;
    }
    const used = await tx
      .updateTable('recovery_code')
      .set({ used_at: ctx.now().toISOString() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hashCode(trimmed))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 1) {
      await recordAudit(
        tx,
        { ...ctx, actorLabel: 'account holder (recovery code)' },
        {
          action: 'auth.second-factor.recovery-code-used',
          entityType: 'user',
          entityId: userId,
        },
      );
      return true;
    }
    return false;
  });
}

/** The account holder turns it off with a current code, unless staff must keep it. */
export async function disableSecondFactor(ctx: Ctx, code: string): Promise<void> {
  const userId = signedIn(ctx);
  const status = await secondFactorStatus(ctx, userId);
  if (!status.enabled) throw new DomainError('conflict', 'Two-step sign-in is already off.');
  if (status.required) {
    throw new DomainError(
      'forbidden',
      'Staff accounts must keep two-step sign-in on. To move to a new phone, set it up again here; if you lost your device, ask an administrator to reset it.',
    );
  }
  // Code guesses count against the same limit as sign-in failures, reserved before the check.
  const { perEmail } = signInLimits(ctx.config);
  const reservation = await reserveRateLimit(ctx, [
    { rule: { ...perEmail, bucket: 'second-factor.disable' }, key: userId },
  ]);
  if (!(await checkSignInCode(ctx, userId, code))) {
    throw fieldError(
      'code',
      'That code is not right or was already used. Enter the newest code or a recovery code.',
    );
  }
  await reservation.release();
  await clearSecondFactor(ctx, userId, 'auth.second-factor.disabled', false);
}

/** An administrator resets someone's two-step sign-in (lost phone); their sessions end. */
export async function resetSecondFactor(ctx: Ctx, personId: string): Promise<void> {
  const user = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'totp_secret', 'roles'])
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!user) throw new DomainError('not_found', 'This person has no account.');
  const refusal = personChangeRefusal(ctx.actor, { personId, roles: user.roles }, 'second-factor-reset');
  if (refusal) throw new DomainError('forbidden', refusal);
  if (!user.totp_secret) throw new DomainError('conflict', 'Two-step sign-in is not on for this account.');
  await clearSecondFactor(ctx, user.id, 'auth.second-factor.reset', true);
}

async function clearSecondFactor(
  ctx: Ctx,
  userId: string,
  action: string,
  endSessions: boolean,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await account(tx, userId);
    await tx
      .updateTable('user_account')
      .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_counter: null })
      .where('id', '=', userId)
      .execute();
    await tx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
    if (endSessions) await tx.deleteFrom('auth_session').where('user_id', '=', userId).execute();
    await recordAudit(tx, ctx, { action, entityType: 'user', entityId: userId });
    await ctx.mailer.enqueue(tx, {
      to: row.email,
      subject: 'Two-step sign-in is off for your CivicCert account',
      text: `Hello ${row.first_name},\n\nTwo-step sign-in was turned off for your CivicCert account${endSessions ? ' by an administrator, and you were signed out everywhere' : ''}. ${isStaff(row.roles) && ctx.config.staffTotp === 'required' ? 'As a staff member you will be asked to set it up again the next time you sign in.' : 'You can turn it on again from your profile.'}\n\nIf you did not expect this, contact your program administrator at once.\n`,
      kind: 'second-factor-disabled',
    });
  });
  void ctx.mailer.flush();
}
