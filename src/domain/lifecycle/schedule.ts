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
>;

function anchorIn(policy: SchedulePolicy, year: number): LocalDate {
  const a = policy.anchor ?? { month: 12, day: 31 };
  return dateInYear(year, a.month, a.day);
}

/** The first cycle after an award on `awardedOn`. */
export function firstCycle(policy: SchedulePolicy, awardedOn: LocalDate): CyclePeriod {
  if (policy.expiryBasis === 'fixedAnchor')
    return { start: awardedOn, due: anchorIn(policy, yearOf(awardedOn) + policy.cycleYears) };
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
