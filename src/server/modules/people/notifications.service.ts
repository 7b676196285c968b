/**
 * Notification preferences: which kinds of bulk notice a person gets (all of them unless turned
 * off). Changed from the profile page, or with no sign-in by the one-click unsubscribe link a
 * notice carries (List-Unsubscribe). The mailer leaves out notices of a kind turned off.
 */
import type { z } from 'zod';
import {
  noticeCategories,
  noticeCategoryLabels,
  type NoticeCategory,
  type notificationPreferences,
  type notificationPreferencesBody,
} from '../../../contract/notifications.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { readUnsubscribeToken } from '../mail/unsubscribe-token.js';

type Preferences = z.infer<typeof notificationPreferences>;

async function preferencesOf(db: Db, personId: string): Promise<Preferences> {
  const off = new Set(
    (
      await db
        .selectFrom('notification_opt_out')
        .select('category')
        .where('person_id', '=', personId)
        .execute()
    ).map((r) => r.category),
  );
  return Object.fromEntries(noticeCategories.map((c) => [c, !off.has(c)])) as Preferences;
}

async function setPreference(tx: Db, personId: string, category: NoticeCategory, on: boolean): Promise<void> {
  if (on)
    await tx
      .deleteFrom('notification_opt_out')
      .where('person_id', '=', personId)
      .where('category', '=', category)
      .execute();
  else
    await tx
      .insertInto('notification_opt_out')
      .values({ person_id: personId, category })
      .onConflict((oc) => oc.doNothing())
      .execute();
}

function me(ctx: Ctx): string {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return ctx.actor.personId;
}

export const myNotificationPreferences = (ctx: Ctx): Promise<Preferences> => preferencesOf(ctx.db, me(ctx));

export async function updateMyNotificationPreferences(
  ctx: Ctx,
  body: z.infer<typeof notificationPreferencesBody>,
): Promise<Preferences> {
  const personId = me(ctx);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await preferencesOf(tx, personId);
    for (const c of noticeCategories) {
      const want = body[c];
      if (want !== undefined && want !== before[c]) await setPreference(tx, personId, c, want);
    }
    const after = await preferencesOf(tx, personId);
    if (noticeCategories.some((c) => before[c] !== after[c]))
      await recordAudit(tx, ctx, {
        action: 'person.notifications.update',
        entityType: 'person',
        entityId: personId,
        before,
        after,
      });
    return after;
  });
}

/**
 * One-click unsubscribe (RFC 8058): turns off the kind of notice the signed token names for the
 * person it names. Following the link again changes nothing and answers the same.
 */
export async function unsubscribe(
  ctx: Ctx,
  token: string,
): Promise<{ category: NoticeCategory; message: string }> {
  const named = readUnsubscribeToken(ctx.config, token);
  if (!named)
    throw new DomainError('invalid_token', 'This unsubscribe link is not valid.', {
      issues: [{ field: 'query.token', message: 'This unsubscribe link is not valid.' }],
    });
  const { personId, category } = named;
  await ctx.db.transaction().execute(async (tx) => {
    const person = await tx.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst();
    if (!person)
      throw new DomainError('invalid_token', 'This unsubscribe link is not valid.', {
        issues: [{ field: 'query.token', message: 'The person this link was sent to no longer exists.' }],
      });
    const before = await preferencesOf(tx, personId);
    if (!before[category]) return;
    await setPreference(tx, personId, category, false);
    await recordAudit(
      tx,
      { ...ctx, actorLabel: 'one-click unsubscribe (e-mailed link)' },
      {
        action: 'person.notifications.update',
        entityType: 'person',
        entityId: personId,
        before,
        after: { ...before, [category]: false },
      },
    );
  });
  const what = noticeCategoryLabels[category].label.toLowerCase();
  return {
    category,
    message: `You will not get ${what} by e-mail any more. You can turn them on again on your profile.`,
  };
}
