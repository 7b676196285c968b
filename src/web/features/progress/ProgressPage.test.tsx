import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../../contract/auth';
import type { Progress } from '../../../contract/credits';
import { signedInAbilities } from '../../../domain/authz/policies';
import { sessionKey } from '../../api';
import { htmlProblems, pageAround } from '../../testing/htmlValidity';
import { ProgramSection } from './ProgressPage';

// A program not yet met, with something missing and a closed cycle that a later
// correction would change: the section's two alerts, one holding the reopen form.
const program: Progress['programs'][number] = {
  program: { id: 'p1', code: 'CPO', name: 'Certified Public Official', designation: 'CPO' },
  enrollment: { id: 'e1', enrolledOn: '2024-01-15', version: '1' },
  status: 'in_progress',
  headline: 'Not yet certified',
  missing: ['3 more credits of Year Two courses'],
  nodes: [],
  deadlines: [],
  nextDue: null,
  totals: { approved: 12, records: 4 },
  facts: [],
  cycles: [
    {
      id: 'c1',
      index: 1,
      start: '2022-01-01',
      due: '2023-12-31',
      graceEnds: '2024-03-31',
      reinstateBy: null,
      state: 'renewed',
      completedOn: '2023-11-02',
      closed: true,
      stored: true,
      flag: {
        detail: 'A credit this cycle counted was withdrawn; the ledger now says it lapsed.',
        ledgerState: 'lapsed',
        ledgerCompletedOn: null,
        withdrawnRecordIds: ['r1'],
        flaggedAt: '2024-05-01T12:00:00Z',
      },
    },
  ],
};

const coordinator: SessionResponse = {
  user: {
    userId: 'u1',
    personId: 'staff',
    email: 'coordinator@example.gov',
    displayName: 'Casey Coordinator',
    roles: ['coordinator'],
    secondFactor: { enabled: true, setupRequired: false },
    abilities: signedInAbilities({ userId: 'u1', personId: 'staff', roles: ['coordinator'] }),
  },
  csrfToken: 'token',
  organization: { name: 'CivicCert', logoUrl: null, state: 'KS' },
};

function render(): string {
  const queries = new QueryClient();
  queries.setQueryData(sessionKey, coordinator);
  return renderToStaticMarkup(
    <QueryClientProvider client={queries}>
      <MemoryRouter>
        <ProgramSection p={program} personId="person-1" />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('progress page, a program section', () => {
  it('shows what is missing and the reopen form inside its alerts, as valid HTML', async () => {
    const html = render();
    expect(html).toContain('What is still missing:');
    expect(html).toContain('<li>3 more credits of Year Two courses</li>');
    expect(html).toContain('Reopen the cycle');
    expect(await htmlProblems(pageAround(html))).toEqual([]);
  });
});
