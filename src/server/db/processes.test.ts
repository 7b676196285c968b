/**
 * The app as people run it: real `civiccert serve` processes.
 *  (a) DATABASE_URL points at a PostgreSQL this test starts itself; two app
 *      processes start at once, both come up, migrations and demo data load
 *      once, and the app starts no PostgreSQL of its own.
 *  (b) Without DATABASE_URL the app starts the embedded server under its data
 *      dir, the printed administrator can sign in, Ctrl-C (SIGINT) leaves no
 *      postgres behind, and a second start reuses the data.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { serve as serveProcess } from '../testing/processes.js';
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { migrations } from './migrations/index.js';

const ADMIN = { email: 'admin@demo.civiccert.local', password: 'civiccert-demo-2026' };
const DEMO_PEOPLE = 306; // 300 officials, 5 staff, 1 demo official

interface App {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: App[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  // Whatever a failed test left running: stop the apps (they stop their postgres), then the rest.
  for (const app of started) {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGTERM');
      await Promise.race([app.exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
  }
  for (const c of cleanups.reverse()) await c().catch(() => {});
}, 60_000);

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(async () => {
    // A postgres left behind by a failed run would hold the folder; stop it by its own pid file.
    const pidFile = path.join(dir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGINT');
          await new Promise((r) => setTimeout(r, 2_000));
        } catch {
          // already gone
        }
      }
    }
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A real `civiccert serve` process (the shared test helper), stopped after the tests. */
function serve(env: Record<string, string>): App {
  const app = serveProcess(env);
  started.push(app);
  return app;
}

async function waitReady(app: App, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the app exited before it was ready:\n${app.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${app.port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stop(app: App, signal: NodeJS.Signals): Promise<number | null> {
  app.child.kill(signal);
  const result = await Promise.race([
    app.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no exit within 20 s of ${signal}:\n${app.output()}`)), 20_000),
    ),
  ]);
  expect(result.signal, app.output()).toBeNull();
  return result.code;
}

async function signIn(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { user: { email: string; roles: string[] } };
  expect(body.user).toMatchObject({ email: ADMIN.email, roles: ['administrator'] });
  return String(res.headers.get('set-cookie')).split(';')[0]!;
}

async function peopleTotal(port: number, cookie: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/people?pageSize=1`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { page: { total: number } }).page.total;
}

/** Command lines of running postgres processes that mention this folder. */
function postgresUnder(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(dir) && /postgres/.test(line));
}

describe('with DATABASE_URL: an external PostgreSQL', () => {
  it('two app processes started at once both come up; migrations and demo data load once; no embedded server', async () => {
    const pgDir = await tempDir('civiccert-external-pg-');
    const external: EmbeddedServer = await startEmbeddedPostgres(pgDir);
    cleanups.push(() => external.stop());
    const dataDir = await tempDir('civiccert-data-');
    const url = external.url('civiccert_two');

    const env = { DATABASE_URL: url, DEMO_DATA: 'true', CIVICCERT_DATA_DIR: dataDir };
    const [p1, p2] = [await freePort(), await freePort()];
    const one = serve({ ...env, PORT: String(p1) });
    const two = serve({ ...env, PORT: String(p2) });
    await Promise.all([waitReady(one), waitReady(two)]);

    // Both serve the same data.
    const [c1, c2] = [await signIn(p1), await signIn(p2)];
    expect(await peopleTotal(p1, c1)).toBe(DEMO_PEOPLE);
    expect(await peopleTotal(p2, c2)).toBe(DEMO_PEOPLE);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const applied = await client.query<{ name: string }>('select name from kysely_migration order by name');
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
      const people = await client.query<{ n: string; emails: string; ext: string }>(
        'select count(*) n, count(distinct email) emails, count(distinct external_id) ext from person',
      );
      expect(people.rows[0]).toEqual({
        n: String(DEMO_PEOPLE),
        emails: String(DEMO_PEOPLE),
        ext: String(DEMO_PEOPLE),
      });
      const accounts = await client.query<{ n: string }>('select count(*) n from user_account');
      expect(Number(accounts.rows[0]!.n)).toBe(DEMO_PEOPLE);
      const meta = await client.query<{ n: string }>(
        "select count(*) n from app_meta where key = 'demo.loaded'",
      );
      expect(Number(meta.rows[0]!.n)).toBe(1);
      const loads = await client.query<{ after: unknown }>(
        "select after from audit_log where action = 'demo.load'",
      );
      expect(loads.rows, 'the demo is loaded by one instance only').toEqual([
        { after: { people: DEMO_PEOPLE } },
      ]);
      const counties = await client.query<{ n: string }>(
        "select count(*) n from jurisdiction where state_code = 'KS' and kind = 'county'",
      );
      expect(Number(counties.rows[0]!.n)).toBe(105);
    } finally {
      await client.end();
    }

    // The app started no PostgreSQL of its own: the data folder holds only the development key
    // for two-step secrets (SECRETS_KEY is unset), which both instances share.
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
    expect(await readdir(dataDir)).toEqual(['secrets.key']);
    expect(postgresUnder(dataDir)).toEqual([]);

    expect(await stop(one, 'SIGTERM')).toBe(0);
    expect(await stop(two, 'SIGTERM')).toBe(0);
  }, 180_000);
});

describe('without DATABASE_URL: the embedded PostgreSQL', () => {
  it('starts under the data dir, the printed admin signs in, SIGINT leaves no postgres, a restart reuses the data', async () => {
    const dataDir = await tempDir('civiccert-embedded-');
    const env = { CIVICCERT_DATA_DIR: dataDir };

    const first = serve({ ...env, PORT: String(await freePort()) });
    await waitReady(first);
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(postgresUnder(dataDir).length).toBeGreaterThan(0);
    // The start-up banner prints the demo sign-ins.
    await expect.poll(() => first.output(), { timeout: 10_000 }).toMatch(/^\s+administrator\s+\S+@/m);
    const printed = {
      email: /^\s+administrator\s+(\S+)$/m.exec(first.output())?.[1],
      password: /password for all: (\S+)\)/.exec(first.output())?.[1],
    };
    expect(printed).toEqual(ADMIN);
    const cookie = await signIn(first.port);
    expect(await peopleTotal(first.port, cookie)).toBe(DEMO_PEOPLE);

    expect(await stop(first, 'SIGINT')).toBe(0);
    expect(postgresUnder(dataDir), 'no postgres left running for the data dir').toEqual([]);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = serve({ ...env, PORT: String(await freePort()) });
    await waitReady(second);
    const again = await signIn(second.port);
    expect(await peopleTotal(second.port, again), 'data reused, demo not loaded twice').toBe(DEMO_PEOPLE);
    expect(await stop(second, 'SIGTERM')).toBe(0);
    expect(postgresUnder(dataDir)).toEqual([]);
  }, 180_000);
});
