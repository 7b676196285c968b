import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { api } from '../../api';
import { Page } from '../../components/Page';
import { ErrorSummary, TextField, type FieldErrors, formErrors } from '../../components/Form';

const fields = { email: { id: 'email', label: 'E-mail address' } };

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const request = useMutation({
    mutationFn: () => api.post<{ ok: true }>('/api/password/request', { email: email.trim() }),
    onError: (error) => {
      setFieldErrors(formErrors(error));
      setAttempt((n) => n + 1);
    },
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!email.trim()) {
      request.reset();
      setFieldErrors({ email: 'Enter your e-mail address.' });
      setAttempt((n) => n + 1);
      return;
    }
    setFieldErrors({});
    request.mutate();
  };

  return (
    <div className="grid-row">
      <div className="tablet:grid-col-8 desktop:grid-col-6">
        <Page title="Reset your password">
          {request.isSuccess ? (
            <>
              <Alert type="success" headingLevel="h2" heading="Check your e-mail" role="status">
                If an account uses <strong>{email.trim()}</strong>, we have sent it a link to choose a new
                password. The link works once and expires soon.
              </Alert>
              <p className="margin-top-3">
                No e-mail after a few minutes? Check your spam folder, or ask your program administrator.
              </p>
              <p>
                <Link to="/sign-in">Back to sign in</Link>
              </p>
            </>
          ) : (
            <>
              <p>
                Enter the e-mail address you use for this program. We will send you a link to choose a new
                password.
              </p>
              <ErrorSummary
                error={request.error}
                fieldErrors={fieldErrors}
                fields={fields}
                attempt={attempt}
              />
              <Form onSubmit={submit} noValidate large>
                <TextField
                  id="email"
                  label="E-mail address"
                  type="email"
                  autoComplete="email"
                  spellCheck={false}
                  value={email}
                  onChange={setEmail}
                  error={fieldErrors.email}
                  required
                />
                <Button type="submit" disabled={request.isPending}>
                  {request.isPending ? 'Sending…' : 'Send me a link'}
                </Button>
              </Form>
              <p className="margin-top-3">
                <Link to="/sign-in">Back to sign in</Link>
              </p>
            </>
          )}
        </Page>
      </div>
    </div>
  );
}
