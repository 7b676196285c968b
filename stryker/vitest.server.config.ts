import path from 'node:path';
import process from 'node:process';
import { defineConfig } from 'vitest/config';

// The integration tests Stryker runs against mutants of the server's rule-bearing code (see
// server.config.mjs). Real embedded PostgreSQL, as in `npm test`; Stryker runs only the tests
// that cover each mutant. STRYKER_SERVER_TESTS (comma-separated globs) narrows them for a run of
// part of the server (stryker/server-split.sh), so its initial test run is only those files.
const narrowed = process.env.STRYKER_SERVER_TESTS?.split(',').filter(Boolean);
export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    include: narrowed ?? [
      'src/server/export/tabular.test.ts',
      'src/server/export/export.test.ts',
      'src/server/export/list-exports.test.ts',
      'src/server/jobs/certification.jobs.test.ts',
      'src/server/modules/certification/*.test.ts',
      'src/server/modules/awards/awards.test.ts',
      'src/server/modules/credits/attendance-credits.test.ts',
      'src/server/modules/claims/claims.test.ts',
      'src/server/modules/sessions/registration.test.ts',
      'src/server/modules/sessions/eligibility.test.ts',
      'src/server/modules/sessions/session-edits.test.ts',
      'src/server/modules/imports/imports.test.ts',
      'src/server/modules/imports/imports.routes.test.ts',
      'src/server/modules/auth/auth.test.ts',
      'src/server/modules/auth/second-factor.test.ts',
      'src/server/modules/transcripts/transcripts.test.ts',
    ],
    environment: 'node',
    globalSetup: ['src/server/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
