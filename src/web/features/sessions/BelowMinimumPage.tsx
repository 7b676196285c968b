import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { SelectField } from '../../components/Form';
import { DataTable } from '../../components/Table';
import { instantText, whenText, type BelowMinimum } from './shared';

const choices = [7, 14, 30, 90];

/** Coordinators: sessions still below their minimum near (or past) the registration cut-off. */
export function BelowMinimumPage() {
  const [params, setParams] = useSearchParams();
  const days = choices.includes(Number(params.get('days'))) ? Number(params.get('days')) : 7;
  const list = useQuery({
    queryKey: ['sessions', 'below-minimum', days],
    queryFn: () => api.get<BelowMinimum>(`/api/sessions/below-minimum${qs({ withinDays: days })}`),
  });
  return (
    <Page
      title="Sessions below their minimum"
      lead="Sessions that do not have enough people yet, with registration closing soon or already closed."
    >
      <div className="maxw-mobile-lg">
        <SelectField
          id="days"
          label="Registration closes within"
          value={String(days)}
          onChange={(v) => setParams(v === '7' ? {} : { days: v })}
        >
          {choices.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </SelectField>
      </div>
      {list.isPending && <Loading what="sessions" />}
      {list.isError && <ErrorAlert error={list.error} />}
      {list.data && (
        <>
          <p className="result-count" role="status">
            {list.data.items.length === 0
              ? `No session is below its minimum with registration closing in the next ${days} days.`
              : `${list.data.items.length} ${list.data.items.length === 1 ? 'session needs' : 'sessions need'} more people.`}
          </p>
          {list.data.items.length > 0 && (
            <DataTable caption="Sessions below their minimum, soonest cut-off first">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">When</th>
                  <th scope="col">Registered</th>
                  <th scope="col">Short by</th>
                  <th scope="col">Registration closes</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map(({ session: s, cutoff, cutoffPassed, shortBy }) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <Link to={`/sessions/${s.id}/roster`}>
                        {s.course.code}: {s.course.title}
                      </Link>
                      <div className="usa-hint">{s.event.title}</div>
                    </th>
                    <td>{whenText(s)}</td>
                    <td>
                      {s.confirmedCount} of minimum {s.minimum}
                    </td>
                    <td>
                      <strong>{shortBy}</strong>
                    </td>
                    <td>
                      {cutoffPassed ? (
                        <span className="usa-tag bg-secondary-dark">Closed</span>
                      ) : (
                        <span className="usa-tag bg-gold text-ink">Open</span>
                      )}{' '}
                      {instantText(cutoff, s.timeZone)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
        </>
      )}
    </Page>
  );
}
