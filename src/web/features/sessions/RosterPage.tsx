import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { RegistrationCancellation } from '../../../contract/sessions';
import { api, qs, useSession, type Paged, type Person } from '../../api';
import { allowed } from '../../auth';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { ErrorSummary, TextField, formErrors, TextareaField } from '../../components/Form';
import { DataTable } from '../../components/Table';
import { Email } from '../../components/Email';
import { formatDateTime } from '../../format';
import { SeatMeter } from './SessionDetailPage';
import { PrerequisiteNote, whenText, type Registration, type Roster, type RosterEntry } from './shared';
import { ExportLinks } from '../../components/ExportLinks';

function RosterTable({
  caption,
  rows,
  waitlist,
  onCancel,
  timeZone,
}: {
  caption: string;
  rows: RosterEntry[];
  /** The session's zone: check-in and join times are shown in it. */
  timeZone: string;
  waitlist?: boolean;
  /** Coordinators: a button per row that starts cancelling that registration. */
  onCancel?: (row: RosterEntry, button: HTMLButtonElement) => void;
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
          {onCancel && (
            <th scope="col">
              <span className="usa-sr-only">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.registrationId}>
            {waitlist && <td>{r.waitlistPosition}</td>}
            <th scope="row">
              {r.displayName}
              {r.title && <div className="usa-hint">{r.title}</div>}
              <PrerequisiteNote note={r.prerequisite} />
            </th>
            <td>{r.jurisdiction ?? ''}</td>
            <td>
              <Email address={r.email} />
            </td>
            <td className="nowrap">
              {waitlist
                ? formatDateTime(r.joinedAt, timeZone)
                : r.checkedInAt
                  ? formatDateTime(r.checkedInAt, timeZone)
                  : 'No'}
            </td>
            {!waitlist && <td>{r.minutesAttended ?? 'Not recorded'}</td>}
            {!waitlist && (
              <td>
                {r.credits}
                {r.creditNote && <div className="usa-hint credit-note">{r.creditNote}</div>}
              </td>
            )}
            {onCancel && (
              <td>
                {r.abilities.cancel && (
                  <Button
                    type="button"
                    unstyled
                    className="nowrap"
                    onClick={(e) => onCancel(r, e.currentTarget)}
                  >
                    Cancel registration<span className="usa-sr-only"> of {r.displayName}</span>
                  </Button>
                )}
              </td>
            )}
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

const peopleText = (n: number) => (n === 1 ? '1 person' : `${n} people`);

/** What a cancellation did, from the API's answer: who was moved up from the waitlist. */
function cancellationText(entry: RosterEntry, result: RegistrationCancellation): string {
  const parts = [`Cancelled ${entry.displayName}’s registration; they were e-mailed.`];
  if (result.promoted.length === 1)
    parts.push(
      `${result.promoted[0]!.displayName} was moved from the waitlist to the freed seat and e-mailed.`,
    );
  else if (result.promoted.length > 1)
    parts.push(
      `${peopleText(result.promoted.length)} were moved from the waitlist and e-mailed: ${result.promoted.map((p) => p.displayName).join(', ')}.`,
    );
  else if (entry.status === 'confirmed') parts.push('No one on the waitlist could take the seat.');
  if (result.skipped.length)
    parts.push(
      `Still waitlisted because they are not eligible yet: ${result.skipped.map((p) => p.displayName).join(', ')}.`,
    );
  return parts.join(' ');
}

/** Inline panel: the reason for cancelling one person's registration, then the cancellation. */
function CancelRegistration({
  entry,
  onDone,
  onClose,
}: {
  entry: RosterEntry;
  onDone: (text: string) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);
  const cancel = useMutation({
    mutationFn: () =>
      api.post<RegistrationCancellation>(`/api/registrations/${entry.registrationId}/cancel`, {
        reason: reason.trim(),
      }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: ['roster', result.sessionId] });
      void queryClient.invalidateQueries({ queryKey: ['session', result.sessionId] });
      void queryClient.invalidateQueries({ queryKey: ['sessions'] });
      onDone(cancellationText(entry, result));
    },
    onError: () => setAttempt((n) => n + 1),
  });
  const serverError = formErrors(cancel.error).reason;
  const error = localError ?? serverError;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!reason.trim()) {
      setLocalError('Give the reason. It goes in the e-mail to this person.');
      setAttempt((n) => n + 1);
      return;
    }
    setLocalError(null);
    cancel.mutate();
  };
  const what = entry.status === 'waitlisted' ? 'waitlist place' : 'registration';
  return (
    <section aria-labelledby="cancel-registration-heading" className="cancel-panel">
      <h2 id="cancel-registration-heading">
        Cancel {entry.displayName}’s {what}
      </h2>
      <ErrorSummary
        error={localError ? null : cancel.error}
        fieldErrors={error ? { reason: error } : {}}
        fields={{ reason: { id: 'registration-reason', label: 'Reason' } }}
        attempt={attempt}
      />
      <p>
        {entry.displayName} is e-mailed that the {what} is cancelled, with a calendar cancellation.
        {entry.status === 'confirmed' && ' The first eligible person on the waitlist gets the seat at once.'}
      </p>
      <Form onSubmit={submit} noValidate className="maxw-full">
        <TextareaField
          id="registration-reason"
          name="reason"
          label="Reason"
          required
          hint="For example: “Asked by phone to be taken off.”"
          error={error}
          inputRef={box}
          maxLength={500}
          value={reason}
          onChange={setReason}
        />
        <div className="action-row margin-top-2">
          <Button type="submit" secondary disabled={cancel.isPending}>
            {cancel.isPending ? 'Cancelling…' : `Cancel the ${what}`}
          </Button>
          <Button type="button" unstyled onClick={onClose} disabled={cancel.isPending}>
            Keep it
          </Button>
        </div>
      </Form>
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
  const [cancelling, setCancelling] = useState<RosterEntry | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const noticeBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeBox.current?.focus();
  }, [notice]);
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
  // Each row's abilities say whose registration this user may cancel (policies.ts, registrationAbilities).
  const canCancel =
    [...confirmed, ...roster.data.waitlisted].some((r) => r.abilities.cancel) &&
    (s.status === 'scheduled' || s.status === 'full');
  const startCancel = canCancel
    ? (row: RosterEntry, button: HTMLButtonElement) => {
        opener.current = button;
        setNotice(null);
        setCancelling(row);
      }
    : undefined;
  const panel = cancelling && (
    <CancelRegistration
      key={cancelling.registrationId}
      entry={cancelling}
      onClose={() => {
        setCancelling(null);
        opener.current?.focus();
      }}
      onDone={(text) => {
        setCancelling(null);
        setNotice(text);
      }}
    />
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
      <ExportLinks href={`/api/sessions/${s.id}/roster/export`} what="the roster" />
      <p>
        <strong>
          {confirmed.length} of {s.capacity} seats taken
        </strong>
        , {waitlisted.length} on the waitlist, minimum {s.minimum}.
        {confirmed.length < s.minimum && ` Below the minimum by ${s.minimum - confirmed.length}.`}
      </p>
      <SeatMeter s={s} />
      {notice && (
        <div ref={noticeBox} tabIndex={-1} className="margin-top-2">
          <Alert type="success" headingLevel="h2" slim role="status">
            {notice}
          </Alert>
        </div>
      )}

      <h2>Registered</h2>
      {confirmed.length === 0 ? (
        <p>No one is registered yet.</p>
      ) : (
        <RosterTable
          caption={`Registered for ${s.course.code}, by last name`}
          rows={confirmed}
          timeZone={s.timeZone}
          onCancel={startCancel}
        />
      )}
      {cancelling?.status === 'confirmed' && panel}
      <h2>Waitlist</h2>
      {waitlisted.length === 0 ? (
        <p>No one is on the waitlist.</p>
      ) : (
        <RosterTable
          caption={`Waitlist for ${s.course.code}, in order`}
          rows={waitlisted}
          timeZone={s.timeZone}
          waitlist
          onCancel={startCancel}
        />
      )}
      {cancelling?.status === 'waitlisted' && panel}
      {s.abilities.registerOthers &&
        allowed(user, 'people.list') &&
        (s.status === 'scheduled' || s.status === 'full') && <RegisterSomeone sessionId={s.id} />}
    </Page>
  );
}
