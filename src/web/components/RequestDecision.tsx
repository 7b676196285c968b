import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { ErrorAlert } from './PageError';
import { TextareaField, formErrors } from './Form';

/**
 * Approve, or decline with a reason the person is e-mailed: the decision on a waiting request
 * (account requests, enrollment requests). `onDone` gets the sentence to announce.
 */
export function RequestDecision({
  id,
  name,
  approve,
  decline,
  approved,
  declined,
  onDone,
}: {
  /** Unique on the page (the reason field's id). */
  id: string;
  /** Who asked, for the buttons' accessible names. */
  name: string;
  approve: () => Promise<unknown>;
  decline: (reason: string) => Promise<unknown>;
  /** What to announce after each decision. */
  approved: string;
  declined: string;
  onDone: (text: string) => void;
}) {
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const approval = useMutation({ mutationFn: approve, onSuccess: () => onDone(approved) });
  const refusal = useMutation({ mutationFn: () => decline(reason), onSuccess: () => onDone(declined) });
  const reasonError = formErrors(refusal.error).reason;
  return (
    <>
      {(approval.error || refusal.error) && !reasonError && (
        <ErrorAlert error={approval.error ?? refusal.error} />
      )}
      {!declining ? (
        <div className="action-row">
          <Button type="button" onClick={() => approval.mutate()} disabled={approval.isPending}>
            {approval.isPending ? (
              'Approving…'
            ) : (
              <>
                Approve<span className="usa-sr-only"> {name}</span>
              </>
            )}
          </Button>
          <Button type="button" secondary onClick={() => setDeclining(true)}>
            Decline<span className="usa-sr-only"> {name}</span>
          </Button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            refusal.mutate();
          }}
          noValidate
        >
          <TextareaField
            id={`reason-${id}`}
            label={`Why decline ${name}?`}
            hint="They receive this in the e-mail."
            value={reason}
            onChange={setReason}
            error={reasonError}
            required
          />
          <div className="action-row">
            <Button type="submit" secondary disabled={refusal.isPending}>
              {refusal.isPending ? 'Declining…' : 'Decline and e-mail the reason'}
            </Button>
            <Button type="button" unstyled onClick={() => setDeclining(false)}>
              Keep it waiting
            </Button>
          </div>
        </form>
      )}
    </>
  );
}

/**
 * The status views of a request queue as a button group of links: the first view is the queue's
 * own address, the others add `?status=`. The current one is marked for screen readers.
 */
export function RequestStatusTabs({
  path,
  label,
  views,
  current,
}: {
  path: string;
  label: string;
  views: readonly { status: string; label: string }[];
  current: string;
}) {
  return (
    <nav aria-label={label} className="margin-bottom-2">
      <ul className="usa-button-group">
        {views.map((v, i) => (
          <li key={v.status} className="usa-button-group__item">
            <Link
              to={i === 0 ? path : `${path}?status=${v.status}`}
              className={`usa-button${v.status === current ? '' : ' usa-button--outline'}`}
              aria-current={v.status === current ? 'page' : undefined}
            >
              {v.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
