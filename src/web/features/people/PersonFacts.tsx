/**
 * Person facts on the person page: the taking-office date and other dated
 * facts, exam results, waivers and provisional approvals, deadline extensions
 * and attestations that a program measures an official by. Staff record each
 * with a reason and withdraw it with a reason (it stays as history); every
 * change re-evaluates the official's status at once.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { z } from 'zod';
import type { factOptionsSchema, PersonFactDto } from '../../../contract/facts';
import { api } from '../../api';
import {
  ErrorSummary,
  RequiredNote,
  SelectField,
  TextField,
  type FieldErrors,
  formErrors,
  TextareaField,
} from '../../components/Form';
import { Loading } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { formatDate, browserZone, formatDateTime } from '../../format';

type Options = z.infer<typeof factOptionsSchema>;
type Kind = PersonFactDto['kind'];

export const factKindWords: Record<Kind, string> = {
  date: 'Dated fact (such as taking office)',
  exam: 'Exam result',
  waiver: 'Waiver',
  provisional: 'Provisional approval',
  extension: 'Deadline extension',
  attestation: 'Attestation',
};

/** One fact as a sentence: "Election law exam: score 82 on Sep 1, 2026". */
export function factSentence(f: {
  kind: Kind;
  label: string;
  date: string;
  score: number | null;
  until: string | null;
}): string {
  const on = formatDate(f.date);
  const until = f.until ? formatDate(f.until) : null;
  switch (f.kind) {
    case 'date':
      return `${f.label}: ${on}`;
    case 'exam':
      return `${f.label}: score ${f.score ?? ''} on ${on}`;
    case 'waiver':
      return `${f.label}: waived on ${on}${until ? `, until ${until}` : ''}`;
    case 'provisional':
      return `${f.label}: provisionally approved on ${on}${until ? `, until ${until}` : ''}`;
    case 'extension':
      return `${f.label}: deadline extended to ${until ?? ''} (granted ${on})`;
    case 'attestation':
      return `${f.label}: signed on ${on}`;
  }
}

function targetsOf(o: Options | undefined, kind: Kind) {
  if (!o) return [];
  if (kind === 'date') return o.dates;
  if (kind === 'exam') return o.exams;
  if (kind === 'extension') return o.deadlines;
  if (kind === 'attestation') return o.attestations;
  return o.requirements;
}

const dateLabels: Record<Kind, [label: string, hint: string]> = {
  date: ['Date', 'The day of the fact, like 2026-07-01 for taking office on July 1.'],
  exam: ['Date of the exam', 'Like 2026-09-01.'],
  waiver: ['Date granted', 'Like 2026-09-10.'],
  provisional: ['Date granted', 'Like 2026-09-10.'],
  extension: ['Date granted', 'Like 2026-09-10.'],
  attestation: ['Date signed', 'Like 2026-09-02.'],
};

function RecordFactForm({ personId, options }: { personId: string; options: Options[] }) {
  const queryClient = useQueryClient();
  const [programId, setProgramId] = useState(options[0]?.program.id ?? '');
  const [kind, setKind] = useState<Kind>('date');
  const [key, setKey] = useState('');
  const [date, setDate] = useState('');
  const [score, setScore] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const program = options.find((o) => o.program.id === programId);
  const targets = targetsOf(program, kind);
  const save = useMutation({
    mutationFn: () =>
      api.post<PersonFactDto>(`/api/people/${personId}/facts`, {
        programId,
        kind,
        key,
        date: date.trim(),
        ...(kind === 'exam' ? { score: Number(score) } : {}),
        ...(['waiver', 'provisional', 'extension'].includes(kind) && until.trim()
          ? { until: until.trim() }
          : {}),
        reason: reason.trim(),
      }),
    onSuccess: async () => {
      setKey('');
      setDate('');
      setScore('');
      setUntil('');
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['facts', personId] });
      await queryClient.invalidateQueries({ queryKey: ['progress', personId] });
    },
    onError: () => setAttempt((a) => a + 1),
  });
  const errors = { ...formErrors(save.error), ...local };
  const fields = {
    programId: { id: 'fact-program', label: 'Program' },
    kind: { id: 'fact-kind', label: 'Kind of fact' },
    key: { id: 'fact-key', label: 'What it is about' },
    date: { id: 'fact-date', label: dateLabels[kind][0] },
    score: { id: 'fact-score', label: 'Score' },
    until: { id: 'fact-until', label: kind === 'extension' ? 'New deadline' : 'Ends on' },
    reason: { id: 'fact-reason', label: 'Reason' },
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!programId) found.programId = 'Choose the program this fact is for.';
    if (!key) found.key = 'Choose what the fact is about.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) found.date = 'Enter the date like 2026-07-01.';
    if (kind === 'exam' && !/^\d+(\.\d{1,2})?$/.test(score.trim())) found.score = 'Enter the score, like 82.';
    if (kind === 'extension' && !/^\d{4}-\d{2}-\d{2}$/.test(until.trim()))
      found.until = 'Enter the new deadline like 2027-03-01.';
    if (
      (kind === 'waiver' || kind === 'provisional') &&
      until.trim() &&
      !/^\d{4}-\d{2}-\d{2}$/.test(until.trim())
    )
      found.until = 'Enter the end date like 2027-03-01, or leave it empty.';
    if (!reason.trim()) found.reason = 'Give the reason, for example the letter or form it comes from.';
    setLocal(found);
    if (Object.keys(found).length) {
      setAttempt((a) => a + 1);
      return;
    }
    save.mutate();
  };
  return (
    <form
      className="usa-form usa-form--large"
      onSubmit={submit}
      noValidate
      aria-labelledby="record-fact-heading"
    >
      <h3 id="record-fact-heading">Record a fact</h3>
      {save.isSuccess && (
        <Alert type="success" headingLevel="h4" slim role="status">
          Recorded: {factSentence(save.data)}. Their status was re-evaluated;{' '}
          <Link to={`/people/${personId}/progress`}>see their progress</Link>.
        </Alert>
      )}
      <ErrorSummary error={save.error} fieldErrors={errors} fields={fields} attempt={attempt} />
      <RequiredNote />
      {options.length > 1 && (
        <SelectField
          id="fact-program"
          label="Program"
          required
          value={programId}
          onChange={(v) => {
            setProgramId(v);
            setKey('');
          }}
          error={errors.programId}
        >
          {options.map((o) => (
            <option key={o.program.id} value={o.program.id}>
              {o.program.name}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField
        id="fact-kind"
        label="Kind of fact"
        required
        value={kind}
        onChange={(v) => {
          setKind(v as Kind);
          setKey('');
        }}
        error={errors.kind}
      >
        {(Object.keys(factKindWords) as Kind[]).map((k) => (
          <option key={k} value={k}>
            {factKindWords[k]}
          </option>
        ))}
      </SelectField>
      <SelectField
        id="fact-key"
        label="What it is about"
        required
        hint={
          targets.length === 0
            ? `${program?.program.name ?? 'This program'} has nothing of this kind.`
            : kind === 'waiver' || kind === 'provisional'
              ? 'A waiver on a deadline suspends the date only: the training is still owed.'
              : undefined
        }
        value={key}
        onChange={setKey}
        error={errors.key}
      >
        <option value="">- Choose -</option>
        {targets.map((t) => (
          <option key={t.key} value={t.key}>
            {t.label}
          </option>
        ))}
      </SelectField>
      <TextField
        id="fact-date"
        label={dateLabels[kind][0]}
        hint={dateLabels[kind][1]}
        required
        value={date}
        onChange={setDate}
        error={errors.date}
      />
      {kind === 'exam' && (
        <TextField
          id="fact-score"
          label="Score"
          required
          value={score}
          onChange={setScore}
          error={errors.score}
        />
      )}
      {(kind === 'waiver' || kind === 'provisional' || kind === 'extension') && (
        <TextField
          id="fact-until"
          label={kind === 'extension' ? 'New deadline' : 'Ends on'}
          hint={
            kind === 'extension' ? 'Like 2027-03-01.' : 'Optional. Like 2027-03-01; empty if it does not end.'
          }
          required={kind === 'extension'}
          value={until}
          onChange={setUntil}
          error={errors.until}
        />
      )}
      <TextareaField
        id="fact-reason"
        name="reason"
        label="Reason"
        required
        hint="Where it comes from, for example “Oath of office filed with the county, July 1” or “Medical leave, doctor’s note on file”. Kept in the audit log and shown to the official."
        error={errors.reason}
        value={reason}
        maxLength={1000}
        onChange={setReason}
      />
      <Button type="submit" disabled={save.isPending}>
        Record the fact
      </Button>
    </form>
  );
}

function WithdrawFact({ fact, onClose }: { fact: PersonFactDto; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string | undefined>();
  const withdraw = useMutation({
    mutationFn: () => api.post(`/api/person-facts/${fact.id}/withdraw`, { reason: reason.trim() }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['facts', fact.personId] });
      await queryClient.invalidateQueries({ queryKey: ['progress', fact.personId] });
      onClose();
    },
  });
  const error = local ?? formErrors(withdraw.error).reason;
  const id = `withdraw-${fact.id}`;
  return (
    <form
      className="margin-top-1"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) return setLocal('Give the reason for withdrawing it.');
        setLocal(undefined);
        withdraw.mutate();
      }}
    >
      {withdraw.error && !error && <ErrorAlert error={withdraw.error} />}
      <TextareaField
        id={id}
        name="reason"
        label={<>Why withdraw “{fact.label}”?</>}
        required
        error={error}
        value={reason}
        maxLength={1000}
        onChange={setReason}
      />
      <Button type="submit" secondary disabled={withdraw.isPending}>
        Withdraw it
      </Button>
      <Button type="button" unstyled onClick={onClose}>
        Cancel
      </Button>
    </form>
  );
}

/** The person page's section: current facts, withdrawn ones as history, and the form to record one. */
export function PersonFactsSection({
  personId,
  canRecord,
  canWithdraw,
}: {
  personId: string;
  canRecord: boolean;
  canWithdraw: boolean;
}) {
  const facts = useQuery({
    queryKey: ['facts', personId],
    queryFn: () => api.get<{ items: PersonFactDto[]; options: Options[] }>(`/api/people/${personId}/facts`),
  });
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const current = facts.data?.items.filter((f) => !f.withdrawnAt) ?? [];
  const withdrawn = facts.data?.items.filter((f) => f.withdrawnAt) ?? [];
  const programs = new Set(facts.data?.items.map((f) => f.program.id));
  return (
    <section aria-labelledby="facts-heading" className="margin-top-4">
      <h2 id="facts-heading">Facts the rules use</h2>
      <p className="usa-hint">
        Taking office, exam results, waivers, deadline extensions and attestations. Each is kept with its
        reason, and a change re-evaluates their status at once.
      </p>
      {facts.isPending && <Loading what="facts" />}
      {facts.isError && <ErrorAlert error={facts.error} />}
      {facts.data && current.length === 0 && <p>Nothing is recorded yet.</p>}
      {current.length > 0 && (
        <DataTable caption="Current facts">
          <thead>
            <tr>
              {programs.size > 1 && <th scope="col">Program</th>}
              <th scope="col">Fact</th>
              <th scope="col">Reason</th>
              <th scope="col">Recorded</th>
              {canWithdraw && (
                <th scope="col">
                  <span className="usa-sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {current.map((f) => (
              <tr key={f.id}>
                {programs.size > 1 && <td>{f.program.name}</td>}
                <th scope="row">
                  <span className="text-base-dark">{factKindWords[f.kind]}.</span> {factSentence(f)}
                </th>
                <td>{f.reason}</td>
                <td>
                  {formatDateTime(f.recordedAt, browserZone)}
                  {f.recordedBy ? ` by ${f.recordedBy}` : ''}
                </td>
                {canWithdraw && (
                  <td>
                    {withdrawing === f.id ? (
                      <WithdrawFact fact={f} onClose={() => setWithdrawing(null)} />
                    ) : (
                      <Button type="button" unstyled onClick={() => setWithdrawing(f.id)}>
                        Withdraw<span className="usa-sr-only">: {factSentence(f)}</span>
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {withdrawn.length > 0 && (
        <details className="margin-top-2">
          <summary>Withdrawn facts ({withdrawn.length})</summary>
          <ul className="usa-list">
            {withdrawn.map((f) => (
              <li key={f.id}>
                {factSentence(f)}. Withdrawn {formatDateTime(f.withdrawnAt, browserZone)}
                {f.withdrawnBy ? ` by ${f.withdrawnBy}` : ''}: {f.withdrawnReason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {canRecord && facts.data && facts.data.options.length > 0 && (
        <RecordFactForm personId={personId} options={facts.data.options} />
      )}
      {canRecord && facts.data && facts.data.options.length === 0 && (
        <p>Enroll them in a program to record facts for it.</p>
      )}
    </section>
  );
}
