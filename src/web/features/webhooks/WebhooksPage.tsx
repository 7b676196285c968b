import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, ErrorMessage, Fieldset } from '@trussworks/react-uswds';
import {
  webhookEventLabels,
  webhookEventTypes,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
} from '../../../contract/webhooks';
import { Alert } from '../../components/Alert';
import { api, qs, type Paged } from '../../api';
import { ErrorAlert } from '../../components/PageError';
import { ErrorSummary, TextField, formErrors } from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { browserZone, formatDateTime, plural } from '../../format';

const statusViews = [
  { status: '', label: 'All' },
  { status: 'pending', label: 'Waiting' },
  { status: 'delivered', label: 'Delivered' },
  { status: 'failed', label: 'Failed' },
] as const;

const statusTag: Record<WebhookDelivery['status'], { label: string; className: string }> = {
  pending: { label: 'Waiting', className: 'bg-base-dark' },
  delivered: { label: 'Delivered', className: 'bg-green' },
  failed: { label: 'Failed', className: 'bg-secondary-dark' },
};

/** Webhook endpoints and their delivery log, for administrators (issue 17, item 6; docs/webhooks.md). */
export function WebhooksPage() {
  return (
    <Page
      title="Webhooks"
      lead="Other systems can be told when something happens here: a credit recorded, a claim decided, an award issued or revoked, a status changed, a session changed. Each delivery is signed with the endpoint's secret and retried until the endpoint answers."
    >
      <Endpoints />
      <AddEndpoint />
      <DeliveryLog />
    </Page>
  );
}

function Endpoints() {
  const list = useQuery({
    queryKey: ['webhook-endpoints'],
    queryFn: () => api.get<{ items: WebhookEndpoint[] }>('/api/webhooks/endpoints'),
  });
  return (
    <section aria-labelledby="endpoints-heading" className="margin-bottom-4">
      <h2 id="endpoints-heading">Endpoints</h2>
      {list.isError ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <Loading what="endpoints" />
      ) : list.data.items.length === 0 ? (
        <p>No endpoints yet. Add one below.</p>
      ) : (
        <DataTable caption="Registered endpoints" stacked>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">State</th>
              <th scope="col">Deliveries</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((e) => (
              <EndpointRow key={e.id} endpoint={e} />
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

function EndpointRow({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['webhook-endpoints'] });
  const toggle = useMutation({
    mutationFn: () => api.patch<WebhookEndpoint>(`/api/webhooks/endpoints/${e.id}`, { enabled: !e.enabled }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/webhooks/endpoints/${e.id}`),
    onSuccess: () => {
      refresh();
      void queryClient.invalidateQueries({ queryKey: ['webhook-deliveries'] });
    },
  });
  const rotate = useMutation({
    mutationFn: () => api.post<WebhookEndpointWithSecret>(`/api/webhooks/endpoints/${e.id}/rotate-secret`),
    onSuccess: (r) => setSecret(r.secret),
  });
  const error = toggle.error ?? remove.error ?? rotate.error;
  return (
    <tr>
      <th scope="row" className="break-anywhere">
        {e.url}
        {e.description && <p className="usa-hint margin-y-05">{e.description}</p>}
      </th>
      <td>
        <ul className="usa-list usa-list--unstyled">
          {e.events.map((ev) => (
            <li key={ev}>
              <code>{ev}</code>
            </li>
          ))}
        </ul>
      </td>
      <td>{e.enabled ? 'On' : 'Off'}</td>
      <td>
        {e.counts.delivered} delivered, {e.counts.pending} waiting, {e.counts.failed} failed
        <br />
        <Link to={`/webhooks?endpointId=${e.id}#log-heading`}>
          Delivery log<span className="usa-sr-only"> of {e.url}</span>
        </Link>
      </td>
      <td>
        {error && <ErrorAlert error={error} />}
        {secret && (
          <Alert
            type="warning"
            headingLevel="h3"
            heading="New signing secret"
            slim
            className="margin-bottom-1"
          >
            Copy it now; it is not shown again: <code className="break-anywhere">{secret}</code>
          </Alert>
        )}
        {!confirming ? (
          <div className="action-row">
            <Button type="button" outline onClick={() => toggle.mutate()} disabled={toggle.isPending}>
              {e.enabled ? 'Turn off' : 'Turn on'}
              <span className="usa-sr-only"> {e.url}</span>
            </Button>
            <Button type="button" outline onClick={() => rotate.mutate()} disabled={rotate.isPending}>
              New secret<span className="usa-sr-only"> for {e.url}</span>
            </Button>
            <Button type="button" secondary onClick={() => setConfirming(true)}>
              Delete<span className="usa-sr-only"> {e.url}</span>
            </Button>
          </div>
        ) : (
          <div className="action-row">
            <span>Delete this endpoint and its delivery log?</span>
            <Button type="button" secondary onClick={() => remove.mutate()} disabled={remove.isPending}>
              Delete<span className="usa-sr-only"> {e.url}</span> for good
            </Button>
            <Button type="button" unstyled onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </div>
        )}
      </td>
    </tr>
  );
}

function AddEndpoint() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [attempt, setAttempt] = useState(0);
  const create = useMutation({
    mutationFn: () =>
      api.post<WebhookEndpointWithSecret>('/api/webhooks/endpoints', { url, description, events }),
    onSuccess: () => {
      setUrl('');
      setDescription('');
      setEvents([]);
      void queryClient.invalidateQueries({ queryKey: ['webhook-endpoints'] });
    },
  });
  const fieldErrors = formErrors(create.error);
  return (
    <section aria-labelledby="add-heading" className="margin-bottom-4">
      <h2 id="add-heading">Add an endpoint</h2>
      {create.data && (
        <Alert type="success" headingLevel="h3" heading="Endpoint added" role="status">
          <p>
            Deliveries to {create.data.url} are signed with this secret. Copy it now into the receiving
            system; it is not shown again:
          </p>
          <p>
            <code className="break-anywhere" data-testid="webhook-secret">
              {create.data.secret}
            </code>
          </p>
        </Alert>
      )}
      <form
        className="usa-form usa-form--large"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          setAttempt((n) => n + 1);
          create.mutate();
        }}
      >
        {create.error && (
          <ErrorSummary
            error={create.error}
            fieldErrors={fieldErrors}
            fields={{
              url: { id: 'url', label: 'URL' },
              events: { id: 'event-credit.recorded', label: 'Events' },
              description: { id: 'description', label: 'Description' },
            }}
            attempt={attempt}
          />
        )}
        <TextField
          id="url"
          type="url"
          label="URL"
          hint="Where to POST the events, such as https://hr.example.gov/civiccert-hooks."
          required
          value={url}
          onChange={setUrl}
          error={fieldErrors.url}
          autoComplete="url"
        />
        <TextField
          id="description"
          label="Description"
          hint="Optional: what receives these events."
          value={description}
          onChange={setDescription}
          error={fieldErrors.description}
          maxLength={200}
        />
        <Fieldset legend="Events" id="events">
          {fieldErrors.events && <ErrorMessage id="events-error">{fieldErrors.events}</ErrorMessage>}
          {webhookEventTypes.map((type) => (
            <Checkbox
              key={type}
              id={`event-${type}`}
              name="events"
              value={type}
              label={
                <>
                  <code>{type}</code>: {webhookEventLabels[type]}
                </>
              }
              checked={events.includes(type)}
              onChange={(ev) =>
                setEvents((list) =>
                  ev.target.checked ? [...list, type] : list.filter((existing) => existing !== type),
                )
              }
            />
          ))}
        </Fieldset>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add endpoint'}
        </Button>
      </form>
    </section>
  );
}

function DeliveryLog() {
  const [params] = useSearchParams();
  const status = statusViews.find((v) => v.status === params.get('status'))?.status ?? '';
  const endpointId = params.get('endpointId') ?? undefined;
  const page = usePageParam();
  const list = useQuery({
    queryKey: ['webhook-deliveries', status, endpointId, page],
    queryFn: () =>
      api.get<Paged<WebhookDelivery>>(
        `/api/webhooks/deliveries${qs({ status: status || undefined, endpointId, page, pageSize: 25 })}`,
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="log-heading">
      <h2 id="log-heading">Delivery log</h2>
      <p>
        Each event sent to each endpoint, newest first, with every attempt. Times are in your browser’s zone (
        {browserZone}).
      </p>
      <nav aria-label="Deliveries by status" className="margin-bottom-2">
        <ul className="usa-button-group">
          {statusViews.map((v) => (
            <li key={v.status} className="usa-button-group__item">
              <Link
                to={`/webhooks${qs({ status: v.status || undefined, endpointId })}`}
                className={`usa-button${v.status === status ? '' : ' usa-button--outline'}`}
                aria-current={v.status === status ? 'page' : undefined}
              >
                {v.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {endpointId && (
        <p>
          One endpoint only. <Link to="/webhooks">Show every endpoint’s deliveries</Link>
        </p>
      )}
      {list.isError ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <Loading what="deliveries" />
      ) : (
        <>
          <ResultCount {...list.data.page} noun="deliveries" />
          {list.data.items.length > 0 && (
            <DataTable caption="Webhook deliveries" stacked>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Resend</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((d) => (
                  <DeliveryRow key={d.id} delivery={d} />
                ))}
              </tbody>
            </DataTable>
          )}
          <Pager {...list.data.page} label="Delivery log pages" />
        </>
      )}
    </section>
  );
}

function DeliveryRow({ delivery: d }: { delivery: WebhookDelivery }) {
  const queryClient = useQueryClient();
  const resend = useMutation({
    mutationFn: () => api.post<WebhookDelivery>(`/api/webhooks/deliveries/${d.id}/resend`),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['webhook-deliveries'] });
      void queryClient.invalidateQueries({ queryKey: ['webhook-endpoints'] });
    },
  });
  const tag = statusTag[d.status];
  return (
    <tr>
      <th scope="row">
        <code>{d.eventType}</code>
        <br />
        {formatDateTime(d.createdAt, browserZone)}
        <br />
        <span className="usa-hint">Delivery {d.id}</span>
      </th>
      <td className="break-anywhere">{d.endpoint.url}</td>
      <td>
        <span className={`usa-tag ${tag.className}`}>{tag.label}</span>
      </td>
      <td>
        {d.attempts.length === 0 ? (
          'None yet'
        ) : (
          <ol className="usa-list margin-0">
            {d.attempts.map((a, i) => (
              <li key={i}>
                {formatDateTime(a.at, browserZone)}:{' '}
                {a.statusCode !== null ? `HTTP ${a.statusCode}` : 'no answer'}
                {a.error && a.statusCode === null ? ` (${a.error})` : ''}, {a.durationMs} ms
                {a.trigger === 'resend' ? ', resent' : ''}
              </li>
            ))}
          </ol>
        )}
        <span className="usa-sr-only">{plural(d.attempts.length, 'attempt')}</span>
      </td>
      <td>
        {resend.error && <ErrorAlert error={resend.error} />}
        <Button type="button" outline onClick={() => resend.mutate()} disabled={resend.isPending}>
          {resend.isPending ? 'Sending…' : 'Resend'}
          <span className="usa-sr-only">
            {' '}
            {d.eventType} to {d.endpoint.url}
          </span>
        </Button>
      </td>
    </tr>
  );
}
