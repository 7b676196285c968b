/**
 * Registration rush (issue 4): N concurrent registrations over HTTP for one
 * session with 30 seats, against the real app on a real listening port and
 * an embedded PostgreSQL started for the run.
 *
 *   npx tsx bench/registration-rush.ts [--n 2000] [--capacity 30] [--pool 20] [--backlog 511]
 *
 * Each request is a distinct signed-in official (session rows are written
 * up front, so argon2 sign-in is not what is measured). It prints the time
 * taken, confirmed/waitlisted counts, errors, and the ratio against N plain
 * INSERTs through `pg` on the same server in the same run (same concurrency,
 * same pool size) — the floor any registration path must pay — and against the locked section
 * alone: N calls of register_seat (migration 0018) straight through `pg` for a second session.
 */
import { mkdtemp, rm } from 'node:fs/promises';
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

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return Number(i >= 0 ? args[i + 1] : fallback);
};
const N = arg('n', '2000');
const CAPACITY = arg('capacity', '30');
const POOL = arg('pool', '20');
// The listening socket's accept queue (Node's default is 511): N clients connect at once, and on a
// busy machine connections beyond the queue are dropped or reset before the app sees them.
const BACKLOG = arg('backlog', '511');

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
  const clients: { cookie: string; csrf: string }[] = [];
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
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await Promise.all(
    clients.map(async (c) => {
      try {
        const res = await fetch(`${address}/api/sessions/${session.id}/registrations`, {
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
  const rushMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await app.close();

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
  const people = await db
    .selectFrom('person')
    .select('id')
    .where('email', 'like', 'rush%@example.gov')
    .execute();
  const t3 = performance.now();
  await Promise.all(
    people.map((p) =>
      pool.query(
        `select * from register_seat($1, $2, now(), $3, $4, null, null, $5, null, 'bench', null, null, '{}')`,
        [s2.id, p.id, s2.status, s2.starts_at, s2.time_zone],
      ),
    ),
  );
  const lockedMs = performance.now() - t3;
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
  console.log(`  time taken:        ${fmt(rushMs)} (${Math.round(N / (rushMs / 1000))} registrations/s)`);
  console.log(`  confirmed:         ${confirmed}`);
  console.log(`  waitlisted:        ${waitlisted}`);
  console.log(
    `  errors:            ${errors}${errors ? ` (${[...new Set(results.filter((r) => r.code !== 201).map((r) => (r.code ? r.code : `no answer: ${r.cause}`)))].join(', ')})` : ''}`,
  );
  console.log(`  in the database:   ${stored.map((s) => `${s.status} ${s.n}`).join(', ')}`);
  console.log(`  waitlist order:    ${inOrder ? 'positions 1..n match the stored order' : 'MISMATCH'}`);
  console.log(
    `  app process CPU:   ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s during the rush (server and the ${N} clients)`,
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
