import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, ErrorMessage, Fieldset, Radio } from '@trussworks/react-uswds';
import type { ClaimDto } from '../../../contract/claims';
import type { ProgramDetail, ProgramSummary } from '../../../contract/programs';
import { claimTypeLabels, claimTypes, documentKindLabels } from '../../../domain/claims';
import { api, ApiError, qs, useSession, type Paged } from '../../api';
import { allowed } from '../../auth';
import { ErrorSummary, SelectField, TextField, formErrors, TextareaField } from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { ExportLinks } from '../../components/ExportLinks';
import { amountIn, formatDate, plural } from '../../format';
import { ClaimFacts, DocumentList, Messages, StatusTag } from './ClaimsPages';

/** Submitted claims, oldest first, for the programs this reviewer reviews. */
export function ReviewQueuePage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const programId = params.get('programId') ?? '';
  const type = params.get('type') ?? '';
  const minDays = params.get('minDays') ?? '';
  const programs = useQuery({
    queryKey: ['programs'],
    queryFn: () => api.get<{ items: ProgramSummary[] }>('/api/programs'),
  });
  const queue = useQuery({
    queryKey: ['review-queue', programId, type, minDays],
    queryFn: () =>
      api.get<Paged<ClaimDto>>(`/api/review/claims${qs({ programId, type, minDays, pageSize: 100 })}`),
  });
  const set = (key: string) => (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  return (
    <Page title="Claims to review" lead="Oldest first. Open each claim to see its documents and decide.">
      {allowed(session.data?.user, 'reviewers.manage') && (
        <p>
          <Link to="/reviewers">Choose who reviews each program</Link>
        </p>
      )}
      {/* The filters apply as they change: nothing to submit, so a search landmark, not a form. */}
      <search className="usa-form review-filters" aria-label="Filter claims">
        <SelectField id="filter-program" label="Program" value={programId} onChange={set('programId')}>
          <option value="">All my programs</option>
          {(programs.data?.items ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-type" label="Type" value={type} onChange={set('type')}>
          <option value="">All types</option>
          {claimTypes.map((t) => (
            <option key={t} value={t}>
              {claimTypeLabels[t]}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-age" label="Waiting at least" value={minDays} onChange={set('minDays')}>
          <option value="">Any time</option>
          <option value="7">7 days</option>
          <option value="14">14 days</option>
          <option value="30">30 days</option>
        </SelectField>
      </search>
      {queue.isPending && <Loading what="claims" />}
      {queue.error && <ErrorAlert error={queue.error} />}
      {queue.data && queue.data.items.length === 0 && <p>No claims are waiting for review.</p>}
      {queue.data && queue.data.items.length > 0 && (
        <ExportLinks
          href="/api/review/claims/export"
          params={{ programId, type, minDays }}
          what="the review queue"
        />
      )}
      {queue.data && queue.data.items.length > 0 && (
        <DataTable caption={`${plural(queue.data.page.total, 'claim')} waiting`}>
          <thead>
            <tr>
              <th scope="col">Activity</th>
              <th scope="col">Official</th>
              <th scope="col">Program</th>
              <th scope="col">Type</th>
              <th scope="col">Hours</th>
              <th scope="col">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {queue.data.items.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/review/${c.id}`}>{c.title}</Link>
                </th>
                <td>{c.person.name}</td>
                <td>{c.program.name}</td>
                <td>{c.typeLabel}</td>
                <td>{c.hours}</td>
                <td>{c.waitingDays === 0 ? 'Less than a day' : plural(c.waitingDays ?? 0, 'day')}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </Page>
  );
}

/** Each PDF and image shown on the page, so a reviewer reads the evidence without downloading it. */
export function InlineEvidence({ claim }: { claim: ClaimDto }) {
  return (
    <>
      {claim.documents.map((d) => {
        const src = `/api/claim-documents/${d.id}/view`;
        const label = `${documentKindLabels[d.kind]}: ${d.filename}`;
        return (
          <figure key={d.id} className="evidence margin-x-0 margin-y-3">
            <figcaption className="text-bold margin-bottom-1">{label}</figcaption>
            {d.contentType === 'application/pdf' ? (
              <iframe src={src} title={label} className="evidence__pdf" />
            ) : (
              <img src={src} alt={label} className="evidence__image" />
            )}
          </figure>
        );
      })}
    </>
  );
}

type Decision = 'approve' | 'reject' | 'request_information';

function DecisionForm({ claim }: { claim: ClaimDto }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [decision, setDecision] = useState<Decision | ''>('');
  const [amount, setAmount] = useState(String(claim.hours));
  const [category, setCategory] = useState(claim.category);
  const [reason, setReason] = useState('');
  const [attempt, setAttempt] = useState(0);
  const program = useQuery({
    queryKey: ['program', claim.program.id],
    queryFn: () => api.get<ProgramDetail>(`/api/programs/${claim.program.id}`),
  });
  const categories =
    (program.data?.definition as { categories?: { id: string; name: string }[] } | null)?.categories ?? [];
  const decide = useMutation({
    mutationFn: () => {
      if (!decision)
        throw new ApiError(
          400,
          {
            type: 'about:blank',
            title: 'Choose',
            status: 400,
            detail: 'Choose a decision.',
            errors: [{ field: 'decision', message: 'Choose a decision.' }],
          },
          'Choose a decision.',
        );
      return api.post<ClaimDto>(`/api/claims/${claim.id}/decision`, {
        decision,
        ...(decision === 'approve'
          ? {
              ...(Number(amount) !== claim.hours ? { amount: Number(amount) } : {}),
              ...(category !== claim.category ? { category } : {}),
            }
          : {}),
        ...(reason ? { reason } : {}),
      });
    },
    onSuccess: (c) => {
      client.setQueryData(['claim', claim.id], c);
      void client.invalidateQueries({ queryKey: ['review-queue'] });
      navigate('/review', { state: { flash: { type: 'success', text: `Decision saved: ${claim.title}.` } } });
    },
    onError: () => setAttempt((a) => a + 1),
  });
  const errors = formErrors(decide.error);
  const fewer = decision === 'approve' && amount.trim() !== '' && Number(amount) < claim.hours;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    decide.mutate();
  };
  const fields = {
    decision: { id: 'decision-approve', label: 'Decision' },
    amount: { id: 'decision-amount', label: 'Credits to approve' },
    category: { id: 'decision-category', label: 'Category' },
    reason: { id: 'decision-reason', label: 'Reason or question' },
  };
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} noValidate>
      <ErrorSummary error={decide.error} fieldErrors={errors} fields={fields} attempt={attempt} />
      <Fieldset legend="Decision" legendStyle="large">
        {errors.decision && <ErrorMessage id="decision-error">{errors.decision}</ErrorMessage>}
        <Radio
          id="decision-approve"
          name="decision"
          label="Approve"
          checked={decision === 'approve'}
          onChange={() => setDecision('approve')}
        />
        <Radio
          id="decision-request"
          name="decision"
          label="Ask for more information"
          checked={decision === 'request_information'}
          onChange={() => setDecision('request_information')}
        />
        <Radio
          id="decision-reject"
          name="decision"
          label="Reject"
          checked={decision === 'reject'}
          onChange={() => setDecision('reject')}
        />
      </Fieldset>
      {decision === 'approve' && (
        <>
          <TextField
            id="decision-amount"
            label="Credits to approve"
            hint={`Claimed: ${claim.hours}. You may approve fewer, with the reason below.`}
            inputMode="numeric"
            value={amount}
            onChange={setAmount}
            error={errors.amount}
          />
          <SelectField
            id="decision-category"
            label="Category"
            value={category}
            onChange={setCategory}
            error={errors.category}
          >
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        </>
      )}
      <TextareaField
        id="decision-reason"
        name="reason"
        label={
          decision === 'approve'
            ? fewer
              ? `Why you approve fewer than the ${amountIn(claim.hours, claim.program.unit)} claimed`
              : 'Note to the official (optional)'
            : decision === 'reject'
              ? 'Reason'
              : 'Question for the official'
        }
        required={decision !== 'approve' || fewer}
        error={errors.reason}
        value={reason}
        onChange={setReason}
      />
      <Button type="submit" disabled={decide.isPending}>
        Save decision
      </Button>
    </form>
  );
}

export function ReviewClaimPage() {
  const { id = '' } = useParams();
  const claim = useQuery({ queryKey: ['claim', id], queryFn: () => api.get<ClaimDto>(`/api/claims/${id}`) });
  if (claim.error) return <PageError error={claim.error} title="Review a claim" what="this claim" />;
  if (!claim.data) return <Loading what="the claim" />;
  const c = claim.data;
  return (
    <Page title={`Review: ${c.title}`}>
      <p>
        <StatusTag status={c.status} /> <span className="margin-left-1">{c.person.name}</span>
        {c.waitingDays !== null && (
          <span className="usa-hint margin-left-1">waiting {plural(c.waitingDays, 'day')}</span>
        )}
      </p>
      <ClaimFacts claim={c} />
      <h2>Evidence</h2>
      <p className="usa-hint">
        Required: {c.requiredEvidence.join('; ')}. Submitted {c.submittedAt ? formatDate(c.submittedAt) : ''}.
      </p>
      <DocumentList claim={c} />
      <InlineEvidence claim={c} />
      {c.abilities.decide && (
        <>
          <h2>Decide</h2>
          <DecisionForm claim={c} />
        </>
      )}
      <Messages claim={c} />
      <p>
        <Link to="/review">Back to the claims to review</Link>
      </p>
    </Page>
  );
}
