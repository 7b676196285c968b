/**
 * Public types of the rules engine: program definitions, credit records,
 * the evaluation context and the explained result. See docs/rules-engine.md.
 */
import type { LocalDate } from '../time/index.js';

export type { LocalDate };

// ---------------------------------------------------------------- program ---

/** Dates a rule can be relative to. `cycleStart`/`cycleEnd` exist only while a renewal cycle is evaluated. */
export type DateAnchor = 'asOf' | 'enrollment' | 'appointment' | 'award' | 'cycleStart' | 'cycleEnd';

/**
 * A fixed local date; an anchor plus an offset ("appointment + 6 months"); a dated person fact the
 * program declares in `personFacts` plus an offset ("6 months after taking office"); or the
 * earliest / latest of several dates ("whichever is sooner"). Dates that are not known (a fact
 * not recorded yet) are left out of `earliest`/`latest`; when none is known the date is unknown.
 */
export type DateRef =
  | LocalDate
  | { anchor: DateAnchor; years?: number; months?: number; days?: number }
  | { anchor: 'fact'; fact: string; years?: number; months?: number; days?: number }
  | { earliest: DateRef[] }
  | { latest: DateRef[] };

/** A dated fact about a person that rules can measure from ("took office", "first served as DEO"). */
export interface PersonFact {
  id: string;
  /** How sentences name the date: "taking office" gives "6 months after taking office". */
  label: string;
  description?: string;
}

/** Which records a rule looks at. Every given field must match (categories include their sub-categories). */
export interface RecordFilter {
  categories?: string[];
  sourceTypes?: string[];
  sponsored?: boolean;
  courses?: string[];
  /**
   * true: only completions of a catalog course (a course code in `courses`); false: only records
   * of no catalog course, such as outside-credit claims of a source type (an outside conference).
   */
  catalog?: boolean;
}

/** Records must be dated inside [from, to] and, with lookBack, within that period before `asOf`. */
export interface RecordWindow {
  from?: DateRef;
  to?: DateRef;
  lookBack?: { years?: number; months?: number; days?: number };
}

interface NodeBase {
  /** Stable id, unique in the program; waivers and `after` refer to it. */
  id: string;
  title: string;
  description?: string;
  /** Only people in one of these cohorts are held to this node; for others it does not apply. */
  appliesTo?: { cohorts: string[] };
}

/** At least `min` credits matching `filter`, with sub-minimums (share from a sponsor) and caps. */
export interface CreditsRequirement extends NodeBase {
  type: 'credits';
  min: number;
  /** The word put before "credits" in sentences: "Management" gives "2 more Management credits". */
  noun?: string;
  filter?: RecordFilter;
  /**
   * Minimums *within* the total: "16 of the 72 must be sponsored". With `per: "year"` the minimum
   * applies to each year of the period ("at least 6 hours in each year of the cycle"); see `caps`.
   */
  minimums?: { id: string; label: string; min: number; filter: RecordFilter; per?: 'year' }[];
  /**
   * At most `max` credits matching `filter` count; the rest is surplus, shown as over cap. With
   * `per: "activity"` the cap applies to each activity separately ("each conference counts for at
   * most 10 hours"): an activity is one catalog course (same course code), or, for a record of no
   * catalog course, the same title on the same date (a record with neither is its own activity).
   * With `per: "year"` it applies to each year of the period ("at most 4 hours of board meetings in
   * any one year of the two"): years are counted from the period's start (the renewal cycle's
   * start, or the requirement's window start) in the program's zone -- year 1 is start to the day
   * before its first anniversary, and so on; the last year may be shorter, and records dated after
   * the period's end (in grace or reinstatement) belong to its last year.
   */
  caps?: { id: string; label: string; max: number; filter: RecordFilter; per?: 'activity' | 'year' }[];
  /**
   * A per-record minimum: a record matching `filter` (default: every record) counts here only if it
   * has at least `min` credits on its own ("an outside event counts only if it had at least 5
   * hours"). Smaller ones are listed as `below_record_minimum`. `label` names such a record in that
   * sentence ("an outside event").
   */
  recordMin?: { min: number; filter?: RecordFilter; label?: string };
  /**
   * `once`: a catalog course completed more than once within the period counts once (the earliest
   * completion); the repeats are listed as `duplicate_course`. Default `each`: every completion counts.
   */
  repeatedCourses?: 'once' | 'each';
  window?: RecordWindow;
  /** Records counted here may count elsewhere too (overrides the program's exclusive counting). */
  shareRecords?: boolean;
  /** `provisional`: a confirmed seat in an upcoming session counts here toward a provisional status. */
  confirmedSeats?: 'provisional';
}

/** Completion of named courses or of a course set, optionally in order or after another requirement. */
export interface CoursesRequirement extends NodeBase {
  type: 'courses';
  courses?: string[];
  courseSet?: string;
  /** How many distinct courses are needed (default: all listed; required for a category-based set). */
  count?: number;
  /** Each listed course must be completed on or after the one before it. */
  inOrder?: boolean;
  /** Completions count only on or after the date these requirements were met ("Year Two after Year One"). */
  after?: string[];
  window?: RecordWindow;
  shareRecords?: boolean;
  /** `provisional`: a confirmed seat in an upcoming session counts here toward a provisional status. */
  confirmedSeats?: 'provisional';
}

export interface ExamRequirement extends NodeBase {
  type: 'exam';
  exam: string;
  minScore: number;
  window?: RecordWindow;
}

export interface ServiceYearsRequirement extends NodeBase {
  type: 'serviceYears';
  minYears: number;
}

export interface AttestationRequirement extends NodeBase {
  type: 'attestation';
  attestation: string;
  /** The statement the official signs. */
  statement?: string;
  window?: RecordWindow;
}

export interface GroupRequirement extends NodeBase {
  type: 'allOf' | 'anyOf';
  items: Requirement[];
}

export interface NOfRequirement extends NodeBase {
  type: 'nOf';
  n: number;
  items: Requirement[];
}

/** The inner requirement must be met by a date; records after it do not count. */
export interface DeadlineRequirement extends NodeBase {
  type: 'deadline';
  by: DateRef;
  item: Requirement;
}

export type Requirement =
  | CreditsRequirement
  | CoursesRequirement
  | ExamRequirement
  | ServiceYearsRequirement
  | AttestationRequirement
  | GroupRequirement
  | NOfRequirement
  | DeadlineRequirement;

export type RequirementType = Requirement['type'];

export interface Category {
  id: string;
  name: string;
  parent?: string;
  description?: string;
}

export interface SourceType {
  id: string;
  name: string;
  /** Evidence a reviewer needs before approving a claim of this type (documentation only). */
  evidence?: string;
}

export interface Course {
  /** Catalog code; the server maps attendance at a session to a completion of this code. */
  code: string;
  title: string;
  credits: number;
  category: string;
  sponsored?: boolean;
  topics?: string[];
  durationMinutes?: number;
}

export interface CourseSet {
  id: string;
  name: string;
  /** Listed course codes, or every course (and course record) in `category`. */
  courses?: string[];
  category?: string;
}

export interface Cohort {
  id: string;
  name: string;
  description?: string;
}

/** A target date the program sets for finishing (informational: it does not stop credits counting). */
export interface ProgramDeadline {
  id: string;
  label: string;
  by: DateRef;
  appliesTo?: { cohorts: string[] };
}

export type ExpiryBasis = 'fixedAnchor' | 'previousExpiry' | 'completionDate';

export interface RenewalPolicy {
  cycleYears: number;
  /**
   * fixedAnchor: every cycle ends on `anchor` (month/day) in the year `cycleYears` after the cycle starts;
   * previousExpiry: the next cycle ends `cycleYears` after the previous due date, however late renewal was;
   * completionDate: the next cycle runs `cycleYears` from the date the renewal was completed.
   */
  expiryBasis: ExpiryBasis;
  anchor?: { month: number; day: number };
  /** Reminder dates, in days before the due date (positive numbers). */
  remindDaysBefore: number[];
  /** Days after the due date during which renewal may still be completed; the status shows renewal due. */
  graceDays: number;
  /**
   * After grace the certification lapses; within a window after grace ends it can be reinstated,
   * after that it expires. The window is `withinDays` days, or `within` years/months/days (applied
   * years, then months, then days to the last day of grace; a day missing in the month clamps to its
   * last day). Give exactly one of them.
   */
  reinstatement?: {
    withinDays?: number;
    within?: { years?: number; months?: number; days?: number };
    requirement?: Requirement;
  };
  /**
   * Which side of the award a record dated on the award day counts toward (it counts once):
   * `award` (the default) counts it toward the initial certification only; `firstCycle` toward the
   * first renewal cycle only, so the award is judged on records dated before the award day.
   */
  awardDayRecords?: 'award' | 'firstCycle';
  /** A first cycle that differs from the others: shorter, prorated, or with its own requirement. */
  firstCycle?: FirstCyclePolicy;
  /** Surplus credits of a cycle that carry into the next one, at most `max`. */
  carryOver?: { max: number; filter?: RecordFilter };
  /** What each cycle needs; records default to the cycle's window. */
  requirement: Requirement;
}

/**
 * The first renewal cycle, when it is not like the others.
 * - `endsOn: "firstAnchor"` (fixedAnchor only): the first cycle ends on the first anchor date on or
 *   after the award (the rest of the award year, with a Dec 31 anchor), not `cycleYears` later.
 * - `requirement`: what the first cycle needs instead of `renewal.requirement`.
 * - `prorate`: a credits node (by id) of the first cycle's requirement whose `min` becomes
 *   `perMonth` x the months of the first cycle, rounded to a whole unit. `months: "whole"` (the
 *   default) counts the calendar months lying wholly inside the cycle (award day to due date, both
 *   included), so the award month counts only when the award is on its 1st; `"started"` counts
 *   every calendar month the cycle touches. `rounding`: `nearest` (the default; a half rounds up),
 *   `up` or `down`.
 */
export interface FirstCyclePolicy {
  endsOn?: 'firstAnchor';
  requirement?: Requirement;
  prorate?: {
    requirement: string;
    perMonth: number;
    months?: 'whole' | 'started';
    rounding?: 'nearest' | 'up' | 'down';
  }[];
}

export interface ProgramDefinition {
  schemaVersion: 1;
  id: string;
  version: string;
  /** Officials enrolling on or after this date are judged by this version. */
  effectiveFrom: LocalDate;
  name: string;
  designation: string;
  issuingBody: { name: string; contact?: string; url?: string };
  /** IANA time zone; every date and deadline is read in it. */
  timeZone: string;
  unit: { singular: string; plural: string };
  sponsor?: { id: string; name: string; adjective: string };
  categories: Category[];
  sourceTypes: SourceType[];
  courses: Course[];
  courseSets: CourseSet[];
  cohorts: Cohort[];
  /** exclusive: one record counts toward one requirement only (allocated); shared: wherever it matches. */
  countingPolicy: 'exclusive' | 'shared';
  /** The dated person facts rules measure from (`{ anchor: 'fact', fact: id }`), besides `appointment`. */
  personFacts?: PersonFact[];
  initial: { requirement: Requirement; deadlines: ProgramDeadline[] };
  award?: { ceremony?: string; applicationDeadline?: { month: number; day: number } };
  renewal?: RenewalPolicy;
  enrollment?: { feeUsd?: number; feeFor?: string; howToPay?: string };
  /** A documented fee per outside credit; charged only when enabled (then by the program setting). */
  claimFee?: { perCreditUsd: number; enabled: boolean; note?: string };
  assumptions: string[];
}

// ---------------------------------------------------------------- records ---

export const recordStatuses = ['approved', 'pending', 'rejected', 'reversed'] as const;
export type RecordStatus = (typeof recordStatuses)[number];

/** One ledger entry of an official's credit. */
export interface CreditRecord {
  id: string;
  personId: string;
  /** "YYYY-MM-DD" (program-local) or an ISO instant, read in the program's zone. */
  date: string;
  /** Credits in the program's unit; defaults to the course's credits when `courseCode` is known. */
  amount?: number;
  /** Defaults to the course's category. */
  category?: string;
  sponsored?: boolean;
  sourceType: string;
  courseCode?: string;
  title?: string;
  status: RecordStatus;
  /** When it was entered or approved; a closed cycle ignores records recorded after it closed. */
  recordedOn?: LocalDate;
}

// ---------------------------------------------------------------- context ---

export interface Award {
  id: string;
  awardedOn: LocalDate;
  number?: string;
  revokedOn?: LocalDate;
  revokedReason?: string;
}

export interface ExamResult {
  exam: string;
  score: number;
  date: LocalDate;
}

export interface Waiver {
  requirementId: string;
  /** waiver: the requirement is treated as met; provisional: met for now, until `expiresOn`. */
  kind: 'waiver' | 'provisional';
  grantedBy: string;
  reason: string;
  grantedOn: LocalDate;
  expiresOn?: LocalDate;
}

export interface Attestation {
  attestation: string;
  date: LocalDate;
}

/**
 * The stored outcome of a closed renewal cycle; the engine uses it instead of
 * recomputing, so a later correction dated inside the cycle does not change it
 * (it is reported as `lateCorrection` on the cycle instead).
 */
export interface ClosedCycle {
  cycleStart: LocalDate;
  outcome: 'renewed' | 'lapsed' | 'reinstated' | 'expired';
  completedOn?: LocalDate;
  /** Ids of the records the cycle counted when it closed; they are not counted by any later cycle. */
  recordIds?: string[];
}

/** A per-person extension of a deadline (a `deadline` node, or a program deadline, by id). */
export interface DeadlineExtension {
  requirementId: string;
  /** The new deadline; it replaces the program's date, whether earlier or later. */
  until: LocalDate;
  reason: string;
  grantedBy?: string;
}

export interface EvaluationContext {
  /** The day (or instant) the evaluation is for. Records dated after it do not count yet. */
  asOf: string;
  personId?: string;
  enrollmentDate?: LocalDate;
  appointmentDate?: LocalDate;
  awards?: Award[];
  examResults?: ExamResult[];
  waivers?: Waiver[];
  attestations?: Attestation[];
  /** Overrides the years computed from the appointment date. */
  yearsOfService?: number;
  cohorts?: string[];
  closedCycles?: ClosedCycle[];
  /**
   * Starts of closed cycles that staff reopened (and that have no stored
   * outcome since): recomputed from the ledger as it is now, records entered
   * after the cycle closed included.
   */
  reopenedCycles?: LocalDate[];
  /** Dates of the program's person facts (`personFacts` ids), for rules measured from them. */
  factDates?: Record<string, LocalDate>;
  /** Per-person deadline extensions; the latest-listed one for a deadline id wins. */
  extensions?: DeadlineExtension[];
  /**
   * Seats the person holds in sessions after asOf (the course code and the session's date). Where
   * the program allows it (`confirmedSeats: "provisional"` on a requirement), what they would
   * complete makes the status provisional.
   */
  confirmedSeats?: ConfirmedSeat[];
}

export interface ConfirmedSeat {
  courseCode: string;
  /** The session's date (program-local). */
  date: LocalDate;
  /** The source type its attendance will be recorded with (default "confirmed-seat"), for filters. */
  sourceType?: string;
}

// ----------------------------------------------------------------- result ---

export const certificationStatuses = [
  'not_started',
  'in_progress',
  'eligible',
  'certified',
  'renewal_due',
  'lapsed',
  'expired',
  'revoked',
] as const;
export type CertificationStatus = (typeof certificationStatuses)[number];

export type NotCountedReason =
  | 'outside_window'
  | 'after_as_of'
  | 'after_deadline'
  | 'over_cap'
  | 'pending_review'
  | 'rejected'
  | 'reversed'
  | 'used_elsewhere'
  | 'used_in_earlier_cycle'
  | 'counted_for_award'
  | 'counted_for_renewal'
  | 'before_cycle'
  | 'later_cycle'
  | 'recorded_after_close'
  | 'wrong_category'
  | 'before_prerequisite'
  | 'out_of_order'
  | 'duplicate_course'
  | 'below_record_minimum'
  | 'unreadable';

export interface CountedRecord {
  recordId: string;
  date: LocalDate;
  /** Credits that counted here (hundredths are kept exact). */
  amount: number;
  courseCode?: string;
  note?: string;
}

export interface NotCountedRecord {
  recordId: string;
  date: LocalDate;
  amount: number;
  reason: NotCountedReason;
  detail: string;
}

export interface PartResult {
  id: string;
  label: string;
  kind: 'minimum' | 'cap';
  have: number;
  /** For a minimum: what is needed; for a cap: the most that counts (of each activity, with `per`). */
  limit: number;
  met: boolean;
  /** `limit` applies to each activity or each year; `have` is the total counted under it. */
  per?: 'activity' | 'year';
  /** A per-year part: each year of the period, what it has, and whether it is met (a cap: never over). */
  years?: YearPart[];
}

export interface YearPart {
  /** 1 for the first year of the period. */
  year: number;
  from: LocalDate;
  to: LocalDate;
  have: number;
  met: boolean;
}

export interface NodeResult {
  id: string;
  type: RequirementType;
  title: string;
  /** False when the node does not apply to this person (cohort); it then counts as met. */
  applicable: boolean;
  met: boolean;
  have: number;
  need: number;
  /** credits, hours, courses, points, years, requirements, attestation */
  unit: string;
  metOn?: LocalDate;
  waiver?: Waiver;
  counted: CountedRecord[];
  notCounted: NotCountedRecord[];
  parts: PartResult[];
  /** What is still missing, in plain language; absent when met. */
  missing?: string;
  children: NodeResult[];
  /** How this node differs for this person or period, e.g. a first cycle's prorated minimum. */
  note?: string;
  /** Resolved record window, when the node has one (a deadline node: `to` is its effective date). */
  window?: { from?: LocalDate; to?: LocalDate };
  /**
   * A deadline node's date: `date` is the effective one (absent while a date it depends on is not
   * recorded); `extension`, when a per-person extension replaced the program's date `programDate`.
   */
  deadline?: DeadlineInfo;
}

export interface DeadlineInfo {
  date?: LocalDate;
  /** The date the program's rule gives (before any extension). */
  programDate?: LocalDate;
  /** How the date is measured, in words that follow "due": "6 months after taking office". */
  rule: string;
  /** One sentence for a page: "Due by March 1, 2027 (extended from December 1, 2026: medical leave)." */
  detail: string;
  extension?: DeadlineExtension;
}

export interface DeadlineResult {
  id: string;
  label: string;
  date?: LocalDate;
  state: 'met' | 'upcoming' | 'missed' | 'not_applicable' | 'unknown';
  /** When the initial requirements were completed (or the award date, if awarded without them); the state is judged on it. */
  completedOn?: LocalDate;
  detail: string;
  /** Set when a per-person extension replaced the program's date (`programDate`). */
  extension?: DeadlineExtension;
  programDate?: LocalDate;
}

export interface CycleResult {
  index: number;
  start: LocalDate;
  due: LocalDate;
  graceEnds: LocalDate;
  reinstateBy?: LocalDate;
  reminders: LocalDate[];
  state: 'future' | 'open' | 'grace' | 'renewed' | 'lapsed' | 'reinstated' | 'expired';
  completedOn?: LocalDate;
  /** True when the outcome came from `context.closedCycles` rather than being recomputed. */
  stored: boolean;
  /**
   * The outcome is final as of `asOf`: renewed and its grace is over, or
   * reinstated or expired and the reinstatement window is over. A closed
   * outcome is what a caller stores (and passes back as `closedCycles`).
   */
  closed: boolean;
  /** Ids of the records counted toward this cycle (renewed or reinstated). */
  recordIds?: string[];
  /**
   * A stored cycle whose outcome the ledger, as it is now, no longer supports:
   * a counted record was reversed, or a record entered after the cycle closed
   * would change the outcome. The stored outcome stands until staff reopen it.
   */
  lateCorrection?: LateCorrection;
  requirement?: NodeResult;
}

export interface LateCorrection {
  /** The outcome a recomputation from the ledger would give now. */
  ledgerState: 'renewed' | 'reinstated' | 'lapsed' | 'expired';
  ledgerCompletedOn?: LocalDate;
  /** Records the stored outcome counted that no longer count (reversed, or no longer approved). */
  withdrawnRecordIds: string[];
  /** One paragraph for staff. */
  detail: string;
}

export interface LifecycleResult {
  award: Award;
  status: CertificationStatus;
  cycles: CycleResult[];
  current?: CycleResult;
  nextDue?: LocalDate;
  nextReminder?: LocalDate;
  /** Last day of certification when it lapsed or expired. */
  lapsedOn?: LocalDate;
  expiredOn?: LocalDate;
}

export interface EvaluationResult {
  programId: string;
  programVersion: string;
  personId?: string;
  asOf: LocalDate;
  status: CertificationStatus;
  /** One sentence saying where the official stands. */
  headline: string;
  /** Everything still missing, in order, as sentences. */
  missing: string[];
  initial: NodeResult;
  lifecycle?: LifecycleResult;
  deadlines: DeadlineResult[];
  /** When eligible and the program awards at a ceremony: the application deadline and ceremony year. */
  nextAward?: { ceremony?: string; applyBy?: LocalDate; year: number };
  provisional: boolean;
  /**
   * Not yet eligible, but the confirmed seats listed here (sessions after asOf, on requirements that
   * allow it) would complete every requirement: the status stays `in_progress`, `provisional` is
   * true and the headline says "Provisionally meets ...".
   */
  pendingSeats?: { courseCode: string; date: LocalDate; title: string }[];
  /** Records that match no requirement at all, and records that could not be read. */
  notCounted: NotCountedRecord[];
}
