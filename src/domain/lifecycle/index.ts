/**
 * Certification over time: renewal cycles, due dates, reminders, grace, lapse
 * and reinstatement. `evaluate` (requirements) uses computeLifecycle for
 * awarded officials; the schedule functions serve reminder jobs directly.
 */
export { firstCycle, nextCycle, cycleDates, remindersBetween } from './schedule.js';
export type { CyclePeriod, CycleDates } from './schedule.js';
export { computeLifecycle } from './lifecycle.js';
export type { LifecycleInput, LifecycleOutcome } from './lifecycle.js';
export type {
  CycleResult,
  LifecycleResult,
  ClosedCycle,
  Award,
  CertificationStatus,
} from '../requirements/types.js';
