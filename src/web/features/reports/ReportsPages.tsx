/**
 * Administrators' reports (issue 7). Loaded on demand (a separate chunk), so
 * the map and charts cost nothing for people who never open them. Each page
 * has a program selector and an as-of date in the URL, an accessible chart
 * (HTML bars, or the SVG county map with title and description), the same
 * numbers as a table, and CSV/XLSX downloads.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type {
  CohortOfficial,
  CohortReport,
  CoverageReport,
  FunnelReport,
  ReportName,
  ReportOfficial,
  ReportOfficialsName,
  RenewalOfficial,
  RenewalReport,
  ReportPrepared,
  ReportPreparing,
  SessionFillReport,
  TurnaroundReport,
} from '../../../contract/reports';
import type { ProgramSummary } from '../../../contract/programs';
import type { Shortfall } from '../../../contract/planning';
import { allowed } from '../../auth';
import { api, ApiError, qs, useSession, type Paged } from '../../api';
import { ExportLinks } from '../../components/ExportLinks';
import { SelectField, formErrors, TextField } from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { formatDate, formatDateTime, formatNumber } from '../../format';
import { countyStyles, CoverageMap, MapLegend } from './CoverageMap';
import './reports.css';
import { countyLabel } from '../../../contract/jurisdictions';

export const reports: { name: ReportName; title: string; lead: string }[] = [
  {
    name: 'coverage',
    title: 'Certification coverage by county',
    lead: 'Which counties have a certified official, which are on their way, and which have nobody enrolled.',
  },
  {
    name: 'cohorts',
    title: 'Pilot cohort progress',
    lead: 'How the pilot counties stand against their deadline.',
  },
  {
    name: 'funnel',
    title: 'Program funnel',
    lead: 'From enrollment to certification, and whether certifications stay active.',
  },
  {
    name: 'session-fill',
    title: 'Session fill and waitlist demand',
    lead: 'How full sessions are for each course, and where waitlists show more sessions are needed.',
  },
  {
    name: 'renewal',
    title: 'Renewal compliance',
    lead: 'Certified officials by where they stand in their current renewal cycle.',
  },
  {
    name: 'turnaround',
    title: 'Review turnaround',
    lead: 'How long outside-credit claims take from submission to decision, and what is waiting.',
  },
];

export const statusLabels: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  eligible: 'Eligible',
  certified: 'Certified',
  renewal_due: 'Renewal due',
  lapsed: 'Lapsed',
  expired: 'Expired',
  revoked: 'Revoked',
};

interface Envelope<T> {
  program: { id: string; code: string; name: string; timeZone: string };
  asOf: string;
  /** As of a day other than today: the prepared run the report was read from (ADR 0039). */
  prepared?: ReportPrepared;
  report: T;
}

/** A report of another day still being prepared (the API answers 202 with the progress). */
const isPreparing = (d: unknown): d is ReportPreparing => typeof d === 'object' && d !== null && 'preparing' in d;

// ------------------------------------------------------------------ frame

function usePrograms() {
  return useQuery({
    queryKey: ['programs'],
    queryFn: () => api.get<{ items: ProgramSummary[] }>('/api/programs'),
  });
}

/** Program and as-of date live in the URL, so a report can be bookmarked and shared. */
function useReportParams(programs: ProgramSummary[] | undefined) {
  const [params, setParams] = useSearchParams();
  const published = (programs ?? []).filter((p) => p.current);
  const programId = params.get('programId') ?? published[0]?.id ?? '';
  const asOf = params.get('asOf') ?? '';
  return { programId, asOf, published, setParams };
}

/** A report's filters: the program and one date, each with its error next to it. */
function ProgramDateForm({
  onSubmit,
  programs,
  programId,
  onProgram,
  programError,
  date,
  submitLabel,
}: {
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  programs: ProgramSummary[];
  programId: string;
  onProgram: (id: string) => void;
  programError: string | undefined;
  date: {
    id: string;
    label: string;
    hint: string;
    value: string;
    error: string | undefined;
    onChange: (v: string) => void;
  };
  submitLabel: string;
}) {
  return (
    <Form onSubmit={onSubmit} className="filters maxw-none" noValidate>
      <div className="grid-row grid-gap">
        <div className="tablet:grid-col-6">
          <SelectField id="programId" label="Program" value={programId} onChange={onProgram} error={programError}>
            {programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="tablet:grid-col-4">
          <TextField
            id={date.id}
            type="date"
            label={date.label}
            hint={date.hint}
            value={date.value}
            error={date.error}
            onChange={date.onChange}
          />
        </div>
      </div>
      <div className="filters-actions">
        <Button type="submit">{submitLabel}</Button>
      </div>
    </Form>
  );
}

function ReportFrame<T>({
  name,
  children,
}: {
  name: ReportName;
  children: (data: Envelope<T>) => ReactNode;
}) {
  const meta = reports.find((r) => r.name === name)!;
  const programs = usePrograms();
  const { programId, asOf, published, setParams } = useReportParams(programs.data?.items);
  const [draft, setDraft] = useState<{ programId?: string; asOf?: string }>({});
  const data = useQuery({
    queryKey: ['report', name, programId, asOf],
    queryFn: () => api.get<Envelope<T> | ReportPreparing>(`/api/reports/${name}${qs({ programId, asOf })}`),
    enabled: !!programId,
    // A day other than today is prepared in the background: ask again every second until it is ready.
    // Also while a newer preparation runs beside the finished one; never after an error.
    refetchInterval: (q) =>
      q.state.status !== 'error' &&
      (isPreparing(q.state.data) || (q.state.data && 'prepared' in q.state.data && q.state.data.prepared?.next))
        ? 1000
        : false,
  });
  const fieldErrors = formErrors(data.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = { programId: draft.programId ?? programId, asOf: draft.asOf ?? asOf };
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v)) as Record<string, string>);
  };
  return (
    <Page title={meta.title} lead={meta.lead}>
      <p>
        <Link to="/reports">All reports</Link>
      </p>
      <ProgramDateForm
        onSubmit={submit}
        programs={published}
        programId={draft.programId ?? programId}
        onProgram={(v) => setDraft((d) => ({ ...d, programId: v }))}
        programError={fieldErrors.programId}
        date={{
          id: 'asOf',
          label: 'As of',
          hint: 'Leave empty for today in the program’s time zone',
          value: draft.asOf ?? asOf,
          error: fieldErrors.asOf,
          onChange: (v) => setDraft((d) => ({ ...d, asOf: v })),
        }}
        submitLabel="Show report"
      />
      {programs.error && <ErrorAlert error={programs.error} />}
      {programs.data && !published.length && <p>There is no published program to report on yet.</p>}
      {data.isPending && programId && <Loading what="the report" />}
      {data.error && (
        <div className="margin-top-3">
          <ErrorAlert error={data.error} />
          {/* A failed preparation of another day (409): start a new one from here. */}
          {data.error instanceof ApiError && data.error.status === 409 && asOf && (
            <PrepareAgain programId={programId} asOf={asOf} />
          )}
        </div>
      )}
      {isPreparing(data.data) && <Preparing data={data.data} />}
      {data.data && !isPreparing(data.data) && (
        <>
          <p className="margin-top-3" data-testid="report-as-of">
            <strong>{data.data.program.name}</strong>, as of {formatDate(data.data.asOf)} (
            {data.data.program.timeZone}).
          </p>
          {data.data.prepared && <PreparedNote envelope={data.data} prepared={data.data.prepared} />}
          <ExportLinks
            href={`/api/reports/${name}/export`}
            params={{ programId: data.data.program.id, asOf: data.data.asOf }}
            what={`the ${meta.title.toLowerCase()} report`}
          />
          {children(data.data)}
        </>
      )}
    </Page>
  );
}

/** Progress of a day's report being prepared: every official evaluated as of that day, once. */
function Preparing({ data }: { data: ReportPreparing }) {
  const { done, total, startedAt } = data.preparing;
  return (
    <div className="margin-top-3" data-testid="report-preparing">
      {/* Announced once; the counts below change every second and are not read out each time. */}
      <p role="status">
        Preparing the report of <strong>{data.program.name}</strong> as of {formatDate(data.asOf)} (started{' '}
        {formatDateTime(startedAt, data.program.timeZone)}). It shows here when it is ready, and stays ready for
        everyone who asks for this day.
      </p>
      <p>
        {formatNumber(done)} of {formatNumber(total)} officials evaluated so far.
      </p>
      <progress max={Math.max(total, 1)} value={done} aria-label="Report preparation progress" />
    </div>
  );
}

/** "Prepare again" for a day whose preparation failed. */
function PrepareAgain({ programId, asOf }: { programId: string; asOf: string }) {
  const queryClient = useQueryClient();
  const again = useMutation({
    mutationFn: () => api.post('/api/reports/prepare', { programId, asOf }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['report'] }),
  });
  return (
    <>
      <Button type="button" onClick={() => again.mutate()} disabled={again.isPending}>
        {again.isPending ? 'Starting…' : 'Prepare again'}
      </Button>
      {again.error && <ErrorAlert error={again.error} />}
    </>
  );
}

/**
 * When a report of another day was prepared, and whether records changed since: then the figures
 * may be out of date, and preparing it again brings them up to date.
 */
function PreparedNote({ envelope, prepared }: { envelope: Envelope<unknown>; prepared: ReportPrepared }) {
  const queryClient = useQueryClient();
  const again = useMutation({
    mutationFn: () => api.post('/api/reports/prepare', { programId: envelope.program.id, asOf: envelope.asOf }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['report'] }),
  });
  const when = formatDateTime(prepared.finishedAt, envelope.program.timeZone);
  const next = prepared.next;
  const button = next ? null : (
    <Button type="button" outline onClick={() => again.mutate()} disabled={again.isPending}>
      {again.isPending ? 'Starting…' : 'Prepare again'}
    </Button>
  );
  return (
    <div className="margin-bottom-2" data-testid="report-prepared">
      {next && (
        <div data-testid="report-preparing-again">
          <p role="status">
            Being prepared again (started {formatDateTime(next.startedAt, envelope.program.timeZone)}); these figures
            stay until it is done.
          </p>
          <p>
            {formatNumber(next.done)} of {formatNumber(next.total)} officials evaluated so far.
          </p>
          <progress max={Math.max(next.total, 1)} value={next.done} aria-label="Report preparation progress" />
        </div>
      )}
      {prepared.changedSince > 0 ? (
        <Alert type="warning" headingLevel="h2" heading="Records changed since this report was prepared">
          <p className="margin-top-05">
            Prepared {when} from {formatNumber(prepared.officials)} officials;{' '}
            the records of {formatNumber(prepared.changedSince)}{' '}
            {prepared.changedSince === 1 ? 'official have' : 'officials have'} changed since. Prepare it again for
            figures that include those changes.
          </p>
          {button}
        </Alert>
      ) : (
        <p>
          Prepared {when} from the records of {formatNumber(prepared.officials)} officials. {button}
        </p>
      )}
      {again.error && <ErrorAlert error={again.error} />}
    </div>
  );
}

// ------------------------------------------------------------------ charts

/** A bar chart as a plain list: each line reads "label, value"; the bars themselves are decoration. */
function Bars({
  label,
  items,
  max,
  unit = '',
}: {
  label: string;
  items: { key: string; label: string; value: number; text?: string; warn?: boolean }[];
  max?: number;
  unit?: string;
}) {
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  return (
    <figure className="margin-x-0">
      <figcaption className="text-bold">{label}</figcaption>
      <ul className="bar-chart">
        {items.map((i) => (
          <li key={i.key}>
            <span>{i.label}</span>
            <span className="bar-track" aria-hidden="true">
              <span
                className={`bar${i.warn ? ' bar--warning' : ''}`}
                style={{ width: `${Math.min(100, (100 * i.value) / top)}%` }}
              />
            </span>
            <span className="bar-value">{i.text ?? `${formatNumber(i.value)}${unit}`}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

// ------------------------------------------------------------------ officials, a page at a time

const OFFICIALS_PAGE = 25;

/**
 * The officials behind a report's figures, one page at a time from
 * `/api/reports/<report>/officials` (so the page does not grow with the program): "Showing 1–25
 * of 312 …", the table, and the pager, whose page number lives in the URL under `param`.
 */
function OfficialsList<T extends { personId: string }>({
  report,
  envelope,
  filter,
  param = 'page',
  noun,
  caption,
  head,
  row,
}: {
  report: ReportOfficialsName;
  envelope: Envelope<unknown>;
  filter: Record<string, string>;
  param?: string;
  noun: string;
  caption: string;
  head: ReactNode;
  row: (item: T) => ReactNode;
}) {
  const page = usePageParam(param);
  const query = { programId: envelope.program.id, asOf: envelope.asOf, ...filter };
  const list = useQuery({
    queryKey: ['report-officials', report, query, page, envelope.prepared?.finishedAt],
    queryFn: () =>
      api.get<Paged<T> | ReportPreparing>(
        `/api/reports/${report}/officials${qs({ ...query, page, pageSize: OFFICIALS_PAGE })}`,
      ),
    refetchInterval: (q) => (q.state.status !== 'error' && isPreparing(q.state.data) ? 1000 : false),
  });
  if (list.isPending || isPreparing(list.data)) return <Loading what={noun} />;
  if (list.error) return <ErrorAlert error={list.error} />;
  const { items, page: info } = list.data;
  return (
    <>
      <ResultCount page={info.page} pageSize={info.pageSize} total={info.total} noun={noun} />
      {items.length > 0 && (
        <DataTable caption={caption}>
          <thead>{head}</thead>
          <tbody>{items.map(row)}</tbody>
        </DataTable>
      )}
      <Pager page={info.page} pageSize={info.pageSize} total={info.total} label={noun} param={param} />
    </>
  );
}

const days = (n: number | null) => (n == null ? '—' : `${n} ${n === 1 ? 'day' : 'days'}`);

// ------------------------------------------------------------------ pages

export function ReportsIndexPage() {
  return (
    <Page
      title="Reports"
      lead="Where the program stands, for any program and date. Each report downloads as CSV or XLSX."
    >
      <ul className="usa-card-group">
        {reports.map((r) => (
          <li className="usa-card tablet:grid-col-6" key={r.name}>
            <div className="usa-card__container">
              <div className="usa-card__header">
                <h2 className="usa-card__heading">
                  <Link to={`/reports/${r.name}`}>{r.title}</Link>
                </h2>
              </div>
              <div className="usa-card__body">
                <p>{r.lead}</p>
              </div>
            </div>
          </li>
        ))}
        <li className="usa-card tablet:grid-col-6">
          <div className="usa-card__container">
            <div className="usa-card__header">
              <h2 className="usa-card__heading">
                <Link to="/reports/seat-shortfall">{shortfallTitle}</Link>
              </h2>
            </div>
            <div className="usa-card__body">
              <p>{shortfallLead}</p>
            </div>
          </div>
        </li>
      </ul>
    </Page>
  );
}

// ------------------------------------------------------------------ courses short of seats

const shortfallTitle = 'Courses short of seats';
const shortfallLead =
  'For each course officials still need, how many have no seat yet against the free seats before a date: where to schedule more sessions.';

/**
 * The coordinators' reverse view of the plan to certification (issue 19): per course, officials
 * still needing it without a seat, free seats in sessions up to the date (90 days out unless
 * chosen), the shortfall and what to schedule, with a link to schedule a session of the course.
 */
export function SeatShortfallPage() {
  const programs = usePrograms();
  const session = useSession();
  const { programId, published, setParams } = useReportParams(programs.data?.items);
  const [params] = useSearchParams();
  const by = params.get('by') ?? '';
  const [draft, setDraft] = useState<{ programId?: string; by?: string }>({});
  const data = useQuery({
    queryKey: ['seat-shortfall', programId, by],
    queryFn: () => api.get<Shortfall>(`/api/reports/seat-shortfall${qs({ programId, by })}`),
    enabled: !!programId,
  });
  const fieldErrors = formErrors(data.error);
  const canSchedule = allowed(session.data?.user, 'sessions.create');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const next = { programId: draft.programId ?? programId, by: draft.by ?? by };
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v)) as Record<string, string>);
  };
  const short = data.data?.courses.filter((c) => c.short > 0) ?? [];
  return (
    <Page title={shortfallTitle} lead={shortfallLead}>
      <p>
        <Link to="/reports">All reports</Link>
      </p>
      <ProgramDateForm
        onSubmit={submit}
        programs={published}
        programId={draft.programId ?? programId}
        onProgram={(v) => setDraft((d) => ({ ...d, programId: v }))}
        programError={fieldErrors.programId}
        date={{
          id: 'by',
          label: 'Seats up to',
          hint: 'Sessions on or before this day count. Leave empty for 90 days from today.',
          value: draft.by ?? by,
          error: fieldErrors.by,
          onChange: (v) => setDraft((d) => ({ ...d, by: v })),
        }}
        submitLabel="Show courses"
      />
      {programs.error && <ErrorAlert error={programs.error} />}
      {programs.data && !published.length && <p>There is no published program yet.</p>}
      {data.isPending && programId && <Loading what="the courses short of seats" />}
      {data.error && (
        <div className="margin-top-3">
          <ErrorAlert error={data.error} />
        </div>
      )}
      {data.data && (
        <>
          <p className="margin-top-3" data-testid="shortfall-summary">
            <strong>{data.data.program.name}</strong>: {formatNumber(data.data.officials)}{' '}
            {data.data.officials === 1 ? 'official still needs' : 'officials still need'} a course by name; seats
            counted in sessions up to {formatDate(data.data.by)}.{' '}
            {short.length === 0
              ? 'Every course has enough free seats.'
              : `${short.length} ${short.length === 1 ? 'course is' : 'courses are'} short of seats.`}
          </p>
          {data.data.courses.length === 0 ? (
            <p>No official is waiting for a course of this program.</p>
          ) : (
            <DataTable caption={`Courses officials still need, with free seats up to ${formatDate(data.data.by)}`}>
              <thead>
                <tr>
                  <th scope="col">Course</th>
                  <th scope="col">Officials without a seat</th>
                  <th scope="col">Free seats</th>
                  <th scope="col">Sessions</th>
                  <th scope="col">Short by</th>
                  <th scope="col">What to do</th>
                </tr>
              </thead>
              <tbody>
                {data.data.courses.map((c) => (
                  <tr key={c.courseCode} data-testid={`shortfall-${c.courseCode}`}>
                    <th scope="row">
                      {c.courseCode}{' '}
                      {c.courseTitle !== c.courseCode && <span className="text-normal">{c.courseTitle}</span>}
                    </th>
                    <td>{formatNumber(c.need)}</td>
                    <td>{formatNumber(c.freeSeats)}</td>
                    <td>{c.sessions}</td>
                    <td>{c.short > 0 ? formatNumber(c.short) : 'None'}</td>
                    <td>
                      {c.message}
                      {c.short > 0 && canSchedule && c.courseId && (
                        <div>
                          <Link to={`/sessions/new?courseId=${encodeURIComponent(c.courseId)}`}>
                            Schedule a session<span className="usa-sr-only"> of {c.courseCode}</span>
                          </Link>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
          <p className="usa-hint">
            Counted from each enrolled official’s unmet course requirements: officials who have not
            completed the course and hold no seat in an upcoming session of it. Requirements any of several
            courses can meet (credits) are not counted against one course.
          </p>
        </>
      )}
    </Page>
  );
}

export function CoverageReportPage() {
  // The selected county is in the URL (with its page of officials), so it can be shared.
  const [params, setParams] = useSearchParams();
  const selected = params.get('county');
  const setSelected = (fips: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (fips) next.set('county', fips);
      else next.delete('county');
      next.delete('page');
      return next;
    });
  return (
    <ReportFrame<CoverageReport> name="coverage">
      {(envelope) => {
        const { report } = envelope;
        const county = report.counties.find((c) => c.fips === selected);
        return (
          <>
            <p>
              <a href="#county-table">Skip the map to the county table</a>
            </p>
            <MapLegend totals={report.totals} />
            <CoverageMap report={report} selected={selected} onSelect={setSelected} />
            <section aria-live="polite" aria-labelledby="county-detail-heading" className="margin-top-2">
              <h2 id="county-detail-heading">
                {county ? countyLabel(county) : 'Select a county on the map to see its officials'}
              </h2>
              {county && (
                <>
                  <p data-testid="county-status">
                    Status: <strong>{countyStyles[county.status].label}</strong>
                  </p>
                  {county.officials === 0 ? (
                    <p>No official in this county is enrolled in the program.</p>
                  ) : (
                    <OfficialsList<ReportOfficial>
                      report="coverage"
                      envelope={envelope}
                      filter={{ county: county.fips }}
                      noun={`officials in ${countyLabel(county)}`}
                      caption={`Officials in ${countyLabel(county)}`}
                      head={
                        <tr>
                          <th scope="col">Official</th>
                          <th scope="col">Title</th>
                          <th scope="col">Status</th>
                        </tr>
                      }
                      row={(p) => (
                        <tr key={p.personId}>
                          <th scope="row">
                            <Link to={`/people/${p.personId}`}>{p.name}</Link>
                          </th>
                          <td>{p.title ?? '—'}</td>
                          <td>{statusLabels[p.status] ?? p.status}</td>
                        </tr>
                      )}
                    />
                  )}
                </>
              )}
            </section>
            <h2 id="county-table" tabIndex={-1}>
              All counties
            </h2>
            <DataTable caption="Certification status of every county">
              <thead>
                <tr>
                  <th scope="col">County</th>
                  <th scope="col">Status</th>
                  <th scope="col">Officials enrolled</th>
                  <th scope="col">Certified</th>
                  <th scope="col">In progress</th>
                </tr>
              </thead>
              <tbody>
                {report.counties.map((c) => (
                  <tr key={c.fips} data-fips={c.fips}>
                    <th scope="row">{c.name}</th>
                    <td>{countyStyles[c.status].label}</td>
                    <td>{c.officials}</td>
                    <td>{c.certified}</td>
                    <td>{c.inProgress}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          </>
        );
      }}
    </ReportFrame>
  );
}

const deadlineLabels: Record<string, string> = {
  met: 'Finished by the deadline',
  upcoming: 'Deadline still ahead',
  missed: 'Missed the deadline',
  not_applicable: 'Not held to it',
  unknown: 'Unknown',
};

export function CohortReportPage() {
  return (
    <ReportFrame<CohortReport> name="cohorts">
      {(envelope) =>
        envelope.report
        .cohorts.length === 0 ? (
          <p>This program has no cohorts.</p>
        ) : (
          envelope.report.cohorts.map((c) => (
            <section key={c.id} aria-labelledby={`cohort-${c.id}`}>
              <h2 id={`cohort-${c.id}`}>{c.name}</h2>
              <p>
                {c.deadline ? (
                  <>
                    Deadline: <strong>{c.deadline.date ? formatDate(c.deadline.date) : '—'}</strong> —{' '}
                    {c.deadline.label}
                  </>
                ) : (
                  'No deadline applies to this cohort.'
                )}
              </p>
              {c.members === 0 ? (
                <p>No enrolled official is in this cohort yet. Set cohorts on each enrollment.</p>
              ) : (
                <>
                  <Bars
                    label={`${c.members} ${c.members === 1 ? 'member' : 'members'} against the deadline`}
                    max={c.members}
                    items={[
                      { key: 'met', label: deadlineLabels.met!, value: c.met },
                      { key: 'upcoming', label: deadlineLabels.upcoming!, value: c.upcoming },
                      { key: 'missed', label: deadlineLabels.missed!, value: c.missed, warn: true },
                      { key: 'completed', label: 'Completed every requirement', value: c.completed },
                    ]}
                  />
                  <OfficialsList<CohortOfficial>
                    report="cohorts"
                    envelope={envelope}
                    filter={{ cohort: c.id }}
                    param={envelope.report.cohorts.length > 1 ? `page-${c.id}` : 'page'}
                    noun={`members of ${c.name}`}
                    caption={`Members of ${c.name}`}
                    head={
                      <tr>
                        <th scope="col">Official</th>
                        <th scope="col">County</th>
                        <th scope="col">Status</th>
                        <th scope="col">Requirements met</th>
                        <th scope="col">Completed on</th>
                        <th scope="col">Deadline</th>
                      </tr>
                    }
                    row={(p) => (
                      <tr key={p.personId}>
                        <th scope="row">
                          <Link to={`/people/${p.personId}/progress`}>{p.name}</Link>
                        </th>
                        <td>{p.county ?? '—'}</td>
                        <td>{statusLabels[p.status] ?? p.status}</td>
                        <td>
                          {p.have} of {p.need}
                        </td>
                        <td>{p.completedOn ? formatDate(p.completedOn) : '—'}</td>
                        <td>{deadlineLabels[p.deadlineState] ?? p.deadlineState}</td>
                      </tr>
                    )}
                  />
                </>
              )}
            </section>
          ))
        )
      }
    </ReportFrame>
  );
}

export function FunnelReportPage() {
  return (
    <ReportFrame<FunnelReport> name="funnel">
      {({ report }) => {
        const enrolled = report.stages[0]?.count ?? 0;
        const pct = (n: number) => (enrolled ? ` (${Math.round((100 * n) / enrolled)}%)` : '');
        return (
          <>
            <Bars
              label="Officials at each stage"
              max={Math.max(1, enrolled)}
              items={report.stages.map((s) => ({
                key: s.id,
                label: s.label,
                value: s.count,
                text: `${formatNumber(s.count)}${pct(s.count)}`,
                warn: s.id === 'lapsed',
              }))}
            />
            <DataTable caption="Program funnel">
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Officials</th>
                  <th scope="col">Share of enrolled</th>
                </tr>
              </thead>
              <tbody>
                {report.stages.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.label}</th>
                    <td>{formatNumber(s.count)}</td>
                    <td>{enrolled ? `${Math.round((100 * s.count) / enrolled)}%` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
            <h2>Current status of enrolled officials</h2>
            <ul className="usa-list">
              {Object.entries(report.statuses).map(([k, v]) => (
                <li key={k}>
                  {statusLabels[k] ?? k}: {formatNumber(v)}
                </li>
              ))}
            </ul>
          </>
        );
      }}
    </ReportFrame>
  );
}

export function SessionFillReportPage() {
  return (
    <ReportFrame<SessionFillReport> name="session-fill">
      {({ report, program }) =>
        report.courses.length === 0 ? (
          <p>No sessions are scheduled for this program’s courses.</p>
        ) : (
          <>
            <p>
              {formatNumber(report.totals.sessions)} sessions, {report.totals.fillPercent}% full overall,{' '}
              {formatNumber(report.totals.waitlisted)} waitlisted, {formatNumber(report.totals.belowMinimum)}{' '}
              upcoming below their minimum.
            </p>
            <p>
              Officials who still need a course but have no seat are not on any waitlist: see{' '}
              <Link to={`/reports/seat-shortfall?programId=${encodeURIComponent(program.id)}`}>
                {shortfallTitle.toLowerCase()}
              </Link>
              .
            </p>
            <Bars
              label="Seats filled by course (confirmed of capacity)"
              max={100}
              unit="%"
              items={report.courses.map((c) => ({
                key: c.courseId,
                label: c.code,
                value: c.fillPercent,
                text: `${c.fillPercent}%`,
              }))}
            />
            <Bars
              label="Waitlisted by course"
              items={report.courses.map((c) => ({
                key: c.courseId,
                label: c.code,
                value: c.waitlisted,
                warn: c.needsMoreSessions,
              }))}
            />
            <DataTable caption="Sessions by course">
              <thead>
                <tr>
                  <th scope="col">Course</th>
                  <th scope="col">Sessions (upcoming)</th>
                  <th scope="col">Confirmed / capacity</th>
                  <th scope="col">Fill</th>
                  <th scope="col">Waitlisted</th>
                  <th scope="col">Upcoming below minimum</th>
                  <th scope="col">Free upcoming seats</th>
                  <th scope="col">More sessions needed?</th>
                </tr>
              </thead>
              <tbody>
                {report.courses.map((c) => (
                  <tr key={c.courseId}>
                    <th scope="row">
                      {c.code} <span className="text-normal">{c.title}</span>
                    </th>
                    <td>
                      {c.sessions} ({c.upcoming})
                    </td>
                    <td>
                      {formatNumber(c.confirmed)} / {formatNumber(c.capacity)}
                    </td>
                    <td>{c.fillPercent}%</td>
                    <td>{formatNumber(c.waitlisted)}</td>
                    <td>{c.belowMinimum}</td>
                    <td>{formatNumber(c.upcomingFreeSeats)}</td>
                    <td>{c.needsMoreSessions ? 'Yes: more waiting than free seats' : 'No'}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          </>
        )
      }
    </ReportFrame>
  );
}

const renewalLabels: Record<string, string> = {
  current: 'Current',
  renewal_due: 'Renewal due',
  in_grace: 'In grace period',
  lapsed: 'Lapsed',
  reinstated: 'Reinstated',
};

export function RenewalReportPage() {
  return (
    <ReportFrame<RenewalReport> name="renewal">
      {(envelope) =>
        envelope.report.certified === 0 ? (
          <p>No official holds a certification with renewal cycles in this program on this date.</p>
        ) : (
          <>
            <Bars
              label={`${envelope.report.certified} certified officials by renewal state`}
              max={envelope.report.certified}
              items={Object.entries(envelope.report.counts).map(([k, v]) => ({
                key: k,
                label: renewalLabels[k] ?? k,
                value: v,
                warn: k === 'lapsed' || k === 'in_grace',
              }))}
            />
            <OfficialsList<RenewalOfficial>
              report="renewal"
              envelope={envelope}
              filter={{}}
              noun="certified officials"
              caption="Certified officials and their renewal cycle"
              head={
                <tr>
                  <th scope="col">Official</th>
                  <th scope="col">County</th>
                  <th scope="col">Renewal state</th>
                  <th scope="col">Cycle due</th>
                  <th scope="col">Grace ends</th>
                  <th scope="col">Lapsed on</th>
                </tr>
              }
              row={(p) => (
                <tr key={p.personId}>
                  <th scope="row">
                    <Link to={`/people/${p.personId}/progress`}>{p.name}</Link>
                  </th>
                  <td>{p.county ?? '—'}</td>
                  <td>{renewalLabels[p.renewalState]}</td>
                  <td>{p.cycleDue ? formatDate(p.cycleDue) : '—'}</td>
                  <td>{p.graceEnds ? formatDate(p.graceEnds) : '—'}</td>
                  <td>{p.lapsedOn ? formatDate(p.lapsedOn) : '—'}</td>
                </tr>
              )}
            />
          </>
        )
      }
    </ReportFrame>
  );
}

export function TurnaroundReportPage() {
  return (
    <ReportFrame<TurnaroundReport> name="turnaround">
      {({ report }) => (
        <>
          <p data-testid="turnaround-overall">
            {formatNumber(report.overall.decided)} claims decided. Median{' '}
            <strong>{days(report.overall.medianDays)}</strong> from submission to decision; 90% within{' '}
            <strong>{days(report.overall.p90Days)}</strong>.
          </p>
          <Bars
            label={`${report.pendingTotal} claims waiting, by days since submission`}
            items={report.pendingByAge.map((b) => ({
              key: b.id,
              label: b.label,
              value: b.count,
              warn: b.id === '31+',
            }))}
          />
          <DataTable caption="Claims waiting, by age">
            <thead>
              <tr>
                <th scope="col">Waiting</th>
                <th scope="col">Claims</th>
                <th scope="col">Of which waiting on the official</th>
              </tr>
            </thead>
            <tbody>
              {report.pendingByAge.map((b) => (
                <tr key={b.id}>
                  <th scope="row">{b.label}</th>
                  <td>{b.count}</td>
                  <td>{b.waitingOnOfficial}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          {(
            [
              ['Decisions by month', 'Month', report.byMonth.map((m) => ({ key: m.month, ...m }))],
              [
                'Decisions by claim type',
                'Claim type',
                report.byType.map((m) => ({ key: m.claimType, ...m })),
              ],
            ] as const
          ).map(([caption, head, rows]) => (
            <DataTable caption={caption} key={caption}>
              <thead>
                <tr>
                  <th scope="col">{head}</th>
                  <th scope="col">Decided</th>
                  <th scope="col">Median</th>
                  <th scope="col">90th percentile</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={4}>No decisions yet.</td>
                  </tr>
                )}
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.key.replace(/-/g, ' ')}</th>
                    <td>{r.decided}</td>
                    <td>{days(r.medianDays)}</td>
                    <td>{days(r.p90Days)}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          ))}
        </>
      )}
    </ReportFrame>
  );
}
