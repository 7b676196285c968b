import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, ErrorMessage, Fieldset, Radio } from '@trussworks/react-uswds';
import type { ClaimDto } from '../../../contract/claims';
import { feeMethods, type Enrollment, type ProgramSummary } from '../../../contract/programs';
import { api, qs, type Paged } from '../../api';
import { ErrorSummary, SelectField, TextField, type FieldErrors, formErrors } from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { DataTable, Pager, usePageParam } from '../../components/Table';
import { ExportLinks } from '../../components/ExportLinks';
import { amountIn, formatDate, plural } from '../../format';
import { ClaimFacts, StatusTag } from './ClaimsPages';
import { claimFeeStatusLabels, feeMethodLabels, feeStateText, money } from './fees';
import { CreditAdminNav } from '../credits/CreditAdminNav';

type FeeList = Paged<ClaimDto> & { owedCents: number };
const PAGE_SIZE = 50;

const filterLabels: Record<string, string> = {
  owed: 'Still owed (not paid yet, or invoiced)',
  unpaid: 'Not paid yet',
  invoiced: 'Invoiced',
  paid: 'Paid',
  waived: 'Waived',
  all: 'All',
};

/** Outside-credit claims that carry a fee, and what is still owed; enrollment fees live on each program. */
export function ClaimFeesPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'owed';
  const programId = params.get('programId') ?? '';
  const page = usePageParam();
  const programs = useQuery({
    queryKey: ['programs'],
    queryFn: () => api.get<{ items: ProgramSummary[] }>('/api/programs'),
  });
  const fees = useQuery({
    queryKey: ['claim-fees', status, programId, page],
    queryFn: () =>
      api.get<FeeList>(
        `/api/claim-fees${qs({ status: status === 'all' ? '' : status, programId, page, pageSize: PAGE_SIZE })}`,
      ),
  });
  const set = (key: string) => (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    setParams(next, { replace: true });
  };
  const charging = (programs.data?.items ?? []).filter((p) => p.feeAmountCents > 0);
  return (
    <Page
      title="Credit fees"
      lead="Fees for outside credit in programs that charge per credit. Open a claim to record that it was paid, invoiced or waived."
    >
      <CreditAdminNav />
      {/* The filters apply as they change: nothing to submit, so a search landmark, not a form. */}
      <search className="usa-form review-filters" aria-label="Filter fees">
        <SelectField id="fee-filter-status" label="Fee state" value={status} onChange={set('status')}>
          {Object.entries(filterLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField id="fee-filter-program" label="Program" value={programId} onChange={set('programId')}>
          <option value="">All programs</option>
          {(programs.data?.items ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
      </search>
      {fees.isPending && <Loading what="fees" />}
      {fees.error && <ErrorAlert error={fees.error} />}
      {fees.data && fees.data.items.length > 0 && (
        <ExportLinks
          href="/api/claim-fees/export"
          params={{ status: status === 'all' ? '' : status, programId }}
          what="these claim fees"
        />
      )}
      {fees.data && (
        <p role="status" className="result-count">
          {plural(fees.data.page.total, 'claim')} · still owed in this view:{' '}
          <strong>{money(fees.data.owedCents)}</strong>
        </p>
      )}
      {fees.data && fees.data.items.length > 0 && (
        <>
          <DataTable caption={`Claims with a fee: ${filterLabels[status] ?? status}`}>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Official</th>
                <th scope="col">Program</th>
                <th scope="col">Claim</th>
                <th scope="col">Credits</th>
                <th scope="col">Fee</th>
                <th scope="col">Fee state</th>
              </tr>
            </thead>
            <tbody>
              {fees.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/fees/${c.id}`}>
                      {c.title}
                      <span className="usa-sr-only">: record the fee</span>
                    </Link>
                  </th>
                  <td>{c.person.name}</td>
                  <td>{c.program.name}</td>
                  <td>
                    <StatusTag status={c.status} />
                  </td>
                  <td>{c.approvedAmount ?? c.hours}</td>
                  <td>{money(c.fee.cents)}</td>
                  <td>{feeStateText(c.fee)}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
          <Pager page={page} pageSize={PAGE_SIZE} total={fees.data.page.total} label="claims with a fee" />
        </>
      )}
      {fees.data && fees.data.items.length === 0 && <p>No claims match.</p>}
      <h2>Enrollment fees</h2>
      <p>
        Enrollment fees are recorded with each enrollment, on the program&apos;s page
        {charging.length > 0 ? '. Still owed:' : '.'}
      </p>
      {charging.map((p) => (
        <EnrollmentFeesOwed key={p.id} program={p} />
      ))}
    </Page>
  );
}

/** Active enrollments in one program whose fee is not paid yet or invoiced, read page by page. */
function EnrollmentFeesOwed({ program }: { program: ProgramSummary }) {
  const owed = useQuery({
    queryKey: ['enrollment-fees-owed', program.id],
    queryFn: async () => {
      const out: Enrollment[] = [];
      for (let page = 1; ; page++) {
        const res = await api.get<Paged<Enrollment>>(
          `/api/programs/${program.id}/enrollments${qs({ status: 'active', page, pageSize: 200 })}`,
        );
        out.push(
          ...res.items.filter(
            (e) => e.fee.amountCents > 0 && (e.fee.status === 'unpaid' || e.fee.status === 'invoiced'),
          ),
        );
        if (page * res.page.pageSize >= res.page.total) return out;
      }
    },
  });
  const headingId = `enrollment-fees-${program.id}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link to={`/programs/${program.id}`}>{program.name}</Link> ({money(program.feeAmountCents)} to enroll)
      </h3>
      {owed.isPending && <Loading what="enrollment fees" />}
      {owed.error && <ErrorAlert error={owed.error} />}
      {owed.data && owed.data.length === 0 && <p>Every active enrollment is paid or waived.</p>}
      {owed.data && owed.data.length > 0 && (
        <DataTable
          caption={`${plural(owed.data.length, 'enrollment')} in ${program.name} owing ${money(
            owed.data.reduce((a, e) => a + e.fee.amountCents, 0),
          )}`}
        >
          <thead>
            <tr>
              <th scope="col">Official</th>
              <th scope="col">Enrolled</th>
              <th scope="col">Fee</th>
              <th scope="col">Fee state</th>
            </tr>
          </thead>
          <tbody>
            {owed.data.map((e) => (
              <tr key={e.id}>
                <th scope="row">{e.person.displayName}</th>
                <td>{e.enrolledOn ? formatDate(e.enrolledOn) : ''}</td>
                <td>{money(e.fee.amountCents)}</td>
                <td>
                  {e.fee.status === 'invoiced'
                    ? `Invoiced${e.fee.receiptNumber ? `, invoice ${e.fee.receiptNumber}` : ''}`
                    : 'Not paid yet'}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

type FeeState = 'unpaid' | 'paid' | 'invoiced' | 'waived';

function FeeForm({ claim }: { claim: ClaimDto }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const initial: FeeState = claim.fee.status === 'not_required' ? 'unpaid' : claim.fee.status;
  const [status, setStatus] = useState<FeeState>(initial);
  const [method, setMethod] = useState<string>(claim.fee.method ?? '');
  const [receipt, setReceipt] = useState(claim.fee.receipt ?? '');
  const [local, setLocal] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const save = useMutation({
    mutationFn: () =>
      api.patch<ClaimDto>(`/api/claims/${claim.id}/fee`, {
        status,
        ...(status === 'paid' ? { method } : {}),
        ...(receipt.trim() ? { receipt: receipt.trim() } : {}),
      }),
    onSuccess: (c) => {
      client.setQueryData(['claim', claim.id], c);
      void client.invalidateQueries({ queryKey: ['claim-fees'] });
      navigate('/fees', {
        state: {
          flash: {
            type: 'success',
            text: `Fee recorded for ${c.title} (${c.person.name}): ${feeStateText(c.fee)}.`,
          },
        },
      });
    },
    onError: () => setAttempt((a) => a + 1),
  });
  const errors = { ...formErrors(save.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (status === 'paid' && !method) found.method = 'Choose how the fee was paid.';
    setLocal(found);
    if (Object.keys(found).length) {
      setAttempt((a) => a + 1);
      return;
    }
    save.mutate();
  };
  const fields = {
    status: { id: 'fee-status-unpaid', label: 'Fee state' },
    method: { id: 'fee-method', label: 'Payment method' },
    receipt: { id: 'fee-receipt', label: 'Receipt or invoice number' },
  };
  const radio = (value: FeeState) => (
    <Radio
      key={value}
      id={`fee-status-${value}`}
      name="fee-status"
      label={claimFeeStatusLabels[value]}
      checked={status === value}
      onChange={() => setStatus(value)}
    />
  );
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} noValidate>
      <ErrorSummary error={save.error} fieldErrors={errors} fields={fields} attempt={attempt} />
      <Fieldset legend="Fee state" legendStyle="large">
        {errors.status && <ErrorMessage id="fee-status-error">{errors.status}</ErrorMessage>}
        {(['unpaid', 'paid', 'invoiced', 'waived'] as const).map(radio)}
      </Fieldset>
      {status === 'paid' && (
        <SelectField
          id="fee-method"
          label="Payment method"
          value={method}
          onChange={setMethod}
          error={errors.method}
          required
        >
          <option value="">- Choose -</option>
          {feeMethods.map((m) => (
            <option key={m} value={m}>
              {feeMethodLabels[m]}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        id="fee-receipt"
        label={status === 'invoiced' ? 'Invoice number' : 'Receipt number'}
        hint="Optional. Kept with the claim and in the audit log."
        value={receipt}
        onChange={setReceipt}
        maxLength={100}
        error={errors.receipt}
      />
      <Button type="submit" disabled={save.isPending}>
        Save the fee
      </Button>
    </form>
  );
}

/** One claim's fee: what is owed and a form to record paid / invoiced / waived. */
export function ClaimFeePage() {
  const { id = '' } = useParams();
  const claim = useQuery({ queryKey: ['claim', id], queryFn: () => api.get<ClaimDto>(`/api/claims/${id}`) });
  if (claim.error) return <PageError error={claim.error} title="Credit fee" what="this claim" />;
  if (!claim.data) return <Loading what="the claim" />;
  const c = claim.data;
  return (
    <Page title={`Fee: ${c.title}`}>
      <p>
        <StatusTag status={c.status} /> <span className="margin-left-1">{c.person.name}</span>
        {c.submittedAt && (
          <span className="usa-hint margin-left-1">submitted {formatDate(c.submittedAt)}</span>
        )}
      </p>
      <ClaimFacts claim={c} />
      {c.fee.status === 'not_required' ? (
        <p>No fee applies to this claim.</p>
      ) : (
        <>
          <h2>Record the fee</h2>
          <p>
            Owed: <strong>{money(c.fee.cents)}</strong> for{' '}
            {amountIn(c.approvedAmount ?? c.hours, c.program.unit)}. Now: {feeStateText(c.fee)}.
          </p>
          <FeeForm claim={c} />
        </>
      )}
      <p>
        <Link to="/fees">Back to credit fees</Link>
      </p>
    </Page>
  );
}
