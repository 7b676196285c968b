import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { SecondFactorSetupResponse, SecondFactorStatusResponse } from '../../../contract/auth';
import { api, fetchSession, sessionKey, useSession } from '../../api';
import { browserZone, formatDateTime } from '../../format';
import { Loading, Page } from '../../components/Page';
import { PageError } from '../../components/PageError';
import { ErrorSummary, TextField, type FieldErrors, formErrors } from '../../components/Form';

const codeFields = { code: { id: 'code', label: 'Code from the app' } };
const offFields = { 'off-code': { id: 'off-code', label: 'Current code or a recovery code' } };
const statusKey = ['second-factor'];

/** Two-step sign-in: set up an authenticator app, keep recovery codes, turn it off. */
export function SecurityPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: statusKey,
    queryFn: () => api.get<SecondFactorStatusResponse>('/api/profile/second-factor'),
  });
  const [setup, setSetup] = useState<SecondFactorSetupResponse | null>(null);
  const [code, setCode] = useState('');
  const [offCode, setOffCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);

  const start = useMutation({
    mutationFn: () => api.post<SecondFactorSetupResponse>('/api/profile/second-factor/setup'),
    onSuccess: (data) => {
      setSetup(data);
      setRecoveryCodes(null);
      setCode('');
    },
  });
  const confirm = useMutation({
    mutationFn: () =>
      api.post<{ recoveryCodes: string[] }>('/api/profile/second-factor/confirm', { code: code.trim() }),
    onSuccess: async (data) => {
      setRecoveryCodes(data.recoveryCodes);
      setSetup(null);
      await queryClient.invalidateQueries({ queryKey: statusKey });
      // The session now reports two-step sign-in as on (and no longer required).
      queryClient.setQueryData(sessionKey, await fetchSession());
    },
    onError: () => setAttempt((n) => n + 1),
  });
  const turnOff = useMutation({
    mutationFn: () => api.post('/api/profile/second-factor/disable', { code: offCode.trim() }),
    onSuccess: async () => {
      setOffCode('');
      setRecoveryCodes(null);
      await queryClient.invalidateQueries({ queryKey: statusKey });
      queryClient.setQueryData(sessionKey, await fetchSession());
    },
    onError: () => setAttempt((n) => n + 1),
  });

  if (status.isError) return <PageError error={status.error} title="Two-step sign-in" />;
  if (!status.data)
    return (
      <Page title="Two-step sign-in">
        <Loading what="your sign-in settings" />
      </Page>
    );
  const s = status.data;
  const mustSetUp = !!session.data?.user?.secondFactor.setupRequired;

  const submitCode = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = /^\d{6}$/.test(code.replace(/\s/g, ''))
      ? {}
      : { code: 'Enter the 6-digit code the app shows for CivicCert.' };
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      confirm.reset();
      setAttempt((n) => n + 1);
      return;
    }
    confirm.mutate();
  };
  const submitOff = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = offCode.trim()
      ? {}
      : { 'off-code': 'Enter a current code or a recovery code.' };
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      turnOff.reset();
      setAttempt((n) => n + 1);
      return;
    }
    turnOff.mutate();
  };
  const confirmErrors = {
    ...formErrors(confirm.error),
    ...localErrors,
  };
  const offServer = formErrors(turnOff.error);
  const offErrors: FieldErrors = {
    ...(offServer.code ? { 'off-code': offServer.code } : {}),
    ...(localErrors['off-code'] ? { 'off-code': localErrors['off-code'] } : {}),
  };

  return (
    <Page
      title="Two-step sign-in"
      lead="With two-step sign-in, signing in needs your password and a code from an authenticator app on your phone, so a stolen password alone is not enough."
    >
      {mustSetUp && (
        <Alert type="warning" headingLevel="h2" heading="Set up two-step sign-in to continue">
          Staff accounts must use two-step sign-in. Until it is set up, the rest of CivicCert is closed to
          this account.
        </Alert>
      )}
      {recoveryCodes && (
        <Alert type="success" headingLevel="h2" heading="Two-step sign-in is on" role="status">
          <p>
            Save these recovery codes somewhere safe, such as a password manager or a printed page kept locked
            away. Each one signs you in once if you lose your phone. They are shown only now.
          </p>
          <ul className="usa-list recovery-codes" aria-label="Recovery codes">
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          {mustSetUp ? null : (
            <p>
              <Link to="/">Go to your dashboard</Link>
            </p>
          )}
        </Alert>
      )}

      <h2>Status</h2>
      <p id="second-factor-status">
        {s.enabled
          ? `On since ${s.enabledAt ? formatDateTime(s.enabledAt, browserZone) : 'set-up'}. ${s.recoveryCodesLeft} of 10 recovery codes left.`
          : 'Off. Signing in needs only your password.'}
      </p>

      {!setup && (
        <>
          <h2>{s.enabled ? 'Move to a new phone' : 'Set up an authenticator app'}</h2>
          <p>
            Use any authenticator app, such as Google Authenticator, Microsoft Authenticator or 1Password.
            {s.enabled
              ? ' Setting up a new phone replaces the old one and gives you new recovery codes.'
              : ''}
          </p>
          {start.error && <ErrorSummary error={start.error} fieldErrors={{}} fields={{}} attempt={attempt} />}
          <Button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
            {s.enabled ? 'Set up a new phone' : 'Set up two-step sign-in'}
          </Button>
        </>
      )}

      {setup && (
        <section aria-labelledby="setup-heading">
          <h2 id="setup-heading">Scan the code with your app</h2>
          <ol className="usa-process-list">
            <li className="usa-process-list__item">
              <p className="usa-process-list__heading">Add an account in your authenticator app</p>
              <img
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qrCodeSvg)}`}
                alt="QR code for adding CivicCert to an authenticator app. If you cannot scan it, type the key shown below it."
                width={200}
                height={200}
              />
              <p>
                Cannot scan? Choose to enter a key and type:{' '}
                <code id="totp-secret" className="text-bold">
                  {setup.secret.replace(/(.{4})/g, '$1 ').trim()}
                </code>
              </p>
            </li>
            <li className="usa-process-list__item">
              <p className="usa-process-list__heading">Enter the 6-digit code the app shows</p>
              <ErrorSummary
                error={confirm.error}
                fieldErrors={confirmErrors}
                fields={codeFields}
                attempt={attempt}
              />
              <Form onSubmit={submitCode} noValidate>
                <TextField
                  id="code"
                  label="Code from the app"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={12}
                  value={code}
                  onChange={setCode}
                  error={confirmErrors.code}
                  required
                />
                <Button type="submit" disabled={confirm.isPending}>
                  {confirm.isPending ? 'Checking…' : 'Turn on two-step sign-in'}
                </Button>
                <Button type="button" unstyled className="margin-left-2" onClick={() => setSetup(null)}>
                  Cancel
                </Button>
              </Form>
            </li>
          </ol>
        </section>
      )}

      {s.enabled && !s.required && (
        <>
          <h2>Turn off two-step sign-in</h2>
          {turnOff.isSuccess && (
            <Alert type="info" headingLevel="h3" slim role="status">
              Two-step sign-in is off.
            </Alert>
          )}
          <ErrorSummary error={turnOff.error} fieldErrors={offErrors} fields={offFields} attempt={attempt} />
          <Form onSubmit={submitOff} noValidate>
            <TextField
              id="off-code"
              label="Current code or a recovery code"
              autoComplete="one-time-code"
              maxLength={40}
              value={offCode}
              onChange={setOffCode}
              error={offErrors['off-code']}
              required
            />
            <Button type="submit" secondary disabled={turnOff.isPending}>
              Turn off
            </Button>
          </Form>
        </>
      )}
      {s.enabled && s.required && (
        <p className="usa-hint">
          Staff accounts keep two-step sign-in on. If you lose your phone and your recovery codes, an
          administrator can reset it.
        </p>
      )}
    </Page>
  );
}
