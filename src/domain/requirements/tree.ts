/**
 * Evaluates one requirement tree (the initial certification, or one renewal
 * cycle) against normalized records: selects the records each leaf may use,
 * allocates records that could serve several leaves (see allocate.ts), then
 * builds the explained result tree.
 */
import {
  addDays,
  addOffset,
  addYears,
  maxDate,
  minDate,
  subtractOffset,
  fullYearsBetween,
  type LocalDate,
} from '../time/index.js';
import { allocate, FREE, NOWHERE, type Contended, type Scorer, type TreeScore } from './allocate.js';
import {
  activityKey,
  matchesCategory,
  matchesFilter,
  toHundredths,
  type CompiledProgram,
  type Rec,
} from './compile.js';
import { maxCover, type CoverProblem } from './cover.js';
import { fmtAmount, joinAnd, joinOr, longDate, plural, unitWord } from './explain.js';
import {
  deadlineDetail,
  deadlineNote,
  resolveDate,
  resolveDeadline,
  type ResolvedDeadline,
} from './dates.js';
import type {
  Attestation,
  CountedRecord,
  CoursesRequirement,
  CreditsRequirement,
  DateAnchor,
  DateRef,
  DeadlineExtension,
  DeadlineRequirement,
  ExamResult,
  NodeResult,
  NotCountedReason,
  NotCountedRecord,
  PartResult,
  RecordWindow,
  Requirement,
  Waiver,
  YearPart,
} from './types.js';

export interface TreeEnv {
  compiled: CompiledProgram;
  asOf: LocalDate;
  anchors: Partial<Record<DateAnchor, LocalDate>>;
  /** Dated person facts by id (`context.factDates`). */
  facts?: Readonly<Record<string, LocalDate>>;
  /** Per-person deadline extensions by deadline id. */
  extensions?: ReadonlyMap<string, DeadlineExtension>;
  /** Records dated before this do not count (a renewal cycle's first day). */
  windowFrom?: LocalDate;
  /** Records dated after this do not count (asOf, or a closed cycle's last day). */
  windowTo: LocalDate;
  cohorts: ReadonlySet<string>;
  waivers: readonly Waiver[];
  examResults: readonly ExamResult[];
  attestations: readonly Attestation[];
  yearsOfService?: number;
  /** Records that may not count here, with the reason (used in an earlier cycle). */
  excluded?: ReadonlyMap<string, { reason: NotCountedReason; detail: string }>;
  /** Records recorded after this date do not count (a closed cycle). */
  recordedBy?: LocalDate;
}

export interface TreeOutcome {
  root: NodeResult;
  /** Ids of records that some leaf of this tree looks at (whether or not they counted). */
  matchedIds: Set<string>;
}

type LeafNode = CreditsRequirement | CoursesRequirement;

export interface Leaf {
  node: LeafNode;
  index: number;
  applicable: boolean;
  from: LocalDate | undefined;
  to: LocalDate;
  deadline: LocalDate | undefined;
  exclusive: boolean;
  waiver: Waiver | undefined;
  /** For courses leaves: the listed codes, or undefined for a category-based set. */
  codes: string[] | undefined;
  setCategory: string | undefined;
  notCounted: NotCountedRecord[];
  eligible: Rec[];
  assigned: Rec[];
  /** The years of the period, for per-year caps and minimums. */
  years: YearSplit | undefined;
  /** More records never lower this leaf's score (see `scoresRise`). */
  monotone: boolean;
}

/**
 * Whether more records can only raise a leaf's score, which the allocation search's bound needs.
 * A credits leaf counts the best choice of records under its caps (`creditsCore`, cover.ts), and a
 * bigger set of records offers every choice the smaller one did, so its score never falls. Not so
 * when a course counts once (an earlier completion of fewer credits replaces a later one), or when
 * courses must come in order (a late first course puts the others out of order). Those leaves are
 * bounded by "met" in the search instead (allocation-shapes.test.ts shows both halves).
 */
export function scoresRise(node: LeafNode): boolean {
  if (node.type === 'courses') return node.inOrder !== true;
  return node.repeatedCourses !== 'once';
}

export interface LeafScore {
  met: boolean;
  /** Shortfall in hundredths (credits) or courses × 100. */
  deficit: number;
}

// ------------------------------------------------------------ dates ---

export function resolveRef(ref: DateRef | undefined, env: TreeEnv): LocalDate | undefined {
  return resolveDate(ref, env);
}

/** A deadline node's date for this person: the program's rule, or a per-person extension of it. */
function deadlineOf(node: DeadlineRequirement, env: TreeEnv): ResolvedDeadline {
  return resolveDeadline(node.id, node.by, env, env.extensions, env.compiled.program);
}

function resolveWindow(
  w: RecordWindow | undefined,
  env: TreeEnv,
  deadline: LocalDate | undefined,
): { from: LocalDate | undefined; to: LocalDate } {
  let from = env.windowFrom;
  let to = env.windowTo;
  const f = resolveRef(w?.from, env);
  if (f !== undefined) from = from === undefined ? f : maxDate(from, f);
  if (w?.lookBack) {
    const lb = subtractOffset(env.asOf, w.lookBack);
    from = from === undefined ? lb : maxDate(from, lb);
  }
  const t = resolveRef(w?.to, env);
  if (t !== undefined) to = minDate(to, t);
  if (deadline !== undefined) to = minDate(to, deadline);
  return { from, to };
}

function activeWaiver(id: string, env: TreeEnv): Waiver | undefined {
  let best: Waiver | undefined;
  for (const w of env.waivers) {
    if (w.requirementId !== id || w.grantedOn > env.asOf) continue;
    if (w.expiresOn !== undefined && w.expiresOn < env.asOf) continue;
    if (!best || w.grantedOn > best.grantedOn || (w.grantedOn === best.grantedOn && w.kind === 'waiver'))
      best = w;
  }
  return best;
}

const isApplicable = (node: Requirement, env: TreeEnv): boolean =>
  !node.appliesTo || node.appliesTo.cohorts.some((c) => env.cohorts.has(c));

// ------------------------------------------------------------ leaves ---

function collectLeaves(
  node: Requirement,
  env: TreeEnv,
  applicable: boolean,
  deadline: LocalDate | undefined,
  out: Leaf[],
): void {
  const app = applicable && isApplicable(node, env);
  switch (node.type) {
    case 'allOf':
    case 'anyOf':
    case 'nOf':
      for (const child of node.items) collectLeaves(child, env, app, deadline, out);
      return;
    case 'deadline': {
      // A waiver or provisional approval on a deadline suspends the date, not what it guards.
      const by = activeWaiver(node.id, env) ? undefined : deadlineOf(node, env).date;
      const inner = by === undefined ? deadline : deadline === undefined ? by : minDate(deadline, by);
      collectLeaves(node.item, env, app, inner, out);
      return;
    }
    case 'credits':
    case 'courses': {
      const { from, to } = resolveWindow(node.window, env, deadline);
      let codes: string[] | undefined;
      let setCategory: string | undefined;
      if (node.type === 'courses') {
        const set = node.courseSet === undefined ? undefined : env.compiled.setById.get(node.courseSet);
        codes = node.courses ?? set?.courses;
        setCategory = codes ? undefined : set?.category;
      }
      const perYear =
        node.type === 'credits' &&
        ((node.caps ?? []).some((c) => c.per === 'year') ||
          (node.minimums ?? []).some((m) => m.per === 'year'));
      const periodEnd = resolveRef(node.window?.to, env) ?? env.anchors.cycleEnd;
      out.push({
        node,
        index: out.length,
        applicable: app,
        years: perYear ? yearSplit(from, periodEnd, env.asOf) : undefined,
        from,
        to,
        deadline,
        exclusive: env.compiled.program.countingPolicy === 'exclusive' && node.shareRecords !== true,
        waiver: activeWaiver(node.id, env),
        codes,
        setCategory,
        notCounted: [],
        eligible: [],
        assigned: [],
        monotone: scoresRise(node),
      });
      return;
    }
    default:
      return;
  }
}

function selects(leaf: Leaf, rec: Rec): boolean {
  if (leaf.node.type === 'credits') return matchesFilter(rec, leaf.node.filter);
  if (rec.courseCode === undefined) return false;
  return leaf.codes
    ? leaf.codes.includes(rec.courseCode)
    : rec.lineage.includes(leaf.setCategory ?? '\u0000');
}

function notCountedOf(rec: Rec, reason: NotCountedReason, detail: string): NotCountedRecord {
  return { recordId: rec.id, date: rec.date, amount: rec.amount, reason, detail };
}

const STATUS_REASON: Record<string, [NotCountedReason, string]> = {
  pending: ['pending_review', 'Waiting for review.'],
  rejected: ['rejected', 'Rejected by a reviewer.'],
  reversed: ['reversed', 'Reversed (withdrawn or corrected).'],
};

/** Why an otherwise matching record cannot count in this leaf, or undefined if it can. */
function exclusion(leaf: Leaf, rec: Rec, env: TreeEnv): NotCountedRecord | undefined {
  if (rec.seat && leaf.node.confirmedSeats !== 'provisional')
    return notCountedOf(rec, 'after_as_of', 'A confirmed seat does not count toward this requirement.');
  const ex = rec.carriedFrom === undefined ? env.excluded?.get(rec.id) : undefined;
  if (ex) return notCountedOf(rec, ex.reason, ex.detail);
  const status = STATUS_REASON[rec.status];
  if (status) return notCountedOf(rec, status[0], status[1]);
  if (env.recordedBy !== undefined && rec.recordedOn > env.recordedBy)
    return notCountedOf(
      rec,
      'recorded_after_close',
      `Recorded on ${longDate(rec.recordedOn)}, after this period closed on ${longDate(env.recordedBy)}.`,
    );
  if (rec.date > env.asOf)
    return notCountedOf(rec, 'after_as_of', `Dated ${longDate(rec.date)}, after ${longDate(env.asOf)}.`);
  if (leaf.deadline !== undefined && rec.date > leaf.deadline)
    return notCountedOf(rec, 'after_deadline', `Dated after the deadline of ${longDate(leaf.deadline)}.`);
  if (rec.date > leaf.to || (leaf.from !== undefined && rec.date < leaf.from))
    return notCountedOf(
      rec,
      'outside_window',
      `Dated ${longDate(rec.date)}, outside ${describeWindow(leaf.from, leaf.to)}.`,
    );
  return undefined;
}

/** A record smaller than the leaf's per-record minimum (`recordMin`) does not count there. */
function belowRecordMin(leaf: Leaf, rec: Rec, env: TreeEnv): NotCountedRecord | undefined {
  const node = leaf.node;
  if (node.type !== 'credits' || !node.recordMin) return undefined;
  const { min, filter, label } = node.recordMin;
  const need = toHundredths(min);
  if (rec.amount >= need || !matchesFilter(rec, filter)) return undefined;
  const unit = env.compiled.program.unit;
  const what = label ?? 'a record';
  return notCountedOf(
    rec,
    'below_record_minimum',
    `Only ${fmtAmount(rec.amount)} ${unitWord(rec.amount, unit)}: ${what} counts toward ${node.title} only if it has at least ${fmtAmount(need)} ${unitWord(need, unit)}.`,
  );
}

function describeWindow(from: LocalDate | undefined, to: LocalDate): string {
  return from === undefined ? `the period ending ${longDate(to)}` : `${longDate(from)} to ${longDate(to)}`;
}

// ------------------------------------------------------------ years ---

/**
 * The years of a period, for per-year caps and minimums: year 1 runs from the period's start to the
 * day before its first anniversary, and so on (anniversaries counted from the start, so a Feb 29
 * start does not drift); the last year ends with the period and may be shorter. Without a known end
 * (a window with no `to` outside a renewal cycle), the years that have begun by asOf.
 */
export interface YearSplit {
  starts: LocalDate[];
  end: LocalDate | undefined;
}

export function yearSplit(
  start: LocalDate | undefined,
  end: LocalDate | undefined,
  asOf: LocalDate,
): YearSplit | undefined {
  if (start === undefined) return undefined;
  const limit = end ?? asOf;
  const starts = [start];
  for (let k = 1; k <= 100; k += 1) {
    const next = addYears(start, k);
    if (next > limit) break;
    starts.push(next);
  }
  return { starts, end };
}

/** The 0-based year of a date; dates after the period's end belong to its last year. */
function yearIndex(split: YearSplit | undefined, date: LocalDate): number {
  if (!split) return 0;
  let i = 0;
  while (i + 1 < split.starts.length && (split.starts[i + 1] ?? '') <= date) i += 1;
  return i;
}

function yearRange(split: YearSplit, i: number): { from: LocalDate; to: LocalDate } {
  const from = split.starts[i] ?? split.starts[0] ?? '';
  const next = split.starts[i + 1];
  const to = next !== undefined ? addDays(next, -1) : (split.end ?? addDays(addYears(from, 1), -1));
  return { from, to };
}

/** "year 2 (January 1, 2026 to December 31, 2026)" */
function yearWords(split: YearSplit | undefined, i: number): string {
  if (!split) return 'the period';
  const { from, to } = yearRange(split, i);
  return `year ${i + 1} (${longDate(from)} to ${longDate(to)})`;
}

// ------------------------------------------------------------ credits ---

interface CreditsCore {
  counted: { rec: Rec; amount: number }[];
  overCap: {
    rec: Rec;
    amount: number;
    cap: string;
    perActivity: boolean;
    capMax: number;
    /** A per-year cap: the 0-based year that was full. */
    year?: number;
  }[];
  /** Repeats of a course already counted (`repeatedCourses: "once"`), with the counted completion. */
  repeats: { rec: Rec; first: Rec }[];
  have: number;
  need: number;
  subHave: number[];
  capUsed: number[];
  shortTotal: number;
  shortSubs: number[];
  met: boolean;
  years: YearSplit | undefined;
  /** Per minimum, what each year has (one entry unless the minimum is per year). */
  subYears: number[][];
  /** Per cap, what each year counted. */
  capYears: number[][];
  /** Years short of a per-year minimum: the minimum's index, the 0-based year and the shortfall. */
  yearShorts: { j: number; year: number; short: number }[];
}

type CreditCap = NonNullable<CreditsRequirement['caps']>[number];
type CreditMinimum = NonNullable<CreditsRequirement['minimums']>[number];

export function creditsCore(node: CreditsRequirement, all: readonly Rec[], years?: YearSplit): CreditsCore {
  const mins = node.minimums ?? [];
  const caps = node.caps ?? [];
  // A course repeated within the period counts once (the earliest completion) when asked.
  const repeats: CreditsCore['repeats'] = [];
  let assigned = all;
  if (node.repeatedCourses === 'once') {
    const first = new Map<string, Rec>();
    assigned = all.filter((rec) => {
      if (rec.courseCode === undefined || !rec.catalog) return true;
      const prior = first.get(rec.courseCode);
      if (!prior) {
        first.set(rec.courseCode, rec);
        return true;
      }
      repeats.push({ rec, first: prior });
      return false;
    });
  }
  // When caps bind, let records that also serve a minimum count first; otherwise keep date order.
  const order =
    caps.length === 0
      ? assigned
      : assigned
          .map((rec, i) => ({
            rec,
            i,
            k: mins.reduce((n, m) => n + (matchesFilter(rec, m.filter) ? 1 : 0), 0),
          }))
          .sort((a, b) => b.k - a.k || a.i - b.i)
          .map((x) => x.rec);
  const greedy = tallyCredits(node, order, years, repeats);
  if (greedy.met || greedy.overCap.length === 0) return greedy;
  // A cap turned credit away and the requirement is short: choose exactly which records fill the
  // caps' room (cover.ts), and keep that when it leaves less missing.
  const limits = exactLimits(node, assigned, years);
  if (!limits) return greedy;
  const exact = tallyCredits(node, assigned, years, repeats, limits);
  return deficitOf(exact) < deficitOf(greedy) ? exact : greedy;
}

function overCapOf(
  caps: readonly CreditCap[],
  rec: Rec,
  allowed: number,
  binding: number,
  year: number,
): CreditsCore['overCap'][number] {
  const cap = caps[binding];
  return {
    rec,
    amount: rec.amount - allowed,
    cap: cap?.label ?? '',
    perActivity: cap?.per === 'activity',
    capMax: toHundredths(cap?.max ?? 0),
    ...(cap?.per === 'year' ? { year } : {}),
  };
}

const deficitOf = (c: CreditsCore): number => c.shortTotal + c.shortSubs.reduce((a, b) => a + b, 0);

/**
 * Per cap, which of its rooms a record uses: undefined when the cap's filter does not match it,
 * the activity or the year for a cap per activity or per year, '' for a cap on the whole total.
 */
function capKeys(caps: readonly CreditCap[], rec: Rec, years: YearSplit | undefined): (string | undefined)[] {
  const y = yearIndex(years, rec.date);
  return caps.map((cap) => {
    if (!matchesFilter(rec, cap.filter)) return undefined;
    return cap.per === 'activity' ? activityKey(rec) : cap.per === 'year' ? `y${y}` : '';
  });
}

/** The minimums (and, for a per-year minimum, the year) a record serves. */
function demandsOf(mins: readonly CreditMinimum[], rec: Rec, years: YearSplit | undefined): string[] {
  const y = yearIndex(years, rec.date);
  const out: string[] = [];
  mins.forEach((m, j) => {
    if (matchesFilter(rec, m.filter)) out.push(m.per === 'year' ? `${j}:y${y}` : `${j}`);
  });
  return out;
}

/**
 * How much of each record to count so that the total and the minimums are short by as little as
 * possible, the caps respected (cover.ts solves it over groups of interchangeable records). Within
 * a group the earliest records count first; then any record whose rooms still have space counts
 * more, so a record left partly uncounted always meets a full cap.
 */
function exactLimits(
  node: CreditsRequirement,
  recs: readonly Rec[],
  years: YearSplit | undefined,
): Map<Rec, number> | undefined {
  const mins = node.minimums ?? [];
  const caps = node.caps ?? [];
  const yearCount = years?.starts.length ?? 1;
  const wants = new Map<string, number>([['total', toHundredths(node.min)]]);
  mins.forEach((m, j) => {
    if (m.per === 'year') for (let y = 0; y < yearCount; y += 1) wants.set(`${j}:y${y}`, toHundredths(m.min));
    else wants.set(`${j}`, toHundredths(m.min));
  });
  const groups = new Map<string, { recs: Rec[]; rooms: string[]; demands: string[]; upper: number }>();
  /** Each capped record's rooms ("cap index:key"), and what each room holds. */
  const roomsOf = new Map<Rec, string[]>();
  const roomCap = new Map<string, number>();
  for (const rec of recs) {
    const rooms = capKeys(caps, rec, years).flatMap((k, j) => {
      if (k === undefined) return [];
      roomCap.set(`${j}:${k}`, toHundredths(caps[j]?.max ?? 0));
      return [`${j}:${k}`];
    });
    const demands = demandsOf(mins, rec, years);
    if (rooms.length === 0) {
      // Uncapped records always count in full.
      for (const d of ['total', ...demands]) wants.set(d, (wants.get(d) ?? 0) - rec.amount);
      continue;
    }
    roomsOf.set(rec, rooms);
    const key = `${rooms.join(',')}|${demands.join(',')}`;
    const g = groups.get(key) ?? { recs: [], rooms, demands, upper: 0 };
    g.recs.push(rec);
    g.upper += rec.amount;
    groups.set(key, g);
  }
  const list = [...groups.values()];
  const problem: CoverProblem = {
    upper: list.map((g) => g.upper),
    rooms: [...roomCap].map(([room, cap]) => ({
      vars: list.flatMap((g, v) => (g.rooms.includes(room) ? [v] : [])),
      cap,
    })),
    demands: [...wants]
      .filter(([, need]) => need > 0)
      .map(([d, need]) => ({
        vars: list.flatMap((g, v) => (d === 'total' || g.demands.includes(d) ? [v] : [])),
        need,
      })),
  };
  if (problem.demands.length === 0) return undefined;
  const { x } = maxCover(problem);
  const limits = new Map<Rec, number>();
  const left = new Map(roomCap);
  list.forEach((g, v) => {
    let share = x[v] ?? 0;
    for (const rec of g.recs) {
      const take = Math.min(rec.amount, share);
      share -= take;
      limits.set(rec, take);
      for (const r of g.rooms) left.set(r, (left.get(r) ?? 0) - take);
    }
  });
  for (const [rec, rooms] of roomsOf) {
    const have = limits.get(rec) ?? 0;
    const more = Math.min(rec.amount - have, ...rooms.map((r) => left.get(r) ?? 0));
    if (more <= 0) continue;
    limits.set(rec, have + more);
    for (const r of rooms) left.set(r, (left.get(r) ?? 0) - more);
  }
  return limits;
}

/**
 * Counts records in the given order under the caps: each as much as every matching cap's room
 * allows, or, given limits, exactly its limit (limits from `exactLimits` always fit). Then what the
 * total and each minimum have and lack.
 */
function tallyCredits(
  node: CreditsRequirement,
  order: readonly Rec[],
  years: YearSplit | undefined,
  repeats: CreditsCore['repeats'],
  limits?: ReadonlyMap<Rec, number>,
): CreditsCore {
  const mins = node.minimums ?? [];
  const caps = node.caps ?? [];
  const yearCount = years?.starts.length ?? 1;
  const capLeft = caps.map((c) => toHundredths(c.max));
  const capUsed = caps.map(() => 0);
  /** Per-activity caps: what is left for each activity, by cap. */
  const activityLeft = caps.map(() => new Map<string, number>());
  const counted: CreditsCore['counted'] = [];
  const overCap: CreditsCore['overCap'] = [];
  const capYears = caps.map(() => new Array<number>(yearCount).fill(0));
  const roomLeft = (j: number, key: string): number =>
    key === '' ? (capLeft[j] ?? 0) : (activityLeft[j]?.get(key) ?? toHundredths(caps[j]?.max ?? 0));
  /** Records cut short under given limits: their binding cap is known only once all are counted. */
  const cutShort: { rec: Rec; allowed: number }[] = [];
  for (const rec of order) {
    let allowed = limits ? (limits.get(rec) ?? rec.amount) : rec.amount;
    let binding = -1;
    const y = yearIndex(years, rec.date);
    // Per-activity and per-year caps keep what is left by key; other caps one total.
    const keys = capKeys(caps, rec, years);
    const left = keys.map((k, j) => (k === undefined ? undefined : roomLeft(j, k)));
    left.forEach((l, j) => {
      if (l !== undefined && l < allowed) {
        allowed = l;
        binding = j;
      }
    });
    left.forEach((l, j) => {
      if (l === undefined) return;
      const key = keys[j] ?? '';
      if (key !== '') activityLeft[j]?.set(key, l - allowed);
      else capLeft[j] = l - allowed;
      capUsed[j] = (capUsed[j] ?? 0) + allowed;
      const cy = capYears[j];
      if (cy) cy[Math.min(y, yearCount - 1)] = (cy[Math.min(y, yearCount - 1)] ?? 0) + allowed;
    });
    if (allowed > 0 || rec.amount === 0) counted.push({ rec, amount: allowed });
    if (allowed >= rec.amount) continue;
    if (binding < 0) {
      cutShort.push({ rec, allowed });
      continue;
    }
    overCap.push(overCapOf(caps, rec, allowed, binding, y));
  }
  for (const { rec, allowed } of cutShort) {
    const keys = capKeys(caps, rec, years);
    const full = keys.findIndex((k, j) => k !== undefined && roomLeft(j, k) <= 0);
    overCap.push(overCapOf(caps, rec, allowed, full, yearIndex(years, rec.date)));
  }
  if (caps.length > 0)
    counted.sort((a, b) =>
      a.rec.date < b.rec.date ? -1 : a.rec.date > b.rec.date ? 1 : a.rec.id < b.rec.id ? -1 : 1,
    );
  let have = 0;
  const subHave = mins.map(() => 0);
  const subYears = mins.map((m) => new Array<number>(m.per === 'year' ? yearCount : 1).fill(0));
  for (const c of counted) {
    have += c.amount;
    const y = yearIndex(years, c.rec.date);
    for (let j = 0; j < mins.length; j += 1)
      if (matchesFilter(c.rec, mins[j]?.filter)) {
        subHave[j] = (subHave[j] ?? 0) + c.amount;
        const sy = subYears[j];
        if (sy) {
          const k = mins[j]?.per === 'year' ? y : 0;
          sy[k] = (sy[k] ?? 0) + c.amount;
        }
      }
  }
  const need = toHundredths(node.min);
  const shortTotal = Math.max(0, need - have);
  const yearShorts: CreditsCore['yearShorts'] = [];
  const shortSubs = mins.map((m, j) => {
    if (m.per !== 'year') return Math.max(0, toHundredths(m.min) - (subHave[j] ?? 0));
    let short = 0;
    (subYears[j] ?? []).forEach((h, year) => {
      const s = Math.max(0, toHundredths(m.min) - h);
      if (s > 0) yearShorts.push({ j, year, short: s });
      short += s;
    });
    return short;
  });
  const met = shortTotal === 0 && shortSubs.every((s) => s === 0);
  return {
    counted,
    overCap,
    repeats,
    have,
    need,
    subHave,
    capUsed,
    shortTotal,
    shortSubs,
    met,
    years,
    subYears,
    capYears,
    yearShorts,
  };
}

function creditsMetOn(node: CreditsRequirement, core: CreditsCore): LocalDate | undefined {
  if (!core.met) return undefined;
  const mins = node.minimums ?? [];
  let total = 0;
  const subs = mins.map((m) =>
    new Array<number>(m.per === 'year' ? (core.years?.starts.length ?? 1) : 1).fill(0),
  );
  for (const c of core.counted) {
    total += c.amount;
    const y = yearIndex(core.years, c.rec.date);
    mins.forEach((m, j) => {
      const sy = subs[j];
      if (!sy || !matchesFilter(c.rec, m.filter)) return;
      const k = m.per === 'year' ? y : 0;
      sy[k] = (sy[k] ?? 0) + c.amount;
    });
    if (total >= core.need && mins.every((m, j) => (subs[j] ?? []).every((h) => h >= toHundredths(m.min))))
      return c.rec.date;
  }
  return core.counted[core.counted.length - 1]?.rec.date;
}

/** "For at least 6 hours in each year, you need 4 more hours in year 2 (January 1, 2026 to ...)." */
function yearSentences(
  node: CreditsRequirement,
  core: Pick<CreditsCore, 'yearShorts' | 'years'>,
  unit: { singular: string; plural: string },
  past = false,
): string[] {
  const mins = node.minimums ?? [];
  return mins.flatMap((m, j) => {
    const short = core.yearShorts.filter((s) => s.j === j);
    if (short.length === 0) return [];
    const list = joinAnd(
      short.map(
        (s) => `${fmtAmount(s.short)} more ${unitWord(s.short, unit)} in ${yearWords(core.years, s.year)}`,
      ),
    );
    return past
      ? [
          `for ${m.label}, ${list} ${short.length === 1 && short[0]?.short === 100 ? 'was' : 'were'} still needed`,
        ]
      : [`For ${m.label}, you need ${list}.`];
  });
}

export function creditsSentence(
  node: CreditsRequirement,
  core: Pick<CreditsCore, 'shortTotal' | 'shortSubs'> & Partial<Pick<CreditsCore, 'yearShorts' | 'years'>>,
  unit: { singular: string; plural: string },
): string | undefined {
  const mins = node.minimums ?? [];
  // A per-year minimum says which year is short in its own sentence.
  const years = yearSentences(node, { yearShorts: core.yearShorts ?? [], years: core.years }, unit);
  const main = totalSentence(
    node,
    {
      shortTotal: core.shortTotal,
      shortSubs: core.shortSubs.map((s, j) => (mins[j]?.per === 'year' ? 0 : s)),
    },
    unit,
  );
  const all = [...(main ? [main] : []), ...years];
  return all.length > 0 ? all.join(' ') : undefined;
}

function totalSentence(
  node: CreditsRequirement,
  core: Pick<CreditsCore, 'shortTotal' | 'shortSubs'>,
  unit: { singular: string; plural: string },
): string | undefined {
  const mins = node.minimums ?? [];
  const additional = Math.max(core.shortTotal, ...core.shortSubs);
  if (additional === 0) return undefined;
  const noun = node.noun ? `${node.noun} ` : '';
  const forTitle = node.noun ? '' : ` for ${node.title}`;
  const shortSubs = mins
    .map((m, j) => ({ label: m.label, short: core.shortSubs[j] ?? 0 }))
    .filter((s) => s.short > 0);
  if (core.shortTotal > 0) {
    const head = `You need ${fmtAmount(additional)} more ${noun}${unitWord(additional, unit)}${forTitle}`;
    if (shortSubs.length === 0) return `${head}.`;
    const quals = shortSubs.map((s) =>
      s.short === additional
        ? additional === 100
          ? `and it must be ${s.label}`
          : `all of them ${s.label}`
        : `at least ${fmtAmount(s.short)} of them ${s.label}`,
    );
    return `${head}, ${joinAnd(quals)}.`;
  }
  const only = shortSubs[0];
  if (shortSubs.length === 1 && only)
    return `You need ${fmtAmount(only.short)} more ${only.label} ${noun}${unitWord(only.short, unit)}${forTitle}.`;
  return `You need ${fmtAmount(additional)} more ${noun}${unitWord(additional, unit)}${forTitle}: ${joinAnd(
    shortSubs.map((s) => `at least ${fmtAmount(s.short)} ${s.label}`),
  )}.`;
}

// ------------------------------------------------------------ courses ---

interface CoursesCore {
  counted: Rec[];
  notCounted: NotCountedRecord[];
  need: number;
  have: number;
  met: boolean;
  missingCodes: string[];
}

/**
 * @param after undefined: no prerequisite; null: the prerequisite is not met yet;
 *   a date: completions count from that date on.
 */
export function coursesCore(
  node: CoursesRequirement,
  codes: string[] | undefined,
  assigned: readonly Rec[],
  after: LocalDate | null | undefined,
  afterTitles: readonly string[] = [],
): CoursesCore {
  const afterTitle = joinAnd([...afterTitles]);
  const [is, was] = afterTitles.length > 1 ? ['are', 'were'] : ['is', 'was'];
  const notCounted: NotCountedRecord[] = [];
  const byCode = new Map<string, Rec[]>();
  for (const rec of assigned) {
    if (after === null || (after !== undefined && rec.date < after)) {
      notCounted.push(
        notCountedOf(
          rec,
          'before_prerequisite',
          after === null
            ? `Counts only after ${afterTitle} ${is} complete.`
            : `Taken before ${afterTitle} ${was} complete (${longDate(after)}).`,
        ),
      );
      continue;
    }
    const code = rec.courseCode ?? '';
    const list = byCode.get(code);
    if (list) list.push(rec);
    else byCode.set(code, [rec]);
  }
  const counted: Rec[] = [];
  const take = (code: string, notBefore: LocalDate): Rec | undefined => {
    const list = byCode.get(code) ?? [];
    const pick = list.find((r) => r.date >= notBefore);
    for (const r of list) {
      if (r === pick) continue;
      if (pick && r.date >= pick.date)
        notCounted.push(
          notCountedOf(r, 'duplicate_course', `This course was already completed on ${longDate(pick.date)}.`),
        );
      else if (pick)
        notCounted.push(notCountedOf(r, 'duplicate_course', 'This course is counted from another date.'));
      else
        notCounted.push(notCountedOf(r, 'out_of_order', 'Completed before the course that must come first.'));
    }
    return pick;
  };
  const missingCodes: string[] = [];
  if (codes) {
    let prev = '';
    for (const code of codes) {
      const pick = take(code, node.inOrder ? prev : '');
      if (pick) {
        counted.push(pick);
        if (node.inOrder) prev = pick.date;
      } else missingCodes.push(code);
    }
  } else {
    for (const code of [...byCode.keys()].sort()) {
      const pick = take(code, '');
      if (pick) counted.push(pick);
    }
  }
  counted.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  const need = node.count ?? codes?.length ?? 1;
  return { counted, notCounted, need, have: counted.length, met: counted.length >= need, missingCodes };
}

// ------------------------------------------------------------ scoring ---

function leafScore(leaf: Leaf, assigned: readonly Rec[]): LeafScore {
  if (!leaf.applicable || leaf.waiver) return { met: true, deficit: 0 };
  if (leaf.node.type === 'credits') {
    const c = creditsCore(leaf.node, assigned, leaf.years);
    return { met: c.met, deficit: c.shortTotal + c.shortSubs.reduce((a, b) => a + b, 0) };
  }
  const c = coursesCore(leaf.node, leaf.codes, assigned, undefined);
  return { met: c.met, deficit: Math.max(0, c.need - c.have) * 100 };
}

function scoreTree(
  node: Requirement,
  leafScores: ReadonlyMap<string, LeafScore>,
  fixed: ReadonlyMap<string, boolean>,
): { met: boolean; metCount: number; deficit: number } {
  const f = fixed.get(node.id);
  switch (node.type) {
    case 'credits':
    case 'courses': {
      const s = leafScores.get(node.id) ?? { met: false, deficit: 0 };
      const met = f === true || s.met;
      return { met, metCount: met ? 1 : 0, deficit: met ? 0 : s.deficit };
    }
    case 'allOf':
    case 'anyOf':
    case 'nOf': {
      let metChildren = 0;
      let metCount = 0;
      let deficit = 0;
      for (const child of node.items) {
        const s = scoreTree(child, leafScores, fixed);
        if (s.met) metChildren += 1;
        metCount += s.metCount;
        deficit += s.deficit;
      }
      const need = node.type === 'allOf' ? node.items.length : node.type === 'nOf' ? node.n : 1;
      const met = f === true || metChildren >= need;
      return { met, metCount: metCount + (met ? 1 : 0), deficit };
    }
    case 'deadline': {
      const s = scoreTree(node.item, leafScores, fixed);
      const met = f === true || s.met;
      return { met, metCount: s.metCount + (met ? 1 : 0), deficit: s.deficit };
    }
    default: {
      const met = f === true;
      return { met, metCount: met ? 1 : 0, deficit: met ? 0 : 100 };
    }
  }
}

// ------------------------------------------------------------ evaluate ---

/**
 * The allocation problem of one tree: its leaves (records that can serve only one leaf already
 * placed), the records that could serve several, and the score of an assignment of them. Exported
 * so allocation-exact.test.ts can check the search against every assignment, and that the score
 * never falls when a leaf gets more records, on programs of every shape.
 */
export interface AllocationProblem {
  leaves: Leaf[];
  contended: Contended[];
  score: Scorer;
  matchedIds: Set<string>;
}

export function allocationProblem(
  requirement: Requirement,
  recs: readonly Rec[],
  env: TreeEnv,
): AllocationProblem {
  const leaves: Leaf[] = [];
  collectLeaves(requirement, env, true, undefined, leaves);
  const matchedIds = new Set<string>();
  const contended: Contended[] = [];
  const live = leaves.filter((l) => l.applicable);
  for (const rec of recs) {
    let cands: number[] | undefined;
    let only = -1;
    for (const leaf of live) {
      if (!selects(leaf, rec)) {
        if (
          leaf.node.type === 'credits' &&
          leaf.node.filter?.categories &&
          matchesCategory(rec, leaf.node.filter) &&
          rec.status === 'approved'
        )
          leaf.notCounted.push(notCountedOf(rec, 'wrong_category', wrongKindDetail(leaf.node, rec, env)));
        continue;
      }
      matchedIds.add(rec.id);
      const why = exclusion(leaf, rec, env) ?? belowRecordMin(leaf, rec, env);
      if (why) {
        leaf.notCounted.push(why);
        continue;
      }
      leaf.eligible.push(rec);
      if (!leaf.exclusive) {
        leaf.assigned.push(rec);
        continue;
      }
      if (only === -1) only = leaf.index;
      else {
        cands ??= [only];
        cands.push(leaf.index);
      }
    }
    if (cands) contended.push({ rec, candidates: cands, key: kindKey(rec, cands, leaves) });
    else if (only !== -1) leaves[only]?.assigned.push(rec);
  }

  // Non-credit prerequisites are fixed before allocation.
  const fixed = new Map<string, boolean>();
  computeFixed(requirement, env, true, fixed);

  const score = (assignment: readonly number[]): TreeScore => {
    const extra = new Map<number, Rec[]>();
    const open = new Set<number>();
    contended.forEach((c, i) => {
      const target = assignment[i] ?? NOWHERE;
      // FREE: the optimistic bound, counted toward every leaf the record could serve.
      if (target === FREE) for (const leaf of c.candidates) open.add(leaf);
      for (const leaf of target === FREE ? c.candidates : target >= 0 ? [target] : []) {
        const list = extra.get(leaf);
        if (list) list.push(c.rec);
        else extra.set(leaf, [c.rec]);
      }
    });
    const scores = new Map<string, LeafScore>();
    for (const leaf of leaves) {
      // A leaf whose score can fall with more records is bounded by the best it could be.
      if (open.has(leaf.index) && !leaf.monotone) {
        scores.set(leaf.node.id, { met: true, deficit: 0 });
        continue;
      }
      const add = extra.get(leaf.index);
      const assigned = add ? mergeByDate(leaf.assigned, add) : leaf.assigned;
      scores.set(leaf.node.id, leafScore(leaf, assigned));
    }
    const s = scoreTree(requirement, scores, fixed);
    return { rootMet: s.met ? 1 : 0, metCount: s.metCount, deficit: s.deficit };
  };
  return { leaves, contended, score, matchedIds };
}

export function evaluateTree(requirement: Requirement, recs: readonly Rec[], env: TreeEnv): TreeOutcome {
  const { leaves, contended, score, matchedIds } = allocationProblem(requirement, recs, env);
  if (contended.length > 0) {
    const choice = allocate(contended, score);
    contended.forEach((c, i) => {
      const target = choice[i] ?? c.candidates[0] ?? 0;
      const leaf = leaves[target];
      if (!leaf) return;
      leaf.assigned = mergeByDate(leaf.assigned, [c.rec]);
      for (const other of c.candidates) {
        if (other === target) continue;
        leaves[other]?.notCounted.push(
          notCountedOf(c.rec, 'used_elsewhere', `Counted toward "${leaf.node.title}" instead.`),
        );
      }
    });
  }

  const byId = new Map(leaves.map((l) => [l.node.id, l]));
  const metOn = new Map<string, LocalDate | undefined>();
  const titles = new Map<string, string>();
  const root = build(requirement, env, byId, metOn, titles, true, undefined);
  return { root, matchedIds };
}

/**
 * What the score can see of a contended record: its amount, course, and which minimums and caps of
 * each candidate leaf it matches. Records with the same key are interchangeable for allocation.
 */
function kindKey(rec: Rec, candidates: readonly number[], leaves: readonly Leaf[]): string {
  let bits = '';
  for (const i of candidates) {
    const node = leaves[i]?.node;
    if (node?.type !== 'credits') {
      // Course order (inOrder) looks at dates: records of different dates are not interchangeable.
      bits += `@${rec.date};`;
      continue;
    }
    // Under a per-year cap or minimum, or when a course counts once (the earliest completion),
    // records of different dates are not interchangeable.
    if (
      node.repeatedCourses === 'once' ||
      (node.caps ?? []).some((c) => c.per === 'year') ||
      (node.minimums ?? []).some((m) => m.per === 'year')
    )
      bits += `@${rec.date}`;
    for (const m of node.minimums ?? []) bits += matchesFilter(rec, m.filter) ? '1' : '0';
    bits += '/';
    for (const c of node.caps ?? []) {
      bits += matchesFilter(rec, c.filter) ? '1' : '0';
      // Under a per-activity cap, records of different activities are not interchangeable.
      if (c.per === 'activity') bits += `<${activityKey(rec)}>`;
    }
    bits += ';';
  }
  return `${rec.amount}|${rec.courseCode ?? ''}|${bits}`;
}

function mergeByDate(a: readonly Rec[], b: readonly Rec[]): Rec[] {
  return [...a, ...b].sort((x, y) =>
    x.date < y.date ? -1 : x.date > y.date ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0,
  );
}

function wrongKindDetail(node: CreditsRequirement, rec: Rec, env: TreeEnv): string {
  const f = node.filter;
  if (f?.sourceTypes && !f.sourceTypes.includes(rec.sourceType)) {
    const name =
      env.compiled.program.sourceTypes.find((s) => s.id === rec.sourceType)?.name ?? rec.sourceType;
    return `${name} does not count toward this requirement.`;
  }
  if (f?.sponsored !== undefined && rec.sponsored !== f.sponsored) {
    const adj = env.compiled.program.sponsor?.adjective ?? 'sponsored';
    return f.sponsored ? `Only ${adj} credits count here.` : `${adj} credits do not count here.`;
  }
  return 'This kind of credit does not count toward this requirement.';
}

function examBest(
  node: { exam: string; window?: RecordWindow },
  env: TreeEnv,
  results: readonly ExamResult[],
) {
  const { from, to } = resolveWindow(node.window, env, undefined);
  let best: ExamResult | undefined;
  for (const r of results) {
    if (r.exam !== node.exam || r.date > to || (from !== undefined && r.date < from)) continue;
    if (!best || r.score > best.score || (r.score === best.score && r.date < best.date)) best = r;
  }
  return best;
}

function computeFixed(node: Requirement, env: TreeEnv, applicable: boolean, out: Map<string, boolean>): void {
  const app = applicable && isApplicable(node, env);
  if (!app || (node.type !== 'deadline' && activeWaiver(node.id, env))) out.set(node.id, true);
  switch (node.type) {
    case 'allOf':
    case 'anyOf':
    case 'nOf':
      for (const c of node.items) computeFixed(c, env, app, out);
      break;
    case 'deadline':
      computeFixed(node.item, env, app, out);
      break;
    case 'exam': {
      const best = examBest(node, env, env.examResults);
      if (best && best.score >= node.minScore) out.set(node.id, true);
      break;
    }
    case 'serviceYears': {
      if (serviceYears(env) >= node.minYears) out.set(node.id, true);
      break;
    }
    case 'attestation':
      if (findAttestation(node, env)) out.set(node.id, true);
      break;
    default:
      break;
  }
}

function serviceYears(env: TreeEnv): number {
  if (env.yearsOfService !== undefined) return env.yearsOfService;
  const appt = env.anchors.appointment;
  return appt === undefined || appt > env.asOf ? 0 : fullYearsBetween(appt, env.asOf);
}

function findAttestation(
  node: { attestation: string; window?: RecordWindow },
  env: TreeEnv,
): Attestation | undefined {
  const { from, to } = resolveWindow(node.window, env, undefined);
  let found: Attestation | undefined;
  for (const a of env.attestations) {
    if (a.attestation !== node.attestation || a.date > to || (from !== undefined && a.date < from)) continue;
    if (!found || a.date > found.date) found = a;
  }
  return found;
}

function counted(rec: Rec, amount: number, note?: string): CountedRecord {
  const out: CountedRecord = { recordId: rec.id, date: rec.date, amount };
  if (rec.courseCode !== undefined) out.courseCode = rec.courseCode;
  const n =
    note ??
    (rec.carriedFrom ? `Carried over from the cycle ending ${longDate(rec.carriedFrom)}.` : undefined);
  if (n) out.note = n;
  return out;
}

function sortNotCounted(list: NotCountedRecord[]): NotCountedRecord[] {
  return list.sort((a, b) =>
    a.date < b.date
      ? -1
      : a.date > b.date
        ? 1
        : a.recordId < b.recordId
          ? -1
          : a.recordId > b.recordId
            ? 1
            : 0,
  );
}

function pendingSuffix(
  list: readonly NotCountedRecord[],
  unit: { singular: string; plural: string },
): string {
  const pending = list.filter((n) => n.reason === 'pending_review').reduce((a, n) => a + n.amount, 0);
  if (pending === 0) return '';
  return ` ${fmtAmount(pending)} ${unitWord(pending, unit)} ${pending === 100 ? 'is' : 'are'} waiting for review.`;
}

function build(
  node: Requirement,
  env: TreeEnv,
  leaves: ReadonlyMap<string, Leaf>,
  metOn: Map<string, LocalDate | undefined>,
  titles: Map<string, string>,
  applicable: boolean,
  deadline: LocalDate | undefined,
): NodeResult {
  const app = applicable && isApplicable(node, env);
  const waiver = app ? activeWaiver(node.id, env) : undefined;
  const unit = env.compiled.program.unit;
  const result: NodeResult = {
    id: node.id,
    type: node.type,
    title: node.title,
    applicable: app,
    met: false,
    have: 0,
    need: 0,
    unit: 'requirements',
    counted: [],
    notCounted: [],
    parts: [],
    children: [],
  };
  let missing: string | undefined;
  let date: LocalDate | undefined;
  switch (node.type) {
    case 'credits': {
      const leaf = leaves.get(node.id);
      const core = creditsCore(node, leaf?.assigned ?? [], leaf?.years);
      result.unit = unit.plural;
      result.have = core.have / 100;
      result.need = core.need / 100;
      result.met = core.met;
      result.counted = core.counted.map((c) => counted(c.rec, c.amount / 100));
      const raw = sortNotCounted([
        ...(leaf?.notCounted ?? []),
        ...core.overCap.map((o) => ({
          ...notCountedOf(
            o.rec,
            'over_cap',
            o.perActivity
              ? `Over the limit: ${o.cap}. ${activityName(o.rec)} already counts for the most allowed, ${fmtAmount(o.capMax)} ${unitWord(o.capMax, unit)}.`
              : o.year !== undefined
                ? `Over the limit: ${o.cap}. ${capitalize(yearWords(core.years, o.year))} already counts the most allowed, ${fmtAmount(o.capMax)} ${unitWord(o.capMax, unit)}.`
                : `Over the limit: ${o.cap}.`,
          ),
          amount: o.amount,
        })),
        ...core.repeats.map((r) =>
          notCountedOf(
            r.rec,
            'duplicate_course',
            `A repeat: ${activityName(r.rec)} already counts from ${longDate(r.first.date)}, and a course repeated within the period counts once.`,
          ),
        ),
      ]);
      result.notCounted = raw.map((n) => ({ ...n, amount: n.amount / 100 }));
      result.parts = [
        ...(node.minimums ?? []).map((m, j): PartResult => {
          const part: PartResult = {
            id: m.id,
            label: m.label,
            kind: 'minimum',
            have: (core.subHave[j] ?? 0) / 100,
            limit: m.min,
            met: (core.shortSubs[j] ?? 0) === 0,
          };
          if (m.per === 'year') {
            part.per = 'year';
            part.years = yearParts(core, core.subYears[j] ?? [], (h) => h >= toHundredths(m.min));
          }
          return part;
        }),
        ...(node.caps ?? []).map((c, j): PartResult => {
          const part: PartResult = {
            id: c.id,
            label: c.label,
            kind: 'cap',
            have: (core.capUsed[j] ?? 0) / 100,
            limit: c.max,
            met: true,
          };
          if (c.per) part.per = c.per;
          if (c.per === 'year') part.years = yearParts(core, core.capYears[j] ?? [], () => true);
          return part;
        }),
      ];
      if (leaf) result.window = windowOf(leaf);
      // Met with nothing counted (a prorated minimum of 0): met from the start of the period.
      date = creditsMetOn(node, core) ?? (core.met ? (leaf?.from ?? env.asOf) : undefined);
      if (deadline !== undefined && deadline < env.asOf && !core.met) {
        const past = creditsPast(node, core, unit);
        PAST.set(result, past);
        missing = `The deadline of ${longDate(deadline)} was missed: ${past}.`;
      } else {
        const s = creditsSentence(node, core, unit);
        missing = s ? s + pendingSuffix(raw, unit) : undefined;
      }
      break;
    }
    case 'courses': {
      const leaf = leaves.get(node.id);
      let after: LocalDate | null | undefined;
      const afterTitles: string[] = [];
      for (const ref of node.after ?? []) {
        afterTitles.push(titles.get(ref) ?? ref);
        const d = metOn.get(ref);
        if (d === undefined) after = null;
        else if (after !== null) after = after === undefined ? d : maxDate(after, d);
      }
      const core = coursesCore(node, leaf?.codes, leaf?.assigned ?? [], after, afterTitles);
      result.unit = 'courses';
      result.have = core.have;
      result.need = core.need;
      result.met = core.met;
      result.counted = core.counted.map((r) => counted(r, r.amount / 100));
      result.notCounted = sortNotCounted([...(leaf?.notCounted ?? []), ...core.notCounted]).map((n) => ({
        ...n,
        amount: n.amount / 100,
      }));
      if (leaf) result.window = windowOf(leaf);
      if (core.met) date = core.counted[core.need - 1]?.date;
      else if (deadline !== undefined && deadline < env.asOf) {
        const past = coursesPast(node, core, env);
        PAST.set(result, past);
        missing = `The deadline of ${longDate(deadline)} was missed: ${past}.`;
      } else missing = coursesSentence(node, core, env, after === null ? joinAnd(afterTitles) : undefined);
      break;
    }
    case 'exam': {
      const best = examBest(node, env, env.examResults);
      result.unit = 'points';
      result.have = best?.score ?? 0;
      result.need = node.minScore;
      result.met = best !== undefined && best.score >= node.minScore;
      if (result.met) {
        // The first passing result is the date the requirement was met.
        const { from, to } = resolveWindow(node.window, env, undefined);
        date = env.examResults
          .filter(
            (r) =>
              r.exam === node.exam &&
              r.score >= node.minScore &&
              r.date <= to &&
              (from === undefined || r.date >= from),
          )
          .map((r) => r.date)
          .sort()[0];
      } else
        missing = best
          ? `You need a score of at least ${node.minScore} on the ${node.title}; your best so far is ${best.score}.`
          : `You need to pass the ${node.title} with a score of at least ${node.minScore}.`;
      break;
    }
    case 'serviceYears': {
      const years = serviceYears(env);
      result.unit = 'years';
      result.have = years;
      result.need = node.minYears;
      result.met = years >= node.minYears;
      if (result.met) {
        const appt = env.anchors.appointment;
        date =
          env.yearsOfService === undefined && appt !== undefined
            ? addOffset(appt, { years: node.minYears })
            : env.asOf;
      } else {
        const more = node.minYears - years;
        missing = `You need ${node.minYears} ${plural(node.minYears, 'year')} of service; you have ${years} (${more} more to go).`;
      }
      break;
    }
    case 'attestation': {
      const a = findAttestation(node, env);
      result.unit = 'attestation';
      result.have = a ? 1 : 0;
      result.need = 1;
      result.met = a !== undefined;
      if (a) date = a.date;
      else missing = `You need to sign the ${node.title}${node.statement ? `: "${node.statement}"` : ''}.`;
      break;
    }
    case 'allOf':
    case 'anyOf':
    case 'nOf': {
      result.children = node.items.map((c) => build(c, env, leaves, metOn, titles, app, deadline));
      const relevant = result.children.filter((c) => c.applicable);
      const metKids = relevant.filter((c) => c.met);
      result.have = metKids.length;
      result.need =
        node.type === 'allOf' ? relevant.length : Math.min(node.type === 'nOf' ? node.n : 1, relevant.length);
      result.met = metKids.length >= result.need;
      const dates = metKids
        .map((c) => c.metOn)
        .filter((d): d is LocalDate => d !== undefined)
        .sort();
      if (result.met) date = node.type === 'allOf' ? dates[dates.length - 1] : dates[result.need - 1];
      else {
        const unmet = relevant.filter((c) => !c.met).map((c) => c.title);
        const left = result.need - result.have;
        missing =
          node.type === 'allOf'
            ? `${left} of ${result.need} parts of ${node.title} still to complete: ${joinAnd(unmet)}.`
            : `Complete ${left === 1 ? 'one' : `${left} more`} of: ${joinOr(unmet)}.`;
      }
      break;
    }
    case 'deadline': {
      const dl = deadlineOf(node, env);
      const by = dl.date;
      const detail = deadlineDetail(dl);
      result.deadline = { rule: dl.rule, detail };
      if (dl.date !== undefined) result.deadline.date = dl.date;
      if (dl.programDate !== undefined) result.deadline.programDate = dl.programDate;
      if (dl.extension) result.deadline.extension = dl.extension;
      // What the sentences add about the date: an extension, or a part not recorded yet.
      const note = deadlineNote(dl);
      const inner =
        by === undefined || waiver ? deadline : deadline === undefined ? by : minDate(deadline, by);
      const child = build(node.item, env, leaves, metOn, titles, app, inner);
      result.children = [child];
      result.unit = 'requirements';
      result.have = child.met ? 1 : 0;
      result.need = 1;
      result.met = child.met;
      date = child.metOn;
      if (by !== undefined) result.window = { to: by };
      if (!child.met)
        missing = waiver
          ? suspendedSentence(node.title, by, waiver)
          : by === undefined
            ? `${node.title} is due ${dl.rule} (date not recorded yet).`
            : by < env.asOf
              ? missedSentence(node.title, by, child, env, note)
              : `Finish ${node.title} by ${longDate(by)}${note}.`;
      if (!child.met && !waiver && by !== undefined && by < env.asOf) MISSED_DEADLINES.add(result);
      break;
    }
  }
  if (!app) {
    result.met = true;
    missing = undefined;
    date = undefined;
  } else if (waiver && !result.met && node.type !== 'deadline') {
    result.met = true;
    missing = undefined;
    date = waiver.grantedOn;
  }
  if (waiver) result.waiver = waiver;
  if (result.met && date !== undefined) result.metOn = date;
  if (!result.met && missing) result.missing = missing;
  metOn.set(node.id, result.met ? (result.metOn ?? env.asOf) : undefined);
  titles.set(node.id, node.title);
  return result;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function yearParts(core: CreditsCore, haves: readonly number[], met: (h: number) => boolean): YearPart[] {
  const split = core.years;
  if (!split) return [];
  return split.starts.map((_, i) => {
    const { from, to } = yearRange(split, i);
    const h = haves[i] ?? 0;
    return { year: i + 1, from, to, have: h / 100, met: met(h) };
  });
}

/** How an explanation names a record's activity: "Course A" (course), or its title, or "This record". */
function activityName(rec: Rec): string {
  const title = rec.title?.trim();
  if (title) return `"${title}"${rec.courseCode === undefined ? ` on ${longDate(rec.date)}` : ''}`;
  return rec.courseCode !== undefined ? `Course ${rec.courseCode}` : 'This record';
}

/** Past-tense shortfall of a leaf whose deadline has passed ("\"Course B\" was not completed by then"). */
const PAST = new WeakMap<NodeResult, string>();
/** Deadline nodes whose date has passed unmet: their one sentence replaces their children's. */
export const MISSED_DEADLINES = new WeakSet<NodeResult>();

function creditsPast(
  node: CreditsRequirement,
  core: Pick<CreditsCore, 'shortTotal' | 'shortSubs' | 'yearShorts' | 'years'>,
  unit: { singular: string; plural: string },
): string {
  const noun = node.noun ? `${node.noun} ` : '';
  const forTitle = node.noun ? '' : ` for ${node.title}`;
  const mins = node.minimums ?? [];
  const sub = mins.findIndex((m, j) => m.per !== 'year' && (core.shortSubs[j] ?? 0) > 0);
  if (core.shortTotal === 0 && sub === -1)
    return yearSentences(node, core, unit, true).join('; ') || 'it was not met by then';
  const short = core.shortTotal > 0 ? core.shortTotal : (core.shortSubs[sub] ?? 0);
  const label = core.shortTotal > 0 ? '' : `${mins[sub]?.label ?? ''} `;
  return `${fmtAmount(short)} more ${label}${noun}${unitWord(short, unit)}${forTitle} ${short === 100 ? 'was' : 'were'} still needed by then`;
}

function coursesPast(node: CoursesRequirement, core: CoursesCore, env: TreeEnv): string {
  const titleOf = (code: string): string => `"${env.compiled.courseByCode.get(code)?.title ?? code}"`;
  if (node.count === undefined && core.missingCodes.length > 0)
    return `${joinAnd(core.missingCodes.map(titleOf))} ${core.missingCodes.length === 1 ? 'was' : 'were'} not completed by then`;
  const left = core.need - core.have;
  return `${left} more ${plural(left, 'course')} for ${node.title} ${left === 1 ? 'was' : 'were'} still needed by then`;
}

function missedSentence(title: string, by: LocalDate, child: NodeResult, env: TreeEnv, note = ''): string {
  const pasts: string[] = [];
  const walk = (n: NodeResult): void => {
    const p = PAST.get(n);
    if (p) pasts.push(p);
    n.children.forEach(walk);
  };
  walk(child);
  const what = pasts.length > 0 ? `: ${pasts.join('; ')}.` : '.';
  return `The deadline of ${longDate(by)}${note} for ${title} was missed${what} Training completed after the deadline does not count toward it; ${env.compiled.program.issuingBody.name} can extend the deadline or waive it.`;
}

/** What a waiver or provisional approval on a deadline means: the date is off, the work is still owed. */
function suspendedSentence(title: string, by: LocalDate | undefined, waiver: Waiver): string {
  const which =
    by === undefined ? `The deadline for ${title}` : `The deadline of ${longDate(by)} for ${title}`;
  const who = `${waiver.reason}, granted by ${waiver.grantedBy}`;
  const how =
    waiver.kind === 'provisional'
      ? `is suspended${waiver.expiresOn ? ` until ${longDate(waiver.expiresOn)}` : ''} (provisional approval: ${who})`
      : `is waived (${who})`;
  return `${which} ${how}; the training is still required.`;
}

function windowOf(leaf: Leaf): { from?: LocalDate; to?: LocalDate } {
  const w: { from?: LocalDate; to?: LocalDate } = { to: leaf.to };
  if (leaf.from !== undefined) w.from = leaf.from;
  return w;
}

function coursesSentence(
  node: CoursesRequirement,
  core: CoursesCore,
  env: TreeEnv,
  blockedBy: string | undefined,
): string {
  const titleOf = (code: string): string => `"${env.compiled.courseByCode.get(code)?.title ?? code}"`;
  const left = core.need - core.have;
  let s: string;
  if (node.count === undefined && core.missingCodes.length > 0) {
    s = `You still need to complete ${joinAnd(core.missingCodes.map(titleOf))} (${node.title}).`;
  } else if (core.missingCodes.length > 0) {
    s = `You still need ${left} more ${plural(left, 'course')} for ${node.title}, from: ${joinOr(core.missingCodes.map(titleOf))}.`;
  } else {
    const set = node.courseSet === undefined ? undefined : env.compiled.setById.get(node.courseSet);
    s = `You still need to complete ${left} ${set?.name ?? ''}${set ? ' ' : ''}${plural(left, 'course')} (${node.title}).`;
  }
  if (blockedBy) s += ` These count once ${blockedBy} is complete.`;
  return s;
}

/**
 * Whether any requirement of the program (initial, renewal or reinstatement)
 * looks at this kind of record at all, ignoring dates and status: records for
 * which this is false are reported as counting toward nothing.
 */
export function programSelects(compiled: CompiledProgram, rec: Rec): boolean {
  const p = compiled.program;
  const roots = [p.initial.requirement];
  if (p.renewal) roots.push(p.renewal.requirement);
  if (p.renewal?.reinstatement?.requirement) roots.push(p.renewal.reinstatement.requirement);
  if (p.renewal?.firstCycle?.requirement) roots.push(p.renewal.firstCycle.requirement);
  const visit = (node: Requirement): boolean => {
    switch (node.type) {
      case 'credits':
        return matchesFilter(rec, node.filter);
      case 'courses': {
        if (rec.courseCode === undefined) return false;
        const set = node.courseSet === undefined ? undefined : compiled.setById.get(node.courseSet);
        const codes = node.courses ?? set?.courses;
        return codes
          ? codes.includes(rec.courseCode)
          : set?.category !== undefined && rec.lineage.includes(set.category);
      }
      case 'allOf':
      case 'anyOf':
      case 'nOf':
        return node.items.some(visit);
      case 'deadline':
        return visit(node.item);
      default:
        return false;
    }
  };
  return roots.some(visit);
}
