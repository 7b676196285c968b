import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { SessionChange } from '../../../contract/sessions';
import { api } from '../../api';
import { ErrorSummary, RequiredNote, type FieldErrors, formErrors } from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { PageError } from '../../components/PageError';
import {
  SessionFields,
  checkSessionValues,
  sessionBody,
  sessionFieldLabels,
  valuesOf,
  type SessionValues,
} from './SessionForm';
import { StatusTag, sessionStatusLabels, type Session } from './shared';

const people = (n: number) => (n === 1 ? '1 person was' : `${n} people were`);

/** Only the fields that differ from the stored session, so an unchanged time does not e-mail anyone. */
function changedFields(before: SessionValues, after: SessionValues): Record<string, unknown> {
  const a = sessionBody(before) as Record<string, unknown>;
  const b = sessionBody(after) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(b)) {
    const same =
      key === 'instructorIds'
        ? JSON.stringify([...(a[key] as string[])].sort()) ===
          JSON.stringify([...(b[key] as string[])].sort())
        : a[key] === b[key];
    if (!same) out[key] = b[key];
  }
  return out;
}

/** What the save did, in a sentence or two, from the API's answer. */
export function changeSummary(before: Session, after: SessionChange, sent: Record<string, unknown>): string {
  const parts: string[] = [];
  const names = after.promoted.map((p) => p.displayName).join(', ');
  if (after.capacity > before.capacity) {
    parts.push(
      after.promoted.length
        ? `Capacity raised from ${before.capacity} to ${after.capacity}: ${people(after.promoted.length)} moved from the waitlist and e-mailed (${names}).`
        : `Capacity raised from ${before.capacity} to ${after.capacity}.`,
    );
  } else if (after.capacity < before.capacity) {
    parts.push(`Capacity lowered from ${before.capacity} to ${after.capacity}.`);
  } else if (after.promoted.length) {
    parts.push(`${people(after.promoted.length)} moved from the waitlist and e-mailed (${names}).`);
  }
  if (after.skipped.length)
    parts.push(
      `Still on the waitlist because they are not eligible yet: ${after.skipped.map((p) => p.displayName).join(', ')}.`,
    );
  const moved = ['startsAt', 'endsAt', 'timeZone', 'venue', 'address', 'webinarUrl'].some((k) => k in sent);
  if (moved && after.confirmedCount > 0)
    parts.push('Everyone registered was e-mailed the new time and place with an updated calendar entry.');
  if (parts.length === 0) parts.push('Session saved.');
  parts.push(
    `Now ${after.confirmedCount} of ${after.capacity} seats taken, ${after.waitlistCount} on the waitlist.`,
  );
  return parts.join(' ');
}

/** Coordinators change a session's time, place, seats or instructors. */
export function EditSessionPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['session', id],
    queryFn: () => api.get<Session>(`/api/sessions/${id}`),
  });
  if (query.isError) return <PageError error={query.error} title="Edit session" what="session" />;
  if (!query.data)
    return (
      <Page title="Edit session">
        <Loading what="the session" />
      </Page>
    );
  // Keyed by the stored version, so the form starts from what is saved now.
  return <EditSessionForm key={`${query.data.id}-${query.data.sequence}`} session={query.data} />;
}

function EditSessionForm({ session: s }: { session: Session }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const initial = valuesOf(s);
  const [values, setValues] = useState<SessionValues>(initial);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const online = s.course.format === 'webinar' || s.course.format === 'online';

  const save = useMutation({
    mutationFn: async (body: Record<string, unknown>) => ({
      body,
      result: await api.patch<SessionChange>(`/api/sessions/${s.id}`, body),
    }),
    onSuccess: ({ body, result }) => {
      void queryClient.invalidateQueries({ queryKey: ['session', s.id] });
      void queryClient.invalidateQueries({ queryKey: ['sessions'] });
      void queryClient.invalidateQueries({ queryKey: ['roster', s.id] });
      navigate(`/sessions/${s.id}`, {
        state: { flash: { type: 'success', text: changeSummary(s, result, body) } },
      });
    },
    onError: () => setAttempt((n) => n + 1),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors = checkSessionValues(values);
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    const body = changedFields(initial, values);
    if (Object.keys(body).length === 0) {
      navigate(`/sessions/${s.id}`, { state: { flash: { type: 'info', text: 'Nothing changed.' } } });
      return;
    }
    save.mutate(body);
  };

  const serverErrors = formErrors(save.error);
  const fieldErrors: FieldErrors = { ...serverErrors, ...localErrors };
  const hasLocal = Object.keys(localErrors).length > 0;
  const title = `Edit session: ${s.course.code}`;

  if (s.status === 'cancelled')
    return (
      <Page title={title} documentTitle={`Edit session ${s.course.code}`}>
        <Alert type="info" headingLevel="h2" slim>
          This session is cancelled and can no longer change.
        </Alert>
        <p>
          <Link to={`/sessions/${s.id}`}>Back to the session</Link>
        </p>
      </Page>
    );

  return (
    <Page
      title={title}
      documentTitle={`Edit session ${s.course.code}`}
      lead={`${s.course.title}, ${s.event.title}.`}
    >
      <ErrorSummary
        error={hasLocal ? null : save.error}
        fieldErrors={fieldErrors}
        fields={sessionFieldLabels}
        attempt={attempt}
      />
      <p>
        Status: <StatusTag status={s.status} /> {s.confirmedCount} registered, {s.waitlistCount} on the
        waitlist. The status follows the seats ({sessionStatusLabels.full.toLowerCase()} when every seat is
        taken); to call the session off, use “Cancel this session” on the{' '}
        <Link to={`/sessions/${s.id}`}>session page</Link>.
      </p>
      <RequiredNote />
      <Form onSubmit={submit} noValidate large>
        <SessionFields
          values={values}
          onChange={(change) => setValues((v) => ({ ...v, ...change }))}
          fieldErrors={fieldErrors}
          online={online}
          currentInstructors={s.instructors}
          capacityHint={`${s.confirmedCount} people are registered now, so capacity cannot go below ${Math.max(1, s.confirmedCount)}. Raising it moves people from the waitlist at once and e-mails them.`}
        />
        <div className="margin-top-4">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save changes'}
          </Button>
          <Link to={`/sessions/${s.id}`} className="usa-button usa-button--unstyled margin-left-2">
            Back without saving
          </Link>
        </div>
      </Form>
    </Page>
  );
}
