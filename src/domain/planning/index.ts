/**
 * The plan to certification: for one official and one program, the upcoming sessions that meet
 * every remaining requirement soonest. Pure: the server loads the official's records and context
 * (as evaluation.ts gives them to the engine) and the upcoming sessions; nothing here reads a clock.
 *
 * The rules engine is the judge. A plan is valid when evaluating the official's records plus the
 * credits its sessions would record (each course's credits, dated on the session's local date, as
 * attendance reconciliation writes them) as of the plan's last session gives the goal: "eligible"
 * for initial certification, the current cycle's requirement met for a renewal.
 *
 * Order of preference: the earliest last session; then the fewest sessions; then the least travel
 * (online, or in the official's county, before elsewhere). A plan takes each course at most once,
 * takes no two sessions that overlap in time, and takes a course only after its prerequisites
 * (completed already, or an earlier session of the plan that ends before it starts). The search is
 * exact within a budget of engine evaluations and search nodes; past it the answer is the best
 * found and `exact` is false (docs/adr/0030-plan-search-by-finish-date.md).
 */
import { evaluate, requirementsServedBy } from '../requirements/index.js';
import type {
  CreditRecord,
  EvaluationContext,
  EvaluationResult,
  NodeResult,
  ProgramDefinition,
  Requirement,
} from '../requirements/index.js';
import type { LocalDate } from '../time/index.js';

/** One upcoming session as the planner sees it. */
export interface PlanSession {
  id: string;
  courseCode: string;
  startsAt: string;
  endsAt: string;
  /** The program-local date its credit would be recorded on. */
  date: LocalDate;
  /** The course's credit values (one record per category, as attendance records them). */
  credits: readonly { category: string; amount: number }[];
  sponsored: boolean;
  sourceType: string;
  /** Course codes to complete first. */
  prerequisites: readonly string[];
  seatsFree: number;
  /** Registration is open now (not cancelled, not started, inside its window). */
  registrationOpen: boolean;
  /** The official already holds a confirmed seat in it. */
  registered: boolean;
  /** 0: online or in the official's county; 1: elsewhere. */
  travel: number;
}

export interface PlanInput {
  program: ProgramDefinition;
  records: readonly CreditRecord[];
  /** The context the engine is given today (asOf = today). */
  context: EvaluationContext;
  sessions: readonly PlanSession[];
  /** No session after this day may be in the plan. */
  deadline?: LocalDate;
  /** At most this many engine evaluations (default 2,000). */
  budget?: number;
}

export type MissingReason = 'no_session' | 'no_seats' | 'registration_closed' | 'after_deadline';

/** A course the remaining requirements could use, and why no session of it can be planned. */
export interface MissingCourse {
  courseCode: string;
  reason: MissingReason;
}

export interface PlanResult {
  /** done: nothing remains; planned: `sessions` meet it; none: no plan (see `missing`). */
  outcome: 'done' | 'planned' | 'none';
  sessions: PlanSession[];
  finishesOn: LocalDate | null;
  /** The search finished within its budget, so no better plan exists. */
  exact: boolean;
  evaluations: number;
  /** Courses the remaining requirements could use that have no session to plan (with why). */
  missing: MissingCourse[];
}

export const DEFAULT_PLAN_BUDGET = 2_000;
/** Search nodes allowed per engine evaluation allowed. */
const NODES_PER_EVALUATION = 50;
/** Sessions of one course tried per travel class at a step of the search (the earliest that fit). */
const PER_COURSE = 3;

const RENEWING = new Set(['certified', 'renewal_due', 'lapsed']);

/** Whether the goal is a renewal (the official holds the certification) and whether a result meets it. */
export function planGoal(base: EvaluationResult): (r: EvaluationResult) => boolean {
  if (base.lifecycle?.current && RENEWING.has(base.status))
    return (r) =>
      !!r.lifecycle?.current?.requirement?.met &&
      r.lifecycle.current.start === base.lifecycle!.current!.start;
  return (r) => r.status === 'eligible';
}

/** The requirement tree the goal is judged on: the open cycle's for a renewal, else the initial one. */
function goalTree(base: EvaluationResult): { tree: NodeResult; renewal: boolean } {
  const current = base.lifecycle?.current?.requirement;
  if (current && RENEWING.has(base.status)) return { tree: current, renewal: true };
  return { tree: base.initial, renewal: false };
}

function unmetLeaves(n: NodeResult, out = new Set<string>()): Set<string> {
  if (!n.applicable || n.met) return out;
  if (n.children.length === 0) out.add(n.id);
  else for (const c of n.children) unmetLeaves(c, out);
  return out;
}

/** The records a plan's sessions would add, as attendance would record them. */
export function planRecords(
  personId: string,
  sessions: readonly PlanSession[],
  date?: LocalDate,
): CreditRecord[] {
  return sessions.flatMap((s) =>
    s.credits
      .filter((c) => c.amount > 0)
      .map((c) => ({
        id: `plan:${s.id}:${c.category}`,
        personId,
        date: date ?? s.date,
        amount: c.amount,
        category: c.category,
        sponsored: s.sponsored,
        sourceType: s.sourceType,
        courseCode: s.courseCode,
        status: 'approved' as const,
      })),
  );
}

/** Evaluates records plus a plan's sessions as of a day (no upcoming seats: the plan stands in for them). */
export function evaluateWithPlan(
  program: ProgramDefinition,
  records: readonly CreditRecord[],
  context: EvaluationContext,
  sessions: readonly PlanSession[],
  asOf: LocalDate,
): EvaluationResult {
  const { confirmedSeats: _seats, ...rest } = context;
  void _seats;
  return evaluate(program, [...records, ...planRecords(context.personId ?? 'person', sessions)], {
    ...rest,
    asOf,
  });
}

const overlaps = (a: PlanSession, b: PlanSession) =>
  Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);

/** Course codes the official has completed (net approved credit above zero), as registration checks them. */
export function completedCodes(records: readonly CreditRecord[]): Set<string> {
  const net = new Map<string, number>();
  for (const r of records)
    if (r.status === 'approved' && r.courseCode)
      net.set(r.courseCode, (net.get(r.courseCode) ?? 0) + (r.amount ?? 1));
  return new Set([...net].filter(([, v]) => v > 0).map(([k]) => k));
}

/** Whether `s` may join `chosen`: no overlap, one session per course, prerequisites done before it starts. */
export function fits(
  s: PlanSession,
  chosen: readonly PlanSession[],
  completed: ReadonlySet<string>,
): boolean {
  for (const c of chosen) if (c.courseCode === s.courseCode || overlaps(c, s)) return false;
  return s.prerequisites.every(
    (p) =>
      completed.has(p) ||
      chosen.some((c) => c.courseCode === p && Date.parse(c.endsAt) <= Date.parse(s.startsAt)),
  );
}

/** Depth of each requirement id in the `after` order (Year One 0, Year Two 1, ...). */
function afterDepths(root: Requirement): Map<string, number> {
  const nodes = new Map<string, Requirement>();
  const parent = new Map<string, string>();
  const walk = (n: Requirement, up?: string) => {
    nodes.set(n.id, n);
    if (up) parent.set(n.id, up);
    if ('items' in n) for (const c of n.items) walk(c, n.id);
    else if (n.type === 'deadline') walk(n.item, n.id);
  };
  walk(root);
  const depth = new Map<string, number>();
  const of = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const n = nodes.get(id);
    const own = n && n.type === 'courses' && n.after ? Math.max(...n.after.map((a) => of(a, seen) + 1)) : 0;
    const up = parent.get(id);
    const d = Math.max(own, up ? of(up, seen) : 0);
    depth.set(id, d);
    return d;
  };
  for (const id of nodes.keys()) of(id, new Set());
  return depth;
}

/**
 * For each requirement id, the ids it comes after in Year order (`after`, transitively, with the
 * requirements inside them): a completion counts there only on or after those are met.
 */
function afterClosure(root: Requirement): Map<string, Set<string>> {
  const nodes = new Map<string, Requirement>();
  const walk = (n: Requirement) => {
    nodes.set(n.id, n);
    if ('items' in n) for (const c of n.items) walk(c);
    else if (n.type === 'deadline') walk(n.item);
  };
  walk(root);
  const inside = (id: string, out: Set<string>) => {
    const n = nodes.get(id);
    if (!n || out.has(id)) return;
    out.add(id);
    if ('items' in n) for (const c of n.items) inside(c.id, out);
    else if (n.type === 'deadline') inside(n.item.id, out);
    if (n.type === 'courses') for (const a of n.after ?? []) inside(a, out);
  };
  const out = new Map<string, Set<string>>();
  for (const n of nodes.values())
    if (n.type === 'courses' && n.after?.length) {
      const set = new Set<string>();
      for (const a of n.after) inside(a, set);
      out.set(n.id, set);
    }
  return out;
}

/**
 * The plan: the valid set of upcoming sessions finishing soonest, then with the fewest sessions,
 * then with the least travel; or why there is none.
 */
export function planCertification(input: PlanInput): PlanResult {
  const { program, records, context } = input;
  const budget = input.budget ?? DEFAULT_PLAN_BUDGET;
  const personId = context.personId ?? 'person';
  const base = evaluateWithPlan(program, records, context, [], context.asOf.slice(0, 10));
  const goal = planGoal(base);
  if (goal(base))
    return { outcome: 'done', sessions: [], finishesOn: null, exact: true, evaluations: 1, missing: [] };
  const { tree, renewal } = goalTree(base);
  const unmet = unmetLeaves(tree);
  const completed = completedCodes(records);

  // Courses that could fill something still unmet (the engine decides whether they do).
  const serving = new Map<string, boolean>();
  const servesUnmet = (s: PlanSession) => {
    let v = serving.get(s.courseCode);
    if (v === undefined) {
      v = requirementsServedBy(program, {
        code: s.courseCode,
        credits: [...s.credits],
        sponsored: s.sponsored,
      }).some((r) => r.renewal === renewal && unmet.has(r.id));
      serving.set(s.courseCode, v);
    }
    return v;
  };
  // ...and the courses they need first (a prerequisite may serve nothing itself).
  const wanted = new Set(input.sessions.filter(servesUnmet).map((s) => s.courseCode));
  const prereqs = new Map(input.sessions.map((s) => [s.courseCode, s.prerequisites]));
  for (const todo = [...wanted]; todo.length;)
    for (const p of prereqs.get(todo.pop()!) ?? [])
      if (!completed.has(p) && !wanted.has(p)) {
        wanted.add(p);
        todo.push(p);
      }
  const relevant = input.sessions.filter((s) => wanted.has(s.courseCode));
  const candidates = relevant
    .filter((s) => s.registered || (s.seatsFree > 0 && s.registrationOpen))
    .filter((s) => !input.deadline || s.date <= input.deadline)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id.localeCompare(b.id));
  const missing = missingCourses(program, renewal, unmet, completed, relevant, candidates, input.deadline);

  // Courses in the order the search decides them: Year order, then prerequisites, then earliest.
  const depthOfReq = afterDepths(
    renewal && program.renewal ? program.renewal.requirement : program.initial.requirement,
  );
  const goalRoot = renewal && program.renewal ? program.renewal.requirement : program.initial.requirement;
  const rank = new Map<string, number>();
  const servedIds = new Map<string, Set<string>>();
  for (const s of candidates)
    if (!rank.has(s.courseCode)) {
      const ids = requirementsServedBy(program, {
        code: s.courseCode,
        credits: [...s.credits],
        sponsored: s.sponsored,
      })
        // Only what is still unmet: a course of Year One that Year Two names again, with Year One
        // already met, is a Year Two course for this plan (no Year order against Year Two's others).
        .filter((r) => r.renewal === renewal && unmet.has(r.id))
        .map((r) => r.id);
      servedIds.set(s.courseCode, new Set(ids));
      const served = ids.map((id) => depthOfReq.get(id) ?? 0);
      rank.set(s.courseCode, served.length ? Math.min(...served) : 0);
    }
  // Which courses a course must follow in Year order: those serving what its requirements come `after`.
  const afterIds = afterClosure(goalRoot);
  const follows = (c: string, x: string): boolean => {
    const mine = servedIds.get(c);
    const theirs = servedIds.get(x);
    if (!mine || !theirs) return false;
    for (const id of mine) for (const a of afterIds.get(id) ?? []) if (theirs.has(a)) return true;
    return false;
  };
  const prereqDepth = new Map<string, number>();
  const prereqOf = new Map(candidates.map((s) => [s.courseCode, s.prerequisites]));
  const pd = (code: string, seen = new Set<string>()): number => {
    const k = prereqDepth.get(code);
    if (k !== undefined) return k;
    if (seen.has(code)) return 0;
    seen.add(code);
    const d = Math.max(0, ...(prereqOf.get(code) ?? []).map((p) => (prereqOf.has(p) ? pd(p, seen) + 1 : 0)));
    prereqDepth.set(code, d);
    return d;
  };
  const firstStart = new Map<string, number>();
  for (const s of candidates)
    if (!firstStart.has(s.courseCode)) firstStart.set(s.courseCode, Date.parse(s.startsAt));
  const courseOrder = [...firstStart.keys()].sort(
    (a, b) =>
      rank.get(a)! - rank.get(b)! ||
      pd(a) - pd(b) ||
      firstStart.get(a)! - firstStart.get(b)! ||
      a.localeCompare(b),
  );

  let evaluations = 1;
  let nodes = 0;
  const nodeBudget = budget * NODES_PER_EVALUATION;
  const over = () => evaluations >= budget || nodes >= nodeBudget;
  // The engine sees courses and dates only, so evaluations are kept by that key.
  const memo = new Map<string, boolean>();
  const judge = (sessions: readonly PlanSession[], asOf: LocalDate, atDay?: LocalDate): boolean => {
    const key = `${asOf}|${atDay ?? ''}|${sessions
      .map((s) => `${s.courseCode}@${atDay ?? s.date}`)
      .sort()
      .join(',')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    evaluations++;
    const extra = atDay ? sessions.map((s) => ({ ...s, date: atDay })) : sessions;
    const v = goal(evaluate(program, [...records, ...planRecords(personId, extra)], noSeats(context, asOf)));
    memo.set(key, v);
    return v;
  };
  // One representative session per course, for the optimistic bound.
  const repOf = new Map<string, PlanSession>();
  for (const s of candidates) if (!repOf.has(s.courseCode)) repOf.set(s.courseCode, s);
  /**
   * The bound: the chosen sessions on their dates plus one completion of every course still
   * undecided, dated on the last day allowed. Records count more, not less, when there are more of
   * them and when they are later (inside the day allowed): see the ADR for where that holds.
   */
  const optimistic = (chosen: readonly PlanSession[], rest: readonly string[], day: LocalDate) => {
    const late = rest.map((c) => ({ ...repOf.get(c)!, date: day }));
    const key = `${day}|opt|${[
      ...chosen.map((s) => `${s.courseCode}@${s.date}`),
      ...rest.map((c) => `${c}@${day}`),
    ]
      .sort()
      .join(',')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    evaluations++;
    const v = goal(
      evaluate(program, [...records, ...planRecords(personId, [...chosen, ...late])], noSeats(context, day)),
    );
    memo.set(key, v);
    return v;
  };

  const dates = [...new Set(candidates.map((s) => s.date))].sort();
  const available = (day: LocalDate) =>
    courseOrder.filter((c) => candidates.some((s) => s.courseCode === c && s.date <= day));
  // The first day by which every available course together could be enough (binary search: the
  // bound only grows with the day).
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (optimistic([], available(dates[mid]!), dates[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  if (lo === dates.length)
    return { outcome: 'none', sessions: [], finishesOn: null, exact: true, evaluations, missing };

  let exact = true;
  for (let i = lo; i < dates.length; i++) {
    const day = dates[i]!;
    const courses = available(day);
    // Each course's sessions up to the day, earliest first.
    const options = new Map(
      courses.map((c) => [
        c,
        candidates
          .filter((s) => s.courseCode === c && s.date <= day)
          .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)),
      ]),
    );
    const leastTravel = new Map(courses.map((c) => [c, Math.min(...options.get(c)!.map(travelOf))]));
    let best: { sessions: PlanSession[]; travel: number } | undefined;
    let truncated = false;
    /** The sessions for one set of courses: every assignment that keeps the rules, least travel kept. */
    const assign = (set: readonly string[]) => {
      const chosen: PlanSession[] = [];
      const rest = (idx: number) => set.slice(idx).reduce((n, c) => n + leastTravel.get(c)!, 0);
      const dfs = (idx: number, travel: number): void => {
        if (over()) return;
        nodes++;
        if (best && travel + rest(idx) >= best.travel) return;
        if (idx === set.length) {
          const last = chosen.reduce((m, s) => (s.date > m ? s.date : m), chosen[0]!.date);
          if (judge(chosen, last)) best = { sessions: [...chosen], travel };
          return;
        }
        // Every course still to place needs a session after the earlier Years' sessions.
        for (const c of set.slice(idx)) {
          const low = chosen.reduce<LocalDate>(
            (m, x) => (follows(c, x.courseCode) && x.date > m ? x.date : m),
            '',
          );
          if (!options.get(c)!.some((x) => x.date >= low)) return;
        }
        if (idx > 0 && !optimistic(chosen, set.slice(idx), day)) return;
        const code = set[idx]!;
        // Year order: a later Year's course is taken on or after the earlier Years' sessions.
        const floor = chosen.reduce<LocalDate>(
          (m, s) => (follows(code, s.courseCode) && s.date > m ? s.date : m),
          '',
        );
        // The earliest few sessions that fit, per travel class: a later session of the same course
        // and travel helps only when an overlap rules the earlier ones out (counted as not exact).
        const tried = [0, 0];
        for (const s of options.get(code)!) {
          if (s.date < floor || !fits(s, chosen, completed)) continue;
          if (tried[travelOf(s)]! >= PER_COURSE) {
            truncated = true;
            continue;
          }
          tried[travelOf(s)]!++;
          chosen.push(s);
          dfs(idx + 1, travel + travelOf(s));
          chosen.pop();
          if (best && best.travel <= rest(0)) return;
        }
      };
      dfs(0, 0);
    };
    // Sets of courses, smallest first (fewest sessions), each tried only when its courses, all
    // dated on the day, could be enough.
    for (let k = 1; k <= courses.length && !best && !over(); k++)
      for (const set of combinations(courses, k)) {
        if (over()) break;
        if (!optimistic([], set, day)) continue;
        assign(set);
      }
    if (over() || (truncated && !best)) exact = false;
    if (best) {
      const sessions = best.sessions.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
      const finishesOn = sessions.reduce((m, s) => (s.date > m ? s.date : m), sessions[0]!.date);
      return { outcome: 'planned', sessions, finishesOn, exact, evaluations, missing };
    }
    if (over()) break;
  }
  // Past the budget: the earliest session of every course that fits, if that is enough.
  if (!exact) {
    const chosen: PlanSession[] = [];
    for (const c of courseOrder)
      for (const s of candidates)
        if (s.courseCode === c && fits(s, chosen, completed)) {
          chosen.push(s);
          break;
        }
    const last = chosen.reduce<LocalDate | null>((m, s) => (m === null || s.date > m ? s.date : m), null);
    if (last && judge(chosen, last))
      return {
        outcome: 'planned',
        sessions: chosen.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)),
        finishesOn: last,
        exact: false,
        evaluations,
        missing,
      };
  }
  return { outcome: 'none', sessions: [], finishesOn: null, exact, evaluations, missing };
}

const travelOf = (s: PlanSession) => (s.registered ? 0 : s.travel);

/** The k-element subsets of `items`, in their order. */
function* combinations<T>(items: readonly T[], k: number, from = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= items.length - k; i++)
    for (const rest of combinations(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}

function noSeats(context: EvaluationContext, asOf: LocalDate): EvaluationContext {
  const { confirmedSeats: _seats, ...rest } = context;
  void _seats;
  return { ...rest, asOf };
}

/**
 * Courses the unmet requirements could use that no plan can include: not completed yet and with
 * no upcoming session, none with a free seat, none open for registration, or none by the deadline.
 * A courses requirement names its courses; a credits requirement is served by any course whose
 * credits match it (only when none of them has a session is that said).
 */
function missingCourses(
  program: ProgramDefinition,
  renewal: boolean,
  unmet: ReadonlySet<string>,
  completed: ReadonlySet<string>,
  relevant: readonly PlanSession[],
  candidates: readonly PlanSession[],
  deadline: LocalDate | undefined,
): MissingCourse[] {
  const out: MissingCourse[] = [];
  for (const c of program.courses) {
    if (completed.has(c.code)) continue;
    const served = requirementsServedBy(program, {
      code: c.code,
      credits: [{ category: c.category, amount: c.credits }],
      sponsored: c.sponsored ?? false,
    }).filter((r) => r.renewal === renewal && unmet.has(r.id));
    if (!served.length) continue;
    if (candidates.some((s) => s.courseCode === c.code)) continue;
    const mine = relevant.filter((s) => s.courseCode === c.code);
    const reason: MissingReason =
      mine.length === 0
        ? 'no_session'
        : deadline && mine.every((s) => s.date > deadline)
          ? 'after_deadline'
          : mine.filter((s) => !deadline || s.date <= deadline).every((s) => !s.registrationOpen)
            ? 'registration_closed'
            : 'no_seats';
    out.push({ courseCode: c.code, reason });
  }
  return out;
}

/**
 * The catalog courses the unmet "courses" requirements of the initial certification name and the
 * official has not completed (the coordinators' view of demand; credits requirements can be met by
 * many courses and are not counted as a need for one).
 */
export function coursesStillNeeded(
  program: ProgramDefinition,
  result: EvaluationResult,
  records: readonly CreditRecord[],
): string[] {
  const unmet = unmetLeaves(result.initial);
  const completed = completedCodes(records);
  const out = new Set<string>();
  const walk = (n: Requirement): void => {
    if ('items' in n) for (const c of n.items) walk(c);
    else if (n.type === 'deadline') walk(n.item);
    else if (n.type === 'courses' && unmet.has(n.id)) {
      const set = n.courseSet ? program.courseSets.find((s) => s.id === n.courseSet) : undefined;
      const codes =
        n.courses ??
        set?.courses ??
        program.courses.filter((c) => set?.category && c.category === set.category).map((c) => c.code);
      for (const c of codes) if (!completed.has(c)) out.add(c);
    }
  };
  walk(program.initial.requirement);
  return [...out];
}

/** How far ahead the coordinators' view of courses short of seats looks when no date is given. */
export const SHORTFALL_DAYS = 90;

/**
 * The sentence a coordinator reads for one course of the seat shortfall: how many officials need
 * it by the day, how many seats remain, and how many more sessions of the course's usual size
 * would cover the rest (when a size is known).
 */
export function shortfallSentence(c: {
  courseCode: string;
  need: number;
  freeSeats: number;
  /** The seats of the course's latest session, the size a new one would likely have; null if none. */
  sessionSize: number | null;
  byText: string;
}): string {
  const officials = `${c.need} ${c.need === 1 ? 'official still needs' : 'officials still need'} ${c.courseCode}`;
  const seats = `${c.freeSeats === 0 ? 'no' : c.freeSeats} ${c.freeSeats === 1 ? 'seat remains' : 'seats remain'} by ${c.byText}`;
  const short = c.need - c.freeSeats;
  if (short <= 0) return `${officials} and ${seats}: enough for now.`;
  if (!c.sessionSize)
    return `${officials} and ${seats}: schedule sessions with at least ${short} more ${short === 1 ? 'seat' : 'seats'}.`;
  const sessions = Math.ceil(short / c.sessionSize);
  return `${officials} and ${seats}: schedule at least ${sessions} more ${sessions === 1 ? 'session' : 'sessions'} of ${c.sessionSize}.`;
}
