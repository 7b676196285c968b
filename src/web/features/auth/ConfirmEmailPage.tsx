import { Link, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { api, ApiError } from '../../api';
import { Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';

/**
 * Where the link e-mailed to a new sign-in address lands. Confirming is a
 * button, not the page load, so a mail scanner that opens links does not
 * confirm on the recipient's behalf.
 */
export function ConfirmEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const confirm = useMutation({
    mutationFn: () => api.post<{ email: string }>('/api/email/confirm', { token }),
  });

  const linkProblem =
    !token ||
    (confirm.error instanceof ApiError &&
      (confirm.error.is('invalid_token') || 'token' in confirm.error.fieldErrors));
  if (linkProblem) {
    return (
      <Page title="This link does not work">
        <Alert
          type="warning"
          headingLevel="h2"
          heading="The link has expired, was replaced or was already used"
        >
          Each link to confirm a new sign-in address works once, for 48 hours, and only the newest one works.
          Ask your program administrator to send a new one.
        </Alert>
      </Page>
    );
  }

  if (confirm.isSuccess) {
    return (
      <Page title="Your new sign-in address is confirmed">
        <Alert type="success" headingLevel="h2" heading="Address changed" role="status">
          From now on you sign in with {confirm.data.email}. Your password and two-step sign-in are unchanged.
        </Alert>
        <p className="margin-top-3">
          <Link to="/sign-in" className="usa-button">
            Sign in
          </Link>
        </p>
      </Page>
    );
  }

  return (
    <div className="grid-row">
      <div className="tablet:grid-col-8 desktop:grid-col-6">
        <Page title="Confirm your new sign-in address">
          <p>
            Your program administrator changed the e-mail address you sign in to CivicCert with. Confirm that
            this address is yours; until you do, you keep signing in with your old address.
          </p>
          {confirm.isError && (
            <div className="margin-bottom-3">
              <ErrorAlert error={confirm.error} heading="The address was not changed" />
            </div>
          )}
          <Button type="button" onClick={() => confirm.mutate()} disabled={confirm.isPending}>
            {confirm.isPending ? 'Confirming…' : 'Confirm my new address'}
          </Button>
        </Page>
      </div>
    </div>
  );
}
