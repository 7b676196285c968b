import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { z } from 'zod';
import type { calendarFeedSchema } from '../../../contract/sessions';
import { api } from '../../api';
import { TextField } from '../../components/Form';
import { ErrorAlert } from '../../components/PageError';
import { browserZone, formatDateTime } from '../../format';
import { ConfirmStep } from './ConfirmStep';

type CalendarFeed = z.infer<typeof calendarFeedSchema>;

/**
 * The person's private calendar feed: the address reads back on every visit and device, so a
 * phone and a desktop subscribe to the same one. Replacing it (when it leaked, say) asks first,
 * because every calendar subscribed to the old address stops updating.
 */
export function CalendarFeedSection() {
  const queryClient = useQueryClient();
  const feed = useQuery({
    queryKey: ['my-calendar-feed'],
    queryFn: () => api.get<CalendarFeed>('/api/me/calendar-feed'),
  });
  const [confirming, setConfirming] = useState(false);
  const [replacedNotice, setReplacedNotice] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const settle = (data: CalendarFeed) => queryClient.setQueryData(['my-calendar-feed'], data);
  const create = useMutation({
    mutationFn: () => api.post<CalendarFeed>('/api/me/calendar-feed', {}),
    onSuccess: settle,
  });
  const replace = useMutation({
    mutationFn: () => api.post<CalendarFeed>('/api/me/calendar-feed/replace', { confirm: true }),
    onSuccess: (data) => {
      settle(data);
      setConfirming(false);
      setReplacedNotice(true);
    },
  });
  const keep = () => {
    setConfirming(false);
    setTimeout(() => opener.current?.focus());
  };
  const data = feed.data;

  return (
    <section aria-labelledby="calendar-feed-heading">
      <h2 id="calendar-feed-heading">Add your sessions to your calendar</h2>
      <p>
        Your private calendar feed lists every session you are registered for and updates when they change.
        Add its address to Outlook, Google Calendar or Apple Calendar as a subscription, on as many devices as
        you like. Keep it to yourself: anyone with the address can see your sessions.
      </p>
      {feed.isError && <ErrorAlert error={feed.error} />}
      {create.isError && <ErrorAlert error={create.error} />}
      {replace.isError && <ErrorAlert error={replace.error} />}
      {replacedNotice && (
        <Alert type="success" headingLevel="h3" slim role="status">
          Your calendar feed has a new address. Subscribe to it again on each device; the old address no
          longer works.
        </Alert>
      )}
      {data?.url && (
        <TextField
          id="feed-url"
          label="Your calendar feed address"
          className="feed-url"
          readOnly
          value={data.url}
          onChange={() => {}}
          hint={data.createdAt ? `Made ${formatDateTime(data.createdAt, browserZone)}.` : undefined}
        />
      )}
      {data && !data.url && data.createdAt && (
        <p>
          You have a calendar feed address from before addresses could be shown again. It still works. To see
          an address here, replace it (the old one will stop working).
        </p>
      )}
      {data && !data.createdAt && (
        <Button type="button" outline onClick={() => create.mutate()} disabled={create.isPending}>
          {create.isPending ? 'Getting the address…' : 'Get my calendar feed address'}
        </Button>
      )}
      {data?.createdAt && !confirming && (
        <Button type="button" outline ref={opener} onClick={() => setConfirming(true)}>
          Replace the address
        </Button>
      )}
      {confirming && (
        <ConfirmStep
          id="replace-feed"
          tone="warning"
          heading="Replace your calendar feed address?"
          confirmLabel="Yes, replace the address"
          pendingLabel="Replacing…"
          keepLabel="Keep the current address"
          pending={replace.isPending}
          onConfirm={() => replace.mutate()}
          onKeep={keep}
        >
          <p>
            Every calendar subscribed to the current address stops updating, on every device. Do this only if
            someone else may have the address. You will need to subscribe again with the new one.
          </p>
        </ConfirmStep>
      )}
    </section>
  );
}
