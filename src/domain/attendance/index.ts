/**
 * Whether attendance earns credit, and how much per category: the course's
 * credit values under the session's completion rule (full credit at or above
 * the completion threshold; below it nothing, or the attended share where the
 * program allows partial credit). Pure; the ledger (server) reconciles the
 * live records of a registration with what this says is due.
 */
import { creditEarned } from '../scheduling/index.js';

export interface AttendanceRules {
  durationMinutes: number;
  /** The share of the session that completes it, in percent. */
  minPercent: number;
  partialAllowed: boolean;
  /** The course's credit values. */
  credits: readonly { category: string; amount: number }[];
}

/** Credit due per category for the minutes attended (categories earning nothing are left out). */
export function attendanceCreditDue(
  rules: AttendanceRules,
  minutesAttended: number | null,
): Map<string, number> {
  const due = new Map<string, number>();
  for (const v of rules.credits) {
    const earned = creditEarned({
      durationMinutes: rules.durationMinutes,
      minutesAttended: minutesAttended ?? 0,
      minPercent: rules.minPercent,
      partialAllowed: rules.partialAllowed,
      amount: v.amount,
    }).amount;
    if (earned > 0) due.set(v.category, (due.get(v.category) ?? 0) + earned);
  }
  return due;
}

/** Whether the credit on the ledger already matches what is due (to a hundredth of a credit). */
export function creditMatches(due: ReadonlyMap<string, number>, have: ReadonlyMap<string, number>): boolean {
  if (due.size !== have.size) return false;
  return [...due].every(([k, v]) => Math.abs((have.get(k) ?? 0) - v) < 0.005);
}

/** The reason written on reversals when attendance changes. */
export function attendanceReason(minutesAttended: number | null, durationMinutes: number): string {
  return `Attendance recorded as ${minutesAttended ?? 0} of ${durationMinutes} minutes.`;
}

/**
 * Why attendance earned less than full credit, in a sentence for the roster
 * and the attendance page ("90 of 180 minutes is below the 90% (162 minutes)
 * …"); null when nothing is recorded yet or the session was completed.
 */
export function attendanceCreditNote(rules: AttendanceRules, minutesAttended: number | null): string | null {
  if (minutesAttended == null) return null;
  const { durationMinutes, minPercent, partialAllowed } = rules;
  const { complete } = creditEarned({
    durationMinutes,
    minutesAttended,
    minPercent,
    partialAllowed,
    amount: 1,
  });
  if (complete) return null;
  if (minutesAttended <= 0) return `Absent (0 of ${durationMinutes} minutes): no credit.`;
  const needed = Math.ceil((minPercent * durationMinutes) / 100);
  const short = `${minutesAttended} of ${durationMinutes} minutes is below the ${minPercent}% (${needed} minutes) needed to complete the course`;
  if (!partialAllowed) return `${short}, and this program gives no partial credit, so no credit was earned.`;
  if (attendanceCreditDue(rules, minutesAttended).size === 0)
    return `${short}; the program gives partial credit for the share attended, but this share rounds down to less than a quarter credit.`;
  return `${short}; the program gives partial credit for the share attended, rounded down to a quarter credit.`;
}

/**
 * An entry sent with the minutes its device last read conflicts when the server's value has
 * changed since, unless the server already holds what the entry sends (nothing to lose).
 */
export function attendanceConflict(
  entry: { minutesAttended: number; expectedMinutes?: number | null | undefined },
  current: number | null,
): string | null {
  if (entry.expectedMinutes === undefined) return null;
  if (current === entry.expectedMinutes || current === entry.minutesAttended) return null;
  const was = entry.expectedMinutes === null ? 'no record' : `${entry.expectedMinutes} minutes`;
  const now = current === null ? 'no record' : `${current} minutes`;
  return `Changed on the server to ${now} since this device read ${was}; this device has ${entry.minutesAttended} minutes.`;
}
