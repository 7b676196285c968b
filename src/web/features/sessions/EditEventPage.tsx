import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { api } from '../../api';
import {
  ErrorSummary,
  RequiredNote,
  TextField,
  type FieldErrors,
  formErrors,
  SelectField,
  TextareaField,
} from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { PageError } from '../../components/PageError';
import { whenText, type Event, type Session } from './shared';
import { eventKindLabels, eventKinds, type EventKind } from '../../../domain/ceremonies';

const fields = {
  title: { id: 'title', label: 'Name' },
  description: { id: 'description', label: 'Description' },
  kind: { id: 'kind', label: 'Kind' },
  heldOn: { id: 'heldOn', label: 'Date' },
  followsSessionId: { id: 'followsSessionId', label: 'Right after' },
};

/** The sessions a ceremony can follow: the program's sessions from 60 days back, not the event's own. */
function useSessionsToFollow(event: Event, enabled: boolean) {
  const from = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  const params = new URLSearchParams({ from, pageSize: '200' });
  if (event.programId) params.set('programId', event.programId);
  return useQuery({
    queryKey: ['sessions', 'to-follow', event.id, params.toString()],
    queryFn: () => api.get<{ items: Session[] }>(`/api/sessions?${params.toString()}`),
    enabled,
    select: (d) => d.items.filter((s) => s.status !== 'cancelled' && s.event.id !== event.id),
  });
}

/**
 * An event's name and description. Its dates and places are those of its
 * sessions, listed here with links to edit each one.
 */
export function EditEventPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['event', id],
    queryFn: () => api.get<{ event: Event; sessions: Session[] }>(`/api/events/${id}`),
  });
  if (query.isError) return <PageError error={query.error} title="Edit event" what="event" />;
  if (!query.data)
    return (
      <Page title="Edit event">
        <Loading what="the event" />
      </Page>
    );
  return <EditEventForm key={query.data.event.id} {...query.data} />;
}

function EditEventForm({ event, sessions }: { event: Event; sessions: Session[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(event.title);
  const [description, setDescription] = useState(event.description);
  const [kind, setKind] = useState<EventKind>(event.kind);
  const [heldOn, setHeldOn] = useState(event.heldOn ?? '');
  const [follows, setFollows] = useState(event.followsSession?.id ?? '');
  const toFollow = useSessionsToFollow(event, kind === 'ceremony');
  const following = kind === 'ceremony' && follows !== '';
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const back = sessions[0] ? `/sessions/${sessions[0].id}` : '/sessions';

  const save = useMutation({
    mutationFn: () =>
      api.patch<Event>(`/api/events/${event.id}`, {
        title: title.trim(),
        description: description.trim(),
        kind,
        // A ceremony right after a session takes that session's day; otherwise its own date.
        followsSessionId: following ? follows : null,
        heldOn: kind === 'class' || following || !heldOn ? null : heldOn,
      }),
    onSuccess: (e) => {
      void queryClient.invalidateQueries({ queryKey: ['event', event.id] });
      void queryClient.invalidateQueries({ queryKey: ['events'] });
      void queryClient.invalidateQueries({ queryKey: ['session'] });
      void queryClient.invalidateQueries({ queryKey: ['sessions'] });
      navigate(back, { state: { flash: { type: 'success', text: `Saved the event “${e.title}”.` } } });
    },
    onError: () => setAttempt((n) => n + 1),
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!title.trim()) errors.title = 'Give the event a name.';
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    save.mutate();
  };
  const serverErrors = formErrors(save.error);
  const fieldErrors: FieldErrors = { ...serverErrors, ...localErrors };
  const hasLocal = Object.keys(localErrors).length > 0;

  return (
    <Page title="Edit event" documentTitle={`Edit event ${event.title}`}>
      <ErrorSummary
        error={hasLocal ? null : save.error}
        fieldErrors={fieldErrors}
        fields={fields}
        attempt={attempt}
      />
      <RequiredNote />
      <Form onSubmit={submit} noValidate large>
        <TextField
          id="title"
          label="Name"
          hint="For example: Year One, Spring, Topeka."
          required
          maxLength={200}
          value={title}
          onChange={setTitle}
          error={fieldErrors.title}
        />
        <TextareaField
          id="description"
          label="Description"
          maxLength={4000}
          value={description}
          error={fieldErrors.description}
          onChange={setDescription}
        />
        <SelectField
          id="kind"
          label="Kind"
          hint="Awards are made only at a recognition ceremony or a conference, once it has taken place."
          value={kind}
          error={fieldErrors.kind}
          onChange={(v) => setKind(v as EventKind)}
        >
          {eventKinds.map((k) => (
            <option key={k} value={k}>
              {eventKindLabels[k]}
            </option>
          ))}
        </SelectField>
        {kind === 'ceremony' && (
          <SelectField
            id="followsSessionId"
            label="Right after"
            hint="A recognition ceremony held right after a session (for example, after Year Three) takes place that day."
            value={follows}
            error={fieldErrors.followsSessionId}
            onChange={setFollows}
          >
            <option value="">No session: the ceremony has its own date</option>
            {event.followsSession && !toFollow.data?.some((s) => s.id === event.followsSession?.id) && (
              <option value={event.followsSession.id}>
                {event.followsSession.courseCode}: {event.followsSession.courseTitle}
              </option>
            )}
            {(toFollow.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.course.code}: {s.event.title}, {whenText(s)}
              </option>
            ))}
          </SelectField>
        )}
        {kind !== 'class' && !following && (
          <TextField
            id="heldOn"
            type="date"
            label="Date"
            hint="The day it takes place. Without one, the day of its first session."
            value={heldOn}
            error={fieldErrors.heldOn}
            onChange={setHeldOn}
          />
        )}
        <div className="margin-top-4">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save event'}
          </Button>
          <Link to={back} className="usa-button usa-button--unstyled margin-left-2">
            Back without saving
          </Link>
        </div>
      </Form>

      <h2>Dates and places</h2>
      <p>An event’s dates and places are those of its sessions. Change them on each session.</p>
      {sessions.length === 0 ? (
        <p>This event has no sessions yet.</p>
      ) : (
        <ul className="usa-list">
          {sessions.map((s) => (
            <li key={s.id}>
              {s.course.code}: {whenText(s)}
              {s.status !== 'cancelled' ? (
                <>
                  {' '}
                  <Link to={`/sessions/${s.id}/edit`}>
                    Edit session
                    <span className="usa-sr-only">
                      {' '}
                      {s.course.code}, {whenText(s)}
                    </span>
                  </Link>
                </>
              ) : (
                ' (cancelled)'
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
