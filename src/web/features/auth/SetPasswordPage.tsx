import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { api, ApiError } from '../../api';
import { Page } from '../../components/Page';
import { ErrorSummary, TextField, type FieldErrors, formErrors } from '../../components/Form';

const MIN_LENGTH = 12;

const fields = {
  password: { id: 'password', label: 'New password' },
  confirm: { id: 'confirm', label: 'Type the password again' },
};

export function SetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);

  const setIt = useMutation({
    mutationFn: () => api.post<{ ok: true }>('/api/password/set', { token, password }),
    onSuccess: () =>
      navigate('/sign-in', {
        replace: true,
        state: {
          flash: {
            type: 'success',
            text: 'Your password is set. Sign in with your e-mail address and new password.',
          },
        },
      }),
    onError: (error) => {
      setFieldErrors(formErrors(error));
      setAttempt((n) => n + 1);
    },
  });

  const linkProblem =
    !token ||
    (setIt.error instanceof ApiError &&
      (setIt.error.is('invalid_token') || 'token' in setIt.error.fieldErrors));

  if (linkProblem) {
    return (
      <Page title="This link does not work">
        <Alert type="warning" headingLevel="h2" heading="The link has expired or was already used">
          Each link to set a password works once, for a limited time.
        </Alert>
        <p className="margin-top-3">
          <Link to="/password/forgot" className="usa-button">
            Get a new link
          </Link>
        </p>
      </Page>
    );
  }

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (password.length < MIN_LENGTH) errors.password = `Use at least ${MIN_LENGTH} characters.`;
    if (confirm !== password) errors.confirm = 'The two passwords are not the same.';
    setFieldErrors(errors);
    if (Object.keys(errors).length) {
      setIt.reset();
      setAttempt((n) => n + 1);
      return;
    }
    setIt.mutate();
  };

  return (
    <div className="grid-row">
      <div className="tablet:grid-col-8 desktop:grid-col-6">
        <Page title="Choose your password">
          <p>You will use this password with your e-mail address to sign in.</p>
          <ErrorSummary error={setIt.error} fieldErrors={fieldErrors} fields={fields} attempt={attempt} />
          <Form onSubmit={submit} noValidate large>
            <TextField
              id="password"
              label="New password"
              hint={`At least ${MIN_LENGTH} characters. A few unrelated words make a strong password that is easy to remember.`}
              type={showPassword ? 'text' : 'password'}
              autoComplete="new-password"
              value={password}
              onChange={setPassword}
              error={fieldErrors.password}
              required
            />
            <TextField
              id="confirm"
              label="Type the password again"
              type={showPassword ? 'text' : 'password'}
              autoComplete="new-password"
              value={confirm}
              onChange={setConfirm}
              error={fieldErrors.confirm}
              required
            />
            <p className="usa-form__note">
              <button
                type="button"
                className="usa-button usa-button--unstyled"
                aria-controls="password confirm"
                onClick={() => setShowPassword((s) => !s)}
              >
                {showPassword ? 'Hide passwords' : 'Show passwords'}
              </button>
            </p>
            <Button type="submit" disabled={setIt.isPending}>
              {setIt.isPending ? 'Saving…' : 'Set password'}
            </Button>
          </Form>
        </Page>
      </div>
    </div>
  );
}
