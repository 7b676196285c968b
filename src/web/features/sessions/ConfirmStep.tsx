/**
 * A confirmation step shown in place, before something that cannot be undone
 * (cancelling one's own registration) or that may be a mistake (registering
 * for a course already completed). Focus moves to its heading when it opens,
 * so a screen reader reads the question; both answers are ordinary buttons,
 * and Escape answers "no". The caller returns focus to the button that opened it.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from '@trussworks/react-uswds';

interface ConfirmStepProps {
  id: string;
  heading: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  keepLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onKeep: () => void;
  /** Red edge for something that cannot be undone; gold for a warning. */
  tone?: 'danger' | 'warning';
}

export function ConfirmStep(props: ConfirmStepProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const headingId = `${props.id}-heading`;
  return (
    <section
      id={props.id}
      aria-labelledby={headingId}
      className={`cancel-panel${props.tone === 'warning' ? ' cancel-panel--warning' : ''}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !props.pending) props.onKeep();
      }}
    >
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {props.heading}
      </h3>
      {props.children}
      <div className="action-row">
        <Button
          type="button"
          secondary={props.tone !== 'warning'}
          onClick={props.onConfirm}
          disabled={props.pending}
        >
          {props.pending ? props.pendingLabel : props.confirmLabel}
        </Button>
        <Button type="button" outline onClick={props.onKeep} disabled={props.pending}>
          {props.keepLabel}
        </Button>
      </div>
    </section>
  );
}
