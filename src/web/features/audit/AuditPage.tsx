import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs, type AuditEntry, type Paged } from '../../api';
import { FilterForm, ListPage } from '../../components/ListPage';
import { TextField, formErrors } from '../../components/Form';
import { usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import { AuditTable } from './AuditTable';

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

  return (
    <ListPage
      title="Audit log"
      lead="Every change, with who made it, when, and what it was before and after."
      filters={
        <FilterForm
          onApply={apply}
          submit="Show changes"
          clear={filtered && { to: '/audit', text: 'Clear filters' }}
        >
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
        </FilterForm>
      }
      list={audit}
      loading="the audit log"
      noun="changes"
      pagerLabel="the audit log"
      exports={{ href: '/api/audit/export', params: applied, what: 'the audit log' }}
      table={(items) => (
        <AuditTable
          entries={items}
          caption={filtered ? 'Changes that match your filters, newest first' : 'All changes, newest first'}
        />
      )}
    />
  );
}
