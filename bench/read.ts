/**
 * Authenticated read against its floor (issue 14, section 7): an official's progress page
 * (`GET /api/me/progress`, signed in) against a bare Fastify route that runs exactly the same SQL
 * statements with the same parameters and returns the last one's rows, both on the same embedded
 * PostgreSQL with the same pool size, under the same load.
 *
 *   npx tsx bench/read.ts [--connections 64] [--seconds 10] [--records 30] [--pool 10]
 *                         [--profile file.cpuprofile] [--sql] [--log]
 *
 * The SQL is captured from one real request (every statement the app sends, from the session
 * lookup to the evaluation's reads). Each side is loaded twice, alternating (floor, app, floor,
 * app), `--connections` requests in flight for `--seconds` each; prints requests per second,
 * p50 and p99 latency, and the ratios. The difference is the app's own Node work: routing,
 * authentication and authorization, the rules engine, response checking and serialisation.
 *
 * `--profile FILE` writes a CPU profile (open it in Chrome's DevTools, or summarise it with
 * bench/profile-summary.ts) of one extra app-only round after the measured ones; `--sql` prints
 * the captured statements. `--log` runs the app with the production logger (info, Fastify's two
 * lines per request) writing to /dev/null, to see what logging costs; without it the app logs nothing.
 */
import Fastify from 'fastify';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import type { Deps } from '../src/server/context.js';
import { fmt, numberArg, signedIn, withBenchApp } from './app-database.js';

const CONNECTIONS = numberArg('connections', '64');
const SECONDS = numberArg('seconds', '10');
const RECORDS = numberArg('records', '30');
const POOL = numberArg('pool', '10');
const argv = process.argv.slice(2);
const PROFILE = argv.includes('--profile') ? argv[argv.indexOf('--profile') + 1] : undefined;
const SHOW_SQL = argv.includes('--sql');
const LOG = argv.includes('--log');

interface Load {
  rps: number;
  /** This process's CPU time (server and clients, user + system) per request, in ms. */
  cpu: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `CONNECTIONS` requests in flight for `SECONDS`. */
async function load(url: string, headers: Record<string, string>): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  return {
    rps: latencies.length / SECONDS,
    cpu: (cpu.user + cpu.system) / 1000 / latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

await withBenchApp(
  'read',
  async ({ url, db, config, mailer }) => {
    const deps: Deps = { config, db, mailer, now: () => new Date() };
    // One official in the Kansas program with a realistic record.
    const person = await db
      .insertInto('person')
      .values({
        first_name: 'Avery',
        last_name: 'Lindqvist',
        email: 'avery@example.gov',
        external_id: null,
        preferred_name: null,
        phone: null,
        title: 'County Clerk',
        jurisdiction_fips: '20045',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into enrollment (program_id, person_id, status, enrolled_on, pinned_version, fee_amount_cents,
                              fee_status, fee_method, receipt_number, requested_at)
      select id, ${person.id}, 'active', '2023-01-15', null, 0, 'waived', null, null, null
        from program where code = 'ks-county-election-official'`.execute(db);
    await sql`
      insert into credit_record (person_id, program_id, amount, category, sponsored, source_type, course_code,
        title, session_id, registration_id, earned_on, status, reverses_id, reason, recorded_at, recorded_by)
      select ${person.id}, p.id, 3,
             case when k <= 9 then (array['year-one','year-two','year-three'])[1 + (k - 1) / 3] else 'advance-renewal' end,
             false, 'sos-course',
             case when k <= 9 then 'KS-Y' || (1 + (k - 1) / 3) || '-0' || (1 + (k - 1) % 3) else 'KS-ADV' end,
             null, null, null, date '2023-02-01' + k * 40, 'approved', null, null, now(), null
        from program p cross join generate_series(1, ${RECORDS}) k
       where p.code = 'ks-county-election-official'`.execute(db);
    const user = await db
      .insertInto('user_account')
      .values({
        person_id: person.id,
        roles: ['official'],
        password_hash: null,
        password_changed_at: null,
        last_sign_in_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const headers = await signedIn(db, user.id);

    const app = await buildApp(deps, {
      logger: LOG ? { level: 'info', stream: createWriteStream('/dev/null') } : false,
      webRoot: '/nonexistent',
    });
    const appUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/me/progress`;

    // Capture every statement one real request sends, once warm (definitions cached, as in service).
    await (await fetch(appUrl, { headers })).arrayBuffer();
    const captured: { text: string; values: unknown[] }[] = [];
    const query = pg.Client.prototype.query;
    const patched = function (this: pg.Client, ...a: unknown[]) {
      const [q, v] = a as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      if (typeof q === 'string') captured.push({ text: q, values: v ?? [] });
      else if (q && typeof q === 'object' && 'text' in q)
        captured.push({ text: q.text, values: q.values ?? v ?? [] });
      return (query as (...x: unknown[]) => unknown).apply(this, a);
    };
    pg.Client.prototype.query = patched as typeof query;
    const first = await fetch(appUrl, { headers });
    const firstBody = await first.text();
    pg.Client.prototype.query = query;
    if (first.status !== 200) throw new Error(`progress: ${first.status} ${firstBody.slice(0, 300)}`);
    const statements = captured.filter(
      (c) => !/^(begin|commit|rollback|set |select 1$)/i.test(c.text.trim()),
    );
    if (SHOW_SQL) for (const s of statements) console.log(`${s.text.replace(/\s+/g, ' ')}\n`);

    // The floor: the same statements through a pool of the same size, behind a bare route.
    const pool = new pg.Pool({ connectionString: url, max: POOL });
    const bare = Fastify({ logger: false });
    bare.get('/bare', async () => {
      let rows: unknown[] = [];
      for (const s of statements) rows = (await pool.query(s.text, s.values)).rows;
      return rows;
    });
    const bareUrl = `${await bare.listen({ port: 0, host: '127.0.0.1' })}/bare`;

    for (let i = 0; i < 100; i++) {
      await (await fetch(bareUrl)).arrayBuffer();
      await (await fetch(appUrl, { headers })).arrayBuffer();
    }
    const floor: Load[] = [];
    const real: Load[] = [];
    for (let round = 0; round < 2; round++) {
      floor.push(await load(bareUrl, {}));
      real.push(await load(appUrl, headers));
    }
    if (PROFILE) {
      // One more app round under the inspector's sampling profiler (client and server share the process).
      const inspector = new Session();
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      await load(appUrl, headers);
      const { profile } = await inspector.post('Profiler.stop');
      await writeFile(PROFILE, JSON.stringify(profile));
      inspector.disconnect();
    }
    await app.close();
    await bare.close();
    await pool.end();

    const mean = (xs: Load[], k: keyof Load) => xs.reduce((a, b) => a + b[k], 0) / xs.length;
    const line = (name: string, xs: Load[]) =>
      `${name}: ${fmt(mean(xs, 'rps'))} requests/s (${xs.map((x) => fmt(x.rps)).join(', ')}), p50 ${mean(xs, 'p50').toFixed(1)} ms, p99 ${mean(xs, 'p99').toFixed(1)} ms, process CPU ${mean(xs, 'cpu').toFixed(2)} ms per request, errors ${mean(xs, 'errors')}`;
    console.log(
      [
        `${CONNECTIONS} connections, ${SECONDS} s per round, pool ${POOL}, ${LOG ? 'logging at info' : 'no logging'}, ${os.cpus().length} cores, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
        `the progress read sends ${statements.length} SQL statements; its response is ${fmt(firstBody.length)} bytes`,
        line('bare route, same SQL (floor)', floor),
        line('GET /api/me/progress, signed in', real),
        `ratio: ${(mean(real, 'rps') / mean(floor, 'rps')).toFixed(2)}x the floor's throughput; p99 ${(mean(real, 'p99') / mean(floor, 'p99')).toFixed(2)}x; the app's Node work costs ${(mean(real, 'cpu') - mean(floor, 'cpu')).toFixed(2)} ms of CPU per request more than the bare route's`,
      ].join('\n'),
    );
  },
  { poolMax: POOL },
);
