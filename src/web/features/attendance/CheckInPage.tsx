import { useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Alert } from '../../components/Alert';
import { api } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { formatDateTime } from '../../format';

/** Where the session's QR code leads: a signed-in official is checked in at once. */
export function CheckInPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const started = useRef(false);
  const checkIn = useMutation({
    mutationFn: () =>
      api.post<{ registrationId: string; checkedInAt: string; timeZone: string }>(
        `/api/sessions/${id}/check-in`,
        { code },
      ),
  });
  useEffect(() => {
    if (started.current || !code) return;
    started.current = true;
    checkIn.mutate();
  }, [code, checkIn]);

  return (
    <Page title="Check in">
      {!code && (
        <Alert type="warning" headingLevel="h2" heading="The check-in code is missing">
          Scan the code shown in the room again.
        </Alert>
      )}
      {checkIn.isPending && <Loading what="your check-in" />}
      {checkIn.isError && <ErrorAlert error={checkIn.error} heading="You are not checked in" />}
      {checkIn.data && (
        <Alert type="success" headingLevel="h2" heading="You are checked in" role="status">
          We recorded your arrival at {formatDateTime(checkIn.data.checkedInAt, checkIn.data.timeZone)}.
        </Alert>
      )}
      <p className="margin-top-3">
        <Link to={`/sessions/${id}`}>See the session</Link>
      </p>
    </Page>
  );
}
