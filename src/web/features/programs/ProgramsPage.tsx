import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { Enrollment, ProgramSummary } from '../../../contract/programs';
import { api, useSession } from '../../api';
import { hasOwnRecord } from '../../auth';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { formatDate } from '../../format';
import { usePrograms } from '../sessions/shared';
import { dollars, EnrollmentFeeExplanation } from './EnrollmentFee';

export { dollars };

export const feeStatusLabels: Record<Enrollment['fee']['status'], string> = {
  unpaid: 'Not paid',
  paid: 'Paid',
  waived: 'Waived',
  invoiced: 'Invoiced',
};

export const enrollmentStatusLabels: Record<Enrollment['status'], string> = {
  requested: 'Requested',
  declined: 'Declined',
  active: 'Enrolled',
  withdrawn: 'Withdrawn',
};

/** Programs: what each one is, its published version, and (for officials) their own enrollment. */
export function ProgramsPage() {
  const session = useSession();
  const user = session.data!.user!;
  const queryClient = useQueryClient();
  const programs = usePrograms();
  const isOfficial = hasOwnRecord(user);
  const mine = useQuery({
    queryKey: ['my-enrollments'],
    queryFn: () => api.get<{ items: Enrollment[] }>('/api/me/enrollments'),
    enabled: isOfficial,
    select: (d) => d.items,
  });
  // "Ask to enroll" first explains the fee (what it is for, how to pay); the request is sent from there.
  const [asking, setAsking] = useState<ProgramSummary | null>(null);
  const askHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (asking) askHeading.current?.focus();
  }, [asking]);
  const request = useMutation({
    mutationFn: (program: ProgramSummary) =>
      api.post<Enrollment>(`/api/programs/${program.id}/enrollment-request`, {}),
    onSuccess: () => {
      setAsking(null);
      void queryClient.invalidateQueries({ queryKey: ['my-enrollments'] });
    },
  });
  const sent = request.isSuccess ? request.variables : null;
  // An open enrollment or request first; otherwise the last word (withdrawn, or a declined request).
  const enrollmentIn = (programId: string) => {
    const all = mine.data?.filter((e) => e.program.id === programId) ?? [];
    return all.find((e) => e.status === 'active' || e.status === 'requested') ?? all[0];
  };

  return (
    <Page
      title="Programs"
      lead="Certification and continuing-education programs, and the version of the rules in force."
    >
      {sent && (
        <Alert type="success" headingLevel="h2" slim role="status" className="margin-bottom-2">
          Your request to enroll in {sent.name} is sent.{' '}
          {sent.feeAmountCents > 0
            ? `Your request and the ${dollars(sent.feeAmountCents)} enrollment fee are pending until a coordinator records the payment and confirms your enrollment. `
            : 'A coordinator will confirm your enrollment. '}
          {sent.feeAmountCents > 0 && sent.enrollmentFee.howToPay && (
            <>
              <strong>How to pay:</strong> {sent.enrollmentFee.howToPay}{' '}
            </>
          )}
          <Link to="/progress">My progress</Link> shows where it stands.
        </Alert>
      )}
      {asking && (
        <section aria-labelledby="ask-heading" className="usa-summary-box margin-bottom-3">
          <h2 id="ask-heading" ref={askHeading} tabIndex={-1} className="usa-summary-box__heading">
            Ask to enroll in {asking.name}
          </h2>
          <EnrollmentFeeExplanation program={asking} />
          <Button type="button" onClick={() => request.mutate(asking)} disabled={request.isPending}>
            {request.isPending ? 'Sending…' : 'Send my request'}
          </Button>
          <Button type="button" unstyled className="margin-left-2" onClick={() => setAsking(null)}>
            Not now
          </Button>
        </section>
      )}
      {request.isError && <ErrorAlert error={request.error} />}
      {programs.isPending && <Loading what="programs" />}
      {programs.isError && <ErrorAlert error={programs.error} />}
      {programs.data && programs.data.length === 0 && <p>There are no programs yet.</p>}
      {programs.data && programs.data.length > 0 && (
        <DataTable caption="Programs by name">
          <thead>
            <tr>
              <th scope="col">Program</th>
              <th scope="col">Designation</th>
              <th scope="col">Rules in force</th>
              <th scope="col">Fee</th>
              {isOfficial && <th scope="col">You</th>}
            </tr>
          </thead>
          <tbody>
            {programs.data.map((p) => {
              const e = enrollmentIn(p.id);
              return (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/programs/${p.id}`}>{p.name}</Link>
                    <div className="usa-hint">{p.code}</div>
                  </th>
                  <td>{p.designation}</td>
                  <td>
                    {p.current
                      ? `Version ${p.current.version}, from ${formatDate(p.current.effectiveFrom)}`
                      : 'Not published'}
                    {p.draft && <div className="usa-hint">Draft {p.draft.version} not yet published</div>}
                  </td>
                  <td>{dollars(p.feeAmountCents)}</td>
                  {isOfficial && (
                    <td>
                      {e && e.status !== 'declined' ? (
                        enrollmentStatusLabels[e.status]
                      ) : p.current ? (
                        <>
                          {e?.declineReason && (
                            <p className="margin-top-0">Your request was declined: “{e.declineReason}”</p>
                          )}
                          <Button
                            type="button"
                            outline
                            onClick={() => {
                              request.reset();
                              setAsking(p);
                            }}
                            disabled={request.isPending}
                          >
                            {e ? 'Ask again' : 'Ask to enroll'}
                            <span className="usa-sr-only"> in {p.name}</span>
                          </Button>
                        </>
                      ) : null}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </DataTable>
      )}
    </Page>
  );
}
