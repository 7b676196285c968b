/** The pg-boss job runs the certification sweep against PostgreSQL and stops cleanly. */
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/harness.js';
import { buildCredit, buildEnrollment, quickClient } from '../testing/scheduling.js';
import { startCertificationJobs } from './certification.jobs.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

it('a queued sweep marks an eligible official in the status cache and e-mails them', async () => {
  const official = await quickClient(t, ['official']);
  await buildEnrollment(t.db, official.personId);
  for (const [y, cat] of [
    [1, 'year-one'],
    [2, 'year-two'],
    [3, 'year-three'],
  ] as const)
    for (const i of [1, 2, 3])
      await buildCredit(t.db, official.personId, {
        category: cat,
        courseCode: `KS-Y${y}-0${i}`,
        earnedOn: `202${3 + y}-04-01`,
      });
  const jobs = await startCertificationJobs(t.deps, t.dbUrl, pino({ level: 'silent' }));
  try {
    await jobs.runNow();
    let row;
    for (let i = 0; i < 60 && !row; i++) {
      row = await t.db
        .selectFrom('certification_status')
        .selectAll()
        .where('person_id', '=', official.personId)
        .executeTakeFirst();
      if (!row) await new Promise((r) => setTimeout(r, 250));
    }
    expect(row?.status).toBe('eligible');
    const mail = await t.db
      .selectFrom('email_message')
      .select('kind')
      .where('kind', '=', 'award.eligible')
      .execute();
    expect(mail).toHaveLength(1);
  } finally {
    await jobs.stop();
  }
}, 30_000);
