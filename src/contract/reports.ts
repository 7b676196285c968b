import { z } from 'zod';
import { certificationStatus } from './awards.js';
import { pageInfo, pageQuery, uuidSchema } from './common.js';

/** `?programId=…&asOf=…&format=csv|xlsx` for every report; asOf defaults to today in the program's zone. */
export const reportQuery = z.strictObject({
  programId: uuidSchema,
  asOf: z.iso.date({ message: 'As-of date must be a date like 2026-11-23.' }).optional(),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const reportNames = [
  'coverage',
  'cohorts',
  'funnel',
  'session-fill',
  'renewal',
  'turnaround',
] as const;
export type ReportName = (typeof reportNames)[number];

const programRef = z.object({ id: z.string(), code: z.string(), name: z.string(), timeZone: z.string() });

export const reportOfficial = z.object({
  personId: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  countyFips: z.string().nullable(),
  county: z.string().nullable(),
  status: certificationStatus,
});
export type ReportOfficial = z.infer<typeof reportOfficial>;

export const countyStatus = z.enum(['certified', 'in_progress', 'none']);
export type CountyStatus = z.infer<typeof countyStatus>;

export const coverageReport = z.object({
  stateFips: z.string().nullable(),
  stateName: z.string().nullable(),
  totals: z.object({ certified: z.number(), in_progress: z.number(), none: z.number() }),
  counties: z.array(
    z.object({
      fips: z.string(),
      name: z.string(),
      status: countyStatus,
      officials: z.number(),
      certified: z.number(),
      inProgress: z.number(),
    }),
  ),
});
export type CoverageReport = z.infer<typeof coverageReport>;

export const deadlineState = z.enum(['met', 'upcoming', 'missed', 'not_applicable', 'unknown']);

/** A cohort member and where they stand against the cohort's deadline. */
export const cohortOfficial = reportOfficial.extend({
  deadlineState,
  completedOn: z.string().nullable(),
  have: z.number(),
  need: z.number(),
});
export type CohortOfficial = z.infer<typeof cohortOfficial>;

export const cohortReport = z.object({
  cohorts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      deadline: z.object({ id: z.string(), label: z.string(), date: z.string().nullable() }).nullable(),
      members: z.number(),
      met: z.number(),
      upcoming: z.number(),
      missed: z.number(),
      completed: z.number(),
    }),
  ),
});
export type CohortReport = z.infer<typeof cohortReport>;

export const funnelReport = z.object({
  stages: z.array(z.object({ id: z.string(), label: z.string(), count: z.number() })),
  statuses: z.record(z.string(), z.number()),
});
export type FunnelReport = z.infer<typeof funnelReport>;

export const sessionFillReport = z.object({
  courses: z.array(
    z.object({
      courseId: z.string(),
      code: z.string(),
      title: z.string(),
      sessions: z.number(),
      upcoming: z.number(),
      capacity: z.number(),
      confirmed: z.number(),
      waitlisted: z.number(),
      belowMinimum: z.number(),
      fillPercent: z.number(),
      /** Seats still free in the course's upcoming sessions. */
      upcomingFreeSeats: z.number(),
      needsMoreSessions: z.boolean(),
    }),
  ),
  totals: z.object({
    sessions: z.number(),
    capacity: z.number(),
    confirmed: z.number(),
    waitlisted: z.number(),
    belowMinimum: z.number(),
    fillPercent: z.number(),
  }),
});
export type SessionFillReport = z.infer<typeof sessionFillReport>;

export const renewalState = z.enum(['current', 'renewal_due', 'in_grace', 'lapsed', 'reinstated']);
export type RenewalState = z.infer<typeof renewalState>;

/** A certified official and their current renewal cycle. */
export const renewalOfficial = reportOfficial.extend({
  renewalState,
  cycleDue: z.string().nullable(),
  graceEnds: z.string().nullable(),
  lapsedOn: z.string().nullable(),
});
export type RenewalOfficial = z.infer<typeof renewalOfficial>;

export const renewalReport = z.object({
  counts: z.record(renewalState, z.number()),
  certified: z.number(),
});
export type RenewalReport = z.infer<typeof renewalReport>;

const turnaroundStat = z.object({
  decided: z.number(),
  medianDays: z.number().nullable(),
  p90Days: z.number().nullable(),
});
export const turnaroundReport = z.object({
  overall: turnaroundStat,
  byMonth: z.array(turnaroundStat.extend({ month: z.string() })),
  byType: z.array(turnaroundStat.extend({ claimType: z.string() })),
  pendingByAge: z.array(
    z.object({ id: z.string(), label: z.string(), count: z.number(), waitingOnOfficial: z.number() }),
  ),
  pendingTotal: z.number(),
});
export type TurnaroundReport = z.infer<typeof turnaroundReport>;

/**
 * A report as of a day other than today is read from a prepared run of that day (ADR 0039): when
 * it was prepared, and how many officials were re-evaluated since (a record or status changed, so
 * the run may be out of date; preparing it again brings it up to date).
 */
export const reportPrepared = z
  .object({
    startedAt: z.string(),
    finishedAt: z.string(),
    officials: z.number(),
    changedSince: z.number(),
    /** A newer preparation of the day under way: its progress (this one is read until it is done). */
    next: z.object({ startedAt: z.string(), done: z.number(), total: z.number() }).optional(),
  })
  .meta({ id: 'ReportPrepared' });
export type ReportPrepared = z.infer<typeof reportPrepared>;

/** A report of another day still being prepared (202): its progress, done of total officials. */
export const reportPreparing = z
  .object({
    program: programRef,
    asOf: z.string(),
    preparing: z.object({ startedAt: z.string(), done: z.number(), total: z.number() }),
  })
  .meta({ id: 'ReportPreparing' });
export type ReportPreparing = z.infer<typeof reportPreparing>;

const envelope = <T extends z.ZodType>(report: T) =>
  z.object({ program: programRef, asOf: z.string(), prepared: reportPrepared.optional(), report });

/** POST /api/reports/prepare: prepare the reports of a day again (or for the first time). */
export const prepareReportBody = z.strictObject({
  programId: uuidSchema,
  asOf: z.iso.date({ message: 'As-of date must be a date like 2026-11-23.' }),
});
export const reportPreparedAnswer = z
  .object({ program: programRef, asOf: z.string(), prepared: reportPrepared })
  .meta({ id: 'ReportPreparedAnswer' });

export const reportResponses = {
  coverage: envelope(coverageReport).meta({ id: 'CoverageReport' }),
  cohorts: envelope(cohortReport).meta({ id: 'CohortReport' }),
  funnel: envelope(funnelReport).meta({ id: 'FunnelReport' }),
  'session-fill': envelope(sessionFillReport).meta({ id: 'SessionFillReport' }),
  renewal: envelope(renewalReport).meta({ id: 'RenewalReport' }),
  turnaround: envelope(turnaroundReport).meta({ id: 'TurnaroundReport' }),
} as const;

/**
 * The reports with their officials listed in full: what the CSV/XLSX downloads hold. The pages get
 * the counts (above) and ask for the officials one page at a time (below), so an answer does not
 * grow with the program.
 */
export interface CoverageReportWithPeople extends Omit<CoverageReport, 'counties'> {
  counties: (CoverageReport['counties'][number] & { people: ReportOfficial[] })[];
}
export interface CohortReportWithPeople extends Omit<CohortReport, 'cohorts'> {
  cohorts: (CohortReport['cohorts'][number] & { people: CohortOfficial[] })[];
}
export interface RenewalReportWithPeople extends RenewalReport {
  people: RenewalOfficial[];
}

/** The report pages' lists of officials, one page at a time, with the report's own filter. */
export const reportOfficialsQuery = {
  coverage: reportQuery.extend({
    county: z
      .string({ message: 'County is required: a five-digit FIPS code.' })
      .regex(/^\d{5}$/, { message: 'County must be a five-digit FIPS code.' }),
    ...pageQuery,
  }),
  cohorts: reportQuery.extend({
    cohort: z.string({ message: 'Cohort is required.' }).min(1, { message: 'Cohort is required.' }).max(100, {
      message: 'Cohort must be at most 100 characters.',
    }),
    ...pageQuery,
  }),
  renewal: reportQuery.extend({ renewalState: renewalState.optional(), ...pageQuery }),
} as const;
export type ReportOfficialsName = keyof typeof reportOfficialsQuery;

export const reportOfficialsResponses = {
  coverage: z.object({ items: z.array(reportOfficial), page: pageInfo }).meta({ id: 'CoverageOfficials' }),
  cohorts: z.object({ items: z.array(cohortOfficial), page: pageInfo }).meta({ id: 'CohortOfficials' }),
  renewal: z.object({ items: z.array(renewalOfficial), page: pageInfo }).meta({ id: 'RenewalOfficials' }),
} as const;

/** County outlines for the coverage map, already projected to SVG path data by the server. */
export const countyShapes = z
  .object({
    stateFips: z.string(),
    width: z.number(),
    height: z.number(),
    counties: z.array(z.object({ fips: z.string(), name: z.string(), d: z.string() })),
  })
  .meta({ id: 'CountyShapes' });
export type CountyShapes = z.infer<typeof countyShapes>;
export const countyShapesParams = z.strictObject({
  stateFips: z.string().regex(/^\d{2}$/, { message: 'State must be a two-digit FIPS code.' }),
});

/** What `reportSnapshot` returns: every report's numbers, without people's ids. */
export interface ReportSnapshot {
  program: string;
  asOf: string;
  coverage: {
    stateFips: string | null;
    totals: CoverageReport['totals'];
    counties: {
      fips: string;
      status: CountyStatus;
      officials: number;
      certified: number;
      inProgress: number;
    }[];
  };
  cohorts: {
    id: string;
    members: number;
    met: number;
    upcoming: number;
    missed: number;
    completed: number;
  }[];
  funnel: Record<string, number>;
  statuses: Record<string, number>;
  sessionFill: {
    totals: SessionFillReport['totals'];
    courses: Omit<SessionFillReport['courses'][number], 'courseId'>[];
  };
  renewal: Record<RenewalState, number>;
  turnaround: {
    overall: TurnaroundReport['overall'];
    byMonth: TurnaroundReport['byMonth'];
    byType: TurnaroundReport['byType'];
    pendingByAge: { id: string; count: number }[];
  };
}
