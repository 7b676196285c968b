import { useEffect, useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import {
  api,
  ApiError,
  rememberSession,
  sessionEnded,
  sessionKey,
  useSession,
  type SessionResponse,
} from '../../api';
import { safeNext } from '../../auth';
import { Page } from '../../components/Page';
import { ErrorSummary, TextField, type FieldErrors, formErrors } from '../../components/Form';

const fields = {
  email: { id: 'email', label: 'E-mail address' },
  password: { id: 'password', label: 'Password' },
  code: { id: 'code', label: 'Code from your authenticator app' },
};

export function SignInPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  // Two-step sign-in: after a right password the server asks for a code.
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  // How people sign in here (issue 17): passwords unless turned off, and the OpenID providers.
  const passwords = session.data?.signIn?.passwords ?? true;
  const providers = session.data?.signIn?.providers ?? [];
  // Back from a provider that did not assert two-step sign-in: the authenticator code finishes it.
  const providerCode = params.get('step') === 'code';

  const finishWithCode = useMutation({
    mutationFn: () => api.post<SessionResponse>('/api/oidc/code', { code: code.trim() }, { allow401: true }),
    onSuccess: (data) => {
      sessionEnded(false);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      queryClient.setQueryData(sessionKey, rememberSession(data));
    },
    onError: (error) => {
      setFieldErrors(formErrors(error));
      setAttempt((n) => n + 1);
    },
  });

  const signIn = useMutation({
    mutationFn: () =>
      api.post<SessionResponse>(
        '/api/session',
        { email: email.trim(), password, ...(needsCode ? { code: code.trim() } : {}) },
        { allow401: true },
      ),
    onSuccess: (data) => {
      sessionEnded(false);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      queryClient.setQueryData(sessionKey, rememberSession(data));
    },
    onError: (error) => {
      if (error instanceof ApiError && error.is('second_factor_required')) {
        // Not a failure: the password was right; now the code.
        setNeedsCode(true);
        setFieldErrors({});
        return;
      }
      setFieldErrors(formErrors(error));
      setAttempt((n) => n + 1);
    },
  });

  useEffect(() => {
    if (needsCode) document.getElementById('code')?.focus();
  }, [needsCode]);

  if (session.data?.user) return <Navigate to={next} replace />;

  if (providerCode) {
    const submitCode = (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      if (!code.trim()) {
        setFieldErrors({ code: 'Enter the 6-digit code from your authenticator app.' });
        finishWithCode.reset();
        setAttempt((n) => n + 1);
        return;
      }
      finishWithCode.mutate();
    };
    return (
      <div className="grid-row">
        <div className="tablet:grid-col-8 desktop:grid-col-6">
          <Page
            title="Enter your sign-in code"
            lead="You signed in with your organization's account. Two-step sign-in is on for this account, so enter the code from your authenticator app too."
          >
            <ErrorSummary
              error={finishWithCode.error}
              fieldErrors={fieldErrors}
              fields={fields}
              attempt={attempt}
            />
            <Form onSubmit={submitCode} noValidate large>
              <CodeField value={code} onChange={setCode} error={fieldErrors.code} />
              <Button type="submit" disabled={finishWithCode.isPending}>
                {finishWithCode.isPending ? 'Signing in…' : 'Sign in'}
              </Button>
            </Form>
            <p className="margin-top-3">
              <Link to="/sign-in">Start again</Link>
            </p>
          </Page>
        </div>
      </div>
    );
  }

  const providerButtons = providers.length > 0 && (
    <ul className="usa-button-group margin-bottom-3" aria-label="Sign in with your organization">
      {providers.map((p) => (
        <li key={p.id} className="usa-button-group__item">
          <a
            className="usa-button usa-button--big"
            href={`/api/oidc/${encodeURIComponent(p.id)}/start?next=${encodeURIComponent(next)}`}
          >
            Sign in with {p.name}
          </a>
        </li>
      ))}
    </ul>
  );

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!email.trim()) errors.email = 'Enter your e-mail address.';
    if (!password) errors.password = 'Enter your password.';
    if (needsCode && !code.trim()) errors.code = 'Enter the 6-digit code from your authenticator app.';
    setFieldErrors(errors);
    if (Object.keys(errors).length) {
      signIn.reset();
      setAttempt((n) => n + 1);
      return;
    }
    signIn.mutate();
  };

  // A wrong password answers 401 with its own plain explanation; keep a fallback.
  const serverError =
    signIn.error instanceof ApiError && signIn.error.is('second_factor_required')
      ? null
      : signIn.error instanceof ApiError && signIn.error.status === 401 && !signIn.error.problem?.detail
        ? new ApiError(401, null, 'The e-mail address or password is not right. Check them and try again.')
        : signIn.error;

  return (
    <div className="grid-row">
      <div className="tablet:grid-col-8 desktop:grid-col-6">
        <Page title="Sign in" lead="Sign in to see your certification programs.">
          {providerButtons}
          {passwords && providers.length > 0 && <p>Or sign in with your e-mail address and password:</p>}
          {passwords && (
            <>
              <ErrorSummary error={serverError} fieldErrors={fieldErrors} fields={fields} attempt={attempt} />
              <Form onSubmit={submit} noValidate large>
                <TextField
                  id="email"
                  label="E-mail address"
                  type="email"
                  autoComplete="username"
                  spellCheck={false}
                  value={email}
                  onChange={setEmail}
                  error={fieldErrors.email}
                  required
                />
                <TextField
                  id="password"
                  label="Password"
                  type={showPassword ? 'text' : 'password'}
                  autoComplete="current-password"
                  value={password}
                  onChange={setPassword}
                  error={fieldErrors.password}
                  required
                />
                <p className="usa-form__note">
                  <button
                    type="button"
                    className="usa-button usa-button--unstyled"
                    aria-controls="password"
                    onClick={() => setShowPassword((s) => !s)}
                  >
                    {showPassword ? 'Hide password' : 'Show password'}
                  </button>
                </p>
                {needsCode && (
                  <div className="margin-top-3">
                    <p className="usa-form__note text-left" id="code-step" role="status">
                      Two-step sign-in is on for this account.
                    </p>
                    <CodeField value={code} onChange={setCode} error={fieldErrors.code} />
                  </div>
                )}
                <Button type="submit" disabled={signIn.isPending}>
                  {signIn.isPending ? 'Signing in…' : 'Sign in'}
                </Button>
              </Form>
              <p className="margin-top-3">
                <Link to="/password/forgot">Forgot your password?</Link>
              </p>
            </>
          )}
          <p>
            New to the program? <Link to="/account-request">Ask for an account</Link>: a coordinator approves
            it and we e-mail you {passwords ? 'a link to choose a password' : 'when you can sign in'}. You can
            also <Link to="/sessions">browse the session calendar</Link> and the{' '}
            <Link to="/catalog">course catalog</Link> without an account.
          </p>
          <p>
            Checking someone else’s certificate? <Link to="/verify">Verify a certification</Link> by its
            number or the official’s name and county; no account is needed.
          </p>
        </Page>
      </div>
    </div>
  );
}

/** The second step's field: the authenticator's code or a recovery code (both sign-in paths). */
function CodeField(props: { value: string; onChange: (v: string) => void; error: string | undefined }) {
  return (
    <TextField
      id="code"
      label="Code from your authenticator app"
      hint="The 6-digit code the app shows now, or one of your recovery codes."
      inputMode="numeric"
      autoComplete="one-time-code"
      spellCheck={false}
      maxLength={40}
      required
      {...props}
    />
  );
}
