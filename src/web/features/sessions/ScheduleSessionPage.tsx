import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Fieldset, Form } from '@trussworks/react-uswds';
import { parseInstant } from '../../../domain/time';
import { api, ApiError, qs, type Paged, type Person } from '../../api';
import { ErrorSummary, RequiredNote, SelectField, TextField, type FieldErrors } from '../../components/Form';
import { Page } from '../../components/Page';
import {
  InputField,
  firstSegmentErrors,
  formatLabels,
  useAllCourses,
  usePrograms,
  usTimeZones,
  type Event,
  type Session,
} from './shared';

const NEW_EVENT = 'new';

interface Values {
  courseId: string;
  eventId: string;
  eventTitle: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venue: string;
  address: string;
  webinarUrl: string;
  capacity: string;
  minimum: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
  instructorIds: string[];
}

const fields = {
  courseId: { id: 'courseId', label: 'Course' },
  eventId: { id: 'eventId', label: 'Event' },
  eventTitle: { id: 'eventTitle', label: 'New event name' },
  title: { id: 'eventTitle', label: 'New event name' },
  startsAt: { id: 'startsAt', label: 'Starts' },
  endsAt: { id: 'endsAt', label: 'Ends' },
  timeZone: { id: 'timeZone', label: 'Time zone' },
  venue: { id: 'venue', label: 'Venue' },
  address: { id: 'address', label: 'Address' },
  webinarUrl: { id: 'webinarUrl', label: 'Webinar link' },
  capacity: { id: 'capacity', label: 'Capacity' },
  minimum: { id: 'minimum', label: 'Minimum' },
  registrationOpensAt: { id: 'registrationOpensAt', label: 'Registration opens' },
  registrationClosesAt: { id: 'registrationClosesAt', label: 'Registration closes' },
  instructorIds: { id: 'instructors', label: 'Instructors' },
};

/** A local date and time typed in the form, read in the chosen zone, as an ISO instant. */
function toInstant(local: string, timeZone: string): string | null {
  if (!local) return null;
  const ms = parseInstant(local, timeZone);
  return ms === undefined ? null : new Date(ms).toISOString();
}

const wholeNumber = (v: string) => /^\d+$/.test(v.trim());

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
  const instructors = useQuery({
    queryKey: ['people', 'instructors'],
    queryFn: () => api.get<Paged<Person>>(`/api/people${qs({ role: 'instructor', pageSize: 200 })}`),
    select: (d) => d.items,
  });
  const [values, setValues] = useState<Values>({
    courseId: '',
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

  const save = useMutation({
    mutationFn: async (v: Values) => {
      let eventId = v.eventId;
      if (eventId === NEW_EVENT) {
        const created = await api.post<Event>('/api/events', {
          title: v.eventTitle,
          programId: course?.programId ?? null,
        });
        eventId = created.id;
        // Keep the new event chosen, so a second try does not create another one.
        setValues((x) => ({ ...x, eventId: created.id, eventTitle: '' }));
        await queryClient.invalidateQueries({ queryKey: ['events'] });
      }
      return api.post<Session>('/api/sessions', {
        eventId,
        courseId: v.courseId,
        startsAt: toInstant(v.startsAt, v.timeZone),
        endsAt: toInstant(v.endsAt, v.timeZone),
        timeZone: v.timeZone,
        venue: v.venue || null,
        address: v.address || null,
        webinarUrl: v.webinarUrl || null,
        capacity: Number(v.capacity),
        minimum: Number(v.minimum),
        registrationOpensAt: toInstant(v.registrationOpensAt, v.timeZone),
        registrationClosesAt: toInstant(v.registrationClosesAt, v.timeZone),
        instructorIds: v.instructorIds,
      });
    },
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: ['sessions'] });
      navigate(`/sessions/${s.id}`, {
        state: { flash: { type: 'success', text: `Scheduled ${s.course.code} for ${s.event.title}.` } },
      });
    },
    onError: () => setAttempt((n) => n + 1),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!values.courseId) errors.courseId = 'Choose a course.';
    if (!values.eventId) errors.eventId = 'Choose an event, or make a new one.';
    if (values.eventId === NEW_EVENT && !values.eventTitle.trim())
      errors.eventTitle = 'Give the new event a name.';
    if (!values.startsAt) errors.startsAt = 'Enter the date and time the session starts.';
    if (!values.endsAt) errors.endsAt = 'Enter the date and time the session ends.';
    if (!wholeNumber(values.capacity)) errors.capacity = 'Capacity must be a whole number, like 30.';
    if (!wholeNumber(values.minimum)) errors.minimum = 'Minimum must be a whole number, like 5.';
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    save.mutate(values);
  };

  const serverErrors = save.error instanceof ApiError ? firstSegmentErrors(save.error.fieldErrors) : {};
  if (serverErrors.title && !serverErrors.eventTitle) serverErrors.eventTitle = serverErrors.title;
  const fieldErrors: FieldErrors = { ...serverErrors, ...localErrors };
  const hasLocal = Object.keys(localErrors).length > 0;
  const zoneHint = `In the session's time zone (${values.timeZone}).`;
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

        <Fieldset legend="When" legendStyle="large" className="margin-top-4">
          <SelectField
            id="timeZone"
            label="Time zone"
            required
            value={values.timeZone}
            onChange={set('timeZone')}
            error={fieldErrors.timeZone}
          >
            {!usTimeZones.some((z) => z.id === values.timeZone) && (
              <option value={values.timeZone}>{values.timeZone}</option>
            )}
            {usTimeZones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.label}
              </option>
            ))}
          </SelectField>
          <InputField
            id="startsAt"
            type="datetime-local"
            label="Starts"
            hint={zoneHint}
            required
            value={values.startsAt}
            onChange={set('startsAt')}
            error={fieldErrors.startsAt}
          />
          <InputField
            id="endsAt"
            type="datetime-local"
            label="Ends"
            hint={zoneHint}
            required
            value={values.endsAt}
            onChange={set('endsAt')}
            error={fieldErrors.endsAt}
          />
          <InputField
            id="registrationOpensAt"
            type="datetime-local"
            label="Registration opens"
            hint="Leave empty to open registration now."
            value={values.registrationOpensAt}
            onChange={set('registrationOpensAt')}
            error={fieldErrors.registrationOpensAt}
          />
          <InputField
            id="registrationClosesAt"
            type="datetime-local"
            label="Registration closes"
            hint="Leave empty to close when the session starts. Coordinators are warned if the session is below its minimum by then."
            value={values.registrationClosesAt}
            onChange={set('registrationClosesAt')}
            error={fieldErrors.registrationClosesAt}
          />
        </Fieldset>

        <Fieldset legend="Where" legendStyle="large" className="margin-top-4">
          <p className="usa-hint">
            {online
              ? 'This course is taught online: give the webinar link.'
              : 'Give the venue or address for an in-person session, or a webinar link for one online.'}
          </p>
          <TextField
            id="venue"
            label="Venue"
            hint="For example: Memorial Building, Room 100"
            value={values.venue}
            onChange={set('venue')}
            error={fieldErrors.venue}
          />
          <TextField
            id="address"
            label="Address"
            value={values.address}
            onChange={set('address')}
            error={fieldErrors.address}
          />
          <InputField
            id="webinarUrl"
            type="url"
            inputMode="url"
            label="Webinar link"
            hint="Starts with https://"
            value={values.webinarUrl}
            onChange={set('webinarUrl')}
            error={fieldErrors.webinarUrl}
          />
        </Fieldset>

        <Fieldset legend="Seats" legendStyle="large" className="margin-top-4">
          <InputField
            id="capacity"
            type="number"
            inputMode="numeric"
            min={1}
            label="Capacity"
            hint="The most people who can attend. Others go on the waitlist."
            required
            value={values.capacity}
            onChange={set('capacity')}
            error={fieldErrors.capacity}
            inputClassName="usa-input--small"
          />
          <InputField
            id="minimum"
            type="number"
            inputMode="numeric"
            min={0}
            label="Minimum"
            hint="The fewest people needed for the session to go ahead."
            required
            value={values.minimum}
            onChange={set('minimum')}
            error={fieldErrors.minimum}
            inputClassName="usa-input--small"
          />
        </Fieldset>

        <Fieldset
          legend="Instructors"
          legendStyle="large"
          className={`margin-top-4${fieldErrors.instructorIds ? ' usa-form-group--error' : ''}`}
        >
          {fieldErrors.instructorIds && (
            <span className="usa-error-message">{fieldErrors.instructorIds}</span>
          )}
          {instructors.data?.length === 0 && <p>No one has the instructor role yet.</p>}
          {instructors.data?.map((p, i) => (
            <Checkbox
              key={p.id}
              id={i === 0 ? 'instructors' : `instructor-${p.id}`}
              name="instructorIds"
              value={p.id}
              label={p.displayName}
              checked={values.instructorIds.includes(p.id)}
              onChange={(e) =>
                setValues((v) => ({
                  ...v,
                  instructorIds: e.target.checked
                    ? [...v.instructorIds, p.id]
                    : v.instructorIds.filter((x) => x !== p.id),
                }))
              }
            />
          ))}
        </Fieldset>

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
