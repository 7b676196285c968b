import { useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { z } from 'zod';
import type {
  issuedTranscriptSchema,
  TranscriptDto,
  transcriptVerificationSchema,
} from '../../../contract/transcripts';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { DataTable } from '../../components/Table';
import { formatDate, browserZone, formatDateTime, formatNumber } from '../../format';
import { WalletCode } from '../awards/WalletCode';

type Issued = z.infer<typeof issuedTranscriptSchema>;
type Verification = z.infer<typeof transcriptVerificationSchema>;

const n = (v: number) => formatNumber(Math.round(v * 100) / 100);

function ProgramRecord({ p, personId }: { p: TranscriptDto['programs'][number]; personId?: string }) {
  return (
    <section className="margin-bottom-5" aria-labelledby={`program-${p.program.id}`}>
      <h2 id={`program-${p.program.id}`}>{p.program.name}</h2>
      <p>{p.headline}</p>
      <p>
        <strong>
          Total approved: {n(p.totalApproved)} {p.unit}
        </strong>
        {p.totalPending > 0 && (
          <>
            {' '}
            · waiting for review: {n(p.totalPending)} {p.unit}
          </>
        )}
      </p>
      {personId && (p.totalApproved > 0 || p.status === 'certified' || p.status === 'renewal_due') && (
        <p>
          <a
            className="usa-button usa-button--outline"
            href={`/api/people/${personId}/transcript/programs/${p.program.id}/credential`}
            download
          >
            Download this record as a CLR 2.0 credential (JSON)
          </a>
        </p>
      )}
      {personId && (p.totalApproved > 0 || p.status === 'certified' || p.status === 'renewal_due') && (
        <WalletCode
          offerPath={`/api/people/${personId}/transcript/programs/${p.program.id}/credential-offers`}
          what={`your ${p.program.name} record`}
        />
      )}
      {p.totals.length > 0 && (
        <DataTable caption={`Totals per category, ${p.program.name}`}>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">{p.unit}</th>
            </tr>
          </thead>
          <tbody>
            {p.totals.map((t) => (
              <tr key={t.category}>
                <th scope="row">{t.name}</th>
                <td>{n(t.amount)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {p.requirements.length > 0 && (
        <DataTable caption={`Requirements, ${p.program.name}`}>
          <thead>
            <tr>
              <th scope="col">Requirement</th>
              <th scope="col">Have</th>
              <th scope="col">Need</th>
              <th scope="col">Met</th>
            </tr>
          </thead>
          <tbody>
            {p.requirements.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.title}</th>
                <td>{n(r.have)}</td>
                <td>{n(r.need)}</td>
                <td>{r.met ? 'Yes' : 'Not yet'}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {[
        {
          title: 'Sessions attended',
          rows: p.sessions.map((s) => [s.date, s.title, s.category, n(s.amount)]),
        },
        {
          title: 'Approved outside credit',
          rows: p.outside.map((s) => [s.date, `${s.title} (${s.source})`, s.category, n(s.amount)]),
        },
        {
          title: 'Claims not yet counted',
          rows: p.pending.map((s) => [s.date, `${s.title} (${s.status})`, s.category, n(s.hours)]),
        },
      ]
        .filter((s) => s.rows.length > 0)
        .map((s) => (
          <DataTable key={s.title} caption={`${s.title}, ${p.program.name}`}>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Activity</th>
                <th scope="col">Category</th>
                <th scope="col">{p.unit}</th>
              </tr>
            </thead>
            <tbody>
              {s.rows.map((r, i) => (
                <tr key={i}>
                  <td>{formatDate(r[0])}</td>
                  <th scope="row">{r[1]}</th>
                  <td>{r[2]}</td>
                  <td>{r[3]}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        ))}
    </section>
  );
}

/** The official's whole record, and official PDF transcripts to download. */
export function TranscriptPage() {
  const client = useQueryClient();
  const transcript = useQuery({
    queryKey: ['my-transcript'],
    queryFn: () => api.get<TranscriptDto>('/api/me/transcript'),
  });
  const issued = useQuery({
    queryKey: ['my-transcripts'],
    queryFn: () => api.get<{ items: Issued[] }>('/api/me/transcripts'),
  });
  const issue = useMutation({
    mutationFn: () => api.post<Issued>('/api/me/transcripts'),
    onSuccess: () => client.invalidateQueries({ queryKey: ['my-transcripts'] }),
  });
  const latest = issue.data ?? issued.data?.items[0];
  return (
    <Page title="My transcript" lead="Everything on your record across programs.">
      <h2>Official transcript</h2>
      <p>An official transcript is a PDF with a verification code and a QR code anyone can check.</p>
      {issue.error && <ErrorAlert error={issue.error} />}
      <Button type="button" onClick={() => issue.mutate()} disabled={issue.isPending}>
        {issue.isPending ? 'Preparing…' : 'Issue an official transcript'}
      </Button>
      {latest && (
        <Alert
          type="success"
          headingLevel="h3"
          heading="Your transcript is ready"
          role="status"
          className="margin-top-2"
        >
          Issued {formatDateTime(latest.issuedAt, browserZone)}, verification code{' '}
          <strong>{latest.code}</strong>.{' '}
          <a href={latest.pdfUrl} download={`transcript-${latest.code}.pdf`}>
            Download the transcript PDF
          </a>
        </Alert>
      )}
      {transcript.isPending && <Loading what="your record" />}
      {transcript.error && <ErrorAlert error={transcript.error} />}
      {transcript.data && transcript.data.programs.length === 0 && (
        <p>You are not enrolled in any program yet.</p>
      )}
      {transcript.data?.programs.map((p) => (
        <ProgramRecord key={p.program.id} p={p} personId={transcript.data?.person.id} />
      ))}
    </Page>
  );
}

/** Public: anyone with the code (or the QR link) can confirm a transcript. */
export function VerifyTranscriptPage() {
  const { code = '' } = useParams();
  const result = useQuery({
    queryKey: ['verify-transcript', code],
    queryFn: () => api.get<Verification>(`/api/verify/transcript/${encodeURIComponent(code)}`),
    retry: false,
  });
  return (
    <Page title="Transcript verification">
      {result.isPending && <Loading what="the transcript" />}
      {result.error && (
        <Alert type="error" headingLevel="h2" heading="Not verified">
          {result.error instanceof ApiError && result.error.status === 404
            ? 'No transcript has this verification code. Check the code on the transcript.'
            : result.error.message}
        </Alert>
      )}
      {result.data && (
        <>
          <Alert type="success" headingLevel="h2" heading="This transcript is authentic">
            Issued by {result.data.issuedBy} on {formatDate(result.data.issuedAt)} to {result.data.name}.
          </Alert>
          <dl className="margin-top-3">
            <dt>Verification code</dt>
            <dd>{result.data.code}</dd>
            <dt>Record as of</dt>
            <dd>{formatDate(result.data.asOf)}</dd>
          </dl>
          {result.data.programs.map((p) => (
            <section key={p.name} aria-label={p.name}>
              <h2>{p.name}</h2>
              <p>
                Issuing body: {p.issuingBody}. Total approved: {n(p.totalApproved)} {p.unit}.
              </p>
              {p.totals.length > 0 && (
                <ul className="usa-list">
                  {p.totals.map((t) => (
                    <li key={t.category}>
                      {t.name}: {n(t.amount)}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
    </Page>
  );
}
