/**
 * Renewal schedule arithmetic: cycle boundaries, due dates, reminders, grace
 * and reinstatement windows. Pure date math on program-local dates; every
 * date is inclusive ("due 2026-12-31" means through the end of that day in
 * the program's zone).
 */
import { addDays, addOffset, addYears, dateInYear, yearOf, type LocalDate } from '../time/index.js';
import type { RenewalPolicy } from '../requirements/types.js';

export interface CyclePeriod {
  start: LocalDate;
  /** Last day of the cycle: renewal is due by the end of this day. */
  due: LocalDate;
}

export interface CycleDates extends CyclePeriod {
  /** Last day renewal may still be completed late (due + graceDays). */
  graceEnds: LocalDate;
  /** Last day a lapsed certification can be reinstated; absent when the program has no reinstatement. */
  reinstateBy?: LocalDate;
  /** Reminder dates, earliest first (due minus each remindDaysBefore). */
  reminders: LocalDate[];
}

type SchedulePolicy = Pick<
  RenewalPolicy,
  'cycleYears' | 'expiryBasis' | 'anchor' | 'remindDaysBefore' | 'graceDays' | 'reinstatement'
> & { firstCycle?: Pick<NonNullable<RenewalPolicy['firstCycle']>, 'endsOn'> | undefined };

function anchorIn(policy: SchedulePolicy, year: number): LocalDate {
  const a = policy.anchor ?? { month: 12, day: 31 };
  return dateInYear(year, a.month, a.day);
}

/** The first cycle after an award on `awardedOn`. */
export function firstCycle(policy: SchedulePolicy, awardedOn: LocalDate): CyclePeriod {
  if (policy.expiryBasis === 'fixedAnchor') {
    if (policy.firstCycle?.endsOn === 'firstAnchor') {
      // The first cycle is the rest of the award's year: up to the first anchor date on or after it.
      const same = anchorIn(policy, yearOf(awardedOn));
      return { start: awardedOn, due: same >= awardedOn ? same : anchorIn(policy, yearOf(awardedOn) + 1) };
    }
    return { start: awardedOn, due: anchorIn(policy, yearOf(awardedOn) + policy.cycleYears) };
  }
  return { start: awardedOn, due: addDays(addYears(awardedOn, policy.cycleYears), -1) };
}

/**
 * The cycle after `prev`. `completedOn` is when `prev` was renewed (or
 * reinstated); only the completionDate basis uses it. `awardedOn`, when given,
 * is what previousExpiry anniversaries are counted from: each due date is the
 * day before an anniversary of the award, so a February 29 award does not
 * drift (building on an already-clamped due date would end a cycle on Feb 27
 * of a leap year).
 */
export function nextCycle(
  policy: SchedulePolicy,
  prev: CyclePeriod,
  completedOn: LocalDate | undefined,
  awardedOn?: LocalDate,
): CyclePeriod {
  switch (policy.expiryBasis) {
    case 'fixedAnchor':
      return { start: addDays(prev.due, 1), due: anchorIn(policy, yearOf(prev.due) + policy.cycleYears) };
    case 'completionDate': {
      const base = completedOn ?? prev.due;
      return { start: addDays(base, 1), due: addYears(base, policy.cycleYears) };
    }
    case 'previousExpiry':
    default: {
      const start = addDays(prev.due, 1);
      if (awardedOn === undefined) return { start, due: addDays(addYears(start, policy.cycleYears), -1) };
      // The first anniversary (a multiple of cycleYears) whose eve falls after the previous due date.
      let k = Math.max(1, Math.round((yearOf(start) - yearOf(awardedOn)) / policy.cycleYears));
      while (addDays(addYears(awardedOn, k * policy.cycleYears), -1) <= prev.due) k += 1;
      return { start, due: addDays(addYears(awardedOn, k * policy.cycleYears), -1) };
    }
  }
}

/**
 * Calendar months of a period (both days included): `whole` counts the months lying wholly inside
 * it, `started` every month it touches.
 */
export function monthsOf(start: LocalDate, end: LocalDate, how: 'whole' | 'started'): number {
  if (end < start) return 0;
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [ey, em] = end.split('-').map(Number) as [number, number, number];
  const touched = (ey - sy) * 12 + (em - sm) + 1;
  if (how === 'started') return touched;
  let whole = touched;
  if (sd !== 1) whole -= 1;
  // The last month is whole only if the period runs to its last day.
  if (addDays(end, 1).slice(8) !== '01') whole -= 1;
  return Math.max(0, whole);
}

/** Grace, reinstatement and reminder dates of a cycle. */
export function cycleDates(policy: SchedulePolicy, period: CyclePeriod): CycleDates {
  const graceEnds = addDays(period.due, policy.graceDays);
  const reminders = [...new Set(policy.remindDaysBefore)]
    .sort((a, b) => b - a)
    .map((d) => addDays(period.due, -d))
    .filter((d) => d >= period.start);
  const out: CycleDates = { ...period, graceEnds, reminders };
  const r = policy.reinstatement;
  if (r) out.reinstateBy = r.within ? addOffset(graceEnds, r.within) : addDays(graceEnds, r.withinDays ?? 0);
  return out;
}

/** The reminder dates that fall on or before asOf and after the previous evaluation (for a reminder job). */
export function remindersBetween(
  dates: CycleDates,
  afterExclusive: LocalDate,
  upToInclusive: LocalDate,
): LocalDate[] {
  return dates.reminders.filter((d) => d > afterExclusive && d <= upToInclusive);
}
