/**
 * Who may register for a session, and when: the registration window of a
 * session, and eligibility for its course (renewal courses only for certified
 * officials; prerequisites completed first, or booked in an earlier session: ADR 0033). Pure; the server loads the
 * session, the person's current awards and completed courses, and applies
 * these decisions under its locks.
 */
import { localDateOf, type LocalDate } from '../time/index.js';

// ---------------------------------------------------------------- windows

export interface WindowTimes {
  startsAt: string;
  endsAt: string;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
}

/** What is wrong with a session's times, naming the field; null when they are consistent. */
export function windowIssue(w: WindowTimes): { field: keyof WindowTimes; message: string } | null {
  const starts = Date.parse(w.startsAt);
  if (Date.parse(w.endsAt) <= starts) return { field: 'endsAt', message: 'The end must be after the start.' };
  const opens = w.registrationOpensAt ? Date.parse(w.registrationOpensAt) : null;
  const closes = w.registrationClosesAt ? Date.parse(w.registrationClosesAt) : null;
  if (opens !== null && opens >= starts)
    return { field: 'registrationOpensAt', message: 'Registration must open before the session starts.' };
  if (opens !== null && closes !== null && closes <= opens)
    return { field: 'registrationClosesAt', message: 'Registration must close after it opens.' };
  // Nobody can register once a session has started, so a later closing time would be a promise we break.
  if (closes !== null && closes > starts)
    return {
      field: 'registrationClosesAt',
      message: 'Registration must close no later than the session starts.',
    };
  return null;
}

/** A warning that does not stop a change: the field it is about and what to check. */
export interface FieldWarning {
  field: string;
  message: string;
}

/**
 * What a coordinator should look at again when scheduling a session, without
 * being stopped: a start already past (nobody can register for it; it is
 * there to record attendance for a session that took place).
 */
export function scheduleWarnings(w: Pick<WindowTimes, 'startsAt'>, nowMs: number): FieldWarning[] {
  if (Date.parse(w.startsAt) > nowMs) return [];
  return [
    {
      field: 'startsAt',
      message:
        'This session starts in the past, so officials cannot register for it. Check the date; keep it only to record attendance for a session that took place.',
    },
  ];
}

export interface SessionWindow {
  status: string;
  startsAt: string;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  /** The session's zone: the opening day is told in it. */
  timeZone: string;
}

/**
 * Why nobody may register now (null when registration is open). Staff
 * registering someone are not held to the window, only to the session not
 * having started and not being cancelled.
 */
export function registrationRefusal(s: SessionWindow, nowMs: number, staffRegistrar: boolean): string | null {
  if (s.status === 'cancelled') return 'This session is cancelled.';
  if (s.status === 'completed' || Date.parse(s.startsAt) <= nowMs)
    return 'This session has already started; registration is closed.';
  if (staffRegistrar) return null;
  if (s.registrationOpensAt && Date.parse(s.registrationOpensAt) > nowMs)
    return `Registration opens on ${localDateOf(Date.parse(s.registrationOpensAt), s.timeZone)}.`;
  if (s.registrationClosesAt && Date.parse(s.registrationClosesAt) <= nowMs)
    return 'Registration for this session has closed.';
  return null;
}

// ---------------------------------------------------------------- eligibility

export interface CourseEligibility {
  /** A renewal course: only for officials holding the certification. */
  renewal: boolean;
  /** Course codes to complete first. */
  prerequisites: readonly string[];
}

export interface RegistrantFacts {
  /** The person's current awards in the course's program (heads of their chains), with any revocation day. */
  awards: readonly { revokedOn: LocalDate | null }[];
  /** Course codes the ledger shows completed (net approved credit above zero). */
  completedCourses: ReadonlySet<string>;
  /**
   * Course codes in which the person holds a confirmed seat in a session that ends before this
   * one starts and whose attendance is not recorded yet (ADR 0033): a prerequisite still pending.
   */
  heldSeats?: ReadonlySet<string>;
}

/**
 * Whether a current award is in force for registration on `today`: not
 * revoked, or revoked only from a later day. Lapsed officials may take the
 * renewal course, since completing it reinstates them.
 */
export function holdsCertification(awards: RegistrantFacts['awards'], today: LocalDate): boolean {
  return awards.some((a) => a.revokedOn === null || a.revokedOn > today);
}

/**
 * Where a person stands on a course's prerequisites (ADR 0033): `missing`, neither completed nor
 * held in an earlier session; `pending`, not completed but held in a session that ends before
 * this one starts. A registration with pending prerequisites is provisional: it rests on them.
 */
export function prerequisiteStanding(
  course: Pick<CourseEligibility, 'prerequisites'>,
  facts: Pick<RegistrantFacts, 'completedCourses' | 'heldSeats'>,
): { missing: string[]; pending: string[] } {
  const open = course.prerequisites.filter((code) => !facts.completedCourses.has(code));
  return {
    missing: open.filter((code) => !facts.heldSeats?.has(code)),
    pending: open.filter((code) => !!facts.heldSeats?.has(code)),
  };
}

/** What a roster or the official is told about a registration's prerequisites, or null when they are completed. */
export function prerequisiteNote(standing: { missing: string[]; pending: string[] }): string | null {
  if (standing.missing.length)
    return `Prerequisite not yet met: ${standing.missing.join(', ')} is neither completed nor booked in an earlier session.`;
  if (standing.pending.length)
    return `Provisional: rests on a seat in ${standing.pending.join(', ')}, which ends before this session starts and is not completed yet.`;
  return null;
}

/** Why this person may not take the course (null when they may). */
export function eligibilityRefusal(
  course: CourseEligibility,
  facts: RegistrantFacts,
  today: LocalDate,
): string | null {
  if (course.renewal && !holdsCertification(facts.awards, today))
    return 'Renewal courses are open only to certified officials.';
  const { missing } = prerequisiteStanding(course, facts);
  if (missing.length)
    return `Complete ${missing.join(', ')} first, or hold a seat in a session of ${missing.length === 1 ? 'it' : 'them'} that ends before this one starts: ${missing.length === 1 ? 'it is a prerequisite' : 'they are prerequisites'} of this course.`;
  return null;
}
