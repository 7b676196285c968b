/**
 * Staff credit entries: find an official, enter credit by hand (a legacy
 * paper record, say) with the reason, see the ledger with each record's
 * source, and correct a record with a reversing entry. Nothing is deleted.
 * After each change the page says how the official's progress moved.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { CreditRecordDto, Progress } from '../../../contract/credits';
import type { ProgramDetail, ProgramSummary } from '../../../contract/programs';
import { api, qs, useSession, type Paged, type Person } from '../../api';
import { allowed } from '../../auth';
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
import { formatDate, formatNumber, plural } from '../../format';
import { CreditAdminNav } from './CreditAdminNav';

const amountText = (n: number) => formatNumber(Math.round(n * 100) / 100);

/** Find the official whose credit to enter. */
export function StaffCreditsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const people = useQuery({
    queryKey: ['people', 'credit-search', q],
    queryFn: () => api.get<Paged<Person>>(`/api/people${qs({ q, pageSize: 25 })}`),
    enabled: q.length > 0,
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {}, { replace: true });
  };
  return (
    <Page
      title="Staff credit entries"
      lead="Enter credit by hand (for example a legacy paper record) or correct a record. Find the official first."
    >
      <CreditAdminNav />
      <form className="usa-form" role="search" onSubmit={search} aria-label="Find an official">
        <TextField
          id="credit-person-search"
          type="search"
          label="Official's name or e-mail"
          value={text}
          onChange={setText}
          maxLength={100}
        />
        <Button type="submit">Search</Button>
      </form>
      {people.isFetching && <Loading what="people" />}
      {people.error && <ErrorAlert error={people.error} />}
      {q && people.data && (
        <>
          <p role="status" className="result-count">
            {people.data.page.total === 0
              ? `Nobody matches “${q}”.`
              : `${plural(people.data.page.total, 'person', 'people')} match “${q}”.`}
          </p>
          {people.data.items.length > 0 && (
            <DataTable caption={`People matching “${q}”`}>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">County</th>
                  <th scope="col">Title</th>
                  <th scope="col">E-mail</th>
                </tr>
              </thead>
              <tbody>
                {people.data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link to={`/people/${p.id}/credits`}>
                        {p.displayName}
                        <span className="usa-sr-only">: credits</span>
                      </Link>
                    </th>
                    <td>{p.jurisdiction?.name ?? ''}</td>
                    <td>{p.title ?? ''}</td>
                    <td>{p.email}</td>
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

type Definition = {
  categories?: { id: string; name: string }[];
  sourceTypes?: { id: string; name: string }[];
};

/** "Certified Public Official: 9 → 13 credits approved. You need …" for each program whose total moved. */
function progressChange(before: Progress | undefined, after: Progress): string[] {
  return after.programs.flatMap((p) => {
    const old = before?.programs.find((b) => b.program.id === p.program.id);
    if (old && Math.abs(old.totals.approved - p.totals.approved) < 0.005) return [];
    const from = old ? `${amountText(old.totals.approved)} → ` : '';
    return [`${p.program.name}: ${from}${amountText(p.totals.approved)} credits approved. ${p.headline}`];
  });
}

function ManualCreditForm({
  personId,
  programs,
  enrolled,
  onSaved,
}: {
  personId: string;
  programs: ProgramSummary[];
  enrolled: string[];
  onSaved: (record: CreditRecordDto) => Promise<void>;
}) {
  const first = programs.find((p) => enrolled.includes(p.id)) ?? programs[0];
  const [programId, setProgramId] = useState(first?.id ?? '');
  const [category, setCategory] = useState('');
  const [sourceType, setSourceType] = useState('');
  const [amount, setAmount] = useState('');
  const [earnedOn, setEarnedOn] = useState('');
  const [title, setTitle] = useState('');
  const [sponsored, setSponsored] = useState(false);
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const program = useQuery({
    queryKey: ['program', programId],
    queryFn: () => api.get<ProgramDetail>(`/api/programs/${programId}`),
    enabled: !!programId,
  });
  const def = (program.data?.definition ?? {}) as Definition;
  const save = useMutation({
    mutationFn: () =>
      api.post<CreditRecordDto>(`/api/people/${personId}/credits`, {
        programId,
        category,
        sourceType,
        amount: Number(amount),
        earnedOn,
        title: title.trim(),
        sponsored,
        reason: reason.trim(),
      }),
    onSuccess: async (record) => {
      setAmount('');
      setTitle('');
      setReason('');
      setEarnedOn('');
      setSponsored(false);
      await onSaved(record);
    },
    onError: () => setAttempt((a) => a + 1),
  });
  const errors = { ...formErrors(save.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!programId) found.programId = 'Choose the program.';
    if (!category) found.category = 'Choose the category or tier.';
    if (!sourceType) found.sourceType = 'Choose what kind of activity it was.';
    if (!/^\d+(\.\d{1,2})?$/.test(amount.trim()) || Number(amount) <= 0)
      found.amount = 'Enter the credits as a number more than 0, like 4 or 1.5.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(earnedOn.trim())) found.earnedOn = 'Enter the date like 2019-05-02.';
    if (!title.trim()) found.title = 'Enter the activity title.';
    if (!reason.trim()) found.reason = 'Give the reason for entering this credit by hand.';
    setLocal(found);
    if (Object.keys(found).length) {
      setAttempt((a) => a + 1);
      return;
    }
    save.mutate();
  };
  const fields = {
    programId: { id: 'manual-program', label: 'Program' },
    category: { id: 'manual-category', label: 'Category or tier' },
    sourceType: { id: 'manual-source', label: 'Kind of activity' },
    amount: { id: 'manual-amount', label: 'Credits' },
    earnedOn: { id: 'manual-date', label: 'Date earned' },
    title: { id: 'manual-title', label: 'Activity title' },
    reason: { id: 'manual-reason', label: 'Reason' },
  };
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-labelledby="manual-heading">
      <ErrorSummary error={save.error} fieldErrors={errors} fields={fields} attempt={attempt} />
      <RequiredNote />
      <SelectField
        id="manual-program"
        label="Program"
        required
        value={programId}
        onChange={(v) => {
          setProgramId(v);
          setCategory('');
          setSourceType('');
        }}
        error={errors.programId}
      >
        <option value="">- Choose -</option>
        {programs.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {enrolled.includes(p.id) ? '' : ' (not enrolled)'}
          </option>
        ))}
      </SelectField>
      <SelectField
        id="manual-category"
        label="Category or tier"
        required
        value={category}
        onChange={setCategory}
        error={errors.category}
      >
        <option value="">- Choose -</option>
        {(def.categories ?? []).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        id="manual-source"
        label="Kind of activity"
        required
        value={sourceType}
        onChange={setSourceType}
        error={errors.sourceType}
      >
        <option value="">- Choose -</option>
        {(def.sourceTypes ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <TextField
        id="manual-amount"
        label="Credits"
        required
        inputMode="numeric"
        hint="Up to 2 decimals, like 1.5."
        value={amount}
        onChange={setAmount}
        error={errors.amount}
      />
      <TextField
        id="manual-date"
        label="Date earned"
        required
        hint="Like 2019-05-02."
        value={earnedOn}
        onChange={setEarnedOn}
        error={errors.earnedOn}
      />
      <TextField
        id="manual-title"
        label="Activity title"
        required
        maxLength={200}
        value={title}
        onChange={setTitle}
        error={errors.title}
      />
      <Checkbox
        id="manual-sponsored"
        name="sponsored"
        label="Sponsored by the program's own organization (for example iGO-sponsored)"
        checked={sponsored}
        onChange={(e) => setSponsored(e.target.checked)}
      />
      <TextareaField
        id="manual-reason"
        name="reason"
        label="Reason"
        required
        hint="Why it is entered by hand, for example “Legacy paper record: 2019 workbook, certificate on file”. Kept in the audit log."
        error={errors.reason}
        value={reason}
        maxLength={1000}
        onChange={setReason}
      />
      <Button type="submit" disabled={save.isPending}>
        Enter the credit
      </Button>
    </form>
  );
}

function CorrectionForm({
  record,
  onDone,
  onCancel,
}: {
  record: CreditRecordDto;
  onDone: (reversal: CreditRecordDto) => Promise<void>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), [record.id]);
  const correct = useMutation({
    mutationFn: () =>
      api.post<CreditRecordDto>(`/api/credits/${record.id}/reverse`, { reason: reason.trim() }),
    onSuccess: onDone,
  });
  const serverError = formErrors(correct.error).reason;
  const error = local ?? serverError;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setLocal('Give the reason for the correction.');
      box.current?.focus();
      return;
    }
    setLocal(undefined);
    correct.mutate();
  };
  return (
    <section
      aria-labelledby="correct-heading"
      className="border-1px border-base-lighter padding-2 margin-y-3"
    >
      <h2 id="correct-heading">Correct a record</h2>
      <p>
        A correction adds a reversing record of {amountText(-record.amount)} credits for “
        {record.title ?? 'this record'}” ({formatDate(record.earnedOn)}). The original stays in the ledger,
        marked as corrected.
      </p>
      {correct.error && !serverError && <ErrorAlert error={correct.error} />}
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate>
        <TextareaField
          id="correct-reason"
          name="reason"
          label="Reason for the correction"
          required
          error={error}
          inputRef={box}
          value={reason}
          maxLength={500}
          onChange={setReason}
        />
        <Button type="submit" disabled={correct.isPending}>
          Record the correction
        </Button>
        <Button type="button" outline onClick={onCancel}>
          Cancel
        </Button>
      </form>
    </section>
  );
}

function recordState(r: CreditRecordDto): string {
  if (r.reversedById) return 'Corrected';
  if (r.reversesId) return 'Reverses an earlier record';
  return r.status === 'approved' ? 'Counts' : r.status;
}

/** One official's ledger, with staff entry and correction. */
export function PersonCreditsPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const user = session.data?.user;
  const client = useQueryClient();
  const [correcting, setCorrecting] = useState<CreditRecordDto | null>(null);
  const [change, setChange] = useState<{ heading: string; lines: string[] } | null>(null);
  const changeBox = useRef<HTMLDivElement>(null);
  const person = useQuery({ queryKey: ['person', id], queryFn: () => api.get<Person>(`/api/people/${id}`) });
  const progressKey = ['person-progress', id];
  const progress = useQuery({
    queryKey: progressKey,
    queryFn: () => api.get<Progress>(`/api/people/${id}/progress`),
  });
  const ledgerKey = ['person-credits', id];
  const ledger = useQuery({
    queryKey: ledgerKey,
    queryFn: () => api.get<{ items: CreditRecordDto[] }>(`/api/people/${id}/credits`),
  });
  const programs = useQuery({
    queryKey: ['programs'],
    queryFn: () => api.get<{ items: ProgramSummary[] }>('/api/programs'),
  });
  useEffect(() => {
    if (change) changeBox.current?.focus();
  }, [change]);
  if (person.error) return <PageError error={person.error} title="Credits" what="this person" />;
  if (!person.data) return <Loading what="the person" />;
  const p = person.data;
  const canEnter = allowed(user, 'credits.create');
  const canCorrect = allowed(user, 'credits.reverse');

  /** Reloads the ledger and progress and says how progress moved. */
  const after = async (heading: string) => {
    const before = client.getQueryData<Progress>(progressKey);
    await client.invalidateQueries({ queryKey: ledgerKey });
    const now = await client.fetchQuery({
      queryKey: progressKey,
      queryFn: () => api.get<Progress>(`/api/people/${id}/progress`),
      staleTime: 0,
    });
    void client.invalidateQueries({ queryKey: ['person-transcript', id] });
    const lines = progressChange(before, now);
    setChange({
      heading,
      lines: lines.length
        ? lines
        : ['Progress did not change (the program is not one they are enrolled in).'],
    });
  };

  return (
    <Page title={`Credits: ${p.displayName}`} documentTitle={`Credits for ${p.displayName}`}>
      <p>
        <Link to={`/people/${p.id}`}>Back to {p.displayName}</Link>
        {' · '}
        <Link to={`/people/${p.id}/progress`}>Full progress</Link>
      </p>
      {change && (
        <div ref={changeBox} tabIndex={-1}>
          <Alert type="success" headingLevel="h2" heading={change.heading} className="margin-bottom-3">
            <ul className="usa-list">
              {change.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          </Alert>
        </div>
      )}
      <h2>Progress</h2>
      {progress.isPending && <Loading what="progress" />}
      {progress.error && <ErrorAlert error={progress.error} />}
      {progress.data && progress.data.programs.length === 0 && (
        <p>{p.displayName} is not enrolled in a program, so no progress is computed.</p>
      )}
      {progress.data && progress.data.programs.length > 0 && (
        <ul className="usa-list" aria-label="Progress per program">
          {progress.data.programs.map((x) => (
            <li key={x.program.id}>
              <strong>{x.program.name}</strong>: {amountText(x.totals.approved)} credits approved.{' '}
              {x.headline}
            </li>
          ))}
        </ul>
      )}
      <h2>Ledger</h2>
      {ledger.isPending && <Loading what="the ledger" />}
      {ledger.error && <ErrorAlert error={ledger.error} />}
      {ledger.data && ledger.data.items.length === 0 && <p>No credit recorded yet.</p>}
      {ledger.data && ledger.data.items.length > 0 && (
        <DataTable
          caption={`Credit ledger of ${p.displayName}, ${plural(ledger.data.items.length, 'record')}`}
        >
          <thead>
            <tr>
              <th scope="col">Earned</th>
              <th scope="col">Activity</th>
              <th scope="col">Program and category</th>
              <th scope="col">Credits</th>
              <th scope="col">Source</th>
              <th scope="col">Recorded</th>
              <th scope="col">State</th>
              {canCorrect && (
                <th scope="col">
                  <span className="usa-sr-only">Action</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {ledger.data.items.map((r) => (
              <tr key={r.id}>
                <td>{formatDate(r.earnedOn)}</td>
                <th scope="row">
                  {r.title ?? r.courseCode ?? 'Credit'}
                  {r.courseCode && r.title ? <span className="usa-hint"> ({r.courseCode})</span> : null}
                </th>
                <td>
                  {r.program.name}: {r.categoryName}
                  {r.sponsored ? ' (sponsored)' : ''}
                </td>
                <td>{amountText(r.amount)}</td>
                <td>
                  {r.source.kind === 'claim' && r.source.claimId ? (
                    <Link to={`/claims/${r.source.claimId}`}>{r.source.label}</Link>
                  ) : (
                    r.source.label
                  )}
                  {r.source.reason && <div className="usa-hint">Reason: {r.source.reason}</div>}
                  {r.reversesId && r.reason && <div className="usa-hint">Reason: {r.reason}</div>}
                </td>
                <td>
                  {formatDate(r.recordedAt)}
                  {r.recordedBy && <div className="usa-hint">by {r.recordedBy}</div>}
                </td>
                <td>{recordState(r)}</td>
                {canCorrect && (
                  <td>
                    {!r.reversedById && !r.reversesId && (
                      <Button type="button" unstyled onClick={() => setCorrecting(r)}>
                        Correct<span className="usa-sr-only"> {r.title ?? 'this record'}</span>
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {correcting && (
        <CorrectionForm
          key={correcting.id}
          record={correcting}
          onCancel={() => setCorrecting(null)}
          onDone={async () => {
            const title = correcting.title ?? 'the record';
            setCorrecting(null);
            await after(`Correction recorded: ${title}`);
          }}
        />
      )}
      {canEnter && programs.data && (
        <>
          <h2 id="manual-heading">Enter credit by hand</h2>
          <ManualCreditForm
            personId={p.id}
            programs={programs.data.items}
            enrolled={(progress.data?.programs ?? []).map((x) => x.program.id)}
            onSaved={async (r) => {
              await after(`Credit entered: ${amountText(r.amount)} for ${r.title ?? 'the activity'}`);
            }}
          />
        </>
      )}
    </Page>
  );
}
