import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Fieldset, Form } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { feeMethods, feeStatuses, type Enrollment, type ProgramDetail } from '../../../contract/programs';
import { api, ApiError, qs, type Paged, type Person } from '../../api';
import { Facts } from '../../components/Facts';
import {
  ErrorSummary,
  SelectField,
  TextareaField,
  TextField,
  type FieldErrors,
  formErrors,
} from '../../components/Form';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert, PageError } from '../../components/PageError';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { Email } from '../../components/Email';
import { ExportLinks } from '../../components/ExportLinks';
import { formatDate, formatDateTime, zoneName } from '../../format';
import { dollars, enrollmentStatusLabels, feeStatusLabels } from './ProgramsPage';
import { CohortPicker, programCohorts } from '../reports/CohortPicker';
import type { JsonObject } from './definitionPaths';
import { ProgramRulesForm } from './ProgramRulesForm';
import { ProgramSettingsForm } from './ProgramSettingsForm';
import { IssuerForm } from './IssuerForm';
import { RequirementSummary } from './RequirementSummary';
import { DraftImpact, publishBlock, useDraftImpact } from './DraftImpact';
import { EnrollmentDecision } from '../enrollment-requests/EnrollmentRequestsPage';

const methodLabels: Record<(typeof feeMethods)[number], string> = {
  check: 'Check',
  card: 'Card',
  cash: 'Cash',
  ach: 'Bank transfer (ACH)',
  purchase_order: 'Purchase order',
  other: 'Other',
};

/** The validated JSON view of the program definition, saved as a draft (published from the page). */
function DefinitionEditor({
  program,
  onSaved,
}: {
  program: ProgramDetail;
  onSaved: (next: ProgramDetail, message: string) => void;
}) {
  const initial = JSON.stringify(program.draftDefinition ?? program.definition ?? {}, null, 2);
  const [text, setText] = useState(initial);
  const [parseError, setParseError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  const save = useMutation({
    mutationFn: (definition: unknown) =>
      api.put<ProgramDetail>(`/api/programs/${program.id}/draft`, { definition }),
    onSuccess: (next) =>
      onSaved(next, `Draft ${next.draft?.version ?? ''} saved. Publish it to put it in force.`),
  });
  const problems = save.error instanceof ApiError ? (save.error.problem?.errors ?? []) : [];
  const failed = !!parseError || !!save.error;
  useEffect(() => {
    if (failed) box.current?.focus();
  }, [failed, save.failureCount, parseError]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      setParseError(`This is not valid JSON: ${(err as Error).message}`);
      save.reset();
      return;
    }
    setParseError(null);
    save.mutate(parsed);
  };

  const errorText =
    parseError ?? (save.error ? 'The definition has problems. Fix them and save again.' : null);
  return (
    <section aria-labelledby="editor-heading">
      <h2 id="editor-heading">Edit the definition (JSON)</h2>
      <p>
        Every rule, including those the form does not show. Save a draft; the server checks the whole
        definition and lists every problem with where it is. Officials keep the version in force until you
        publish.
      </p>
      <div ref={box} tabIndex={-1} className="error-summary">
        {(parseError || save.error) && (
          <Alert type="error" headingLevel="h3" heading="The draft was not saved">
            <p className="margin-top-05">
              {parseError ?? (save.error instanceof ApiError ? save.error.message : '')}
            </p>
            {problems.length > 0 && (
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>
                    <code>{p.field.replace(/^body\./, '')}</code>: {p.message}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
      </div>
      <Form onSubmit={submit} noValidate className="maxw-full">
        <TextareaField
          id="definition"
          label="Program definition"
          hint={
            program.draft
              ? `This is the draft, version ${program.draft.version}.`
              : 'This is the published version; saving makes a draft.'
          }
          error={errorText ?? undefined}
          className="json-editor"
          spellCheck={false}
          value={text}
          onChange={setText}
        />
        <div className="action-row margin-top-2">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save draft'}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/**
 * Editing for administrators: the result of the last save, the draft and its
 * Publish button, the form editor and the JSON view. Both editors start again
 * from the saved draft after every save, so a change made in one shows in the other.
 */
function RulesEditing({ program }: { program: ProgramDetail }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const onSaved = (next: ProgramDetail, message: string) => {
    queryClient.setQueryData(['program', program.id], next);
    void queryClient.invalidateQueries({ queryKey: ['programs'] });
    setNotice(message);
  };
  const publish = useMutation({
    mutationFn: () => api.post<ProgramDetail>(`/api/programs/${program.id}/publish`, {}),
    onSuccess: (next) => {
      void queryClient.invalidateQueries({ queryKey: ['draft-impact', program.id] });
      onSaved(next, `Version ${next.current?.version ?? ''} is published.`);
    },
  });
  const saved = (next: ProgramDetail, message: string) => {
    void queryClient.invalidateQueries({ queryKey: ['draft-impact', program.id] });
    onSaved(next, message);
  };
  const revision = `${program.id}:${program.draft?.updatedAt ?? ''}:${program.current?.id ?? ''}`;
  // Publishing waits for a current impact check of the draft (ADR 0029).
  const impact = useDraftImpact(program.id);
  const blocked = program.draft ? publishBlock(program, impact.data?.impact) : null;
  return (
    <>
      <div ref={noticeRef} tabIndex={-1} className="error-summary">
        {notice && (
          <Alert type="success" headingLevel="h2" slim role="status" className="margin-y-2">
            {notice}
          </Alert>
        )}
        {publish.error && <ErrorAlert error={publish.error} heading="The draft was not published" />}
      </div>
      {program.statusRun && program.statusRun.waiting > 0 && (
        <Alert type="info" headingLevel="h2" slim className="margin-y-2">
          {program.statusRun.reason === 'rules changed'
            ? 'Certification statuses are being re-evaluated under the new rules'
            : 'Certification statuses are being re-evaluated'}
          : {program.statusRun.waiting.toLocaleString('en-US')} of{' '}
          {Math.max(program.statusRun.total, program.statusRun.waiting).toLocaleString('en-US')} officials
          still to go. Lists and reports show the earlier status until then.
        </Alert>
      )}
      {program.draft && (
        <section aria-labelledby="draft-heading">
          <h2 id="draft-heading">Draft {program.draft.version}</h2>
          <p>
            Saved {formatDateTime(program.draft.updatedAt, program.timeZone)}; in force from{' '}
            {formatDate(program.draft.effectiveFrom)} once published.
          </p>
          {program.draftDefinition && (
            <RequirementSummary definition={program.draftDefinition as JsonObject} />
          )}
          {program.current && <DraftImpact program={program} />}
          <Button
            type="button"
            onClick={() => {
              setNotice(null);
              publish.mutate();
            }}
            disabled={publish.isPending || blocked !== null || impact.isPending}
            aria-describedby={blocked ? 'publish-blocked' : undefined}
          >
            {publish.isPending ? 'Publishing…' : `Publish draft ${program.draft.version}`}
          </Button>
          {blocked && (
            <p id="publish-blocked" className="usa-hint margin-top-1">
              {blocked}
            </p>
          )}
        </section>
      )}
      <ProgramRulesForm key={`form:${revision}`} program={program} onSaved={saved} />
      <DefinitionEditor key={`json:${revision}`} program={program} onSaved={saved} />
      <ProgramSettingsForm
        key={`settings:${program.feeAmountCents}:${String(program.partialCredit)}`}
        program={program}
        onSaved={onSaved}
      />
    </>
  );
}

const enrollFields = {
  personId: { id: 'enroll-q', label: 'Official' },
  enrolledOn: { id: 'enrolledOn', label: 'Enrollment date' },
  feeAmountCents: { id: 'feeAmount', label: 'Fee' },
  feeStatus: { id: 'feeStatus', label: 'Fee status' },
  feeMethod: { id: 'feeMethod', label: 'Payment method' },
  receiptNumber: { id: 'receiptNumber', label: 'Receipt number' },
};

/** Enroll an official, with the fee: amount, paid / waived / invoiced, method and receipt number. */
function EnrollForm({ program }: { program: ProgramDetail }) {
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [person, setPerson] = useState<{ id: string; displayName: string } | null>(null);
  const [fee, setFee] = useState((program.feeAmountCents / 100).toFixed(2));
  const [feeStatus, setFeeStatus] = useState<string>('unpaid');
  const [feeMethod, setFeeMethod] = useState('');
  const [receipt, setReceipt] = useState('');
  const [enrolledOn, setEnrolledOn] = useState('');
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState<string | null>(null);

  const people = useQuery({
    queryKey: ['people', 'pick', search],
    queryFn: () => api.get<Paged<Person>>(`/api/people${qs({ q: search, role: 'official', pageSize: 10 })}`),
    enabled: search.length > 0,
  });
  const enroll = useMutation({
    mutationFn: () =>
      api.post<Enrollment>(`/api/programs/${program.id}/enrollments`, {
        personId: person?.id,
        enrolledOn: enrolledOn || undefined,
        feeAmountCents: Math.round(Number(fee) * 100),
        feeStatus,
        feeMethod: feeMethod || null,
        receiptNumber: receipt || null,
      }),
    onSuccess: (e) => {
      setDone(`Enrolled ${e.person.displayName} in ${e.program.name}.`);
      setPerson(null);
      setReceipt('');
      void queryClient.invalidateQueries({ queryKey: ['enrollments', program.id] });
    },
    onError: () => setAttempt((n) => n + 1),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    const errors: FieldErrors = {};
    if (!person) errors.personId = 'Find and choose the official to enroll.';
    if (!/^\d+(\.\d{1,2})?$/.test(fee.trim()))
      errors.feeAmountCents = 'Enter the fee in dollars, like 150 or 150.00.';
    if (feeStatus === 'paid' && !feeMethod) errors.feeMethod = 'Choose how the fee was paid.';
    setLocalErrors(errors);
    if (Object.keys(errors).length) {
      setAttempt((n) => n + 1);
      return;
    }
    enroll.mutate();
  };
  const serverErrors = formErrors(enroll.error);
  const fieldErrors = { ...serverErrors, ...localErrors };
  const hasLocal = Object.keys(localErrors).length > 0;

  return (
    <section aria-labelledby="enroll-heading">
      <h2 id="enroll-heading">Enroll an official</h2>
      {done && (
        <Alert type="success" headingLevel="h3" slim role="status" className="margin-bottom-2">
          {done}
        </Alert>
      )}
      <ErrorSummary
        error={hasLocal ? null : enroll.error}
        fieldErrors={fieldErrors}
        fields={enrollFields}
        attempt={attempt}
      />
      <Form onSubmit={submit} noValidate large>
        <Fieldset legend="Who" legendStyle="large">
          {person ? (
            <p>
              <strong>{person.displayName}</strong>{' '}
              <Button type="button" unstyled onClick={() => setPerson(null)}>
                Choose someone else
              </Button>
            </p>
          ) : (
            <>
              <div className="inline-form">
                <TextField
                  id="enroll-q"
                  label="Official’s name or e-mail"
                  value={q}
                  onChange={setQ}
                  error={fieldErrors.personId}
                />
                <Button type="button" outline onClick={() => setSearch(q.trim())}>
                  Find
                </Button>
              </div>
              {people.data && (
                <ul className="usa-list usa-list--unstyled margin-top-1">
                  {people.data.items.length === 0 && <li role="status">No officials match.</li>}
                  {people.data.items.map((p) => (
                    <li key={p.id} className="margin-bottom-1">
                      <Button type="button" unstyled onClick={() => setPerson(p)}>
                        Choose {p.displayName}
                      </Button>{' '}
                      <span className="usa-hint">
                        {p.jurisdiction?.name ?? ''} <Email address={p.email} />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <TextField
            id="enrolledOn"
            type="date"
            label="Enrollment date"
            hint="Leave empty for today."
            value={enrolledOn}
            onChange={setEnrolledOn}
            error={fieldErrors.enrolledOn}
          />
        </Fieldset>
        <Fieldset legend="Fee" legendStyle="large" className="margin-top-4">
          <TextField
            id="feeAmount"
            type="text"
            inputMode="numeric"
            label="Fee in dollars"
            hint={`The program's fee is ${dollars(program.feeAmountCents)}.`}
            value={fee}
            onChange={setFee}
            error={fieldErrors.feeAmountCents}
            className="usa-input--small"
          />
          <SelectField
            id="feeStatus"
            label="Fee status"
            value={feeStatus}
            onChange={setFeeStatus}
            error={fieldErrors.feeStatus}
          >
            {feeStatuses.map((s) => (
              <option key={s} value={s}>
                {feeStatusLabels[s]}
              </option>
            ))}
          </SelectField>
          <SelectField
            id="feeMethod"
            label="Payment method"
            value={feeMethod}
            onChange={setFeeMethod}
            error={fieldErrors.feeMethod}
          >
            <option value="">Not paid yet</option>
            {feeMethods.map((m) => (
              <option key={m} value={m}>
                {methodLabels[m]}
              </option>
            ))}
          </SelectField>
          <TextField
            id="receiptNumber"
            label="Receipt number"
            value={receipt}
            onChange={setReceipt}
            error={fieldErrors.receiptNumber}
          />
        </Fieldset>
        <Button type="submit" className="margin-top-3" disabled={enroll.isPending}>
          {enroll.isPending ? 'Enrolling…' : 'Enroll'}
        </Button>
      </Form>
    </section>
  );
}

function Enrollments({ program, canEnroll }: { program: ProgramDetail; canEnroll: boolean }) {
  const cohorts = programCohorts(program);
  const page = usePageParam();
  const [notice, setNotice] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['enrollments', program.id, page],
    queryFn: () =>
      api.get<Paged<Enrollment>>(`/api/programs/${program.id}/enrollments${qs({ page, pageSize: 25 })}`),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h2>Enrollments</h2>
      {notice && (
        <Alert type="success" headingLevel="h3" slim role="status" className="margin-bottom-2">
          {notice}
        </Alert>
      )}
      {list.isPending && <Loading what="enrollments" />}
      {list.isError && <ErrorAlert error={list.error} />}
      {list.data && (
        <>
          {list.data.items.length > 0 && (
            <ExportLinks href={`/api/programs/${program.id}/enrollments/export`} what="the enrollments" />
          )}
          <ResultCount
            page={list.data.page.page}
            pageSize={list.data.page.pageSize}
            total={list.data.page.total}
            noun="enrollments"
          />
          {list.data.items.length > 0 && (
            <DataTable caption={`Enrollments in ${program.name}, by last name`}>
              <thead>
                <tr>
                  <th scope="col">Official</th>
                  <th scope="col">Status</th>
                  <th scope="col">Enrolled</th>
                  <th scope="col">Fee</th>
                  <th scope="col">Receipt</th>
                  {cohorts.length > 0 && <th scope="col">Cohorts</th>}
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">
                      {e.person.displayName}
                      <div className="usa-hint">
                        <Email address={e.person.email} />
                      </div>
                    </th>
                    <td>
                      {enrollmentStatusLabels[e.status]}
                      {e.abilities.decide && canEnroll && (
                        <EnrollmentDecision enrollment={e} onDone={setNotice} invalidate={queryClient} />
                      )}
                      {e.declineReason && <div className="usa-hint">“{e.declineReason}”</div>}
                    </td>
                    <td>
                      {e.enrolledOn
                        ? formatDate(e.enrolledOn)
                        : e.requestedAt
                          ? `Asked ${formatDateTime(e.requestedAt, program.timeZone)}`
                          : ''}
                    </td>
                    <td>
                      {dollars(e.fee.amountCents)}, {feeStatusLabels[e.fee.status]}
                      {e.fee.method ? ` (${methodLabels[e.fee.method]})` : ''}
                    </td>
                    <td>{e.fee.receiptNumber ?? ''}</td>
                    {cohorts.length > 0 && (
                      <td>
                        <CohortPicker program={program} enrollment={e} editable={canEnroll} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
          <Pager
            page={list.data.page.page}
            pageSize={list.data.page.pageSize}
            total={list.data.page.total}
            label="enrollments"
          />
        </>
      )}
      {canEnroll && <EnrollForm program={program} />}
    </>
  );
}

export function ProgramDetailPage() {
  const { id = '' } = useParams();
  const program = useQuery({
    queryKey: ['program', id],
    queryFn: () => api.get<ProgramDetail>(`/api/programs/${id}`),
  });
  if (program.isError) return <PageError error={program.error} title="Program" what="program" />;
  if (!program.data)
    return (
      <Page title="Program">
        <Loading what="the program" />
      </Page>
    );
  const p = program.data;
  return (
    <Page title={p.name} documentTitle={p.code}>
      <Facts
        items={[
          ['Code', p.code],
          ['Designation', p.designation],
          ['Time zone', zoneName(p.timeZone)],
          ['Fee', dollars(p.feeAmountCents)],
          ['Partial credit', p.partialCredit ? 'Allowed' : 'Not allowed'],
          [
            'Rules in force',
            p.current
              ? `Version ${p.current.version}, from ${formatDate(p.current.effectiveFrom)}`
              : 'None published',
          ],
          [
            'Draft',
            p.draft
              ? `Version ${p.draft.version}, saved ${formatDateTime(p.draft.updatedAt, p.timeZone)}`
              : 'None',
          ],
        ]}
      />
      <h2>Versions</h2>
      <DataTable caption="Versions of the rules, newest first">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">In force from</th>
            <th scope="col">Published</th>
          </tr>
        </thead>
        <tbody>
          {p.versions.map((v) => (
            <tr key={v.id}>
              <th scope="row">{v.version}</th>
              <td>{formatDate(v.effectiveFrom)}</td>
              <td>{v.published ? formatDateTime(v.publishedAt, p.timeZone) : 'Draft'}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {p.definition && (
        <>
          <h2>Requirements in force</h2>
          <RequirementSummary definition={p.definition as JsonObject} />
        </>
      )}
      {p.definition && (
        <details className="margin-top-3">
          <summary>The published definition (JSON)</summary>
          <pre className="json-block" tabIndex={0}>
            {JSON.stringify(p.definition, null, 2)}
          </pre>
        </details>
      )}
      {p.abilities.updateDraft && <RulesEditing key={p.id} program={p} />}
      {p.abilities.readDesign && (
        <p>
          <Link to={`/programs/${p.id}/certificate-design`}>Certificate design</Link>: the wording, colours,
          logo, seal and signers of the program’s certificates.
        </p>
      )}
      {p.abilities.updateIssuer && <IssuerForm programId={p.id} />}
      {p.abilities.listEnrollments && <Enrollments program={p} canEnroll={p.abilities.enroll} />}
    </Page>
  );
}
