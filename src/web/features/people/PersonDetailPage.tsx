import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { api, useCounties, type Person } from '../../api';
import { browserZone, formatDateTime } from '../../format';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { Facts, RoleTags } from '../../components/Facts';
import { PersonFactsSection } from './PersonFacts';
import { SecondFactorAdmin } from './SecondFactorAdmin';
import { ExternalIdentitiesAdmin } from './ExternalIdentitiesAdmin';
import { countyLabel } from '../../../contract/jurisdictions';
import { usePrograms } from '../sessions/shared';

/** The counties and programs a county supervisor or a scoped coordinator is limited to, by name. */
function ScopeSummary({ person }: { person: Person }) {
  const counties = useCounties();
  const programs = usePrograms();
  const countyNames = person.counties.map((f) => {
    const c = counties.data?.find((x) => x.fips === f);
    return c ? countyLabel(c) : f;
  });
  const programNames = person.programs.map((id) => programs.data?.find((x) => x.id === id)?.name ?? id);
  return (
    <ul className="usa-list usa-list--unstyled">
      {countyNames.length > 0 && <li>Counties: {countyNames.join(', ')}</li>}
      {programNames.length > 0 && <li>Programs: {programNames.join(', ')}</li>}
    </ul>
  );
}

export function PersonDetailPage() {
  const { id = '' } = useParams();
  const person = useQuery({ queryKey: ['person', id], queryFn: () => api.get<Person>(`/api/people/${id}`) });
  const invite = useMutation({ mutationFn: () => api.post<{ ok: true }>(`/api/people/${id}/invite`) });

  if (person.isError) return <PageError error={person.error} title="Person" what="person" />;
  if (!person.data)
    return (
      <Page title="Person">
        <Loading what="this person" />
      </Page>
    );
  const p = person.data;
  const j = p.jurisdiction;

  return (
    <Page title={p.displayName} documentTitle={`${p.displayName} · People`}>
      <p>
        <Link to="/people">Back to people</Link>
      </p>

      {invite.isSuccess && (
        <Alert type="success" headingLevel="h2" slim role="status" className="margin-bottom-3">
          We sent a new invitation to {p.email}. Earlier links no longer work.
        </Alert>
      )}
      {invite.isError && (
        <div className="margin-bottom-3">
          <ErrorAlert error={invite.error} heading="The invitation was not sent" />
        </div>
      )}

      <h2>Details</h2>
      <Facts
        items={[
          ['First name', p.firstName],
          ['Last name', p.lastName],
          ['Preferred name', p.preferredName],
          ['Title', p.title],
          [
            'Jurisdiction',
            j ? (
              <>
                {j.name}, {j.stateName} <span className="text-base">(FIPS {j.fips})</span>
              </>
            ) : null,
          ],
          [
            'E-mail',
            <span key="e">
              <a href={`mailto:${p.email}`}>{p.email}</a>
              {p.pendingEmail && (
                <span className="display-block text-base-dark" data-testid="pending-email">
                  Changing to {p.pendingEmail}: a confirmation link was sent to {p.pendingEmail}. The sign-in
                  address changes when it is followed.
                </span>
              )}
            </span>,
          ],
          ['Phone', p.phone],
          ['Roles', <RoleTags key="r" roles={p.roles} />],
          ...(p.counties.length > 0 || p.programs.length > 0
            ? [['Limited to', <ScopeSummary key="s" person={p} />] as [string, ReactNode]]
            : []),
          [
            'Account',
            p.hasPassword
              ? 'Active: they have chosen a password'
              : 'Invited: they have not chosen a password yet',
          ],
          ['Added', formatDateTime(p.createdAt, browserZone)],
          ['Last changed', formatDateTime(p.updatedAt, browserZone)],
        ]}
      />

      <div className="action-row margin-top-3">
        {p.abilities.update && (
          <Link to={`/people/${p.id}/edit`} className="usa-button">
            Edit details
          </Link>
        )}
        {p.abilities.invite && (
          <Button type="button" outline onClick={() => invite.mutate()} disabled={invite.isPending}>
            {invite.isPending
              ? 'Sending…'
              : p.hasPassword
                ? 'Send a password reset e-mail'
                : 'Send the invitation again'}
          </Button>
        )}
        {p.abilities.readCredits && (
          <Link to={`/people/${p.id}/credits`} className="usa-button usa-button--outline">
            Credits and staff entries
          </Link>
        )}
        {p.abilities.readAudit && (
          <Link
            to={`/audit?entityType=person&entityId=${p.id}`}
            className="usa-button usa-button--unstyled margin-left-1"
          >
            See the history of changes
          </Link>
        )}
        {p.abilities.export && (
          <a
            href={`/api/people/${p.id}/export`}
            download
            className="usa-button usa-button--unstyled margin-left-1"
          >
            Download all their data (JSON)
          </a>
        )}
      </div>
      {p.abilities.readFacts && (
        <PersonFactsSection
          personId={p.id}
          canRecord={p.abilities.recordFacts}
          canWithdraw={p.abilities.withdrawFacts}
        />
      )}
      {p.abilities.readSecondFactor && <SecondFactorAdmin personId={p.id} name={p.displayName} />}
      {p.abilities.readIdentities && (
        <ExternalIdentitiesAdmin
          personId={p.id}
          name={p.displayName}
          canManage={p.abilities.manageIdentities}
        />
      )}
    </Page>
  );
}
