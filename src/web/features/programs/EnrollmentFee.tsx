import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert } from '../../components/Alert';
import type { Enrollment, ProgramSummary } from '../../../contract/programs';
import { api } from '../../api';
import { usePrograms } from '../sessions/shared';

export function dollars(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

/** What a program's enrollment fee is, what it is for and how to pay it (shown before asking to enroll). */
export function EnrollmentFeeExplanation({ program }: { program: ProgramSummary }) {
  if (program.feeAmountCents === 0)
    return <p>There is no enrollment fee. A coordinator confirms your enrollment.</p>;
  const { feeFor, howToPay } = program.enrollmentFee;
  return (
    <>
      <p>
        Enrolling in {program.name} costs a one-time enrollment fee of{' '}
        <strong>{dollars(program.feeAmountCents)}</strong>.{feeFor ? ` ${feeFor}` : ''}
      </p>
      <p>
        <strong>How to pay:</strong>{' '}
        {howToPay ?? 'Your coordinator tells you how to pay when they confirm your request.'}
      </p>
      <p>
        Your request and the fee stay pending until a coordinator records the payment and confirms your
        enrollment.
      </p>
    </>
  );
}

const feeState: Record<Enrollment['fee']['status'], string> = {
  unpaid: 'is pending (not paid yet)',
  invoiced: 'is invoiced, not paid yet',
  paid: 'is recorded as paid',
  waived: 'is waived',
};

/** The signed-in official's enrollment requests that a coordinator has not confirmed yet. */
export function useMyEnrollmentRequests() {
  return useQuery({
    queryKey: ['my-enrollments'],
    queryFn: () => api.get<{ items: Enrollment[] }>('/api/me/enrollments'),
    select: (d) => d.items.filter((e) => e.status === 'requested'),
  });
}

/** Each pending enrollment request with its fee and how to pay it (the progress page). */
export function PendingEnrollments({ requests }: { requests: Enrollment[] }) {
  const programs = usePrograms();
  if (requests.length === 0) return null;
  return (
    <>
      {requests.map((e) => {
        const program = programs.data?.find((p) => p.id === e.program.id);
        const fee = e.fee.amountCents > 0;
        return (
          <Alert
            key={e.id}
            type="info"
            headingLevel="h2"
            heading={`Enrollment in ${e.program.name} pending`}
            className="margin-bottom-2"
          >
            <p className="margin-top-0">
              {fee
                ? `Your request to enroll is pending, and your ${dollars(e.fee.amountCents)} enrollment fee ${feeState[e.fee.status]}.`
                : 'Your request to enroll is pending. There is no enrollment fee.'}{' '}
              A coordinator confirms your enrollment
              {fee && e.fee.status === 'unpaid' ? ' once the payment is recorded' : ''}; your progress appears
              here then.
            </p>
            {fee && e.fee.status === 'unpaid' && program?.enrollmentFee.howToPay && (
              <p>
                <strong>How to pay:</strong> {program.enrollmentFee.howToPay}
              </p>
            )}
            <p className="margin-bottom-0">
              <Link to="/programs">See the program and its fee</Link>
            </p>
          </Alert>
        );
      })}
    </>
  );
}
