import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { CreditRecordDto } from '../../../contract/credits';
import { api } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { CalendarLink, PrerequisiteNote, whenText, whereText, type MyRegistrations } from './shared';
import { CalendarFeedSection } from './CalendarFeedSection';

type Item = MyRegistrations['items'][number];

function SessionLink({ item }: { item: Item }) {
  return (
    <Link to={`/sessions/${item.session.id}`}>
      {item.session.course.code}: {item.session.course.title}
    </Link>
  );
}

/** An official's own sessions: registered, waitlisted (with position) and attended. */
export function MySessionsPage() {
  const regs = useQuery({
    queryKey: ['my-registrations'],
    queryFn: () => api.get<MyRegistrations>('/api/me/registrations'),
  });
  const credits = useQuery({
    queryKey: ['my-credits'],
    queryFn: () => api.get<{ items: CreditRecordDto[] }>('/api/me/credits'),
  });

  const now = Date.now();
  const items = regs.data?.items ?? [];
  const active = items.filter((i) => i.registration.status !== 'cancelled');
  const upcoming = active.filter(
    (i) =>
      Date.parse(i.session.endsAt) >= now &&
      i.session.status !== 'cancelled' &&
      i.session.status !== 'completed',
  );
  const registered = upcoming.filter((i) => i.registration.status === 'confirmed');
  const waitlisted = upcoming.filter((i) => i.registration.status === 'waitlisted');
  const past = active.filter(
    (i) =>
      i.registration.status === 'confirmed' &&
      (Date.parse(i.session.endsAt) < now || i.session.status === 'completed'),
  );
  const creditFor = (sessionId: string) =>
    (credits.data?.items ?? [])
      .filter((c) => c.sessionId === sessionId && c.status === 'approved')
      .reduce((sum, c) => sum + c.amount, 0);

  return (
    <Page title="My sessions" lead="Sessions you are registered for, waiting for, and have attended.">
      <p>
        <Link to="/sessions">Find a session to register for</Link>
      </p>
      {regs.isPending && <Loading what="your sessions" />}
      {regs.isError && <ErrorAlert error={regs.error} />}
      {regs.data && (
        <>
          <h2>Registered</h2>
          {registered.length === 0 ? (
            <p>You are not registered for any upcoming session.</p>
          ) : (
            <DataTable stacked caption="Upcoming sessions you are registered for">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">When</th>
                  <th scope="col">Where</th>
                  <th scope="col">Calendar</th>
                </tr>
              </thead>
              <tbody>
                {registered.map((i) => (
                  <tr key={i.registration.id}>
                    <th scope="row">
                      <SessionLink item={i} />
                      <PrerequisiteNote note={i.prerequisite} />
                    </th>
                    <td>{whenText(i.session)}</td>
                    <td>{whereText(i.session)}</td>
                    <td>
                      <CalendarLink session={i.session} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}

          <h2>On the waitlist</h2>
          {waitlisted.length === 0 ? (
            <p>You are not on any waitlist.</p>
          ) : (
            <DataTable stacked caption="Sessions where you are on the waitlist">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Your place</th>
                  <th scope="col">When</th>
                  <th scope="col">Calendar</th>
                </tr>
              </thead>
              <tbody>
                {waitlisted.map((i) => (
                  <tr key={i.registration.id}>
                    <th scope="row">
                      <SessionLink item={i} />
                    </th>
                    <td>Number {i.registration.waitlistPosition ?? '?'}</td>
                    <td>{whenText(i.session)}</td>
                    <td>
                      <CalendarLink session={i.session} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}

          <h2>Attended</h2>
          {past.length === 0 ? (
            <p>No past sessions yet.</p>
          ) : (
            <DataTable stacked caption="Past sessions and the credit you earned">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">When</th>
                  <th scope="col">Credit earned</th>
                </tr>
              </thead>
              <tbody>
                {past.map((i) => {
                  const earned = creditFor(i.session.id);
                  return (
                    <tr key={i.registration.id}>
                      <th scope="row">
                        <SessionLink item={i} />
                      </th>
                      <td>{whenText(i.session)}</td>
                      <td>
                        {earned > 0
                          ? `${earned} ${earned === 1 ? 'credit' : 'credits'}`
                          : i.attendance.minutesAttended == null
                            ? 'Not recorded yet'
                            : 'No credit'}
                        {i.attendance.creditNote && (
                          <div className="usa-hint credit-note">{i.attendance.creditNote}</div>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </DataTable>
          )}
        </>
      )}

      <CalendarFeedSection />
    </Page>
  );
}
