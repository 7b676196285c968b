// @ts-check
import process from 'node:process';
/**
 * Mutation testing of the domain (`npm run mutation:domain`): every rule of the engine, the
 * lifecycle, scheduling, time and authorization, against the domain's unit tests.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker/vitest.domain.config.ts', related: false },
  // No type checker by default: on two cores it took five times as long per mutant as the tests
  // (a 46-minute run became one of about 3 hours). Mutants that would not compile are then run
  // and counted like any other. `npm run mutation:domain -- --checkers typescript` adds it back.
  checkers: [],
  tsconfigFile: 'stryker/tsconfig.domain.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'src/domain/**/*.ts',
    '!src/domain/**/*.test.ts',
    '!src/domain/**/testkit.ts',
    '!src/domain/**/*.fixture.ts',
  ],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) would need every test rerun per mutant; they are
  // counted as ignored, not as survivors.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'stryker/incremental/domain.json',
  reporters: ['clear-text', 'progress', 'json'],
  // STRYKER_REPORT names the report, so runs split by file do not overwrite each other.
  jsonReporter: { fileName: process.env.STRYKER_REPORT ?? 'reports/mutation/domain.json' },
  concurrency: 2,
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
export default config;
