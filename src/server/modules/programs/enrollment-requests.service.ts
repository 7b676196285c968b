/**
 * The coordinators' queue of enrollment requests in every program (issue 17, item 2). An official
 * asks to enroll (programs.service `requestEnrollment`, which e-mails them and the coordinators);
 * a coordinator approves (enrolled from today in the program's zone, on the fee terms the request
 * was made with) or declines with a reason, and the official is e-mailed either way. Approving
 * from the program page's form, or by PATCH, records the decision the same way.
 */
import type { Enrollment, EnrollmentRequestQuery } from '../../../contract/programs.js';
import type { Actor } from '../../../domain/authz/index.js';
import { DomainError } from '../../../domain/errors.js';
import { todayIn } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { queueStatus } from '../status-queue/queue.js';
import { enrollmentDecidedMail } from './enrollment-mail.js';
import { requestAbilities, requireAccess } from '../../../domain/authz/policies.js';
import {
  enrollmentQueryBase,
  getEnrollment,
  toEnrollment,
  withinCoordinatorLimits,
} from './programs.service.js';

export async function listEnrollmentRequests(
  ctx: Ctx,
  q: EnrollmentRequestQuery,
): Promise<{ items: Enrollment[]; total: number }> {
  const where = <T extends ReturnType<typeof enrollmentQueryBase>>(query: T): T =>
    (q.status === 'requested'
      ? query.where('e.status', '=', 'requested')
      : q.status === 'declined'
        ? query.where('e.status', '=', 'declined')
        : query.where('e.decided_at', 'is not', null).where('e.status', '<>', 'declined')) as T;
  const [rows, count] = await Promise.all([
    where(withinCoordinatorLimits(enrollmentQueryBase(ctx.db), ctx.actor))
      // The queue is oldest first; decided requests newest first.
      .orderBy(
        q.status === 'requested' ? 'e.requested_at' : 'e.decided_at',
        q.status === 'requested' ? 'asc' : 'desc',
      )
      .orderBy('e.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    where(withinCoordinatorLimits(enrollmentQueryBase(ctx.db), ctx.actor))
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toEnrollment(r, ctx.actor)), total: Number(count.n) };
}

/**
 * Locks a waiting request: 404 when there is none, 403 when it is outside a scoped coordinator's
 * counties or programs (before saying whether it is still waiting), 409 once decided.
 */
async function lockRequested(tx: Db, id: string, actor: Actor) {
  const row = await tx
    .selectFrom('enrollment as e')
    .innerJoin('program as p', 'p.id', 'e.program_id')
    .innerJoin('person as pe', 'pe.id', 'e.person_id')
    .select(['e.id', 'e.status', 'e.person_id', 'e.program_id', 'p.time_zone', 'pe.jurisdiction_fips'])
    .where('e.id', '=', id)
    .forUpdate('e')
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'There is no enrollment request with this id.');
  const may = requestAbilities(actor, {
    kind: 'enrollment',
    waiting: true,
    jurisdictionFips: row.jurisdiction_fips,
    programIds: [row.program_id],
  });
  requireAccess(may, 'decide', {
    code: 'forbidden',
    message: 'You coordinate other programs or counties, not this request.',
  });
  if (row.status !== 'requested')
    throw new DomainError(
      'conflict',
      row.status === 'declined'
        ? 'This request was already declined.'
        : 'This request was already decided: the official is enrolled.',
    );
  return row;
}

async function decide(
  ctx: Ctx,
  id: string,
  decision: 'approve' | 'decline',
  reason?: string,
): Promise<Enrollment> {
  if (!ctx.actor) throw new DomainError('unauthenticated', `Sign in to ${decision} enrollment requests.`);
  const actor = ctx.actor;
  await ctx.db.transaction().execute(async (tx) => {
    const row = await lockRequested(tx, id, actor);
    const before = await getEnrollment(tx, id);
    const now = ctx.now();
    await tx
      .updateTable('enrollment')
      .set({
        decided_at: now.toISOString(),
        decided_by: actor.userId,
        updated_at: now.toISOString(),
        ...(decision === 'approve'
          ? { status: 'active' as const, enrolled_on: todayIn(row.time_zone, now) }
          : { status: 'declined' as const, decline_reason: reason! }),
      })
      .where('id', '=', id)
      .execute();
    if (decision === 'approve') await queueStatus(tx, row.program_id, [row.person_id], 'enrollment', now);
    await recordAudit(tx, ctx, {
      action: `enrollment.${decision}`,
      entityType: 'enrollment',
      entityId: id,
      before,
      after: await getEnrollment(tx, id),
    });
    await enrollmentDecidedMail(tx, ctx, id);
  });
  void ctx.mailer.flush();
  return getEnrollment(ctx.db, id, ctx.actor);
}

/** Enrolls the official from today (in the program's zone) and e-mails them. */
export const approveEnrollmentRequest = (ctx: Ctx, id: string) => decide(ctx, id, 'approve');

/** Declines with a reason, which the official is e-mailed; they may ask again. */
export const declineEnrollmentRequest = (ctx: Ctx, id: string, reason: string) =>
  decide(ctx, id, 'decline', reason);
