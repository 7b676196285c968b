/**
 * Migration 0039 indexes registration_id and reverses_id only where they are set: a record can
 * still be reversed once only, by the ledger and by the database itself.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemCtx } from '../../context.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { programId, quickClient } from '../../testing/scheduling.js';
import { appendCredit, reverseRecord } from './ledger.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

it('a record is reversed once; a second reversal is refused, even written straight to the table', async () => {
  const ctx = systemCtx(t.deps, 'test');
  const p = await quickClient(t, ['official']);
  const ks = await programId(t.db);
  const id = await t.db.transaction().execute((tx) =>
    appendCredit(tx, ctx, {
      personId: p.personId,
      programId: ks,
      amount: 2,
      category: 'year-one',
      sponsored: false,
      sourceType: 'sos-course',
      title: 'Ballot security workshop',
      earnedOn: '2026-05-01',
    }),
  );
  const reversal = await reverseRecord(ctx, id, 'entered twice');
  await expect(reverseRecord(ctx, id, 'again')).rejects.toThrow('already been reversed');
  await expect(
    sql`insert into credit_record (person_id, program_id, amount, category, source_type, earned_on,
        status, reverses_id, reason, recorded_at)
      select person_id, program_id, -amount, category, source_type, earned_on, status, id, 'again', now()
      from credit_record where id = ${id}::uuid`.execute(t.db),
  ).rejects.toMatchObject({ code: '23505' });
  const rows = await sql<{
    id: string;
  }>`select id from credit_record where reverses_id = ${id}::uuid`.execute(t.db);
  expect(rows.rows.map((r) => r.id)).toEqual([reversal]);
});
