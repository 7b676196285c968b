import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import type { ApiToken } from '../../../contract/api-tokens';
import { tokenScopes, type TokenScope } from '../../../domain/authz';
import { Alert } from '../../components/Alert';
import { api } from '../../api';
import { ErrorAlert } from '../../components/PageError';
import { ErrorSummary, RequiredNote, SelectField, TextField, formErrors } from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { DataTable } from '../../components/Table';
import { browserZone, formatDateTime } from '../../format';

const scopeText: Record<TokenScope, { label: string; hint: string }> = {
  'credits:write': {
    label: 'credits:write',
    hint: 'Post completion rosters of sessions (of one provider’s courses, when a provider is chosen).',
  },
  'reports:read': { label: 'reports:read', hint: 'Read the reports and their exports.' },
};
const lifetimes = [30, 90, 180, 365] as const;

/** Administrators' API tokens for integrations (issue 17): create (the secret shown once), list, revoke. */
export function ApiTokensPage() {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const list = useQuery({
    queryKey: ['api-tokens'],
    queryFn: () => api.get<{ items: ApiToken[] }>('/api/api-tokens'),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['api-tokens'] });

  return (
    <Page
      title="API tokens"
      lead="Tokens let other systems call CivicCert: a training provider posting its rosters, or a reporting tool. Each has scopes and an expiry, and every use is recorded in the audit log. A token never signs anyone in to these pages."
    >
      {created && <NewSecret {...created} onDone={() => setCreated(null)} />}
      {notice && (
        <Alert type="success" headingLevel="h2" slim role="status" className="margin-bottom-2">
          {notice}
        </Alert>
      )}
      {list.isError ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <Loading what="API tokens" />
      ) : list.data.items.length === 0 ? (
        <p>There are no API tokens yet.</p>
      ) : (
        <DataTable caption="API tokens" stacked>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes and provider</th>
              <th scope="col">Expires</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((t) => (
              <TokenRow
                key={t.id}
                token={t}
                onRevoked={() => {
                  setNotice(`The token “${t.name}” is revoked. Its next use is refused.`);
                  refresh();
                }}
              />
            ))}
          </tbody>
        </DataTable>
      )}
      <CreateToken
        onCreated={(name, secret) => {
          setNotice(null);
          setCreated({ name, secret });
          refresh();
        }}
      />
    </Page>
  );
}

/** The new token's secret, shown this once, with a button to copy it. */
function NewSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert
      type="warning"
      headingLevel="h2"
      heading={`Copy the token “${name}” now`}
      className="margin-bottom-3"
    >
      <p>This is the only time it is shown. We keep only a fingerprint of it, so it cannot be shown again.</p>
      <p>
        <label className="usa-label" htmlFor="new-token-secret">
          Token
        </label>
        <input id="new-token-secret" type="text" className="usa-input font-mono-xs" readOnly value={secret} />
      </p>
      <div className="action-row">
        <Button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(() => setCopied(true));
          }}
        >
          Copy the token
        </Button>
        <Button type="button" unstyled onClick={onDone}>
          I have copied it; hide it
        </Button>
      </div>
      <p role="status" className="margin-bottom-0">
        {copied ? 'Copied.' : ''}
      </p>
    </Alert>
  );
}

function TokenRow({ token: t, onRevoked }: { token: ApiToken; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api.post<ApiToken>(`/api/api-tokens/${t.id}/revoke`, {}),
    onSuccess: onRevoked,
  });
  return (
    <tr>
      <th scope="row">
        {t.name}
        <br />
        <span className="usa-hint font-mono-xs">{t.hint}</span>
      </th>
      <td>
        {t.scopes.join(', ')}
        <br />
        <span className="usa-hint">{t.provider ? `Only ${t.provider.name}` : 'Any provider'}</span>
      </td>
      <td>{formatDateTime(t.expiresAt, browserZone)}</td>
      <td>
        {formatDateTime(t.createdAt, browserZone)}
        <br />
        <span className="usa-hint">by {t.createdBy ?? 'the system'}</span>
      </td>
      <td>
        {t.lastUsedAt ? (
          <>
            {formatDateTime(t.lastUsedAt, browserZone)}
            {t.lastUsedIp && <span className="usa-hint"> from {t.lastUsedIp}</span>}
          </>
        ) : (
          'Never'
        )}
      </td>
      <td>
        {t.status === 'revoked' ? (
          <>
            Revoked {formatDateTime(t.revokedAt, browserZone)}
            {t.revokedBy && ` by ${t.revokedBy}`}
          </>
        ) : t.status === 'expired' ? (
          'Expired'
        ) : (
          <>
            <span className="display-block margin-bottom-1">Active</span>
            {revoke.error && <ErrorAlert error={revoke.error} />}
            {!confirming ? (
              <Button type="button" secondary onClick={() => setConfirming(true)}>
                Revoke<span className="usa-sr-only"> {t.name}</span>
              </Button>
            ) : (
              <div className="action-row">
                <Button type="button" secondary onClick={() => revoke.mutate()} disabled={revoke.isPending}>
                  {revoke.isPending ? 'Revoking…' : `Yes, revoke “${t.name}”`}
                </Button>
                <Button type="button" unstyled onClick={() => setConfirming(false)}>
                  Keep it
                </Button>
              </div>
            )}
          </>
        )}
      </td>
    </tr>
  );
}

const fields = {
  name: { id: 'token-name', label: 'Name' },
  scopes: { id: 'token-scope-credits:write', label: 'Scopes' },
  providerId: { id: 'token-provider', label: 'Training provider' },
  expiresInDays: { id: 'token-expires', label: 'Expires in' },
};

function CreateToken({ onCreated }: { onCreated: (name: string, secret: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>([]);
  const [providerId, setProviderId] = useState('');
  const [days, setDays] = useState('90');
  const [attempt, setAttempt] = useState(0);
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: () => api.get<{ items: { id: string; name: string }[] }>('/api/providers'),
  });
  const create = useMutation({
    mutationFn: () =>
      api.post<{ token: ApiToken; secret: string }>('/api/api-tokens', {
        name,
        scopes,
        providerId: providerId || null,
        expiresInDays: Number(days),
      }),
    onSuccess: (res) => {
      onCreated(res.token.name, res.secret);
      setName('');
      setScopes([]);
      setProviderId('');
    },
    onError: () => setAttempt((n) => n + 1),
  });
  const errors = formErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section aria-labelledby="create-token" className="margin-top-4">
      <h2 id="create-token">Create a token</h2>
      <ErrorSummary error={create.error} fieldErrors={errors} fields={fields} attempt={attempt} />
      <Form onSubmit={submit} noValidate large>
        <RequiredNote />
        <TextField
          id={fields.name.id}
          name="name"
          label="Name"
          hint="Who uses it and for what, e.g. “Riverside LMS roster sync”."
          value={name}
          onChange={setName}
          error={errors.name}
          maxLength={100}
          required
        />
        <fieldset className="usa-fieldset margin-top-3" aria-describedby="token-scopes-hint">
          <legend className="usa-legend">
            Scopes{' '}
            <abbr title="required" className="usa-hint usa-hint--required">
              *
            </abbr>
          </legend>
          <span className="usa-hint" id="token-scopes-hint">
            Give only what the integration needs.
          </span>
          {errors.scopes && (
            <span className="usa-error-message" id="token-scopes-error">
              {errors.scopes}
            </span>
          )}
          {tokenScopes.map((s) => (
            <div className="usa-checkbox" key={s}>
              <input
                className="usa-checkbox__input"
                id={`token-scope-${s}`}
                type="checkbox"
                name="scopes"
                value={s}
                checked={scopes.includes(s)}
                onChange={(e) =>
                  setScopes((now) => (e.target.checked ? [...now, s] : now.filter((x) => x !== s)))
                }
              />
              <label className="usa-checkbox__label" htmlFor={`token-scope-${s}`}>
                {scopeText[s].label}
                <span className="usa-checkbox__label-description">{scopeText[s].hint}</span>
              </label>
            </div>
          ))}
        </fieldset>
        <SelectField
          id={fields.providerId.id}
          label="Training provider"
          hint="A credits:write token limited to a provider posts rosters only for its courses’ sessions."
          value={providerId}
          onChange={setProviderId}
          error={errors.providerId}
        >
          <option value="">Any provider</option>
          {providers.data?.items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          id={fields.expiresInDays.id}
          label="Expires in"
          value={days}
          onChange={setDays}
          error={errors.expiresInDays}
          required
        >
          {lifetimes.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </SelectField>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create the token'}
        </Button>
      </Form>
    </section>
  );
}
