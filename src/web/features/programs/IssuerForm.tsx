import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Fieldset, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { z } from 'zod';
import type { issuerSchema, rotatedKey } from '../../../contract/credentials';
import { api } from '../../api';
import { Loading } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { ErrorSummary, TextField, formErrors } from '../../components/Form';

type Issuer = z.infer<typeof issuerSchema>;

const fields = {
  name: { id: 'issuer-name', label: 'Issuer name' },
  url: { id: 'issuer-url', label: 'Issuer web address' },
  logoUrl: { id: 'issuer-logo', label: 'Logo address' },
};

/**
 * The program's credential issuer (issue 18): the name, address and logo its certificates,
 * verification page and credentials name (empty = the default), its did:web identifier and keys,
 * and key rotation. Shown to those whose program abilities include `updateIssuer`.
 */
export function IssuerForm({ programId }: { programId: string }) {
  const client = useQueryClient();
  const issuer = useQuery({
    queryKey: ['issuer', programId],
    queryFn: () => api.get<Issuer>(`/api/programs/${programId}/issuer`),
  });
  // Kept here: a save or a new key draws the fields again (their key changes), the message stays.
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section aria-labelledby="issuer-heading">
      <h2 id="issuer-heading">Credential issuer</h2>
      {message && (
        <Alert type="success" headingLevel="h3" slim role="status">
          {message}
        </Alert>
      )}
      {issuer.isPending && <Loading what="the issuer" />}
      {issuer.error && <ErrorAlert error={issuer.error} />}
      {issuer.data && (
        <IssuerFields
          key={issuer.data.keys.length + issuer.data.name}
          issuer={issuer.data}
          onSaved={(next) => {
            setMessage('Issuer saved. Certificates and credentials made from now on name it.');
            client.setQueryData(['issuer', programId], next);
          }}
          onRotated={(keyNumber) => {
            setMessage(
              `Key ${keyNumber} now signs. Earlier keys stay published, so earlier credentials still verify.`,
            );
            void client.invalidateQueries({ queryKey: ['issuer', programId] });
          }}
        />
      )}
    </section>
  );
}

function IssuerFields(p: {
  issuer: Issuer;
  onSaved: (i: Issuer) => void;
  onRotated: (keyNumber: number) => void;
}) {
  const { issuer } = p;
  const [name, setName] = useState(issuer.name);
  const [url, setUrl] = useState(issuer.url);
  const [logoUrl, setLogoUrl] = useState(issuer.logoUrl ?? '');
  const [attempt, setAttempt] = useState(0);
  const orNull = (v: string) => (v.trim() ? v.trim() : null);
  const save = useMutation({
    mutationFn: () =>
      api.put<Issuer>(`/api/programs/${issuer.programId}/issuer`, {
        name: orNull(name),
        url: orNull(url),
        logoUrl: orNull(logoUrl),
      }),
    onSuccess: (next) => p.onSaved(next),
    onError: () => setAttempt((n) => n + 1),
  });
  const rotate = useMutation({
    mutationFn: () =>
      api.post<z.infer<typeof rotatedKey>>(`/api/programs/${issuer.programId}/issuer/keys`, {}),
    onSuccess: (k) => p.onRotated(k.keyNumber),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    save.mutate();
  };
  const fieldErrors = formErrors(save.error);
  return (
    <>
      <dl>
        <dt>Identifier (did:web)</dt>
        <dd>
          <code>{issuer.id}</code> (<a href={issuer.didDocumentUrl}>DID document</a>)
        </dd>
        <dt>Signing keys</dt>
        <dd>
          {issuer.keys.length} ({issuer.keys[issuer.keys.length - 1]?.verificationMethod.split('#')[1]} signs)
        </dd>
      </dl>
      <ErrorSummary error={save.error} fieldErrors={fieldErrors} fields={fields} attempt={attempt} />
      <Form onSubmit={submit} noValidate large>
        <Fieldset legend="Issuer named on certificates and credentials" legendStyle="srOnly">
          <TextField
            id="issuer-name"
            label="Issuer name"
            hint="Leave empty for the issuing body in the program definition."
            value={name}
            onChange={setName}
            error={fieldErrors.name}
          />
          <TextField
            id="issuer-url"
            label="Issuer web address"
            hint="An https address; leave empty for the default."
            type="url"
            value={url}
            onChange={setUrl}
            error={fieldErrors.url}
          />
          <TextField
            id="issuer-logo"
            label="Logo address (optional)"
            hint="An https address of an image."
            type="url"
            value={logoUrl}
            onChange={setLogoUrl}
            error={fieldErrors.logoUrl}
          />
        </Fieldset>
        <Button type="submit" className="margin-top-2" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save issuer'}
        </Button>
      </Form>
      {rotate.error && <ErrorAlert error={rotate.error} />}
      <Button
        type="button"
        outline
        className="margin-top-2"
        disabled={rotate.isPending}
        onClick={() => rotate.mutate()}
      >
        {rotate.isPending ? 'Adding a key…' : 'Add a new signing key'}
      </Button>
    </>
  );
}
