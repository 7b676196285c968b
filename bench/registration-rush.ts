/**
 * Registration rush (issue 4): N concurrent registrations over HTTP for one
 * session with 30 seats, against the real app on a real listening port and
 * an embedded PostgreSQL started for the run.
 *
 *   npx tsx bench/registration-rush.ts [--n 2000] [--capacity 30] [--pool 20] [--backlog 511] [--clients process|inline] [--client raw|fetch]
 *                                      [--profile rush.cpuprofile]
 *
 * The N clients run in a child process this file starts (`--clients process`, the default), so the
 * server's event loop does only the server's work, as in a real rush from other machines; with
 * `--clients inline` they share the server's process and event loop, as in the figures measured
 * before 5 December 2026. The CPU time of each process is printed. `--profile FILE` writes a CPU
 * profile of the app's process during the rush (summarise it with bench/profile-summary.ts).
 *
 * Each request is a distinct signed-in official (session rows are written
 * up front, so argon2 sign-in is not what is measured). It prints the time
 * taken, confirmed/waitlisted counts, errors, and the ratio against N plain
 * INSERTs through `pg` on the same server in the same run (same concurrency,
 * same pool size) — the floor any registration path must pay — and against the locked section
 * alone: N calls of register_seat (migration 0018) straight through `pg` for a second session.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { Deps } from '../src/server/context.js';
import { createDatabase, ensureDatabaseExists } from '../src/server/db/database.js';
import { startEmbeddedPostgres } from '../src/server/db/embedded.js';
import { createMailer } from '../src/server/modules/mail/mailer.js';
import { hashToken, newToken } from '../src/server/modules/auth/tokens.js';
import { SESSION_COOKIE } from '../src/server/modules/auth/auth.routes.js';
import { prepareDatabase } from '../src/server/runtime.js';
import { numberArg, stringArg } from './app-database.js';

const args = process.argv.slice(2);

interface Client {
  cookie: string;
  csrf: string;
}
interface Answer {
  code: number;
  id: string | null;
  status: string | null;
  position: number | null;
  cause: string | null;
}

/**
 * One registration as raw HTTP/1.1 over its own TCP connection (`--client raw`, the default): the
 * request's bytes are built before the rush, and the answer is read until the server closes. The
 * clients stand for other machines, so on this 2-core machine the less CPU they take the less they
 * take from the server and PostgreSQL; `--client fetch` (Node's fetch, the only client until 5 December 2026)
 * costs about 2 ms of CPU per request.
 */
function rawRegistration(address: string, request: Buffer): Promise<Answer> {
  const { hostname, port } = new URL(address);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    socket.on('data', (b: Buffer) => chunks.push(b));
    socket.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ code: 0, id: null, status: null, position: null, cause: e.code ?? e.message }),
    );
    socket.on('close', (hadError) => {
      if (hadError) return;
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const code = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      let body = split < 0 ? '' : text.slice(split + 4);
      // A chunked answer: the chunks' sizes dropped (one JSON object, so joining them is enough).
      if (/\r\ntransfer-encoding: chunked/i.test(text.slice(0, split)))
        body = body
          .split('\r\n')
          .filter((_, i) => i % 2 === 1)
          .join('');
      try {
        const json = JSON.parse(body) as { id?: string; status?: string; waitlistPosition?: number | null };
        resolve({
          code,
          id: json.id ?? null,
          status: json.status ?? null,
          position: json.waitlistPosition ?? null,
          cause: null,
        });
      } catch {
        resolve({ code: 0, id: null, status: null, position: null, cause: `unreadable answer (${code})` });
      }
    });
  });
}

/** Every client POSTs its registration at once; the answers, in client order. */
async function rush(address: string, sessionId: string, clients: Client[], kind: string): Promise<Answer[]> {
  if (kind === 'raw') {
    const host = new URL(address).host;
    const requests = clients.map((c) =>
      Buffer.from(
        `POST /api/sessions/${sessionId}/registrations HTTP/1.1\r\nhost: ${host}\r\ncookie: ${c.cookie}\r\n` +
          `x-csrf-token: ${c.csrf}\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`,
      ),
    );
    return Promise.all(requests.map((r) => rawRegistration(address, r)));
  }
  return Promise.all(
    clients.map(async (c) => {
      try {
        const res = await fetch(`${address}/api/sessions/${sessionId}/registrations`, {
          method: 'POST',
          headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'application/json' },
          body: '{}',
        });
        const body = (await res.json()) as { id?: string; status?: string; waitlistPosition?: number | null };
        return {
          code: res.status,
          id: body.id ?? null,
          status: body.status ?? null,
          position: body.waitlistPosition ?? null,
          cause: null,
        };
      } catch (e) {
        // No answer (connection refused or reset, a body that is not JSON): counted as an error, with why.
        const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
        return { code: 0, id: null, status: null, position: null, cause };
      }
    }),
  );
}

// The clients' process (started below with --clients-child): it is sent the clients, says it is
// ready, rushes when told to, and sends back the answers and its own CPU time.
if (args.includes('--clients-child')) {
  const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
  const [job] = (await once(process, 'message')) as [
    { address: string; sessionId: string; clients: Client[]; kind: string },
  ];
  await send('ready');
  await once(process, 'message');
  const cpu0 = process.cpuUsage();
  const answers = await rush(job.address, job.sessionId, job.clients, job.kind);
  const cpu = process.cpuUsage(cpu0);
  await send({ answers, cpuMs: (cpu.user + cpu.system) / 1000 });
  process.exit(0);
}

const N = numberArg('n', '2000');
const CAPACITY = numberArg('capacity', '30');
const POOL = numberArg('pool', '20');
// The listening socket's accept queue (Node's default is 511): N clients connect at once, and on a
// busy machine connections beyond the queue are dropped or reset before the app sees them.
const BACKLOG = numberArg('backlog', '511');
const CLIENTS = stringArg('clients') ?? 'process';
const PROFILE = stringArg('profile');
if (CLIENTS !== 'process' && CLIENTS !== 'inline') throw new Error('--clients is process or inline');
const CLIENT_KIND = stringArg('client') ?? 'raw';
if (CLIENT_KIND !== 'raw' && CLIENT_KIND !== 'fetch') throw new Error('--client is raw or fetch');

const dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-rush-'));
const server = await startEmbeddedPostgres(dir);
try {
  const url = server.url('rush');
  await ensureDatabaseExists(url);
  const db = createDatabase(url, { poolMax: POOL, statementTimeoutMs: 0 });
  await prepareDatabase(db, pino({ level: 'warn' }));
  const config = loadConfig({
    NODE_ENV: 'production',
    SECRETS_KEY: 'ab'.repeat(32),
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    DEMO_DATA: 'false',
    PUBLIC_URL: 'http://localhost:3000',
  });
  const deps: Deps = {
    config,
    db,
    mailer: createMailer(config, db, pino({ level: 'silent' })),
    now: () => new Date(),
  };
  const app = await buildApp(deps, { logger: false, webRoot: '/nonexistent' });
  const address = await app.listen({ port: 0, host: '127.0.0.1', backlog: BACKLOG });

  // Fixtures: a course, an event, a session, N officials each with a session cookie.
  const program = await db
    .selectFrom('program')
    .select('id')
    .where('code', '=', 'ks-county-election-official')
    .executeTakeFirstOrThrow();
  const course = await db
    .insertInto('course')
    .values({
      program_id: program.id,
      code: 'KS-Y1-01',
      title: 'Planning for an Election',
      credits: JSON.stringify([{ category: 'year-one', amount: 3 }]),
      format: 'in_person',
      duration_minutes: 180,
      source_type: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const event = await db
    .insertInto('event')
    .values({ title: 'Registration rush', program_id: program.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const start = new Date(Date.now() + 30 * 86_400_000);
  const session = await db
    .insertInto('session')
    .values({
      event_id: event.id,
      course_id: course.id,
      starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
      time_zone: 'America/Chicago',
      venue: 'Memorial Building',
      address: null,
      webinar_url: null,
      capacity: CAPACITY,
      minimum: 5,
      registration_opens_at: null,
      registration_closes_at: null,
      checkin_code: newToken(),
      cancelled_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const clients: Client[] = [];
  for (let i = 0; i < N; i += 500) {
    const chunk = Array.from({ length: Math.min(500, N - i) }, (_, k) => i + k);
    const people = await db
      .insertInto('person')
      .values(
        chunk.map((k) => ({
          first_name: 'Rush',
          last_name: `Official ${k}`,
          email: `rush${k}@example.gov`,
          external_id: null,
          preferred_name: null,
          phone: null,
          title: 'County Clerk',
          jurisdiction_fips: null,
        })),
      )
      .returning('id')
      .execute();
    const users = await db
      .insertInto('user_account')
      .values(
        people.map((p) => ({
          person_id: p.id,
          roles: ['official' as const],
          password_hash: null,
          password_changed_at: null,
          last_sign_in_at: null,
        })),
      )
      .returning('id')
      .execute();
    const tokens = users.map(() => ({ token: newToken(), csrf: newToken() }));
    await db
      .insertInto('auth_session')
      .values(
        users.map((u, k) => ({
          id: hashToken(tokens[k]!.token),
          user_id: u.id,
          csrf_token: tokens[k]!.csrf,
          expires_at: new Date(Date.now() + 86_400_000).toISOString(),
          ip: '127.0.0.1',
          user_agent: 'bench',
        })),
      )
      .execute();
    clients.push(...tokens.map((t) => ({ cookie: `${SESSION_COOKIE}=${t.token}`, csrf: t.csrf })));
  }

  // The rush.
  let results: Answer[];
  let clientCpuMs: number | null = null;
  // --profile FILE: the app process sampled from just before the first request to the last answer.
  const inspector = PROFILE ? new Session() : null;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  let cpu0: NodeJS.CpuUsage;
  let t0: number;
  if (CLIENTS === 'process') {
    const child = fork(process.argv[1]!, ['--clients-child'], { stdio: 'inherit' });
    child.send({ address, sessionId: session.id, clients, kind: CLIENT_KIND });
    await once(child, 'message');
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    child.send('go');
    const [done] = (await once(child, 'message')) as [{ answers: Answer[]; cpuMs: number }];
    results = done.answers;
    clientCpuMs = done.cpuMs;
  } else {
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    results = await rush(address, session.id, clients, CLIENT_KIND);
  }
  const rushMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    await writeFile(PROFILE!, JSON.stringify(profile));
    inspector.disconnect();
  }
  await app.close();
  // The session e-mails not yet rendered are rendered now, before the baselines are timed.
  const t4 = performance.now();
  await deps.mailer.flush();
  const renderMs = performance.now() - t4;
  const mails = await db
    .selectFrom('email_message')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', 'like', 'session.%')
    .executeTakeFirstOrThrow();

  // Baseline: N plain INSERTs through pg, same concurrency and pool size.
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  await pool.query(
    'create table rush_baseline (id bigserial primary key, session_id uuid not null, person_no int not null, at timestamptz not null default now())',
  );
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      pool.query('insert into rush_baseline (session_id, person_no) values ($1, $2)', [session.id, i]),
    ),
  );
  const baseMs = performance.now() - t1;
  // The floor for one session: registrations for one session commit one after another (the row lock
  // is held until COMMIT, and each COMMIT waits for its WAL flush), so also time N INSERTs committed serially.
  // The locked section alone: register_seat for the same people and a second session, straight through pg.
  const second = await pool.query<{ id: string; status: string; starts_at: Date; time_zone: string }>(
    `insert into session (event_id, course_id, starts_at, ends_at, time_zone, venue, capacity, minimum, checkin_code)
     select event_id, course_id, starts_at, ends_at, time_zone, venue, capacity, minimum, checkin_code || '-2'
       from session where id = $1
     returning id, status, starts_at, time_zone`,
    [session.id],
  );
  const s2 = second.rows[0]!;
  // The course's rules and its program's zone, as register() passes them (migration 0042).
  const rules = (
    await pool.query<{
      id: string;
      renewal: boolean;
      prerequisites: string[];
      time_zone: string | null;
      program_id: string | null;
    }>(
      `select co.id, co.renewal, co.prerequisites, pr.time_zone, co.program_id
         from session s join course co on co.id = s.course_id left join program pr on pr.id = co.program_id
        where s.id = $1`,
      [s2.id],
    )
  ).rows[0]!;
  const people = await db
    .selectFrom('person')
    .select('id')
    .where('email', 'like', 'rush%@example.gov')
    .execute();
  const t3 = performance.now();
  await Promise.all(
    people.map((p) =>
      pool.query(
        `select * from register_seat($1, $2, now(), $3, $4, null, null, $5, $6, $7, $8, $9, null, 'bench', null, $10, '{}')`,
        [
          s2.id,
          p.id,
          s2.status,
          s2.starts_at,
          s2.time_zone,
          rules.id,
          rules.renewal,
          rules.prerequisites,
          rules.time_zone,
          rules.program_id,
        ],
      ),
    ),
  );
  const lockedMs = performance.now() - t3;
  // Every call placed someone (none answered o_changed): the locked section measured is the real one.
  const placedByLocked = Number(
    (await pool.query<{ n: string }>(`select count(*) as n from registration where session_id = $1`, [s2.id]))
      .rows[0]!.n,
  );
  if (placedByLocked !== N) throw new Error(`the locked section placed ${placedByLocked} of ${N}`);
  const t2 = performance.now();
  for (let i = 0; i < N; i++)
    await pool.query('insert into rush_baseline (session_id, person_no) values ($1, $2)', [session.id, i]);
  const serialMs = performance.now() - t2;
  await pool.end();

  const stored = await db
    .selectFrom('registration')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('session_id', '=', session.id)
    .groupBy('status')
    .execute();
  const confirmed = results.filter((r) => r.status === 'confirmed').length;
  const waitlisted = results.filter((r) => r.status === 'waitlisted').length;
  const errors = results.filter((r) => r.code !== 201).length;
  // The waitlist in arrival order: the positions answered are 1..waitlisted, in the stored (joined_at, seq) order.
  const order = await db
    .selectFrom('registration')
    .select('id')
    .where('session_id', '=', session.id)
    .where('status', '=', 'waitlisted')
    .orderBy('joined_at')
    .orderBy('seq')
    .execute();
  const answered = results
    .filter((r) => r.status === 'waitlisted')
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const inOrder =
    answered.length === order.length &&
    answered.every((r, i) => r.position === i + 1 && r.id === order[i]!.id);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `registration rush: ${N} concurrent registrations over HTTP, ${CAPACITY} seats, pool ${POOL}, backlog ${BACKLOG}, Node ${process.version}, ${os.cpus().length} cores`,
  );
  console.log(
    `  clients:           ${CLIENTS === 'process' ? "in a child process (the server's event loop runs only the server)" : "inline (in the server's process and event loop)"}, ${CLIENT_KIND === 'raw' ? 'raw HTTP/1.1 over a socket each' : "Node's fetch"}`,
  );
  console.log(`  time taken:        ${fmt(rushMs)} (${Math.round(N / (rushMs / 1000))} registrations/s)`);
  console.log(`  confirmed:         ${confirmed}`);
  console.log(`  waitlisted:        ${waitlisted}`);
  console.log(
    `  errors:            ${errors}${errors ? ` (${[...new Set(results.filter((r) => r.code !== 201).map((r) => (r.code ? r.code : `no answer: ${r.cause}`)))].join(', ')})` : ''}`,
  );
  console.log(`  in the database:   ${stored.map((s) => `${s.status} ${s.n}`).join(', ')}`);
  console.log(`  waitlist order:    ${inOrder ? 'positions 1..n match the stored order' : 'MISMATCH'}`);
  const serverCpu = (cpu.user + cpu.system) / 1e6;
  console.log(
    clientCpuMs === null
      ? `  app process CPU:   ${serverCpu.toFixed(2)} s during the rush (server and the ${N} clients)`
      : `  app process CPU:   ${serverCpu.toFixed(2)} s during the rush (server only; the clients' process ${(clientCpuMs / 1000).toFixed(2)} s)`,
  );
  console.log(
    `  session e-mails:   ${mails.n} in the outbox; rendering what was left after the last answer took ${fmt(renderMs)}`,
  );
  console.log(
    `  baseline:          ${N} plain INSERTs through pg in ${fmt(baseMs)} (${Math.round(N / (baseMs / 1000))}/s)`,
  );
  console.log(`  ratio:             ${(rushMs / baseMs).toFixed(1)}× the plain INSERTs`);
  console.log(
    `  locked section:    ${N} register_seat calls through pg in ${fmt(lockedMs)} (${Math.round(N / (lockedMs / 1000))}/s) = ${(lockedMs / baseMs).toFixed(1)}× the plain INSERTs`,
  );
  console.log(
    `  serial INSERTs:    ${N} committed one at a time in ${fmt(serialMs)} (${Math.round(N / (serialMs / 1000))}/s); rush = ${(rushMs / serialMs).toFixed(1)}× that, locked section = ${(lockedMs / serialMs).toFixed(1)}×`,
  );
  deps.mailer.close();
  await db.destroy();
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
