/**
 * Crashes, as people meet them, on real `civiccert serve` processes with the
 * embedded PostgreSQL (one data directory, initialised once, for all tests):
 *  (a) the app is killed with SIGKILL: its PostgreSQL keeps running on the data
 *      directory. The next start stops that server and becomes ready by itself;
 *      a second instance on the same directory is refused, naming the first's pid.
 *  (b) PostgreSQL is killed with SIGKILL under load: API calls answer 503 with
 *      Retry-After (never 500), the app restarts PostgreSQL and is ready again
 *      within 30 s, and no registration or queued job is lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './embedded.js';
import { alive, postmaster, serve, sleep, stopApp, waitReady, type ServedApp } from '../testing/processes.js';

const ADMIN = { email: 'admin@demo.civiccert.local', password: 'civiccert-demo-2026' };

let dataDir = '';
const apps: ServedApp[] = [];
let current: ServedApp | null = null;

function start(env: Record<string, string> = {}): Promise<ServedApp> {
  return freePort().then((port) => {
    const app = serve({ CIVICCERT_DATA_DIR: dataDir, PORT: String(port), DEMO_DATA: 'true', ...env });
    apps.push(app);
    return app;
  });
}

afterAll(async () => {
  for (const app of apps)
    if (app.running()) await stopApp(app, 'SIGTERM').catch(() => app.child.kill('SIGKILL'));
  // A postgres left behind by a failed run would hold the folder.
  const pm = dataDir ? postmaster(dataDir) : null;
  if (pm && alive(pm.pid)) {
    process.kill(pm.pid, 'SIGINT');
    for (let i = 0; i < 50 && alive(pm.pid); i++) await sleep(200);
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('crash recovery with the embedded PostgreSQL', () => {
  it('after kill -9 of the app the next start becomes ready without a hand step; a second instance names the running one', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-crash-'));
    const first = await start();
    await waitReady(first);
    const leftover = postmaster(dataDir)!;
    expect(alive(leftover.pid)).toBe(true);

    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(leftover.pid), 'the killed app left its PostgreSQL running').toBe(true);

    const second = await start();
    await waitReady(second);
    expect(alive(leftover.pid), 'the PostgreSQL left behind was stopped').toBe(false);
    expect(second.output()).not.toMatch(/Error: undefined/);

    const third = await start();
    const exit = await third.exited;
    expect(exit.code, third.output()).not.toBe(0);
    expect(third.output()).toMatch(
      new RegExp(`Another CivicCert instance \\(pid ${second.child.pid}\\) is running`),
    );
    expect(third.output()).not.toMatch(/Error: undefined/);

    // The refused instance left the running one alone.
    expect((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status).toBe(200);
    current = second;
  }, 240_000);

  it('kill -9 of PostgreSQL under load: 503 with Retry-After, ready again within 30 s, no registration or job lost', async () => {
    const app = current!;
    const base = `http://127.0.0.1:${app.port}`;
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(signIn.status).toBe(200);
    const cookie = String(signIn.headers.get('set-cookie')).split(';')[0]!;
    const csrf = (
      (await (await fetch(`${base}/api/session`, { headers: { cookie } })).json()) as {
        csrfToken: string;
      }
    ).csrfToken;
    const get = async <T>(url: string) =>
      (await (await fetch(`${base}${url}`, { headers: { cookie } })).json()) as T;

    // A session open for registration, and officials to register.
    const now = Date.now();
    const sessions = await get<{
      items: {
        id: string;
        startsAt: string;
        registrationOpensAt: string | null;
        registrationClosesAt: string | null;
      }[];
    }>('/api/sessions?status=scheduled&pageSize=200');
    const session = sessions.items.find(
      (s) =>
        Date.parse(s.startsAt) > now + 2 * 86_400_000 &&
        (!s.registrationOpensAt || Date.parse(s.registrationOpensAt) < now) &&
        (!s.registrationClosesAt || Date.parse(s.registrationClosesAt) > now + 86_400_000),
    );
    expect(session, 'a demo session open for registration').toBeDefined();
    const people = (
      await get<{ items: { id: string }[] }>('/api/people?role=official&pageSize=200')
    ).items.map((p) => p.id);

    const register = async (personId: string) => {
      const res = await fetch(`${base}/api/sessions/${session!.id}/registrations`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ personId }),
      }).catch(() => null);
      const body = res ? ((await res.json()) as { id?: string; type?: string }) : {};
      return {
        personId,
        status: res?.status ?? 0,
        retryAfter: res?.headers.get('retry-after') ?? null,
        body,
      };
    };

    // A job queued before the crash, due once the database is back.
    const pm = postmaster(dataDir)!;
    const dbUrl = `postgres://postgres:civiccert@127.0.0.1:${pm.port}/civiccert`;
    const boss = new PgBoss({
      connectionString: dbUrl,
      supervise: false,
      schedule: false,
      migrate: false,
      max: 1,
    });
    boss.on('error', () => {});
    await boss.start();
    let jobId: string | null = null;
    for (let i = 0; i < 40 && !jobId; i++) {
      // Singleton queue: wait while a scheduled sweep is queued.
      jobId = await boss.send('certification-sweep', { test: 'crash' }, { startAfter: 20 });
      if (!jobId) await sleep(500);
    }
    expect(jobId).toBeTruthy();
    await boss.stop({ graceful: false, wait: true, close: true });

    // Load: four clients registering officials one after another.
    const results: Awaited<ReturnType<typeof register>>[] = [];
    let next = 0;
    let stop = false;
    const worker = async () => {
      while (!stop && next < people.length) {
        results.push(await register(people[next++]!));
        await sleep(50);
      }
    };
    const workers = [worker(), worker(), worker(), worker()];
    await expect
      .poll(() => results.filter((r) => r.status === 201).length, { timeout: 30_000 })
      .toBeGreaterThan(4);

    process.kill(pm.pid, 'SIGKILL');
    const summary = () =>
      `${JSON.stringify(results.map((r) => r.status))} next=${next}/${people.length}\n${app.output().slice(-3000)}`;
    for (let i = 0; i < 300 && !results.some((r) => r.status === 503); i++) await sleep(100);
    expect(
      results.some((r) => r.status === 503),
      summary(),
    ).toBe(true);
    await expect
      .poll(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(200);
    stop = true;
    await Promise.all(workers);

    expect(app.running(), 'the app did not crash').toBe(true);
    const statuses = new Set(results.map((r) => r.status));
    expect(
      [...statuses].filter((s) => ![201, 409, 503].includes(s)),
      JSON.stringify(results),
    ).toEqual([]);
    const unavailable = results.filter((r) => r.status === 503);
    expect(unavailable.every((r) => Number(r.retryAfter) > 0)).toBe(true);
    expect(unavailable[0]!.body.type).toBe('https://civiccert.dev/problems/unavailable');

    // The client retries what got 503, and registers whom it did not reach.
    const retried = await Promise.all(
      [...unavailable.map((r) => r.personId), ...people.slice(next)].slice(0, 20).map(register),
    );
    expect(retried.map((r) => r.status).filter((s) => s !== 201 && s !== 409)).toEqual([]);

    // Everything that was answered 201 is in the database, and the queued job ran.
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      const created = [...results, ...retried].filter((r) => r.status === 201).map((r) => r.body.id!);
      const found = await client.query<{ id: string }>(
        `select id from registration where id = any($1::uuid[]) and status <> 'cancelled'`,
        [created],
      );
      expect(found.rows.map((r) => r.id).sort()).toEqual(created.sort());
      await expect
        .poll(
          async () =>
            (await client.query<{ state: string }>('select state from pgboss.job where id = $1', [jobId]))
              .rows[0]?.state,
          { timeout: 90_000, interval: 1_000 },
        )
        .toBe('completed');
    } finally {
      await client.end();
    }

    // A clean stop still works after all that.
    const exit = await stopApp(app, 'SIGINT');
    expect(exit, app.output()).toEqual({ code: 0, signal: null });
    expect(postmaster(dataDir), 'PostgreSQL stopped with the app').toBeNull();
  }, 300_000);

  it('with PostgreSQL dead and not restarted, /healthz fails after the grace period and SIGINT still exits cleanly', async () => {
    dataDir ||= await mkdtemp(path.join(os.tmpdir(), 'civiccert-crash-'));
    const app = await start({ EMBEDDED_PG_MAX_RESTARTS: '0', HEALTH_DB_GRACE_SECONDS: '0' });
    await waitReady(app);
    const base = `http://127.0.0.1:${app.port}`;
    process.kill(postmaster(dataDir)!.pid, 'SIGKILL');
    const health = async () => {
      const res = await fetch(`${base}/healthz`).catch(() => null);
      if (!res) throw new Error(`the app stopped answering:\n${app.output()}`);
      return res.status;
    };
    await expect.poll(health, { timeout: 30_000 }).toBe(503);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    await expect
      .poll(() => app.output(), { timeout: 30_000 })
      .toMatch(/not restarting it \(EMBEDDED_PG_MAX_RESTARTS=0\)/);

    const exit = await stopApp(app, 'SIGINT');
    expect(exit, app.output()).toEqual({ code: 0, signal: null });
    expect(app.output()).not.toMatch(/did not finish within/);
  }, 180_000);
});
