/**
 * Person facts (issue 13, section 4): the taking-office date and other dated
 * facts, exam results, waivers and provisional approvals, per-person deadline
 * extensions and attestations. Staff record them for one program with a reason;
 * a fact is never edited, only withdrawn with a reason (a new dated fact or
 * extension withdraws the one it replaces). Every change is audited and
 * re-evaluates the person at once, like a credit.
 */
import type { PersonFactDto, RecordFactBody } from '../../../contract/facts.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import {
  factEntryIssues,
  factLabel,
  factTargets,
  selectProgramVersion,
  type FactEntry,
  type FactTargets,
  type ProgramDefinition,
} from '../../../domain/requirements/index.js';
import { todayIn } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import { anyId } from './queries.js';
import { recordAudit } from '../audit/audit.service.js';
import { readPerson, readPersonToRun } from '../people/people.service.js';
import { definitionFor, publishedDefinitions } from '../programs/programs.service.js';
import { onCertificationFactsChanged } from './evaluation.js';
import { factQuery, nameOf, type FactRow } from './facts-load.js';

function toDto(r: FactRow, targets: FactTargets | undefined): PersonFactDto {
  return {
    id: r.id,
    personId: r.person_id,
    program: { id: r.program_id, name: r.program_name },
    kind: r.kind,
    key: r.key,
    label: targets ? factLabel(targets, r) : r.key,
    date: r.date,
    score: r.score,
    until: r.until,
    reason: r.reason,
    recordedAt: r.recorded_at,
    recordedBy: nameOf(r.recorder_first, r.recorder_last, r.recorder_preferred),
    withdrawnAt: r.withdrawn_at,
    withdrawnBy: nameOf(r.withdrawer_first, r.withdrawer_last, r.withdrawer_preferred),
    withdrawnReason: r.withdrawn_reason,
  };
}

/**
 * The program version each of these people is judged by in one program (their
 * enrollment's), for the people enrolled in it (any enrollment status, as
 * recording a fact has always allowed); people not enrolled are left out.
 */
export async function judgedBy(
  db: Db,
  programId: string,
  personIds: readonly string[],
): Promise<Map<string, ProgramDefinition>> {
  const out = new Map<string, ProgramDefinition>();
  if (personIds.length === 0) return out;
  const versions = await publishedDefinitions(db, programId);
  const rows = await db
    .selectFrom('enrollment')
    .select(['person_id', 'enrolled_on', 'pinned_version'])
    .where('program_id', '=', programId)
    .where('person_id', '=', anyId(personIds))
    .execute();
  for (const r of rows) {
    const def = selectProgramVersion(versions, r.enrolled_on ?? '9999-12-31', r.pinned_version ?? undefined);
    if (def) out.set(r.person_id, def);
  }
  return out;
}

export const notEnrolledMessage = (programName: string) => `This person is not enrolled in ${programName}.`;

/** The program definition a person is judged by (their enrollment's version), or a 400 on `field`. */
async function definitionOfEnrollment(
  db: Db,
  personId: string,
  programId: string,
  field: string,
): Promise<{ def: ProgramDefinition; programName: string }> {
  const program = await db
    .selectFrom('program')
    .select('name')
    .where('id', '=', programId)
    .executeTakeFirst();
  if (!program) throw fieldError(field, 'There is no program with this id.');
  const enrolled = await db
    .selectFrom('enrollment')
    .select('id')
    .where('program_id', '=', programId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!enrolled) throw fieldError(field, notEnrolledMessage(program.name));
  const def = (await judgedBy(db, programId, [personId])).get(personId);
  if (!def) throw fieldError(field, `${program.name} has no published rules yet.`);
  return { def, programName: program.name };
}

/** A person's facts (withdrawn ones too, as history) and what can be recorded in each of their programs. */
export async function listFacts(ctx: Ctx, personId: string) {
  await readPerson(ctx, personId);
  const rows = await factQuery(ctx.db)
    .where('f.person_id', '=', personId)
    .orderBy('f.recorded_at', 'desc')
    .orderBy('f.created_at', 'desc')
    .execute();
  const enrollments = await ctx.db
    .selectFrom('enrollment as e')
    .innerJoin('program as pr', 'pr.id', 'e.program_id')
    .select(['e.program_id', 'e.enrolled_on', 'e.pinned_version', 'pr.name'])
    .where('e.person_id', '=', personId)
    .where('e.status', '=', 'active')
    .orderBy('pr.name')
    .execute();
  const targets = new Map<string, FactTargets>();
  const options = [];
  for (const e of enrollments) {
    const def = await definitionFor(ctx.db, e.program_id, e);
    if (!def) continue;
    const t = factTargets(def);
    targets.set(e.program_id, t);
    options.push({ program: { id: e.program_id, name: e.name }, ...t });
  }
  for (const programId of new Set(rows.map((r) => r.program_id)))
    if (!targets.has(programId)) {
      const def = await definitionFor(ctx.db, programId);
      if (def) targets.set(programId, factTargets(def));
    }
  return { items: rows.map((r) => toDto(r, targets.get(r.program_id))), options };
}

/** The rules of entry that depend on the program (key, date): the first one broken, as a 400 naming its field. */
function checkEntry(entry: FactEntry, programName: string, def: ProgramDefinition, now: Date): FactTargets {
  const targets = factTargets(def);
  const issues = factEntryIssues(entry, { name: programName, targets, today: todayIn(def.timeZone, now) });
  if (issues[0]) throw fieldError(issues[0].field, issues[0].message);
  return targets;
}

/**
 * Writes one checked fact inside the caller's transaction, as staff recording
 * it would: the enrollment is locked (facts of one enrollment are recorded one
 * at a time), a new dated fact or extension withdraws the current one with
 * this key ("Replaced by a later entry: …"), and the change is audited. The
 * caller re-evaluates the person (at once, or quietly after an import).
 */
export async function writeFact(
  tx: Tx,
  ctx: Ctx,
  personId: string,
  body: FactEntry & { programId: string; reason: string },
  audit: Record<string, unknown> = {},
): Promise<string> {
  // Facts of one enrollment are recorded one at a time, so two staff entering the taking-office
  // date at once leave one current date (the later), not a unique-index error.
  await tx
    .selectFrom('enrollment')
    .select('id')
    .where('person_id', '=', personId)
    .where('program_id', '=', body.programId)
    .forUpdate()
    .execute();
  // One current dated fact and one extension per key: the new one replaces the old.
  const replaced =
    body.kind === 'date' || body.kind === 'extension'
      ? await tx
          .selectFrom('person_fact')
          .selectAll()
          .where('person_id', '=', personId)
          .where('program_id', '=', body.programId)
          .where('kind', '=', body.kind)
          .where('key', '=', body.key)
          .where('withdrawn_at', 'is', null)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
  const at = ctx.now().toISOString();
  if (replaced)
    await tx
      .updateTable('person_fact')
      .set({
        withdrawn_at: at,
        withdrawn_by: ctx.actor?.userId ?? null,
        withdrawn_reason: `Replaced by a later entry: ${body.reason}`,
      })
      .where('id', '=', replaced.id)
      .execute();
  const inserted = await tx
    .insertInto('person_fact')
    .values({
      person_id: personId,
      program_id: body.programId,
      kind: body.kind,
      key: body.key,
      date: body.date,
      score: body.kind === 'exam' ? (body.score ?? null) : null,
      until: body.until ?? null,
      reason: body.reason,
      recorded_by: ctx.actor?.userId ?? null,
      recorded_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, ctx, {
    action: 'person.fact.record',
    entityType: 'person',
    entityId: personId,
    before: replaced
      ? {
          factId: replaced.id,
          kind: replaced.kind,
          key: replaced.key,
          date: replaced.date,
          until: replaced.until,
        }
      : null,
    after: {
      factId: inserted.id,
      programId: body.programId,
      kind: body.kind,
      key: body.key,
      date: body.date,
      score: body.score ?? null,
      until: body.until ?? null,
      reason: body.reason,
      ...audit,
    },
  });
  return inserted.id;
}

/** Records a fact with a reason, audited, and re-evaluates the person in that program. */
export async function recordFact(ctx: Ctx, personId: string, body: RecordFactBody): Promise<PersonFactDto> {
  await readPersonToRun(ctx, personId);
  const { def, programName } = await definitionOfEnrollment(ctx.db, personId, body.programId, 'programId');
  const targets = checkEntry(body, programName, def, ctx.now());
  return ctx.db.transaction().execute(async (tx) => {
    const id = await writeFact(tx, ctx, personId, body);
    await onCertificationFactsChanged(tx, ctx, personId, body.programId);
    const row = await factQuery(tx).where('f.id', '=', id).executeTakeFirstOrThrow();
    return toDto(row, targets);
  });
}

/** Withdraws a fact with a reason (it stays as history), audited; the person is re-evaluated. */
export async function withdrawFact(
  ctx: Ctx,
  factId: string,
  reason: string,
): Promise<{ factId: string; withdrawnAt: string; reason: string; fact: PersonFactDto }> {
  const found = await ctx.db
    .selectFrom('person_fact')
    .select('person_id')
    .where('id', '=', factId)
    .executeTakeFirst();
  if (!found) throw new DomainError('not_found', 'There is no person fact with this id.');
  // Someone outside the actor's people scope is not there for them: 404, like the person.
  await readPersonToRun(ctx, found.person_id);
  return ctx.db.transaction().execute(async (tx) => {
    const stored = await tx
      .selectFrom('person_fact')
      .selectAll()
      .where('id', '=', factId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (stored.withdrawn_at) throw new DomainError('conflict', 'This fact was already withdrawn.');
    await tx
      .updateTable('person_fact')
      .set({
        withdrawn_at: ctx.now().toISOString(),
        withdrawn_by: ctx.actor?.userId ?? null,
        withdrawn_reason: reason,
      })
      .where('id', '=', factId)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'person.fact.withdraw',
      entityType: 'person',
      entityId: stored.person_id,
      before: {
        factId,
        kind: stored.kind,
        key: stored.key,
        date: stored.date,
        score: stored.score,
        until: stored.until,
      },
      after: { withdrawn: true, reason },
    });
    await onCertificationFactsChanged(tx, ctx, stored.person_id, stored.program_id);
    const def = await definitionFor(tx, stored.program_id);
    const row = await factQuery(tx).where('f.id', '=', factId).executeTakeFirstOrThrow();
    const fact = toDto(row, def ? factTargets(def) : undefined);
    return { factId, withdrawnAt: fact.withdrawnAt ?? '', reason, fact };
  });
}
