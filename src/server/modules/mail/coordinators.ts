/**
 * Telling the program office that something waits for it (issue 17): a new account request or
 * enrollment request is e-mailed to every coordinator with an enabled account, in the
 * transaction that records it, so a rolled-back request announces nothing.
 */
import { sql } from 'kysely';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';

export async function notifyCoordinators(
  tx: Db,
  ctx: Ctx,
  message: { subject: string; text: string; kind: string },
): Promise<number> {
  const staff = await tx
    .selectFrom('user_account as u')
    .innerJoin('person as p', 'p.id', 'u.person_id')
    .select(['p.email', 'p.first_name', 'p.preferred_name'])
    .where(sql<boolean>`u.roles @> array['coordinator']::text[]`)
    .where('u.disabled', '=', false)
    .orderBy('p.email')
    .execute();
  for (const s of staff) {
    await ctx.mailer.enqueue(tx, {
      to: s.email,
      subject: message.subject,
      text: `Hello ${s.preferred_name ?? s.first_name},\n\n${message.text}`,
      kind: message.kind,
    });
  }
  return staff.length;
}
