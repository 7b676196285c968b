/**
 * Calling a session off, inline on the session page: a reason first, then a
 * confirmation that says who will be e-mailed. Focus moves to each step's
 * first control and back to the opening button when the coordinator steps back.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { api } from '../../api';
import { ErrorSummary, formErrors, TextareaField } from '../../components/Form';
import type { Session } from './shared';

type Step = 'closed' | 'reason' | 'confirm';

const peopleText = (n: number) => (n === 1 ? '1 person' : `${n} people`);

export function CancelSession({
  session: s,
  onCancelled,
}: {
  session: Session;
  onCancelled: (text: string) => void;
}) {
  const [step, setStep] = useState<Step>('closed');
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const opener = useRef<HTMLButtonElement>(null);
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    if (!moved.current) return;
    if (step === 'reason') reasonBox.current?.focus();
    if (step === 'confirm') confirmHeading.current?.focus();
    if (step === 'closed') opener.current?.focus();
  }, [step]);
  const go = (next: Step) => {
    moved.current = true;
    setStep(next);
  };

  const cancel = useMutation({
    mutationFn: () => api.post<Session>(`/api/sessions/${s.id}/cancel`, { reason: reason.trim() }),
    onSuccess: () => {
      const total = s.confirmedCount + s.waitlistCount;
      onCancelled(
        total === 0
          ? 'The session is cancelled. No one was registered, so no one was e-mailed.'
          : `The session is cancelled. ${peopleText(s.confirmedCount)} registered and ${peopleText(s.waitlistCount)} on the waitlist are being e-mailed the cancellation with a calendar update that removes it.`,
      );
    },
    onError: (err) => {
      // A refusal about the reason belongs on the reason field.
      setAttempt((n) => n + 1);
      if (formErrors(err).reason) go('reason');
    },
  });

  const serverReason = formErrors(cancel.error).reason;
  const reasonError = localError ?? serverReason;

  const toConfirm = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!reason.trim()) {
      setLocalError('Give the reason. It goes in the e-mail to everyone registered.');
      setAttempt((n) => n + 1);
      return;
    }
    setLocalError(null);
    go('confirm');
  };

  if (step === 'closed')
    return (
      <Button type="button" secondary ref={opener} onClick={() => go('reason')}>
        Cancel this session
      </Button>
    );

  return (
    <section aria-labelledby="cancel-session-heading" className="cancel-panel">
      {step === 'reason' ? (
        <>
          <h3 id="cancel-session-heading">Cancel this session</h3>
          <ErrorSummary
            error={localError ? null : cancel.error}
            fieldErrors={reasonError ? { reason: reasonError } : {}}
            fields={{ reason: { id: 'cancel-reason', label: 'Reason' } }}
            attempt={attempt}
          />
          <Form onSubmit={toConfirm} noValidate className="maxw-full">
            <TextareaField
              id="cancel-reason"
              name="reason"
              label="Reason"
              required
              hint="For example: “The room is closed for repairs.” Everyone registered or waitlisted reads it in the cancellation e-mail."
              error={reasonError}
              inputRef={reasonBox}
              maxLength={500}
              value={reason}
              onChange={setReason}
            />
            <div className="action-row margin-top-2">
              <Button type="submit">Continue</Button>
              <Button type="button" unstyled onClick={() => go('closed')}>
                Keep the session
              </Button>
            </div>
          </Form>
        </>
      ) : (
        <>
          <h3 id="cancel-session-heading" ref={confirmHeading} tabIndex={-1}>
            Cancel {s.course.code} on this date?
          </h3>
          {cancel.isError && (
            <ErrorSummary error={cancel.error} fieldErrors={{}} fields={{}} attempt={attempt} />
          )}
          <p>
            {s.confirmedCount + s.waitlistCount === 0 ? (
              'No one is registered, so no one will be e-mailed.'
            ) : (
              <>
                <strong>
                  {peopleText(s.confirmedCount)} registered and {peopleText(s.waitlistCount)} on the waitlist
                  will be e-mailed
                </strong>{' '}
                that the session is cancelled, with a calendar cancellation (METHOD:CANCEL) that removes it
                from their calendars.
              </>
            )}{' '}
            Their registrations are cancelled and the session cannot be reopened.
          </p>
          <p>
            Reason: <q>{reason.trim()}</q>
          </p>
          <div className="action-row">
            <Button type="button" secondary onClick={() => cancel.mutate()} disabled={cancel.isPending}>
              {cancel.isPending ? 'Cancelling…' : 'Yes, cancel the session'}
            </Button>
            <Button type="button" outline onClick={() => go('reason')} disabled={cancel.isPending}>
              Change the reason
            </Button>
            <Button type="button" unstyled onClick={() => go('closed')} disabled={cancel.isPending}>
              Keep the session
            </Button>
          </div>
        </>
      )}
    </section>
  );
}
