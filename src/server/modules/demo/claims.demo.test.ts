import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, signInAs, type TestApp } from '../../testing/harness.js';
import { DEMO_OFFICIAL_EMAIL, DEMO_PASSWORD, loadDemoData } from './demo.service.js';
import { loadDemoClaims } from '../claims/claims.demo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('the demo has claims in every state, a reviewer with a queue, and loads them once', async () => {
  expect((await loadDemoData(t.deps)).loaded).toBe(true);
  expect((await loadDemoClaims(t.deps)).loaded).toBe(false);

  const dana = await signInAs(t, { email: DEMO_OFFICIAL_EMAIL }, DEMO_PASSWORD);
  const mine = await dana.request('GET', '/api/me/claims');
  expect(mine.json.items.map((c: { status: string }) => c.status).sort()).toEqual([
    'approved',
    'draft',
    'needs_information',
    'submitted',
  ]);
  const transcript = await dana.request('GET', '/api/me/transcript');
  const cpo = transcript.json.programs.find(
    (p: { program: { code: string } }) => p.program.code === 'igo-cpo',
  );
  expect(cpo.outside).toContainEqual(
    expect.objectContaining({ amount: 6, category: 'Elections Administration' }),
  );
  expect(cpo.totalPending).toBe(1.5);

  const reviewer = await signInAs(t, { email: 'reviewer@demo.civiccert.local' }, DEMO_PASSWORD);
  const queue = await reviewer.request('GET', '/api/review/claims');
  expect(queue.json.items.map((c: { waitingDays: number }) => c.waitingDays)).toEqual([21, 9, 2]);
  const doc = queue.json.items[0].documents[0];
  const pdf = await reviewer.request('GET', `/api/claim-documents/${doc.id}`);
  expect(pdf.headers['content-type']).toBe('application/pdf');
});
