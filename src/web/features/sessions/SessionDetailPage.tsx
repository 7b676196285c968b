import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { api, useSession } from '../../api';
import { allowed } from '../../auth';
import { Facts } from '../../components/Facts';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { formatNumber, zoneName } from '../../format';
import { CancelSession } from './CancelSession';
import { ConfirmStep } from './ConfirmStep';
import {
  CalendarLink,
  StatusTag,
  durationText,
  formatLabels,
  instantText,
  whenText,
  type Registration,
  type Session,
} from './shared';

/** A bar showing confirmed seats against capacity, with the numbers in text next to it. */
export function SeatMeter({ s }: { s: Session }) {
  const filled = Math.min(1, s.capacity ? s.confirmedCount / s.capacity : 0);
  const minimumAt = s.capacity ? Math.min(1, s.minimum / s.capacity) : 0;
  return (
    <svg className="seat-meter" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
      <rect x="0" y="0" width="100" height="10" fill="#dfe1e2" />
      <rect x="0" y="0" width={filled * 100} height="10" fill="#005ea2" />
      {s.minimum > 0 && <rect x={minimumAt * 100 - 0.4} y="0" width="0.8" height="10" fill="#1b1b1b" />}
    </svg>
  );
}

/** What cancelling one's own registration does to the seat or the waitlist place. */
function cancelConsequence(s: Session, mine: NonNullable<Session['myRegistration']>): string {
  if (mine.status === 'waitlisted')
    return `You lose your place (number ${mine.waitlistPosition ?? '?'}) on the waitlist. Joining again puts you at the end.`;
  if (s.waitlistCount > 0)
    return `Your seat goes to the first person on the waitlist (${s.waitlistCount} waiting), who is e-mailed. If you change your mind, you would have to join the waitlist yourself.`;
  return 'Your seat is freed for someone else. If you change your mind, you can register again while seats are left.';
}

export function SessionDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const user = session.data?.user ?? null;
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  // After a cancellation the panel that had focus is gone: focus moves to the message instead.
  const [focusNotice, setFocusNotice] = useState(false);
  const noticeBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusNotice && notice) {
      noticeBox.current?.focus();
      setFocusNotice(false);
    }
  }, [focusNotice, notice]);
  const query = useQuery({
    queryKey: ['session', id],
    queryFn: () => api.get<Session>(`/api/sessions/${id}`),
  });

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['session', id] });
    void queryClient.invalidateQueries({ queryKey: ['sessions'] });
    void queryClient.invalidateQueries({ queryKey: ['my-registrations'] });
  };
  // "Cancel my registration" and "Register" (for a course already completed) ask first; the
  // answer "no" returns focus to the button that asked.
  const [confirming, setConfirming] = useState<'cancel' | 'register' | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = () => {
    setConfirming(null);
    setTimeout(() => opener.current?.focus());
  };
  const register = useMutation({
    mutationFn: () => api.post<Registration>(`/api/sessions/${id}/registrations`, {}),
    onSuccess: (r) => {
      setConfirming(null);
      setFocusNotice(true);
      setNotice(
        r.status === 'confirmed'
          ? 'You are registered. We sent a confirmation e-mail with a calendar invitation.'
          : `The session is full, so you are on the waitlist at number ${r.waitlistPosition ?? '?'}. We will e-mail you if a seat opens.`,
      );
      refresh();
    },
  });
  const cancel = useMutation({
    mutationFn: (registrationId: string) =>
      api.post<Registration>(`/api/registrations/${registrationId}/cancel`, { reason: null }),
    onSuccess: () => {
      setConfirming(null);
      setFocusNotice(true);
      setNotice('Your registration is cancelled. We sent you an e-mail to confirm.');
      refresh();
    },
  });

  if (query.isError) return <PageError error={query.error} title="Session" what="session" />;
  if (!query.data)
    return (
      <Page title="Session">
        <Loading what="the session" />
      </Page>
    );
  const s = query.data;
  const mine = s.myRegistration && s.myRegistration.status !== 'cancelled' ? s.myRegistration : null;
  const open = s.status === 'scheduled' || s.status === 'full';
  const canRegisterSelf = s.abilities.registerSelf;
  const registrationClosed = !!s.registrationClosesAt && Date.parse(s.registrationClosesAt) < Date.now();
  const notYetOpen = !!s.registrationOpensAt && Date.parse(s.registrationOpensAt) > Date.now();

  return (
    <Page title={`${s.course.code}: ${s.course.title}`} documentTitle={`Session ${s.course.code}`}>
      <p>
        <StatusTag status={s.status} /> {s.event.title}
      </p>
      {notice && (
        <div ref={noticeBox} tabIndex={-1}>
          <Alert type="success" headingLevel="h2" slim role="status" className="margin-bottom-2">
            {notice}
          </Alert>
        </div>
      )}

      {(canRegisterSelf || mine) && <h2>Your registration</h2>}
      {mine ? (
        <p className="font-body-md">
          {mine.status === 'confirmed' ? (
            <strong>You are registered for this session.</strong>
          ) : (
            <strong>You are number {mine.waitlistPosition ?? '?'} on the waitlist.</strong>
          )}{' '}
          {mine.status === 'waitlisted' &&
            'If someone cancels, the first person on the waitlist gets the seat and an e-mail.'}
        </p>
      ) : (
        canRegisterSelf && <p>You are not registered for this session.</p>
      )}
      {(register.error || cancel.error) && <ErrorAlert error={register.error ?? cancel.error} />}
      {canRegisterSelf && !confirming && (
        <div className="action-row">
          {!mine && open && !registrationClosed && !notYetOpen && (
            <Button
              type="button"
              className="big-button"
              ref={opener}
              onClick={() => (s.myCourseCompleted ? setConfirming('register') : register.mutate())}
              disabled={register.isPending}
            >
              {register.isPending ? 'Registering…' : s.seatsLeft > 0 ? 'Register' : 'Join the waitlist'}
            </Button>
          )}
          {mine && open && (
            <Button type="button" secondary ref={opener} onClick={() => setConfirming('cancel')}>
              {mine.status === 'confirmed' ? 'Cancel my registration' : 'Leave the waitlist'}
            </Button>
          )}
        </div>
      )}
      {confirming === 'cancel' && mine && (
        <ConfirmStep
          id="cancel-registration"
          heading={
            mine.status === 'confirmed' ? 'Cancel your registration?' : 'Leave the waitlist for this session?'
          }
          confirmLabel={
            mine.status === 'confirmed' ? 'Yes, cancel my registration' : 'Yes, leave the waitlist'
          }
          pendingLabel="Cancelling…"
          keepLabel={mine.status === 'confirmed' ? 'Keep my registration' : 'Stay on the waitlist'}
          pending={cancel.isPending}
          onConfirm={() => cancel.mutate(mine.id)}
          onKeep={keep}
        >
          <p>{cancelConsequence(s, mine)} This cannot be undone.</p>
        </ConfirmStep>
      )}
      {confirming === 'register' && (
        <ConfirmStep
          id="register-again"
          tone="warning"
          heading={`You have already completed ${s.course.code}`}
          confirmLabel={s.seatsLeft > 0 ? 'Register anyway' : 'Join the waitlist anyway'}
          pendingLabel="Registering…"
          keepLabel="Do not register"
          pending={register.isPending}
          onConfirm={() => register.mutate()}
          onKeep={keep}
        >
          <p>
            Your record already has credit for {s.course.code}: {s.course.title}. Taking it again usually
            earns no more credit toward your certification, and the seat could go to someone who needs it.
            Register anyway?
          </p>
        </ConfirmStep>
      )}
      {!user && open && !registrationClosed && (
        <>
          <h2>Register</h2>
          <p>
            <Link to={`/sign-in?next=${encodeURIComponent(`/sessions/${s.id}`)}`} className="usa-button">
              Sign in to register
            </Link>
          </p>
          <p>
            No account yet? <Link to="/account-request">Ask for an account</Link>: a coordinator approves it
            and you get an e-mail to choose a password.
          </p>
        </>
      )}
      {!mine && open && registrationClosed && (
        <p>Registration closed {instantText(s.registrationClosesAt, s.timeZone)}.</p>
      )}
      {!mine && open && notYetOpen && (
        <p>Registration opens {instantText(s.registrationOpensAt, s.timeZone)}.</p>
      )}
      {canRegisterSelf && (
        <p>
          <Link to="/my-sessions">My sessions and calendar feed</Link>
        </p>
      )}

      <h2>Details</h2>
      <p>
        <CalendarLink session={s} className="usa-button usa-button--outline" />
      </p>
      <Facts
        items={[
          ['When', whenText(s)],
          ['Time zone', zoneName(s.timeZone)],
          ['Length', durationText(s.course.durationMinutes)],
          ['Format', formatLabels[s.course.format]],
          ['Venue', s.venue],
          ['Address', s.address],
          [
            'Webinar link',
            s.webinarUrl ? (
              <a href={s.webinarUrl} className="break-anywhere" rel="noopener noreferrer">
                {s.webinarUrl}
              </a>
            ) : !user && s.course.format !== 'in_person' ? (
              'Sent to the people registered'
            ) : null,
          ],
          // Signed out, no names are shown (issue 17), so the row is left out rather than "Not given".
          ...(user
            ? [
                ['Instructors', s.instructors.map((i) => i.displayName).join(', ') || null] as [
                  string,
                  string | null,
                ],
              ]
            : []),
          [
            'Registration opens',
            s.registrationOpensAt ? instantText(s.registrationOpensAt, s.timeZone) : 'Now',
          ],
          [
            'Registration closes',
            s.registrationClosesAt
              ? instantText(s.registrationClosesAt, s.timeZone)
              : 'When the session starts',
          ],
          ['Renewal course', s.course.renewal ? 'Yes, for certified officials only' : 'No'],
        ]}
      />

      <CourseAbout course={s.course} />

      <h2>Seats</h2>
      <p>
        <strong>
          {s.seatsLeft > 0
            ? `${s.seatsLeft} of ${s.capacity} seats left.`
            : `All ${s.capacity} seats are taken.`}
        </strong>{' '}
        {s.confirmedCount} registered, {s.waitlistCount} on the waitlist. The session needs at least{' '}
        {s.minimum} to go ahead.
      </p>
      <SeatMeter s={s} />
      <p className="usa-hint">The blue bar shows the seats taken; the black line marks the minimum.</p>

      {(s.abilities.readRoster || allowed(user, 'sessions.update')) && (
        <>
          <h2>For staff</h2>
          <ul className="usa-list">
            {s.abilities.update && (
              <li>
                <Link to={`/sessions/${s.id}/edit`}>Edit session</Link>
              </li>
            )}
            <li>
              <Link to={`/events/${s.event.id}`}>Event “{s.event.title}”</Link>
            </li>
            {s.abilities.updateEvent && (
              <li>
                <Link to={`/events/${s.event.id}/edit`}>Edit event “{s.event.title}”</Link>
              </li>
            )}
            {s.abilities.readRoster && (
              <li>
                <Link to={`/sessions/${s.id}/roster`}>Roster</Link>
              </li>
            )}
            {s.abilities.recordAttendance && (
              <li>
                <Link to={`/sessions/${s.id}/attendance`}>Record attendance</Link>
              </li>
            )}
            {s.abilities.readRoster && (
              <li>
                <a href={`/api/sessions/${s.id}/sign-in-sheet`} download>
                  Sign-in sheet (PDF)
                </a>
              </li>
            )}
          </ul>
          {s.abilities.cancel && open && (
            <CancelSession
              session={s}
              onCancelled={(text) => {
                setNotice(text);
                setFocusNotice(true);
                refresh();
              }}
            />
          )}
        </>
      )}
    </Page>
  );
}

/** The course: its description, its credit by category (named) and what it counts toward for the viewer. */
function CourseAbout({ course }: { course: Session['course'] }) {
  const program = course.programName ?? 'the program';
  return (
    <section aria-labelledby="about-course">
      <h2 id="about-course">About the course</h2>
      {course.description ? (
        <p className="measure-5 text-pre-line">{course.description}</p>
      ) : (
        <p>This course has no description yet.</p>
      )}
      <h3>Credit</h3>
      {course.credits.length === 0 ? (
        <p>Completing this course earns no credit.</p>
      ) : (
        <ul className="usa-list">
          {course.credits.map((c) => (
            <li key={c.category}>
              {c.categoryName}: {formatNumber(c.amount)} {c.amount === 1 ? 'credit' : 'credits'}
            </li>
          ))}
        </ul>
      )}
      <h3>What it counts toward</h3>
      {course.countsToward.length === 0 ? (
        <p>Completing this course counts toward no requirement of {program}.</p>
      ) : (
        <>
          <p>
            {course.viewerEnrolled
              ? `For you, in ${program}, completing this course counts toward:`
              : `In ${program} (you are not enrolled in it), completing this course counts toward:`}
          </p>
          <ul className="usa-list">
            {course.countsToward.map((r) => (
              <li key={`${r.renewal}-${r.id}`}>
                {r.title} ({r.renewal ? 'renewal' : 'certification'})
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
