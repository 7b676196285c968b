/**
 * `npm test`: the three suites in order (domain unit tests, server integration
 * tests on real PostgreSQL, end-to-end tests in Debian's Chromium), then one
 * closing line "N passed, N failed, N skipped" summed over all of them.
 * Installs Chromium with apt when it is missing and we are root (as in CI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The transcript journey checks its PDF with pdftotext and pdftoppm (Debian's poppler-utils).
const PDFTOTEXT = '/usr/bin/pdftotext';
const suites = (
  process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e']
) as string[];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  return r.status ?? 1;
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM) && existsSync(PDFTOTEXT)) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `Chromium or pdftotext is missing. Install them with: sudo apt-get install -y chromium poppler-utils`,
    );
    process.exit(1);
  }
  console.log('Installing Chromium and poppler-utils from Debian (apt-get install chromium poppler-utils)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (
    run('apt-get', ['update', '-qq'], env) !== 0 ||
    run('apt-get', ['install', '-y', '-qq', 'chromium', 'poppler-utils'], env) !== 0
  ) {
    console.error('Could not install Chromium with apt-get.');
    process.exit(1);
  }
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let crashed = false;
const out = mkdtempSync(path.join(os.tmpdir(), 'civiccert-results-'));

if (suites.includes('e2e')) {
  ensureChromium();
  console.log('\n== Building the web app for end-to-end tests ==');
  if (run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) {
    console.error('The web build failed.');
    process.exit(1);
  }
}

for (const suite of suites) {
  console.log(`\n== ${suite} tests ==`);
  const file = path.join(out, `${suite}.json`);
  const code = run('npx', [
    'vitest',
    'run',
    '--project',
    suite,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  if (!existsSync(file)) {
    console.error(`The ${suite} suite did not produce results (exit code ${code}).`);
    crashed = true;
    totals.failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  // A file that fails to load counts as a failure even if no test inside it ran.
  if (code !== 0 && r.numFailedTests === 0) {
    crashed = true;
    totals.failed += Math.max(1, r.numFailedTestSuites);
  }
}
rmSync(out, { recursive: true, force: true });

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || crashed ? 1 : 0);
