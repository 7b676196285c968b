import { type FormEvent } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { api, qs, type AuditEntry, type Paged } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { TextField, formErrors } from '../../components/Form';
import { Pager, ResultCount, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import { AuditTable } from './AuditTable';
import { ExportLinks } from '../../components/ExportLinks';

const filterNames = ['action', 'entityType', 'entityId', 'actor', 'from', 'to'] as const;

export function AuditPage() {
  const page = usePageParam();
  const { applied, draft, set, apply, any: filtered } = useFilters(filterNames);

  const audit = useQuery({
    queryKey: ['audit', applied, page],
    queryFn: () => api.get<Paged<AuditEntry>>(`/api/audit${qs({ ...applied, page })}`),
    placeholderData: keepPreviousData,
  });
  const fieldErrors = formErrors(audit.error);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    apply();
  };

  return (
    <Page title="Audit log" lead="Every change, with who made it, when, and what it was before and after.">
      <Form onSubmit={submit} className="filters" noValidate>
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-4">
            <TextField
              id="action"
              label="Action"
              hint="For example person.create"
              value={draft.action}
              onChange={set('action')}
              error={fieldErrors.action}
            />
          </div>
          <div className="tablet:grid-col-4">
            <TextField
              id="entityType"
              label="Record type"
              hint="For example person"
              value={draft.entityType}
              onChange={set('entityType')}
              error={fieldErrors.entityType}
            />
          </div>
          <div className="tablet:grid-col-4">
            <TextField
              id="entityId"
              label="Record id"
              value={draft.entityId}
              onChange={set('entityId')}
              error={fieldErrors.entityId}
            />
          </div>
          <div className="tablet:grid-col-4">
            <TextField
              id="actor"
              label="Who"
              hint="Name or e-mail of the person who made the change"
              value={draft.actor}
              onChange={set('actor')}
              error={fieldErrors.actor}
            />
          </div>
          <div className="tablet:grid-col-4">
            <TextField
              type="date"
              id="from"
              label="From date"
              value={draft.from}
              onChange={set('from')}
              error={fieldErrors.from}
            />
          </div>
          <div className="tablet:grid-col-4">
            <TextField
              type="date"
              id="to"
              label="To date"
              value={draft.to}
              onChange={set('to')}
              error={fieldErrors.to}
            />
          </div>
        </div>
        <div className="filters-actions">
          <Button type="submit">Show changes</Button>
          {filtered && (
            <Link to="/audit" className="usa-button usa-button--outline">
              Clear filters
            </Link>
          )}
        </div>
      </Form>

      {audit.isPending && <Loading what="the audit log" />}
      {audit.isError && (
        <div className="margin-top-3">
          <ErrorAlert error={audit.error} />
        </div>
      )}
      {audit.data && (
        <>
          <ExportLinks href="/api/audit/export" params={applied} what="the audit log" />
          <ResultCount
            page={audit.data.page.page}
            pageSize={audit.data.page.pageSize}
            total={audit.data.page.total}
            noun="changes"
          />
          {audit.data.items.length > 0 && (
            <AuditTable
              entries={audit.data.items}
              caption={
                filtered ? 'Changes that match your filters, newest first' : 'All changes, newest first'
              }
            />
          )}
          <Pager
            page={audit.data.page.page}
            pageSize={audit.data.page.pageSize}
            total={audit.data.page.total}
            label="the audit log"
          />
        </>
      )}
    </Page>
  );
}
