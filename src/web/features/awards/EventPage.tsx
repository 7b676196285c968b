import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AwardDto } from '../../../contract/awards';
import {
  awardingKinds,
  eventKindLabels,
  plaqueStateLabels,
  type PlaqueState,
} from '../../../domain/ceremonies/index';
import { api, useSession } from '../../api';
import { allowed } from '../../auth';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { formatDate, formatDateTime } from '../../format';
import { whenText, type Event, type Session } from '../sessions/shared';

/** The ceremony list and plaque order list of an event, in every format the server writes. */
export function EventDocumentLinks({ event }: { event: { id: string; title: string } }) {
  const docs = [
    ['ceremony-list', 'Ceremony list'],
    ['plaque-orders', 'Plaque orders'],
  ] as const;
  return (
    <ul className="usa-list" aria-label={`Lists for ${event.title}`}>
      {docs.map(([path, label]) => (
        <li key={path}>
          {label}:{' '}
          {(['csv', 'xlsx', 'pdf'] as const).map((format, i) => (
            <span key={format}>
              {i > 0 && ' · '}
              <a href={`/api/events/${event.id}/${path}?format=${format}`} download>
                {format.toUpperCase()}
                <span className="usa-sr-only">
                  {' '}
                  of the {label.toLowerCase()} for {event.title}
                </span>
              </a>
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

/** When the event takes place, each time with its zone. */
export function eventWhen(event: Event, sessions: Session[] = []): string {
  if (event.followsSession)
    return `Right after ${event.followsSession.courseCode}, which ends ${formatDateTime(
      event.followsSession.endsAt,
      event.followsSession.timeZone,
    )}`;
  if (event.heldOn) return formatDate(event.heldOn);
  const first = sessions.find((s) => s.status !== 'cancelled');
  if (first) return whenText(first);
  return 'No date yet';
}

const nextStates: Record<PlaqueState, PlaqueState[]> = {
  to_order: ['ordered'],
  ordered: ['delivered', 'to_order'],
  delivered: ['ordered'],
};
const actionLabels: Record<PlaqueState, string> = {
  to_order: 'Back to “to order”',
  ordered: 'Mark ordered',
  delivered: 'Mark delivered',
};

/**
 * An event: its kind and day, its sessions, and for a ceremony or conference the awards made at
 * it with their plaque orders, and links to the ceremony list and the plaque order list.
 */
export function EventPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const user = session.data!.user!;
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['event', id],
    queryFn: () => api.get<{ event: Event; sessions: Session[] }>(`/api/events/${id}`),
  });
  const canSeeAwards = allowed(user, 'awards.list');
  const awards = useQuery({
    queryKey: ['event-awards', id],
    queryFn: () => api.get<{ items: AwardDto[] }>(`/api/awards?eventId=${id}`),
    enabled: canSeeAwards,
  });
  const plaque = useMutation({
    mutationFn: (v: { awardId: string; state: PlaqueState }) =>
      api.put<AwardDto>(`/api/awards/${v.awardId}/plaque`, { state: v.state }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['event-awards', id] }),
  });
  if (query.isError) return <PageError error={query.error} title="Event" what="event" />;
  if (!query.data)
    return (
      <Page title="Event">
        <Loading what="the event" />
      </Page>
    );
  const { event, sessions } = query.data;
  const awarding = awardingKinds.includes(event.kind);
  const current = (awards.data?.items ?? [])
    .filter((a) => !a.revocation && !a.supersededById)
    .sort((a, b) => a.nameOnCertificate.localeCompare(b.nameOnCertificate));
  const counts = { to_order: 0, ordered: 0, delivered: 0 };
  for (const a of current) counts[a.plaque?.state ?? 'to_order']++;
  return (
    <Page title={event.title} lead={eventKindLabels[event.kind]}>
      <dl>
        <dt>Kind</dt>
        <dd data-testid="event-kind">{eventKindLabels[event.kind]}</dd>
        <dt>When</dt>
        <dd data-testid="event-when">{eventWhen(event, sessions)}</dd>
        {event.followsSession && (
          <>
            <dt>Follows</dt>
            <dd>
              <Link to={`/sessions/${event.followsSession.id}`}>
                {event.followsSession.courseCode}: {event.followsSession.courseTitle}
              </Link>
            </dd>
          </>
        )}
      </dl>
      {event.description && <p>{event.description}</p>}
      {allowed(user, 'events.update') && (
        <p>
          <Link to={`/events/${event.id}/edit`}>Edit event</Link>
        </p>
      )}
      {sessions.length > 0 && (
        <>
          <h2>Sessions</h2>
          <ul className="usa-list">
            {sessions.map((s) => (
              <li key={s.id}>
                <Link to={`/sessions/${s.id}`}>
                  {s.course.code}: {s.course.title}
                </Link>
                , {whenText(s)}
                {s.status === 'cancelled' && ' (cancelled)'}
              </li>
            ))}
          </ul>
        </>
      )}
      {!awarding && (
        <p>
          Awards are made at a recognition ceremony or a conference, not at a class. To award here, an
          administrator changes the event’s kind.
        </p>
      )}
      {awarding && canSeeAwards && (
        <>
          <h2>Ceremony list and plaque orders</h2>
          <EventDocumentLinks event={event} />
          <h2>Awards made here</h2>
          {awards.isPending && <Loading what="the awards" />}
          {awards.error && <ErrorAlert error={awards.error} />}
          {plaque.error && <ErrorAlert error={plaque.error} />}
          {awards.data && current.length === 0 && <p>No awards have been made at this event yet.</p>}
          {current.length > 0 && (
            <>
              <p data-testid="plaque-counts">
                Plaques: {counts.to_order} to order, {counts.ordered} ordered, {counts.delivered} delivered.
              </p>
              <DataTable caption={`Awards and plaques, ${event.title}`}>
                <thead>
                  <tr>
                    <th scope="col">Name on certificate</th>
                    <th scope="col">County</th>
                    <th scope="col">Designation</th>
                    <th scope="col">Certificate</th>
                    <th scope="col">Plaque</th>
                    {allowed(user, 'awards.plaques.update') && <th scope="col">Change the plaque</th>}
                  </tr>
                </thead>
                <tbody>
                  {current.map((a) => {
                    const state = a.plaque?.state ?? 'to_order';
                    return (
                      <tr key={a.id}>
                        <th scope="row">{a.nameOnCertificate}</th>
                        <td>{a.person.county ?? '—'}</td>
                        <td>{a.designation}</td>
                        <td>
                          <Link to={`/awards/${a.id}`}>{a.certificateNumber}</Link>
                        </td>
                        <td data-testid={`plaque-${a.id}`}>
                          {plaqueStateLabels[state]}
                          {state === 'ordered' && a.plaque?.orderedOn && (
                            <div className="usa-hint">since {formatDate(a.plaque.orderedOn)}</div>
                          )}
                          {state === 'delivered' && a.plaque?.deliveredOn && (
                            <div className="usa-hint">on {formatDate(a.plaque.deliveredOn)}</div>
                          )}
                        </td>
                        {allowed(user, 'awards.plaques.update') && (
                          <td>
                            {nextStates[state].map((to) => (
                              <button
                                key={to}
                                type="button"
                                className="usa-button usa-button--outline usa-button--small margin-bottom-1"
                                disabled={plaque.isPending}
                                onClick={() => plaque.mutate({ awardId: a.id, state: to })}
                              >
                                {actionLabels[to]}
                                <span className="usa-sr-only"> for {a.nameOnCertificate}</span>
                              </button>
                            ))}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </DataTable>
            </>
          )}
          {allowed(user, 'awards.eligible.list') && (
            <p>
              <Link to="/awards/eligible">Officials eligible for award</Link>
            </p>
          )}
        </>
      )}
    </Page>
  );
}
