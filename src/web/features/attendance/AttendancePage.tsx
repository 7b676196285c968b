import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { formatDateTime } from '../../format';
import { durationText, PrerequisiteNote, whenText, type CheckInCode, type Roster } from '../sessions/shared';
import {
  dismissRefused,
  isOffline,
  queueAttendance,
  useOfflineQueue,
  useOnline,
  type PendingAttendance,
  type Refused,
} from '../../offline/queue';

type Minutes = Record<string, string>;

function minutesFrom(roster: Roster): Minutes {
  return Object.fromEntries(
    roster.confirmed.map((r) => [
      r.registrationId,
      r.minutesAttended == null ? '' : String(r.minutesAttended),
    ]),
  );
}

type Entry = { registrationId: string; minutesAttended: number };

/**
 * Instructors and coordinators record minutes attended. Built for a tablet:
 * large inputs and buttons, one row per person, "everyone present" first.
 * Without a network the page still opens (the service worker keeps the roster) and what is
 * saved waits on the tablet until the network is back (src/web/offline/queue.ts).
 */
export function AttendancePage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const roster = useQuery({
    queryKey: ['roster', id],
    queryFn: () => api.get<Roster>(`/api/sessions/${id}/roster`),
  });
  const qr = useQuery({
    queryKey: ['check-in-code', id],
    queryFn: () => api.get<CheckInCode>(`/api/sessions/${id}/check-in-code`),
    staleTime: Infinity,
  });
  const [minutes, setMinutes] = useState<Minutes>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const queue = useOfflineQueue();
  const online = useOnline();
  const waiting = queue.pending.filter(
    (p): p is PendingAttendance => p.kind === 'attendance' && p.sessionId === id,
  );
  const refused = queue.refused.filter((r) => r.kind === 'attendance' && r.sessionId === id);
  const waitingMinutes = Object.fromEntries(waiting.map((p) => [p.registrationId, String(p.minutes)]));

  useEffect(() => {
    // What the tablet still has to send shows as entered, not as the server's older value.
    if (roster.data) setMinutes({ ...minutesFrom(roster.data), ...waitingMinutes });
    // Only a new roster resets the inputs, not a change in what waits to be sent.
  }, [roster.data]);

  /** Keep entries on the tablet, each with the minutes the server had when the roster was read. */
  const keepOnTablet = (entries: Entry[]) => {
    const byId = new Map(roster.data?.confirmed.map((r) => [r.registrationId, r]));
    queueAttendance(
      entries.map((e) => ({
        sessionId: id,
        registrationId: e.registrationId,
        displayName: byId.get(e.registrationId)?.displayName ?? '',
        minutes: e.minutesAttended,
        expected: byId.get(e.registrationId)?.minutesAttended ?? null,
      })),
    );
    setRowErrors({});
    setSaved(
      `Saved on this tablet: ${entries.length} ${entries.length === 1 ? 'change' : 'changes'} will be sent when it is back online.`,
    );
  };

  const apply = (next: Roster, text: string) => {
    queryClient.setQueryData(['roster', id], next);
    void queryClient.invalidateQueries({ queryKey: ['session', id] });
    setSaved(text);
    setRowErrors({});
  };

  const allPresent = useMutation({
    mutationFn: async () => {
      const unrecorded = (roster.data?.confirmed ?? []).filter(
        (r) => r.minutesAttended == null && !(r.registrationId in waitingMinutes),
      );
      const entries = unrecorded.map((r) => ({
        registrationId: r.registrationId,
        minutesAttended: roster.data!.session.course.durationMinutes,
      }));
      if (!navigator.onLine) return { next: null, entries };
      try {
        const next = await api.post<Roster>(`/api/sessions/${id}/attendance/all-present`, {
          onlyCheckedIn: false,
        });
        return { next, entries };
      } catch (error) {
        if (isOffline(error)) return { next: null, entries };
        throw error;
      }
    },
    onSuccess: ({ next, entries }) => {
      if (!next) return keepOnTablet(entries);
      apply(
        next,
        'Everyone without a record is marked present for the whole session, and their credit is recorded.',
      );
    },
  });
  const save = useMutation({
    mutationFn: async (entries: Entry[]) => {
      if (!navigator.onLine) return { next: null, entries };
      try {
        return { next: await api.put<Roster>(`/api/sessions/${id}/attendance`, { entries }), entries };
      } catch (error) {
        if (isOffline(error)) return { next: null, entries };
        throw error;
      }
    },
    onSuccess: ({ next, entries }) => {
      if (!next) return keepOnTablet(entries);
      apply(next, 'Attendance saved. Credit is recorded for everyone who met the course’s rule.');
    },
  });

  if (roster.isError) return <PageError error={roster.error} title="Attendance" what="session" />;
  if (!roster.data)
    return (
      <Page title="Attendance">
        <Loading what="the roster" />
      </Page>
    );
  const { session: s, confirmed } = roster.data;
  const full = s.course.durationMinutes;
  const original = { ...minutesFrom(roster.data), ...waitingMinutes };
  const changed = confirmed.filter((r) => (minutes[r.registrationId] ?? '') !== original[r.registrationId]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(null);
    const errors: Record<string, string> = {};
    const entries: { registrationId: string; minutesAttended: number }[] = [];
    for (const r of changed) {
      const text = (minutes[r.registrationId] ?? '').trim();
      if (!/^\d+$/.test(text)) {
        errors[r.registrationId] = 'Enter the minutes as a whole number, for example 180, or 0 if absent.';
        continue;
      }
      entries.push({ registrationId: r.registrationId, minutesAttended: Number(text) });
    }
    setRowErrors(errors);
    if (Object.keys(errors).length || entries.length === 0) return;
    save.mutate(entries);
  };

  const serverRowError = (index: number) => {
    if (!(save.error instanceof ApiError)) return undefined;
    const errs = save.error.fieldErrors;
    return errs[`entries.${index}.minutesAttended`] ?? errs[`entries.${index}.registrationId`];
  };
  const recorded = confirmed.filter((r) => r.minutesAttended != null).length;

  return (
    <Page
      title={`Attendance: ${s.course.code}`}
      documentTitle={`Attendance ${s.course.code}`}
      lead={`${s.course.title}. ${whenText(s)}. Full attendance is ${full} minutes (${durationText(full)}).`}
    >
      <div className="action-row">
        <Link to={`/sessions/${s.id}/roster`} className="usa-button usa-button--outline">
          Roster
        </Link>
        <a href={`/api/sessions/${s.id}/sign-in-sheet`} download className="usa-button usa-button--outline">
          Print the sign-in sheet (PDF)
        </a>
      </div>
      {saved && (
        <Alert type="success" headingLevel="h2" slim role="status" className="margin-bottom-2">
          {saved}
        </Alert>
      )}
      {(allPresent.error || save.error) && <ErrorAlert error={allPresent.error ?? save.error} />}
      <OfflineSign online={online} waiting={waiting.length} sending={queue.sending} />
      {refused.length > 0 && <RefusedChanges refused={refused} roster={roster.data} />}

      <p>
        {recorded} of {confirmed.length} people have a record.
      </p>
      {confirmed.length === 0 ? (
        <p>No one is registered for this session.</p>
      ) : (
        <>
          <h2>Step 1: mark everyone present</h2>
          <p>
            Marks everyone who has no record yet as present for all {full} minutes, and records their credit
            at once. Then change the minutes below for anyone who came late, left early or was absent.
          </p>
          <Button
            type="button"
            className="big-button"
            onClick={() => {
              setSaved(null);
              allPresent.mutate();
            }}
            disabled={
              allPresent.isPending ||
              confirmed.every((r) => r.minutesAttended != null || r.registrationId in waitingMinutes)
            }
          >
            {allPresent.isPending ? 'Marking…' : 'Mark all present'}
          </Button>

          <h2>Step 2: change minutes for individuals</h2>
          <Form onSubmit={submit} noValidate className="maxw-full">
            <DataTable caption="Minutes attended by each registered person" className="attendance-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Checked in</th>
                  <th scope="col">Minutes attended</th>
                  <th scope="col">Quick set</th>
                  <th scope="col">Credit</th>
                </tr>
              </thead>
              <tbody>
                {confirmed.map((r, i) => {
                  const inputId = `minutes-${r.registrationId}`;
                  const error = rowErrors[r.registrationId] ?? serverRowError(changed.indexOf(r));
                  const set = (v: string) => setMinutes((m) => ({ ...m, [r.registrationId]: v }));
                  return (
                    <tr key={r.registrationId}>
                      <th scope="row">
                        <label htmlFor={inputId}>{r.displayName}</label>
                        {r.jurisdiction && <div className="usa-hint">{r.jurisdiction}</div>}
                        <PrerequisiteNote note={r.prerequisite} />
                      </th>
                      <td>{r.checkedInAt ? formatDateTime(r.checkedInAt, s.timeZone) : 'No'}</td>
                      <td>
                        <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
                          {error && (
                            <span className="usa-error-message" id={`${inputId}-error`}>
                              {error}
                            </span>
                          )}
                          <input
                            id={inputId}
                            className={`usa-input minutes-input${error ? ' usa-input--error' : ''}`}
                            type="text"
                            inputMode="numeric"
                            autoComplete="off"
                            value={minutes[r.registrationId] ?? ''}
                            placeholder="—"
                            aria-invalid={error ? true : undefined}
                            aria-describedby={`${inputId}-unit${error ? ` ${inputId}-error` : ''}`}
                            onChange={(e) => set(e.target.value)}
                            data-row={i}
                          />
                          <span id={`${inputId}-unit`} className="usa-sr-only">
                            minutes, out of {full}
                          </span>
                        </div>
                      </td>
                      <td className="nowrap">
                        <button
                          type="button"
                          className="usa-button usa-button--outline big-button margin-right-1"
                          onClick={() => set(String(full))}
                        >
                          Present<span className="usa-sr-only">: {r.displayName}</span>
                        </button>
                        <button
                          type="button"
                          className="usa-button usa-button--outline big-button"
                          onClick={() => set('0')}
                        >
                          Absent<span className="usa-sr-only">: {r.displayName}</span>
                        </button>
                      </td>
                      <td>
                        {r.registrationId in waitingMinutes ? (
                          <span className="usa-hint">Waiting to be sent</span>
                        ) : (
                          <>
                            {r.credits}
                            {r.creditNote && <div className="usa-hint credit-note">{r.creditNote}</div>}
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </DataTable>
            <p>
              {changed.length === 0
                ? 'No changes to save.'
                : `${changed.length} ${changed.length === 1 ? 'change' : 'changes'} not saved yet.`}
            </p>
            <Button type="submit" className="big-button" disabled={save.isPending || changed.length === 0}>
              {save.isPending ? 'Saving…' : 'Save attendance'}
            </Button>
          </Form>
        </>
      )}

      <h2>Check-in code</h2>
      <p>
        Show this code in the room. Officials scan it with their phone camera and sign in to check themselves
        in.
      </p>
      {qr.isPending && <Loading what="the check-in code" />}
      {qr.isError && <ErrorAlert error={qr.error} />}
      {qr.data && (
        <>
          <img className="qr-code" src={qr.data.pngDataUrl} alt={`QR code that opens ${qr.data.url}`} />
          <p className="break-anywhere usa-hint">{qr.data.url}</p>
        </>
      )}
    </Page>
  );
}

/** Says whether the tablet is offline and how many changes wait on it; read out when it changes. */
function OfflineSign({ online, waiting, sending }: { online: boolean; waiting: number; sending: boolean }) {
  let text: string | null = null;
  if (waiting > 0) {
    const what = `${waiting} ${waiting === 1 ? 'change is' : 'changes are'} stored on this tablet`;
    text = online
      ? `${what}${sending ? ', being sent now.' : ' and will be sent in a moment.'}`
      : `You are offline. ${what} and will be sent when it is back online.`;
  } else if (!online) {
    text = 'You are offline. Attendance you save is kept on this tablet and sent when it is back online.';
  }
  return (
    <div role="status" className="offline-sign">
      {text && (
        <Alert type="info" headingLevel="h2" slim className="margin-bottom-2">
          {text}
        </Alert>
      )}
    </div>
  );
}

/** Changes the server refused when they were sent: someone else changed them meanwhile, or another reason. */
function RefusedChanges({ refused, roster }: { refused: Refused[]; roster: Roster }) {
  const serverMinutes = (r: Refused) =>
    roster.confirmed.find((x) => x.registrationId === r.registrationId)?.minutesAttended ?? null;
  return (
    <Alert
      type="warning"
      headingLevel="h2"
      heading="Changes this tablet could not save"
      className="margin-bottom-2"
    >
      <p>
        The server refused these when the tablet sent them. Where someone else had recorded other minutes
        meanwhile, nothing was overwritten: choose which value to keep.
      </p>
      <ul className="usa-list">
        {refused.map((r, i) => (
          <li key={`${r.registrationId}-${i}`}>
            <strong>{r.displayName}</strong>: {r.message}{' '}
            {r.conflict && r.minutes != null && r.registrationId && (
              <button
                type="button"
                className="usa-button usa-button--unstyled margin-right-1"
                onClick={() =>
                  queueAttendance([
                    {
                      sessionId: r.sessionId,
                      registrationId: r.registrationId!,
                      displayName: r.displayName ?? '',
                      minutes: r.minutes!,
                      expected: serverMinutes(r),
                    },
                  ])
                }
              >
                Send this tablet’s {r.minutes} minutes
                <span className="usa-sr-only"> for {r.displayName}</span>
              </button>
            )}
            <button
              type="button"
              className="usa-button usa-button--unstyled"
              onClick={() => dismissRefused(r)}
            >
              {r.conflict ? 'Keep the server’s value' : 'Dismiss'}
              <span className="usa-sr-only"> for {r.displayName}</span>
            </button>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
