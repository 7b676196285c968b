/**
 * The webhook outbox is written in the ledger's own transaction: a change that rolls back after
 * its credit was written leaves no delivery behind (here, beside the ledger: the webhooks module
 * may not import certification, even in tests).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemCtx } from '../../context.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { programId, quickClient } from '../../testing/scheduling.js';
import { appendCredit } from './ledger.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const deliveries = () => t.db.selectFrom('webhook_delivery').select('id').execute();

it('a rolled-back change emits nothing; the same change committed emits one delivery', async () => {
  const admin = await quickClient(t, ['administrator']);
  const made = await admin.request('POST', '/api/webhooks/endpoints', {
    url: 'https://example.gov/hooks',
    events: ['credit.recorded'],
  });
  expect(made.status, made.body).toBe(201);
  const p = await quickClient(t, ['official']);
  const ks = await programId(t.db);
  const credit = {
    personId: p.personId,
    programId: ks,
    amount: 2,
    category: 'year-one',
    sponsored: false,
    sourceType: 'sos-course',
    title: 'Ballot security workshop',
    earnedOn: '2026-05-01',
  };
  await expect(
    t.db.transaction().execute(async (tx) => {
      await appendCredit(tx, systemCtx(t.deps, 'test'), credit);
      expect(await tx.selectFrom('webhook_delivery').select('id').execute()).toHaveLength(1);
      throw new Error('the change fails after its credit was written');
    }),
  ).rejects.toThrow('the change fails');
  expect(await deliveries()).toHaveLength(0);

  await t.db.transaction().execute((tx) => appendCredit(tx, systemCtx(t.deps, 'test'), credit));
  expect(await deliveries()).toHaveLength(1);
});
