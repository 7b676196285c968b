/**
 * `civiccert issuer rotate-key` and `issuer show` (issue 18): the key the command adds is sealed
 * with the same SECRETS_KEY the server uses, signs from then on, and the first key stays published.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: {
        ...process.env,
        DATABASE_URL: t.dbUrl,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'silent',
        PUBLIC_URL: t.config.publicUrl,
        SECRETS_KEY: t.config.secretsKey!.toString('hex'),
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

it('rotates a program’s signing key from the command line; the server signs with the new key', async () => {
  const rotated = await cli(['issuer', 'rotate-key', 'ks-county-election-official']);
  expect(rotated.out).toContain(
    'Key 2 now signs for did:web:localhost%3A3000:issuers:ks-county-election-official',
  );
  expect(rotated.code).toBe(0);
  const shown = await cli(['issuer', 'show', 'ks-county-election-official']);
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.out).keys).toHaveLength(2);
  const did = await t.app.inject({ method: 'GET', url: '/issuers/ks-county-election-official/did.json' });
  expect(did.json().assertionMethod).toEqual([
    'did:web:localhost%3A3000:issuers:ks-county-election-official#key-1',
    'did:web:localhost%3A3000:issuers:ks-county-election-official#key-2',
  ]);
  const list = await t.app.inject({
    method: 'GET',
    url: '/issuers/ks-county-election-official/status/revocation',
  });
  expect(list.statusCode).toBe(200);
  expect(list.json().proof.verificationMethod).toMatch(/#key-2$/);
  const unknown = await cli(['issuer', 'rotate-key', 'no-such-program']);
  expect(unknown.code).not.toBe(0);
  expect(unknown.out).toContain('There is no program with the code "no-such-program"');
});
