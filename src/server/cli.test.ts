import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function cli(
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DATABASE_URL: t.dbUrl, DEMO_DATA: 'false', LOG_LEVEL: 'silent', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

it('`civiccert user create` makes an administrator who can sign in, audited as the CLI', async () => {
  const res = await cli(
    [
      'user',
      'create',
      '--email',
      'Ann.Lee@example.gov',
      '--first-name',
      'Ann',
      '--last-name',
      'Lee',
      '--role',
      'administrator',
      '--password-stdin',
    ],
    'a long enough passphrase\n',
  );
  expect(res.out).toContain('Created Ann Lee <ann.lee@example.gov> with roles administrator');
  expect(res.code).toBe(0);
  const signIn = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email: 'ann.lee@example.gov', password: 'a long enough passphrase' },
  });
  expect(signIn.statusCode).toBe(200);
  expect(signIn.json().user.roles).toEqual(['administrator']);
  const audit = await t.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'person.create')
    .execute();
  expect(audit.map((a) => a.actor_label)).toEqual(['cli']);
}, 60_000);

it('`civiccert user create` with a bad e-mail exits non-zero naming the option', async () => {
  const res = await cli(['user', 'create', '--email', 'nope', '--first-name', 'A', '--last-name', 'B'], '');
  expect(res.code).not.toBe(0);
  expect(res.out).toContain('--email');
  expect(res.out).not.toMatch(/at .*\.ts:\d+/);
}, 60_000);

it('`civiccert backup --encrypt` needs BACKUP_KEY, and writes an encrypted file with it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-cli-backup-'));
  try {
    const file = path.join(dir, 'b.backup');
    const noKey = await cli(['backup', '--encrypt', file], '', { BACKUP_KEY: '' });
    expect(noKey.code).not.toBe(0);
    expect(noKey.out).toContain('--encrypt needs BACKUP_KEY');
    const ok = await cli(['backup', '--encrypt', file], '', { BACKUP_KEY: 'ab'.repeat(32) });
    expect(ok.out).toContain('encrypted with BACKUP_KEY');
    expect(ok.code).toBe(0);
    expect((await readFile(file)).subarray(0, 26).toString()).toBe('CIVICCERT-ENCRYPTED-BACKUP');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);

/**
 * `civiccert serve` until it says it is ready or stops by itself; then it is shut down. The
 * output is read to the end (until its pipes close), so nothing written before the stop is lost.
 */
async function serveUntilReady(
  env: Record<string, string>,
  until: RegExp = /CivicCert is ready/,
): Promise<{ code: number | null; out: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-cli-serve-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: t.dbUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      PORT: '0',
      CIVICCERT_DATA_DIR: dir,
      ...env,
    },
  });
  let out = '';
  let stopped = false;
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      stopped = true;
      resolve(code);
    }),
  );
  try {
    await new Promise<void>((resolve) => {
      const read = (d: Buffer) => {
        out += d.toString();
        if (until.test(out)) resolve();
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      void closed.then(() => resolve());
    });
  } finally {
    if (!stopped) child.kill('SIGTERM');
  }
  const code = await closed;
  await rm(dir, { recursive: true, force: true });
  return { code, out };
}

it('`civiccert serve` without PUBLIC_URL starts, and warns in its log and on screen that links will say localhost', async () => {
  // The warning is printed after the ready line: wait for it before stopping the server.
  const { out } = await serveUntilReady({ PUBLIC_URL: '' }, /^WARNING: PUBLIC_URL is not set: /m);
  expect(out).toContain('CivicCert is ready at http://localhost:0');
  const logged = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });
  expect(logged).toContainEqual(
    expect.objectContaining({
      level: 40, // warn
      msg: expect.stringMatching(
        /^PUBLIC_URL is not set: links in e-mails, QR codes and certificates will say http:\/\/localhost:0, which only this computer can open\./,
      ),
    }),
  );
  expect(out).toMatch(/^WARNING: PUBLIC_URL is not set: /m);
}, 60_000);

it('`civiccert serve` with NODE_ENV=production and no PUBLIC_URL refuses to start, naming it', async () => {
  const res = await serveUntilReady({ NODE_ENV: 'production', SECRETS_KEY: 'ab'.repeat(32), PUBLIC_URL: '' });
  expect(res.out).not.toContain('CivicCert is ready');
  expect(res.code).not.toBe(0);
  expect(res.code).not.toBeNull();
  expect(res.out).toContain('Invalid configuration:');
  expect(res.out).toMatch(/^ {2}- PUBLIC_URL: required when NODE_ENV=production: /m);
}, 60_000);
