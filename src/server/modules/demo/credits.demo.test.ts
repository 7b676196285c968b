import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, signInAs, type TestApp } from '../../testing/harness.js';
import { DEMO_PASSWORD, loadDemoData } from './demo.service.js';
import { loadDemoStaffCredit } from '../credits/credits.demo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('the demo has staff entries with reasons, a correction and fee states, loaded once', async () => {
  expect((await loadDemoData(t.deps)).loaded).toBe(true);
  expect((await loadDemoStaffCredit(t.deps)).loaded).toBe(false);
  const coordinator = await signInAs(t, { email: 'coordinator@demo.civiccert.local' }, DEMO_PASSWORD);
  const fees = await coordinator.request('GET', '/api/claim-fees');
  const states = fees.json.items.map((c: { fee: { status: string } }) => c.fee.status);
  expect(states).toContain('invoiced');
  expect(fees.json.items).toContainEqual(
    expect.objectContaining({ fee: expect.objectContaining({ status: 'paid', method: 'check' }) }),
  );
  const source = await t.db
    .selectFrom('credit_source as s')
    .innerJoin('credit_record as c', 'c.id', 's.credit_record_id')
    .select('c.person_id')
    .where('s.manual_reason', 'like', 'Legacy paper record%')
    .executeTakeFirstOrThrow();
  const ledger = (await coordinator.request('GET', `/api/people/${source.person_id}/credits`)).json.items;
  expect(ledger.filter((r: { source: { kind: string } }) => r.source.kind === 'staff')).toHaveLength(3);
  const correction = ledger.find((r: { source: { kind: string } }) => r.source.kind === 'correction');
  expect(correction.reason).toMatch(/entered twice/i);
  expect(correction.recordedBy).toBeTruthy();
});
