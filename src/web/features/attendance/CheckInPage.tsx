import { useEffect, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Alert } from '../../components/Alert';
import { api } from '../../api';
import { isOffline, queueCheckIn, useOfflineQueue } from '../../offline/queue';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { formatDateTime } from '../../format';

/**
 * Where the session's QR code leads: a signed-in official is checked in at once. Without a
 * network (a phone that opened the app before) the check-in waits on the phone, dated when the
 * code was scanned, and is sent when the network is back.
 */
export function CheckInPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const started = useRef(false);
  const queue = useOfflineQueue();
  const waiting = queue.pending.some((p) => p.kind === 'check-in' && p.sessionId === id);
  const refused = queue.refused.find((r) => r.kind === 'check-in' && r.sessionId === id);
  const checkIn = useMutation({
    mutationFn: async () => {
      const offline = () => {
        queueCheckIn(id, code);
        return null;
      };
      if (!navigator.onLine) return offline();
      try {
        return await api.post<{ registrationId: string; checkedInAt: string; timeZone: string }>(
          `/api/sessions/${id}/check-in`,
          { code },
        );
      } catch (error) {
        if (isOffline(error)) return offline();
        throw error;
      }
    },
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
      {checkIn.isSuccess && !checkIn.data && (
        <Alert type="info" headingLevel="h2" heading="Your check-in is saved on this phone" role="status">
          {waiting
            ? 'You are offline. Your check-in is kept on this phone and sent when it is back online, dated when you scanned the code.'
            : refused
              ? `It was sent, but not accepted: ${refused.message}`
              : 'It has been sent, dated when you scanned the code.'}
        </Alert>
      )}
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
