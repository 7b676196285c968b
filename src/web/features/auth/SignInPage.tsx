import { useState, type FormEvent } from 'react';
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
import { ErrorSummary, TextField, type FieldErrors } from '../../components/Form';

const fields = {
  email: { id: 'email', label: 'E-mail address' },
  password: { id: 'password', label: 'Password' },
};

export function SignInPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);

  const signIn = useMutation({
    mutationFn: () =>
      api.post<SessionResponse>('/api/session', { email: email.trim(), password }, { allow401: true }),
    onSuccess: (data) => {
      sessionEnded(false);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      queryClient.setQueryData(sessionKey, rememberSession(data));
    },
    onError: (error) => {
      setFieldErrors(error instanceof ApiError ? error.fieldErrors : {});
      setAttempt((n) => n + 1);
    },
  });

  if (session.data?.user) return <Navigate to={next} replace />;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!email.trim()) errors.email = 'Enter your e-mail address.';
    if (!password) errors.password = 'Enter your password.';
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
    signIn.error instanceof ApiError && signIn.error.status === 401 && !signIn.error.problem?.detail
      ? new ApiError(401, null, 'The e-mail address or password is not right. Check them and try again.')
      : signIn.error;

  return (
    <div className="grid-row">
      <div className="tablet:grid-col-8 desktop:grid-col-6">
        <Page title="Sign in" lead="Sign in to see your certification programs.">
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
            <Button type="submit" disabled={signIn.isPending}>
              {signIn.isPending ? 'Signing in…' : 'Sign in'}
            </Button>
          </Form>
          <p className="margin-top-3">
            <Link to="/password/forgot">Forgot your password?</Link>
          </p>
          <p>
            New to the program? Your program administrator sets up your account and sends you an e-mail with a
            link to choose a password.
          </p>
        </Page>
      </div>
    </div>
  );
}
