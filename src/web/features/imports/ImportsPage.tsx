import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, ErrorMessage, FileInput, FormGroup, Label } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import { api, ApiError, fetchSession } from '../../api';
import type { ProgramSummary } from '../../../contract/programs';
import {
  importColumns,
  importKinds,
  MAX_IMPORT_BYTES,
  type ImportKind,
  type ImportRun,
} from '../../../contract/imports';
import { browserZone, formatDateTime, formatNumber, plural } from '../../format';
import { Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { SelectField } from '../../components/Form';
import { DataTable } from '../../components/Table';

const kindLabels: Record<ImportKind, string> = {
  officials: 'Officials',
  credits: 'Historic attendance and credits',
  awards: 'Past awards',
  facts: 'Person facts (taking office, exams, waivers, extensions, attestations)',
};

const statusLabels: Record<ImportRun['status'], string> = {
  validating: 'Checking',
  importing: 'Importing',
  validated: 'Checked: no errors',
  invalid: 'Checked: errors found',
  succeeded: 'Imported',
  failed: 'Not imported',
};

const finished = (r: ImportRun) => r.status !== 'validating' && r.status !== 'importing';

/** Multipart upload with the session's CSRF token (so not through api.post). */
async function uploadImport(o: {
  kind: ImportKind;
  programId: string;
  file: File;
  dryRun: boolean;
}): Promise<ImportRun> {
  const session = await fetchSession();
  const form = new FormData();
  form.append('kind', o.kind);
  form.append('dryRun', String(o.dryRun));
  if (o.programId) form.append('programId', o.programId);
  form.append('file', o.file);
  let res: Response;
  try {
    res = await fetch('/api/imports', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'x-csrf-token': session.csrfToken ?? '',
        accept: 'application/json, application/problem+json',
      },
      body: form,
    });
  } catch {
    throw new ApiError(0, null, 'We could not reach the server. Check your connection and try again.');
  }
  const payload = (await res.json().catch(() => null)) as { detail?: string } | null;
  if (!res.ok)
    throw new ApiError(res.status, payload as never, payload?.detail ?? `The server answered ${res.status}.`);
  return payload as ImportRun;
}

function Counts({ run }: { run: ImportRun }) {
  return (
    <ul className="usa-list" data-testid="import-counts">
      <li>{plural(run.created, 'new row')}</li>
      <li>{plural(run.updated, 'changed row')}</li>
      <li>{plural(run.unchanged, 'unchanged row')}</li>
    </ul>
  );
}

function ErrorTable({ run }: { run: ImportRun }) {
  return (
    <>
      <DataTable caption={`Errors in ${run.filename} (row 1 is the header row)`}>
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {run.errors.map((e, i) => (
            <tr key={`${e.row}-${e.column}-${i}`}>
              <td>{e.row}</td>
              <td>
                <code>{e.column}</code>
              </td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {run.errorCount > run.errors.length && (
        <p>
          The first {formatNumber(run.errors.length)} of {formatNumber(run.errorCount)} errors are shown. The
          <code> civiccert import --dry-run</code> command lists them all.
        </p>
      )}
    </>
  );
}

function DryRunResult({ run }: { run: ImportRun }) {
  if (run.status === 'validated')
    return (
      <Alert type="success" headingLevel="h2" heading="No errors: ready to import" slim={false}>
        All {plural(run.totalRows, 'row')} of {run.filename} are valid. Importing will add or change:
        <Counts run={run} />
      </Alert>
    );
  return (
    <>
      <Alert
        type="error"
        headingLevel="h2"
        heading={`${plural(run.errorCount, 'error')}: nothing was imported`}
      >
        {run.errors.length > 0
          ? 'Correct the rows below in your spreadsheet, save it, then choose the corrected file and check it again.'
          : run.message}
      </Alert>
      {run.errors.length > 0 && <ErrorTable run={run} />}
    </>
  );
}

function ImportProgress({ runId }: { runId: string }) {
  const client = useQueryClient();
  const run = useQuery({
    queryKey: ['import', runId],
    queryFn: () => api.get<ImportRun>(`/api/imports/${runId}`),
    refetchInterval: (q) => (q.state.data && finished(q.state.data) ? false : 500),
  });
  const r = run.data;
  if (run.error) return <ErrorAlert error={run.error} />;
  if (!r) return <p>Starting the import…</p>;
  if (finished(r)) void client.invalidateQueries({ queryKey: ['imports'] });
  return (
    <section aria-labelledby="progress-heading" className="margin-top-3">
      <h2 id="progress-heading">Import of {r.filename}</h2>
      <label htmlFor="import-progress" className="usa-label">
        Progress
      </label>
      <progress id="import-progress" className="import-progress" max={100} value={r.percent}>
        {r.percent}%
      </progress>
      <p aria-live="polite" data-testid="import-progress-text">
        {r.status === 'succeeded'
          ? `100% done: ${formatNumber(r.totalRows)} rows imported.`
          : finished(r)
            ? 'The import stopped.'
            : `${r.percent}% done (${formatNumber(r.processedRows)} of ${formatNumber(r.totalRows)} rows).`}
      </p>
      {r.status === 'succeeded' && (
        <Alert type="success" headingLevel="h3" heading="Import complete">
          All rows of the file were imported:
          <Counts run={r} />
        </Alert>
      )}
      {(r.status === 'failed' || r.status === 'invalid') && (
        <>
          <Alert type="error" headingLevel="h3" heading="Nothing was imported">
            {r.message}
          </Alert>
          {r.errors.length > 0 && <ErrorTable run={r} />}
        </>
      )}
    </section>
  );
}

function RecentImports() {
  const q = useQuery({
    queryKey: ['imports'],
    queryFn: () => api.get<{ items: ImportRun[] }>('/api/imports'),
  });
  if (!q.data?.items.length) return null;
  return (
    <section aria-labelledby="recent-heading" className="margin-top-5">
      <h2 id="recent-heading">Recent imports and checks</h2>
      <DataTable caption="The latest 20 imports and dry runs">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">File</th>
            <th scope="col">Kind</th>
            <th scope="col">Result</th>
            <th scope="col">Rows</th>
            <th scope="col">New</th>
            <th scope="col">Changed</th>
            <th scope="col">Unchanged</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {q.data.items.map((r) => (
            <tr key={r.id}>
              <td>{formatDateTime(r.startedAt, browserZone)}</td>
              <td>{r.filename}</td>
              <td>{kindLabels[r.kind]}</td>
              <td>
                {statusLabels[r.status]}
                {/* A run stopped without row errors: say why, never "errors found" and 0 errors alone. */}
                {(r.status === 'invalid' || r.status === 'failed') && r.errorCount === 0 && r.message && (
                  <span className="display-block text-base-dark">{r.message}</span>
                )}
              </td>
              <td>{formatNumber(r.totalRows)}</td>
              <td>{formatNumber(r.created)}</td>
              <td>{formatNumber(r.updated)}</td>
              <td>{formatNumber(r.unchanged)}</td>
              <td>{formatNumber(r.errorCount)}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </section>
  );
}

export function ImportsPage() {
  const [kind, setKind] = useState<ImportKind>('officials');
  const [programId, setProgramId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const [checked, setChecked] = useState<ImportRun | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const client = useQueryClient();
  const programs = useQuery({
    queryKey: ['programs'],
    queryFn: () => api.get<{ items: ProgramSummary[] }>('/api/programs'),
  });
  const check = useMutation({
    mutationFn: () => {
      if (!file) throw new ApiError(400, null, 'Choose a .csv or .xlsx file.');
      if (file.size > MAX_IMPORT_BYTES)
        throw new ApiError(413, null, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
      return uploadImport({ kind, programId, file, dryRun: true });
    },
    onMutate: () => {
      setChecked(null);
      setRunId(null);
    },
    onSuccess: (run) => {
      setChecked(run);
      void client.invalidateQueries({ queryKey: ['imports'] });
    },
  });
  const start = useMutation({
    mutationFn: () => uploadImport({ kind, programId, file: file!, dryRun: false }),
    onSuccess: (run) => {
      setRunId(run.id);
      setChecked(null);
    },
  });
  const reset = () => {
    setChecked(null);
    setRunId(null);
    check.reset();
    start.reset();
  };
  const fileError =
    check.error instanceof ApiError ? (check.error.fieldErrors.file ?? check.error.message) : undefined;
  const columns = importColumns[kind];
  return (
    <Page
      title="Import from a spreadsheet"
      lead="Bring in officials, their attendance and credit history, past awards, and the facts the rules use (taking office, exams, waivers) from a CSV or Excel (.xlsx) file. Every file is checked first; nothing is written until the whole file is valid."
    >
      <form
        className="usa-form usa-form--large"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          check.mutate();
        }}
      >
        <SelectField
          id="import-kind"
          label="What does the file hold?"
          required
          value={kind}
          onChange={(v) => {
            setKind(v as ImportKind);
            reset();
          }}
        >
          {importKinds.map((k) => (
            <option key={k} value={k}>
              {kindLabels[k]}
            </option>
          ))}
        </SelectField>
        {kind !== 'officials' && (
          <SelectField
            id="import-program"
            label="Program"
            hint="Used for rows whose program column is empty."
            value={programId}
            onChange={(v) => {
              setProgramId(v);
              reset();
            }}
          >
            <option value="">- Named in each row -</option>
            {(programs.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
        )}
        <FormGroup error={!!fileError}>
          <Label htmlFor="import-file" error={!!fileError} requiredMarker>
            File
          </Label>
          <div className="usa-hint" id="import-file-hint">
            A .csv or .xlsx file of at most {MAX_IMPORT_BYTES / 1024 / 1024} MB, with a header row. Larger
            files: use <code>civiccert import</code>.
          </div>
          {fileError && <ErrorMessage id="import-file-error">{fileError}</ErrorMessage>}
          <FileInput
            key={fileKey}
            id="import-file"
            name="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={`import-file-hint${fileError ? ' import-file-error' : ''}`}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              reset();
            }}
          />
        </FormGroup>
        <Button type="submit" disabled={check.isPending || !!runId}>
          {check.isPending ? 'Checking…' : 'Check the file'}
        </Button>
      </form>

      <div aria-live="polite">{checked && <DryRunResult run={checked} />}</div>
      {checked?.status === 'validated' && (
        <>
          <Button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
            Import {plural(checked.totalRows, 'row')}
          </Button>
          {start.error && <ErrorAlert error={start.error} />}
        </>
      )}
      {runId && (
        <>
          <ImportProgress runId={runId} />
          <Button
            type="button"
            outline
            onClick={() => {
              reset();
              setFile(null);
              setFileKey((k) => k + 1);
            }}
          >
            Import another file
          </Button>
        </>
      )}

      <section aria-labelledby="columns-heading" className="margin-top-5">
        <h2 id="columns-heading">File format: {kindLabels[kind].toLowerCase()}</h2>
        <p>
          Columns may come in any order; header names are not case-sensitive. A column not listed here is an
          error. An export of the same kind (<code>civiccert export {kind} FILE</code>) writes exactly this
          format.
        </p>
        <DataTable caption={`Columns for ${kindLabels[kind].toLowerCase()}`}>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Required</th>
              <th scope="col">What it holds</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.name}>
                <td>
                  <code>{c.name}</code>
                </td>
                <td>{c.required ? 'Yes' : 'No'}</td>
                <td>{c.description}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </section>
      <RecentImports />
    </Page>
  );
}
