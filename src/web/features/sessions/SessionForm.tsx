/**
 * The when, where, seats and instructors of a session: the fields shared by
 * "Schedule a session" and "Edit session". Times are typed as wall-clock
 * times in the session's own time zone and sent as instants.
 */
import { useQuery } from '@tanstack/react-query';
import { Checkbox, Fieldset } from '@trussworks/react-uswds';
import { parseInstant } from '../../../domain/time';
import { api, qs, type Paged, type Person } from '../../api';
import { SelectField, TextField, type FieldErrors } from '../../components/Form';
import { usTimeZones, type Session } from './shared';

export interface SessionValues {
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

/** Field name (as the server names it) → element id and label, for the error summary. */
export const sessionFieldLabels: Record<string, { id: string; label: string }> = {
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
export function toInstant(local: string, timeZone: string): string | null {
  if (!local) return null;
  const ms = parseInstant(local, timeZone);
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** An instant as the wall clock in a zone, the way a datetime-local input shows it ("2027-04-12T09:00"). */
export function toWallClock(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return '';
  }
  const parts = f.formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** The form's values for a stored session. */
export function valuesOf(s: Session): SessionValues {
  return {
    startsAt: toWallClock(s.startsAt, s.timeZone),
    endsAt: toWallClock(s.endsAt, s.timeZone),
    timeZone: s.timeZone,
    venue: s.venue ?? '',
    address: s.address ?? '',
    webinarUrl: s.webinarUrl ?? '',
    capacity: String(s.capacity),
    minimum: String(s.minimum),
    registrationOpensAt: toWallClock(s.registrationOpensAt, s.timeZone),
    registrationClosesAt: toWallClock(s.registrationClosesAt, s.timeZone),
    instructorIds: s.instructors.map((i) => i.personId),
  };
}

/** The request body for these values (every field), as the API takes it. */
export function sessionBody(v: SessionValues) {
  return {
    startsAt: toInstant(v.startsAt, v.timeZone),
    endsAt: toInstant(v.endsAt, v.timeZone),
    timeZone: v.timeZone,
    venue: v.venue.trim() || null,
    address: v.address.trim() || null,
    webinarUrl: v.webinarUrl.trim() || null,
    capacity: Number(v.capacity),
    minimum: Number(v.minimum),
    registrationOpensAt: toInstant(v.registrationOpensAt, v.timeZone),
    registrationClosesAt: toInstant(v.registrationClosesAt, v.timeZone),
    instructorIds: v.instructorIds,
  };
}

const wholeNumber = (v: string) => /^\d+$/.test(v.trim());

/** Checks the browser can make before sending: required times and whole numbers. */
export function checkSessionValues(v: SessionValues): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.startsAt) errors.startsAt = 'Enter the date and time the session starts.';
  if (!v.endsAt) errors.endsAt = 'Enter the date and time the session ends.';
  if (!wholeNumber(v.capacity)) errors.capacity = 'Capacity must be a whole number, like 30.';
  if (!wholeNumber(v.minimum)) errors.minimum = 'Minimum must be a whole number, like 5.';
  return errors;
}

interface SessionFieldsProps {
  values: SessionValues;
  onChange: (change: Partial<SessionValues>) => void;
  fieldErrors: FieldErrors;
  /** Warnings that do not stop saving, by field (a start in the past). */
  warnings?: Record<string, string>;
  /** The course is taught online (webinar or online format). */
  online?: boolean;
  /** Extra text under the capacity field (the edit page says what a change does). */
  capacityHint?: string;
  /** Names of the instructors already on the session (someone may have lost the role since). */
  currentInstructors?: { personId: string; displayName: string }[];
}

/** The When, Where, Seats and Instructors fieldsets. */
export function SessionFields({
  values,
  onChange,
  fieldErrors,
  warnings = {},
  online,
  capacityHint,
  currentInstructors = [],
}: SessionFieldsProps) {
  const instructors = useQuery({
    queryKey: ['people', 'instructors'],
    queryFn: () => api.get<Paged<Person>>(`/api/people${qs({ role: 'instructor', pageSize: 200 })}`),
    select: (d) => d.items,
  });
  const set = (name: keyof SessionValues) => (value: string) => onChange({ [name]: value });
  const zoneHint = `In the session's time zone (${values.timeZone}).`;
  // Someone chosen earlier who no longer has the instructor role stays listed, so they can be removed.
  const listed = instructors.data ?? [];
  const extra = values.instructorIds.filter((id) => !listed.some((p) => p.id === id));

  return (
    <>
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
        <TextField
          id="startsAt"
          type="datetime-local"
          label="Starts"
          hint={
            warnings.startsAt ? (
              <>
                {zoneHint}
                <span className="field-warning" role="status">
                  Warning: {warnings.startsAt}
                </span>
              </>
            ) : (
              zoneHint
            )
          }
          required
          value={values.startsAt}
          onChange={set('startsAt')}
          error={fieldErrors.startsAt}
        />
        <TextField
          id="endsAt"
          type="datetime-local"
          label="Ends"
          hint={zoneHint}
          required
          value={values.endsAt}
          onChange={set('endsAt')}
          error={fieldErrors.endsAt}
        />
        <TextField
          id="registrationOpensAt"
          type="datetime-local"
          label="Registration opens"
          hint="Leave empty to open registration now."
          value={values.registrationOpensAt}
          onChange={set('registrationOpensAt')}
          error={fieldErrors.registrationOpensAt}
        />
        <TextField
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
        <TextField
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
        <TextField
          id="capacity"
          type="number"
          inputMode="numeric"
          min={1}
          label="Capacity"
          hint={capacityHint ?? 'The most people who can attend. Others go on the waitlist.'}
          required
          value={values.capacity}
          onChange={set('capacity')}
          error={fieldErrors.capacity}
          className="usa-input--small"
        />
        <TextField
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
          className="usa-input--small"
        />
      </Fieldset>

      <Fieldset
        legend="Instructors"
        legendStyle="large"
        className={`margin-top-4${fieldErrors.instructorIds ? ' usa-form-group--error' : ''}`}
      >
        {fieldErrors.instructorIds && <span className="usa-error-message">{fieldErrors.instructorIds}</span>}
        {instructors.data?.length === 0 && extra.length === 0 && <p>No one has the instructor role yet.</p>}
        {[
          ...listed.map((p) => ({ id: p.id, name: p.displayName })),
          ...extra.map((id) => ({
            id,
            name: currentInstructors.find((c) => c.personId === id)?.displayName ?? 'Former instructor',
          })),
        ].map((p, i) => (
          <Checkbox
            key={p.id}
            id={i === 0 ? 'instructors' : `instructor-${p.id}`}
            name="instructorIds"
            value={p.id}
            label={p.name}
            checked={values.instructorIds.includes(p.id)}
            onChange={(e) =>
              onChange({
                instructorIds: e.target.checked
                  ? [...values.instructorIds, p.id]
                  : values.instructorIds.filter((x) => x !== p.id),
              })
            }
          />
        ))}
      </Fieldset>
    </>
  );
}
