import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { z } from 'zod';
import type { progressNodeSchema, Progress } from '../../../contract/credits';
import type { Person } from '../../../contract/people';
import { api, useSession } from '../../api';
import { allowed } from '../../auth';
import { formatDate, formatNumber } from '../../format';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { factSentence } from '../people/PersonFacts';
import { PendingEnrollments, useMyEnrollmentRequests } from '../programs/EnrollmentFee';
import '../sessions/sessions.css';
import { formErrors, TextareaField } from '../../components/Form';

type ProgressNode = z.infer<typeof progressNodeSchema>;
type ProgramProgress = Progress['programs'][number];

const reasonWords: Record<string, string> = {
  outside_window: 'Outside the time window',
  after_as_of: 'Earned after this date',
  after_deadline: 'Earned after the deadline',
  over_cap: 'Over the limit for this kind of credit',
  pending_review: 'Waiting for review',
  rejected: 'Not approved',
  reversed: 'Corrected and removed',
  used_elsewhere: 'Already counted for another requirement',
  used_in_earlier_cycle: 'Already counted in an earlier cycle',
  counted_for_award: 'Counted toward the award',
  counted_for_renewal: 'Counted toward the first renewal cycle',
  before_cycle: 'Dated before this cycle',
  later_cycle: 'Left for the next cycle',
  recorded_after_close: 'Recorded after the cycle closed',
  wrong_category: 'A different kind of credit',
  before_prerequisite: 'Taken before its prerequisite',
  out_of_order: 'Taken out of order',
  duplicate_course: 'The same course was already counted',
  below_record_minimum: 'Too small on its own to count here',
  unreadable: 'The record could not be read',
};

function reasonText(reason: string): string {
  return reasonWords[reason] ?? reason.replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function amount(n: number): string {
  return formatNumber(Math.round(n * 100) / 100);
}

/** One requirement's have/need as a bar, with the same numbers in text beside it. */
function ProgressBar({ have, need, met }: { have: number; need: number; met: boolean }) {
  const share = need > 0 ? Math.min(1, have / need) : met ? 1 : 0;
  return (
    <svg
      className="progress-bar"
      viewBox="0 0 100 10"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="0" y="0" width="100" height="10" fill="#dfe1e2" />
      <rect x="0" y="0" width={share * 100} height="10" fill={met ? '#00a91c' : '#005ea2'} />
    </svg>
  );
}

function Requirement({ node }: { node: ProgressNode }) {
  const H = node.depth === 0 ? 'h3' : 'h4';
  const numbers =
    node.need > 0
      ? `${amount(node.have)} of ${amount(node.need)} ${node.unit}`
      : node.met
        ? 'Done'
        : 'Not done yet';
  return (
    <div className={`requirement requirement--depth-${Math.min(node.depth, 4)}`}>
      <H>
        {node.title}{' '}
        {node.met ? (
          <span className="usa-tag bg-green">Met</span>
        ) : node.applicable ? (
          <span className="usa-tag bg-base-dark">Not met yet</span>
        ) : (
          <span className="usa-tag bg-base-light text-ink">Does not apply</span>
        )}
      </H>
      <p className="margin-y-05">
        <span className="progress-numbers">{numbers}</span>
        {node.met && node.metOn && <span> · met on {formatDate(node.metOn)}</span>}
      </p>
      {node.applicable && <ProgressBar have={node.have} need={node.need} met={node.met} />}
      {node.deadline && <p className="margin-y-05">{node.deadline.detail}</p>}
      {node.note && <p className="margin-y-05">{node.note}</p>}
      {node.missing && !node.met && <p className="margin-y-05">Still needed: {node.missing}</p>}
      {node.parts.length > 0 && (
        <ul className="usa-list margin-y-05">
          {node.parts.map((p) => (
            <li key={p.id}>
              {p.label}: {amount(p.have)} {p.kind === 'cap' ? 'counted, limit' : 'of at least'}{' '}
              {amount(p.limit)}
              {p.per === 'activity' && ' per activity'}
              {p.per === 'year' && ' per year'}
              {p.years &&
                ` (${p.years.map((y) => `year ${y.year}: ${amount(y.have)}${y.met ? '' : ', short'}`).join('; ')})`}
              {p.kind === 'minimum' && (p.met ? ' (met)' : ' (not met yet)')}
            </li>
          ))}
        </ul>
      )}
      {(node.counted.length > 0 || node.notCounted.length > 0) && (
        <details className="margin-y-05">
          <summary>
            Records: {node.counted.length} counted, {node.notCounted.length} not counted
          </summary>
          {node.counted.length > 0 && (
            <>
              <p className="text-bold margin-bottom-05">Counted</p>
              <ul className="usa-list margin-top-0">
                {node.counted.map((c) => (
                  <li key={c.recordId}>
                    {c.courseCode ?? 'Credit'}: {amount(c.amount)} on {formatDate(c.date)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {node.notCounted.length > 0 && (
            <>
              <p className="text-bold margin-bottom-05">Not counted</p>
              <ul className="usa-list margin-top-0">
                {node.notCounted.map((c) => (
                  <li key={c.recordId}>
                    {amount(c.amount)} on {formatDate(c.date)}: {reasonText(c.reason)}. {c.detail}
                  </li>
                ))}
              </ul>
            </>
          )}
        </details>
      )}
    </div>
  );
}

type Cycle = ProgramProgress['cycles'][number];

const cycleStateWords: Record<string, string> = {
  open: 'Open',
  grace: 'In grace',
  renewed: 'Renewed',
  lapsed: 'Lapsed',
  reinstated: 'Reinstated',
  expired: 'Expired',
  future: 'Not started',
};

/** Staff: reopen a closed cycle that a later correction would change, with a reason (audited). */
function ReopenCycle({ cycle, personId }: { cycle: Cycle; personId: string }) {
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const box = useRef<HTMLTextAreaElement>(null);
  const queries = useQueryClient();
  const reopen = useMutation({
    mutationFn: () =>
      api.post<{ status: string }>(`/api/renewal-cycles/${cycle.id ?? ''}/reopen`, { reason: reason.trim() }),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['progress', personId] }),
  });
  const serverError = formErrors(reopen.error).reason;
  const error = local ?? serverError;
  const id = `reopen-${cycle.start}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setLocal('Give the reason for reopening this cycle.');
      box.current?.focus();
      return;
    }
    setLocal(undefined);
    reopen.mutate();
  };
  return (
    <form className="usa-form margin-top-1" onSubmit={submit} noValidate>
      {reopen.error && !serverError && <ErrorAlert error={reopen.error} />}
      <TextareaField
        id={id}
        name="reason"
        label="Reason for reopening"
        required
        // Darker than a plain hint: it sits on the warning alert's yellow.
        hintClassName="text-base-darkest"
        hint="Reopening recomputes this cycle from the ledger as it is now; it closes again with the new outcome. Kept in the audit log."
        error={error}
        inputRef={box}
        value={reason}
        maxLength={500}
        onChange={setReason}
      />
      <Button type="submit" disabled={reopen.isPending || !cycle.id}>
        Reopen the cycle
      </Button>
    </form>
  );
}

function CyclesSection({ cycles, personId }: { cycles: Cycle[]; personId: string | null }) {
  const session = useSession();
  const user = session.data?.user;
  if (cycles.length === 0) return null;
  return (
    <>
      <h3>Renewal cycles</h3>
      <table className="usa-table usa-table--borderless">
        <thead>
          <tr>
            <th scope="col">Cycle (renewal due by the last day)</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {cycles.map((c) => (
            <tr key={c.start}>
              <td>
                {formatDate(c.start)} to {formatDate(c.due)}
              </td>
              <td>
                {cycleStateWords[c.state] ?? c.state}
                {c.completedOn ? ` on ${formatDate(c.completedOn)}` : ''}
                {c.closed ? ' (closed: this outcome no longer changes)' : ''}
                {c.flag && (
                  <Alert type="warning" headingLevel="h4" heading="A later correction" slim={false}>
                    <p className="margin-top-05" data-testid="cycle-flag">
                      {c.flag.detail}
                    </p>
                    {personId && allowed(user, 'cycles.reopen') && (
                      <ReopenCycle cycle={c} personId={personId} />
                    )}
                  </Alert>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** One program's progress: the headline alert, deadlines, facts, renewal cycles, requirements. */
export function ProgramSection({ p, personId }: { p: ProgramProgress; personId: string | null }) {
  const headingId = `program-${p.program.id}`;
  return (
    <section aria-labelledby={headingId} className="margin-top-4">
      <h2 id={headingId}>{p.program.name}</h2>
      <Alert
        type={p.missing.length === 0 ? 'success' : 'info'}
        headingLevel="h3"
        heading={p.headline}
        slim={false}
      >
        {p.missing.length > 0 && (
          <>
            <p className="margin-top-05">What is still missing:</p>
            <ul>
              {p.missing.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </>
        )}
        <p className="margin-bottom-0">
          {formatNumber(p.totals.records)} credit {p.totals.records === 1 ? 'record' : 'records'},{' '}
          {amount(p.totals.approved)} {p.totals.approved === 1 ? 'credit' : 'credits'} approved. Enrolled{' '}
          {p.enrollment.enrolledOn ? `on ${formatDate(p.enrollment.enrolledOn)}` : ''} under version{' '}
          {p.enrollment.version}.
        </p>
      </Alert>
      {p.deadlines.length > 0 && (
        <>
          <h3>Deadlines</h3>
          <ul className="usa-list">
            {p.deadlines.map((d) => (
              <li key={d.id}>
                <strong>{d.label}</strong>
                {d.date ? `: ${formatDate(d.date)}` : ''}. {d.detail}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.facts.length > 0 && (
        <>
          <h3>On record</h3>
          <ul className="usa-list" data-testid="person-facts">
            {p.facts.map((f, i) => (
              <li key={`${i}-${f.kind}-${f.label}`}>
                <strong>{factSentence(f)}</strong>. {f.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <CyclesSection cycles={p.cycles} personId={personId} />
      <h3 className="usa-sr-only">Requirements</h3>
      {p.nodes.map((n) => (
        <Requirement key={n.id} node={n} />
      ))}
    </section>
  );
}

function ProgressView({
  progress,
  self,
  requested = false,
}: {
  progress: Progress;
  self: boolean;
  /** The official has asked to enroll and waits for a coordinator (said above, with the fee). */
  requested?: boolean;
}) {
  if (progress.programs.length === 0)
    return self && requested ? null : self ? (
      <p>
        You are not enrolled in a program yet. <Link to="/programs">Programs</Link> lists each program with
        its fee; ask to enroll there.
      </p>
    ) : (
      <p>This person is not enrolled in a program.</p>
    );
  return (
    <>
      <p className="usa-hint">
        As of {formatDate(progress.asOf)}. Credit counts as soon as attendance is saved.
      </p>
      {progress.programs.map((p) => (
        <ProgramSection key={p.program.id} p={p} personId={self ? null : progress.personId} />
      ))}
    </>
  );
}

/** The signed-in official's progress toward each program's requirements. */
export function MyProgressPage() {
  const progress = useQuery({
    queryKey: ['my-progress'],
    queryFn: () => api.get<Progress>('/api/me/progress'),
  });
  const requests = useMyEnrollmentRequests();
  return (
    <Page title="My progress" lead="Each requirement, what you have and what you still need.">
      <p>
        <Link to="/my-sessions">My sessions</Link> · <Link to="/sessions">Find a session</Link>
      </p>
      {progress.isPending && <Loading what="your progress" />}
      {progress.isError && <ErrorAlert error={progress.error} />}
      <PendingEnrollments requests={requests.data ?? []} />
      {progress.data && <ProgressView progress={progress.data} self requested={!!requests.data?.length} />}
    </Page>
  );
}

/** Staff: one official's progress. */
export function PersonProgressPage() {
  const { id = '' } = useParams();
  const person = useQuery({ queryKey: ['person', id], queryFn: () => api.get<Person>(`/api/people/${id}`) });
  const progress = useQuery({
    queryKey: ['progress', id],
    queryFn: () => api.get<Progress>(`/api/people/${id}/progress`),
  });
  if (progress.isError) return <PageError error={progress.error} title="Progress" what="person" />;
  const name = person.data?.displayName;
  return (
    <Page title={name ? `Progress: ${name}` : 'Progress'} documentTitle="Progress">
      <p>
        <Link to={`/people/${id}`}>Back to {name ?? 'the person'}</Link>
      </p>
      {progress.isPending && <Loading what="progress" />}
      {progress.data && <ProgressView progress={progress.data} self={false} />}
    </Page>
  );
}
