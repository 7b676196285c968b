import { type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { addMonths, daysInMonth } from '../../../domain/time';
import { api, qs, useSession, type Paged } from '../../api';
import { allowed, hasOwnRecord, isStaff } from '../../auth';
import { ExportLinks } from '../../components/ExportLinks';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { SelectField, TextField } from '../../components/Form';
import { Pager, ResultCount, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import {
  StatusTag,
  formatLabels,
  localDay,
  timeText,
  earliestToday,
  today,
  useAllCourses,
  usePrograms,
  whenText,
  whereText,
  zoneAbbreviation,
  type Session,
} from './shared';

const filterNames = ['course', 'program', 'month'] as const;
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

function isMonth(value: string | null): value is string {
  return !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

function monthTitle(month: string): string {
  return monthFormat.format(new Date(`${month}-01T12:00:00Z`));
}

function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}` };
}

/** The session calendar: upcoming sessions as a list, or one month as a grid. */
export function SessionsPage() {
  const session = useSession();
  const user = session.data?.user ?? null;
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'month' ? 'month' : 'list';

  const setView = (next: 'list' | 'month') => {
    const p = new URLSearchParams(params);
    p.delete('page');
    if (next === 'list') p.delete('view');
    else {
      p.set('view', 'month');
      if (!isMonth(p.get('month'))) p.set('month', today().slice(0, 7));
    }
    setParams(p);
  };

  return (
    <Page title="Sessions" lead="Classes, conference sessions and webinars you can register for.">
      <div className="action-row">
        {allowed(user, 'sessions.create') && (
          <Link to="/sessions/new" className="usa-button">
            Schedule a session
          </Link>
        )}
        {allowed(user, 'sessions.below-minimum') && (
          <Link to="/sessions/below-minimum" className="usa-button usa-button--outline">
            Sessions below their minimum
          </Link>
        )}
        {hasOwnRecord(user) && (
          <Link to="/my-sessions" className="usa-button usa-button--outline">
            My sessions
          </Link>
        )}
      </div>
      <div className="view-switch" role="group" aria-label="How to show sessions">
        <button
          type="button"
          className={`usa-button${view === 'list' ? '' : ' usa-button--outline'}`}
          aria-pressed={view === 'list'}
          onClick={() => setView('list')}
        >
          List
        </button>
        <button
          type="button"
          className={`usa-button${view === 'month' ? '' : ' usa-button--outline'}`}
          aria-pressed={view === 'month'}
          onClick={() => setView('month')}
        >
          Month
        </button>
      </div>
      {view === 'list' ? <ListView /> : <MonthView />}
    </Page>
  );
}

function Filters({ showMonth }: { showMonth: boolean }) {
  const { applied, draft, set, apply } = useFilters(filterNames);
  const any = !!(applied.course || applied.program || (showMonth && applied.month));
  const courses = useAllCourses();
  const programs = usePrograms();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    apply();
  };
  return (
    <Form onSubmit={submit} className="filters" noValidate role="search" aria-label="Filter sessions">
      <div className="grid-row grid-gap">
        <div className={showMonth ? 'tablet:grid-col-5' : 'tablet:grid-col-7'}>
          <SelectField id="course" label="Course" value={draft.course} onChange={set('course')}>
            <option value="">All courses</option>
            {courses.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code}: {c.title}
              </option>
            ))}
          </SelectField>
        </div>
        <div className={showMonth ? 'tablet:grid-col-4' : 'tablet:grid-col-5'}>
          <SelectField id="program" label="Program" value={draft.program} onChange={set('program')}>
            <option value="">All programs</option>
            {programs.data?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        </div>
        {showMonth && (
          <div className="tablet:grid-col-3">
            <TextField
              id="month"
              type="month"
              label="Month"
              hint="Leave empty for all upcoming sessions."
              value={draft.month}
              onChange={set('month')}
            />
          </div>
        )}
      </div>
      <div className="filters-actions">
        <Button type="submit">Show sessions</Button>
        {any && (
          <button
            type="button"
            className="usa-button usa-button--outline"
            onClick={() =>
              apply(showMonth ? { course: '', program: '', month: '' } : { course: '', program: '' })
            }
          >
            Clear filters
          </button>
        )}
      </div>
    </Form>
  );
}

function ListView() {
  const page = usePageParam();
  const staff = isStaff(useSession().data?.user);
  const { applied } = useFilters(filterNames);
  const range = isMonth(applied.month) ? monthRange(applied.month) : { from: earliestToday(), to: undefined };
  const sessions = useQuery({
    queryKey: ['sessions', 'list', applied, page],
    queryFn: () =>
      api.get<Paged<Session>>(
        `/api/sessions${qs({
          courseId: applied.course,
          programId: applied.program,
          from: range.from,
          to: range.to,
          page,
          pageSize: 20,
        })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const data = sessions.data;
  const heading = isMonth(applied.month) ? `Sessions in ${monthTitle(applied.month)}` : 'Upcoming sessions';
  return (
    <>
      <Filters showMonth />
      <h2>{heading}</h2>
      {sessions.isPending && <Loading what="sessions" />}
      {sessions.isError && <ErrorAlert error={sessions.error} />}
      {data && (
        <>
          {staff && (
            <ExportLinks
              href="/api/sessions/export"
              params={{
                courseId: applied.course,
                programId: applied.program,
                from: range.from,
                to: range.to,
              }}
              what="these sessions"
            />
          )}
          <ResultCount
            page={data.page.page}
            pageSize={data.page.pageSize}
            total={data.page.total}
            noun="sessions"
          />
          <ul className="session-list">
            {data.items.map((s) => (
              <SessionCard key={s.id} s={s} />
            ))}
          </ul>
          <Pager
            page={data.page.page}
            pageSize={data.page.pageSize}
            total={data.page.total}
            label="sessions"
          />
        </>
      )}
    </>
  );
}

export function SessionCard({ s, headingLevel = 3 }: { s: Session; headingLevel?: 3 | 4 }) {
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const mine = s.myRegistration;
  return (
    <li className={`session-card${s.status === 'cancelled' ? ' session-card--cancelled' : ''}`}>
      <H>
        <Link to={`/sessions/${s.id}`}>
          {s.course.code}: {s.course.title}
        </Link>
      </H>
      <p>{whenText(s)}</p>
      <p>
        {whereText(s)} · {formatLabels[s.course.format]} · {s.event.title}
      </p>
      <p>
        <StatusTag status={s.status} />
        {s.status !== 'cancelled' && s.status !== 'completed' && (
          <span>
            {s.seatsLeft > 0
              ? `${s.seatsLeft} of ${s.capacity} seats left`
              : `No seats left, ${s.waitlistCount} on the waitlist`}
          </span>
        )}
        {mine && mine.status !== 'cancelled' && (
          <strong className="margin-left-1">
            {mine.status === 'confirmed'
              ? 'You are registered.'
              : `You are number ${mine.waitlistPosition ?? '?'} on the waitlist.`}
          </strong>
        )}
      </p>
    </li>
  );
}

function monthCells(month: string): { date: string; inMonth: boolean }[][] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  const start = new Date(first.getTime() - first.getUTCDay() * 86_400_000);
  const weeks: { date: string; inMonth: boolean }[][] = [];
  const last = daysInMonth(y, m);
  const end = new Date(Date.UTC(y, m - 1, last));
  for (
    let d = start;
    d <= end || weeks[weeks.length - 1]!.length < 7;
    d = new Date(d.getTime() + 86_400_000)
  ) {
    if (weeks.length === 0 || weeks[weeks.length - 1]!.length === 7) weeks.push([]);
    const iso = d.toISOString().slice(0, 10);
    weeks[weeks.length - 1]!.push({ date: iso, inMonth: iso.slice(0, 7) === month });
  }
  return weeks;
}

const cellDate = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
});

function MonthView() {
  const [params, setParams] = useSearchParams();
  const monthParam = params.get('month');
  const month = isMonth(monthParam) ? monthParam : today().slice(0, 7);
  const { applied } = useFilters(filterNames);
  const range = monthRange(month);
  const sessions = useQuery({
    queryKey: ['sessions', 'month', month, applied.course, applied.program],
    queryFn: () =>
      api.get<Paged<Session>>(
        `/api/sessions${qs({
          courseId: applied.course,
          programId: applied.program,
          from: range.from,
          to: range.to,
          pageSize: 200,
        })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const go = (delta: number) => {
    const p = new URLSearchParams(params);
    p.set('month', addMonths(`${month}-01`, delta).slice(0, 7));
    setParams(p);
  };
  const byDay = new Map<string, Session[]>();
  for (const s of sessions.data?.items ?? []) {
    const day = localDay(s.startsAt, s.timeZone);
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  const now = today();

  return (
    <>
      <Filters showMonth={false} />
      <div className="month-nav">
        <button type="button" className="usa-button usa-button--outline" onClick={() => go(-1)}>
          <span aria-hidden="true">‹ </span>Previous month
        </button>
        <h2 id="month-heading" aria-live="polite">
          {monthTitle(month)}
        </h2>
        <button type="button" className="usa-button usa-button--outline" onClick={() => go(1)}>
          Next month<span aria-hidden="true"> ›</span>
        </button>
      </div>
      {sessions.isPending && <Loading what="sessions" />}
      {sessions.isError && <ErrorAlert error={sessions.error} />}
      {sessions.data && (
        <>
          <p className="result-count" role="status">
            {sessions.data.page.total === 0
              ? `No sessions in ${monthTitle(month)}.`
              : `${sessions.data.page.total} ${sessions.data.page.total === 1 ? 'session' : 'sessions'} in ${monthTitle(month)}.`}
          </p>
          <table className="month-grid">
            <caption className="usa-sr-only">
              Sessions in {monthTitle(month)}, one row per week, Sunday first
            </caption>
            <thead>
              <tr>
                {weekdays.map((d) => (
                  <th key={d} scope="col">
                    <abbr title={d}>{d.slice(0, 3)}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthCells(month).map((week) => (
                <tr key={week[0]!.date}>
                  {week.map(({ date, inMonth }) => {
                    const items = inMonth ? (byDay.get(date) ?? []) : [];
                    const classes = [
                      inMonth ? '' : 'other-month',
                      date === now ? 'is-today' : '',
                      items.length === 0 ? 'empty-day' : '',
                    ]
                      .filter(Boolean)
                      .join(' ');
                    return (
                      <td key={date} className={classes || undefined}>
                        {inMonth && (
                          <>
                            <span className="day-number">
                              <span aria-hidden="true">{Number(date.slice(8))}</span>
                              <span className="usa-sr-only">
                                {cellDate.format(new Date(`${date}T12:00:00Z`))}
                                {date === now ? ', today' : ''}
                                {items.length === 0 ? ', no sessions' : ''}
                              </span>
                            </span>
                            {items.length > 0 && (
                              <ul>
                                {items.map((s) => (
                                  <li
                                    key={s.id}
                                    className={s.status === 'cancelled' ? 'cancelled' : undefined}
                                  >
                                    <Link to={`/sessions/${s.id}`}>
                                      {timeText(s.startsAt, s.timeZone)}{' '}
                                      {zoneAbbreviation(s.startsAt, s.timeZone)} {s.course.code}
                                      <span className="usa-sr-only">
                                        : {s.course.title}
                                        {s.status === 'cancelled' ? ' (cancelled)' : ''}
                                        {s.status === 'full' ? ' (full)' : ''}
                                      </span>
                                    </Link>
                                  </li>
                                ))}
                              </ul>
                            )}
                          </>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
