import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Enrollment } from '../../../contract/programs';
import { Alert } from '../../components/Alert';
import { api, qs, type Paged } from '../../api';
import { ErrorAlert } from '../../components/PageError';
import { Loading, Page } from '../../components/Page';
import { RequestDecision, RequestStatusTabs } from '../../components/RequestDecision';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { browserZone, formatDate, formatDateTime } from '../../format';
import { dollars, feeStatusLabels } from '../programs/ProgramsPage';

const views = [
  { status: 'requested', label: 'Waiting' },
  { status: 'approved', label: 'Approved' },
  { status: 'declined', label: 'Declined' },
] as const;

/** The coordinators' queue of officials who asked to enroll, in every program (issue 17). */
export function EnrollmentRequestsPage() {
  const [params] = useSearchParams();
  const status = views.find((v) => v.status === params.get('status'))?.status ?? 'requested';
  const page = usePageParam();
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['enrollment-requests', status, page],
    queryFn: () =>
      api.get<Paged<Enrollment>>(`/api/enrollment-requests${qs({ status, page, pageSize: 25 })}`),
    placeholderData: keepPreviousData,
  });
  const label = views.find((v) => v.status === status)!.label;
  return (
    <Page
      title="Enrollment requests"
      lead="Officials who asked to join a program. Approving enrolls them from today, on the fee terms shown; declining e-mails them your reason. They are e-mailed either way."
    >
      <RequestStatusTabs
        path="/enrollment-requests"
        label="Enrollment requests by status"
        views={views}
        current={status}
      />
      {notice && (
        <Alert type="success" headingLevel="h2" slim role="status" className="margin-bottom-2">
          {notice}
        </Alert>
      )}
      {list.isError ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <Loading what="enrollment requests" />
      ) : (
        <>
          <ResultCount {...list.data.page} noun="enrollment requests" />
          {list.data.items.length > 0 && (
            <DataTable caption={`${label} enrollment requests`} stacked>
              <thead>
                <tr>
                  <th scope="col">Official</th>
                  <th scope="col">Program</th>
                  <th scope="col">Asked</th>
                  <th scope="col">Fee</th>
                  <th scope="col">{status === 'requested' ? 'Decide' : 'Decision'}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <RequestRow key={e.id} enrollment={e} onDone={setNotice} />
                ))}
              </tbody>
            </DataTable>
          )}
          <Pager {...list.data.page} label="Enrollment request pages" />
        </>
      )}
    </Page>
  );
}

function RequestRow({ enrollment: e, onDone }: { enrollment: Enrollment; onDone: (text: string) => void }) {
  const queryClient = useQueryClient();
  const name = e.person.displayName;
  return (
    <tr>
      <th scope="row">
        <Link to={`/people/${e.person.id}`}>{name}</Link>
        <div className="usa-hint break-anywhere">{e.person.email}</div>
      </th>
      <td>
        <Link to={`/programs/${e.program.id}`}>{e.program.name}</Link>
      </td>
      <td>{e.requestedAt ? formatDateTime(e.requestedAt, browserZone) : ''}</td>
      <td>
        {dollars(e.fee.amountCents)}, {feeStatusLabels[e.fee.status]}
      </td>
      <td>
        {e.abilities.decide ? (
          <EnrollmentDecision enrollment={e} onDone={onDone} invalidate={queryClient} />
        ) : (
          <>
            {e.status === 'declined' ? 'Declined' : `Enrolled from ${formatDate(e.enrolledOn)}`}
            {e.decidedAt && (
              <>
                {' '}
                by {e.decidedBy ?? 'someone'}, {formatDateTime(e.decidedAt, browserZone)}
              </>
            )}
            {e.declineReason && <p className="margin-y-05">“{e.declineReason}”</p>}
          </>
        )}
      </td>
    </tr>
  );
}

/** Approve or decline one waiting enrollment request (also on the program's page). */
export function EnrollmentDecision({
  enrollment: e,
  onDone,
  invalidate,
}: {
  enrollment: Enrollment;
  onDone: (text: string) => void;
  invalidate: ReturnType<typeof useQueryClient>;
}) {
  const name = e.person.displayName;
  return (
    <RequestDecision
      id={e.id}
      name={name}
      approve={() => api.post<Enrollment>(`/api/enrollments/${e.id}/approve`, {})}
      decline={(reason) => api.post<Enrollment>(`/api/enrollments/${e.id}/decline`, { reason })}
      approved={`${name} is enrolled in ${e.program.name} from today. We e-mailed them.`}
      declined={`The request from ${name} is declined. We e-mailed them your reason.`}
      onDone={(text) => {
        onDone(text);
        for (const key of ['enrollment-requests', 'enrollments', 'dashboard'])
          void invalidate.invalidateQueries({ queryKey: [key] });
      }}
    />
  );
}
