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
  factLabel,
  factTargets,
  targetsFor,
  type FactTargets,
  type PersonFactKind,
  type ProgramDefinition,
} from '../../../domain/requirements/index.js';
import { formatLongDate, todayIn } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { readPerson } from '../people/people.service.js';
import { definitionFor } from '../programs/programs.service.js';
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

/** The program definition a person is judged by (their enrollment's version), or a 400 on `field`. */
async function definitionOfEnrollment(
  db: Db,
  personId: string,
  programId: string,
  field: string,
): Promise<{ def: ProgramDefinition; programName: string }> {
  const row = await db
    .selectFrom('program as pr')
    .leftJoin('enrollment as e', (j) =>
      j.onRef('e.program_id', '=', 'pr.id').on('e.person_id', '=', personId),
    )
    .select(['pr.name', 'e.id as enrollment_id', 'e.enrolled_on', 'e.pinned_version'])
    .where('pr.id', '=', programId)
    .executeTakeFirst();
  if (!row) throw fieldError(field, 'There is no program with this id.');
  if (!row.enrollment_id) throw fieldError(field, `This person is not enrolled in ${row.name}.`);
  const def = await definitionFor(db, programId, row);
  if (!def) throw fieldError(field, `${row.name} has no published rules yet.`);
  return { def, programName: row.name };
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

const kindWords: Record<PersonFactKind, string> = {
  date: 'dated fact',
  exam: 'exam',
  waiver: 'requirement',
  provisional: 'requirement',
  extension: 'deadline',
  attestation: 'attestation',
};

/** Records a fact with a reason, audited, and re-evaluates the person in that program. */
export async function recordFact(ctx: Ctx, personId: string, body: RecordFactBody): Promise<PersonFactDto> {
  await readPerson(ctx, personId);
  const { def, programName } = await definitionOfEnrollment(ctx.db, personId, body.programId, 'programId');
  const targets = factTargets(def);
  const allowed = targetsFor(targets, body.kind);
  if (!allowed.some((t) => t.key === body.key))
    throw fieldError(
      'key',
      allowed.length === 0
        ? `${programName} has no ${kindWords[body.kind]} that a ${body.kind} fact could be about.`
        : `${programName} has no ${kindWords[body.kind]} "${body.key}". Choose one of: ${allowed
            .map((t) => `${t.label} (${t.key})`)
            .join(', ')}.`,
    );
  const today = todayIn(def.timeZone, ctx.now());
  // Only a dated fact (such as taking office next month) may lie ahead; results, grants and
  // signatures are things that have happened.
  if (body.kind !== 'date' && body.date > today)
    throw fieldError('date', `The date can't be after today (${formatLongDate(today)}).`);
  return ctx.db.transaction().execute(async (tx) => {
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
      },
    });
    await onCertificationFactsChanged(tx, ctx, personId, body.programId);
    const row = await factQuery(tx).where('f.id', '=', inserted.id).executeTakeFirstOrThrow();
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
  await readPerson(ctx, found.person_id);
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
