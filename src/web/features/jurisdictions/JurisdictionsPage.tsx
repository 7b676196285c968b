import { type FormEvent } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { api, qs, useStates, type Jurisdiction, type Paged } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { SelectField, TextField, formErrors } from '../../components/Form';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import { ExportLinks } from '../../components/ExportLinks';

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

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    apply();
  };
  const stateName = states.data?.find((s) => s.stateCode === applied.state)?.name;

  return (
    <Page
      title="Jurisdictions"
      lead="All US states and counties (and county equivalents) with their FIPS codes."
    >
      <Form onSubmit={submit} className="filters" noValidate role="search" aria-label="Find jurisdictions">
        <div className="grid-row grid-gap">
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
        </div>
        <div className="filters-actions">
          <Button type="submit">Search</Button>
          {filtered && (
            <Link to="/jurisdictions" className="usa-button usa-button--outline">
              Clear search
            </Link>
          )}
        </div>
      </Form>

      {list.isPending && <Loading what="jurisdictions" />}
      {list.isError && (
        <div className="margin-top-3">
          <ErrorAlert error={list.error} />
        </div>
      )}
      {list.data && (
        <>
          <ExportLinks href="/api/jurisdictions/export" params={applied} what="these states and counties" />
          <ResultCount
            page={list.data.page.page}
            pageSize={list.data.page.pageSize}
            total={list.data.page.total}
            noun="jurisdictions"
          />
          {list.data.items.length > 0 && (
            <DataTable
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
                {list.data.items.map((j) => (
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
          <Pager
            page={list.data.page.page}
            pageSize={list.data.page.pageSize}
            total={list.data.page.total}
            label="jurisdictions"
          />
        </>
      )}
    </Page>
  );
}
