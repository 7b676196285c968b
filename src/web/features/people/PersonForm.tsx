import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button, Checkbox, Fieldset, Form } from '@trussworks/react-uswds';
import { roles as allRoles, type Role } from '../../../domain/authz';
import { countyLabel } from '../../../contract/jurisdictions';
import { createPersonBody, titles } from '../../../contract/people';
import { useCounties, type Person } from '../../api';
import { usePrograms } from '../sessions/shared';
import { roleDescriptions, roleLabels } from '../../auth';
import {
  ErrorSummary,
  RequiredNote,
  SelectField,
  TextField,
  type FieldErrors,
  formErrors,
} from '../../components/Form';

export interface PersonValues {
  firstName: string;
  lastName: string;
  preferredName: string;
  email: string;
  phone: string;
  title: string;
  jurisdictionFips: string;
  roles: Role[];
  /** The counties the account is limited to: a county supervisor's, a regional coordinator's. */
  counties: string[];
  /** The programs a coordinator is limited to; none means every program. */
  programs: string[];
  sendInvite: boolean;
}

/** The roles that take counties: a county supervisor's (required), a coordinator's (optional). */
export const takesCounties = (roles: readonly Role[]) =>
  roles.includes('supervisor') || roles.includes('coordinator');

export function valuesFrom(p: Person | null): PersonValues {
  return {
    firstName: p?.firstName ?? '',
    lastName: p?.lastName ?? '',
    preferredName: p?.preferredName ?? '',
    email: p?.email ?? '',
    phone: p?.phone ?? '',
    title: p?.title ?? '',
    jurisdictionFips: p?.jurisdiction?.fips ?? '',
    roles: p?.roles ?? ['official'],
    counties: p?.counties ?? [],
    programs: p?.programs ?? [],
    sendInvite: true,
  };
}

const fields = {
  firstName: { id: 'firstName', label: 'First name' },
  lastName: { id: 'lastName', label: 'Last name' },
  preferredName: { id: 'preferredName', label: 'Preferred name' },
  email: { id: 'email', label: 'E-mail address' },
  phone: { id: 'phone', label: 'Phone' },
  title: { id: 'title', label: 'Title' },
  jurisdictionFips: { id: 'jurisdictionFips', label: 'County' },
  roles: { id: 'role-administrator', label: 'Roles' },
  counties: { id: 'add-county', label: 'Counties' },
  programs: { id: 'programs-hint', label: 'Programs coordinated' },
};

interface PersonFormProps {
  mode: 'create' | 'edit';
  person: Person | null;
  /** Show role checkboxes (administrators only). */
  canSetRoles: boolean;
  submitLabel: string;
  cancelTo: string;
  pending: boolean;
  error: unknown;
  attempt: number;
  onSubmit: (values: PersonValues) => void;
}

/** The fields of a person, shared by the "Add a person" and "Edit" pages. */
export function PersonForm(props: PersonFormProps) {
  const { mode, person, canSetRoles, submitLabel, cancelTo, pending, error, onSubmit } = props;
  const [values, setValues] = useState<PersonValues>(() => valuesFrom(person));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [localAttempt, setLocalAttempt] = useState(0);
  const counties = useCounties();
  const programs = usePrograms();

  const serverErrors = formErrors(error);
  const fieldErrors = { ...serverErrors, ...localErrors };
  const set =
    <K extends keyof PersonValues>(name: K) =>
    (value: PersonValues[K]) =>
      setValues((v) => ({ ...v, [name]: value }));

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // Check with the same schema the server uses, so most mistakes show before sending.
    const check = createPersonBody.safeParse({
      firstName: values.firstName,
      lastName: values.lastName,
      preferredName: values.preferredName,
      email: values.email,
      phone: values.phone,
      title: values.title,
      jurisdictionFips: values.jurisdictionFips || null,
      roles: values.roles,
      sendInvite: values.sendInvite,
    });
    const errors = check.success ? {} : formErrors(check.error.issues);
    if (canSetRoles && values.roles.length === 0) errors.roles = 'Choose at least one role.';
    if (canSetRoles && mode === 'edit' && values.roles.includes('supervisor') && values.counties.length === 0)
      errors.counties = 'Choose the counties this county supervisor sees.';
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setLocalAttempt((n) => n + 1);
      return;
    }
    onSubmit(values);
  };

  const toggleRole = (role: Role, on: boolean) =>
    setValues((v) => ({
      ...v,
      roles: on
        ? allRoles.filter((r) => r === role || v.roles.includes(r))
        : v.roles.filter((r) => r !== role),
    }));

  const titleOptions: string[] = [...titles];
  if (values.title && !titleOptions.includes(values.title)) titleOptions.unshift(values.title);
  const current = person?.jurisdiction;
  const countyMissing = current && !counties.data?.some((c) => c.fips === current.fips);

  const hasLocal = Object.keys(localErrors).length > 0;
  return (
    <>
      <ErrorSummary
        error={hasLocal ? null : error}
        fieldErrors={fieldErrors}
        fields={fields}
        attempt={props.attempt + localAttempt}
      />
      <RequiredNote />
      <Form onSubmit={submit} noValidate large>
        <Fieldset legend="Name" legendStyle="large">
          <TextField
            id="firstName"
            label="First name"
            autoComplete="off"
            value={values.firstName}
            onChange={set('firstName')}
            error={fieldErrors.firstName}
            required
          />
          <TextField
            id="lastName"
            label="Last name"
            autoComplete="off"
            value={values.lastName}
            onChange={set('lastName')}
            error={fieldErrors.lastName}
            required
          />
          <TextField
            id="preferredName"
            label="Preferred name"
            hint="The name they like to be called, if it is different from their first name."
            autoComplete="off"
            value={values.preferredName}
            onChange={set('preferredName')}
            error={fieldErrors.preferredName}
          />
        </Fieldset>

        <Fieldset legend="Contact" legendStyle="large" className="margin-top-4">
          <TextField
            id="email"
            type="email"
            label="E-mail address"
            hint={
              mode === 'create'
                ? 'They sign in with this address. The invitation goes here.'
                : canSetRoles
                  ? 'They sign in with this address. A new address takes effect when they follow the confirmation link we e-mail to it.'
                  : 'They sign in with this address. Only an administrator can change it.'
            }
            readOnly={mode === 'edit' && !canSetRoles}
            autoComplete="off"
            spellCheck={false}
            value={values.email}
            onChange={set('email')}
            error={fieldErrors.email}
            required
          />
          <TextField
            id="phone"
            type="tel"
            label="Phone"
            hint="For example 785-555-0123"
            autoComplete="off"
            value={values.phone}
            onChange={set('phone')}
            error={fieldErrors.phone}
          />
        </Fieldset>

        <Fieldset legend="Position" legendStyle="large" className="margin-top-4">
          <SelectField
            id="title"
            label="Title"
            value={values.title}
            onChange={set('title')}
            error={fieldErrors.title}
          >
            <option value="">No title</option>
            {titleOptions.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="jurisdictionFips"
            label="County"
            hint="Leave as “No county” for state office staff."
            value={values.jurisdictionFips}
            onChange={set('jurisdictionFips')}
            error={fieldErrors.jurisdictionFips}
          >
            <option value="">No county</option>
            {countyMissing && current && (
              <option value={current.fips}>
                {current.name}, {current.stateCode}
              </option>
            )}
            {counties.data?.map((c) => (
              <option key={c.fips} value={c.fips}>
                {c.name}
              </option>
            ))}
          </SelectField>
          {counties.isError && <p className="usa-error-message">We could not load the list of counties.</p>}
        </Fieldset>

        {canSetRoles && (
          <Fieldset
            legend="Roles"
            legendStyle="large"
            className={`margin-top-4${fieldErrors.roles ? ' usa-form-group--error' : ''}`}
            aria-describedby="roles-hint"
          >
            <div className="usa-hint" id="roles-hint">
              Roles decide what they can see and do. Most people are officials.
            </div>
            {fieldErrors.roles && <span className="usa-error-message">{fieldErrors.roles}</span>}
            {allRoles.map((r) => (
              <Checkbox
                key={r}
                id={`role-${r}`}
                name="roles"
                value={r}
                label={roleLabels[r]}
                labelDescription={roleDescriptions[r]}
                checked={values.roles.includes(r)}
                onChange={(e) => toggleRole(r, e.target.checked)}
                tile
              />
            ))}
          </Fieldset>
        )}

        {canSetRoles && mode === 'edit' && takesCounties(values.roles) && (
          <Fieldset
            legend={values.roles.includes('supervisor') ? 'Counties supervised' : 'Counties coordinated'}
            legendStyle="large"
            className={`margin-top-4${fieldErrors.counties ? ' usa-form-group--error' : ''}`}
          >
            <p className="usa-hint margin-top-0">
              {values.roles.includes('supervisor')
                ? 'A county supervisor sees the officials of these counties only, with their progress and transcripts.'
                : 'A coordinator with counties here runs the officials of these counties only. Leave it empty for the whole state.'}
              {values.roles.includes('supervisor') &&
                values.roles.includes('coordinator') &&
                ' They coordinate these counties only, too.'}
            </p>
            {fieldErrors.counties && <span className="usa-error-message">{fieldErrors.counties}</span>}
            {values.counties.length > 0 && (
              <ul className="usa-list usa-list--unstyled margin-bottom-2">
                {values.counties.map((f) => {
                  const c = counties.data?.find((x) => x.fips === f);
                  const label = c ? countyLabel(c) : f;
                  return (
                    <li key={f} className="margin-bottom-05">
                      {label}{' '}
                      <Button
                        type="button"
                        unstyled
                        onClick={() => set('counties')(values.counties.filter((x) => x !== f))}
                      >
                        Remove<span className="usa-sr-only"> {label}</span>
                      </Button>
                    </li>
                  );
                })}
              </ul>
            )}
            <SelectField
              id="add-county"
              label="Add a county"
              value=""
              onChange={(f) => f && set('counties')([...new Set([...values.counties, f])].sort())}
            >
              <option value="">Choose a county</option>
              {counties.data
                ?.filter((c) => !values.counties.includes(c.fips))
                .map((c) => (
                  <option key={c.fips} value={c.fips}>
                    {c.name}
                  </option>
                ))}
            </SelectField>
          </Fieldset>
        )}

        {canSetRoles && mode === 'edit' && values.roles.includes('coordinator') && (
          <Fieldset
            legend="Programs coordinated"
            legendStyle="large"
            className={`margin-top-4${fieldErrors.programs ? ' usa-form-group--error' : ''}`}
            aria-describedby="programs-hint"
          >
            <p className="usa-hint margin-top-0" id="programs-hint">
              A coordinator limited to some programs runs their enrollments, claims fees, awards and reports
              only, and the officials enrolled in them. Leave every box empty for all programs.
            </p>
            {fieldErrors.programs && <span className="usa-error-message">{fieldErrors.programs}</span>}
            {programs.isError && <p className="usa-error-message">We could not load the programs.</p>}
            {programs.data?.map((p) => (
              <Checkbox
                key={p.id}
                id={`program-${p.id}`}
                name="programs"
                value={p.id}
                label={p.name}
                checked={values.programs.includes(p.id)}
                onChange={(e) =>
                  set('programs')(
                    e.target.checked
                      ? [...new Set([...values.programs, p.id])].sort()
                      : values.programs.filter((x) => x !== p.id),
                  )
                }
              />
            ))}
          </Fieldset>
        )}

        {mode === 'create' && (
          <Fieldset legend="Invitation" legendStyle="large" className="margin-top-4">
            <Checkbox
              id="sendInvite"
              name="sendInvite"
              label="Send an invitation e-mail"
              labelDescription="The e-mail has a link to choose a password. The link works once."
              checked={values.sendInvite}
              onChange={(e) => set('sendInvite')(e.target.checked)}
            />
          </Fieldset>
        )}

        <div className="margin-top-4">
          <Button type="submit" disabled={pending}>
            {pending ? 'Saving…' : submitLabel}
          </Button>
          <Link to={cancelTo} className="usa-button usa-button--unstyled margin-left-2">
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
