import { type FormEvent } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { roles } from '../../../domain/authz';
import { api, qs, useCounties, useSession, type Paged, type Person } from '../../api';
import { allowed, roleLabels } from '../../auth';
import { formatDate } from '../../format';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { SelectField, TextField, formErrors } from '../../components/Form';
import { DataTable, Pager, ResultCount, SortHeader, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import { RoleList } from '../../components/Facts';
import { Email } from '../../components/Email';
import { ExportLinks } from '../../components/ExportLinks';

const filterNames = ['q', 'county', 'role'] as const;
const sorts = ['name', '-name', 'created', '-created', 'county'] as const;
const sortWords: Record<(typeof sorts)[number], string> = {
  name: 'by last name, A to Z',
  '-name': 'by last name, Z to A',
  created: 'by date added, oldest first',
  '-created': 'by date added, newest first',
  county: 'by county, A to Z',
};

export function PeopleListPage() {
  const session = useSession();
  const user = session.data!.user!;
  const page = usePageParam();
  const { applied, draft, set, apply, any: filtered, params, setParams } = useFilters(filterNames);
  const sortParam = params.get('sort') ?? 'name';
  const sort = (sorts as readonly string[]).includes(sortParam)
    ? (sortParam as (typeof sorts)[number])
    : 'name';
  const counties = useCounties();

  const people = useQuery({
    queryKey: ['people', applied, sort, page],
    queryFn: () => api.get<Paged<Person>>(`/api/people${qs({ ...applied, sort, page, pageSize: 25 })}`),
    placeholderData: keepPreviousData,
  });
  const fieldErrors = formErrors(people.error);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    apply();
  };
  const onSort = (value: string) => {
    const next = new URLSearchParams(params);
    next.delete('page');
    if (value === 'name') next.delete('sort');
    else next.set('sort', value);
    setParams(next);
  };

  const data = people.data;
  return (
    <Page title="People" lead="Officials and staff in the program.">
      {allowed(user, 'people.create') && (
        <p>
          <Link to="/people/new" className="usa-button">
            Add a person
          </Link>
        </p>
      )}
      <Form onSubmit={submit} className="filters" noValidate role="search" aria-label="Find people">
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-5">
            <TextField
              id="q"
              type="text"
              label="Name or e-mail"
              value={draft.q}
              onChange={set('q')}
              error={fieldErrors.q}
            />
          </div>
          <div className="tablet:grid-col-4">
            <SelectField
              id="county"
              label="County"
              value={draft.county}
              onChange={set('county')}
              error={fieldErrors.county}
            >
              <option value="">All counties</option>
              {counties.data?.map((c) => (
                <option key={c.fips} value={c.fips}>
                  {c.name}
                </option>
              ))}
              {draft.county && !counties.data?.some((c) => c.fips === draft.county) && (
                <option value={draft.county}>County {draft.county}</option>
              )}
            </SelectField>
          </div>
          <div className="tablet:grid-col-3">
            <SelectField
              id="role"
              label="Role"
              value={draft.role}
              onChange={set('role')}
              error={fieldErrors.role}
            >
              <option value="">All roles</option>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </SelectField>
          </div>
        </div>
        <div className="filters-actions">
          <Button type="submit">Search</Button>
          {filtered && (
            <Link to="/people" className="usa-button usa-button--outline">
              Clear search
            </Link>
          )}
        </div>
      </Form>

      {people.isPending && <Loading what="people" />}
      {people.isError && (
        <div className="margin-top-3">
          <ErrorAlert error={people.error} />
        </div>
      )}
      {data && (
        <>
          <ExportLinks href="/api/people/export" params={{ ...applied, sort }} what="the people list" />
          <ResultCount
            page={data.page.page}
            pageSize={data.page.pageSize}
            total={data.page.total}
            noun="people"
          />
          {data.items.length > 0 && (
            <DataTable
              caption={`People ${filtered ? 'that match your search, ' : ''}sorted ${sortWords[sort]}`}
            >
              <thead>
                <tr>
                  <SortHeader
                    label="Name"
                    option={{ asc: 'name', desc: '-name' }}
                    current={sort}
                    onSort={onSort}
                  />
                  <th scope="col">Title</th>
                  <SortHeader label="County" option={{ asc: 'county' }} current={sort} onSort={onSort} />
                  <th scope="col">E-mail</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Account</th>
                  <SortHeader
                    label="Added"
                    option={{ asc: 'created', desc: '-created', first: 'desc' }}
                    current={sort}
                    onSort={onSort}
                  />
                </tr>
              </thead>
              <tbody>
                {data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" className="name-cell">
                      <Link to={`/people/${p.id}`}>
                        {p.lastName}, {p.preferredName ?? p.firstName}
                      </Link>
                    </th>
                    <td>{p.title ?? ''}</td>
                    <td>{p.jurisdiction ? p.jurisdiction.name : <span className="text-base">None</span>}</td>
                    <td>
                      <Email address={p.email} />
                    </td>
                    <td>
                      <RoleList roles={p.roles} />
                    </td>
                    <td>{p.hasPassword ? 'Active' : 'Invited'}</td>
                    <td className="nowrap">{formatDate(p.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
          <Pager page={data.page.page} pageSize={data.page.pageSize} total={data.page.total} label="people" />
        </>
      )}
    </Page>
  );
}
