import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, qs, useStates, type Jurisdiction, type Paged } from '../../api';
import { FilterForm, ListPage } from '../../components/ListPage';
import { SelectField, TextField, formErrors } from '../../components/Form';
import { DataTable, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';

const filterNames = ['q', 'state', 'kind'] as const;
const PAGE_SIZE = 50;

export function JurisdictionsPage() {
  const page = usePageParam();
  const { applied, draft, set, apply, any: filtered } = useFilters(filterNames);
  const states = useStates();
  const list = useQuery({
    queryKey: ['jurisdictions', 'search', applied, page],
    queryFn: () =>
      api.get<Paged<Jurisdiction>>(`/api/jurisdictions${qs({ ...applied, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const fieldErrors = formErrors(list.error);

  const stateName = states.data?.find((s) => s.stateCode === applied.state)?.name;

  return (
    <ListPage
      title="Jurisdictions"
      lead="All US states and counties (and county equivalents) with their FIPS codes."
      filters={
        <FilterForm
          label="Find jurisdictions"
          onApply={apply}
          clear={filtered && { to: '/jurisdictions', text: 'Clear search' }}
        >
          <div className="tablet:grid-col-5">
            <TextField
              id="q"
              type="text"
              label="Name or FIPS code"
              value={draft.q}
              onChange={set('q')}
              error={fieldErrors.q}
            />
          </div>
          <div className="tablet:grid-col-4">
            <SelectField
              id="state"
              label="State"
              value={draft.state}
              onChange={set('state')}
              error={fieldErrors.state}
            >
              <option value="">All states</option>
              {states.data?.map((s) => (
                <option key={s.fips} value={s.stateCode}>
                  {s.name}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="tablet:grid-col-3">
            <SelectField
              id="kind"
              label="Type"
              value={draft.kind}
              onChange={set('kind')}
              error={fieldErrors.kind}
            >
              <option value="">States and counties</option>
              <option value="state">States only</option>
              <option value="county">Counties only</option>
            </SelectField>
          </div>
        </FilterForm>
      }
      list={list}
      noun="jurisdictions"
      exports={{ href: '/api/jurisdictions/export', params: applied, what: 'these states and counties' }}
      table={(items) => (
        <DataTable
          stacked
          caption={`Jurisdictions${stateName ? ` in ${stateName}` : ''}${filtered ? ' that match your search' : ''}`}
        >
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">State</th>
              <th scope="col">FIPS code</th>
            </tr>
          </thead>
          <tbody>
            {items.map((j) => (
              <tr key={j.fips}>
                <th scope="row">{j.name}</th>
                <td>{j.kind === 'state' ? 'State' : 'County'}</td>
                <td>
                  {j.stateName} <span className="text-base">({j.stateCode})</span>
                </td>
                <td>
                  <code>{j.fips}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    />
  );
}
