import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import type { ProgramSummary } from '../../../contract/programs';
import { api, ApiError, qs, type Paged, type Person } from '../../api';
import { SelectField } from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { CreditAdminNav } from '../credits/CreditAdminNav';

interface Reviewers {
  items: { personId: string; name: string; email: string }[];
}

/** One program's reviewers: who is assigned, a button to unassign each, and a picker to assign another. */
function ProgramReviewers({ program, candidates }: { program: ProgramSummary; candidates: Person[] }) {
  const client = useQueryClient();
  const key = ['program-reviewers', program.id];
  const [choice, setChoice] = useState('');
  const [said, setSaid] = useState('');
  const [pickError, setPickError] = useState<string | undefined>();
  const reviewers = useQuery({
    queryKey: key,
    queryFn: () => api.get<Reviewers>(`/api/programs/${program.id}/reviewers`),
  });
  const save = useMutation({
    mutationFn: (v: { personIds: string[]; message: string }) =>
      api.put<Reviewers>(`/api/programs/${program.id}/reviewers`, { personIds: v.personIds }),
    onSuccess: (data, v) => {
      client.setQueryData(key, data);
      void client.invalidateQueries({ queryKey: ['review-queue'] });
      setSaid(v.message);
      setChoice('');
    },
  });
  const assigned = reviewers.data?.items ?? [];
  const ids = assigned.map((r) => r.personId);
  const free = candidates.filter((c) => !ids.includes(c.id));
  const headingId = `reviewers-${program.id}`;
  const assign = (e: FormEvent) => {
    e.preventDefault();
    const person = candidates.find((c) => c.id === choice);
    if (!person) {
      setPickError('Choose a reviewer to assign.');
      return;
    }
    setPickError(undefined);
    save.mutate({
      personIds: [...ids, person.id],
      message: `${person.displayName} now reviews claims in ${program.name}.`,
    });
  };
  return (
    <section aria-labelledby={headingId} className="margin-bottom-5">
      <h2 id={headingId}>{program.name}</h2>
      {reviewers.isPending && <Loading what="reviewers" />}
      {reviewers.error && <ErrorAlert error={reviewers.error} />}
      {save.error && <ErrorAlert error={save.error} />}
      <p role="status" className="usa-hint">
        {said}
      </p>
      {reviewers.data && assigned.length === 0 && (
        <p>Nobody reviews this program yet: its claims wait for an administrator.</p>
      )}
      {assigned.length > 0 && (
        <ul className="usa-list usa-list--unstyled reviewer-list">
          {assigned.map((r) => (
            <li key={r.personId} className="margin-bottom-1">
              <Link to={`/people/${r.personId}`}>{r.name}</Link> <span className="usa-hint">{r.email}</span>{' '}
              <Button
                type="button"
                unstyled
                className="margin-left-1"
                disabled={save.isPending}
                onClick={() =>
                  save.mutate({
                    personIds: ids.filter((id) => id !== r.personId),
                    message: `${r.name} no longer reviews claims in ${program.name}.`,
                  })
                }
              >
                Unassign<span className="usa-sr-only"> {r.name}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form className="usa-form" onSubmit={assign} noValidate>
        <SelectField
          id={`assign-${program.id}`}
          label={`Assign a reviewer to ${program.name}`}
          value={choice}
          onChange={setChoice}
          error={pickError}
          hint={free.length === 0 ? 'Everyone with the reviewer role is already assigned.' : undefined}
        >
          <option value="">- Choose a reviewer -</option>
          {free.map((c) => (
            <option key={c.id} value={c.id}>
              {c.displayName} ({c.email})
            </option>
          ))}
        </SelectField>
        <Button type="submit" disabled={save.isPending || free.length === 0}>
          Assign<span className="usa-sr-only"> to {program.name}</span>
        </Button>
      </form>
    </section>
  );
}

/** Administrators: who reviews outside-credit claims in each program (the reviewers' queues follow this). */
export function ReviewersPage() {
  const programs = useQuery({
    queryKey: ['programs'],
    queryFn: () => api.get<{ items: ProgramSummary[] }>('/api/programs'),
  });
  const people = useQuery({
    queryKey: ['people', 'reviewers'],
    queryFn: () => api.get<Paged<Person>>(`/api/people${qs({ role: 'reviewer', pageSize: 200 })}`),
  });
  const error = programs.error ?? people.error;
  return (
    <Page
      title="Claim reviewers"
      lead="A reviewer sees and decides only the claims of the programs they are assigned to. Give someone the reviewer role on their person page first."
    >
      <CreditAdminNav />
      {error && <ErrorAlert error={error} />}
      {(programs.isPending || people.isPending) && !error && <Loading what="programs and reviewers" />}
      {programs.data && people.data && (
        <>
          {people.data.items.length === 0 && <p>Nobody has the reviewer role yet.</p>}
          {programs.data.items.map((p) => (
            <ProgramReviewers key={p.id} program={p} candidates={people.data.items} />
          ))}
        </>
      )}
      {error instanceof ApiError && error.status === 403 && <p>Only administrators assign reviewers.</p>}
    </Page>
  );
}
