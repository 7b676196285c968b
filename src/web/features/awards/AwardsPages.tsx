import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Alert } from '../../components/Alert';
import type { z } from 'zod';
import type {
  AwardDto,
  awardsSummary,
  bulkAwardResult,
  eligibleList,
  myCertification,
  renewalItem,
  verificationItem,
} from '../../../contract/awards';
import { api, qs, type Paged } from '../../api';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { DataTable, Pager, ResultCount, usePageParam } from '../../components/Table';
import { formatDate, formatNumber } from '../../format';
import { ExportLinks } from '../../components/ExportLinks';
import { QrCode } from '../../components/QrCode';
import { plaqueStateLabels } from '../../../domain/ceremonies';
import { checkLabels } from '../../../domain/credentials/check';
import type { credentialCheckResult } from '../../../contract/credentials';
import { EventDocumentLinks } from './EventPage';
import { WalletCode } from './WalletCode';
import type { Plan } from '../../../contract/planning';
import { PlanTimeline } from '../progress/PlanTimeline';

type Verification = z.infer<typeof verificationItem>;
type Renewal = z.infer<typeof renewalItem>;
type Summary = z.infer<typeof awardsSummary>;
type Mine = z.infer<typeof myCertification>;
type Bulk = z.infer<typeof bulkAwardResult>;
type EventSummary = { id: string; title: string; kind: string; day: string | null };

export const statusLabels: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  eligible: 'Eligible',
  certified: 'Active',
  active: 'Active',
  renewal_due: 'Renewal due',
  lapsed: 'Lapsed',
  expired: 'Expired',
  revoked: 'Revoked',
};

const ELIGIBLE_PAGE = 50;

/** Administrators: officials who met a program's requirements, awarded one at a time or together at an event. */
export function EligiblePage() {
  const client = useQueryClient();
  // One page at a time (issue 14: thousands may be waiting at once); choices survive paging.
  const page = usePageParam();
  const list = useQuery({
    queryKey: ['awards-eligible', page],
    queryFn: () =>
      api.get<z.infer<typeof eligibleList>>(`/api/awards/eligible${qs({ page, pageSize: ELIGIBLE_PAGE })}`),
  });
  const events = useQuery({
    queryKey: ['events-for-awards'],
    queryFn: () => api.get<{ items: EventSummary[] }>('/api/events?pageSize=200'),
  });
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [eventId, setEventId] = useState('');
  // Awards attach to a ceremony or conference that has happened or is today in its program's
  // zone; the server says which those are.
  const awardingEvents = (events.data?.items ?? []).filter((ev) => ev.kind !== 'class');
  const open = list.data?.events ?? [];
  const award = useMutation({
    mutationFn: async () => {
      const byProgram = new Map<string, string[]>();
      for (const key of chosen) {
        const [programId, personId] = key.split('|') as [string, string];
        byProgram.set(programId, [...(byProgram.get(programId) ?? []), personId]);
      }
      const results: Bulk[] = [];
      for (const [programId, personIds] of byProgram) {
        if (eventId)
          results.push(await api.post<Bulk>('/api/awards/bulk', { programId, eventId, personIds }));
        else
          for (const personId of personIds)
            results.push({
              awarded: [await api.post<AwardDto>('/api/awards', { programId, personId })],
              refused: [],
            });
      }
      return {
        awarded: results.flatMap((r) => r.awarded),
        refused: results.flatMap((r) => r.refused),
      };
    },
    onSuccess: () => {
      setChosen(new Set());
      void client.invalidateQueries({ queryKey: ['awards-eligible'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    award.mutate();
  };
  const items = list.data?.items ?? [];
  return (
    <Page
      title="Eligible for award"
      lead="Officials who have met every requirement and are waiting for their award."
    >
      {list.isPending && <Loading what="eligible officials" />}
      {list.error && <ErrorAlert error={list.error} />}
      {award.error && <ErrorAlert error={award.error} />}
      {award.data && (
        <Alert type="success" headingLevel="h2" heading="Awards made" role="status">
          {award.data.awarded.length} awarded:{' '}
          {award.data.awarded.map((a, i) => (
            <span key={a.id}>
              {i > 0 && ', '}
              <Link to={`/awards/${a.id}`}>
                {a.person.displayName} ({a.certificateNumber})
              </Link>
            </span>
          ))}
          .
          {award.data.refused.map((r) => (
            <span key={r.personId}> Not awarded: {r.reason}</span>
          ))}
        </Alert>
      )}
      {list.data && items.length === 0 && <p>Nobody is waiting for an award.</p>}
      {items.length > 0 && (
        <ExportLinks href="/api/awards/eligible/export" what="the officials eligible for award" />
      )}
      {list.data && items.length > 0 && (
        <ResultCount
          page={list.data.page.page}
          pageSize={list.data.page.pageSize}
          total={list.data.page.total}
          noun="officials eligible for award"
        />
      )}
      {items.length > 0 && (
        <form onSubmit={submit} className="usa-form maxw-none">
          <DataTable stacked caption="Officials eligible for award">
            <thead>
              <tr>
                <th scope="col">Award</th>
                <th scope="col">Official</th>
                <th scope="col">County</th>
                <th scope="col">Designation</th>
                <th scope="col">Requirements met</th>
                <th scope="col">Ceremony</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => {
                const key = `${i.program.id}|${i.person.id}`;
                const id = `choose-${i.person.id}-${i.program.id}`;
                return (
                  <tr key={key}>
                    <td>
                      <div className="usa-checkbox">
                        <input
                          className="usa-checkbox__input"
                          type="checkbox"
                          id={id}
                          checked={chosen.has(key)}
                          onChange={(e) => {
                            const next = new Set(chosen);
                            if (e.target.checked) next.add(key);
                            else next.delete(key);
                            setChosen(next);
                          }}
                        />
                        <label className="usa-checkbox__label" htmlFor={id}>
                          Award<span className="usa-sr-only"> {i.person.displayName}</span>
                        </label>
                      </div>
                    </td>
                    <th scope="row">{i.person.displayName}</th>
                    <td>{i.person.county ?? '—'}</td>
                    <td>{i.program.designation}</td>
                    <td>{formatDate(i.eligibleOn)}</td>
                    <td>
                      {i.ceremony ?? 'Next ceremony'} {i.awardYear}
                      {i.applyBy && <div className="usa-hint">Applications by {formatDate(i.applyBy)}</div>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </DataTable>
          {list.data && (
            <Pager
              page={list.data.page.page}
              pageSize={list.data.page.pageSize}
              total={list.data.page.total}
              label="officials eligible for award"
            />
          )}
          <label className="usa-label" htmlFor="award-event">
            Event (for example the Year Three recognition ceremony)
          </label>
          <select
            className="usa-select"
            id="award-event"
            value={eventId}
            onChange={(e) => setEventId(e.target.value)}
          >
            <option value="">No event (award now)</option>
            {open.map((ev) => (
              <option key={ev.id} value={ev.id}>
                {ev.title}
              </option>
            ))}
          </select>
          <div className="usa-hint">
            Only recognition ceremonies and conferences that have taken place or take place today.
          </div>
          <Button type="submit" className="margin-top-2" disabled={chosen.size === 0 || award.isPending}>
            {award.isPending ? 'Awarding…' : `Award ${chosen.size} selected`}
          </Button>
        </form>
      )}
      {awardingEvents.length > 0 && (
        <>
          <h2>Ceremonies and conferences</h2>
          <ul className="usa-list" data-testid="ceremony-events">
            {awardingEvents.map((ev) => (
              <li key={ev.id}>
                <Link to={`/events/${ev.id}`}>{ev.title}</Link>
                {ev.day ? `, ${formatDate(ev.day)}` : ', no date yet'}
                <EventDocumentLinks event={ev} />
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="margin-top-4">
        <Link to="/renewals">Renewals coming due</Link>
      </p>
    </Page>
  );
}

/** One award: the certificate to download, and for administrators re-issue and revoke. */
export function AwardPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const navigate = useNavigate();
  const award = useQuery({ queryKey: ['award', id], queryFn: () => api.get<AwardDto>(`/api/awards/${id}`) });
  const [name, setName] = useState('');
  const [reissueReason, setReissueReason] = useState('');
  const [revokeReason, setRevokeReason] = useState('');
  const reissue = useMutation({
    mutationFn: () =>
      api.post<AwardDto>(`/api/awards/${id}/reissue`, { nameOnCertificate: name, reason: reissueReason }),
    onSuccess: (a) => navigate(`/awards/${a.id}`),
  });
  const revoke = useMutation({
    mutationFn: () => api.post<AwardDto>(`/api/awards/${id}/revoke`, { reason: revokeReason }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['award', id] }),
  });
  const a = award.data;
  return (
    <Page title={a ? `${a.designation}: ${a.nameOnCertificate}` : 'Award'}>
      {award.isPending && <Loading what="the award" />}
      {award.error && <ErrorAlert error={award.error} />}
      {a && (
        <>
          <dl>
            <dt>Status</dt>
            <dd>{statusLabels[a.status] ?? a.status}</dd>
            <dt>Certificate number</dt>
            <dd>{a.certificateNumber}</dd>
            <dt>Program</dt>
            <dd>
              {a.program.name} (version {a.programVersion})
            </dd>
            <dt>Awarded</dt>
            <dd>
              {formatDate(a.awardedOn)}
              {a.event && (
                <>
                  {' '}
                  at <Link to={`/events/${a.event.id}`}>{a.event.title}</Link>
                </>
              )}
            </dd>
            {a.plaque && (
              <>
                <dt>Plaque</dt>
                <dd>{plaqueStateLabels[a.plaque.state]}</dd>
              </>
            )}
            <dt>Certificate issued</dt>
            <dd>{formatDate(a.issuedOn)}</dd>
            <dt>Renewal due</dt>
            <dd>{a.expiresOn ? formatDate(a.expiresOn) : 'Does not expire'}</dd>
          </dl>
          {a.supersededById && (
            <Alert type="info" headingLevel="h2" heading="Replaced" slim>
              This certificate was replaced by{' '}
              <Link to={`/awards/${a.supersededById}`}>a newer certificate</Link>.
            </Alert>
          )}
          {a.revocation && (
            <Alert type="warning" headingLevel="h2" heading="Revoked">
              Revoked {formatDate(a.revocation.revokedOn)}: {a.revocation.reason}
            </Alert>
          )}
          <p>
            <a className="usa-button" href={`/api/awards/${a.id}/certificate`} download>
              Download the certificate (PDF)
            </a>
          </p>
          {a.abilities.credential && (
            <section aria-labelledby="credential-heading">
              <h2 id="credential-heading">Digital credential</h2>
              <p>
                The same certification as an Open Badges 3.0 verifiable credential, signed by the issuer. Keep
                it in a digital wallet or send it to an employer: anyone can check the signature and whether
                it is still in force without contacting the office.
              </p>
              <p>
                <a
                  className="usa-button usa-button--outline"
                  href={`/api/awards/${a.id}/credential`}
                  download
                >
                  Download the credential (JSON)
                </a>
              </p>
              {a.abilities.walletOffer && (
                <WalletCode
                  offerPath={`/api/awards/${a.id}/credential-offers`}
                  what="this award's credential"
                />
              )}
            </section>
          )}
          <p>
            Anyone can check it at <a href={a.verifyUrl}>{a.verifyUrl}</a>.
          </p>
          {a.linkedInUrl && (
            <section aria-labelledby="share-heading">
              <h2 id="share-heading">Show it</h2>
              <p>
                <a
                  className="usa-link usa-link--external"
                  href={a.linkedInUrl}
                  rel="noreferrer"
                  target="_blank"
                >
                  Add to LinkedIn profile
                </a>{' '}
                <span className="usa-hint">(opens LinkedIn with the certification filled in)</span>
              </p>
              <VerifyQr url={a.verifyUrl} />
            </section>
          )}
          {a.event && <EventDocumentLinks event={a.event} />}
          {!a.supersededById && (a.abilities.reissue || a.abilities.revoke) && (
            <AdminActions
              name={name}
              setName={setName}
              reissueReason={reissueReason}
              setReissueReason={setReissueReason}
              revokeReason={revokeReason}
              setRevokeReason={setRevokeReason}
              onReissue={() => reissue.mutate()}
              onRevoke={() => revoke.mutate()}
              errors={[reissue.error, revoke.error]}
            />
          )}
        </>
      )}
    </Page>
  );
}

function AdminActions(p: {
  name: string;
  setName: (v: string) => void;
  reissueReason: string;
  setReissueReason: (v: string) => void;
  revokeReason: string;
  setRevokeReason: (v: string) => void;
  onReissue: () => void;
  onRevoke: () => void;
  errors: unknown[];
}) {
  return (
    <>
      {p.errors.filter(Boolean).map((e, i) => (
        <ErrorAlert key={i} error={e} />
      ))}
      <form
        className="usa-form"
        onSubmit={(e) => {
          e.preventDefault();
          p.onReissue();
        }}
      >
        <fieldset className="usa-fieldset">
          <legend className="usa-legend usa-legend--large">Re-issue the certificate</legend>
          <p className="usa-hint">For example after a legal name change. The current certificate is kept.</p>
          <label className="usa-label" htmlFor="reissue-name">
            Name on the certificate
          </label>
          <input
            type="text"
            className="usa-input"
            id="reissue-name"
            value={p.name}
            onChange={(e) => p.setName(e.target.value)}
          />
          <label className="usa-label" htmlFor="reissue-reason">
            Reason
          </label>
          <input
            type="text"
            className="usa-input"
            id="reissue-reason"
            value={p.reissueReason}
            onChange={(e) => p.setReissueReason(e.target.value)}
          />
          <Button type="submit" className="margin-top-2">
            Re-issue
          </Button>
        </fieldset>
      </form>
      <form
        className="usa-form"
        onSubmit={(e) => {
          e.preventDefault();
          p.onRevoke();
        }}
      >
        <fieldset className="usa-fieldset">
          <legend className="usa-legend usa-legend--large">Revoke</legend>
          <label className="usa-label" htmlFor="revoke-reason">
            Reason (required)
          </label>
          <input
            type="text"
            className="usa-input"
            id="revoke-reason"
            value={p.revokeReason}
            onChange={(e) => p.setRevokeReason(e.target.value)}
          />
          <Button type="submit" secondary className="margin-top-2">
            Revoke
          </Button>
        </fieldset>
      </form>
    </>
  );
}

/** Public: look an official up by certificate number, or by name and county. No sign-in. */
/**
 * A QR code of the public verification address (ADR 0028): a phone or wallet that scans it opens
 * the page that checks the certificate; the address is also written out as its text alternative.
 */
function VerifyQr({ url }: { url: string }) {
  return (
    <figure className="margin-x-0">
      <QrCode value={url} alt={`QR code of the verification address ${url}`} />
      <figcaption className="usa-hint">Scan to open the verification page: {url}</figcaption>
    </figure>
  );
}

export function VerifyPage() {
  const { number = '' } = useParams();
  const [form, setForm] = useState({ certificateNumber: number, name: '', county: '' });
  const [query, setQuery] = useState(number ? { certificateNumber: number } : null);
  const result = useQuery({
    queryKey: ['verify', query],
    enabled: !!query,
    retry: false,
    queryFn: () => api.get<{ items: Verification[] }>(`/api/verify${qs(query ?? {})}`),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(
      form.certificateNumber
        ? { certificateNumber: form.certificateNumber }
        : ({ name: form.name, county: form.county } as never),
    );
  };
  return (
    <Page
      title="Verify a certification"
      lead="Check that an official holds a certification, and whether it is current."
    >
      <form className="usa-form" onSubmit={submit}>
        <label className="usa-label" htmlFor="verify-number">
          Certificate number
        </label>
        <input
          type="text"
          className="usa-input"
          id="verify-number"
          value={form.certificateNumber}
          onChange={(e) => setForm({ ...form, certificateNumber: e.target.value })}
        />
        <p className="usa-hint">Or search by name and county:</p>
        <label className="usa-label" htmlFor="verify-name">
          Name
        </label>
        <input
          type="text"
          className="usa-input"
          id="verify-name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <label className="usa-label" htmlFor="verify-county">
          County
        </label>
        <input
          type="text"
          className="usa-input"
          id="verify-county"
          value={form.county}
          onChange={(e) => setForm({ ...form, county: e.target.value })}
        />
        <Button type="submit" className="margin-top-2">
          Verify
        </Button>
      </form>
      {result.isFetching && <Loading what="the certification" />}
      {result.error && (
        <Alert type="error" headingLevel="h2" heading="Not found" className="margin-top-3">
          {/* A number no certificate has is a 404 whose message names the number. */}
          {result.error.message}
        </Alert>
      )}
      {result.data && result.data.items.length === 0 && (
        <p className="margin-top-3">No certification matches this name and county.</p>
      )}
      {result.data && result.data.items.length > 0 && (
        <DataTable caption="Certifications found">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">County</th>
              <th scope="col">Designation</th>
              <th scope="col">Status</th>
              <th scope="col">Awarded</th>
              <th scope="col">Renewal due</th>
              <th scope="col">Certificate</th>
            </tr>
          </thead>
          <tbody>
            {result.data.items.map((v) => (
              <tr key={v.certificateNumber}>
                <th scope="row">{v.name}</th>
                <td>{v.county ?? '—'}</td>
                <td>
                  {v.designation}
                  <div className="usa-hint">{v.issuingBody}</div>
                </td>
                <td>
                  <strong data-testid="verify-status">{v.statusLabel}</strong>
                </td>
                <td>{formatDate(v.awardedOn)}</td>
                <td>{v.expiresOn ? formatDate(v.expiresOn) : '—'}</td>
                <td>
                  {v.certificateNumber}
                  {v.supersededBy && <div className="usa-hint">Replaced by {v.supersededBy}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <CheckCredential />
    </Page>
  );
}

type CredentialCheck = z.infer<typeof credentialCheckResult>;
const findingLabels = { passed: 'Passed', failed: 'Failed', 'not-checked': 'Not checked' } as const;

/** A credential file (badge or CLR transcript), uploaded or pasted, checked by the server. */
function CheckCredential() {
  const [text, setText] = useState('');
  const check = useMutation({
    mutationFn: (credential: string) => api.post<CredentialCheck>('/api/verify/credential', { credential }),
  });
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const content = await file.text();
    setText(content);
    check.mutate(content);
  };
  const r = check.data;
  return (
    <section aria-labelledby="check-credential-heading" className="margin-top-5">
      <h2 id="check-credential-heading">Check a digital credential</h2>
      <p>
        Upload or paste a credential file (JSON) this office issued: a certification badge or a transcript. We
        check its signature, its issuer, whether it was revoked or has lapsed, and its dates.
      </p>
      <form
        className="usa-form"
        onSubmit={(e) => {
          e.preventDefault();
          check.mutate(text);
        }}
      >
        <label className="usa-label" htmlFor="credential-file">
          Credential file
        </label>
        <input
          className="usa-file-input"
          id="credential-file"
          type="file"
          accept=".json,application/json,application/ld+json"
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
        <label className="usa-label" htmlFor="credential-text">
          Or paste the credential
        </label>
        <textarea
          className="usa-textarea"
          id="credential-text"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Button type="submit" className="margin-top-2">
          Check the credential
        </Button>
      </form>
      {check.isPending && <Loading what="the check" />}
      {check.error && <ErrorAlert error={check.error} />}
      {r && (
        <div className="margin-top-3" data-testid="credential-check">
          <Alert
            type={r.valid ? 'success' : 'error'}
            headingLevel="h3"
            heading={r.valid ? 'Genuine and in force' : 'Does not verify'}
          >
            {r.summary}
          </Alert>
          {(r.name || r.issuerName) && (
            <p>
              {r.kind && <>A {r.kind}</>}
              {r.name && <>: {r.name}</>}
              {r.issuerName && <>, issued by {r.issuerName}</>}.
            </p>
          )}
          <DataTable caption="What was checked">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Result</th>
                <th scope="col">What we found</th>
              </tr>
            </thead>
            <tbody>
              {r.findings.map((f) => (
                <tr key={f.check}>
                  <th scope="row">{checkLabels[f.check]}</th>
                  <td>
                    <strong>{findingLabels[f.outcome]}</strong>
                  </td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </div>
      )}
    </section>
  );
}

/** Staff: counts by status and the renewals coming due. */
export function RenewalsPage() {
  const [within, setWithin] = useState(90);
  const summary = useQuery({
    queryKey: ['awards-summary'],
    queryFn: () => api.get<Summary>('/api/awards/summary'),
  });
  const [, setParams] = useSearchParams();
  const page = usePageParam();
  const due = useQuery({
    queryKey: ['renewals', within, page],
    queryFn: () => api.get<Paged<Renewal>>(`/api/renewals/due${qs({ withinDays: within, page })}`),
  });
  return (
    <Page title="Certifications and renewals">
      {summary.error && <ErrorAlert error={summary.error} />}
      {summary.data?.programs.map((p) => (
        <section key={p.program.id} aria-labelledby={`sum-${p.program.id}`}>
          <h2 id={`sum-${p.program.id}`}>{p.program.name}</h2>
          <ul className="usa-list">
            {Object.entries(p.counts).map(([k, v]) => (
              <li key={k}>
                {statusLabels[k] ?? k}: {formatNumber(v)}
              </li>
            ))}
            <li>Renewals due within 90 days: {formatNumber(p.renewalsDueWithin90Days)}</li>
          </ul>
        </section>
      ))}
      <h2>Renewals coming due</h2>
      <label className="usa-label" htmlFor="within">
        Due within (days)
      </label>
      <select
        className="usa-select"
        id="within"
        value={within}
        onChange={(e) => {
          setWithin(Number(e.target.value));
          // Another period starts at its first page.
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            next.delete('page');
            return next;
          });
        }}
      >
        {[30, 90, 180, 365].map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
      {due.isPending && <Loading what="renewals" />}
      {due.error && <ErrorAlert error={due.error} />}
      {due.data && due.data.items.length === 0 && <p>No renewals are due in this period.</p>}
      {due.data && due.data.items.length > 0 && (
        <ExportLinks
          href="/api/renewals/due/export"
          params={{ withinDays: within }}
          what="the renewals coming due"
        />
      )}
      {due.data && due.data.items.length > 0 && (
        <ResultCount
          page={due.data.page.page}
          pageSize={due.data.page.pageSize}
          total={due.data.page.total}
          noun="renewals coming due"
        />
      )}
      {due.data && due.data.items.length > 0 && (
        <DataTable caption="Renewals coming due">
          <thead>
            <tr>
              <th scope="col">Official</th>
              <th scope="col">Program</th>
              <th scope="col">Status</th>
              <th scope="col">Due</th>
              <th scope="col">Grace ends</th>
              <th scope="col">Missing</th>
            </tr>
          </thead>
          <tbody>
            {due.data.items.map((r) => (
              <tr key={r.awardId}>
                <th scope="row">
                  <Link to={`/awards/${r.awardId}`}>{r.person.displayName}</Link>
                </th>
                <td>{r.program.name}</td>
                <td>{statusLabels[r.status] ?? r.status}</td>
                <td>{formatDate(r.dueOn)}</td>
                <td>{formatDate(r.graceEndsOn)}</td>
                <td>{r.missing.join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {due.data && (
        <Pager
          page={due.data.page.page}
          pageSize={due.data.page.pageSize}
          total={due.data.page.total}
          label="renewals coming due"
        />
      )}
    </Page>
  );
}

/** The official's certification: a have/need chart per requirement and the plan of sessions to finish it. */
export function MyCertificationPage() {
  const mine = useQuery({
    queryKey: ['my-certification'],
    queryFn: () => api.get<Mine>('/api/me/certification'),
  });
  const plans = useQuery({ queryKey: ['my-plan'], queryFn: () => api.get<Plan>('/api/me/plan') });
  return (
    <Page title="My certification">
      {mine.isPending && <Loading what="your certification" />}
      {mine.error && <ErrorAlert error={mine.error} />}
      {mine.data?.programs.length === 0 && <p>You are not enrolled in any program yet.</p>}
      {mine.data?.programs.map((p) => (
        <section key={p.program.id} aria-labelledby={`cert-${p.program.id}`} className="margin-bottom-5">
          <h2 id={`cert-${p.program.id}`}>{p.program.name}</h2>
          <p>
            <strong>Status: {statusLabels[p.status] ?? p.status}.</strong> {p.headline}
          </p>
          {p.nextDue && <p>Next renewal due {formatDate(p.nextDue)}.</p>}
          <figure className="margin-x-0">
            <figcaption className="text-bold margin-bottom-1">
              Progress per requirement (have / need)
            </figcaption>
            <ul className="usa-list usa-list--unstyled">
              {p.requirements.map((r) => {
                const pct = r.need > 0 ? Math.min(100, Math.round((r.have / r.need) * 100)) : r.met ? 100 : 0;
                return (
                  <li key={r.id} className="margin-bottom-1">
                    <span>
                      {r.title}: {formatNumber(r.have)} of {formatNumber(r.need)} {r.unit}
                      {r.met ? ' (met)' : ''}
                    </span>
                    <div className="bg-base-lighter award-bar" aria-hidden="true">
                      <div
                        className={`award-bar__fill ${r.met ? 'bg-green' : 'bg-primary'}`}
                        style={{ width: `${pct}%` }}
                      />
                    </div>
                  </li>
                );
              })}
            </ul>
          </figure>
          {plans.data?.programs
            .filter((x) => x.program.id === p.program.id)
            .map((x) => (
              <PlanTimeline key={x.program.id} plan={x} headingId={`plan-${p.program.id}`} />
            ))}
          {plans.error && <ErrorAlert error={plans.error} />}
          {p.awards.length > 0 && (
            <>
              <h3>Certificates</h3>
              <ul className="usa-list">
                {p.awards.map((a) => (
                  <li key={a.id}>
                    <Link to={`/awards/${a.id}`}>
                      {a.designation}, {a.certificateNumber}
                    </Link>{' '}
                    ({statusLabels[a.status] ?? a.status}
                    {a.supersededById ? ', replaced' : ''})
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ))}
    </Page>
  );
}
