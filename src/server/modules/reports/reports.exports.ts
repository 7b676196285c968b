/** The columns each report exports (CSV and XLSX through the shared tabular export). */
import type {
  CohortReportWithPeople as CohortReport,
  CoverageReportWithPeople as CoverageReport,
  FunnelReport,
  ReportName,
  RenewalReportWithPeople as RenewalReport,
  SessionFillReport,
  TurnaroundReport,
} from '../../../contract/reports.js';
import type { Column } from '../../export/tabular.js';

interface Out<T> {
  columns: Column<T>[];
  rows: T[];
}

export const countyStatusLabel = {
  certified: 'Certified',
  in_progress: 'In progress',
  none: 'None',
} as const;

function coverage(r: CoverageReport) {
  type Row = CoverageReport['counties'][number];
  const out: Out<Row> = {
    columns: [
      { header: 'County FIPS', value: (c) => c.fips },
      { header: 'County', value: (c) => c.name, width: 18 },
      { header: 'Status', value: (c) => countyStatusLabel[c.status], width: 12 },
      { header: 'Officials enrolled', value: (c) => c.officials },
      { header: 'Certified', value: (c) => c.certified },
      { header: 'In progress', value: (c) => c.inProgress },
      {
        header: 'Officials',
        value: (c) => c.people.map((p) => `${p.name} (${p.status})`).join('; '),
        width: 50,
      },
    ],
    rows: r.counties,
  };
  return out;
}

function cohorts(r: CohortReport) {
  type Row = CohortReport['cohorts'][number]['people'][number] & { cohort: string; deadline: string | null };
  const rows: Row[] = r.cohorts.flatMap((c) =>
    c.people.map((p) => ({ ...p, cohort: c.name, deadline: c.deadline?.date ?? null })),
  );
  const out: Out<Row> = {
    columns: [
      { header: 'Cohort', value: (p) => p.cohort, width: 18 },
      { header: 'Name', value: (p) => p.name, width: 24 },
      { header: 'County', value: (p) => p.county, width: 16 },
      { header: 'Status', value: (p) => p.status, width: 14 },
      { header: 'Deadline', value: (p) => p.deadline, width: 12 },
      { header: 'Deadline state', value: (p) => p.deadlineState, width: 14 },
      { header: 'Completed on', value: (p) => p.completedOn, width: 12 },
      { header: 'Requirements met', value: (p) => p.have },
      { header: 'Requirements', value: (p) => p.need },
    ],
    rows,
  };
  return out;
}

function funnel(r: FunnelReport) {
  type Row = FunnelReport['stages'][number];
  const out: Out<Row> = {
    columns: [
      { header: 'Stage', value: (s) => s.label, width: 28 },
      { header: 'Officials', value: (s) => s.count },
    ],
    rows: r.stages,
  };
  return out;
}

function sessionFill(r: SessionFillReport) {
  type Row = SessionFillReport['courses'][number];
  const out: Out<Row> = {
    columns: [
      { header: 'Course', value: (c) => c.code, width: 12 },
      { header: 'Title', value: (c) => c.title, width: 36 },
      { header: 'Sessions', value: (c) => c.sessions },
      { header: 'Upcoming', value: (c) => c.upcoming },
      { header: 'Capacity', value: (c) => c.capacity },
      { header: 'Confirmed', value: (c) => c.confirmed },
      { header: 'Fill %', value: (c) => c.fillPercent },
      { header: 'Waitlisted', value: (c) => c.waitlisted },
      { header: 'Upcoming below minimum', value: (c) => c.belowMinimum },
      { header: 'Free upcoming seats', value: (c) => c.upcomingFreeSeats },
      { header: 'Needs more sessions', value: (c) => (c.needsMoreSessions ? 'yes' : 'no') },
    ],
    rows: r.courses,
  };
  return out;
}

function renewal(r: RenewalReport) {
  type Row = RenewalReport['people'][number];
  const out: Out<Row> = {
    columns: [
      { header: 'Name', value: (p) => p.name, width: 24 },
      { header: 'County', value: (p) => p.county, width: 16 },
      { header: 'Renewal state', value: (p) => p.renewalState, width: 14 },
      { header: 'Certification status', value: (p) => p.status, width: 14 },
      { header: 'Cycle due', value: (p) => p.cycleDue, width: 12 },
      { header: 'Grace ends', value: (p) => p.graceEnds, width: 12 },
      { header: 'Lapsed on', value: (p) => p.lapsedOn, width: 12 },
    ],
    rows: r.people,
  };
  return out;
}

function turnaround(r: TurnaroundReport) {
  type Row = { section: string; group: string; count: number; median: number | null; p90: number | null };
  const rows: Row[] = [
    {
      section: 'Decided',
      group: 'All',
      count: r.overall.decided,
      median: r.overall.medianDays,
      p90: r.overall.p90Days,
    },
    ...r.byMonth.map((m) => ({
      section: 'Decided by month',
      group: m.month,
      count: m.decided,
      median: m.medianDays,
      p90: m.p90Days,
    })),
    ...r.byType.map((m) => ({
      section: 'Decided by type',
      group: m.claimType,
      count: m.decided,
      median: m.medianDays,
      p90: m.p90Days,
    })),
    ...r.pendingByAge.map((b) => ({
      section: 'Pending by age',
      group: b.label,
      count: b.count,
      median: null,
      p90: null,
    })),
  ];
  const out: Out<Row> = {
    columns: [
      { header: 'Section', value: (x) => x.section, width: 18 },
      { header: 'Group', value: (x) => x.group, width: 22 },
      { header: 'Claims', value: (x) => x.count },
      { header: 'Median days', value: (x) => x.median },
      { header: '90th percentile days', value: (x) => x.p90 },
    ],
    rows,
  };
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each report has its own row type
export const reportTables: Record<ReportName, (r: any) => Out<any>> = {
  coverage,
  cohorts,
  funnel,
  'session-fill': sessionFill,
  renewal,
  turnaround,
};
