/**
 * The next day on which time alone could change what an evaluation says (issue 14, section 2).
 *
 * An official's status, reminders and the figures stored beside the status depend on their facts
 * and on the day. With the facts unchanged, the result can only change on a day that some date of
 * the evaluation reaches: a due date, the end of grace, a reinstatement window, a reminder, a
 * deadline, a waiver that expires, an award or a record dated ahead, the next year of a per-year
 * requirement. `nextTransitionOn` returns the earliest day
 * after `asOf` on which one of them could take effect, so the status sweep evaluates that person
 * again on that day and not before. It may be early (an evaluation that changes nothing costs
 * only time); it must never be late, which `transitions.test.ts` checks day by day on the real
 * programs.
 *
 * A rule acts on a date in one of two ways: on the day itself ("a reminder 30 days before", "an
 * award made on …", "a record dated …", the start of a cycle) or on the day after ("missed when the
 * day is past the deadline", "in grace after the due date", "lapsed after the last day of grace").
 * So a date of the first kind later than asOf is a candidate, and a date of the second kind on or
 * after asOf makes its next day one. A date whose kind is not known (what the context holds, a
 * day a requirement was met) is taken both ways. Dates before asOf have taken effect already.
 *
 * Rules that move with every day cannot be predicted from dates: a look-back window ("credits in
 * the last two years": a record drops out on a day no date names), a date relative to `asOf`, and
 * years of service counted to asOf. A program using any of them returns the day after asOf, so its
 * officials are evaluated every day, as before.
 *
 * Not a transition: the ceremony an eligible official is told of (`nextAward`, which names the
 * year of asOf and the application deadline after it). Its year moves with asOf; what is stored and
 * sent is the ceremony as of the day the requirements were met, which does not.
 *
 * Pure: no I/O, no clock; `asOf` is the evaluation's.
 */
import { addDays, isLocalDate, toLocalDate } from '../time/index.js';
import type {
  CreditRecord,
  EvaluationContext,
  EvaluationResult,
  LocalDate,
  NodeResult,
  ProgramDefinition,
} from './types.js';

/** What the evaluation was given besides the program: the records and the person's context. */
export interface TransitionInputs {
  records?: readonly CreditRecord[];
  /** The evaluation context (asOf is taken from the result); every date in it is considered. */
  context?: Partial<EvaluationContext>;
}

/**
 * The earliest day after `result.asOf` on which the evaluation could come out differently with the
 * same facts, or null when no date lies ahead (the status can then change only with a new fact, a
 * new rule, or a new version of the engine).
 */
export function nextTransitionOn(
  program: ProgramDefinition,
  result: EvaluationResult,
  inputs: TransitionInputs = {},
): LocalDate | null {
  const asOf = result.asOf;
  const tomorrow = addDays(asOf, 1);
  if (movesDaily(program)) return tomorrow;
  let best: LocalDate | null = null;
  const candidate = (at: LocalDate): void => {
    if (best === null || at < best) best = at;
  };
  /** A date a rule acts on on the day itself. */
  const on = (d: LocalDate | undefined | null): void => {
    if (d !== undefined && d !== null && d > asOf) candidate(d);
  };
  /** A date a rule acts on the day after. */
  const after = (d: LocalDate | undefined | null): void => {
    if (d !== undefined && d !== null && d >= asOf) candidate(addDays(d, 1));
  };
  const consider = (d: LocalDate | undefined | null): void => {
    on(d);
    after(d);
  };

  // What the result says.
  for (const d of result.deadlines) {
    after(d.date);
    after(d.programDate);
    consider(d.completedOn);
  }
  const dates = { on, after, consider };
  nodeDates(result.initial, dates);
  for (const r of result.notCounted) on(r.date);
  for (const s of result.pendingSeats ?? []) consider(s.date);
  const lc = result.lifecycle;
  if (lc) {
    on(lc.award.awardedOn);
    consider(lc.award.revokedOn);
    after(lc.nextDue);
    on(lc.nextReminder);
    consider(lc.lapsedOn);
    consider(lc.expiredOn);
    for (const c of lc.cycles) {
      on(c.start);
      after(c.due);
      after(c.graceEnds);
      after(c.reinstateBy);
      consider(c.completedOn);
      for (const r of c.reminders) on(r);
      if (c.requirement) nodeDates(c.requirement, dates);
    }
  }

  // What the evaluation was given: records dated ahead, awards, waivers, facts, extensions, seats.
  for (const r of inputs.records ?? []) on(toLocalDate(r.date, program.timeZone));
  if (inputs.context) {
    // Every date it holds but the day it was evaluated for.
    const { asOf: _evaluatedFor, ...given } = inputs.context;
    everyDate(given, consider);
  }
  return best;
}

type Take = (d: LocalDate | undefined) => void;

function nodeDates(n: NodeResult, d: { on: Take; after: Take; consider: Take }): void {
  d.consider(n.metOn);
  d.on(n.waiver?.grantedOn);
  d.after(n.waiver?.expiresOn);
  // A window's end is asOf or a date named elsewhere; its start is fixed (look-back windows are
  // handled by movesDaily).
  d.on(n.window?.from);
  d.after(n.deadline?.date);
  d.after(n.deadline?.programDate);
  for (const c of n.counted) d.on(c.date);
  for (const c of n.notCounted) d.on(c.date);
  for (const p of n.parts)
    for (const y of p.years ?? []) {
      d.on(y.from);
      d.after(y.to);
    }
  for (const c of n.children) nodeDates(c, d);
}

/** Every local date anywhere in a plain value (the evaluation context: awards, waivers, facts …). */
function everyDate(v: unknown, consider: (d: LocalDate) => void, depth = 0): void {
  if (depth > 6 || v === null || v === undefined) return;
  if (typeof v === 'string') {
    if (isLocalDate(v)) consider(v);
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) everyDate(x, consider, depth + 1);
    return;
  }
  if (typeof v === 'object') for (const x of Object.values(v)) everyDate(x, consider, depth + 1);
}

const daily = new WeakMap<ProgramDefinition, boolean>();

/** Whether the program has a rule that moves with asOf itself (see the module comment). */
export function movesDaily(program: ProgramDefinition): boolean {
  let known = daily.get(program);
  if (known === undefined) {
    known = usesMovingDates([program.initial, program.renewal]);
    daily.set(program, known);
  }
  return known;
}

function usesMovingDates(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(usesMovingDates);
  const o = v as Record<string, unknown>;
  if (o.lookBack !== undefined || o.anchor === 'asOf' || o.type === 'serviceYears') return true;
  return Object.values(o).some(usesMovingDates);
}
