import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { profileUpdateBody } from '../../../contract/people';
import { api, fetchSession, sessionKey, type Person } from '../../api';
import { Loading, Page } from '../../components/Page';
import { PageError } from '../../components/PageError';
import { ErrorSummary, TextField, type FieldErrors, formErrors } from '../../components/Form';
import { Facts, RoleTags } from '../../components/Facts';
import { NotificationPreferences } from './NotificationPreferences';

const fields = {
  preferredName: { id: 'preferredName', label: 'Preferred name' },
  phone: { id: 'phone', label: 'Phone' },
};

export function ProfilePage() {
  const queryClient = useQueryClient();
  const profile = useQuery({ queryKey: ['profile'], queryFn: () => api.get<Person>('/api/profile') });
  const [preferredName, setPreferredName] = useState('');
  const [phone, setPhone] = useState('');
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (profile.data) {
      setPreferredName(profile.data.preferredName ?? '');
      setPhone(profile.data.phone ?? '');
    }
  }, [profile.data]);

  const save = useMutation({
    mutationFn: () =>
      api.patch<Person>('/api/profile', {
        preferredName: preferredName.trim() || null,
        phone: phone.trim() || null,
      }),
    onSuccess: async (person) => {
      queryClient.setQueryData(['profile'], person);
      // The display name in the header may have changed.
      queryClient.setQueryData(sessionKey, await fetchSession());
    },
    onError: () => setAttempt((n) => n + 1),
  });

  if (profile.isError) return <PageError error={profile.error} title="My profile" />;
  if (!profile.data)
    return (
      <Page title="My profile">
        <Loading what="your details" />
      </Page>
    );
  const p = profile.data;
  const serverErrors = formErrors(save.error);
  const fieldErrors = { ...serverErrors, ...localErrors };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const check = profileUpdateBody.safeParse({ preferredName, phone });
    const errors = check.success ? {} : formErrors(check.error.issues);
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      save.reset();
      setAttempt((n) => n + 1);
      return;
    }
    save.mutate();
  };

  return (
    <Page title="My profile">
      <h2>Your details</h2>
      <Facts
        items={[
          ['Name', `${p.firstName} ${p.lastName}`],
          ['Preferred name', p.preferredName],
          [
            'E-mail',
            p.pendingEmail ? (
              <span key="e">
                {p.email}
                <span className="display-block text-base-dark" data-testid="pending-email">
                  Changing to {p.pendingEmail}: a confirmation link was sent to {p.pendingEmail}. Follow it to
                  sign in with the new address.
                </span>
              </span>
            ) : (
              p.email
            ),
          ],
          ['Phone', p.phone],
          ['Title', p.title],
          ['Jurisdiction', p.jurisdiction ? `${p.jurisdiction.name}, ${p.jurisdiction.stateName}` : null],
          ['Roles', <RoleTags key="roles" roles={p.roles} />],
        ]}
      />
      <p className="usa-hint">
        To change your name, e-mail address, title or county, contact your program administrator.
      </p>

      <h2>Signing in</h2>
      <p>
        <Link to="/profile/security">Two-step sign-in</Link>: protect your account with a code from an
        authenticator app.
      </p>

      <NotificationPreferences />
      <p>
        <Link to="/my-sessions#calendar-feed-heading">Your calendar feed address</Link>: the same address on
        every device, shown on My sessions, where you can also replace it.
      </p>

      <h2>Your data</h2>
      <p>
        <a href="/api/profile/export" download>
          Download all your data (JSON)
        </a>
        : your profile, enrollments, credits, claims, registrations, awards and transcripts in one file.
      </p>

      <h2>Change your preferred name or phone</h2>
      {save.isSuccess && (
        <Alert type="success" headingLevel="h3" slim role="status" className="margin-bottom-2">
          Your changes are saved.
        </Alert>
      )}
      <ErrorSummary error={save.error} fieldErrors={fieldErrors} fields={fields} attempt={attempt} />
      <Form onSubmit={submit} noValidate large>
        <TextField
          id="preferredName"
          label="Preferred name"
          hint="The name you like to be called. Leave empty to use your first name."
          autoComplete="nickname"
          value={preferredName}
          onChange={setPreferredName}
          error={fieldErrors.preferredName}
        />
        <TextField
          id="phone"
          type="tel"
          label="Phone"
          hint="For example 785-555-0123"
          autoComplete="tel"
          value={phone}
          onChange={setPhone}
          error={fieldErrors.phone}
        />
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save changes'}
        </Button>
      </Form>
    </Page>
  );
}
