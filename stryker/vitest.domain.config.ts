import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The tests Stryker runs against mutants of src/domain: the unit tests (milliseconds each, no
// database).
export default defineConfig({
  resolve: { alias: { 'fast-check': path.resolve(import.meta.dirname, 'fast-check-capped.ts') } },
  test: {
    root: path.resolve(import.meta.dirname, '..'),
    // The CLI's and contract's unit tests exercise the domain too (`program check` output, the
    // program format); none of them uses a database.
    include: ['src/domain/**/*.test.ts', 'src/cli/**/*.test.ts', 'src/contract/**/*.test.ts'],
    // The allocator's exhaustive reference (4 s even with 25 runs) covers the whole engine, so it
    // ran for each of some 1,500 mutants and a run went from under an hour to an estimated 16
    // hours. The allocator's own tests still run; `npm test` runs this one too.
    exclude: ['src/domain/requirements/allocation-exact.test.ts'],
    environment: 'node',
    // Instrumented code on a busy machine: property tests can take seconds.
    testTimeout: 60_000,
  },
});
