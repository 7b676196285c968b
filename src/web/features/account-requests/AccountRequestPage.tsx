import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { accountRequestBody } from '../../../contract/account-requests';
import { titles } from '../../../contract/people';
import { Alert } from '../../components/Alert';
import { api, useCounties } from '../../api';
import { Page } from '../../components/Page';
import {
  ErrorSummary,
  RequiredNote,
  SelectField,
  TextareaField,
  TextField,
  type FieldErrors,
  formErrors,
} from '../../components/Form';

const fields = {
  firstName: { id: 'firstName', label: 'First name' },
  lastName: { id: 'lastName', label: 'Last name' },
  email: { id: 'email', label: 'E-mail address' },
  jurisdictionFips: { id: 'jurisdictionFips', label: 'County' },
  position: { id: 'position', label: 'Position' },
  note: { id: 'note', label: 'Anything else' },
};
type Values = Record<keyof typeof fields, string>;

/** Ask for an account, without one (issue 17): a coordinator approves or declines it. */
export function AccountRequestPage() {
  const [values, setValues] = useState<Values>({
    firstName: '',
    lastName: '',
    email: '',
    jurisdictionFips: '',
    position: '',
    note: '',
  });
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const counties = useCounties();
  const send = useMutation({
    mutationFn: (body: unknown) =>
      api.post<{ received: true; message: string }>('/api/account-requests', body),
    onError: () => setAttempt((n) => n + 1),
  });
  const set = (name: keyof Values) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  const fieldErrors = { ...formErrors(send.error), ...localErrors };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // The same schema the server checks, so most mistakes show before sending.
    const check = accountRequestBody.safeParse({ ...values, note: values.note || null });
    if (!check.success) {
      send.reset();
      setLocalErrors(formErrors(check.error.issues));
      setAttempt((n) => n + 1);
      return;
    }
    setLocalErrors({});
    send.mutate(check.data);
  };

  return (
    <div className="grid-row">
      <div className="tablet:grid-col-10 desktop:grid-col-8">
        <Page title="Ask for an account">
          {send.isSuccess ? (
            <>
              <Alert type="success" headingLevel="h2" heading="Request sent" role="status">
                {send.data.message}
              </Alert>
              <p className="margin-top-3">
                Meanwhile you can <Link to="/sessions">browse the session calendar</Link> and the{' '}
                <Link to="/catalog">course catalog</Link>.
              </p>
            </>
          ) : (
            <>
              <p>
                Officials and their staff use CivicCert to register for training and follow their
                certification. Tell us who you are; a program coordinator checks the request and we e-mail you
                either way. If it is approved, the e-mail has a link to choose your password.
              </p>
              <ErrorSummary
                error={Object.keys(localErrors).length ? null : send.error}
                fieldErrors={fieldErrors}
                fields={fields}
                attempt={attempt}
              />
              <RequiredNote />
              <Form onSubmit={submit} noValidate large>
                <TextField
                  id="firstName"
                  label="First name"
                  autoComplete="given-name"
                  value={values.firstName}
                  onChange={set('firstName')}
                  error={fieldErrors.firstName}
                  required
                />
                <TextField
                  id="lastName"
                  label="Last name"
                  autoComplete="family-name"
                  value={values.lastName}
                  onChange={set('lastName')}
                  error={fieldErrors.lastName}
                  required
                />
                <TextField
                  id="email"
                  label="E-mail address"
                  hint="Your work address; it becomes your sign-in."
                  type="email"
                  autoComplete="email"
                  spellCheck={false}
                  value={values.email}
                  onChange={set('email')}
                  error={fieldErrors.email}
                  required
                />
                <SelectField
                  id="jurisdictionFips"
                  label="County"
                  value={values.jurisdictionFips}
                  onChange={set('jurisdictionFips')}
                  error={fieldErrors.jurisdictionFips}
                  required
                >
                  <option value="">Choose your county</option>
                  {counties.data?.map((c) => (
                    <option key={c.fips} value={c.fips}>
                      {c.name}
                    </option>
                  ))}
                </SelectField>
                {counties.isError && (
                  <p className="usa-error-message">We could not load the list of counties.</p>
                )}
                <SelectField
                  id="position"
                  label="Position"
                  value={values.position}
                  onChange={set('position')}
                  error={fieldErrors.position}
                  required
                >
                  <option value="">Choose your position</option>
                  {titles.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </SelectField>
                <TextareaField
                  id="note"
                  label="Anything else"
                  hint="Optional: e.g. when you took office, or who asked you to take the training."
                  value={values.note}
                  onChange={set('note')}
                  error={fieldErrors.note}
                />
                <Button type="submit" disabled={send.isPending}>
                  {send.isPending ? 'Sending…' : 'Send my request'}
                </Button>
              </Form>
              <p className="margin-top-3">
                Already have an account? <Link to="/sign-in">Sign in</Link>
              </p>
            </>
          )}
        </Page>
      </div>
    </div>
  );
}
