/**
 * The e-mails around an enrollment request (issue 17): the official is told it arrived and how it
 * was decided; coordinators are told it waits in their queue. Each is written in the transaction
 * that records the request or the decision.
 */
import { formatLongDate } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { displayName } from '../auth/auth.service.js';
import { notifyCoordinators } from '../mail/coordinators.js';
import { countyLabel } from '../../../contract/jurisdictions.js';

async function facts(tx: Db, enrollmentId: string) {
  return tx
    .selectFrom('enrollment as e')
    .innerJoin('program as pr', 'pr.id', 'e.program_id')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
    .select([
      'e.enrolled_on',
      'e.fee_amount_cents',
      'e.fee_status',
      'e.decline_reason',
      'pr.name as program_name',
      'pr.code as program_code',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.email',
      'p.title',
      'j.name as county',
      'j.fips as county_fips',
      'j.state_code',
    ])
    .where('e.id', '=', enrollmentId)
    .executeTakeFirstOrThrow();
}

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** The request arrived: a receipt to the official, and a note to every coordinator. */
export async function enrollmentRequestedMail(tx: Db, ctx: Ctx, enrollmentId: string): Promise<void> {
  const f = await facts(tx, enrollmentId);
  const name = displayName(f);
  const url = ctx.config.publicUrl;
  await ctx.mailer.enqueue(tx, {
    to: f.email,
    subject: `We received your request to enroll in ${f.program_name}`,
    text: `Hello ${name},\n\nWe received your request to enroll in ${f.program_name}. A coordinator will look at it, and we will e-mail you either way.\n\nYour programs: ${url}/progress\n`,
    kind: 'enrollment-request-received',
  });
  const where = [
    f.title,
    f.county ? `${countyLabel({ fips: f.county_fips!, name: f.county })}, ${f.state_code}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  await notifyCoordinators(tx, ctx, {
    subject: `Enrollment request: ${name}, ${f.program_code}`,
    text: `${name}${where ? ` (${where})` : ''} asked to enroll in ${f.program_name}.\n\nApprove or decline it here: ${url}/enrollment-requests\n`,
    kind: 'enrollment-request-staff',
  });
}

/** The decision, e-mailed to the official: enrolled from which day (and the fee owed), or why not. */
export async function enrollmentDecidedMail(tx: Db, ctx: Ctx, enrollmentId: string): Promise<void> {
  const f = await facts(tx, enrollmentId);
  const name = displayName(f);
  const url = ctx.config.publicUrl;
  if (f.decline_reason != null) {
    await ctx.mailer.enqueue(tx, {
      to: f.email,
      subject: `Your request to enroll in ${f.program_name}`,
      text: `Hello ${name},\n\nYour request to enroll in ${f.program_name} was not approved.\n\nThe coordinator wrote:\n${f.decline_reason}\n\nIf you think this is a mistake, reply to your program's coordinator, or ask again once you have what they need: ${url}/programs\n`,
      kind: 'enrollment-request-declined',
    });
    return;
  }
  const fee =
    f.fee_amount_cents > 0 && f.fee_status === 'unpaid'
      ? `\nThe enrollment fee of ${dollars(f.fee_amount_cents)} is not paid yet; your progress page says how to pay it.\n`
      : '';
  await ctx.mailer.enqueue(tx, {
    to: f.email,
    subject: `You are enrolled in ${f.program_name}`,
    text: `Hello ${name},\n\nYour request was approved: you are enrolled in ${f.program_name} from ${formatLongDate(f.enrolled_on!)}.\n${fee}\nSee what you need to complete: ${url}/progress\n`,
    kind: 'enrollment-request-approved',
  });
}
