import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountRequest } from '../../../contract/account-requests';
import { Alert } from '../../components/Alert';
import { api, qs, type Paged } from '../../api';
import { ErrorAlert } from '../../components/PageError';
import { Loading, Page } from '../../components/Page';
import { RequestDecision, RequestStatusTabs } from '../../components/RequestDecision';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { browserZone, formatDateTime } from '../../format';
import { countyLabel } from '../../../contract/jurisdictions';

const views = [
  { status: 'pending', label: 'Waiting' },
  { status: 'approved', label: 'Approved' },
  { status: 'declined', label: 'Declined' },
] as const;

/** The coordinators' queue of account requests from the public pages (issue 17). */
export function AccountRequestsPage() {
  const [params] = useSearchParams();
  const status = views.find((v) => v.status === params.get('status'))?.status ?? 'pending';
  const page = usePageParam();
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['account-requests', status, page],
    queryFn: () =>
      api.get<Paged<AccountRequest>>(`/api/account-requests${qs({ status, page, pageSize: 25 })}`),
    placeholderData: keepPreviousData,
  });

  return (
    <Page
      title="Account requests"
      lead="People who asked for an account from the public pages. Approving creates an official's account and e-mails the link to choose a password; declining e-mails your reason."
    >
      <RequestStatusTabs
        path="/account-requests"
        label="Account requests by status"
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
        <Loading what="account requests" />
      ) : (
        <>
          <ResultCount {...list.data.page} noun="account requests" />
          {list.data.items.length > 0 && (
            <DataTable caption={`${views.find((v) => v.status === status)!.label} account requests`} stacked>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">County and position</th>
                  <th scope="col">Asked</th>
                  <th scope="col">{status === 'pending' ? 'Decide' : 'Decision'}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <RequestRow key={r.id} request={r} onDone={setNotice} />
                ))}
              </tbody>
            </DataTable>
          )}
          <Pager {...list.data.page} label="Account request pages" />
        </>
      )}
    </Page>
  );
}

function RequestRow({ request: r, onDone }: { request: AccountRequest; onDone: (text: string) => void }) {
  const queryClient = useQueryClient();
  const name = `${r.firstName} ${r.lastName}`;
  return (
    <tr>
      <th scope="row">
        {r.personId ? <Link to={`/people/${r.personId}`}>{name}</Link> : name}
        {r.note && <p className="usa-hint margin-y-05">{r.note}</p>}
      </th>
      <td className="break-anywhere">{r.email}</td>
      <td>
        {countyLabel(r.jurisdiction)}, {r.jurisdiction.stateCode}
        <br />
        {r.position}
      </td>
      <td>{formatDateTime(r.createdAt, browserZone)}</td>
      <td>
        {r.abilities.decide ? (
          <RequestDecision
            id={r.id}
            name={name}
            approve={() => api.post<AccountRequest>(`/api/account-requests/${r.id}/approve`, {})}
            decline={(reason) =>
              api.post<AccountRequest>(`/api/account-requests/${r.id}/decline`, { reason })
            }
            approved={`${name} now has an account. We e-mailed ${r.email} a link to choose a password.`}
            declined={`The request from ${name} is declined. We e-mailed them your reason.`}
            onDone={(text) => {
              onDone(text);
              void queryClient.invalidateQueries({ queryKey: ['account-requests'] });
            }}
          />
        ) : (
          <>
            {r.status === 'approved' ? 'Approved' : 'Declined'} by {r.decidedBy ?? 'someone'},{' '}
            {formatDateTime(r.decidedAt, browserZone)}
            {r.declineReason && <p className="margin-y-05">“{r.declineReason}”</p>}
          </>
        )}
      </td>
    </tr>
  );
}
