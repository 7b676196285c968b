import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, ErrorMessage, FileInput, FormGroup, Label, Tag } from '@trussworks/react-uswds';
import type { ClaimDto } from '../../../contract/claims';
import type { Enrollment, ProgramDetail } from '../../../contract/programs';
import {
  claimTypeLabels,
  claimTypes,
  documentKindLabels,
  documentKinds,
  type DocumentKind,
} from '../../../domain/claims';
import { api, ApiError, fetchSession } from '../../api';
import {
  ErrorSummary,
  RequiredNote,
  SelectField,
  TextField,
  type FieldErrors,
  formErrors,
  TextareaField,
} from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { amountIn, formatDate, formatNumber, browserZone, formatDateTime } from '../../format';
import { feeStateText, money } from './fees';

export const statusLabels: Record<ClaimDto['status'], string> = {
  draft: 'Draft',
  submitted: 'Waiting for review',
  needs_information: 'Needs information',
  approved: 'Approved',
  rejected: 'Not approved',
};

export function StatusTag({ status }: { status: ClaimDto['status'] }) {
  const color =
    status === 'approved'
      ? 'bg-green'
      : status === 'rejected'
        ? 'bg-secondary-dark'
        : status === 'needs_information'
          ? 'bg-gold text-ink'
          : 'bg-base-dark';
  return <Tag className={color}>{statusLabels[status]}</Tag>;
}

/** An official's own claims, newest first. */
export function MyClaimsPage() {
  const claims = useQuery({
    queryKey: ['my-claims'],
    queryFn: () => api.get<{ items: ClaimDto[] }>('/api/me/claims'),
  });
  return (
    <Page title="My outside credit" lead="Claim credit for training outside the program's own sessions.">
      <p>
        <Link className="usa-button" to="/claims/new">
          Claim outside credit
        </Link>
      </p>
      {claims.isPending && <Loading what="your claims" />}
      {claims.error && <ErrorAlert error={claims.error} />}
      {claims.data && claims.data.items.length === 0 && <p>You have not claimed any outside credit yet.</p>}
      {claims.data && claims.data.items.length > 0 && (
        <DataTable caption="Your claims">
          <thead>
            <tr>
              <th scope="col">Activity</th>
              <th scope="col">Program</th>
              <th scope="col">Dates</th>
              <th scope="col">Hours</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {claims.data.items.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/claims/${c.id}`}>{c.title}</Link>
                  <div className="usa-hint">{c.provider}</div>
                </th>
                <td>{c.program.name}</td>
                <td>
                  {formatDate(c.startDate)}
                  {c.endDate !== c.startDate && ` to ${formatDate(c.endDate)}`}
                </td>
                <td>{c.approvedAmount ?? c.hours}</td>
                <td>
                  <StatusTag status={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </Page>
  );
}

interface Draft {
  programId: string;
  type: string;
  title: string;
  provider: string;
  startDate: string;
  endDate: string;
  hours: string;
  category: string;
  notes: string;
}

const fieldLabels: Record<keyof Draft, string> = {
  programId: 'Program',
  type: 'Type of activity',
  title: 'Activity title',
  provider: 'Provider',
  startDate: 'Start date',
  endDate: 'End date',
  hours: 'Hours',
  category: 'Category',
  notes: 'Notes for the reviewer',
};
const fields = Object.fromEntries(
  Object.entries(fieldLabels).map(([k, label]) => [k, { id: `claim-${k}`, label }]),
) as Record<keyof Draft, { id: string; label: string }>;

function fromClaim(c: ClaimDto | undefined): Draft {
  return {
    programId: c?.program.id ?? '',
    type: c?.type ?? '',
    title: c?.title ?? '',
    provider: c?.provider ?? '',
    startDate: c?.startDate ?? '',
    endDate: c && c.endDate !== c.startDate ? c.endDate : '',
    hours: c ? String(c.hours) : '',
    category: c?.category ?? '',
    notes: c?.notes ?? '',
  };
}

function ClaimForm({ claim, onSaved }: { claim?: ClaimDto; onSaved: (c: ClaimDto) => void }) {
  const [draft, setDraft] = useState<Draft>(() => fromClaim(claim));
  const [attempt, setAttempt] = useState(0);
  const enrollments = useQuery({
    queryKey: ['my-enrollments'],
    queryFn: () => api.get<{ items: Enrollment[] }>('/api/me/enrollments'),
  });
  const program = useQuery({
    queryKey: ['program', draft.programId],
    queryFn: () => api.get<ProgramDetail>(`/api/programs/${draft.programId}`),
    enabled: !!draft.programId,
  });
  const categories =
    (program.data?.definition as { categories?: { id: string; name: string }[] } | null)?.categories ?? [];
  const save = useMutation({
    mutationFn: () => {
      const body = {
        type: draft.type,
        title: draft.title,
        provider: draft.provider,
        startDate: draft.startDate,
        // Empty: a one-day activity (the server takes the start date).
        endDate: draft.endDate || null,
        hours: draft.hours.trim() === '' ? null : Number(draft.hours),
        category: draft.category,
        notes: draft.notes || null,
      };
      return claim
        ? api.patch<ClaimDto>(`/api/claims/${claim.id}`, body)
        : api.post<ClaimDto>('/api/claims', { ...body, programId: draft.programId });
    },
    onSuccess: onSaved,
    onError: () => setAttempt((a) => a + 1),
  });
  const errors: FieldErrors = formErrors(save.error);
  const set = (k: keyof Draft) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const programs = (enrollments.data?.items ?? []).filter((e) => e.status !== 'withdrawn');
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} noValidate>
      <ErrorSummary error={save.error} fieldErrors={errors} fields={fields} attempt={attempt} />
      <RequiredNote />
      {!claim && (
        <SelectField
          id={fields.programId.id}
          label="Program"
          required
          value={draft.programId}
          onChange={set('programId')}
          error={errors.programId}
        >
          <option value="">- Select -</option>
          {programs.map((e) => (
            <option key={e.program.id} value={e.program.id}>
              {e.program.name}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField
        id={fields.type.id}
        label="Type of activity"
        required
        value={draft.type}
        onChange={set('type')}
        error={errors.type}
      >
        <option value="">- Select -</option>
        {claimTypes.map((t) => (
          <option key={t} value={t}>
            {claimTypeLabels[t]}
          </option>
        ))}
      </SelectField>
      <TextField
        id={fields.title.id}
        label="Activity title"
        required
        value={draft.title}
        onChange={set('title')}
        error={errors.title}
        maxLength={200}
      />
      <TextField
        id={fields.provider.id}
        label="Provider"
        hint="Who offered it, for example the state association."
        required
        value={draft.provider}
        onChange={set('provider')}
        error={errors.provider}
        maxLength={200}
      />
      <TextField
        type="date"
        id={fields.startDate.id}
        label="Start date"
        value={draft.startDate}
        onChange={set('startDate')}
        error={errors.startDate}
        required
      />
      <TextField
        type="date"
        id={fields.endDate.id}
        label="End date"
        hint="Leave empty for a one-day activity."
        value={draft.endDate}
        onChange={set('endDate')}
        error={errors.endDate}
      />
      <TextField
        id={fields.hours.id}
        label="Hours"
        hint="Contact hours of instruction, for example 1.5."
        required
        inputMode="numeric"
        value={draft.hours}
        onChange={set('hours')}
        error={errors.hours}
      />
      <SelectField
        id={fields.category.id}
        label="Category"
        required
        value={draft.category}
        onChange={set('category')}
        error={errors.category}
      >
        <option value="">- Select -</option>
        {categories.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextareaField
        id={fields.notes.id}
        name="notes"
        label="Notes for the reviewer"
        error={errors.notes}
        value={draft.notes}
        onChange={set('notes')}
      />
      <Button type="submit" disabled={save.isPending}>
        {claim ? 'Save changes' : 'Save draft'}
      </Button>
    </form>
  );
}

export function NewClaimPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  return (
    <Page
      title="Claim outside credit"
      lead="Save a draft first; then add your documents and submit it for review."
    >
      <ClaimForm
        onSaved={(c) => {
          void client.invalidateQueries({ queryKey: ['my-claims'] });
          navigate(`/claims/${c.id}`, {
            state: { flash: { type: 'success', text: 'Draft saved. Add your documents next.' } },
          });
        }}
      />
    </Page>
  );
}

/** Upload with the session's CSRF token (multipart, so not through api.post). */
async function uploadDocument(claimId: string, kind: string, file: File) {
  const session = await fetchSession();
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', file);
  const res = await fetch(`/api/claims/${claimId}/documents`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'x-csrf-token': session.csrfToken ?? '',
      accept: 'application/json, application/problem+json',
    },
    body: form,
  });
  const payload = (await res.json().catch(() => null)) as { detail?: string } | null;
  if (!res.ok)
    throw new ApiError(res.status, payload as never, payload?.detail ?? `The server answered ${res.status}.`);
  return payload;
}

export function DocumentList({ claim, canRemove }: { claim: ClaimDto; canRemove?: boolean }) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/claim-documents/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['claim', claim.id] }),
  });
  if (claim.documents.length === 0) return <p>No documents yet.</p>;
  return (
    <ul className="usa-list">
      {claim.documents.map((d) => (
        <li key={d.id}>
          <a href={`/api/claim-documents/${d.id}`}>Open {d.filename}</a> ({documentKindLabels[d.kind]},{' '}
          {Math.max(1, Math.round(d.sizeBytes / 1024))} KB)
          {canRemove && (
            <Button type="button" unstyled className="margin-left-1" onClick={() => remove.mutate(d.id)}>
              Remove<span className="usa-sr-only"> {d.filename}</span>
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}

function UploadForm({ claim }: { claim: ClaimDto }) {
  const client = useQueryClient();
  const [kind, setKind] = useState<DocumentKind | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState(0);
  const upload = useMutation({
    mutationFn: () => {
      if (!file) throw new ApiError(400, null, 'Choose a file to upload.');
      return uploadDocument(claim.id, kind, file);
    },
    onSuccess: () => {
      setFile(null);
      setKind('');
      setKey((k) => k + 1);
      void client.invalidateQueries({ queryKey: ['claim', claim.id] });
    },
  });
  const errors = formErrors(upload.error);
  const fileError = errors.file ?? (upload.error && !errors.kind ? upload.error.message : undefined);
  return (
    <form
      className="usa-form"
      onSubmit={(e) => {
        e.preventDefault();
        upload.mutate();
      }}
      noValidate
    >
      <SelectField
        id="document-kind"
        label="What is the document?"
        required
        value={kind}
        onChange={(v) => setKind(v as DocumentKind)}
        error={errors.kind}
      >
        <option value="">- Select -</option>
        {documentKinds.map((k) => (
          <option key={k} value={k}>
            {documentKindLabels[k]}
          </option>
        ))}
      </SelectField>
      <FormGroup error={!!fileError}>
        <Label htmlFor="document-file" error={!!fileError} requiredMarker>
          Document
        </Label>
        <div className="usa-hint" id="document-file-hint">
          A PDF, PNG or JPEG file of at most 10 MB.
        </div>
        {fileError && <ErrorMessage id="document-file-error">{fileError}</ErrorMessage>}
        <FileInput
          key={key}
          id="document-file"
          name="file"
          accept="application/pdf,image/png,image/jpeg"
          aria-describedby={`document-file-hint${fileError ? ' document-file-error' : ''}`}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </FormGroup>
      <Button type="submit" secondary disabled={upload.isPending}>
        {upload.isPending ? 'Uploading…' : 'Upload document'}
      </Button>
    </form>
  );
}

export function ClaimFacts({ claim }: { claim: ClaimDto }) {
  return (
    <dl className="facts">
      <dt>Program</dt>
      <dd>{claim.program.name}</dd>
      <dt>Type</dt>
      <dd>{claim.typeLabel}</dd>
      <dt>Provider</dt>
      <dd>{claim.provider}</dd>
      <dt>Dates</dt>
      <dd>
        {formatDate(claim.startDate)}
        {claim.endDate !== claim.startDate && ` to ${formatDate(claim.endDate)}`}
      </dd>
      <dt>Hours claimed</dt>
      <dd>
        {claim.hours} in {claim.categoryName}
      </dd>
      {claim.approvedAmount !== null && (
        <>
          <dt>Approved</dt>
          <dd>
            {claim.approvedAmount} in {claim.approvedCategoryName}
          </dd>
        </>
      )}
      {claim.fee.status !== 'not_required' && (
        <>
          <dt>Credit application fee</dt>
          <dd>
            {money(claim.fee.cents)}: {feeStateText(claim.fee)}
          </dd>
        </>
      )}
      {claim.notes && (
        <>
          <dt>Notes</dt>
          <dd>{claim.notes}</dd>
        </>
      )}
    </dl>
  );
}

export function Messages({ claim }: { claim: ClaimDto }) {
  if (claim.messages.length === 0) return null;
  const words: Record<string, string> = {
    submitted: 'Submitted for review',
    needs_information: 'Needs information',
    request_information: 'Reviewer asked',
    response: 'Answer',
    approved: 'Approved',
    rejected: 'Not approved',
  };
  return (
    <>
      <h2>History</h2>
      <ol className="usa-list">
        {claim.messages.map((m, i) => (
          <li key={i}>
            <strong>{words[m.kind] ?? m.kind}</strong> · {formatDateTime(m.at, browserZone)} · {m.author}
            {m.body && <div>{m.body}</div>}
          </li>
        ))}
      </ol>
    </>
  );
}

/** What submitting will charge, what the fee is for and how it is paid (before submitting). */
function FeeBeforeSubmit({ claim }: { claim: ClaimDto }) {
  const q = claim.feeQuote;
  if (!q) return null;
  return (
    <section className="usa-summary-box margin-bottom-2" aria-labelledby="fee-quote-heading">
      <div className="usa-summary-box__body">
        <h3 className="usa-summary-box__heading" id="fee-quote-heading">
          Credit application fee: {money(q.cents)}
        </h3>
        <div className="usa-summary-box__text">
          <p>
            Submitting this claim charges {money(q.cents)}: {money(q.perCreditCents)} per{' '}
            {claim.program.unit.singular}, for the {amountIn(claim.hours, claim.program.unit)} claimed.
          </p>
          <p>What it is for: {q.forWhat}</p>
          <p>How to pay: {q.howToPay}</p>
        </div>
      </div>
    </section>
  );
}

/** Changes whenever the claim or its documents change. */
const claimVersion = (c: ClaimDto) => `${c.updatedAt} ${c.documents.map((d) => d.id).join(',')}`;

/** "Delete this draft", asking once more before it deletes. */
function DeleteDraft({ claim }: { claim: ClaimDto }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/claims/${claim.id}`),
    onSuccess: () => {
      client.removeQueries({ queryKey: ['claim', claim.id] });
      void client.invalidateQueries({ queryKey: ['my-claims'] });
      navigate('/claims', {
        state: { flash: { type: 'success', text: `Draft deleted: ${claim.title}.` } },
      });
    },
  });
  return (
    <>
      <h2>Delete this draft</h2>
      {remove.error && <ErrorAlert error={remove.error} />}
      {!asking ? (
        <Button type="button" secondary onClick={() => setAsking(true)}>
          Delete this draft
        </Button>
      ) : (
        <div role="group" aria-labelledby="delete-draft-question">
          <p id="delete-draft-question">
            Delete “{claim.title}” and its {claim.documents.length === 1 ? 'document' : 'documents'}? This
            cannot be undone.
          </p>
          <Button type="button" secondary onClick={() => remove.mutate()} disabled={remove.isPending}>
            Yes, delete the draft
          </Button>
          <Button type="button" unstyled className="margin-left-2" onClick={() => setAsking(false)}>
            Keep it
          </Button>
        </div>
      )}
    </>
  );
}

export function ClaimPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const [response, setResponse] = useState('');
  // A refusal (documents missing) stays on screen until the claim changes, e.g. a document is added.
  const [refusedAt, setRefusedAt] = useState<string | null>(null);
  const claim = useQuery({ queryKey: ['claim', id], queryFn: () => api.get<ClaimDto>(`/api/claims/${id}`) });
  const submit = useMutation({
    onError: () => setRefusedAt(claim.data ? claimVersion(claim.data) : null),
    mutationFn: () => api.post<ClaimDto>(`/api/claims/${id}/submit`, response ? { response } : {}),
    onSuccess: (c) => {
      client.setQueryData(['claim', id], c);
      void client.invalidateQueries({ queryKey: ['my-claims'] });
      setResponse('');
    },
  });
  if (claim.error) return <PageError error={claim.error} title="Claim" what="this claim" />;
  if (!claim.data) return <Loading what="the claim" />;
  const c = claim.data;
  // The claim's abilities (policies.ts, claimAbilities): its owner changes it while it is open.
  const editable = c.abilities.edit;
  return (
    <Page title={c.title} documentTitle={`Claim: ${c.title}`}>
      <p>
        <StatusTag status={c.status} />
        {c.submittedAt && (
          <span className="usa-hint margin-left-1">
            Submitted {formatDateTime(c.submittedAt, browserZone)}
          </span>
        )}
      </p>
      {c.status === 'needs_information' && c.decisionReason && (
        <div className="usa-alert usa-alert--warning usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">The reviewer asks: {c.decisionReason}</p>
          </div>
        </div>
      )}
      {editable && (
        // Computed from the documents, so it changes as soon as one is uploaded or removed.
        <div
          className={`usa-alert usa-alert--slim ${c.missingEvidence.length ? 'usa-alert--warning' : 'usa-alert--success'}`}
          role="status"
          data-testid="missing-evidence"
        >
          <div className="usa-alert__body">
            <p className="usa-alert__text">
              {c.missingEvidence.length > 0
                ? `Still missing before you can submit: ${c.missingEvidence.join('; ')}.`
                : 'Every document this program asks for is here; you can submit the claim.'}
            </p>
          </div>
        </div>
      )}
      {c.status === 'rejected' && c.decisionReason && <p>Reason: {c.decisionReason}</p>}
      {c.status === 'approved' && c.approvedAmount !== null && c.approvedAmount < c.hours && (
        <p>
          The reviewer approved {amountIn(c.approvedAmount, c.program.unit)} of the {formatNumber(c.hours)}{' '}
          claimed
          {c.decisionReason ? `. Reason: ${c.decisionReason}` : '.'}
        </p>
      )}
      <ClaimFacts claim={c} />
      <h2>Documents</h2>
      <p className="usa-hint">This program asks for: {c.requiredEvidence.join('; ')}.</p>
      <DocumentList claim={c} canRemove={editable} />
      {editable && (
        <>
          <h3>Add a document</h3>
          <UploadForm claim={c} />
          <h2>Submit</h2>
          {c.status === 'needs_information' && (
            <TextareaField
              id="claim-response"
              name="response"
              label="Your answer to the reviewer"
              value={response}
              onChange={setResponse}
            />
          )}
          <FeeBeforeSubmit claim={c} />
          {submit.error && refusedAt === claimVersion(c) && <ErrorAlert error={submit.error} />}
          <Button type="button" onClick={() => submit.mutate()} disabled={submit.isPending}>
            {c.status === 'draft' ? 'Submit for review' : 'Submit again'}
          </Button>
          <h2>Change the details</h2>
          <ClaimForm
            key={c.updatedAt}
            claim={c}
            onSaved={(saved) => client.setQueryData(['claim', id], saved)}
          />
          {c.abilities.delete && <DeleteDraft claim={c} />}
        </>
      )}
      <Messages claim={c} />
      <p>
        <Link to="/claims">Back to my outside credit</Link>
      </p>
    </Page>
  );
}
