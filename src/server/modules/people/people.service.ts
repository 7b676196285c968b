import { sql } from 'kysely';
import type { z } from 'zod';
import {
  coordinates,
  coordinatorLimits,
  coordinatorScoped,
  peopleScope,
  personChangeRefusal,
  type PersonChange,
  type Role,
} from '../../../domain/authz/index.js';
import {
  personAbilities,
  personDenial,
  requireAccess,
  type PersonFacts,
} from '../../../domain/authz/policies.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import type {
  createPersonBody,
  Person,
  PeopleQuery,
  profileUpdateBody,
  updatePersonBody,
} from '../../../contract/people.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { escapeLike, recordAudit } from '../audit/audit.service.js';
import { displayName, sendPasswordLink } from '../auth/auth.service.js';
import { requestEmailChange } from './email-change.service.js';

/**
 * The programs a person is enrolled in (any status), as `program_ids`, for a query that names the
 * person `p`: what a coordinator limited to programs is judged against (`coordinates`).
 */
export const enrolledProgramIds = () =>
  sql<string[]>`array(select e.program_id from enrollment e where e.person_id = p.id)`.as('program_ids');

function peopleQuery(db: Db) {
  return db
    .selectFrom('person as p')
    .leftJoin('user_account as u', 'u.person_id', 'p.id')
    .leftJoin('jurisdiction as j', 'j.fips', 'p.jurisdiction_fips')
    .select([
      'p.id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.email',
      'p.phone',
      'p.title',
      'p.created_at',
      'p.updated_at',
      'p.jurisdiction_fips',
      'j.kind as j_kind',
      'j.name as j_name',
      'j.state_fips as j_state_fips',
      'j.state_code as j_state_code',
      'j.state_name as j_state_name',
      'u.roles',
      sql<string[]>`coalesce((select array_agg(ac.jurisdiction_fips order by ac.jurisdiction_fips)
        from account_county ac where ac.user_id = u.id), '{}')`.as('counties'),
      sql<string[]>`coalesce((select array_agg(cp.program_id order by cp.program_id)
        from coordinator_program cp where cp.user_id = u.id), '{}')`.as('coordinated_programs'),
      enrolledProgramIds(),
      sql<boolean>`u.password_hash is not null`.as('has_password'),
      sql<string | null>`(select ec.new_email from email_change ec
        where ec.person_id = p.id and ec.confirmed_at is null and ec.expires_at > now()
        order by ec.created_at desc limit 1)`.as('pending_email'),
    ]);
}
type PeopleQueryBuilder = ReturnType<typeof peopleQuery>;

/**
 * Keeps a people query to those the actor's work needs (peopleScope): an
 * instructor sees who is on their sessions' rosters, a reviewer who has claims
 * in the programs they review, and both see themselves.
 */
function withinScope(query: PeopleQueryBuilder, ctx: Ctx): PeopleQueryBuilder {
  if (!ctx.actor) return query;
  const scope = peopleScope(ctx.actor);
  if (scope.all) return query;
  const me = ctx.actor.personId;
  return query.where((eb) =>
    eb.or([
      eb('p.id', '=', me),
      ...(scope.rosters
        ? [
            eb.exists(
              eb
                .selectFrom('registration as r')
                .innerJoin('session_instructor as si', 'si.session_id', 'r.session_id')
                .select('r.id')
                .whereRef('r.person_id', '=', 'p.id')
                .where('si.person_id', '=', me)
                .where('r.status', '!=', 'cancelled'),
            ),
          ]
        : []),
      ...(scope.counties.length > 0 ? [eb('p.jurisdiction_fips', 'in', scope.counties)] : []),
      // A scoped coordinator: the people of their counties (if limited) enrolled in their programs (if limited).
      ...(scope.coordinator
        ? [
            eb.and([
              ...(scope.coordinator.counties.length > 0
                ? [eb('p.jurisdiction_fips', 'in', scope.coordinator.counties)]
                : []),
              ...(scope.coordinator.programs.length > 0
                ? [
                    eb.exists(
                      eb
                        .selectFrom('enrollment as e')
                        .select('e.id')
                        .whereRef('e.person_id', '=', 'p.id')
                        .where('e.program_id', 'in', scope.coordinator.programs),
                    ),
                  ]
                : []),
            ]),
          ]
        : []),
      ...(scope.reviews
        ? [
            eb.exists(
              eb
                .selectFrom('claim as c')
                .innerJoin('program_reviewer as pr', 'pr.program_id', 'c.program_id')
                .select('c.id')
                .whereRef('c.person_id', '=', 'p.id')
                .where('pr.person_id', '=', me)
                .where('c.status', '!=', 'draft'),
            ),
          ]
        : []),
    ]),
  );
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof peopleQuery>['executeTakeFirstOrThrow']>>;

/**
 * A person with what the actor may do to them (personAbilities). `linked` says the people query
 * found them through the actor's scope (withinScope); a row read without it is judged by the
 * policy's other rules only (own record, administrators and coordinators, counties).
 */
function toPerson(r: PersonRow, ctx: Ctx, linked: boolean): Person {
  return {
    id: r.id,
    abilities: personAbilities(ctx.actor, personFacts(r, linked)),
    firstName: r.first_name,
    lastName: r.last_name,
    preferredName: r.preferred_name,
    displayName: displayName(r),
    email: r.email,
    pendingEmail: r.pending_email,
    phone: r.phone,
    title: r.title,
    jurisdiction:
      r.jurisdiction_fips && r.j_kind
        ? {
            fips: r.jurisdiction_fips,
            kind: r.j_kind,
            name: r.j_name ?? '',
            stateFips: r.j_state_fips ?? '',
            stateCode: r.j_state_code ?? '',
            stateName: r.j_state_name ?? '',
          }
        : null,
    roles: r.roles ?? [],
    counties: r.counties ?? [],
    programs: r.coordinated_programs ?? [],
    hasPassword: !!r.has_password,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listPeople(ctx: Ctx, q: PeopleQuery): Promise<{ items: Person[]; total: number }> {
  let query = withinScope(peopleQuery(ctx.db), ctx);
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('p.first_name', 'ilike', like),
        eb('p.last_name', 'ilike', like),
        eb('p.preferred_name', 'ilike', like),
        eb('p.email', 'ilike', like),
        eb(sql<string>`p.first_name || ' ' || p.last_name`, 'ilike', like),
      ]),
    );
  }
  if (q.county) query = query.where('p.jurisdiction_fips', '=', q.county);
  if (q.role) query = query.where(sql<boolean>`${q.role} = any(u.roles)`);
  const sorted = (() => {
    switch (q.sort) {
      case '-name':
        return query.orderBy(sql`lower(p.last_name)`, 'desc').orderBy(sql`lower(p.first_name)`, 'desc');
      case 'created':
        return query.orderBy('p.created_at', 'asc');
      case '-created':
        return query.orderBy('p.created_at', 'desc');
      case 'county':
        return query.orderBy('j.name').orderBy(sql`lower(p.last_name)`);
      default:
        return query.orderBy(sql`lower(p.last_name)`).orderBy(sql`lower(p.first_name)`);
    }
  })();
  const [rows, count] = await Promise.all([
    sorted
      .orderBy('p.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toPerson(r, ctx, true)), total: Number(count.n) };
}

export async function getPerson(ctx: Ctx, id: string, db: Db = ctx.db): Promise<Person> {
  const row = await peopleQuery(db).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'There is no person with this id.');
  return toPerson(row, ctx, false);
}

const personFacts = (r: PersonRow, linked: boolean): PersonFacts => ({
  id: r.id,
  roles: r.roles ?? [],
  jurisdictionFips: r.jurisdiction_fips,
  programIds: r.program_ids,
  linked,
});

/** A person's row and whether the actor's scope reaches them (withinScope); null when there is no such person. */
async function rowForActor(ctx: Ctx, id: string): Promise<{ row: PersonRow; linked: boolean } | null> {
  const scoped = await withinScope(peopleQuery(ctx.db), ctx).where('p.id', '=', id).executeTakeFirst();
  if (scoped) return { row: scoped, linked: true };
  const row = await peopleQuery(ctx.db).where('p.id', '=', id).executeTakeFirst();
  return row ? { row, linked: false } : null;
}

/** The facts the person policy judges this person by, for this actor; null when there is no such person. */
export async function personFactsFor(ctx: Ctx, id: string): Promise<PersonFacts | null> {
  const found = await rowForActor(ctx, id);
  return found && personFacts(found.row, found.linked);
}

/**
 * One person, for a staff reader, as the person policy allows (personAbilities.read): outside the
 * reader's scope it is not found, or refused (403) to a county supervisor (personDenial).
 */
export async function readPerson(ctx: Ctx, id: string): Promise<Person> {
  const found = await rowForActor(ctx, id);
  if (!found) throw new DomainError('not_found', 'There is no person with this id.');
  const person = toPerson(found.row, ctx, found.linked);
  requireAccess(person.abilities, 'read', personDenial(ctx.actor));
  return person;
}

/**
 * One person, for a staff change or entry on their record (details, an invitation, a credit, a
 * fact, a reopened cycle, an enrollment): read as readPerson, and then refused (403) to a
 * coordinator limited to counties or programs when the person is outside them, even if another of
 * their roles lets them read the person (a roster they teach). See `coordinates`.
 */
export async function readPersonToRun(ctx: Ctx, id: string): Promise<Person> {
  const found = await rowForActor(ctx, id);
  if (!found) throw new DomainError('not_found', 'There is no person with this id.');
  const person = toPerson(found.row, ctx, found.linked);
  requireAccess(person.abilities, 'read', personDenial(ctx.actor));
  const actor = ctx.actor;
  if (
    actor &&
    actor.personId !== id &&
    coordinatorScoped(actor) &&
    !coordinates(actor, personFacts(found.row, found.linked))
  )
    throw new DomainError(
      'forbidden',
      'You coordinate only the people of your counties and programs, and this person is outside them.',
    );
  return person;
}

/** A coordinator limited to counties adds people to, and moves people into, their counties only. */
function assertCountyInLimits(ctx: Ctx, fips: string | null | undefined): void {
  const counties = coordinatorLimits(ctx.actor)?.counties ?? [];
  if (counties.length > 0 && !(fips && counties.includes(fips)))
    throw fieldError('jurisdictionFips', 'Choose one of the counties you coordinate.');
}

async function assertJurisdiction(db: Db, fips: string | null | undefined): Promise<void> {
  if (!fips) return;
  const j = await db.selectFrom('jurisdiction').select('fips').where('fips', '=', fips).executeTakeFirst();
  if (!j) throw fieldError('jurisdictionFips', `There is no state or county with FIPS code ${fips}.`);
}

async function assertEmailFree(db: Db, email: string, exceptId?: string): Promise<void> {
  let q = db.selectFrom('person').select('id').where('email', '=', email);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw fieldError('email', 'Someone else already uses this e-mail address.');
}

/** Refuses (403) a change the actor may not make to this person; see personChangeRefusal. */
export function assertMayChange(
  ctx: Ctx,
  person: { id: string; roles: readonly Role[] },
  ...changes: PersonChange[]
): void {
  for (const change of changes) {
    const reason = personChangeRefusal(ctx.actor, { personId: person.id, roles: person.roles }, change);
    if (reason) throw new DomainError('forbidden', reason);
  }
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

export async function createPerson(ctx: Ctx, input: z.infer<typeof createPersonBody>): Promise<Person> {
  const onlyAdminsGrant: Role[] = ['administrator', 'coordinator', 'reviewer', 'instructor', 'supervisor'];
  // A signed-in non-administrator may only create officials. No actor means a trusted system
  // caller (the CLI, run by someone with database access); HTTP routes always have an actor here.
  const mayGrantStaff = !ctx.actor || ctx.actor.roles.includes('administrator');
  if (!mayGrantStaff && input.roles.some((r) => onlyAdminsGrant.includes(r))) {
    throw fieldError('roles', 'Only administrators can give staff roles. Create the person as an official.');
  }
  try {
    const id = await ctx.db.transaction().execute((tx) => insertPerson(tx, ctx, input));
    void ctx.mailer.flush();
    return getPerson(ctx, id);
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError('email', 'Someone else already uses this e-mail address.');
    throw e;
  }
}

/**
 * Creates the person and their account inside the caller's transaction, audits it and, when
 * asked, queues the set-password e-mail. Returns the new person's id. The role check is the
 * caller's (createPerson above; an approved account request creates an official).
 */
export async function insertPerson(
  tx: Db,
  ctx: Ctx,
  input: z.infer<typeof createPersonBody>,
): Promise<string> {
  await assertJurisdiction(tx, input.jurisdictionFips);
  assertCountyInLimits(ctx, input.jurisdictionFips);
  await assertEmailFree(tx, input.email);
  const now = ctx.now().toISOString();
  const person = await tx
    .insertInto('person')
    .values({
      first_name: input.firstName,
      last_name: input.lastName,
      preferred_name: input.preferredName,
      email: input.email,
      phone: input.phone,
      title: input.title,
      jurisdiction_fips: input.jurisdictionFips,
      external_id: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const roles = [...new Set(input.roles)];
  const account = await tx
    .insertInto('user_account')
    .values({
      person_id: person.id,
      roles,
      password_hash: null,
      password_changed_at: null,
      last_sign_in_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const created = await getPerson(ctx, person.id, tx);
  await recordAudit(tx, ctx, {
    action: 'person.create',
    entityType: 'person',
    entityId: person.id,
    after: created,
  });
  if (input.sendInvite) {
    await sendPasswordLink(
      tx,
      ctx,
      { userId: account.id, email: input.email, name: created.displayName },
      'set',
    );
  }
  return person.id;
}

export async function updatePerson(
  ctx: Ctx,
  id: string,
  input: z.infer<typeof updatePersonBody>,
): Promise<Person> {
  await readPersonToRun(ctx, id);
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await tx.selectFrom('person').select('id').where('id', '=', id).forUpdate().execute();
      const before = await getPerson(ctx, id, tx);
      const { email, ...details } = input;
      // Sending the current address (a form sends every field) changes nothing; a new one replaces any pending one.
      const emailChange = email !== undefined && email !== before.email;
      assertMayChange(
        ctx,
        before,
        ...(emailChange ? (['email'] as const) : []),
        ...(Object.keys(details).length > 0 ? (['details'] as const) : []),
      );
      if (input.jurisdictionFips !== undefined) {
        await assertJurisdiction(tx, input.jurisdictionFips);
        assertCountyInLimits(ctx, input.jurisdictionFips);
      }
      // A new sign-in address takes effect only once confirmed from it (email-change.service).
      if (emailChange) await requestEmailChange(tx, ctx, before, email);
      const set = {
        ...(input.firstName !== undefined && { first_name: input.firstName }),
        ...(input.lastName !== undefined && { last_name: input.lastName }),
        ...(input.preferredName !== undefined && { preferred_name: input.preferredName }),
        ...(input.phone !== undefined && { phone: input.phone }),
        ...(input.title !== undefined && { title: input.title }),
        ...(input.jurisdictionFips !== undefined && { jurisdiction_fips: input.jurisdictionFips }),
      };
      if (Object.keys(set).length === 0) return;
      await tx
        .updateTable('person')
        .set({ ...set, updated_at: ctx.now().toISOString() })
        .where('id', '=', id)
        .execute();
      const after = await getPerson(ctx, id, tx);
      await recordAudit(tx, ctx, {
        action: 'person.update',
        entityType: 'person',
        entityId: id,
        before,
        after,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError('email', 'Someone else already uses this e-mail address.');
    throw e;
  }
  void ctx.mailer.flush();
  return getPerson(ctx, id);
}

export async function setRoles(
  ctx: Ctx,
  id: string,
  roles: Role[],
  counties: string[] = [],
  programs: string[] = [],
): Promise<Person> {
  const unique = [...new Set(roles)];
  if (ctx.actor?.personId === id && !unique.includes('administrator')) {
    throw fieldError('roles', 'You cannot remove your own administrator role. Ask another administrator.');
  }
  // A county supervisor supervises at least one county; a coordinator may be limited to some
  // (none: statewide) and to some programs (none: all); nobody else keeps any.
  const takesCounties = unique.includes('supervisor') || unique.includes('coordinator');
  const supervised = takesCounties ? [...new Set(counties)].sort() : [];
  const coordinated = unique.includes('coordinator') ? [...new Set(programs)].sort() : [];
  if (unique.includes('supervisor') && supervised.length === 0)
    throw fieldError('counties', 'Choose the counties this county supervisor sees.');
  if (supervised.length > 0) {
    const known = await ctx.db
      .selectFrom('jurisdiction')
      .select('fips')
      .where('fips', 'in', supervised)
      .where('kind', '=', 'county')
      .execute();
    const missing = supervised.find((f) => !known.some((k) => k.fips === f));
    if (missing) throw fieldError('counties', `There is no county with FIPS code ${missing}.`);
  }
  if (coordinated.length > 0) {
    const known = await ctx.db.selectFrom('program').select('id').where('id', 'in', coordinated).execute();
    const missing = coordinated.find((p) => !known.some((k) => k.id === p));
    if (missing) throw fieldError('programs', `There is no program with id ${missing}.`);
  }
  await ctx.db.transaction().execute(async (tx) => {
    const before = await getPerson(ctx, id, tx);
    assertMayChange(ctx, before, 'roles');
    const updated = await tx
      .updateTable('user_account')
      .set({ roles: unique })
      .where('person_id', '=', id)
      .returning('id')
      .executeTakeFirst();
    const userId =
      updated?.id ??
      (
        await tx
          .insertInto('user_account')
          .values({
            person_id: id,
            roles: unique,
            password_hash: null,
            password_changed_at: null,
            last_sign_in_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await tx.deleteFrom('account_county').where('user_id', '=', userId).execute();
    if (supervised.length > 0)
      await tx
        .insertInto('account_county')
        .values(supervised.map((f) => ({ user_id: userId, jurisdiction_fips: f })))
        .execute();
    await tx.deleteFrom('coordinator_program').where('user_id', '=', userId).execute();
    if (coordinated.length > 0)
      await tx
        .insertInto('coordinator_program')
        .values(coordinated.map((p) => ({ user_id: userId, program_id: p })))
        .execute();
    await recordAudit(tx, ctx, {
      action: 'person.roles.update',
      entityType: 'person',
      entityId: id,
      before: { roles: before.roles, counties: before.counties, programs: before.programs },
      after: { roles: unique, counties: supervised, programs: coordinated },
    });
  });
  return getPerson(ctx, id);
}

export async function invitePerson(ctx: Ctx, id: string): Promise<void> {
  await readPersonToRun(ctx, id);
  await ctx.db.transaction().execute(async (tx) => {
    const person = await getPerson(ctx, id, tx);
    assertMayChange(ctx, person, 'invite');
    let account = await tx
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', id)
      .executeTakeFirst();
    if (!account) {
      account = await tx
        .insertInto('user_account')
        .values({
          person_id: id,
          roles: ['official'],
          password_hash: null,
          password_changed_at: null,
          last_sign_in_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    }
    await sendPasswordLink(
      tx,
      ctx,
      { userId: account.id, email: person.email, name: person.displayName },
      person.hasPassword ? 'reset' : 'set',
    );
    await recordAudit(tx, ctx, { action: 'person.invite', entityType: 'person', entityId: id });
  });
  void ctx.mailer.flush();
}

export async function getProfile(ctx: Ctx): Promise<Person> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to see your profile.');
  return getPerson(ctx, ctx.actor.personId);
}

export async function updateProfile(ctx: Ctx, input: z.infer<typeof profileUpdateBody>): Promise<Person> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to change your profile.');
  return updatePerson(ctx, ctx.actor.personId, input);
}
