import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { ErrorSummary, TextField, formErrors, type FieldErrors } from '../../components/Form';
import { ErrorAlert } from '../../components/PageError';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { ExportLinks } from '../../components/ExportLinks';
import { api, qs, type Paged } from '../../api';
import { formatDate, formatDateTime, formatNumber, plural, zoneName } from '../../format';
import { todayIn } from '../../../domain/time';
import type { ProgramDetail } from '../../../contract/programs';
import { impactKinds, type Impact, type ImpactChange, type ImpactKind } from '../../../contract/impact';
import { statusLabels } from '../awards/AwardsPages';

const kindLabels: Record<ImpactKind, string> = {
  'became-eligible': 'Not eligible → eligible',
  'no-longer-eligible': 'Eligible → not eligible',
  lapsed: 'Certified → lapsed',
  'due-earlier': 'Next due date earlier',
  'due-later': 'Next due date later',
  other: 'Other status change',
};

const PAGE_SIZE = 25;
const fields = { asOf: { id: 'impact-as-of', label: 'As of' } };

/** The draft's impact: what publishing would change, and whether it may be published yet. */
export function useDraftImpact(programId: string) {
  return useQuery({
    queryKey: ['draft-impact', programId],
    queryFn: () => api.get<{ impact: Impact | null }>(`/api/programs/${programId}/draft/impact`),
    refetchInterval: (q) => (q.state.data?.impact?.state === 'running' ? 1000 : false),
  });
}

/** Why the draft cannot be published yet, or null when its impact is checked and current. */
export function publishBlock(program: ProgramDetail, impact: Impact | null | undefined): string | null {
  if (!program.current) return null;
  if (!impact) return 'Check the impact of this draft before publishing it.';
  if (impact.state === 'running') return 'Publish once the impact check has finished.';
  if (impact.state === 'failed') return 'The impact check failed. Check the impact again.';
  if (impact.state === 'stale')
    return 'The draft was changed after its impact was checked. Check the impact again before publishing.';
  return null;
}

function Changes({ program, impact }: { program: ProgramDetail; impact: Impact }) {
  const page = usePageParam('impactPage');
  const list = useQuery({
    queryKey: ['draft-impact-changes', program.id, impact.id, page],
    queryFn: () =>
      api.get<Paged<ImpactChange>>(
        `/api/programs/${program.id}/draft/impact/changes${qs({ page, pageSize: PAGE_SIZE })}`,
      ),
    placeholderData: keepPreviousData,
  });
  if (list.isError) return <ErrorAlert error={list.error} />;
  if (!list.data) return null;
  const when = (s: { status: string; nextDue: string | null }) =>
    `${statusLabels[s.status] ?? s.status}${s.nextDue ? `, due ${formatDate(s.nextDue)}` : ''}`;
  return (
    <>
      <ExportLinks
        href={`/api/programs/${program.id}/draft/impact/changes/export`}
        what="the officials the draft would change"
      />
      <ResultCount
        page={list.data.page.page}
        pageSize={list.data.page.pageSize}
        total={list.data.page.total}
        noun="officials"
      />
      <DataTable caption={`Officials draft ${impact.draftVersion} would change, by last name`}>
        <thead>
          <tr>
            <th scope="col">Official</th>
            <th scope="col">County</th>
            <th scope="col">Change</th>
            <th scope="col">Now</th>
            <th scope="col">After publishing</th>
          </tr>
        </thead>
        <tbody>
          {list.data.items.map((c) => (
            <tr key={c.personId}>
              <th scope="row">{c.name}</th>
              <td>{c.county ?? ''}</td>
              <td>{kindLabels[c.kind]}</td>
              <td>{when(c.before)}</td>
              <td>{when(c.after)}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <Pager
        page={list.data.page.page}
        pageSize={list.data.page.pageSize}
        total={list.data.page.total}
        label="officials the draft would change"
        param="impactPage"
      />
    </>
  );
}

/**
 * "Check the impact": every enrolled official evaluated as of a day under the rules in force and
 * under the draft, in the background; progress, the counts by kind of change and the list.
 */
export function DraftImpact({ program }: { program: ProgramDetail }) {
  const queryClient = useQueryClient();
  const [asOf, setAsOf] = useState(() => todayIn(program.timeZone, new Date()));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const current = useDraftImpact(program.id);
  const check = useMutation({
    mutationFn: () => api.post<Impact>(`/api/programs/${program.id}/draft/impact`, { asOf }),
    onSuccess: (impact) => queryClient.setQueryData(['draft-impact', program.id], { impact }),
    onError: () => setAttempt((n) => n + 1),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: FieldErrors = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) errors.asOf = 'Enter the date to check as of.';
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    check.mutate();
  };
  const fieldErrors = { ...formErrors(check.error), ...localErrors };
  const impact = current.data?.impact ?? null;
  const hasLocal = Object.keys(localErrors).length > 0;
  return (
    <section aria-labelledby="impact-heading" className="margin-y-3">
      <h3 id="impact-heading">Check the impact</h3>
      <p>
        Every official enrolled now is evaluated as of the day you choose, under the rules in force and under
        this draft, to list everyone whose status or next due date would change.
      </p>
      <ErrorSummary
        error={hasLocal ? null : check.error}
        fieldErrors={fieldErrors}
        fields={fields}
        attempt={attempt}
      />
      <Form onSubmit={submit} noValidate className="maxw-full">
        <div className="inline-form">
          <TextField
            id="impact-as-of"
            type="date"
            label="As of"
            hint={`A day in ${zoneName(program.timeZone)}.`}
            value={asOf}
            onChange={setAsOf}
            error={fieldErrors.asOf}
          />
          <Button type="submit" outline disabled={check.isPending || impact?.state === 'running'}>
            {check.isPending ? 'Starting…' : 'Check the impact'}
          </Button>
        </div>
      </Form>
      {current.isError && <ErrorAlert error={current.error} />}
      {impact && <ImpactResult program={program} impact={impact} />}
    </section>
  );
}

function ImpactResult({ program, impact }: { program: ProgramDetail; impact: Impact }) {
  const checked = `Draft ${impact.draftVersion} (saved ${formatDateTime(impact.draftUpdatedAt, program.timeZone)}) as of ${formatDate(impact.asOf)}, checked ${formatDateTime(impact.startedAt, program.timeZone)}`;
  if (impact.state === 'running')
    return (
      <div role="status" className="margin-top-2">
        <p>
          {checked}: {formatNumber(impact.done)} of {formatNumber(impact.total)} officials evaluated so far.
        </p>
        <progress max={Math.max(impact.total, 1)} value={impact.done} aria-label="Impact check progress" />
      </div>
    );
  return (
    <div className="margin-top-2">
      {impact.state === 'stale' && (
        <Alert type="warning" headingLevel="h4" heading="This impact is out of date" className="margin-y-2">
          <p className="margin-top-05">The draft was changed after this check. Check the impact again.</p>
        </Alert>
      )}
      {impact.state === 'failed' && (
        <Alert type="error" headingLevel="h4" heading="The impact check failed" className="margin-y-2">
          <p className="margin-top-05">{impact.failed}</p>
        </Alert>
      )}
      <p role="status">
        {checked}: {formatNumber(impact.changed)} of {plural(impact.done, 'official')} would change
        {impact.underDraft < impact.done
          ? ` (the draft would apply to ${formatNumber(impact.underDraft)}; the others keep the version they are judged by)`
          : ''}
        .
      </p>
      <DataTable caption="Officials who would change, by kind of change">
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col">Officials</th>
          </tr>
        </thead>
        <tbody>
          {impactKinds.map((k) => (
            <tr key={k}>
              <th scope="row">{kindLabels[k]}</th>
              <td>{formatNumber(impact.counts[k])}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {impact.changed > 0 && <Changes program={program} impact={impact} />}
    </div>
  );
}
