/**
 * Account requests (issue 17, item 2). Someone without an account asks for one from the public
 * pages; coordinators see a queue and approve (an official's account is created and the
 * set-password e-mail sent) or decline with a reason, and the person is e-mailed either way.
 *
 * Every coordinator is e-mailed when a new request arrives.
 *
 * Asking answers the same way whatever the address: a new request, one already waiting, or an
 * address that already has an account (that person is e-mailed how to sign in instead), so the
 * form cannot be used to find out who has an account. It is rate-limited per caller address and
 * per e-mail address, like password resets.
 */
import type {
  AccountRequest,
  AccountRequestInput,
  AccountRequestQuery,
} from '../../../contract/account-requests.js';
import type { Actor } from '../../../domain/authz/index.js';
import { coordinatorLimits } from '../../../domain/authz/index.js';
import { requestAbilities, requireAccess } from '../../../domain/authz/policies.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { enforceRateLimit, type RateLimit } from '../../http/rate-limit.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { notifyCoordinators } from '../mail/coordinators.js';
import { insertPerson } from '../people/people.service.js';
import { countyLabel } from '../../../contract/jurisdictions.js';

export const REQUEST_LIMIT_BY_IP: RateLimit = {
  bucket: 'account-request.ip',
  limit: 10,
  windowSeconds: 3600,
  message: 'Too many account requests from this address. Try again in an hour.',
};
export const REQUEST_LIMIT_BY_EMAIL: RateLimit = {
  bucket: 'account-request.email',
  limit: 3,
  windowSeconds: 3600,
  message: 'Too many account requests for this e-mail address. Try again in an hour.',
};

export const RECEIVED_MESSAGE =
  'Thank you. A coordinator will look at your request, and we will e-mail you either way. If this address already has an account, we have e-mailed you how to sign in.';

function base(db: Db) {
  return db
    .selectFrom('account_request as r')
    .innerJoin('jurisdiction as j', 'j.fips', 'r.jurisdiction_fips')
    .leftJoin('user_account as u', 'u.id', 'r.decided_by')
    .leftJoin('person as d', 'd.id', 'u.person_id')
    .select([
      'r.id',
      'r.first_name',
      'r.last_name',
      'r.email',
      'r.position',
      'r.note',
      'r.status',
      'r.created_at',
      'r.decided_at',
      'r.decline_reason',
      'r.person_id',
      'j.fips',
      'j.kind',
      'j.name as j_name',
      'j.state_fips',
      'j.state_code',
      'j.state_name',
      'd.first_name as d_first',
      'd.last_name as d_last',
      'd.preferred_name as d_preferred',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

const iso = (v: string | Date | null) => (v == null ? null : new Date(v).toISOString());

function toRequest(r: Row, actor: Actor | null): AccountRequest {
  return {
    id: r.id,
    abilities: requestAbilities(actor, {
      kind: 'account',
      waiting: r.status === 'pending',
      jurisdictionFips: r.fips,
      programIds: null,
    }),
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    jurisdiction: {
      fips: r.fips,
      kind: r.kind,
      name: r.j_name,
      stateFips: r.state_fips,
      stateCode: r.state_code,
      stateName: r.state_name,
    },
    position: r.position,
    note: r.note,
    status: r.status,
    createdAt: iso(r.created_at)!,
    decidedAt: iso(r.decided_at),
    decidedBy:
      r.d_first != null && r.d_last != null
        ? displayName({ first_name: r.d_first, last_name: r.d_last, preferred_name: r.d_preferred })
        : null,
    declineReason: r.decline_reason,
    personId: r.person_id,
  };
}

export async function submitAccountRequest(ctx: Ctx, input: AccountRequestInput): Promise<void> {
  await enforceRateLimit(ctx, REQUEST_LIMIT_BY_IP);
  await enforceRateLimit(ctx, REQUEST_LIMIT_BY_EMAIL, input.email);
  const county = await ctx.db
    .selectFrom('jurisdiction')
    .select(['fips', 'name', 'state_code'])
    .where('fips', '=', input.jurisdictionFips)
    .where('kind', '=', 'county')
    .executeTakeFirst();
  if (!county)
    throw fieldError('jurisdictionFips', `There is no county with FIPS code ${input.jurisdictionFips}.`);
  const org = ctx.config.organization.name;
  await ctx.db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('person')
      .select(['first_name', 'last_name', 'preferred_name'])
      .where('email', '=', input.email)
      .executeTakeFirst();
    if (existing) {
      await ctx.mailer.enqueue(tx, {
        to: input.email,
        subject: 'You already have a CivicCert account',
        text: `Hello ${displayName(existing)},\n\nSomeone (perhaps you) asked for a CivicCert account for ${org} with this e-mail address. You already have one.\n\nSign in here: ${ctx.config.publicUrl}/sign-in\nForgot your password? Choose a new one here: ${ctx.config.publicUrl}/password/forgot\n\nIf you did not ask, you can ignore this message.\n`,
        kind: 'account-request-exists',
      });
      return;
    }
    // One waiting request per address: asking again changes nothing (the unique index decides
    // between two requests sent at the same moment).
    const inserted = await tx
      .insertInto('account_request')
      .values({
        first_name: input.firstName,
        last_name: input.lastName,
        email: input.email,
        jurisdiction_fips: input.jurisdictionFips,
        position: input.position,
        note: input.note,
        created_at: ctx.now().toISOString(),
        decided_at: null,
        decided_by: null,
        decline_reason: null,
        person_id: null,
      })
      .onConflict((oc) => oc.column('email').where('status', '=', 'pending').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return;
    await recordAudit(tx, ctx, {
      action: 'account-request.create',
      entityType: 'account_request',
      entityId: inserted.id,
      after: { email: input.email, county: county.fips, position: input.position },
    });
    await ctx.mailer.enqueue(tx, {
      to: input.email,
      subject: 'We received your request for a CivicCert account',
      text: `Hello ${input.firstName},\n\nWe received your request for a CivicCert account for ${org}, as ${input.position} in ${countyLabel(county)}, ${county.state_code}.\n\nA coordinator will look at it, and we will e-mail you either way. If it is approved, you will get a link to choose your password.\n`,
      kind: 'account-request-received',
    });
    await notifyCoordinators(tx, ctx, {
      subject: `Account request: ${input.firstName} ${input.lastName}, ${countyLabel(county)}`,
      text: `${input.firstName} ${input.lastName} (${input.position}, ${countyLabel(county)}, ${county.state_code}) asked for a CivicCert account.\n\nApprove or decline it here: ${ctx.config.publicUrl}/account-requests\n`,
      kind: 'account-request-staff',
    });
  });
  void ctx.mailer.flush();
}

export async function listAccountRequests(
  ctx: Ctx,
  q: AccountRequestQuery,
): Promise<{ items: AccountRequest[]; total: number }> {
  // A coordinator limited to counties sees the requests of their counties only.
  const counties = coordinatorLimits(ctx.actor)?.counties ?? [];
  const [rows, count] = await Promise.all([
    base(ctx.db)
      .where('r.status', '=', q.status)
      .$if(counties.length > 0, (qb) => qb.where('r.jurisdiction_fips', 'in', counties))
      // The queue is oldest first; decided requests newest first.
      .orderBy('r.created_at', q.status === 'pending' ? 'asc' : 'desc')
      .orderBy('r.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    ctx.db
      .selectFrom('account_request')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', q.status)
      .$if(counties.length > 0, (qb) => qb.where('jurisdiction_fips', 'in', counties))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toRequest(r, ctx.actor)), total: Number(count.n) };
}

async function lockPending(tx: Db, id: string) {
  const row = await tx
    .selectFrom('account_request')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'There is no account request with this id.');
  if (row.status !== 'pending') throw new DomainError('conflict', `This request was already ${row.status}.`);
  return row;
}

async function readRequest(ctx: Ctx, db: Db, id: string): Promise<AccountRequest> {
  return toRequest(await base(db).where('r.id', '=', id).executeTakeFirstOrThrow(), ctx.actor);
}

type PendingRow = Awaited<ReturnType<typeof lockPending>>;

/**
 * One decision on a waiting request, in one transaction: lock it (409 if already decided), let
 * `work` do what the decision does and say which columns change, then mark it decided, audit it,
 * and answer with the request as it now is.
 */
async function decide(
  ctx: Ctx,
  id: string,
  decision: 'approve' | 'decline',
  work: (
    tx: Db,
    r: PendingRow,
  ) => Promise<{ personId?: string; declineReason?: string; after: Record<string, unknown> }>,
): Promise<AccountRequest> {
  if (!ctx.actor) throw new DomainError('unauthenticated', `Sign in to ${decision} account requests.`);
  const actor = ctx.actor;
  const result = await ctx.db.transaction().execute(async (tx) => {
    const r = await lockPending(tx, id);
    requireAccess(
      requestAbilities(actor, {
        kind: 'account',
        waiting: true,
        jurisdictionFips: r.jurisdiction_fips,
        programIds: null,
      }),
      'decide',
      { code: 'forbidden', message: 'This request is for a county you do not coordinate.' },
    );
    const done = await work(tx, r);
    await tx
      .updateTable('account_request')
      .set({
        status: decision === 'approve' ? 'approved' : 'declined',
        decided_at: ctx.now().toISOString(),
        decided_by: actor.userId,
        ...(done.personId && { person_id: done.personId }),
        ...(done.declineReason && { decline_reason: done.declineReason }),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: `account-request.${decision}`,
      entityType: 'account_request',
      entityId: id,
      after: done.after,
    });
    return readRequest(ctx, tx, id);
  });
  void ctx.mailer.flush();
  return result;
}

/** Creates the official's account and sends the set-password e-mail. */
export function approveAccountRequest(ctx: Ctx, id: string): Promise<AccountRequest> {
  return decide(ctx, id, 'approve', async (tx, r) => {
    const taken = await tx.selectFrom('person').select('id').where('email', '=', r.email).executeTakeFirst();
    if (taken)
      throw new DomainError(
        'conflict',
        'Someone already has an account with this e-mail address. Decline the request, or find the person in People.',
      );
    const personId = await insertPerson(tx, ctx, {
      firstName: r.first_name,
      lastName: r.last_name,
      preferredName: null,
      email: r.email,
      phone: null,
      title: r.position,
      jurisdictionFips: r.jurisdiction_fips,
      roles: ['official'],
      sendInvite: true,
    });
    return { personId, after: { personId } };
  });
}

/** Declines with a reason, which the person is e-mailed. */
export function declineAccountRequest(ctx: Ctx, id: string, reason: string): Promise<AccountRequest> {
  const org = ctx.config.organization.name;
  return decide(ctx, id, 'decline', async (tx, r) => {
    await ctx.mailer.enqueue(tx, {
      to: r.email,
      subject: 'Your request for a CivicCert account',
      text: `Hello ${r.first_name},\n\nYour request for a CivicCert account for ${org} was not approved.\n\nThe coordinator wrote:\n${reason}\n\nIf you think this is a mistake, reply to your program's coordinator, or ask again with the details they need: ${ctx.config.publicUrl}/account-request\n`,
      kind: 'account-request-declined',
    });
    return { declineReason: reason, after: { reason } };
  });
}
