import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Fieldset, Form } from '@trussworks/react-uswds';
import type { SessionCreated } from '../../../contract/sessions';
import { scheduleWarnings } from '../../../domain/registration';
import { api, qs, type Paged } from '../../api';
import {
  ErrorSummary,
  RequiredNote,
  SelectField,
  TextField,
  type FieldErrors,
  formErrors,
} from '../../components/Form';
import { Page } from '../../components/Page';
import {
  SessionFields,
  checkSessionValues,
  sessionBody,
  sessionFieldLabels,
  toInstant,
  type SessionValues,
} from './SessionForm';
import { formatLabels, useAllCourses, usePrograms, type Event } from './shared';

const NEW_EVENT = 'new';

interface Values extends SessionValues {
  courseId: string;
  eventId: string;
  eventTitle: string;
}

const fields = {
  courseId: { id: 'courseId', label: 'Course' },
  eventId: { id: 'eventId', label: 'Event' },
  eventTitle: { id: 'eventTitle', label: 'New event name' },
  ...sessionFieldLabels,
};

/** Coordinators schedule a session of a course, in an existing or a new event. */
export function ScheduleSessionPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const courses = useAllCourses();
  const programs = usePrograms();
  const events = useQuery({
    queryKey: ['events', 'all'],
    queryFn: () => api.get<Paged<Event>>(`/api/events${qs({ pageSize: 200 })}`),
    select: (d) => d.items,
  });
  // "Schedule a session" from the courses short of seats opens with the course chosen.
  const [params] = useSearchParams();
  const [values, setValues] = useState<Values>({
    courseId: params.get('courseId') ?? '',
    eventId: '',
    eventTitle: '',
    startsAt: '',
    endsAt: '',
    timeZone: 'America/Chicago',
    venue: '',
    address: '',
    webinarUrl: '',
    capacity: '30',
    minimum: '5',
    registrationOpensAt: '',
    registrationClosesAt: '',
    instructorIds: [],
  });
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const set = (name: keyof Values) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  const course = courses.data?.find((c) => c.id === values.courseId);
  const online = course && (course.format === 'webinar' || course.format === 'online');

  // One request: a new event is created with the session, in one transaction, so a refused
  // session leaves no event behind.
  const save = useMutation({
    mutationFn: (v: Values) =>
      api.post<SessionCreated>('/api/sessions', {
        ...(v.eventId === NEW_EVENT
          ? { event: { title: v.eventTitle, programId: course?.programId ?? null } }
          : { eventId: v.eventId }),
        courseId: v.courseId,
        ...sessionBody(v),
      }),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['sessions'] });
      void queryClient.invalidateQueries({ queryKey: ['events'] });
      const done = `Scheduled ${s.course.code} for ${s.event.title}.`;
      navigate(`/sessions/${s.id}`, {
        state: {
          flash: s.warnings.length
            ? { type: 'warning', text: [done, ...s.warnings.map((w) => w.message)].join(' ') }
            : { type: 'success', text: done },
        },
      });
    },
    onError: () => setAttempt((n) => n + 1),
  });
  // Said before sending, at the Starts field; the API gives the same warning in its answer.
  const startsAt = toInstant(values.startsAt, values.timeZone);
  const warnings = Object.fromEntries(
    startsAt ? scheduleWarnings({ startsAt }, Date.now()).map((w) => [w.field, w.message]) : [],
  );

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = checkSessionValues(values);
    if (!values.courseId) errors.courseId = 'Choose a course.';
    if (!values.eventId) errors.eventId = 'Choose an event, or make a new one.';
    if (values.eventId === NEW_EVENT && !values.eventTitle.trim())
      errors.eventTitle = 'Give the new event a name.';
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    save.mutate(values);
  };

  const serverErrors = formErrors(save.error);
  // The new event's fields come back as event.title: shown at the new event's name.
  if (serverErrors.event && !serverErrors.eventTitle) serverErrors.eventTitle = serverErrors.event;
  delete serverErrors.event;
  const fieldErrors: FieldErrors = { ...serverErrors, ...localErrors };
  const hasLocal = Object.keys(localErrors).length > 0;
  const programName = (id: string | null) => programs.data?.find((p) => p.id === id)?.name;

  return (
    <Page title="Schedule a session">
      <ErrorSummary
        error={hasLocal ? null : save.error}
        fieldErrors={fieldErrors}
        fields={fields}
        attempt={attempt}
      />
      <RequiredNote />
      <Form onSubmit={submit} noValidate large>
        <Fieldset legend="What" legendStyle="large">
          <SelectField
            id="courseId"
            label="Course"
            required
            value={values.courseId}
            onChange={(id) => {
              const c = courses.data?.find((x) => x.id === id);
              const zone = programs.data?.find((p) => p.id === c?.programId)?.timeZone;
              setValues((v) => ({ ...v, courseId: id, timeZone: zone ?? v.timeZone }));
            }}
            error={fieldErrors.courseId}
          >
            <option value="">Choose a course</option>
            {courses.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code}: {c.title} ({formatLabels[c.format]})
              </option>
            ))}
          </SelectField>
          {courses.data?.length === 0 && (
            <p className="usa-hint">
              There are no courses in the catalog yet. Add courses before scheduling.
            </p>
          )}
          <SelectField
            id="eventId"
            label="Event"
            hint="An event groups sessions, for example “Year One, Spring, Topeka”."
            required
            value={values.eventId}
            onChange={set('eventId')}
            error={fieldErrors.eventId}
          >
            <option value="">Choose an event</option>
            <option value={NEW_EVENT}>A new event…</option>
            {events.data?.map((ev) => (
              <option key={ev.id} value={ev.id}>
                {ev.title}
                {programName(ev.programId) ? ` (${programName(ev.programId)})` : ''}
              </option>
            ))}
          </SelectField>
          {values.eventId === NEW_EVENT && (
            <TextField
              id="eventTitle"
              label="New event name"
              required
              value={values.eventTitle}
              onChange={set('eventTitle')}
              error={fieldErrors.eventTitle}
            />
          )}
        </Fieldset>

        <SessionFields
          values={values}
          onChange={(change) => setValues((v) => ({ ...v, ...change }))}
          fieldErrors={fieldErrors}
          warnings={warnings}
          online={online}
        />

        <div className="margin-top-4">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Scheduling…' : 'Schedule session'}
          </Button>
          <Link to="/sessions" className="usa-button usa-button--unstyled margin-left-2">
            Cancel
          </Link>
        </div>
      </Form>
    </Page>
  );
}
