/**
 * evaluate(program, records, context): where one official stands on a date,
 * with every requirement explained. Deterministic: records are put in a
 * stable order first, so the same inputs always give the same result.
 */
import { computeLifecycle } from '../lifecycle/lifecycle.js';
import { dateInYear, toLocalDate, yearOf, type LocalDate } from '../time/index.js';
import { compileProgram, normalizeRecords, seatRec, type Rec } from './compile.js';
import { longDate } from './explain.js';
import { deadlineDetail, deadlineNote, extensionMap, resolveDeadline } from './dates.js';
import { evaluateTree, MISSED_DEADLINES, programSelects, type TreeEnv } from './tree.js';
import type {
  Award,
  CertificationStatus,
  CreditRecord,
  DeadlineResult,
  EvaluationContext,
  EvaluationResult,
  LifecycleResult,
  NodeResult,
  NotCountedReason,
  NotCountedRecord,
  ProgramDefinition,
  Requirement,
} from './types.js';

/** Thrown for an unusable evaluation context (a bad asOf date); programs are checked by parseProgram. */
export class EvaluationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationInputError';
  }
}

/** The award an evaluation is based on: the latest one granted on or before asOf. */
export function currentAward(awards: readonly Award[] | undefined, asOf: LocalDate): Award | undefined {
  let best: Award | undefined;
  for (const a of awards ?? []) {
    if (a.awardedOn > asOf) continue;
    if (!best || a.awardedOn > best.awardedOn || (a.awardedOn === best.awardedOn && a.id > best.id)) best = a;
  }
  return best;
}

/**
 * Evaluates one official. `records` may hold other people's records too when
 * `context.personId` is given; they are ignored.
 */
export function evaluate(
  program: ProgramDefinition,
  records: readonly CreditRecord[],
  context: EvaluationContext,
): EvaluationResult {
  const compiled = compileProgram(program);
  const asOf = toLocalDate(context.asOf, program.timeZone);
  if (asOf === undefined)
    throw new EvaluationInputError(`asOf "${context.asOf}" is not a date (YYYY-MM-DD).`);
  const mine =
    context.personId === undefined ? records : records.filter((r) => r.personId === context.personId);
  const { recs, unreadable } = normalizeRecords(compiled, mine);
  const award = currentAward(context.awards, asOf);

  const env: TreeEnv = {
    compiled,
    asOf,
    anchors: { asOf },
    windowTo: asOf,
    cohorts: new Set(context.cohorts ?? []),
    waivers: context.waivers ?? [],
    examResults: context.examResults ?? [],
    attestations: context.attestations ?? [],
  };
  if (context.enrollmentDate !== undefined) env.anchors.enrollment = context.enrollmentDate;
  if (context.appointmentDate !== undefined) env.anchors.appointment = context.appointmentDate;
  if (award) env.anchors.award = award.awardedOn;
  if (context.yearsOfService !== undefined) env.yearsOfService = context.yearsOfService;
  if (context.factDates) env.facts = context.factDates;
  if (context.extensions && context.extensions.length > 0) env.extensions = extensionMap(context.extensions);

  // Once awarded, the initial requirements are judged on what was there at the award. A record
  // dated on the award day counts on one side only (renewal.awardDayRecords, default the award).
  const initialRecs = award ? recs.filter((r) => r.date <= award.awardedOn) : recs;
  const initialEnv: TreeEnv = award
    ? { ...env, windowTo: award.awardedOn < asOf ? award.awardedOn : asOf }
    : env;
  if (award && program.renewal?.awardDayRecords === 'firstCycle') {
    const detail = `Dated ${longDate(award.awardedOn)}, the day of the award: this program counts it toward the first renewal cycle, not toward the award.`;
    initialEnv.excluded = new Map(
      initialRecs
        .filter((r) => r.date === award.awardedOn)
        .map((r) => [r.id, { reason: 'counted_for_renewal' as const, detail }]),
    );
  }
  const initial = evaluateTree(program.initial.requirement, initialRecs, initialEnv);
  const matched = new Set(initial.matchedIds);

  let lifecycle: LifecycleResult | undefined;
  let status: CertificationStatus;
  if (award) {
    const lc = computeLifecycle({
      policy: program.renewal,
      award,
      recs,
      env,
      closedCycles: context.closedCycles ?? [],
      reopenedCycles: context.reopenedCycles ?? [],
    });
    lifecycle = lc.result;
    for (const id of lc.matchedIds) matched.add(id);
    status = lifecycle.status;
  } else if (initial.root.met) status = 'eligible';
  else
    status =
      hasProgress(initial.root) || hasResults(program.initial.requirement, context)
        ? 'in_progress'
        : 'not_started';

  // Not eligible yet: would the confirmed seats (where the program allows them) complete it?
  const pendingSeats =
    !award && status !== 'eligible' ? seatsThatComplete(program, recs, env, context) : undefined;
  // A confirmed seat that completes the requirements is progress.
  if (pendingSeats && status === 'not_started') status = 'in_progress';

  const deadlines = program.initial.deadlines.map((d): DeadlineResult => {
    const applies = !d.appliesTo || d.appliesTo.cohorts.some((c) => env.cohorts.has(c));
    const dl = resolveDeadline(d.id, d.by, env, env.extensions, program);
    const date = dl.date;
    const base: Pick<DeadlineResult, 'id' | 'label' | 'extension' | 'programDate'> = {
      id: d.id,
      label: d.label,
    };
    if (dl.extension) {
      base.extension = dl.extension;
      if (dl.programDate !== undefined) base.programDate = dl.programDate;
    }
    // An extension or a part of the date not recorded yet is said after the state's sentence.
    const note = deadlineNote(dl);
    if (!applies)
      return { id: d.id, label: d.label, state: 'not_applicable', detail: 'Does not apply to you.' };
    if (date === undefined) return { ...base, state: 'unknown', detail: deadlineDetail(dl) };
    // One date, before and after the award: when the initial requirements were completed (the
    // award date only when they were not met on the records, e.g. an award made on other grounds).
    const doneOn = initial.root.met ? (initial.root.metOn ?? award?.awardedOn) : award?.awardedOn;
    const done = doneOn === undefined ? {} : { completedOn: doneOn };
    if (doneOn !== undefined && doneOn <= date)
      return {
        ...base,
        date,
        ...done,
        state: 'met',
        detail: `Completed on ${longDate(doneOn)}, by ${longDate(date)}${note}.`,
      };
    if (asOf > date)
      return {
        ...base,
        date,
        ...done,
        state: 'missed',
        detail: `The deadline of ${longDate(date)}${note} was missed; the training still counts toward certification.`,
      };
    return { ...base, date, state: 'upcoming', detail: `Finish by ${longDate(date)}${note}.` };
  });

  let nextAward: EvaluationResult['nextAward'];
  if (status === 'eligible' && program.award) {
    const ad = program.award.applicationDeadline;
    if (ad) {
      let year = yearOf(asOf);
      let applyBy = dateInYear(year, ad.month, ad.day);
      if (asOf > applyBy) {
        year += 1;
        applyBy = dateInYear(year, ad.month, ad.day);
      }
      nextAward = { year, applyBy };
    } else nextAward = { year: yearOf(asOf) };
    if (program.award.ceremony !== undefined) nextAward.ceremony = program.award.ceremony;
  }

  const notCounted: NotCountedRecord[] = [
    ...unreadable,
    ...recs
      .filter((r) => !matched.has(r.id) && !programSelects(compiled, r))
      .map((r): NotCountedRecord => ({
        recordId: r.id,
        date: r.date,
        amount: r.amount / 100,
        reason: 'wrong_category',
        detail: `${r.category === undefined ? 'A record with no category' : `"${compiled.categoryName.get(r.category) ?? r.category}"`} does not count toward any requirement of this program.`,
      })),
  ];

  const current = lifecycle?.current?.requirement;
  const renewalOpen =
    lifecycle &&
    (status === 'renewal_due' || status === 'lapsed' || (status === 'certified' && current && !current.met));
  // Before an award, what the initial requirements still need (nothing once eligible: they are met).
  const missing = award
    ? renewalOpen && current
      ? collectMissing(current)
      : []
    : collectMissing(initial.root);
  for (const d of deadlines) if (d.state === 'missed' && !award) missing.push(`${d.label}: ${d.detail}`);

  const result: EvaluationResult = {
    programId: program.id,
    programVersion: program.version,
    asOf,
    status,
    headline: pendingSeats
      ? provisionalHeadline(program, pendingSeats)
      : headline(program, status, initial.root, lifecycle, nextAward, hasPersonFacts(context)),
    missing,
    initial: initial.root,
    deadlines,
    provisional:
      pendingSeats !== undefined ||
      hasProvisional(initial.root) ||
      (current ? hasProvisional(current) : false),
    notCounted,
  };
  if (pendingSeats) result.pendingSeats = pendingSeats;
  if (context.personId !== undefined) result.personId = context.personId;
  if (lifecycle) result.lifecycle = lifecycle;
  if (nextAward) result.nextAward = nextAward;
  return result;
}

/**
 * The confirmed seats that would complete the initial requirements, or undefined when they would
 * not (or the program allows none). The seats are counted as if attended on their session's date,
 * only by requirements with `confirmedSeats: "provisional"`, with deadlines applied to that date;
 * records dated after asOf still do not count.
 */
function seatsThatComplete(
  program: ProgramDefinition,
  recs: readonly Rec[],
  env: TreeEnv,
  context: EvaluationContext,
): EvaluationResult['pendingSeats'] {
  const seats = (context.confirmedSeats ?? []).filter((s) => s.date > env.asOf);
  if (seats.length === 0 || !allowsSeats(program.initial.requirement)) return undefined;
  const seatRecs = seats.map((s) => seatRec(env.compiled, s, env.asOf));
  const last = seatRecs.reduce((d, r) => (r.date > d ? r.date : d), env.asOf);
  const now = recs.filter((r) => r.date <= env.asOf);
  const all = [...now, ...seatRecs].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const future = evaluateTree(program.initial.requirement, all, { ...env, asOf: last, windowTo: last });
  if (!future.root.met) return undefined;
  const used = new Set<string>();
  const walk = (n: NodeResult): void => {
    for (const c of n.counted) if (c.recordId.startsWith('seat:')) used.add(c.recordId);
    n.children.forEach(walk);
  };
  walk(future.root);
  if (used.size === 0) return undefined;
  return seatRecs
    .filter((r) => used.has(r.id))
    .map((r) => ({ courseCode: r.courseCode ?? '', date: r.date, title: r.title ?? r.courseCode ?? '' }));
}

function allowsSeats(node: Requirement): boolean {
  switch (node.type) {
    case 'credits':
    case 'courses':
      return node.confirmedSeats === 'provisional';
    case 'allOf':
    case 'anyOf':
    case 'nOf':
      return node.items.some(allowsSeats);
    case 'deadline':
      return allowsSeats(node.item);
    default:
      return false;
  }
}

function provisionalHeadline(
  program: ProgramDefinition,
  seats: NonNullable<EvaluationResult['pendingSeats']>,
): string {
  const list = seats.map((s) => `"${s.title}" on ${longDate(s.date)}`);
  const joined =
    list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return `Provisionally meets the requirements for ${program.name}, pending ${joined} (${seats.length === 1 ? 'a confirmed seat' : 'confirmed seats'}).`;
}

const NOT_RESULTS = new Set<NotCountedReason>(['wrong_category', 'rejected', 'reversed', 'unreadable']);

/**
 * Whether anything has been recorded toward the tree: a met leaf, a counted record, or a record
 * the tree looked at that does not count (pending, after a deadline, over a cap, ...). Rejected and
 * reversed records are not results: they were withdrawn or never accepted.
 */
function hasProgress(node: NodeResult): boolean {
  if (node.applicable && node.met && node.type !== 'allOf' && node.type !== 'anyOf' && node.type !== 'nOf')
    return true;
  if (node.counted.length > 0) return true;
  if (node.notCounted.some((n) => !NOT_RESULTS.has(n.reason))) return true;
  return node.children.some(hasProgress);
}

/** Whether the person has an exam result or attestation that the tree asks for, even a failing one. */
function hasResults(node: Requirement, context: EvaluationContext): boolean {
  switch (node.type) {
    case 'exam':
      return (context.examResults ?? []).some((r) => r.exam === node.exam);
    case 'attestation':
      return (context.attestations ?? []).some((a) => a.attestation === node.attestation);
    case 'allOf':
    case 'anyOf':
    case 'nOf':
      return node.items.some((c) => hasResults(c, context));
    case 'deadline':
      return hasResults(node.item, context);
    default:
      return false;
  }
}

function hasProvisional(node: NodeResult): boolean {
  // A provisional approval matters where the node is met (on a deadline, the work may still be owed).
  return (node.waiver?.kind === 'provisional' && node.met) || node.children.some(hasProvisional);
}

/** The plain-language list of what is missing under a node, in tree order. */
export function collectMissing(node: NodeResult): string[] {
  if (node.met || !node.applicable) return [];
  switch (node.type) {
    case 'allOf':
      return node.children.flatMap(collectMissing);
    case 'anyOf':
    case 'nOf': {
      // Say which options remain, then what the closest option still needs.
      const open = node.children.filter((c) => c.applicable && !c.met);
      const closest = [...open].sort((a, b) => progress(b) - progress(a))[0];
      const out = node.missing ? [node.missing] : [];
      if (closest) out.push(...collectMissing(closest).map((s) => `${closest.title}: ${s}`));
      return out;
    }
    case 'deadline': {
      // Once its date has passed, the deadline's own sentence says what was missed and what now.
      if (MISSED_DEADLINES.has(node) && node.missing) return [node.missing];
      const inner = node.children.flatMap(collectMissing);
      return node.missing ? [...inner, node.missing] : inner;
    }
    default:
      return node.missing ? [node.missing] : [];
  }
}

function progress(node: NodeResult): number {
  if (node.need <= 0) return node.met ? 1 : 0;
  return Math.min(1, node.have / node.need);
}

const STATUS_TEXT: Record<CertificationStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  eligible: 'Eligible',
  certified: 'Certified',
  renewal_due: 'Renewal due',
  lapsed: 'Lapsed',
  expired: 'Expired',
  revoked: 'Revoked',
};

export function statusLabel(status: CertificationStatus): string {
  return STATUS_TEXT[status];
}

/** Whether staff recorded facts about the person that are not results (dates, waivers, extensions). */
function hasPersonFacts(context: EvaluationContext): boolean {
  return (
    context.appointmentDate !== undefined ||
    Object.keys(context.factDates ?? {}).length > 0 ||
    (context.waivers ?? []).length > 0 ||
    (context.extensions ?? []).length > 0
  );
}

function headline(
  program: ProgramDefinition,
  status: CertificationStatus,
  initial: NodeResult,
  lc: LifecycleResult | undefined,
  nextAward: EvaluationResult['nextAward'],
  facts = false,
): string {
  const name = program.name;
  switch (status) {
    case 'not_started':
      // With a taking-office date or a waiver on record, "nothing has been recorded" is untrue:
      // what is missing is the training.
      return facts
        ? `No training toward ${name} is recorded yet.`
        : `Nothing has been recorded toward ${name} yet.`;
    case 'in_progress': {
      // A part that does not apply to this person (another cohort's) is left out of the count.
      const applicable = initial.children.filter((c) => c.applicable);
      const parts = applicable.length > 0 ? applicable : [initial];
      const done = parts.filter((c) => c.met).length;
      return `In progress toward ${name}: ${done} of ${parts.length} ${parts.length === 1 ? 'part' : 'parts'} complete.`;
    }
    case 'eligible': {
      let s = `Every requirement for ${name} is met; the ${program.designation} designation can be awarded.`;
      if (nextAward?.applyBy)
        s += ` Apply by ${longDate(nextAward.applyBy)} to be recognized${nextAward.ceremony ? ` at the ${nextAward.ceremony}` : ''} in ${nextAward.year}.`;
      return s;
    }
    case 'certified': {
      const award = lc?.award;
      let s = `Certified (${program.designation})${award ? ` since ${longDate(award.awardedOn)}` : ''}.`;
      if (lc?.current?.state === 'renewed' && lc.nextDue)
        s += ` Renewal for this cycle is complete; the next cycle is due ${longDate(lc.nextDue)}.`;
      else if (lc?.nextDue) s += ` Next renewal due ${longDate(lc.nextDue)}.`;
      return s;
    }
    case 'renewal_due': {
      const c = lc?.current;
      if (c && c.state === 'grace')
        return `Renewal was due ${longDate(c.due)}. Complete it by ${longDate(c.graceEnds)} to keep your ${program.designation} status.`;
      return `Certified; renewal is due by ${longDate(c?.due ?? '')}.`;
    }
    case 'lapsed': {
      const c = lc?.current;
      return `Your ${program.designation} certification lapsed on ${longDate(lc?.lapsedOn ?? '')}.${
        c?.reinstateBy
          ? ` You can reinstate it until ${longDate(c.reinstateBy)} by completing what is missing.`
          : ''
      }`;
    }
    case 'expired':
      return `Your ${program.designation} certification expired on ${longDate(lc?.expiredOn ?? '')}; you would need to certify again.`;
    case 'revoked':
      return `This ${program.designation} certification was revoked on ${longDate(lc?.award.revokedOn ?? '')}${
        lc?.award.revokedReason ? ` (${lc.award.revokedReason})` : ''
      }.`;
  }
}
