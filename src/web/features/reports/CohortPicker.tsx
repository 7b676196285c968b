import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Enrollment, ProgramDetail } from '../../../contract/programs';
import { api } from '../../api';
import { ErrorAlert } from '../../components/PageError';

/** The cohorts a program defines (e.g. the Kansas pilot counties), from its definition in force. */
export function programCohorts(program: ProgramDetail): { id: string; name: string }[] {
  const list = (program.definition as { cohorts?: { id: string; name: string }[] } | null)?.cohorts;
  return Array.isArray(list) ? list : [];
}

/**
 * The cohorts of one enrollment: names for everyone; checkboxes for staff who
 * may change enrollments (each change saves at once and is audited).
 */
export function CohortPicker({
  program,
  enrollment,
  editable,
}: {
  program: ProgramDetail;
  enrollment: Enrollment;
  editable: boolean;
}) {
  const queryClient = useQueryClient();
  const cohorts = programCohorts(program);
  const save = useMutation({
    mutationFn: (next: string[]) =>
      api.patch<Enrollment>(`/api/enrollments/${enrollment.id}`, { cohorts: next }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['enrollments', program.id] }),
  });
  const current = save.isPending && save.variables ? save.variables : enrollment.cohorts;
  if (!editable || enrollment.status === 'withdrawn')
    return (
      <>
        {cohorts
          .filter((c) => current.includes(c.id))
          .map((c) => c.name)
          .join(', ') || '—'}
      </>
    );
  return (
    <fieldset className="usa-fieldset">
      <legend className="usa-sr-only">Cohorts of {enrollment.person.displayName}</legend>
      {cohorts.map((c) => {
        const id = `cohort-${enrollment.id}-${c.id}`;
        return (
          <div className="usa-checkbox" key={c.id}>
            <input
              className="usa-checkbox__input"
              id={id}
              type="checkbox"
              checked={current.includes(c.id)}
              disabled={save.isPending}
              onChange={(e) =>
                save.mutate(e.target.checked ? [...current, c.id] : current.filter((x) => x !== c.id))
              }
            />
            <label className="usa-checkbox__label margin-top-0" htmlFor={id}>
              {c.name}
            </label>
          </div>
        );
      })}
      {save.error && <ErrorAlert error={save.error} />}
    </fieldset>
  );
}
