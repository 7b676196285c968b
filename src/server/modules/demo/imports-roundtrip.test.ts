/**
 * Round trip: the demo data set (officials, attendance and claim credits,
 * awards) exported in the import formats and imported into an empty database
 * (fresh from the test harness: migrated, programs loaded, no demo) gives the
 * same report numbers for what the formats carry: coverage, funnel and
 * statuses, cohorts, renewal compliance. Session fill and claim turnaround
 * come from sessions and claims, which backup/restore carries and spreadsheet
 * imports do not.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pino from 'pino';
import { systemCtx } from '../../context.js';
import type { Database } from '../../db/database.js';
import { localDateOf } from '../../../domain/time/index.js';
import { createMailer } from '../mail/mailer.js';
import { loadDemoData } from './demo.service.js';
import { reportSnapshot } from '../reports/reports.service.js';
import { createTestApp, createTestDatabase, type TestApp } from '../../testing/harness.js';
import { exportFile } from '../imports/export.service.js';
import { runImport } from '../imports/imports.service.js';

let t: TestApp;
let target: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemoData(t.deps, { force: true });
  target = await createTestDatabase();
}, 300_000);
afterAll(async () => {
  await target.drop();
  await t.close();
});

async function numbers(db: Database, asOf: string) {
  const programs = await db.selectFrom('program').select(['id', 'code']).orderBy('code').execute();
  const out: Record<string, unknown> = {};
  for (const p of programs) {
    const s = await reportSnapshot(db, { programId: p.id, asOf });
    out[p.code] = {
      coverage: s.coverage,
      cohorts: s.cohorts,
      funnel: s.funnel,
      statuses: s.statuses,
      renewal: s.renewal,
    };
  }
  return out;
}

it('export → import into an empty database → the same report numbers', async () => {
  const asOf = localDateOf(t.clock.now.getTime(), 'America/Chicago');
  const ctx = systemCtx(
    {
      config: t.config,
      db: target.db,
      mailer: createMailer(t.config, target.db, pino({ level: 'silent' })),
      now: t.deps.now,
    },
    'test',
  );
  const formats = { officials: 'officials.xlsx', credits: 'credits.csv', awards: 'awards.xlsx' } as const;
  for (const kind of ['officials', 'credits', 'awards'] as const) {
    const { bytes, rows } = await exportFile(t.db, kind, formats[kind]);
    expect(rows).toBeGreaterThan(0);
    const run = await runImport(ctx, { kind, filename: formats[kind], input: bytes, dryRun: false });
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ status: 'succeeded', created: rows });
  }
  const before = await numbers(t.db, asOf);
  expect(JSON.stringify(before)).toMatch(/"certified":[1-9]/);
  expect(await numbers(target.db, asOf)).toEqual(before);

  // History comes in quietly: the statuses are there, but nobody was e-mailed about them
  // (eligible, reminders, lapsed); the notices are recorded, so the nightly sweep stays quiet too.
  const statuses = await target.db.selectFrom('certification_status').select('status').distinct().execute();
  expect(statuses.map((s) => s.status)).toEqual(expect.arrayContaining(['eligible', 'lapsed']));
  const awardMail = await target.db
    .selectFrom('email_message')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('kind', 'like', 'award.%')
    .executeTakeFirstOrThrow();
  expect(Number(awardMail.n)).toBe(0);
}, 300_000);
