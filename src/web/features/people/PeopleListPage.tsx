import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { roles } from '../../../domain/authz';
import { api, qs, useCounties, useSession, type Paged, type Person } from '../../api';
import { allowed, roleLabels } from '../../auth';
import { formatDate } from '../../format';
import { FilterForm, ListPage } from '../../components/ListPage';
import { SelectField, TextField, formErrors } from '../../components/Form';
import { DataTable, SortHeader, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import { RoleList } from '../../components/Facts';
import { Email } from '../../components/Email';

const filterNames = ['q', 'county', 'role'] as const;
const sorts = ['name', '-name', 'created', '-created', 'county'] as const;
const sortWords: Record<(typeof sorts)[number], string> = {
  name: 'by last name, A to Z',
  '-name': 'by last name, Z to A',
  created: 'by date added, oldest first',
  '-created': 'by date added, newest first',
  county: 'by county, A to Z',
};

/** The orders the phone layout's sort select offers ("Last name, A to Z"). */
const sortChoices = sorts.map((value) => ({
  value,
  label: sortWords[value].replace(/^by (.)/, (_, c: string) => c.toUpperCase()),
}));

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

  const onSort = (value: string) => {
    const next = new URLSearchParams(params);
    next.delete('page');
    if (value === 'name') next.delete('sort');
    else next.set('sort', value);
    setParams(next);
  };

  return (
    <ListPage
      title="People"
      lead="Officials and staff in the program."
      actions={
        allowed(user, 'people.create') && (
          <p>
            <Link to="/people/new" className="usa-button">
              Add a person
            </Link>
          </p>
        )
      }
      filters={
        <FilterForm
          label="Find people"
          onApply={apply}
          clear={filtered && { to: '/people', text: 'Clear search' }}
        >
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
        </FilterForm>
      }
      list={people}
      noun="people"
      exports={{ href: '/api/people/export', params: { ...applied, sort }, what: 'the people list' }}
      sort={{ choices: sortChoices, current: sort, onSort }}
      table={(items) => (
        <DataTable
          stacked
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
            {items.map((p) => (
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
    />
  );
}
