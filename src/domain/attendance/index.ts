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
