import { useEffect, useRef, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { api, qs, type OutboxMessage, type Paged } from '../../api';
import { browserZone, formatDateTime } from '../../format';
import { FilterForm, ListPage } from '../../components/ListPage';
import { TextField, formErrors } from '../../components/Form';
import { DataTable, usePageParam } from '../../components/Table';
import { useFilters } from '../../components/useFilters';
import { Facts } from '../../components/Facts';
import { Email } from '../../components/Email';

const filterNames = ['to'] as const;

const statusText: Record<OutboxMessage['status'], string> = {
  queued: 'Waiting to send',
  sent: 'Sent',
  stored: 'Kept here (no mail server)',
  failed: 'Failed',
};

/** Plain text with web addresses turned into links (nothing else is interpreted). */
function Linkified({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  const re = /https?:\/\/[^\s<>"')]+/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={m[0]}>
        {m[0]}
      </a>,
    );
    last = start + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

export function OutboxPage() {
  const page = usePageParam();
  const { applied, draft, set, apply, any: filtered } = useFilters(filterNames);
  const [openId, setOpenId] = useState<string | null>(null);
  const returnFocus = useRef<HTMLButtonElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const outbox = useQuery({
    queryKey: ['outbox', applied, page],
    queryFn: () => api.get<Paged<OutboxMessage>>(`/api/outbox${qs({ ...applied, page })}`),
    placeholderData: keepPreviousData,
  });
  const fieldErrors = formErrors(outbox.error);
  const open = outbox.data?.items.find((m) => m.id === openId) ?? null;

  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  const applyFilters = () => {
    setOpenId(null);
    apply();
  };
  const close = () => {
    setOpenId(null);
    returnFocus.current?.focus();
  };

  return (
    <ListPage
      title="E-mail outbox"
      lead="Every e-mail CivicCert has sent or is about to send, newest first."
      filters={
        <FilterForm
          label="Find e-mails"
          onApply={applyFilters}
          clear={filtered && { to: '/outbox', text: 'Clear search' }}
        >
          <div className="tablet:grid-col-6">
            <TextField
              id="to"
              type="text"
              label="Sent to"
              hint="All or part of an e-mail address"
              value={draft.to}
              onChange={set('to')}
              error={fieldErrors.to}
            />
          </div>
        </FilterForm>
      }
      list={outbox}
      noun="e-mails"
      exports={{ href: '/api/outbox/export', params: applied, what: 'the outbox' }}
      table={(items) => (
        <DataTable
          stacked
          caption={`E-mails${filtered ? ' that match your search' : ''}, newest first. Select a subject to read the message.`}
        >
          <thead>
            <tr>
              <th scope="col">Written</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td className="nowrap">{formatDateTime(m.createdAt, browserZone)}</td>
                <td>
                  <Email address={m.to} />
                </td>
                <td>
                  <button
                    type="button"
                    className="usa-button usa-button--unstyled text-left"
                    aria-expanded={m.id === openId}
                    onClick={(e) => {
                      returnFocus.current = e.currentTarget;
                      setOpenId(m.id === openId ? null : m.id);
                    }}
                  >
                    {m.subject}
                  </button>
                </td>
                <td>{statusText[m.status]}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    >
      {open && (
        <section className="usa-summary-box margin-top-3" aria-labelledby="message-heading">
          <div className="usa-summary-box__body">
            <h2 className="usa-summary-box__heading" id="message-heading" ref={heading} tabIndex={-1}>
              {open.subject}
            </h2>
            <Facts
              items={[
                ['To', open.to],
                ['Written', formatDateTime(open.createdAt, browserZone)],
                ['Status', statusText[open.status]],
                ...(open.sentAt
                  ? ([['Sent', formatDateTime(open.sentAt, browserZone)]] as [string, ReactNode][])
                  : []),
                ...(open.error ? ([['Error', open.error]] as [string, ReactNode][]) : []),
              ]}
            />
            <h3>Text part</h3>
            <div className="message-text" role="document" aria-label="Message text">
              <Linkified text={open.text} />
            </div>
            {open.hasHtml && (
              <p>
                {/* The route answers under a CSP that sandboxes the page: nothing in it runs or loads. */}
                <a href={`/api/outbox/${open.id}/html`} target="_blank" rel="noopener noreferrer">
                  Open the HTML part as the recipient sees it (new tab)
                </a>
              </p>
            )}
            <h3>Files</h3>
            <ul className="usa-list">
              {open.attachments.map((a) => (
                <li key={a.index}>
                  <a href={`/api/outbox/${open.id}/attachments/${a.index}`} download={a.filename}>
                    Download {a.filename}
                  </a>{' '}
                  ({a.contentType.split(';')[0]}, {a.size.toLocaleString('en-US')} bytes)
                </li>
              ))}
              <li>
                <a href={`/api/outbox/${open.id}/eml`} download>
                  Download the whole message (.eml)
                </a>
              </li>
            </ul>
            <Button type="button" outline className="margin-top-2" onClick={close}>
              Close message
            </Button>
          </div>
        </section>
      )}
    </ListPage>
  );
}
