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
// `tsx scripts/test.ts [suite…] [-- vitest arguments]`: the arguments after `--` go to every
// vitest run (its own test uses them to point at a fixture configuration).
const args = process.argv.slice(2);
const dashes = args.indexOf('--');
const named = dashes < 0 ? args : args.slice(0, dashes);
const vitestArgs = dashes < 0 ? [] : args.slice(dashes + 1);
const suites = named.length ? named : ['unit', 'integration', 'e2e'];

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
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string }[];
  }[];
}

const totals = { passed: 0, failed: 0, skipped: 0 };
// Test files that failed outside any test: an import that throws, a beforeAll or afterAll that
// fails. Their tests never ran (vitest reports them as skipped, or not at all), so each such
// file counts as one failure and is named at the end.
const brokenFiles: string[] = [];
// Suites whose vitest run failed without a failing test or file to show for it (an unhandled
// error, a crash of the runner itself).
const brokenRuns: string[] = [];
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
    ...vitestArgs,
  ]);
  if (!existsSync(file)) {
    console.error(`The ${suite} suite did not produce results (exit code ${code}).`);
    brokenRuns.push(`${suite} (no results, exit code ${code})`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  const broken = r.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed'),
  );
  for (const f of broken) {
    // Its tests did not run because the file broke: not skipped by choice.
    totals.skipped -= f.assertionResults.filter(
      (t) => t.status === 'pending' || t.status === 'skipped',
    ).length;
    const name = path.relative(process.cwd(), f.name);
    const why = (f.message ?? '').split('\n')[0]?.trim();
    brokenFiles.push(why ? `${name}: ${why}` : name);
  }
  if (code !== 0 && r.numFailedTests === 0 && broken.length === 0) {
    brokenRuns.push(`${suite} (vitest exit code ${code} with no failing test)`);
  }
}
rmSync(out, { recursive: true, force: true });

if (brokenFiles.length) {
  console.error(`\nTest files that failed outside their tests (they count as failures):`);
  for (const f of brokenFiles) console.error(`  ${f}`);
}
if (brokenRuns.length) console.error(`\nSuites that failed without a failing test: ${brokenRuns.join('; ')}`);
const failed = totals.failed + brokenFiles.length + brokenRuns.length;
const why = [
  totals.failed ? `${totals.failed} failing test${totals.failed === 1 ? '' : 's'}` : '',
  brokenFiles.length
    ? `${brokenFiles.length} test file${brokenFiles.length === 1 ? '' : 's'} that crashed`
    : '',
  brokenRuns.length ? `${brokenRuns.length} suite run${brokenRuns.length === 1 ? '' : 's'} that failed` : '',
].filter(Boolean);
console.log(
  `\n${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped` +
    (why.length && (brokenFiles.length || brokenRuns.length) ? ` (${why.join(', ')})` : ''),
);
process.exit(failed > 0 ? 1 : 0);
