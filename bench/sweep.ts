/**
 * Status sweep benchmark (issue 14, section 2): what the every-minute certification sweep costs
 * when status is maintained (people queued by change, and those whose next date-driven transition
 * has come, ADR 0017) against evaluating everyone on every run, as it did before.
 *
 *   npx tsx bench/sweep.ts [--officials 20000] [--records 30]
 *
 * Starts its own embedded PostgreSQL, imports the officials through the real import (enrolled in
 * the Kansas program), writes their records with one INSERT … SELECT, then times in one run:
 * - everyone evaluated (`--everyone`, what every minute's sweep did before, and the first sweep of
 *   each new day until ADR 0017);
 * - ten sweeps within the same day with nothing due (what every other minute does now);
 * - the first sweep of the next day (only those whose transition day it is), and of the first day
 *   anyone is due (here, the safety net's daily share);
 * - the floor: a grouped count over the status cache.
 * Prints wall time, this process's CPU time, evaluations, and the ratios.
 */
import { sql } from 'kysely';
import { systemCtx, type Deps } from '../src/server/context.js';
import { runCertificationSweep } from '../src/server/modules/certification/evaluation.js';
import { runImport } from '../src/server/modules/imports/imports.service.js';
import { header, officialRows } from '../src/server/modules/imports/testdata.js';
import { writeCsv } from '../src/server/modules/imports/write.js';
import { fmt, numberArg, withBenchApp } from './app-database.js';

const OFFICIALS = numberArg('officials', '20000');
const RECORDS = numberArg('records', '30');

/** Wall and CPU milliseconds of one call. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1000 };
}

await withBenchApp('sweepbench', async ({ db, config, mailer }) => {
  let now = new Date('2026-12-03T15:00:00Z');
  const deps: Deps = { config, db, mailer, now: () => now };
  const ctx = systemCtx(deps, 'bench');

  const l0 = performance.now();
  const officials = await runImport(ctx, {
    kind: 'officials',
    filename: 'officials.csv',
    input: Buffer.from(writeCsv(header('officials'), officialRows(OFFICIALS))),
    dryRun: false,
  });
  if (officials.status !== 'succeeded') throw new Error(`officials: ${officials.message}`);
  // Records over three years, Kansas courses and categories, written in one statement.
  await sql`
    insert into credit_record (person_id, program_id, amount, category, sponsored, source_type, course_code,
      title, session_id, registration_id, earned_on, status, reverses_id, reason, recorded_at, recorded_by)
    select e.person_id, e.program_id, 3,
      (array['year-one','year-two','year-three'])[1 + (k % 3)], false, 'sos-course',
      (array['KS-Y1-01','KS-Y1-02','KS-Y1-03','KS-Y2-01','KS-Y2-02','KS-Y2-03','KS-Y3-01','KS-Y3-02','KS-Y3-03'])[1 + (k % 9)],
      null, null, null, date '2024-02-01' + ((k * 37 + hashtext(e.person_id::text)) % 1000 + 1000) % 1000,
      'approved', null, null, now(), null
    from enrollment e cross join generate_series(1, ${RECORDS}) as k
  `.execute(db);
  await sql`analyze`.execute(db);
  const loaded = (performance.now() - l0) / 1000;
  console.log(`${fmt(OFFICIALS)} officials x ${RECORDS} records loaded in ${loaded.toFixed(1)} s`);

  const full = await timed(() => runCertificationSweep(deps, { everyone: true }));
  const idle: { wall: number; cpu: number; evaluated: number }[] = [];
  for (let m = 1; m <= 10; m += 1) {
    now = new Date(Date.UTC(2026, 11, 3, 15, m));
    const r = await timed(() => runCertificationSweep(deps));
    idle.push({ wall: r.wall, cpu: r.cpu, evaluated: r.value.evaluated });
  }
  now = new Date('2026-12-04T06:01:00Z'); // 00:01 the next day in Kansas
  const newDay = await timed(() => runCertificationSweep(deps));
  // The first day ahead anyone is due (here, the safety net's first day), and the most on one day.
  const days = await sql<{ day: string; n: string }>`
    select next_transition_on::text as day, count(*) as n from certification_status
    where next_transition_on > '2026-12-04' group by 1 order by 1
  `.execute(db);
  const busy = days.rows[0];
  const most = Math.max(0, ...days.rows.map((r) => Number(r.n)));
  now = new Date(`${busy?.day ?? '2026-12-05'}T06:01:00Z`);
  const busyDay = await timed(() => runCertificationSweep(deps));
  const floor = await timed(() =>
    db
      .selectFrom('certification_status')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute(),
  );
  const idleWall = idle.reduce((a, b) => a + b.wall, 0) / idle.length;
  const idleCpu = idle.reduce((a, b) => a + b.cpu, 0) / idle.length;
  const perDay = (everyMinute: number, daily: number) => (everyMinute * 1440 + daily) / 1000;
  console.log(
    [
      `everyone evaluated (every minute before; once a day now): ${fmt(full.value.evaluated)} officials in ${(full.wall / 1000).toFixed(1)} s, ${(full.cpu / 1000).toFixed(1)} CPU-s`,
      `sweep with nothing due (every other minute now): ${idle.map((i) => i.evaluated).join(', ')} evaluated; ${idleWall.toFixed(1)} ms, ${idleCpu.toFixed(1)} CPU-ms on average`,
      `first sweep of a new day: ${fmt(newDay.value.evaluated)} evaluated in ${(newDay.wall / 1000).toFixed(1)} s, ${(newDay.cpu / 1000).toFixed(1)} CPU-s`,
      `first sweep of the first day anyone is due (${busy?.day ?? 'none'}, ${busy?.n ?? 0} due; at most ${fmt(most)} on one day, over ${days.rows.length} days): ${fmt(busyDay.value.evaluated)} evaluated in ${(busyDay.wall / 1000).toFixed(1)} s, ${(busyDay.cpu / 1000).toFixed(1)} CPU-s`,
      `floor (grouped count over certification_status): ${floor.wall.toFixed(1)} ms; ${floor.value.map((r) => `${r.status} ${r.n}`).join(', ')}`,
      `ratio: a sweep with nothing due is ${(idleWall / floor.wall).toFixed(1)}x the floor; evaluating everyone was ${(full.wall / floor.wall).toFixed(0)}x`,
      `CPU per day in this process: before ${fmt(perDay(full.cpu, 0))} CPU-s (a full sweep every minute, if it kept up), now ${fmt(perDay(idleCpu, newDay.cpu))} CPU-s`,
    ].join('\n'),
  );
});
