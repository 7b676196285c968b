/**
 * Awards (issue 6): the eligible list, immutable awards with certificate
 * numbers, re-issue that supersedes, revocation as its own record. Status,
 * its cache, notices and the sweep are the certification module's
 * (modules/certification/evaluation.ts); every change here calls its hook.
 */
import { sql } from 'kysely';
import type { AwardDto } from '../../../contract/awards.js';
import { linkedInAddUrl } from '../../../domain/credentials/linkedin.js';
import { issuerOf } from '../issuers/issuers.service.js';
import {
  awardEventRefusal,
  plaqueChangeRefusal,
  type PlaqueState,
} from '../../../domain/ceremonies/index.js';
import { coordinatorLimits } from '../../../domain/authz/index.js';
import { awardAbilities, awardDenial, requireAccess } from '../../../domain/authz/policies.js';
import { certificateVerifyUrl } from '../../../domain/certificates/index.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import { cycleDates, firstCycle } from '../../../domain/lifecycle/index.js';
import type { EvaluationResult } from '../../../domain/requirements/index.js';
import { formatLongDate, todayIn, yearOf } from '../../../domain/time/index.js';
import type { Ctx, Deps } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { composeEmail, link, list, paragraph } from '../mail/message.js';
import {
  ceremonyFor,
  evaluatePeople,
  onCertificationFactsChanged,
  personContact,
  type Evaluated,
} from '../certification/evaluation.js';
import { programToday } from '../certification/queries.js';
import { emitEvent } from '../webhooks/events.js';
import { currentDesignId } from '../designs/designs.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { awardingEvents, eventFacts } from '../sessions/events.service.js';

// ---------------------------------------------------------------- reading awards

function awardQuery(db: Db) {
  return db
    .selectFrom('award as a')
    .innerJoin('program as p', 'p.id', 'a.program_id')
    .innerJoin('person as pe', 'pe.id', 'a.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'pe.jurisdiction_fips')
    .leftJoin('event as e', 'e.id', 'a.event_id')
    .leftJoin('award_revocation as r', 'r.award_id', 'a.id')
    .leftJoin('award as s', 's.supersedes_id', 'a.id')
    .leftJoin('plaque_order as po', 'po.award_id', 'a.id')
    .select([
      'e.kind as event_kind',
      'po.state as plaque_state',
      'po.ordered_on as plaque_ordered_on',
      'po.delivered_on as plaque_delivered_on',
      'a.id',
      'a.person_id',
      'a.program_id',
      'a.awarded_on',
      'a.number',
      'a.certificate_number',
      'a.program_version',
      'a.designation',
      'a.name_on_certificate',
      'a.issued_on',
      'a.expires_on',
      'a.supersedes_id',
      'a.reason',
      'a.event_id',
      'a.created_at',
      'a.certificate_design_id',
      'e.title as event_title',
      'p.code as program_code',
      'p.name as program_name',
      'pe.first_name',
      'pe.last_name',
      'pe.preferred_name',
      'pe.title as person_title',
      'pe.jurisdiction_fips',
      'j.name as county_name',
      'j.kind as county_kind',
      'r.revoked_on',
      'r.reason as revoked_reason',
      's.id as superseded_by_id',
    ]);
}
export type AwardRow = Awaited<ReturnType<ReturnType<typeof awardQuery>['executeTakeFirstOrThrow']>>;

export const countyOf = (r: { county_name: string | null; county_kind: string | null }) =>
  r.county_name ? `${r.county_name}${r.county_kind === 'county' ? ' County' : ''}` : null;

export function verifyUrl(ctx: Deps, number: string): string {
  return certificateVerifyUrl(ctx.config.publicUrl, number);
}

async function toDtos(ctx: Ctx, rows: AwardRow[]): Promise<AwardDto[]> {
  const statusBy = new Map<string, EvaluationResult['status']>();
  const byProgram = new Map<string, Set<string>>();
  for (const r of rows)
    byProgram.set(r.program_id, (byProgram.get(r.program_id) ?? new Set()).add(r.person_id));
  const issuerNames = new Map<string, string>();
  for (const [programId, people] of byProgram) {
    for (const ev of await evaluatePeople(ctx.db, programId, [...people], ctx.now()))
      statusBy.set(`${programId}|${ev.personId}`, ev.result.status);
    issuerNames.set(programId, (await issuerOf(ctx, programId)).name);
  }
  return rows.map((r) => {
    const number = r.certificate_number ?? r.number ?? r.id;
    let status = statusBy.get(`${r.program_id}|${r.person_id}`) ?? 'certified';
    if (r.revoked_on) status = 'revoked';
    return {
      id: r.id,
      abilities: awardAbilities(ctx.actor, awardFacts(r)),
      certificateNumber: number,
      person: { id: r.person_id, displayName: displayName(r), county: countyOf(r) },
      program: { id: r.program_id, code: r.program_code, name: r.program_name },
      programVersion: r.program_version ?? '',
      designation: r.designation ?? r.program_name,
      nameOnCertificate: r.name_on_certificate ?? displayName(r),
      awardedOn: r.awarded_on,
      issuedOn: r.issued_on ?? r.awarded_on,
      expiresOn: r.expires_on,
      event: r.event_id
        ? { id: r.event_id, title: r.event_title ?? '', kind: r.event_kind ?? 'ceremony' }
        : null,
      plaque: r.event_id
        ? {
            state: r.plaque_state ?? 'to_order',
            orderedOn: r.plaque_ordered_on,
            deliveredOn: r.plaque_delivered_on,
          }
        : null,
      supersedesId: r.supersedes_id,
      supersededById: r.superseded_by_id,
      reason: r.reason,
      revocation: r.revoked_on ? { revokedOn: r.revoked_on, reason: r.revoked_reason ?? '' } : null,
      status,
      verifyUrl: verifyUrl(ctx, number),
      // LinkedIn's certification form, while the award stands (issue 18, item 5).
      linkedInUrl:
        r.revoked_on || r.superseded_by_id
          ? null
          : linkedInAddUrl({
              designation: r.designation ?? r.program_name,
              issuerName: issuerNames.get(r.program_id) ?? r.program_name,
              awardedOn: r.awarded_on,
              dueOn: r.expires_on,
              certificateNumber: number,
              verifyUrl: verifyUrl(ctx, number),
            }),
    };
  });
}

export async function getAwardRow(db: Db, id: string): Promise<AwardRow> {
  const r = await awardQuery(db).where('a.id', '=', id).executeTakeFirst();
  if (!r) throw new DomainError('not_found', 'There is no award with this id.');
  return r;
}

export const awardFacts = (r: AwardRow) => ({
  personId: r.person_id,
  programId: r.program_id,
  jurisdictionFips: r.jurisdiction_fips,
  revoked: !!r.revoked_on,
  superseded: !!r.superseded_by_id,
});

function assertMayRead(ctx: Ctx, r: AwardRow) {
  requireAccess(awardAbilities(ctx.actor, awardFacts(r)), 'read', awardDenial);
}

export async function getAward(ctx: Ctx, id: string): Promise<AwardDto> {
  const r = await getAwardRow(ctx.db, id);
  assertMayRead(ctx, r);
  return (await toDtos(ctx, [r]))[0]!;
}

export async function listAwards(
  ctx: Ctx,
  q: { personId?: string | undefined; programId?: string | undefined; eventId?: string | undefined },
): Promise<AwardDto[]> {
  let query = awardQuery(ctx.db);
  if (q.personId) query = query.where('a.person_id', '=', q.personId);
  if (q.programId) query = query.where('a.program_id', '=', q.programId);
  if (q.eventId) query = query.where('a.event_id', '=', q.eventId);
  // A coordinator limited to counties or programs lists the awards of their people and programs.
  const limits = coordinatorLimits(ctx.actor);
  if (limits?.counties.length) query = query.where('pe.jurisdiction_fips', 'in', limits.counties);
  if (limits?.programs.length) query = query.where('a.program_id', 'in', limits.programs);
  const rows = await query
    .orderBy('a.awarded_on', 'desc')
    .orderBy('a.created_at', 'desc')
    .limit(1000)
    .execute();
  return toDtos(ctx, rows);
}

export async function readableAwardRow(ctx: Ctx, id: string): Promise<AwardRow> {
  const r = await getAwardRow(ctx.db, id);
  assertMayRead(ctx, r);
  return r;
}

// ---------------------------------------------------------------- eligible list

/**
 * Officials eligible to be awarded, read from the status cache (issue 14): the cache is kept
 * current by every change and by the sweep, so the list is one indexed query (and a count), not an
 * evaluation of everyone. Ordered by the day the requirements were met, then by name; one page
 * when `page` is given (the page, the dashboard), everyone otherwise. Designation and ceremony
 * come from each program's current version.
 */
export async function eligibleList(
  ctx: Ctx,
  q: { programId?: string | undefined; page?: number; pageSize?: number } = {},
) {
  const { programId } = q;
  if (
    programId &&
    !(await ctx.db.selectFrom('program').select('id').where('id', '=', programId).executeTakeFirst())
  )
    throw new DomainError('not_found', 'There is no program with this id.');
  const base = ctx.db
    .selectFrom('certification_status as s')
    .where('s.status', '=', 'eligible')
    .$if(!!programId, (b) => b.where('s.program_id', '=', programId!));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .innerJoin('person as pe', 'pe.id', 's.person_id')
      .innerJoin('program as pr', 'pr.id', 's.program_id')
      .leftJoin('jurisdiction as j', 'j.fips', 'pe.jurisdiction_fips')
      .select([
        'pe.id',
        'pe.first_name',
        'pe.last_name',
        'pe.preferred_name',
        'j.name as county_name',
        'j.kind as county_kind',
        'pr.id as program_id',
        'pr.code as program_code',
        'pr.name as program_name',
        's.eligible_on',
        's.award_year',
        's.apply_by',
      ])
      .orderBy(sql`s.eligible_on asc nulls first`)
      .orderBy(sql`coalesce(nullif(pe.preferred_name, ''), pe.first_name)`)
      .orderBy('pe.last_name')
      .orderBy('pr.name')
      .orderBy('pe.id')
      .$if(q.page !== undefined, (b) => b.limit(q.pageSize ?? 25).offset((q.page! - 1) * (q.pageSize ?? 25)))
      .execute(),
  ]);
  const defs = new Map<string, Awaited<ReturnType<typeof definitionFor>>>();
  for (const r of rows)
    if (!defs.has(r.program_id)) defs.set(r.program_id, await definitionFor(ctx.db, r.program_id));
  const items = rows.map((r) => {
    const def = defs.get(r.program_id);
    return {
      person: { id: r.id, displayName: displayName(r), county: countyOf(r) },
      program: {
        id: r.program_id,
        code: r.program_code,
        name: r.program_name,
        designation: def?.designation ?? r.program_name,
      },
      eligibleOn: r.eligible_on,
      awardYear: r.award_year ?? (r.eligible_on ? yearOf(r.eligible_on) : null),
      applyBy: r.apply_by,
      ceremony: def?.award?.ceremony ?? null,
    };
  });
  return { items, total: Number(count.n) };
}

/**
 * The ceremonies and conferences an award can attach to now (the same rule `awardOne` applies):
 * held today or earlier, "today" in the event's program's zone (an event without a program: in
 * any program's zone, the latest).
 */
export async function openAwardingEvents(ctx: Ctx) {
  const programs = await ctx.db.selectFrom('program').select(['id', 'time_zone']).execute();
  const todayOf = new Map(programs.map((p) => [p.id, todayIn(p.time_zone, ctx.now())]));
  const latest = [...todayOf.values()].sort().at(-1) ?? todayIn('UTC', ctx.now());
  return (await awardingEvents(ctx.db))
    .filter((e) => {
      const today = (e.programId && todayOf.get(e.programId)) || latest;
      return !awardEventRefusal(e, today);
    })
    .map((e) => ({ id: e.id, title: e.title, kind: e.kind, day: e.day! }))
    .sort((a, b) => b.day.localeCompare(a.day) || a.title.localeCompare(b.title));
}

// ---------------------------------------------------------------- award, re-issue, revoke

function certificatePrefix(code: string): string {
  return (
    (code.split('-')[0] ?? code)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 6) || 'CERT'
  );
}

async function insertAward(
  tx: Db,
  ctx: Ctx,
  ev: Evaluated,
  programCode: string,
  o: {
    awardedOn: string;
    eventId: string | null;
    name: string;
    supersedesId: string | null;
    reason: string | null;
  },
): Promise<{ id: string; number: string }> {
  const seq = await sql<{ n: string }>`select nextval('award_certificate_seq') as n`.execute(tx);
  const issuedOn = todayIn(ev.def.timeZone, ctx.now());
  const number = `${certificatePrefix(programCode)}-${yearOf(issuedOn)}-${String(seq.rows[0]!.n).padStart(6, '0')}`;
  const expires = ev.def.renewal
    ? cycleDates(ev.def.renewal, firstCycle(ev.def.renewal, o.awardedOn)).due
    : null;
  const row = await tx
    .insertInto('award')
    .values({
      program_id: ev.programId,
      person_id: ev.personId,
      awarded_on: o.awardedOn,
      number,
      certificate_number: number,
      revoked_on: null,
      revoked_reason: null,
      program_version: ev.def.version,
      designation: ev.def.designation,
      event_id: o.eventId,
      name_on_certificate: o.name,
      issued_on: issuedOn,
      expires_on: expires,
      supersedes_id: o.supersedesId,
      reason: o.reason,
      issued_by: ctx.actor?.userId ?? null,
      // The design it is drawn with for good (issue 18 item 6); a re-issue takes the current one.
      certificate_design_id: await currentDesignId(tx, ev.programId),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await emitEvent(tx, ctx.now(), 'award.issued', {
    programId: ev.programId,
    personId: ev.personId,
    data: {
      award: {
        id: row.id,
        number,
        designation: ev.def.designation,
        awardedOn: o.awardedOn,
        issuedOn,
        expiresOn: expires,
        eventId: o.eventId,
        supersedesId: o.supersedesId,
        reason: o.reason,
      },
    },
  });
  return { id: row.id, number };
}

/**
 * The award e-mail: the certificate number, the award's page (where the certificate PDF is
 * downloaded, after signing in), the PDF itself, and the public verification page.
 */
export function awardEmail(
  ctx: Deps,
  a: {
    awardId: string;
    number: string;
    name: string;
    designation: string;
    awardedOn: string;
    issuer: string;
  },
) {
  const base = ctx.config.publicUrl.replace(/\/$/, '');
  return composeEmail(`Congratulations: ${a.designation}`, [
    paragraph(`Dear ${a.name},`),
    paragraph(`You have been awarded the ${a.designation} designation on ${formatLongDate(a.awardedOn)}.`),
    paragraph(`Your certificate number is ${a.number}.`),
    list(
      link('Open your certificate and download it (PDF)', `${base}/awards/${a.awardId}`),
      link('Download the certificate PDF directly', `${base}/api/awards/${a.awardId}/certificate`),
      link(`Public verification of certificate ${a.number}`, verifyUrl(ctx, a.number)),
    ),
    paragraph(
      'Anyone you show the certificate to can confirm it at the verification page, or by scanning the QR code on the certificate.',
    ),
    paragraph(a.issuer),
  ]);
}

async function awardOne(
  tx: Db,
  ctx: Ctx,
  programId: string,
  personId: string,
  eventId: string | null,
  awardedOn: string | undefined,
): Promise<string> {
  // One award at a time per person and program.
  await sql`select pg_advisory_xact_lock(hashtext(${`award:${programId}:${personId}`}))`.execute(tx);
  const program = await tx
    .selectFrom('program')
    .select(['id', 'code'])
    .where('id', '=', programId)
    .executeTakeFirst();
  if (!program) throw new DomainError('not_found', 'There is no program with this id.');
  const [ev] = await evaluatePeople(tx, programId, [personId], ctx.now());
  if (!ev) throw new DomainError('conflict', 'This person is not enrolled in the program.');
  const day = awardedOn ?? todayIn(ev.def.timeZone, ctx.now());
  if (ev.result.status !== 'eligible')
    throw new DomainError(
      'conflict',
      ev.awardIds.length
        ? 'This official already holds this certification; re-issue the certificate instead.'
        : `This official has not met the requirements yet. ${ev.result.missing[0] ?? ''}`.trim(),
    );
  const cer = ceremonyFor(ev);
  if (cer.eligibleOn && day < cer.eligibleOn)
    throw new DomainError(
      'conflict',
      `The award date cannot be before the requirements were met (${cer.eligibleOn}).`,
      {
        issues: [
          { field: 'awardedOn', message: 'The award date cannot be before the requirements were met.' },
        ],
      },
    );
  if (eventId) {
    // Only a ceremony or conference that has happened or is today (in the program's zone).
    const e = await eventFacts(tx, eventId);
    const refusal = awardEventRefusal(e, todayIn(ev.def.timeZone, ctx.now()));
    if (refusal) throw new DomainError('conflict', refusal.message, { issues: [refusal] });
    const year = e.day ? yearOf(e.day) : yearOf(day);
    if (year < cer.year)
      throw new DomainError(
        'conflict',
        `Requirements were met on ${cer.eligibleOn}, after the application deadline${cer.applyBy ? ` (${cer.applyBy})` : ''}: this official is awarded at the ${cer.year} ceremony, not at "${e.title}".`,
        { issues: [{ field: 'eventId', message: `This official belongs to the ${cer.year} ceremony.` }] },
      );
  }
  const who = await personContact(tx, personId);
  const { id, number } = await insertAward(tx, ctx, ev, program.code, {
    awardedOn: day,
    eventId,
    name: displayName(who),
    supersedesId: null,
    reason: null,
  });
  await recordAudit(tx, ctx, {
    action: 'award.create',
    entityType: 'award',
    entityId: id,
    after: { personId, programId, eventId, awardedOn: day },
  });
  await ctx.mailer.enqueue(tx, {
    to: who.email,
    kind: 'award.awarded',
    ...awardEmail(ctx, {
      awardId: id,
      number,
      name: displayName(who),
      designation: ev.def.designation,
      awardedOn: day,
      issuer: ev.def.issuingBody.name,
    }),
  });
  await onCertificationFactsChanged(tx, ctx, personId, programId);
  return id;
}

export async function createAward(
  ctx: Ctx,
  b: { personId: string; programId: string; eventId?: string | undefined; awardedOn?: string | undefined },
): Promise<AwardDto> {
  const id = await ctx.db
    .transaction()
    .execute((tx) => awardOne(tx, ctx, b.programId, b.personId, b.eventId ?? null, b.awardedOn));
  void ctx.mailer.flush().catch(() => 0);
  return getAward(ctx, id);
}

/** Awards many at an event: each official in their own savepoint, refusals listed with the reason. */
export async function bulkAward(
  ctx: Ctx,
  b: { programId: string; eventId: string; personIds: string[]; awardedOn?: string | undefined },
) {
  const ids: string[] = [];
  const refused: { personId: string; reason: string }[] = [];
  await ctx.db.transaction().execute(async (tx) => {
    for (const personId of [...new Set(b.personIds)]) {
      await sql`savepoint award_one`.execute(tx);
      try {
        ids.push(await awardOne(tx, ctx, b.programId, personId, b.eventId, b.awardedOn));
        await sql`release savepoint award_one`.execute(tx);
      } catch (e) {
        await sql`rollback to savepoint award_one`.execute(tx);
        if (!(e instanceof DomainError)) throw e;
        refused.push({ personId, reason: e.message });
      }
    }
  });
  void ctx.mailer.flush().catch(() => 0);
  const rows = ids.length ? await awardQuery(ctx.db).where('a.id', 'in', ids).execute() : [];
  return { awarded: await toDtos(ctx, rows), refused };
}

export async function reissueAward(
  ctx: Ctx,
  id: string,
  b: { nameOnCertificate: string; reason: string },
): Promise<AwardDto> {
  const newId = await ctx.db.transaction().execute(async (tx) => {
    const old = await getAwardRow(tx, id);
    await sql`select pg_advisory_xact_lock(hashtext(${`award:${old.program_id}:${old.person_id}`}))`.execute(
      tx,
    );
    const fresh = await getAwardRow(tx, id);
    if (fresh.superseded_by_id)
      throw new DomainError(
        'conflict',
        'This certificate has already been superseded; re-issue the current one.',
      );
    if (fresh.revoked_on) throw new DomainError('conflict', 'A revoked certificate cannot be re-issued.');
    const [ev] = await evaluatePeople(tx, old.program_id, [old.person_id], ctx.now());
    if (!ev) throw new DomainError('not_found', 'There is no program for this award.');
    const { id: created } = await insertAward(tx, ctx, ev, old.program_code, {
      awardedOn: old.awarded_on,
      eventId: old.event_id,
      name: b.nameOnCertificate,
      supersedesId: old.id,
      reason: b.reason,
    });
    await recordAudit(tx, ctx, {
      action: 'award.reissue',
      entityType: 'award',
      entityId: created,
      before: { awardId: old.id, name: old.name_on_certificate },
      after: { awardId: created, name: b.nameOnCertificate, reason: b.reason },
    });
    await onCertificationFactsChanged(tx, ctx, old.person_id, old.program_id);
    return created;
  });
  return getAward(ctx, newId);
}

export async function revokeAward(
  ctx: Ctx,
  id: string,
  b: { reason: string; revokedOn?: string | undefined },
): Promise<AwardDto> {
  await ctx.db.transaction().execute(async (tx) => {
    const a = await getAwardRow(tx, id);
    if (a.superseded_by_id)
      throw new DomainError('conflict', 'This certificate was superseded; revoke the current certificate.');
    if (a.revoked_on) throw new DomainError('conflict', 'This award is already revoked.');
    const on = b.revokedOn ?? (await programToday(tx, a.program_id, ctx.now()));
    await tx
      .insertInto('award_revocation')
      .values({ award_id: id, revoked_on: on, reason: b.reason, revoked_by: ctx.actor?.userId ?? null })
      .execute();
    // Mirror once onto the award row (the trigger allows only this) for older readers.
    await tx
      .updateTable('award')
      .set({ revoked_on: on, revoked_reason: b.reason })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'award.revoke',
      entityType: 'award',
      entityId: id,
      after: { revokedOn: on, reason: b.reason },
    });
    await emitEvent(tx, ctx.now(), 'award.revoked', {
      programId: a.program_id,
      personId: a.person_id,
      data: {
        award: {
          id,
          number: a.certificate_number ?? a.number,
          designation: a.designation,
          revokedOn: on,
          reason: b.reason,
        },
      },
    });
    await onCertificationFactsChanged(tx, ctx, a.person_id, a.program_id);
  });
  return getAward(ctx, id);
}

// ---------------------------------------------------------------- plaques

/**
 * Moves the plaque for an award made at an event: to order → ordered → delivered (the domain's
 * `plaqueChangeRefusal` says which steps are allowed). The day of each step is recorded in the
 * program's zone; the change is audited. A certificate replaced or revoked has no plaque to order.
 */
export async function setPlaqueState(ctx: Ctx, awardId: string, state: PlaqueState): Promise<AwardDto> {
  await ctx.db.transaction().execute(async (tx) => {
    const a = await getAwardRow(tx, awardId);
    assertMayRead(ctx, a);
    if (!a.event_id)
      throw fieldError('state', 'This award was not made at an event, so it has no plaque to order.');
    if (a.revoked_on || a.superseded_by_id)
      throw new DomainError(
        'conflict',
        'This certificate was revoked or replaced; order the plaque of the current one.',
        {
          issues: [{ field: 'state', message: 'This certificate was revoked or replaced.' }],
        },
      );
    const current = await tx
      .selectFrom('plaque_order')
      .selectAll()
      .where('award_id', '=', awardId)
      .forUpdate()
      .executeTakeFirst();
    const from = current?.state ?? 'to_order';
    const refusal = plaqueChangeRefusal(from, state);
    if (refusal)
      throw new DomainError('conflict', refusal, { issues: [{ field: 'state', message: refusal }] });
    if (from === state) return;
    const today = await programToday(tx, a.program_id, ctx.now());
    const orderedOn =
      state === 'to_order' ? null : state === 'ordered' ? today : (current?.ordered_on ?? today);
    const deliveredOn = state === 'delivered' ? today : null;
    await tx
      .insertInto('plaque_order')
      .values({
        award_id: awardId,
        state,
        ordered_on: orderedOn,
        delivered_on: deliveredOn,
        updated_by: ctx.actor?.userId ?? null,
      })
      .onConflict((oc) =>
        oc.column('award_id').doUpdateSet({
          state,
          ordered_on: orderedOn,
          delivered_on: deliveredOn,
          updated_by: ctx.actor?.userId ?? null,
          updated_at: ctx.now().toISOString(),
        }),
      )
      .execute();
    await recordAudit(tx, ctx, {
      action: 'award.plaque',
      entityType: 'award',
      entityId: awardId,
      before: { state: from },
      after: { state, orderedOn, deliveredOn },
    });
  });
  return getAward(ctx, awardId);
}
