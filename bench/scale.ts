/**
 * Scale benchmark (issue 14, section 1): a statewide population on one small server.
 *
 *   npx tsx bench/scale.ts [--officials 100000] [--records 30] [--repeat 3] [--cpu-runs 10] [--keep DIR]
 *
 * With `--keep DIR` the database is kept in DIR; a later run with the same DIR (and the same
 * `--officials`) reuses the loaded and recomputed population, migrated to the current code, and
 * only times the endpoints (steps 1 and 2 are skipped).
 *
 * Starts its own embedded PostgreSQL and the real app on a listening port, then:
 * 1. loads a population with set-based SQL (no API): officials in Kansas's counties, 70% enrolled
 *    in the Kansas program (a twentieth of them in its pilot cohort) and 30% in the CPO program,
 *    `--records` credit records each over several years, and awards of different ages for a third
 *    of the Kansas officials (so some are certified, some due, some lapsed);
 * 2. times the status recompute of everyone (`civiccert status recompute`), a sweep with
 *    nothing due (every other minute), and the app's CPU while idle;
 * 3. times every report, list and dashboard an administrator opens, over HTTP, signed in, each
 *    next to its floor: a grouped count over the status cache or one indexed query, in the same
 *    run; with the app's peak RSS and heap while answering, and PostgreSQL's memory (the sum of
 *    its processes' proportional set size).
 * Prints a table with the ratios and the load average, and the CPU each request and floor used
 * (this process plus PostgreSQL's, over `--cpu-runs` runs), which the machine's load hardly moves.
 */
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import type { Deps } from '../src/server/context.js';
import type { Db } from '../src/server/db/database.js';
import { runCertificationSweep } from '../src/server/modules/certification/evaluation.js';
import { fmt, numberArg, signedIn, stringArg, withBenchApp } from './app-database.js';

const OFFICIALS = numberArg('officials', '100000');
const RECORDS = numberArg('records', '30');
const REPEAT = numberArg('repeat', '3');
const CPU_RUNS = numberArg('cpu-runs', '10');
const KEEP = stringArg('keep');
const KEEP_DIR = KEEP ? path.resolve(KEEP) : undefined;
/** A day other than today for the past-day reports (ADR 0039); `--past none` leaves them out. */
const PAST_ARG = stringArg('past') ?? '2026-06-30';
const PAST = PAST_ARG === 'none' ? undefined : PAST_ARG;

/** The population, written with a few INSERT … SELECT statements. */
async function loadPopulation(db: Db): Promise<void> {
  await sql`
    insert into person (first_name, last_name, email, title, jurisdiction_fips, external_id, preferred_name, phone)
    select (array['Avery','Blake','Casey','Devon','Emery','Finley','Harper','Jordan'])[1 + g % 8],
           'Official ' || lpad(g::text, 6, '0'), 'scale' || g || '@example.gov',
           (array['County Clerk','Deputy County Clerk','Election Officer'])[1 + g % 3],
           c.fips, 'SCALE-' || g, null, null
      from generate_series(1, ${OFFICIALS}) g
      join (select fips, (row_number() over (order by fips) - 1)::int as i, count(*) over ()::int as n
              from jurisdiction where kind = 'county' and state_fips = '20') c on c.i = g % c.n
  `.execute(db);
  await sql`
    insert into enrollment (program_id, person_id, status, enrolled_on, pinned_version, fee_amount_cents,
                            fee_status, fee_method, receipt_number, requested_at, cohorts)
    select pr.id, p.id, 'active', date '2022-01-10' + (abs(hashtext(p.id::text)) % 1400), null, 0, 'waived',
           null, null, null,
           case when pr.code = 'ks-county-election-official' and abs(hashtext(p.email)) % 20 = 0
                then array['pilot-2024'] else array[]::text[] end
      from person p
      join program pr on pr.code = case when abs(hashtext(p.email)) % 10 < 7
                                        then 'ks-county-election-official' else 'igo-cpo' end
     where p.email like 'scale%'
  `.execute(db);
  // Kansas: its nine courses (three credits each) over three years, then annual renewal courses.
  await sql`
    insert into credit_record (person_id, program_id, amount, category, sponsored, source_type, course_code,
      title, session_id, registration_id, earned_on, status, reverses_id, reason, recorded_at, recorded_by)
    select e.person_id, e.program_id, 3,
           case when k <= 9 then (array['year-one','year-two','year-three'])[1 + (k - 1) / 3] else 'advance-renewal' end,
           false, 'sos-course',
           case when k <= 9 then 'KS-Y' || (1 + (k - 1) / 3) || '-0' || (1 + (k - 1) % 3) else 'KS-ADV' end,
           null, null, null,
           e.enrolled_on + ((k * 53 + abs(hashtext(e.person_id::text)) % 90) % 1500),
           'approved', null, null, now(), null
      from enrollment e join program pr on pr.id = e.program_id and pr.code = 'ks-county-election-official'
      cross join generate_series(1, ${RECORDS}) as k
  `.execute(db);
  // CPO: credits in its categories, some association-sponsored.
  await sql`
    insert into credit_record (person_id, program_id, amount, category, sponsored, source_type, course_code,
      title, session_id, registration_id, earned_on, status, reverses_id, reason, recorded_at, recorded_by)
    select e.person_id, e.program_id, 1 + (k * 7 + abs(hashtext(e.person_id::text))) % 6,
           (array['management','management','management','elections','clerk-court','land-records'])[1 + k % 6],
           k % 3 = 0, 'state-association', null, 'Session ' || k, null, null,
           e.enrolled_on + ((k * 41 + abs(hashtext(e.person_id::text)) % 60) % 1400),
           'approved', null, null, now(), null
      from enrollment e join program pr on pr.id = e.program_id and pr.code = 'igo-cpo'
      cross join generate_series(1, ${RECORDS}) as k
  `.execute(db);
  // Awards of different ages for a third of the Kansas officials.
  await sql`
    insert into award (program_id, person_id, awarded_on, number)
    select e.program_id, e.person_id, date '2021-03-01' + (abs(hashtext(e.person_id::text || 'a')) % 2000), null
      from enrollment e join program pr on pr.id = e.program_id and pr.code = 'ks-county-election-official'
     where abs(hashtext(e.person_id::text || 'w')) % 3 = 0
  `.execute(db);
  await sql`analyze`.execute(db);
}

/** An administrator with two-step sign-in done, signed in: the cookie and CSRF header. */
async function adminSession(db: Db): Promise<{ cookie: string }> {
  const kept = await db
    .selectFrom('user_account')
    .innerJoin('person', 'person.id', 'user_account.person_id')
    .select('user_account.id')
    .where('person.email', '=', 'bench-admin@example.gov')
    .executeTakeFirst();
  if (kept) return signedIn(db, kept.id);
  const person = await db
    .insertInto('person')
    .values({
      first_name: 'Bench',
      last_name: 'Administrator',
      email: 'bench-admin@example.gov',
      external_id: null,
      preferred_name: null,
      phone: null,
      title: null,
      jurisdiction_fips: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('user_account')
    .values({
      person_id: person.id,
      roles: ['administrator'],
      password_hash: null,
      password_changed_at: null,
      last_sign_in_at: null,
      totp_secret: 'JBSWY3DPEHPK3PXP',
      totp_enabled_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return signedIn(db, user.id);
}

/** The processes of the PostgreSQL server started for this run: the server and its children. */
async function postgresProcesses(): Promise<string[]> {
  const parent = new Map<string, string>();
  let root: string | undefined;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!);
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(KEEP_DIR ?? 'civiccert-scale-') && /postgres\0/.test(cmd)) root = pid;
    } catch {
      // The process ended meanwhile.
    }
  }
  if (!root) return [];
  return [...parent].filter(([pid, ppid]) => pid === root || ppid === root).map(([pid]) => pid);
}

/** PostgreSQL's memory: the proportional set size of its processes (shared buffers counted once). */
async function postgresMemory(): Promise<number> {
  let kb = 0;
  for (const pid of await postgresProcesses()) {
    try {
      const roll = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
      kb += Number(/^Pss:\s+(\d+)/m.exec(roll)?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return kb * 1024;
}

/** CPU time each of PostgreSQL's processes has used so far, in milliseconds (user + system). */
async function postgresCpuMs(pids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const pid of pids) {
    try {
      const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) * 10); // USER_HZ is 100 on Linux
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/**
 * CPU milliseconds per run of `f` (`CPU_RUNS` runs): this process's (the app, and the client
 * asking it) plus PostgreSQL's (the processes alive before and after: a background worker that
 * ends meanwhile is left out). Unlike the wall time, it hardly moves with the machine's load.
 */
async function cpuPerRun(f: () => Promise<unknown>): Promise<{ app: number; pg: number }> {
  const pids = await postgresProcesses();
  const pg0 = await postgresCpuMs(pids);
  const u0 = process.cpuUsage();
  for (let i = 0; i < CPU_RUNS; i++) await f();
  const u = process.cpuUsage(u0);
  let pg = 0;
  for (const [pid, ms] of await postgresCpuMs(pids)) if (pg0.has(pid)) pg += ms - pg0.get(pid)!;
  return { app: (u.user + u.system) / 1000 / CPU_RUNS, pg: pg / CPU_RUNS };
}

/** Samples this process's memory while `f` runs: the peaks above the level before it. */
async function withMemory<T>(f: () => Promise<T>): Promise<{ value: T; rss: number; heap: number }> {
  const m0 = process.memoryUsage();
  let rss = m0.rss;
  let heap = m0.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 5);
  try {
    const value = await f();
    const m = process.memoryUsage();
    return { value, rss: Math.max(rss, m.rss), heap: Math.max(heap, m.heapUsed) };
  } finally {
    clearInterval(timer);
  }
}

/** The median of `REPEAT` runs, in milliseconds. */
async function median(f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const MB = (b: number) => `${fmt(b / 1_048_576)} MB`;

/** With `--keep`: whether an earlier run left this population loaded and everyone recomputed. */
async function populationKept(db: Db): Promise<boolean> {
  const r = await sql<{ officials: number; enrolled: number; cached: number }>`
    select (select count(*) from person where email like 'scale%')::int as officials,
           (select count(*) from enrollment e join person p on p.id = e.person_id
             where p.email like 'scale%')::int as enrolled,
           (select count(*) from certification_status s join person p on p.id = s.person_id
             where p.email like 'scale%')::int as cached`.execute(db);
  const k = r.rows[0]!;
  if (k.officials === 0) return false;
  if (k.officials !== OFFICIALS || k.cached < k.enrolled)
    throw new Error(
      `--keep ${KEEP}: it holds ${k.officials} officials (${k.cached} of ${k.enrolled} enrolments recomputed), not a finished run with --officials ${OFFICIALS}; remove the folder`,
    );
  return true;
}

await withBenchApp(
  'scale',
  async ({ db, config, mailer }) => {
    let now = new Date('2026-12-03T15:00:00Z');
    const deps: Deps = { config, db, mailer, now: () => now };
    let idleSweepCpu: number | undefined;
    if (KEEP && (await populationKept(db))) {
      console.log(`population reused from ${KEEP_DIR} (loading and the recompute of everyone skipped)`);
      // What a migration since queued (figures to store again), as the first sweep after an upgrade.
      const s0 = performance.now();
      const queued = await runCertificationSweep(deps);
      console.log(
        `a sweep after reuse: ${fmt(queued.evaluated)} evaluated in ${((performance.now() - s0) / 1000).toFixed(1)} s`,
      );
    } else {
      const l0 = performance.now();
      await loadPopulation(db);
      const counts = await sql<{ people: number; records: number; awards: number }>`
        select (select count(*) from person)::int as people, (select count(*) from credit_record)::int as records,
               (select count(*) from award)::int as awards`.execute(db);
      const c = counts.rows[0]!;
      console.log(
        `population: ${fmt(c.people)} people, ${fmt(c.records)} credit records, ${fmt(c.awards)} awards, loaded in ${((performance.now() - l0) / 1000).toFixed(1)} s`,
      );

      // Status recompute of everyone, then the sweep as it runs every minute.
      const c0 = process.cpuUsage();
      const s0 = performance.now();
      const everyone = await withMemory(() => runCertificationSweep(deps, { everyone: true }));
      const sweepAll = performance.now() - s0;
      const sweepAllCpu = process.cpuUsage(c0);
      const idle: number[] = [];
      const idleCpu: number[] = [];
      for (let m = 1; m <= 5; m++) {
        now = new Date(Date.UTC(2026, 11, 3, 15, m));
        const u0 = process.cpuUsage();
        const t0 = performance.now();
        const r = await runCertificationSweep(deps);
        if (r.evaluated !== 0) throw new Error(`a sweep with nothing due evaluated ${r.evaluated}`);
        idle.push(performance.now() - t0);
        const u = process.cpuUsage(u0);
        idleCpu.push((u.user + u.system) / 1000);
      }
      idleSweepCpu = idleCpu.reduce((a, b) => a + b, 0) / idleCpu.length;
      console.log(
        `status of everyone recomputed (civiccert status recompute): ${fmt(everyone.value.evaluated)} evaluated in ${(sweepAll / 1000).toFixed(1)} s, ${((sweepAllCpu.user + sweepAllCpu.system) / 1e6).toFixed(1)} CPU-s, peak RSS ${MB(everyone.rss)}, heap ${MB(everyone.heap)}`,
      );
      console.log(
        `sweep with nothing due: ${(idle.reduce((a, b) => a + b, 0) / idle.length).toFixed(1)} ms, ${idleSweepCpu.toFixed(1)} CPU-ms; once a minute that is ${((100 * idleSweepCpu) / 60_000).toFixed(3)}% of a core`,
      );
    }

    const app = await buildApp(deps, { logger: false, webRoot: '/nonexistent' });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { cookie } = await adminSession(db);
      const ks = await db
        .selectFrom('program')
        .select('id')
        .where('code', '=', 'ks-county-election-official')
        .executeTakeFirstOrThrow();
      const get = async (url: string) => {
        const res = await fetch(`${address}${url}`, { headers: { cookie } });
        const body = await res.arrayBuffer();
        if (res.status !== 200)
          throw new Error(`${url}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
        return body.byteLength;
      };
      const statusCount = () =>
        db
          .selectFrom('certification_status')
          .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
          .where('program_id', '=', ks.id)
          .groupBy('status')
          .execute();
      const allStatusCount = () =>
        db
          .selectFrom('certification_status')
          .select(['program_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
          .groupBy(['program_id', 'status'])
          .execute();
      const eligibleRows = () =>
        db
          .selectFrom('certification_status')
          .select(['person_id', 'eligible_on', 'apply_by'])
          .where('status', '=', 'eligible')
          .execute();
      const dueRows = () =>
        db
          .selectFrom('certification_status')
          .select(['person_id', 'next_due'])
          .where('status', 'in', ['certified', 'renewal_due', 'lapsed'])
          .where('next_due', '<=', '2027-03-01')
          .execute();
      const onePage = () =>
        db
          .selectFrom('person')
          .select(['id', 'first_name', 'last_name'])
          // The people list's own order, which person_name_idx serves.
          .orderBy(sql`lower(last_name)`)
          .orderBy(sql`lower(first_name)`)
          .limit(50)
          .execute();
      // The best single indexed query for a page of a report's officials: the page's 50 ids and names
      // of the same filtered set, in the lists' order, a range scan of report_official's index
      // (migration 0038) with LIMIT; no total, person, county or figures.
      const filteredPage = (where: ReturnType<typeof sql>) => () =>
        sql`select person_id, last_name, first_name from report_official o
             where o.program_id = ${ks.id} and o.official_from <= ${'2026-12-03'}::date and ${where}
             order by o.last_name, o.first_name, o.person_id limit 50`.execute(db);
      const countyPage = filteredPage(sql`o.jurisdiction_fips = ${'20045'}`);
      const cohortPage = filteredPage(sql`o.cohorts <> '{}' and o.cohorts @> array[${'pilot-2024'}]::text[]`);
      const renewalPage = filteredPage(sql`o.renewal_state is not null`);
      const sessionCount = () =>
        db
          .selectFrom('session')
          .innerJoin('course', 'course.id', 'session.course_id')
          .select(['course.id', (eb) => eb.fn.countAll<string>().as('n')])
          .where('course.program_id', '=', ks.id)
          .groupBy('course.id')
          .execute();
      const claimCount = () =>
        db
          .selectFrom('claim')
          .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
          .where('program_id', '=', ks.id)
          .groupBy('status')
          .execute();
      const q = `programId=${ks.id}`;
      const cases: { name: string; url: string; floor: string; f: () => Promise<unknown> }[] = [
        {
          name: 'coverage report',
          url: `/api/reports/coverage?${q}`,
          floor: 'grouped status count',
          f: statusCount,
        },
        {
          name: 'cohort report',
          url: `/api/reports/cohorts?${q}`,
          floor: 'grouped status count',
          f: statusCount,
        },
        {
          name: 'funnel report',
          url: `/api/reports/funnel?${q}`,
          floor: 'grouped status count',
          f: statusCount,
        },
        {
          name: 'renewal report',
          url: `/api/reports/renewal?${q}`,
          floor: 'grouped status count',
          f: statusCount,
        },
        {
          name: "a county's officials, first page",
          url: `/api/reports/coverage/officials?${q}&county=20045`,
          floor: 'a page of the filtered set',
          f: countyPage,
        },
        {
          name: 'cohort members, first page',
          url: `/api/reports/cohorts/officials?${q}&cohort=pilot-2024`,
          floor: 'a page of the filtered set',
          f: cohortPage,
        },
        {
          name: 'renewal officials, first page',
          url: `/api/reports/renewal/officials?${q}`,
          floor: 'a page of the filtered set',
          f: renewalPage,
        },
        {
          name: 'session fill report',
          url: `/api/reports/session-fill?${q}`,
          floor: 'sessions per course',
          f: sessionCount,
        },
        {
          name: 'review turnaround',
          url: `/api/reports/turnaround?${q}`,
          floor: 'claims by status',
          f: claimCount,
        },
        {
          name: 'eligible list, first page',
          url: '/api/awards/eligible',
          floor: 'eligible rows',
          f: eligibleRows,
        },
        {
          name: 'awards summary',
          url: '/api/awards/summary',
          floor: 'grouped status count',
          f: allStatusCount,
        },
        {
          name: 'renewals due (90 days)',
          url: '/api/renewals/due?withinDays=90',
          floor: 'due rows',
          f: dueRows,
        },
        { name: 'people, first page', url: '/api/people', floor: 'one page of people', f: onePage },
        {
          name: 'administrator dashboard',
          url: '/api/dashboard',
          floor: 'grouped status count',
          f: allStatusCount,
        },
        { name: 'program page', url: `/api/programs/${ks.id}`, floor: 'one page of people', f: onePage },
      ];
      console.log(
        `\n${os.cpus().length} cores, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      console.log(
        '| endpoint | median | floor | ratio | CPU per request (app + PostgreSQL) | floor CPU (client + PostgreSQL) | CPU ratio | bytes | app peak RSS | heap |',
      );
      console.log('|---|---|---|---|---|---|---|---|---|---|');
      let pgPeak = await postgresMemory();
      for (const k of cases) {
        await get(k.url); // warm
        const mem = await withMemory(() => get(k.url));
        const t = await median(() => get(k.url));
        await k.f();
        const f = await median(k.f);
        const cpu = await cpuPerRun(() => get(k.url));
        const floorCpu = await cpuPerRun(k.f);
        const total = (c: { app: number; pg: number }) => c.app + c.pg;
        pgPeak = Math.max(pgPeak, await postgresMemory());
        console.log(
          `| ${k.name} | ${t.toFixed(1)} ms | ${f.toFixed(1)} ms (${k.floor}) | ${(t / f).toFixed(1)}× | ${cpu.app.toFixed(1)} + ${cpu.pg.toFixed(1)} ms | ${floorCpu.app.toFixed(1)} + ${floorCpu.pg.toFixed(1)} ms | ${(total(cpu) / total(floorCpu)).toFixed(1)}× | ${fmt(mem.value)} | ${MB(mem.rss)} | ${MB(mem.heap)} |`,
        );
      }
      if (PAST) await pastDay(db, deps, ks.id, PAST, get);
      // Idle: ten seconds with the app listening and nothing asked of it.
      const u0 = process.cpuUsage();
      await new Promise((r) => setTimeout(r, 10_000));
      const u = process.cpuUsage(u0);
      const m = process.memoryUsage();
      console.log(
        `\nidle app: ${((100 * (u.user + u.system)) / 1e6 / 10).toFixed(2)}% of a core over 10 s${idleSweepCpu === undefined ? '' : ` (plus the sweep's ${((100 * idleSweepCpu) / 60_000).toFixed(3)}% once a minute)`}; RSS ${MB(m.rss)}, heap ${MB(m.heapUsed)}; PostgreSQL ${MB(pgPeak)} at most (proportional set size)`,
      );
      if (PAST) await pastDayBefore(deps, ks.id, PAST);
    } finally {
      await app.close();
    }
  },
  { keepDir: KEEP_DIR },
);

/** Wall time, this process's CPU and PostgreSQL's for one run of `f`, with the app's peak RSS. */
async function once<T>(
  f: () => Promise<T>,
): Promise<{ value: T; ms: number; app: number; pg: number; rss: number }> {
  const pids = await postgresProcesses();
  const pg0 = await postgresCpuMs(pids);
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const m = await withMemory(f);
  const ms = performance.now() - t0;
  const u = process.cpuUsage(u0);
  let pg = 0;
  for (const [pid, c] of await postgresCpuMs(pids)) if (pg0.has(pid)) pg += c - pg0.get(pid)!;
  return { value: m.value, ms, app: (u.user + u.system) / 1000, pg, rss: m.rss };
}

/**
 * Reports as of a day other than today (ADR 0039). Before, each request for such a day evaluated
 * every official as of it (what `computeReports` without a run does, timed once here); now the day
 * is prepared once in the background (POST /api/reports/prepare, then the page polls) and each
 * request reads the run like the status cache, next to the same kinds of floor over the run's rows.
 */
async function pastDay(
  db: Db,
  deps: Deps,
  programId: string,
  asOf: string,
  get: (url: string) => Promise<number>,
): Promise<void> {
  console.log(`\nreports as of ${asOf}, another day than today`);
  const q = `programId=${programId}&asOf=${asOf}`;
  // As an administrator opens the page: the first read starts the run (202), the page polls.
  await db.deleteFrom('report_run').where('program_id', '=', programId).where('as_of', '=', asOf).execute();
  const prepared = await once(async () => {
    while ((await fetchStatus(get, `/api/reports/coverage?${q}`)) !== 200)
      await new Promise((res) => setTimeout(res, 1000));
  });
  const run = await db
    .selectFrom('report_run')
    .select(['id', 'total'])
    .where('program_id', '=', programId)
    .where('as_of', '=', asOf)
    .executeTakeFirstOrThrow();
  console.log(
    `prepared once, in the background (${fmt(run.total)} officials): ${(prepared.ms / 1000).toFixed(1)} s, CPU ${(prepared.app / 1000).toFixed(1)} s app + ${(prepared.pg / 1000).toFixed(1)} s PostgreSQL, app peak RSS ${MB(prepared.rss)}`,
  );
  const statusCount = () =>
    sql`select status, count(*)::int from report_run_official where run_id = ${run.id} group by status`.execute(
      db,
    );
  const page = (where: ReturnType<typeof sql>) => () =>
    sql`select person_id, last_name, first_name from report_run_official o
         where o.run_id = ${run.id} and o.official_from <= ${asOf}::date and ${where}
         order by o.last_name, o.first_name, o.person_id limit 50`.execute(db);
  const cases: [string, string, () => Promise<unknown>][] = [
    ['coverage report', `/api/reports/coverage?${q}`, statusCount],
    ['cohort report', `/api/reports/cohorts?${q}`, statusCount],
    ['funnel report', `/api/reports/funnel?${q}`, statusCount],
    ['renewal report', `/api/reports/renewal?${q}`, statusCount],
    [
      "a county's officials, first page",
      `/api/reports/coverage/officials?${q}&county=20045`,
      page(sql`o.jurisdiction_fips = ${'20045'}`),
    ],
    [
      'cohort members, first page',
      `/api/reports/cohorts/officials?${q}&cohort=pilot-2024`,
      page(sql`o.cohorts <> '{}' and o.cohorts @> array[${'pilot-2024'}]::text[]`),
    ],
    [
      'renewal officials, first page',
      `/api/reports/renewal/officials?${q}`,
      page(sql`o.renewal_state is not null`),
    ],
  ];
  console.log(
    '| endpoint, as of that day | median | floor (over the run) | ratio | CPU per request | floor CPU | CPU ratio | bytes |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, url, floor] of cases) {
    const bytes = await get(url);
    const t = await median(() => get(url));
    await floor();
    const f = await median(floor);
    const cpu = await cpuPerRun(() => get(url));
    const floorCpu = await cpuPerRun(floor);
    const total = (c: { app: number; pg: number }) => c.app + c.pg;
    console.log(
      `| ${name} | ${t.toFixed(1)} ms | ${f.toFixed(1)} ms | ${(t / f).toFixed(1)}× | ${cpu.app.toFixed(1)} + ${cpu.pg.toFixed(1)} ms | ${floorCpu.app.toFixed(1)} + ${floorCpu.pg.toFixed(1)} ms | ${(total(cpu) / total(floorCpu)).toFixed(1)}× | ${fmt(bytes)} |`,
    );
  }
}

/**
 * What a request for another day cost before ADR 0039: every official evaluated as of it
 * (`computeReports` without a run, which the app now does only for programs of up to 1,000
 * officials). Timed last, after the idle measurement: the memory it takes stays with the process.
 */
async function pastDayBefore(deps: Deps, programId: string, asOf: string): Promise<void> {
  const { computeReports } = await import('../src/server/modules/reports/reports.service.js');
  const before = await once(() => computeReports(deps.db, { programId, asOf }, ['coverage']));
  console.log(
    `\nreports as of ${asOf}, before ADR 0039 (every official evaluated per request, the coverage report; timed last): ${(before.ms / 1000).toFixed(1)} s, CPU ${(before.app / 1000).toFixed(1)} s app + ${(before.pg / 1000).toFixed(1)} s PostgreSQL, app peak RSS ${MB(before.rss)}`,
  );
}

/** The status of a GET (200 ready, 202 still being prepared). */
async function fetchStatus(get: (url: string) => Promise<number>, url: string): Promise<number> {
  try {
    await get(url);
    return 200;
  } catch (e) {
    if (e instanceof Error && e.message.includes(': 202 ')) return 202;
    throw e;
  }
}
