/**
 * Certification over time: from an award, walk the renewal cycles up to asOf.
 * Each cycle is its own period: it counts only records dated inside it (up to
 * the end of grace, or of the reinstatement window), never a record an earlier
 * cycle used, and once closed it ignores records recorded after it closed, so
 * its outcome does not change afterwards. Records dated before it (the award
 * day's too, unless the program counts those toward the first cycle) are
 * listed with a reason, and a cycle renewed late takes only the records after
 * its due date that it needs. Stored outcomes (`closedCycles`) win over
 * recomputation.
 */
import { addDays, type LocalDate } from '../time/index.js';
import type { Rec } from '../requirements/compile.js';
import { evaluateTree, type TreeEnv } from '../requirements/tree.js';
import { longDate } from '../requirements/explain.js';
import { matchesFilter, toHundredths } from '../requirements/compile.js';
import type {
  Award,
  ClosedCycle,
  CreditsRequirement,
  CycleResult,
  LateCorrection,
  LifecycleResult,
  NodeResult,
  NotCountedReason,
  RenewalPolicy,
  Requirement,
} from '../requirements/types.js';
import { cycleDates, firstCycle, monthsOf, nextCycle, type CyclePeriod } from './schedule.js';
import { fmtAmount, unitWord } from '../requirements/explain.js';

const MAX_CYCLES = 500;

export interface LifecycleInput {
  policy: RenewalPolicy | undefined;
  award: Award;
  recs: readonly Rec[];
  /** The environment the initial tree used; cycle fields are filled in here. */
  env: TreeEnv;
  closedCycles: readonly ClosedCycle[];
  /** Starts of cycles staff reopened: recomputed from the ledger, late entries included. */
  reopenedCycles?: readonly LocalDate[];
}

export interface LifecycleOutcome {
  result: LifecycleResult;
  /** Ids of records some cycle's requirement looked at. */
  matchedIds: Set<string>;
}

export function computeLifecycle(input: LifecycleInput): LifecycleOutcome {
  const { policy, award, env } = input;
  const asOf = env.asOf;
  const matchedIds = new Set<string>();
  if (award.revokedOn !== undefined && award.revokedOn <= asOf)
    return { result: { award, status: 'revoked', cycles: [] }, matchedIds };
  if (!policy) return { result: { award, status: 'certified', cycles: [] }, matchedIds };

  const cycles: CycleResult[] = [];
  const used = new Map<string, { reason: NotCountedReason; detail: string }>();
  let carry: Rec[] = [];
  let period: CyclePeriod = firstCycle(policy, award.awardedOn);
  const result: LifecycleResult = { award, status: 'certified', cycles };

  const first = firstCycleRequirement(policy, period, env.compiled.program.unit);
  for (let index = 1; index <= MAX_CYCLES; index += 1) {
    const requirement = index === 1 ? first.requirement : policy.requirement;
    const dates = cycleDates(policy, period);
    const lastCountable = dates.reinstateBy ?? dates.graceEnds;
    // A lapsed cycle is not final (it may still be reinstated), so a stored "lapsed" is recomputed.
    const stored = input.closedCycles.find((c) => c.cycleStart === period.start && c.outcome !== 'lapsed');
    // A reopened cycle is recomputed from the ledger as it is now, late entries included.
    const reopened = !stored && (input.reopenedCycles ?? []).includes(period.start);
    const cutoff = asOf > lastCountable && !reopened;
    const records = carry.length > 0 ? [...carry, ...input.recs] : input.recs;
    // Every record dated before the cycle is explained here, not silently dropped.
    const excluded = new Map(used);
    for (const r of input.recs) {
      if (r.date > period.start || excluded.has(r.id)) continue;
      if (index === 1 && r.date === award.awardedOn) {
        if (policy.awardDayRecords !== 'firstCycle')
          excluded.set(r.id, {
            reason: 'counted_for_award',
            detail: `Dated ${longDate(r.date)}, the day of the award: it counts toward the award, not toward renewal.`,
          });
      } else if (r.date < period.start)
        excluded.set(
          r.id,
          index === 1
            ? {
                reason: 'counted_for_award',
                detail: `Dated ${longDate(r.date)}, before the award on ${longDate(award.awardedOn)}: it counts toward the award, not toward renewal.`,
              }
            : {
                reason: 'before_cycle',
                detail: `Dated ${longDate(r.date)}, before this renewal cycle began on ${longDate(period.start)}.`,
              },
        );
    }
    // A stored outcome is not recomputed; the ledger's view of it (late entries included) is
    // compared, to flag late corrections. Without stored record ids, what the cycle counted is
    // taken from the records entered before it closed.
    const judged = judgeCycle({
      policy,
      requirement,
      period,
      dates,
      records,
      recs: input.recs,
      env,
      excluded,
      cutoff: cutoff && !stored?.recordIds,
      ...(index === 1 ? { notes: first.notes } : {}),
    });
    if (!judged) break;
    const ledger =
      stored && cutoff && !stored.recordIds
        ? judgeCycle({
            policy,
            requirement,
            period,
            dates,
            records,
            recs: input.recs,
            env,
            excluded,
            cutoff: false,
          })
        : judged;
    let root = judged.root;

    const cycle: CycleResult = {
      index,
      start: period.start,
      due: period.due,
      graceEnds: dates.graceEnds,
      reminders: dates.reminders,
      state: 'open',
      stored: stored !== undefined,
      closed: false,
      requirement: root,
    };
    if (dates.reinstateBy !== undefined) cycle.reinstateBy = dates.reinstateBy;
    cycles.push(cycle);

    let completedOn: LocalDate | undefined;
    let outcome: 'renewed' | 'reinstated' | undefined;
    let countedIds: string[];
    if (stored) {
      cycle.closed = true;
      // What the stored outcome counted stays counted (and out of later cycles), even if since reversed.
      countedIds =
        stored.recordIds ??
        [...judged.counted].filter((id) => {
          const r = input.recs.find((x) => x.id === id);
          return r !== undefined && (stored.completedOn === undefined || r.date <= stored.completedOn);
        });
      if (stored.recordIds) {
        const ids = new Set(stored.recordIds);
        const shown = evaluateTree(
          requirement,
          records.filter((r) => ids.has(r.id)),
          { ...judged.env, windowTo: asOf < lastCountable ? asOf : lastCountable, recordedBy: undefined },
        );
        root = shown.root;
        cycle.requirement = root;
      }
      for (const id of countedIds) matchedIds.add(id);
      const lc = ledger ? lateCorrectionOf(stored, ledger, input.recs, asOf, lastCountable) : undefined;
      if (lc) cycle.lateCorrection = lc;
    } else {
      countedIds = [...judged.counted];
      for (const id of judged.matched) matchedIds.add(id);
      outcome = judged.outcome;
      completedOn = judged.completedOn;
    }
    if (countedIds.length > 0 && (stored?.outcome ?? outcome) !== 'expired') cycle.recordIds = countedIds;

    if (stored && (stored.outcome === 'renewed' || stored.outcome === 'reinstated')) {
      outcome = stored.outcome;
      completedOn = stored.completedOn ?? period.due;
    } else if (stored && stored.outcome === 'expired') {
      // As the computed expiry below reads: the cycle it was due in, lapsed after grace.
      cycle.state = 'expired';
      result.status = 'expired';
      result.nextDue = period.due;
      result.lapsedOn = addDays(dates.graceEnds, 1);
      result.expiredOn = addDays(lastCountable, 1);
      result.current = cycle;
      break;
    }
    // A renewal on time is final once grace is over; otherwise once the reinstatement window is.
    if (!stored && outcome !== undefined)
      cycle.closed = asOf > (outcome === 'renewed' ? dates.graceEnds : lastCountable);

    if (outcome && completedOn !== undefined) {
      cycle.state = outcome;
      cycle.completedOn = completedOn;
      const detail = `Counted in the renewal cycle ending ${longDate(period.due)}.`;
      for (const id of countedIds) used.set(id, { reason: 'used_in_earlier_cycle', detail });
      const next = nextCycle(policy, period, completedOn, award.awardedOn);
      carry = policy.carryOver ? carryOver(root, records, policy, period, next.start) : [];
      if (next.start > asOf) {
        result.status = 'certified';
        result.current = cycle;
        result.nextDue = next.due;
        const nextDates = cycleDates(policy, next);
        const reminder = nextDates.reminders[0];
        if (reminder !== undefined) result.nextReminder = reminder;
        break;
      }
      period = next;
      continue;
    }

    // Not (yet) renewed.
    result.current = cycle;
    result.nextDue = period.due;
    const upcoming = dates.reminders.find((d) => d > asOf);
    if (upcoming !== undefined) result.nextReminder = upcoming;
    const firstReminder = dates.reminders[0] ?? period.due;
    if (asOf <= period.due) {
      cycle.state = 'open';
      result.status = asOf >= firstReminder ? 'renewal_due' : 'certified';
    } else if (asOf <= dates.graceEnds) {
      cycle.state = 'grace';
      result.status = 'renewal_due';
    } else if (dates.reinstateBy !== undefined && asOf <= dates.reinstateBy) {
      cycle.state = 'lapsed';
      result.status = 'lapsed';
      result.lapsedOn = addDays(dates.graceEnds, 1);
    } else {
      cycle.state = 'expired';
      cycle.closed = true;
      result.status = 'expired';
      result.lapsedOn = addDays(dates.graceEnds, 1);
      result.expiredOn = addDays(lastCountable, 1);
    }
    break;
  }
  return { result, matchedIds };
}

interface Judged {
  root: NodeResult;
  /** The environment of the last stage evaluated. */
  env: TreeEnv;
  /** Ids the requirement looked at, and ids it counted. */
  matched: Set<string>;
  counted: Set<string>;
  outcome?: 'renewed' | 'reinstated';
  completedOn?: LocalDate;
}

/**
 * One cycle judged from the records: by the due date; then, only if still short, through grace;
 * then through reinstatement (and the reinstatement requirement, if any). So a cycle renewed on
 * time never reaches into the next cycle's records. With `cutoff`, records entered after the
 * cycle's last countable day do not count.
 */
function judgeCycle(a: {
  policy: RenewalPolicy;
  requirement: Requirement;
  period: CyclePeriod;
  dates: ReturnType<typeof cycleDates>;
  records: readonly Rec[];
  recs: readonly Rec[];
  env: TreeEnv;
  excluded: Map<string, { reason: NotCountedReason; detail: string }>;
  cutoff: boolean;
  /** Notes to put on nodes of the result by id (a first cycle's prorated minimum). */
  notes?: ReadonlyMap<string, string>;
}): Judged | undefined {
  const { policy, period, dates, records, env, excluded } = a;
  const asOf = env.asOf;
  const lastCountable = dates.reinstateBy ?? dates.graceEnds;
  const stages = [period.due, dates.graceEnds];
  if (dates.reinstateBy !== undefined) stages.push(dates.reinstateBy);
  let tree: ReturnType<typeof evaluateTree> | undefined;
  let cycleEnv: TreeEnv = env;
  for (const stageEnd of stages) {
    const windowTo = asOf < stageEnd ? asOf : stageEnd;
    cycleEnv = {
      ...env,
      anchors: { ...env.anchors, cycleStart: period.start, cycleEnd: period.due },
      windowFrom: period.start,
      windowTo,
      excluded,
    };
    if (a.cutoff) cycleEnv.recordedBy = lastCountable;
    // Records after this stage (unless merely after asOf) are not this cycle's business.
    const inScope = records.filter((r) => r.date <= windowTo || windowTo === asOf);
    tree = evaluateTree(a.requirement, inScope, cycleEnv);
    if (tree.root.met && stageEnd !== period.due) {
      // Renewed late: the records after the due date are also the next cycle's, so this cycle
      // takes only the earliest of them that it needs; the rest are left for the next cycle.
      tree = takeOnlyWhatIsNeeded(a.requirement, inScope, cycleEnv, period.due) ?? tree;
    }
    if (tree.root.met || asOf <= stageEnd) break;
  }
  if (!tree) return undefined;
  if (a.notes) addNotes(tree.root, a.notes);
  const matched = new Set(tree.matchedIds);
  let root = tree.root;
  const out: Judged = { root, env: cycleEnv, matched, counted: new Set() };
  if (root.met) {
    let completedOn = root.metOn ?? asOf;
    if (completedOn <= dates.graceEnds) out.outcome = 'renewed';
    else {
      // Late: the reinstatement requirement (if any) must also be met inside the reinstatement window.
      const extra = policy.reinstatement?.requirement;
      if (extra) {
        // A record counts once: what the renewal requirement counted is not counted again here,
        // and the reinstatement takes only the records it needs (the rest are the next cycle's).
        const renewalCounted = new Map(cycleEnv.excluded ?? []);
        const detail = 'Counted toward the renewal requirement of this cycle.';
        forEachCounted(root, (id) => renewalCounted.set(id, { reason: 'used_elsewhere', detail }));
        const extraEnv: TreeEnv = {
          ...cycleEnv,
          windowFrom: addDays(dates.graceEnds, 1),
          excluded: renewalCounted,
        };
        const full = evaluateTree(extra, a.recs, extraEnv);
        const extraTree = full.root.met
          ? (takeOnlyWhatIsNeeded(extra, a.recs, extraEnv, dates.graceEnds) ?? full)
          : full;
        for (const id of extraTree.matchedIds) matched.add(id);
        root = { ...root, children: [...root.children, extraTree.root] };
        if (extraTree.root.met) {
          out.outcome = 'reinstated';
          const d = extraTree.root.metOn ?? asOf;
          if (d > completedOn) completedOn = d;
        }
      } else out.outcome = 'reinstated';
    }
    if (out.outcome) out.completedOn = completedOn;
  }
  out.root = root;
  forEachCounted(root, (id) => out.counted.add(id));
  return out;
}

/** How the ledger as it is now disagrees with a stored outcome, if it does. */
function lateCorrectionOf(
  stored: ClosedCycle,
  ledger: Judged,
  recs: readonly Rec[],
  asOf: LocalDate,
  lastCountable: LocalDate,
): LateCorrection | undefined {
  const ledgerState = ledger.outcome ?? (asOf > lastCountable ? 'expired' : 'lapsed');
  const live = new Set(recs.filter((r) => r.status === 'approved').map((r) => r.id));
  const withdrawn = (stored.recordIds ?? []).filter((id) => !live.has(id));
  const sameOutcome =
    ledgerState === stored.outcome &&
    (stored.completedOn === undefined || ledger.completedOn === stored.completedOn);
  if (sameOutcome && withdrawn.length === 0) return undefined;
  const was = `${stored.outcome}${stored.completedOn ? ` on ${longDate(stored.completedOn)}` : ''}`;
  const now = `${ledgerState}${ledger.completedOn ? ` on ${longDate(ledger.completedOn)}` : ''}`;
  const parts = [
    withdrawn.length > 0
      ? `${withdrawn.length === 1 ? 'A record' : `${withdrawn.length} records`} counted when this cycle closed ${withdrawn.length === 1 ? 'has' : 'have'} since been reversed or withdrawn.`
      : 'Records entered after this cycle closed change its outcome.',
    sameOutcome
      ? `Recomputed from the ledger the cycle would still be ${now}.`
      : `Recomputed from the ledger the cycle would be ${now}, not ${was}.`,
    'The stored outcome stands until staff reopen the cycle.',
  ];
  const out: LateCorrection = { ledgerState, withdrawnRecordIds: withdrawn, detail: parts.join(' ') };
  if (ledger.completedOn !== undefined) out.ledgerCompletedOn = ledger.completedOn;
  return out;
}

/**
 * The cycle's result when it may use only the shortest run (in date order) of the records dated
 * after its due date that still meets it; the records after that run are listed as `later_cycle`.
 * Undefined when every such record is needed.
 */
function takeOnlyWhatIsNeeded(
  requirement: Requirement,
  recs: readonly Rec[],
  env: TreeEnv,
  due: LocalDate,
): ReturnType<typeof evaluateTree> | undefined {
  const late = recs.filter(
    (r) => r.date > due && r.carriedFrom === undefined && !(env.excluded?.has(r.id) ?? false),
  );
  const detail = 'Not needed to renew this cycle late, so it counts toward the next renewal cycle.';
  const withFirst = (n: number): ReturnType<typeof evaluateTree> => {
    const excluded = new Map(env.excluded ?? []);
    for (const r of late.slice(n)) excluded.set(r.id, { reason: 'later_cycle', detail });
    return evaluateTree(requirement, recs, { ...env, excluded });
  };
  // Meeting the requirement only gets easier with more records, so search for the shortest run.
  let lo = 0;
  let hi = late.length;
  let best: ReturnType<typeof evaluateTree> | undefined;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const t = withFirst(mid);
    if (t.root.met) {
      hi = mid;
      best = t;
    } else lo = mid + 1;
  }
  return best;
}

/**
 * The first cycle's requirement: `firstCycle.requirement` or the renewal requirement, with the
 * prorated minimums of `firstCycle.prorate` worked out from the months of the first cycle.
 */
function firstCycleRequirement(
  policy: RenewalPolicy,
  period: CyclePeriod,
  unit: { singular: string; plural: string },
): { requirement: Requirement; notes: Map<string, string> } {
  const fc = policy.firstCycle;
  const notes = new Map<string, string>();
  const base = fc?.requirement ?? policy.requirement;
  if (!fc?.prorate || fc.prorate.length === 0) return { requirement: base, notes };
  const mins = new Map<string, number>();
  for (const p of fc.prorate) {
    const how = p.months ?? 'whole';
    const months = monthsOf(period.start, period.due, how);
    const exact = Math.round(p.perMonth * 100) * months;
    const rounding = p.rounding ?? 'nearest';
    const whole =
      rounding === 'up'
        ? Math.ceil(exact / 100) * 100
        : rounding === 'down'
          ? Math.floor(exact / 100) * 100
          : Math.floor((exact + 50) / 100) * 100;
    mins.set(p.requirement, whole / 100);
    notes.set(
      p.requirement,
      `Prorated for the first cycle: ${months} ${how === 'whole' ? 'whole ' : ''}${months === 1 ? 'month' : 'months'} from ${longDate(period.start)} to ${longDate(period.due)} at ${fmtAmount(Math.round(p.perMonth * 100))} ${unitWord(Math.round(p.perMonth * 100), unit)} a month is ${fmtAmount(exact)}, rounded ${rounding === 'nearest' ? 'to' : rounding} ${rounding === 'nearest' ? '' : 'to '}${fmtAmount(whole)} ${unitWord(whole, unit)}.`,
    );
  }
  const swap = (node: Requirement): Requirement => {
    switch (node.type) {
      case 'credits': {
        const min = mins.get(node.id);
        return min === undefined ? node : { ...node, min };
      }
      case 'allOf':
      case 'anyOf':
      case 'nOf':
        return { ...node, items: node.items.map(swap) };
      case 'deadline':
        return { ...node, item: swap(node.item) };
      default:
        return node;
    }
  };
  return { requirement: swap(base), notes };
}

function addNotes(node: NodeResult, notes: ReadonlyMap<string, string>): void {
  const note = notes.get(node.id);
  if (note !== undefined) node.note = note;
  for (const child of node.children) addNotes(child, notes);
}

function forEachCounted(node: NodeResult, fn: (recordId: string) => void): void {
  for (const c of node.counted) fn(c.recordId);
  for (const child of node.children) forEachCounted(child, fn);
}

/**
 * Surplus of a renewed cycle carried into the next: for each credits
 * requirement that has more than it needs, the most recent counted credits
 * beyond the need (matching the carry-over filter), up to the policy's max,
 * never taking what a minimum within that requirement needed.
 * `recs` are the records the cycle saw, its carried-in copies included: those
 * counted once more here and are never carried a second time.
 */
function carryOver(
  root: NodeResult,
  recs: readonly Rec[],
  policy: RenewalPolicy,
  period: CyclePeriod,
  start: LocalDate,
): Rec[] {
  const co = policy.carryOver;
  if (!co) return [];
  // A carried copy shares its original's id; the original was used by an earlier cycle, so a
  // counted id that has a carried copy here was counted as that copy, which never carries again.
  const byId = new Map<string, Rec>();
  for (const r of recs) if (!byId.has(r.id) || r.carriedFrom !== undefined) byId.set(r.id, r);
  const creditsById = new Map<string, CreditsRequirement>();
  const index = (r: Requirement): void => {
    if (r.type === 'credits') creditsById.set(r.id, r);
    else if (r.type === 'allOf' || r.type === 'anyOf' || r.type === 'nOf') r.items.forEach(index);
    else if (r.type === 'deadline') index(r.item);
  };
  index(policy.requirement);
  if (policy.firstCycle?.requirement) index(policy.firstCycle.requirement);
  if (policy.reinstatement?.requirement) index(policy.reinstatement.requirement);
  let room = toHundredths(co.max);
  const out: Rec[] = [];
  const visit = (node: NodeResult): void => {
    if (room <= 0) return;
    const def = node.type === 'credits' && node.met ? creditsById.get(node.id) : undefined;
    if (def) {
      let surplus = toHundredths(node.have) - toHundredths(node.need);
      // A minimum within the total ("3 of the 10 sponsored") keeps what it needs: only its own
      // surplus may leave with a record that counts toward it.
      // A per-year minimum keeps what its leanest year has to spare.
      const mins = (def.minimums ?? []).map((m) => {
        const part = node.parts.find((x) => x.id === m.id);
        const haves = part?.years ? part.years.map((y) => y.have) : [part?.have ?? 0];
        return {
          filter: m.filter,
          slack: Math.min(...haves.map((h) => toHundredths(h) - toHundredths(m.min))),
        };
      });
      for (let i = node.counted.length - 1; i >= 0 && surplus > 0 && room > 0; i -= 1) {
        const c = node.counted[i];
        const rec = c ? byId.get(c.recordId) : undefined;
        if (!c || !rec || rec.carriedFrom !== undefined || !matchesFilter(rec, co.filter)) continue;
        const bound = mins.filter((m) => matchesFilter(rec, m.filter));
        const take = Math.min(toHundredths(c.amount), surplus, room, ...bound.map((m) => m.slack));
        if (take <= 0) continue;
        for (const m of bound) m.slack -= take;
        surplus -= take;
        room -= take;
        out.push({ ...rec, amount: take, date: start, recordedOn: start, carriedFrom: period.due });
      }
    }
    node.children.forEach(visit);
  };
  visit(root);
  return out;
}
