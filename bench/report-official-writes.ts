/**
 * What keeping `report_official` costs its writers (issue 14, ADR 0040): the demo load, bulk
 * statements over many officials in one transaction, the sweep's 50-person batches, and small
 * transactions of one official each.
 *
 *   npx tsx bench/report-official-writes.ts [--officials 20000] [--singles 2000]
 *
 * Starts its own embedded PostgreSQL. Times, in order:
 * - the demo data load (`loadDemoData`);
 * - `--officials` enrollments written by one INSERT … SELECT (one transaction), then awards for a
 *   third of them, then a cached status for each (one statement each), then every status changed
 *   by one UPDATE (each of these refreshes every official it touches);
 * - the same officials' statuses changed in transactions of 50 (what a sweep batch writes);
 * - `--singles` transactions, one after another, each changing one official's status.
 * Checks at the end that the table equals `report_official_rebuild()`'s result.
 */
import { sql } from 'kysely';
import { loadDemoData } from '../src/server/modules/demo/demo.service.js';
import { numberArg, withBenchApp } from './app-database.js';

const OFFICIALS = numberArg('officials', '20000');
const SINGLES = numberArg('singles', '2000');

async function timed(label: string, f: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await f();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(58)} ${(ms / 1000).toFixed(2)} s`);
}

await withBenchApp('officialwrites', async ({ db, config, mailer }) => {
  console.log(`report_official writers: ${OFFICIALS} officials, ${SINGLES} single-official transactions`);
  await timed('demo data load', () =>
    loadDemoData({ config, db, mailer, now: () => new Date('2026-12-03T15:00:00Z') }),
  );
  const program = (
    await sql<{ id: string }>`select id from program where code = 'ks-county-election-official'`.execute(db)
  ).rows[0]!.id;
  await sql`
    insert into person (first_name, last_name, email, title, jurisdiction_fips, external_id, preferred_name, phone)
    select 'Avery', 'Writer ' || lpad(g::text, 6, '0'), 'writer' || g || '@example.gov', 'County Clerk', '20045',
           null, null, null
      from generate_series(1, ${OFFICIALS}) g`.execute(db);
  const people = `select id from person where email like 'writer%'`;
  await timed(`${OFFICIALS} enrollments, one INSERT`, () =>
    sql`insert into enrollment (program_id, person_id, status, enrolled_on, fee_amount_cents, fee_status)
        select ${program}, id, 'active', '2025-01-15', 0, 'waived' from (${sql.raw(people)}) p`.execute(db),
  );
  await timed(`awards for a third, one INSERT`, () =>
    sql`insert into award (program_id, person_id, awarded_on, number)
        select ${program}, id, '2025-06-01', null from (${sql.raw(people)}) p
         where abs(hashtext(id::text)) % 3 = 0`.execute(db),
  );
  await timed(`${OFFICIALS} cached statuses, one INSERT`, () =>
    sql`insert into certification_status (person_id, program_id, status, computed_at, next_transition_on)
        select id, ${program}, 'in_progress', now(), '2030-01-01' from (${sql.raw(people)}) p`.execute(db),
  );
  await timed(`${OFFICIALS} statuses changed, one UPDATE`, () =>
    sql`update certification_status set status = 'certified'
         where program_id = ${program} and person_id in (${sql.raw(people)})`.execute(db),
  );
  const ids = (await sql<{ id: string }>`${sql.raw(people)} order by id`.execute(db)).rows.map((r) => r.id);
  await timed(`${OFFICIALS} statuses changed, transactions of 50`, async () => {
    for (let i = 0; i < ids.length; i += 50)
      await db.transaction().execute(async (tx) => {
        for (const id of ids.slice(i, i + 50))
          await sql`update certification_status set status = 'renewal_due'
                     where program_id = ${program} and person_id = ${id}`.execute(tx);
      });
  });
  await timed(`${SINGLES} statuses changed, one transaction each`, async () => {
    for (const id of ids.slice(0, SINGLES))
      await sql`update certification_status set status = 'lapsed'
                 where program_id = ${program} and person_id = ${id}`.execute(db);
  });
  const diff = await db.transaction().execute(async (tx) => {
    await sql`create temp table held on commit drop as select * from report_official`.execute(tx);
    await sql`select report_official_rebuild()`.execute(tx);
    return (
      await sql<{ n: string }>`select count(*) as n from (
        (select * from held except all select * from report_official)
        union all (select * from report_official except all select * from held)) d`.execute(tx)
    ).rows[0]!.n;
  });
  console.log(`rows differing from report_official_rebuild(): ${diff}`);
});
