/**
 * What emitting webhook events costs the ledger's writes (issue 17, item 6; ADR 0021), against an
 * embedded PostgreSQL started for the run:
 *
 *   npx tsx bench/webhook-emit.ts [--n 2000] [--batch 1]
 *
 * In the same run and the same order each time, N credits are written in transactions of `batch`
 * records three ways: the bare insert the ledger made before webhooks (the floor), `appendCredits`
 * with no endpoint listening (one indexed read more), and `appendCredits` with one endpoint
 * listening to credit.recorded (the read-back and one delivery row per record). Prints each one's
 * records per second and its ratio to the floor.
 */
import { systemCtx } from '../src/server/context.js';
import { appendCredits, type NewCredit } from '../src/server/modules/certification/ledger.js';
import type { Tx } from '../src/server/db/database.js';
import { fmt, numberArg as arg, withBenchApp } from './app-database.js';

const N = arg('n', '2000');
const BATCH = arg('batch', '1');

await withBenchApp('webhookbench', async ({ db, config, mailer }) => {
  const ctx = systemCtx({ config, db, mailer, now: () => new Date() }, 'bench');
  const program = await db
    .selectFrom('program')
    .select('id')
    .where('code', '=', 'ks-county-election-official')
    .executeTakeFirstOrThrow();
  const person = await db
    .insertInto('person')
    .values({
      first_name: 'Bench',
      last_name: 'Official',
      email: 'bench.official@example.gov',
      title: 'County Clerk',
      jurisdiction_fips: null,
      external_id: null,
      preferred_name: null,
      phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const credit = (i: number): NewCredit => ({
    personId: person.id,
    programId: program.id,
    amount: 1,
    category: 'year-one',
    sponsored: false,
    sourceType: 'sos-course',
    courseCode: `BENCH-${i}`,
    title: 'Bench course',
    earnedOn: '2026-04-01',
  });

  const time = async (label: string, write: (tx: Tx, records: NewCredit[]) => Promise<unknown>) => {
    const t0 = performance.now();
    for (let i = 0; i < N; i += BATCH)
      await db.transaction().execute((tx) =>
        write(
          tx,
          Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => credit(i + k)),
        ),
      );
    const s = (performance.now() - t0) / 1000;
    return { label, s, perSecond: N / s };
  };

  const floor = await time('bare insert (the floor)', (tx, records) =>
    tx
      .insertInto('credit_record')
      .values(
        records.map((r) => ({
          person_id: r.personId,
          program_id: r.programId,
          amount: r.amount,
          category: r.category,
          sponsored: r.sponsored,
          source_type: r.sourceType,
          course_code: r.courseCode ?? null,
          title: r.title,
          session_id: null,
          registration_id: null,
          earned_on: r.earnedOn,
          status: 'approved' as const,
          reverses_id: null,
          reason: null,
          recorded_at: new Date().toISOString(),
          recorded_by: null,
        })),
      )
      .returning('id')
      .execute(),
  );
  const quiet = await time('appendCredits, no endpoint listening', (tx, records) =>
    appendCredits(tx, ctx, records),
  );
  await db
    .insertInto('webhook_endpoint')
    .values({
      url: 'https://example.gov/hooks',
      events: ['credit.recorded'],
      secret: 'unused',
      created_by: null,
    })
    .execute();
  const heard = await time('appendCredits, one endpoint listening', (tx, records) =>
    appendCredits(tx, ctx, records),
  );
  console.log(`${fmt(N)} credits in transactions of ${BATCH}:`);
  for (const r of [floor, quiet, heard])
    console.log(
      `  ${r.label.padEnd(40)} ${r.s.toFixed(2)} s  ${fmt(r.perSecond)} records/s  ${(r.s / floor.s).toFixed(2)}× the floor`,
    );
});
