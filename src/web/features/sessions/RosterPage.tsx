import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form } from '@trussworks/react-uswds';
import { api, qs, useSession, type Paged, type Person } from '../../api';
import { allowed } from '../../auth';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { TextField } from '../../components/Form';
import { DataTable } from '../../components/Table';
import { Email } from '../../components/Email';
import { formatDateTime } from '../../format';
import { SeatMeter } from './SessionDetailPage';
import { whenText, type Registration, type Roster, type RosterEntry } from './shared';

function RosterTable({
  caption,
  rows,
  waitlist,
}: {
  caption: string;
  rows: RosterEntry[];
  waitlist?: boolean;
}) {
  return (
    <DataTable caption={caption}>
      <thead>
        <tr>
          {waitlist && <th scope="col">Place</th>}
          <th scope="col">Name</th>
          <th scope="col">County</th>
          <th scope="col">E-mail</th>
          <th scope="col">{waitlist ? 'Joined' : 'Checked in'}</th>
          {!waitlist && <th scope="col">Minutes attended</th>}
          {!waitlist && <th scope="col">Credit</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.registrationId}>
            {waitlist && <td>{r.waitlistPosition}</td>}
            <th scope="row">
              {r.displayName}
              {r.title && <div className="usa-hint">{r.title}</div>}
            </th>
            <td>{r.jurisdiction ?? ''}</td>
            <td>
              <Email address={r.email} />
            </td>
            <td className="nowrap">
              {waitlist ? formatDateTime(r.joinedAt) : r.checkedInAt ? formatDateTime(r.checkedInAt) : 'No'}
            </td>
            {!waitlist && <td>{r.minutesAttended ?? 'Not recorded'}</td>}
            {!waitlist && <td>{r.credits}</td>}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** Coordinators register someone else: find them by name, then register. */
function RegisterSomeone({ sessionId }: { sessionId: string }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const people = useQuery({
    queryKey: ['people', 'pick', q],
    queryFn: () => api.get<Paged<Person>>(`/api/people${qs({ q, role: 'official', pageSize: 10 })}`),
    enabled: q.length > 0,
  });
  const register = useMutation({
    mutationFn: (person: Person) =>
      api.post<Registration>(`/api/sessions/${sessionId}/registrations`, { personId: person.id }),
    onSuccess: (r) => {
      setDone(
        r.status === 'confirmed'
          ? `Registered ${r.person.displayName}.`
          : `The session is full: ${r.person.displayName} is number ${r.waitlistPosition ?? '?'} on the waitlist.`,
      );
      void queryClient.invalidateQueries({ queryKey: ['roster', sessionId] });
      void queryClient.invalidateQueries({ queryKey: ['session', sessionId] });
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    register.reset();
    setQ(text.trim());
  };
  return (
    <section aria-labelledby="register-someone">
      <h2 id="register-someone">Register someone</h2>
      <Form
        onSubmit={submit}
        noValidate
        role="search"
        aria-label="Find an official to register"
        className="inline-form maxw-full"
      >
        <TextField id="person-q" label="Official’s name or e-mail" value={text} onChange={setText} />
        <Button type="submit">Find</Button>
      </Form>
      {done && (
        <Alert type="success" headingLevel="h3" slim role="status" className="margin-top-2">
          {done}
        </Alert>
      )}
      {register.isError && <ErrorAlert error={register.error} />}
      {people.isFetching && <Loading what="officials" />}
      {people.isError && <ErrorAlert error={people.error} />}
      {people.data && (
        <>
          <p role="status" className="result-count">
            {people.data.page.total === 0 ? 'No officials match.' : `${people.data.page.total} found.`}
          </p>
          <ul className="usa-list usa-list--unstyled">
            {people.data.items.map((p) => (
              <li key={p.id} className="margin-bottom-1">
                <Button
                  type="button"
                  outline
                  onClick={() => register.mutate(p)}
                  disabled={register.isPending}
                >
                  Register {p.displayName}
                </Button>
                <span className="usa-hint">
                  {p.jurisdiction?.name ?? ''} <Email address={p.email} />
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function RosterPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const user = session.data!.user!;
  const roster = useQuery({
    queryKey: ['roster', id],
    queryFn: () => api.get<Roster>(`/api/sessions/${id}/roster`),
  });
  if (roster.isError) return <PageError error={roster.error} title="Roster" what="session" />;
  if (!roster.data)
    return (
      <Page title="Roster">
        <Loading what="the roster" />
      </Page>
    );
  const { session: s, confirmed } = roster.data;
  const waitlisted = [...roster.data.waitlisted].sort(
    (a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0),
  );
  return (
    <Page
      title={`Roster: ${s.course.code}`}
      documentTitle={`Roster ${s.course.code}`}
      lead={`${s.course.title}. ${whenText(s)}.`}
    >
      <div className="action-row">
        <Link to={`/sessions/${s.id}`} className="usa-button usa-button--outline">
          Session details
        </Link>
        {allowed(user, 'attendance.record') && (
          <Link to={`/sessions/${s.id}/attendance`} className="usa-button">
            Record attendance
          </Link>
        )}
        <a href={`/api/sessions/${s.id}/sign-in-sheet`} download className="usa-button usa-button--outline">
          Sign-in sheet (PDF)
        </a>
      </div>
      <p>
        <strong>
          {confirmed.length} of {s.capacity} seats taken
        </strong>
        , {waitlisted.length} on the waitlist, minimum {s.minimum}.
        {confirmed.length < s.minimum && ` Below the minimum by ${s.minimum - confirmed.length}.`}
      </p>
      <SeatMeter s={s} />

      <h2>Registered</h2>
      {confirmed.length === 0 ? (
        <p>No one is registered yet.</p>
      ) : (
        <RosterTable caption={`Registered for ${s.course.code}, by last name`} rows={confirmed} />
      )}
      <h2>Waitlist</h2>
      {waitlisted.length === 0 ? (
        <p>No one is on the waitlist.</p>
      ) : (
        <RosterTable caption={`Waitlist for ${s.course.code}, in order`} rows={waitlisted} waitlist />
      )}
      {allowed(user, 'registrations.create') &&
        allowed(user, 'people.list') &&
        (s.status === 'scheduled' || s.status === 'full') && <RegisterSomeone sessionId={s.id} />}
    </Page>
  );
}
