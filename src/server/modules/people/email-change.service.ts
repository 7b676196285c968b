/**
 * Changing a sign-in e-mail address. An administrator asks for the change; it
 * takes effect only when someone follows the single-use link e-mailed to the
 * new address, so a mistyped or hostile address never becomes the account's
 * sign-in. The old address is told at once, and again when it is done. The
 * password and the second factor are left as they are.
 */
import { DomainError, fieldError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { hashToken, newToken } from '../auth/tokens.js';

const LINK_HOURS = 48;

async function emailTaken(db: Db, email: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where('email', '=', email)
    .where('id', '!=', personId)
    .executeTakeFirst();
  return !!row;
}

/**
 * Asks for a change of `person`'s sign-in address to `newEmail`, inside the
 * caller's transaction: voids any earlier request, e-mails a confirmation link
 * to the new address and a notice to the old one.
 */
export async function requestEmailChange(
  tx: Db,
  ctx: Ctx,
  person: { id: string; email: string; displayName: string },
  newEmail: string,
): Promise<void> {
  // Only the newest request can be confirmed.
  await tx
    .deleteFrom('email_change')
    .where('person_id', '=', person.id)
    .where('confirmed_at', 'is', null)
    .execute();
  if (await emailTaken(tx, newEmail, person.id))
    throw fieldError('email', 'Someone else already uses this e-mail address.');
  const token = newToken();
  await tx
    .insertInto('email_change')
    .values({
      token_hash: hashToken(token),
      person_id: person.id,
      new_email: newEmail,
      requested_by: ctx.actor?.userId ?? null,
      created_at: ctx.now().toISOString(),
      expires_at: new Date(ctx.now().getTime() + LINK_HOURS * 3_600_000).toISOString(),
    })
    .execute();
  const link = `${ctx.config.publicUrl}/email/confirm?token=${encodeURIComponent(token)}`;
  await ctx.mailer.enqueue(tx, {
    to: newEmail,
    subject: 'Confirm your new CivicCert sign-in address',
    text: `Hello ${person.displayName},\n\nYour CivicCert sign-in address is being changed to this address (${newEmail}).\n\nConfirm it here (the link works once and expires in ${LINK_HOURS} hours):\n${link}\n\nUntil you do, you keep signing in with your current address. If you did not expect this, ignore this message; nothing changes.\n`,
    kind: 'email-change-confirm',
  });
  await ctx.mailer.enqueue(tx, {
    to: person.email,
    subject: 'Your CivicCert sign-in address is being changed',
    text: `Hello ${person.displayName},\n\nSomeone asked to change the sign-in address of your CivicCert account from ${person.email} to ${newEmail}.\n\nThe change happens only when the link sent to the new address is followed. Your password and two-step sign-in do not change.\n\nIf you did not expect this, contact your program administrator at once.\n`,
    kind: 'email-change-notice',
  });
  await recordAudit(tx, ctx, {
    action: 'person.email-change.requested',
    entityType: 'person',
    entityId: person.id,
    before: { email: person.email },
    after: { pendingEmail: newEmail },
  });
}

const invalidLink = () =>
  new DomainError(
    'invalid_token',
    'This link has already been used, was replaced by a newer one, or has expired. Ask your administrator to send a new one.',
    { issues: [{ field: 'token', message: 'Link used, replaced or expired.' }] },
  );

/** Follows the link from the new address: the address becomes the sign-in e-mail. */
export async function confirmEmailChange(ctx: Ctx, token: string): Promise<{ email: string }> {
  const email = await confirmInTransaction(ctx, token).catch((e: unknown) => {
    if ((e as { code?: string }).code === '23505') throw addressTaken();
    throw e;
  });
  void ctx.mailer.flush();
  return { email };
}

const addressTaken = () =>
  new DomainError(
    'conflict',
    'Someone else now signs in with this address, so it cannot become yours. Ask your administrator.',
  );

function confirmInTransaction(ctx: Ctx, token: string): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    const change = await tx
      .selectFrom('email_change')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .forUpdate()
      .executeTakeFirst();
    if (!change || change.confirmed_at || new Date(change.expires_at) <= ctx.now()) throw invalidLink();
    if (await emailTaken(tx, change.new_email, change.person_id)) throw addressTaken();
    const person = await tx
      .selectFrom('person')
      .select(['email', 'first_name'])
      .where('id', '=', change.person_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const now = ctx.now().toISOString();
    await tx
      .updateTable('email_change')
      .set({ confirmed_at: now })
      .where('token_hash', '=', change.token_hash)
      .execute();
    await tx
      .updateTable('person')
      .set({ email: change.new_email, updated_at: now })
      .where('id', '=', change.person_id)
      .execute();
    // Password links went to the old address; they no longer belong to this account.
    const account = await tx
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', change.person_id)
      .executeTakeFirst();
    if (account)
      await tx
        .deleteFrom('password_token')
        .where('user_id', '=', account.id)
        .where('used_at', 'is', null)
        .execute();
    await ctx.mailer.enqueue(tx, {
      to: person.email,
      subject: 'Your CivicCert sign-in address has changed',
      text: `Hello ${person.first_name},\n\nFrom now on you sign in to CivicCert with ${change.new_email} instead of ${person.email}. Your password and two-step sign-in are unchanged.\n\nIf you did not expect this, contact your program administrator at once.\n`,
      kind: 'email-change-done',
    });
    await recordAudit(
      tx,
      { ...ctx, actorLabel: 'account holder (e-mailed link)' },
      {
        action: 'person.email-change.confirmed',
        entityType: 'person',
        entityId: change.person_id,
        before: { email: person.email },
        after: { email: change.new_email },
      },
    );
    return change.new_email;
  });
}
