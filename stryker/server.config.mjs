// @ts-check
/**
 * Mutation testing of the server's rule-bearing code (`npm run mutation:server`): certification
 * evaluation and the sweep, the credit ledger, claim decisions, registration eligibility, import
 * validation, export neutralisation and the rate limiter, against the integration tests on real
 * PostgreSQL. Slow (each mutant reruns the database-backed tests that cover it); incremental, so
 * a rerun after a small change only tests the mutants it touches.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker/vitest.server.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'src/server/export/tabular.ts',
    'src/server/http/rate-limit.ts',
    'src/server/jobs/certification.jobs.ts',
    'src/server/modules/awards/awards.service.ts',
    'src/server/modules/certification/*.ts',
    '!src/server/modules/certification/*.test.ts',
    '!src/server/modules/certification/*.routes.ts',
    'src/server/modules/credits/credits.service.ts',
    'src/server/modules/claims/claims.service.ts',
    'src/server/modules/sessions/eligibility.ts',
    'src/server/modules/imports/parse.ts',
  ],
  // The server's string literals are SQL identifiers, which the compiler checks through Kysely's
  // types, and message wording; its rules are in conditions, arithmetic and control flow.
  mutator: { excludedMutations: ['StringLiteral'] },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'stryker/incremental/server.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/server.json' },
  concurrency: 1,
  timeoutMS: 60000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 80, low: 70, break: null },
};
export default config;
