import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { courseFormats } from '../../../contract/catalog';
import { api, qs, useSession, type Paged } from '../../api';
import { allowed, isStaff } from '../../auth';
import { FilterForm, ListPage } from '../../components/ListPage';
import { SelectField, TextField, formErrors } from '../../components/Form';
import { DataTable, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import { creditsText, durationText, formatLabels, usePrograms, type Course } from '../sessions/shared';

const filterNames = ['q', 'programId', 'format', 'renewal', 'sponsored'] as const;

/** The course catalog, searched on the server. */
export function CatalogPage() {
  const page = usePageParam();
  const { applied, draft, set, apply, any } = useFilters(filterNames);
  const programs = usePrograms();
  const user = useSession().data?.user;
  const canEdit = allowed(user, 'courses.update');
  const staff = isStaff(user);
  const courses = useQuery({
    queryKey: ['courses', 'search', applied, page],
    queryFn: () => api.get<Paged<Course>>(`/api/courses${qs({ ...applied, page, pageSize: 25 })}`),
    placeholderData: keepPreviousData,
  });
  const fieldErrors = formErrors(courses.error);
  const programName = (id: string | null) => programs.data?.find((p) => p.id === id)?.name ?? '';

  return (
    <ListPage
      title="Course catalog"
      lead="Every course in the program, with its credit and format."
      actions={
        allowed(user, 'courses.create') && (
          <p>
            <Link to="/catalog/new" className="usa-button">
              Add a course
            </Link>
          </p>
        )
      }
      filters={
        <FilterForm
          label="Find courses"
          onApply={apply}
          clear={any && { to: '/catalog', text: 'Clear search' }}
        >
          <div className="tablet:grid-col-6">
            <TextField
              id="q"
              type="search"
              label="Code, title or topic"
              value={draft.q}
              onChange={set('q')}
              error={fieldErrors.q}
            />
          </div>
          <div className="tablet:grid-col-6">
            <SelectField id="programId" label="Program" value={draft.programId} onChange={set('programId')}>
              <option value="">All programs</option>
              {programs.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="tablet:grid-col-4">
            <SelectField id="format" label="Format" value={draft.format} onChange={set('format')}>
              <option value="">Any format</option>
              {courseFormats.map((f) => (
                <option key={f} value={f}>
                  {formatLabels[f]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="tablet:grid-col-4">
            <SelectField id="renewal" label="Renewal course" value={draft.renewal} onChange={set('renewal')}>
              <option value="">Either</option>
              <option value="true">Renewal courses only</option>
              <option value="false">Not renewal courses</option>
            </SelectField>
          </div>
          <div className="tablet:grid-col-4">
            <SelectField id="sponsored" label="Sponsored" value={draft.sponsored} onChange={set('sponsored')}>
              <option value="">Either</option>
              <option value="true">Sponsored only</option>
              <option value="false">Not sponsored</option>
            </SelectField>
          </div>
        </FilterForm>
      }
      list={courses}
      noun="courses"
      exports={staff && { href: '/api/courses/export', params: applied, what: 'the course catalog' }}
      table={(items) => (
        <DataTable stacked caption={`Courses ${any ? 'that match your search, ' : ''}by code`}>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Title</th>
              <th scope="col">Format</th>
              <th scope="col">Length</th>
              <th scope="col">Credits</th>
              <th scope="col">Sponsored</th>
              <th scope="col">Renewal</th>
              <th scope="col">Sessions</th>
              {canEdit && (
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <th scope="row" className="nowrap">
                  {c.code}
                </th>
                <td>
                  {c.title}
                  {c.topics.length > 0 && <div className="usa-hint">Topics: {c.topics.join(', ')}</div>}
                  {programName(c.programId) && <div className="usa-hint">{programName(c.programId)}</div>}
                </td>
                <td>{formatLabels[c.format]}</td>
                <td className="nowrap">{durationText(c.durationMinutes)}</td>
                <td>{creditsText(c.credits)}</td>
                <td>
                  {c.sponsored ? 'Yes' : 'No'}
                  {c.provider && <div className="usa-hint">Given by {c.provider}</div>}
                </td>
                <td>{c.renewal ? 'Yes' : 'No'}</td>
                <td>
                  <Link to={`/sessions${qs({ course: c.id })}`}>
                    Sessions<span className="usa-sr-only"> of {c.code}</span>
                  </Link>
                </td>
                {canEdit && (
                  <td>
                    <Link to={`/catalog/${c.id}/edit`}>
                      Edit<span className="usa-sr-only"> course {c.code}</span>
                    </Link>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    />
  );
}
