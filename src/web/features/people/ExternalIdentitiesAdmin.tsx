import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import type { ExternalIdentityView } from '../../../contract/auth';
import { api, useSession } from '../../api';
import { Alert } from '../../components/Alert';
import { formErrors, SelectField, TextField, type FieldErrors } from '../../components/Form';
import { ErrorAlert } from '../../components/PageError';
import { browserZone, formatDateTime } from '../../format';

const linkedByText: Record<ExternalIdentityView['linkedBy'], string> = {
  email: 'by verified e-mail',
  jit: 'created on first sign-in',
  administrator: 'by an administrator',
};

/**
 * For administrators on a person's page (issue 17): the OpenID providers' identities linked to the
 * account, unlinking one, and linking one by hand (provider and subject).
 */
export function ExternalIdentitiesAdmin({
  personId,
  name,
  canManage,
}: {
  personId: string;
  name: string;
  /** Link and unlink by hand (the person's `manageIdentities` ability). */
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  const providers = useSession().data?.signIn?.providers ?? [];
  const key = ['person', personId, 'external-identities'];
  const links = useQuery({
    queryKey: key,
    queryFn: () => api.get<{ items: ExternalIdentityView[] }>(`/api/people/${personId}/external-identities`),
  });
  const [provider, setProvider] = useState('');
  const [subject, setSubject] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const done = (data: { items: ExternalIdentityView[] }) => queryClient.setQueryData(key, data);
  const link = useMutation({
    mutationFn: () =>
      api.post<{ items: ExternalIdentityView[] }>(`/api/people/${personId}/external-identities`, {
        provider: provider || providers[0]?.id || '',
        subject: subject.trim(),
      }),
    onSuccess: (data) => {
      done(data);
      setSubject('');
      setFieldErrors({});
    },
    onError: (e) => setFieldErrors(formErrors(e)),
  });
  const unlink = useMutation({
    mutationFn: (id: string) =>
      api.delete<{ items: ExternalIdentityView[] }>(`/api/people/${personId}/external-identities/${id}`),
    onSuccess: done,
  });
  if (!links.data || (providers.length === 0 && links.data.items.length === 0)) return null;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!subject.trim()) {
      setFieldErrors({ subject: 'Enter the subject (sub) the provider gives this person.' });
      return;
    }
    link.mutate();
  };
  return (
    <section aria-labelledby="external-identities-heading" className="margin-top-4">
      <h2 id="external-identities-heading">Single sign-on</h2>
      {unlink.isSuccess && (
        <Alert type="success" headingLevel="h3" slim role="status" className="margin-bottom-2">
          Unlinked. That sign-in no longer opens {name}’s account.
        </Alert>
      )}
      {unlink.isError && <ErrorAlert error={unlink.error} heading="Not unlinked" />}
      {links.data.items.length === 0 ? (
        <p>No provider sign-in is linked to {name}’s account.</p>
      ) : (
        <table className="usa-table usa-table--borderless">
          <caption className="usa-sr-only">Sign-ins linked to {name}’s account</caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Subject</th>
              <th scope="col">Linked</th>
              <th scope="col">Last sign-in</th>
              {canManage && (
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {links.data.items.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.providerName}</th>
                <td className="font-mono-xs">{l.subject}</td>
                <td>
                  {linkedByText[l.linkedBy]}, {formatDateTime(l.createdAt, browserZone)}
                </td>
                <td>{l.lastSignInAt ? formatDateTime(l.lastSignInAt, browserZone) : 'Never'}</td>
                {canManage && (
                  <td>
                    <Button
                      type="button"
                      unstyled
                      disabled={unlink.isPending}
                      onClick={() => {
                        if (window.confirm(`Unlink ${l.providerName} from ${name}’s account?`))
                          unlink.mutate(l.id);
                      }}
                    >
                      Unlink<span className="usa-sr-only"> {l.providerName}</span>
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && providers.length > 0 && (
        <Form onSubmit={submit} noValidate className="maxw-tablet">
          {link.isError && !Object.keys(fieldErrors).length && (
            <ErrorAlert error={link.error} heading="Not linked" />
          )}
          {providers.length > 1 && (
            <SelectField
              id="link-provider"
              label="Provider"
              value={provider || providers[0]!.id}
              onChange={setProvider}
              error={fieldErrors.provider}
            >
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
          )}
          <TextField
            id="link-subject"
            label={`Subject at ${providers.find((p) => p.id === (provider || providers[0]!.id))?.name ?? 'the provider'}`}
            hint="The provider's identifier for this person (the sub claim), for someone whose e-mail the provider does not confirm."
            spellCheck={false}
            value={subject}
            onChange={setSubject}
            error={fieldErrors.subject}
          />
          <Button type="submit" outline disabled={link.isPending}>
            Link sign-in
          </Button>
        </Form>
      )}
    </section>
  );
}
