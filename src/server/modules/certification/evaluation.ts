/**
 * Evaluation: a person's facts and records loaded for the rules engine, the
 * status cache and its notices (recompute), the change hook every writer of
 * certification facts calls, and the scheduled sweep. Status is always
 * computed from facts as of `now` in the program's zone; the stored
 * certification_status is only a cache for lists and dashboards.
 */
import type {
  CreditRecord,
  EvaluationContext,
  EvaluationResult,
  RecordedFact,
  ProgramDefinition,
} from '../../../domain/requirements/index.js';
import {
  evaluate,
  factsToContext,
  nextTransitionOn,
  selectProgramVersion,
} from '../../../domain/requirements/index.js';
import { addDays, formatLongDate, toLocalDate, todayIn, yearOf } from '../../../domain/time/index.js';
import { sql } from 'kysely';
import type { Ctx, Deps } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { loadStoredCycles, storeCycleOutcome, storedCyclesOf, type StoredCycles } from './cycles.js';
import { currentFacts } from './facts-load.js';
import { pendingClaimRecords } from './pending.js';
import { anyId, currentAwards, upcomingConfirmedSeats } from './queries.js';
import { prepared } from '../../db/prepared.js';
import { awardsToFacts, ledgerToRecords } from './records.js';
import { QUIET_REASONS, queueStatus, type DueReason } from '../status-queue/queue.js';
import { reportFactsOf } from './report-facts.js';
import { composeEmail, link, list, paragraph } from '../mail/message.js';
import { emitEvent } from '../webhooks/events.js';

export interface Evaluated {
  personId: string;
  programId: string;
  def: ProgramDefinition;
  result: EvaluationResult;
  records: CreditRecord[];
  /** The person's live award chain heads (not superseded), newest first. */
  awardIds: string[];
  /** Cohorts from the enrollment (0007). */
  cohorts?: string[];
  /** Stored outcomes of closed renewal cycles, given to the engine (0011). */
  stored?: StoredCycles;
  /** Current person facts in this program (0012): taking office, exams, waivers, extensions, attestations. */
  facts?: RecordedFact[];
  /** The context the engine was given (for the next date-driven transition, 0022). */
  context?: EvaluationContext;
}

const enrollmentQuery = (db: Db, programId: string) =>
  db
    .selectFrom('enrollment')
    .select(['person_id', 'enrolled_on', 'pinned_version', 'cohorts'])
    .where('program_id', '=', programId)
    .where('status', '=', 'active');
const enrollmentsOf = prepared((db, programId: string, personIds: readonly string[]) =>
  enrollmentQuery(db, programId).where('person_id', '=', anyId(personIds)),
);

/** Current awards, newest first. */
const awardQuery = (db: Db, programId: string) =>
  currentAwards(db)
    .select([
      'a.id',
      'a.person_id',
      'a.awarded_on',
      'a.certificate_number',
      'a.number',
      'r.revoked_on',
      'r.reason as revoked_reason',
      'a.revoked_on as legacy_revoked_on',
      'a.revoked_reason as legacy_reason',
    ])
    .where('a.program_id', '=', programId)
    .orderBy('a.awarded_on', 'desc')
    .orderBy('a.created_at', 'desc');
const awardsOf = prepared((db, programId: string, personIds: readonly string[]) =>
  awardQuery(db, programId).where('a.person_id', '=', anyId(personIds)),
);

/** Only what the engine reads (`LedgerRow`): no instants to parse, no audit columns. */
const ledgerOf = prepared((db, programId: string, personIds: readonly string[]) =>
  db
    .selectFrom('credit_record')
    .select([
      'id',
      'person_id',
      'earned_on',
      'amount',
      'category',
      'sponsored',
      'source_type',
      'course_code',
      'title',
      'status',
      'reverses_id',
      'recorded_on',
    ])
    .where('program_id', '=', programId)
    .where('person_id', '=', anyId(personIds)),
);

/**
 * Evaluates people in one program from the ledger and their current awards, in
 * a few queries: everyone with an active enrollment or an award when
 * `personIds` is null. `pendingClaims` adds submitted claims as pending
 * records (the progress view shows them as waiting for review). `zone` is the
 * program's time zone when the caller has it already (one statement fewer). `versions` judges each
 * person by the version selectProgramVersion picks among the ones given instead of the published
 * ones (the impact of a draft: the published versions plus the draft, as after publishing).
 */
export async function evaluatePeople(
  db: Db,
  programId: string,
  personIds: string[] | null,
  now: Date,
  asOf?: string,
  opts: { pendingClaims?: boolean; zone?: string; versions?: readonly ProgramDefinition[] } = {},
): Promise<Evaluated[]> {
  const enrollments = personIds
    ? await enrollmentsOf(db, programId, personIds)
    : await enrollmentQuery(db, programId).execute();
  const awards = personIds
    ? await awardsOf(db, programId, personIds)
    : await awardQuery(db, programId).execute();
  const people = new Set<string>([...enrollments.map((e) => e.person_id), ...awards.map((a) => a.person_id)]);
  if (people.size === 0) return [];
  const rows = await ledgerOf(db, programId, [...people]);
  const storedAll = await loadStoredCycles(db, programId, [...people]);
  const factsAll = await currentFacts(db, programId, [...people]);
  // Seats in upcoming sessions matter only today (a program may give provisional status on them).
  const seatsAll =
    asOf === undefined ? await upcomingSeatsOf(db, programId, people, now, opts.zone) : undefined;
  const byPerson = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byPerson.get(r.person_id);
    if (list) list.push(r);
    else byPerson.set(r.person_id, [r]);
  }
  const enrollmentOf = new Map(enrollments.map((e) => [e.person_id, e]));
  const awardsByPerson = new Map<string, typeof awards>();
  for (const a of awards) {
    const list = awardsByPerson.get(a.person_id);
    if (list) list.push(a);
    else awardsByPerson.set(a.person_id, [a]);
  }
  const defs = new Map<string, ProgramDefinition | undefined>();
  const out: Evaluated[] = [];
  for (const personId of people) {
    const e = enrollmentOf.get(personId);
    const key = `${e?.enrolled_on ?? ''}|${e?.pinned_version ?? ''}`;
    if (!defs.has(key))
      defs.set(
        key,
        opts.versions
          ? selectProgramVersion(
              opts.versions,
              e?.enrolled_on ?? '9999-12-31',
              e?.pinned_version ?? undefined,
            )
          : await definitionFor(db, programId, e),
      );
    const def = defs.get(key);
    if (!def) continue;
    const mine = byPerson.get(personId) ?? [];
    const records = ledgerToRecords(mine);
    if (opts.pendingClaims) records.push(...(await pendingClaimRecords(db, personId, programId)));
    const mineAwards = awardsByPerson.get(personId) ?? [];
    // An instant is evaluated as the date it falls on in the program's zone.
    const day = asOf === undefined ? todayIn(def.timeZone, now) : (toLocalDate(asOf, def.timeZone) ?? asOf);
    const stored = storedCyclesOf(storedAll, personId);
    const facts = factsAll.get(personId) ?? [];
    const seats = seatsAll?.get(personId);
    const context: EvaluationContext = {
      ...factsToContext(facts),
      ...(seats ? { confirmedSeats: seats } : {}),
      closedCycles: stored.closedCycles,
      reopenedCycles: stored.reopenedCycles,
      asOf: day,
      personId,
      ...(e?.enrolled_on ? { enrollmentDate: e.enrolled_on } : {}),
      cohorts: e?.cohorts ?? [],
      awards: awardsToFacts(mineAwards),
    };
    const result = evaluate(def, records, context);
    out.push({
      personId,
      programId,
      def,
      result,
      records,
      awardIds: mineAwards.map((a) => a.id),
      cohorts: e?.cohorts ?? [],
      stored,
      facts,
      context,
    });
  }
  return out;
}

async function upcomingSeatsOf(db: Db, programId: string, people: Set<string>, now: Date, known?: string) {
  const zone =
    known ??
    (await db.selectFrom('program').select('time_zone').where('id', '=', programId).executeTakeFirstOrThrow())
      .time_zone;
  return upcomingConfirmedSeats(db, programId, [...people], now, zone);
}

/** The ceremony year under the program's application deadline, from the day requirements were met. */
export function ceremonyFor(ev: Evaluated): {
  eligibleOn: string | null;
  year: number;
  applyBy: string | null;
} {
  const metOn = ev.result.initial.metOn ?? null;
  if (!metOn) return { eligibleOn: null, year: yearOf(ev.result.asOf), applyBy: null };
  // Ask the rules engine as of the day they became eligible: it applies the application deadline.
  const then = evaluate(ev.def, ev.records, {
    ...factsToContext(ev.facts ?? []),
    asOf: metOn,
    personId: ev.personId,
    cohorts: ev.cohorts ?? [],
  });
  return {
    eligibleOn: metOn,
    year: then.nextAward?.year ?? yearOf(metOn),
    applyBy: then.nextAward?.applyBy ?? null,
  };
}

// ---------------------------------------------------------------- recompute + notices

export async function personContact(db: Db, personId: string) {
  return db
    .selectFrom('person')
    .select(['id', 'email', 'first_name', 'last_name', 'preferred_name'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
}

async function noticeOnce(tx: Db, ctx: Ctx, ev: Evaluated, kind: string, key: string): Promise<boolean> {
  const row = await tx
    .insertInto('award_notice')
    .values({ person_id: ev.personId, program_id: ev.programId, kind, key, sent_at: ctx.now().toISOString() })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

/**
 * Refreshes the status cache, the renewal-cycle records and sends each notice
 * once (eligible, renewal reminders, lapsed, reinstated). Runs inside the
 * caller's transaction after any relevant change, and from the scheduled job.
 */
export async function recompute(
  tx: Db,
  ctx: Ctx,
  ev: Evaluated,
  opts: {
    notify?: boolean;
    /**
     * Whether the person's records, enrollment, awards or rules changed (default), not only the
     * day: then the transaction's id is stamped on the cached row (`inputs_xid`, migration 0039),
     * which tells a report prepared for another day that it may be out of date (ADR 0039).
     */
    inputsChanged?: boolean;
  } = {},
): Promise<void> {
  // Quiet (imports of history): notices are recorded as given, so the sweep will not send them
  // later either, but nobody is e-mailed about events that happened before the import.
  const send: Ctx['mailer']['enqueue'] =
    opts.notify === false ? async () => '' : (t, m) => ctx.mailer.enqueue(t, m);
  const { result, def } = ev;
  const lc = result.lifecycle;
  const cer = result.status === 'eligible' ? ceremonyFor(ev) : null;
  const values = {
    status: result.status,
    award_id: ev.awardIds[0] ?? null,
    eligible_on: cer?.eligibleOn ?? null,
    award_year: cer?.year ?? null,
    apply_by: cer?.applyBy ?? null,
    next_due: lc?.nextDue ?? null,
    lapsed_on: lc?.lapsedOn ?? null,
    computed_at: ctx.now().toISOString(),
    report_facts: JSON.stringify(reportFactsOf(result)),
    next_transition_on: storedTransitionOf(ev),
  };
  const before = await tx
    .selectFrom('certification_status')
    .select('status')
    .where('person_id', '=', ev.personId)
    .where('program_id', '=', ev.programId)
    .executeTakeFirst();
  const stamp = { inputs_xid: sql<string>`pg_current_xact_id()` };
  await tx
    .insertInto('certification_status')
    .values({ person_id: ev.personId, program_id: ev.programId, ...values, ...stamp })
    .onConflict((oc) =>
      oc
        .columns(['person_id', 'program_id'])
        .doUpdateSet(opts.inputsChanged === false ? values : { ...values, ...stamp }),
    )
    .execute();
  if (before?.status !== result.status && before) {
    await recordAudit(tx, ctx, {
      action: 'certification.status',
      entityType: 'person',
      entityId: ev.personId,
      before: { program: def.id, status: before.status },
      after: { program: def.id, status: result.status },
    });
    await emitEvent(tx, ctx.now(), 'status.changed', {
      programId: ev.programId,
      personId: ev.personId,
      data: {
        status: {
          previous: before.status,
          current: result.status,
          asOf: result.asOf,
          nextDue: values.next_due,
          lapsedOn: values.lapsed_on,
        },
      },
    });
  }
  const who = await personContact(tx, ev.personId);
  const name = displayName(who);
  const base = ctx.config.publicUrl;
  if (result.status === 'eligible' && (await noticeOnce(tx, ctx, ev, 'eligible', def.id))) {
    await send(tx, {
      to: who.email,
      kind: 'award.eligible',
      notice: { personId: ev.personId, category: 'status-notices' },
      ...composeEmail(`You have met the requirements for ${def.designation}`, [
        paragraph(`Dear ${name},`),
        paragraph(`You have met every requirement of the ${def.name}. ${result.headline}`),
        paragraph(
          cer?.applyBy
            ? `Your designation will be awarded at the ${cer.year} ${def.award?.ceremony ?? 'ceremony'}.`
            : `Your designation will be awarded at the ${def.award?.ceremony ?? 'next ceremony'}.`,
        ),
        paragraph(link('See your progress', `${base}/progress`)),
        paragraph(def.issuingBody.name),
      ]),
    });
  }
  if (!lc) return;
  const awardId = lc.award.id;
  for (const c of lc.cycles) {
    const cyc = await tx
      .insertInto('renewal_cycle')
      .values({
        award_id: awardId,
        person_id: ev.personId,
        program_id: ev.programId,
        cycle_index: c.index,
        starts_on: c.start,
        due_on: c.due,
        grace_ends_on: c.graceEnds,
        reinstate_by: c.reinstateBy ?? null,
      })
      .onConflict((oc) => oc.columns(['award_id', 'starts_on']).doUpdateSet({ starts_on: c.start }))
      .returning('id')
      .executeTakeFirstOrThrow();
    // Closed cycles: the outcome is stored once and never changed; later corrections are flagged.
    await storeCycleOutcome(
      tx,
      ctx,
      { personId: ev.personId, programId: ev.programId, programCode: def.id },
      cyc.id,
      c,
      ev.stored ?? storedCyclesOf(new Map(), ev.personId),
    );
    if (c.state !== 'future') {
      await tx
        .insertInto('renewal_cycle_event')
        .values({
          cycle_id: cyc.id,
          state: c.state,
          completed_on: c.completedOn ?? null,
          observed_at: ctx.now().toISOString(),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // Reminders: each reminder date once; when several have passed unseen, only the latest is sent.
    if (c.state === 'open' || c.state === 'grace') {
      const passed = c.reminders.filter((r) => r <= result.asOf);
      let latestNew: string | null = null;
      for (const r of passed) if (await noticeOnce(tx, ctx, ev, 'reminder', `${c.start}:${r}`)) latestNew = r;
      if (latestNew) {
        await send(tx, {
          to: who.email,
          kind: 'award.renewal-reminder',
          notice: { personId: ev.personId, category: 'renewal-reminders' },
          ...composeEmail(`${def.designation}: renewal due ${formatLongDate(c.due)}`, [
            paragraph(`Dear ${name},`),
            paragraph(
              `Your ${def.designation} renewal is due by ${formatLongDate(c.due)} (${def.timeZone} time).`,
            ),
            ...(c.requirement?.missing ? [paragraph(c.requirement.missing)] : []),
            list(
              link('See what your renewal still needs', `${base}/progress`),
              link('Find a session and register', `${base}/sessions`),
            ),
            paragraph(def.issuingBody.name),
          ]),
        });
      }
    }
    if (
      c.state === 'lapsed' &&
      result.status === 'lapsed' &&
      (await noticeOnce(tx, ctx, ev, 'lapsed', c.start))
    ) {
      await send(tx, {
        to: who.email,
        kind: 'award.lapsed',
        notice: { personId: ev.personId, category: 'status-notices' },
        ...composeEmail(`${def.designation}: your certification has lapsed`, [
          paragraph(`Dear ${name},`),
          paragraph(
            `The renewal due ${formatLongDate(c.due)} was not completed, so your ${def.designation} has lapsed.${
              c.reinstateBy
                ? ` Completing the requirement by ${formatLongDate(c.reinstateBy)} reinstates it.`
                : ''
            }`,
          ),
          paragraph(link('See what is missing', `${base}/progress`)),
          paragraph(def.issuingBody.name),
        ]),
      });
    }
    if (c.state === 'reinstated' && (await noticeOnce(tx, ctx, ev, 'reinstated', c.start))) {
      await send(tx, {
        to: who.email,
        kind: 'award.reinstated',
        notice: { personId: ev.personId, category: 'status-notices' },
        ...composeEmail(`${def.designation}: your certification is reinstated`, [
          paragraph(`Dear ${name},`),
          paragraph(`Your ${def.designation} is reinstated.`),
          paragraph(link('See your certification', `${base}/certification`)),
          paragraph(def.issuingBody.name),
        ]),
      });
    }
  }
}

/**
 * The safety net: every official is evaluated again within this many days even when no date of
 * theirs lies ahead, against what no date predicts (a new version of the engine). Each person's
 * day is spread over the second half of the span by their id, so no single night takes everyone:
 * about one official in 42 a day.
 */
export const SAFETY_NET_DAYS = 56;

/**
 * The day the sweep evaluates this person again (certification_status.next_transition_on): the
 * next day a date of their evaluation could change it (`nextTransitionOn`), or the safety net's
 * day if that is sooner or there is none.
 */
export function storedTransitionOf(
  ev: Pick<Evaluated, 'personId' | 'def' | 'result' | 'records' | 'context'>,
): string {
  const asOf = ev.result.asOf;
  const spread = Number.parseInt(ev.personId.replace(/-/g, '').slice(-4), 16) || 0;
  const net = addDays(asOf, SAFETY_NET_DAYS / 2 + (spread % (SAFETY_NET_DAYS / 2 + 1)));
  const next = nextTransitionOn(ev.def, ev.result, {
    records: ev.records,
    ...(ev.context ? { context: ev.context } : {}),
  });
  return next !== null && next < net ? next : net;
}

/** Re-evaluates one person in one program (or every program they are in) and refreshes the cache, in `tx`. */
export async function onCertificationFactsChanged(
  tx: Db,
  ctx: Ctx,
  personId: string,
  programId?: string | null,
): Promise<void> {
  const programs = programId
    ? [programId]
    : (
        await tx
          .selectFrom('enrollment')
          .select('program_id')
          .where('person_id', '=', personId)
          .union(tx.selectFrom('award').select('program_id').where('person_id', '=', personId))
          .execute()
      ).map((r) => r.program_id);
  for (const p of programs) {
    const evs = await evaluatePeople(tx, p, [personId], ctx.now());
    for (const ev of evs) await recompute(tx, ctx, ev);
    // No longer an official (withdrawn, no award): nothing to evaluate, but a report prepared for
    // another day counted them, so their cached row still records that something changed.
    if (evs.length === 0) await stampInputs(tx, p, [personId]);
  }
}

/** Marks people's cached rows as changed by this transaction (see `recompute`'s `inputsChanged`). */
async function stampInputs(tx: Db, programId: string, personIds: string[]): Promise<void> {
  await tx
    .updateTable('certification_status')
    .set({ inputs_xid: sql<string>`pg_current_xact_id()` })
    .where('program_id', '=', programId)
    .where('person_id', '=', anyId(personIds))
    .execute();
}

/** Queue reasons that only the day moved: a past day's figures stay as they were. */
const DAY_ONLY_REASONS: readonly DueReason[] = ['transition', 'seat', 'session started'];

/** People recomputed per transaction by the sweep. */
export const SWEEP_BATCH_SIZE = 50;

/**
 * The scheduled job (every minute): evaluates the people queued in status_due, in batches, each
 * batch's new statuses and the removal of its queue rows in one transaction. Status depends on
 * facts and on the day in the program's zone only, and each cached status names the next day on
 * which a date of its evaluation could change it (next_transition_on: a due date, the end of
 * grace, a reminder, a deadline …). So the sweep queues the people whose day has come, through
 * that column's index, and people whose confirmed seat's session has started since the last sweep
 * (the seat no longer counts as upcoming); once a day, anyone enrolled or awarded with no cached
 * status at all. With nothing queued the sweep evaluates no one. `everyone` queues every enrolled
 * or awarded person first (`civiccert status recompute`). Tests call it directly with a given
 * clock (`deps.now`), and may set a small `batchSize` to exercise the batch boundaries.
 */
export async function runCertificationSweep(
  deps: Deps,
  opts: { batchSize?: number; everyone?: boolean } = {},
): Promise<{ evaluated: number }> {
  const size = opts.batchSize ?? SWEEP_BATCH_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer`);
  const programs = await deps.db.selectFrom('program').select(['id', 'time_zone']).execute();
  let evaluated = 0;
  for (const p of programs) {
    await queueDue(deps.db, p.id, p.time_zone, deps.now(), opts.everyone === true);
    evaluated += await drainQueue(deps, p.id, p.time_zone, size);
  }
  await foldReportTally(deps.db);
  await deps.mailer.flush().catch(() => 0);
  return { evaluated };
}

/**
 * Folds the renewal-state tally's deltas (migration 0041, ADR 0041: a row appended per statement
 * that changed `report_official`) into one row per program and state, once they are more than a
 * few. The deleted rows' sum is written back in the same statement; a fold running at the same time
 * skips the rows this one deleted, and writers only append, so the sums stay exact.
 */
export async function foldReportTally(db: Db): Promise<void> {
  await sql`
    with gone as (
      delete from report_official_tally
       where (select count(*) from report_official_tally) > 64
      returning program_id, renewal_state, n)
    insert into report_official_tally (program_id, renewal_state, n)
    select program_id, renewal_state, sum(n)::int from gone group by 1, 2 having sum(n) <> 0`.execute(db);
}

/**
 * Evaluates the people queued in status_due for the given programs now, as the sweep would
 * (batches, each its own transaction), without waiting for the next minute: a bulk writer that
 * queued people (an import) calls it after its commit so statuses are right promptly. A sweep
 * running at the same time takes other batches (SKIP LOCKED).
 */
export async function recomputeQueued(deps: Deps, programIds: readonly string[]): Promise<number> {
  let evaluated = 0;
  if (programIds.length === 0) return 0;
  const programs = await deps.db
    .selectFrom('program')
    .select(['id', 'time_zone'])
    .where('id', '=', anyId(programIds))
    .execute();
  for (const p of programs) evaluated += await drainQueue(deps, p.id, p.time_zone, SWEEP_BATCH_SIZE);
  await deps.mailer.flush().catch(() => 0);
  return evaluated;
}

async function drainQueue(deps: Deps, programId: string, zone: string, size: number): Promise<number> {
  const ctx: Ctx = {
    ...deps,
    actor: null,
    actorLabel: 'certification job',
    requestId: null,
    ip: '127.0.0.1',
  };
  let evaluated = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (tx) => {
      const due = await tx
        .selectFrom('status_due')
        .select(['person_id', 'reason'])
        .where('program_id', '=', programId)
        .orderBy('person_id')
        .limit(size)
        .forUpdate()
        .skipLocked()
        .execute();
      const ids = due.map((r) => r.person_id);
      if (ids.length === 0) return 0;
      // People queued by an import are recomputed quietly, as the import's history is not news.
      const quiet = new Set(
        due.filter((r) => QUIET_REASONS.includes(r.reason as DueReason)).map((r) => r.person_id),
      );
      const evs = await evaluatePeople(tx, programId, ids, deps.now());
      const dayOnly = new Set(
        due.filter((r) => DAY_ONLY_REASONS.includes(r.reason as DueReason)).map((r) => r.person_id),
      );
      for (const ev of evs)
        await recompute(tx, ctx, ev, {
          notify: !quiet.has(ev.personId),
          inputsChanged: !dayOnly.has(ev.personId),
        });
      // No longer enrolled nor awarded: their cached status is left as it was, and not queued
      // again by its transition day until the safety net's.
      const done = new Set(evs.map((ev) => ev.personId));
      const gone = ids.filter((id) => !done.has(id));
      if (gone.length > 0)
        await tx
          .updateTable('certification_status')
          .set({
            next_transition_on: addDays(todayIn(zone, deps.now()), SAFETY_NET_DAYS),
            inputs_xid: sql<string>`pg_current_xact_id()`,
          })
          .where('program_id', '=', programId)
          .where('person_id', '=', anyId(gone))
          .execute();
      await tx
        .deleteFrom('status_due')
        .where('program_id', '=', programId)
        .where('person_id', '=', anyId(ids))
        .execute();
      evaluated += evs.length;
      return ids.length;
    });
    if (n === 0) break;
  }
  return evaluated;
}

/** What time alone has made due in one program since the last sweep (see runCertificationSweep). */
async function queueDue(
  db: Db,
  programId: string,
  zone: string,
  now: Date,
  everyone: boolean,
): Promise<void> {
  const today = todayIn(zone, now);
  const day = await db
    .selectFrom('status_day')
    .select(['queued_on', 'seats_checked_at'])
    .where('program_id', '=', programId)
    .executeTakeFirst();
  if (everyone) await queueStatus(db, programId, 'everyone', 'requested', now);
  // The people whose next date-driven transition has come (an index range scan; none on most days).
  await sql`
    insert into status_due (program_id, person_id, reason)
    select program_id, person_id, ${'transition' satisfies DueReason}
    from certification_status
    where program_id = ${programId} and next_transition_on <= ${today}::date
    on conflict do nothing
  `.execute(db);
  // Once a day: anyone enrolled or awarded whom no writer has evaluated yet (no cached status).
  if (!day?.queued_on || day.queued_on < today)
    await sql`
      insert into status_due (program_id, person_id, reason)
      select ${programId}::uuid, w.person_id, ${'new day' satisfies DueReason}
      from (
        select person_id from enrollment where program_id = ${programId} and status = 'active'
        union
        select person_id from award where program_id = ${programId}
      ) w
      where not exists (
        select 1 from certification_status s where s.program_id = ${programId} and s.person_id = w.person_id
      )
      on conflict do nothing
    `.execute(db);
  const since = day?.seats_checked_at;
  if (since) {
    const started = await db
      .selectFrom('registration as r')
      .innerJoin('session as s', 's.id', 'r.session_id')
      .innerJoin('course as c', 'c.id', 's.course_id')
      .select('r.person_id')
      .distinct()
      .where('c.program_id', '=', programId)
      .where('r.status', '=', 'confirmed')
      .where('s.status', '!=', 'cancelled')
      .where('s.starts_at', '>', since)
      .where('s.starts_at', '<=', now.toISOString())
      .execute();
    await queueStatus(
      db,
      programId,
      started.map((r) => r.person_id),
      'session started',
      now,
    );
  }
  await db
    .insertInto('status_day')
    .values({ program_id: programId, queued_on: today, seats_checked_at: now.toISOString() })
    .onConflict((oc) =>
      oc.column('program_id').doUpdateSet({ queued_on: today, seats_checked_at: now.toISOString() }),
    )
    .execute();
}
